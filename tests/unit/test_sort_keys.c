/*
 * test_sort_keys.c - unit tests of kernels/sort_keys.c: baiot_sort_by_value
 * against a stable comparison sort (value, then input position) on
 * doubles with negatives, -0.0, ties, integers and tiny differences, for
 * sizes on both sides of the switch from 16-bit to 8-bit digits, and on a
 * subset of indices (idx not the identity).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/sort_keys.h"

#include <stdlib.h>
#include <math.h>
#include <string.h>

typedef struct pair {
    double v;
    int32_t pos, idx;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->v < y->v || (x->v == y->v && signbit(x->v) > signbit(y->v))) /* -0.0 first, as the keys have it */
        return -1;
    if (x->v > y->v || (x->v == y->v && signbit(x->v) < signbit(y->v)))
        return 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static uint64_t rng = 0x243F6A8885A308D3ULL;
static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static void check(int64_t n, int kind, int subset)
{
    int64_t m = subset ? n / 2 : n;
    double *x = malloc((size_t)n * sizeof *x);
    int32_t *idx = malloc((size_t)(m > 0 ? m : 1) * sizeof *idx), *work_idx = malloc((size_t)(n > 0 ? n : 1) * 4);
    uint64_t *keys = malloc((size_t)(2 * n + 1) * sizeof *keys);
    uint32_t *counts = malloc(4 * 65536 * sizeof *counts);
    pair *ref = malloc((size_t)(m > 0 ? m : 1) * sizeof *ref);
    assert_non_null(x);
    assert_non_null(idx);
    assert_non_null(work_idx);
    assert_non_null(keys);
    assert_non_null(counts);
    assert_non_null(ref);
    for (int64_t i = 0; i < n; i++) {
        uint64_t r = next();
        switch (kind) {
        case 0: x[i] = ((double)(r >> 11) * 0x1p-53 - 0.5) * 1e6; break;          /* spread, both signs */
        case 1: x[i] = (double)(int64_t)(r % 50) - 25; break;                     /* few integers, ties */
        case 2: x[i] = (r & 1) ? 0.0 : -0.0; break;                               /* zeros of both signs */
        default: x[i] = 1.0 + (double)(r % 1000) * 0x1p-52; break;                /* neighbours 1 ulp apart */
        }
    }
    for (int64_t i = 0; i < m; i++) /* every other row when a subset */
        idx[i] = (int32_t)(subset ? 2 * i + 1 : i);
    for (int64_t i = 0; i < m; i++) {
        ref[i].v = x[idx[i]];
        ref[i].pos = (int32_t)i;
        ref[i].idx = idx[i];
    }
    qsort(ref, (size_t)m, sizeof *ref, cmp_pair);
    baiot_sort_by_value(x, idx, m, keys, work_idx, counts);
    for (int64_t i = 0; i < m; i++)
        assert_int_equal(idx[i], ref[i].idx);
    free(x);
    free(idx);
    free(work_idx);
    free(keys);
    free(counts);
    free(ref);
}

static void test_sizes_and_kinds(void **state)
{
    (void)state;
    const int64_t sizes[] = {0, 1, 2, 17, 1000, (1 << 19) - 1, 1 << 19, 600000};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int kind = 0; kind < 4; kind++) {
            check(sizes[s], kind, 0);
            check(2 * sizes[s], kind, 1);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_and_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
