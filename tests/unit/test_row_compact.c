/*
 * test_row_compact.c - unit tests of kernels/row_compact.c: the filter,
 * the partition and the one-sided compactions (front and back) against plain reference
 * loops, on random rows of many lengths (every tail length of the
 * sixteen-row steps), both with the vector steps (where this CPU has
 * them) and with the scalar loops; the slack past the outputs is the
 * only memory written beyond the rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/row_compact.h"

#include <stdlib.h>
#include <string.h>

enum { MAXN = 300, GUARD = 7 };

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static void check_filter(int n, int density)
{
    int32_t row[MAXN], inst[MAXN], orank[MAXN + ROW_COMPACT_SLACK + GUARD], oid[MAXN + ROW_COMPACT_SLACK + GUARD];
    int32_t rrank[MAXN], rid[MAXN];
    uint8_t cls[MAXN], ocls[MAXN + ROW_COMPACT_SLACK + GUARD], rcls[MAXN];
    for (int i = 0; i < n; i++) { /* row: a permutation; inst: -1 or an index */
        row[i] = i;
        inst[i] = (int)(next() % 100) < density ? (int32_t)(next() % 1000) : -1;
        cls[i] = (uint8_t)next();
    }
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(next() % (uint64_t)(i + 1));
        int32_t t = row[i];
        row[i] = row[j];
        row[j] = t;
    }
    int k = 0;
    for (int q = 0; q < n; q++)
        if (inst[row[q]] >= 0) {
            rrank[k] = q;
            rid[k] = inst[row[q]];
            rcls[k] = cls[q];
            k++;
        }
    memset(orank, 0xAB, sizeof orank);
    memset(oid, 0xAB, sizeof oid);
    memset(ocls, 0xAB, sizeof ocls);
    assert_int_equal(baiot_row_compact_filter(row, cls, n, inst, orank, oid, ocls), k);
    assert_memory_equal(orank, rrank, (size_t)k * sizeof *rrank);
    assert_memory_equal(oid, rid, (size_t)k * sizeof *rid);
    assert_memory_equal(ocls, rcls, (size_t)k);
    for (int g = 0; g < GUARD; g++) { /* nothing written past the slack */
        assert_int_equal(ocls[k + ROW_COMPACT_SLACK + g], 0xAB);
        assert_int_equal((uint32_t)oid[k + ROW_COMPACT_SLACK + g], 0xABABABABu);
        assert_int_equal((uint32_t)orank[k + ROW_COMPACT_SLACK + g], 0xABABABABu);
    }
}

/* mode 0: both sides, 1: the first side only, 2: the second only */
static void check_partition(int n, int density, int mode)
{
    int32_t val[MAXN], tv[MAXN + ROW_COMPACT_SLACK], rval[MAXN];
    int32_t id[MAXN], ti[MAXN + ROW_COMPACT_SLACK], rid[MAXN];
    uint8_t cls[MAXN], tc[MAXN + ROW_COMPACT_SLACK], rcls[MAXN], goes[MAXN + ROW_COMPACT_SLACK];
    memset(goes, 0, sizeof goes);
    for (int i = 0; i < n; i++) {
        id[i] = (int32_t)(next() % (uint64_t)n);
        val[i] = (int32_t)(next() >> 33);
        cls[i] = (uint8_t)next();
    }
    for (int i = 0; i < n; i++)
        goes[i] = (int)(next() % 100) < density;
    int a = 0;
    for (int side = 0; side < 2; side++)
        for (int i = 0; i < n; i++)
            if (goes[id[i]] == side) {
                rval[a] = val[i];
                rid[a] = id[i];
                rcls[a] = cls[i];
                a++;
            }
    int n_left = 0;
    for (int i = 0; i < n; i++)
        n_left += goes[id[i]] == 0;
    if (mode == 2) {
        assert_int_equal(baiot_row_compact_right(val, id, cls, n, goes), n - n_left);
        assert_memory_equal(val + n_left, rval + n_left, (size_t)(n - n_left) * sizeof *val);
        assert_memory_equal(id + n_left, rid + n_left, (size_t)(n - n_left) * sizeof *id);
        assert_memory_equal(cls + n_left, rcls + n_left, (size_t)(n - n_left));
        return;
    }
    int64_t got = mode == 1 ? baiot_row_compact_left(val, id, cls, n, goes)
                            : baiot_row_compact_partition(val, id, cls, n, goes, tv, ti, tc);
    assert_int_equal(got, n_left);
    int check = mode == 1 ? n_left : n;
    assert_memory_equal(val, rval, (size_t)check * sizeof *val);
    assert_memory_equal(id, rid, (size_t)check * sizeof *id);
    assert_memory_equal(cls, rcls, (size_t)check);
}

static void run_all(void)
{
    for (int n = 0; n <= 70; n++)
        for (int d = 0; d <= 100; d += 25) {
            check_filter(n, d);
            check_partition(n, d, 0);
            check_partition(n, d, 1);
            check_partition(n, d, 2);
        }
    for (int rep = 0; rep < 50; rep++) {
        int n = 1 + (int)(next() % MAXN), d = (int)(next() % 101);
        check_filter(n, d);
        check_partition(n, d, 0);
        check_partition(n, d, 1);
        check_partition(n, d, 2);
    }
}

static void test_vector(void **state)
{
    (void)state;
    if (!baiot_row_compact_set_vector(1))
        print_message("this CPU has no AVX-512F: the scalar loops run twice\n");
    run_all();
}

static void test_scalar(void **state)
{
    (void)state;
    assert_int_equal(baiot_row_compact_set_vector(0), 0);
    run_all();
    baiot_row_compact_set_vector(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector),
        cmocka_unit_test(test_scalar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
