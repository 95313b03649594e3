/*
 * test_weka_sort.c - Weka's index quicksort order (engine/weka/weka_sort.c).
 *
 * On random arrays of 0..20, 255..257 (both sides of the stack copy),
 * 1000 and 20000 values - spread reals, few distinct values (many ties),
 * all equal, already sorted, reversed, organ-pipe, with -0.0, infinities
 * and NaN - the index is a permutation and the values it lists ascend,
 * NaN counting as DBL_MAX (Weka's Double.MAX_VALUE, so below +inf); with
 * distinct values it is exactly qsort's order.  The same input gives the
 * same order twice, and the values are not changed.  The heap copy taken
 * for more than 256 values with NaN failing to allocate still gives a
 * permutation (the documented fallback).
 * baiot_weka_sort_pairs gives baiot_weka_sort_indices's order on all those
 * arrays; and both, applied sort after sort as J48 does, give the row
 * orders Weka 3.6.14's Instances.sort leaves (tests/golden/weka/sort, made
 * by tests/tools/java/make_sort_golden.sh: many ties, missing values).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "engine/weka/weka_sort.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_RNG_SEED 0xD1B54A32D192ED03ULL
#include "unit_testlib.h"

static double key(double v) { return isnan(v) ? DBL_MAX : v; }

enum { SPREAD, FEW, EQUAL, SORTED, REVERSED, PIPE, SPECIAL, N_KINDS };

static void fill(double *a, int n, int kind, int with_nan)
{
    for (int i = 0; i < n; i++) {
        switch (kind) {
        case SPREAD: a[i] = (unif() - 0.5) * 1e3; break;
        case FEW: a[i] = (double)(rnd() % 4); break;
        case EQUAL: a[i] = 1.5; break;
        case SORTED: a[i] = (double)(i / 3); break;
        case REVERSED: a[i] = (double)(n - i / 2); break;
        case PIPE: a[i] = (double)(i < n / 2 ? i : n - i); break;
        default: {
            static const double special[] = {0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, DBL_MAX, -DBL_MAX, 2.0};
            a[i] = special[rnd() % 9];
        }
        }
        if (with_nan && rnd() % 6 == 0)
            a[i] = NAN;
    }
}

static void assert_permutation(const int *idx, int n)
{
    char *seen = calloc((size_t)n + 1, 1);
    for (int i = 0; i < n; i++) {
        assert_true(idx[i] >= 0 && idx[i] < n);
        assert_int_equal(seen[idx[i]], 0);
        seen[idx[i]] = 1;
    }
    free(seen);
}

typedef struct kv {
    double v;
    int i;
} kv;

static int cmp_kv(const void *p, const void *q)
{
    double a = ((const kv *)p)->v, b = ((const kv *)q)->v;
    return (a > b) - (a < b);
}

/* The pairs version on the same values: the same order. */
static void check_pairs(const double *a, int n, const int *idx)
{
    double *k = malloc(((size_t)n + 1) * sizeof *k);
    int32_t *v = malloc(((size_t)n + 1) * sizeof *v);
    for (int i = 0; i < n; i++) {
        k[i] = key(a[i]);
        v[i] = i;
    }
    baiot_weka_sort_pairs(k, v, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(v[i], idx[i]);
    free(k);
    free(v);
}

static void check(int n, int kind, int with_nan)
{
    double *a = calloc((size_t)n + 1, sizeof *a), *copy = calloc((size_t)n + 1, sizeof *copy);
    int *idx = malloc(((size_t)n + 1) * sizeof *idx), *idx2 = malloc(((size_t)n + 1) * sizeof *idx2);
    fill(a, n, kind, with_nan);
    memcpy(copy, a, (size_t)n * sizeof *a);
    baiot_weka_sort_indices(a, n, idx);
    assert_memory_equal(a, copy, (size_t)n * sizeof *a); /* values untouched (NaN bits included) */
    assert_permutation(idx, n);
    for (int i = 1; i < n; i++)
        assert_true(key(a[idx[i - 1]]) <= key(a[idx[i]]));
    baiot_weka_sort_indices(a, n, idx2);
    assert_memory_equal(idx, idx2, (size_t)n * sizeof *idx);
    check_pairs(a, n, idx);

    /* distinct values: qsort's order exactly */
    int distinct = 1;
    kv *s = malloc(((size_t)n + 1) * sizeof *s);
    for (int i = 0; i < n; i++) {
        s[i].v = key(a[i]);
        s[i].i = i;
    }
    qsort(s, (size_t)n, sizeof *s, cmp_kv);
    for (int i = 1; i < n; i++)
        distinct &= s[i - 1].v < s[i].v;
    if (distinct)
        for (int i = 0; i < n; i++)
            assert_int_equal(idx[i], s[i].i);
    free(s);
    free(a);
    free(copy);
    free(idx);
    free(idx2);
}

static void test_sorted_permutation(void **state)
{
    (void)state;
    static const int big[] = {255, 256, 257, 1000, 20000};
    for (int kind = 0; kind < N_KINDS; kind++)
        for (int with_nan = 0; with_nan < 2; with_nan++) {
            for (int n = 0; n <= 20; n++)
                for (int rep = 0; rep < 20; rep++)
                    check(n, kind, with_nan);
            for (size_t b = 0; b < sizeof big / sizeof *big; b++)
                check(big[b], kind, with_nan);
        }
}

/* Distinct values in a random order: qsort's order, every size. */
static void test_distinct(void **state)
{
    (void)state;
    for (int n = 1; n <= 600; n += (n < 40 ? 1 : 37)) {
        double *a = malloc((size_t)n * sizeof *a);
        int *idx = malloc((size_t)n * sizeof *idx);
        for (int i = 0; i < n; i++)
            a[i] = (double)i * 0.5 - 7;
        for (int i = n - 1; i > 0; i--) {
            int j = (int)(rnd() % (uint64_t)(i + 1));
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        baiot_weka_sort_indices(a, n, idx);
        for (int i = 0; i < n; i++)
            assert_true(a[idx[i]] == (double)i * 0.5 - 7);
        free(a);
        free(idx);
    }
}

/* NaN is DBL_MAX: after every finite value, before +inf, level with
 * DBL_MAX itself. */
static void test_nan(void **state)
{
    (void)state;
    const double a[] = {NAN, INFINITY, 3.0, NAN, -INFINITY, 1.0};
    int idx[6];
    baiot_weka_sort_indices(a, 6, idx);
    assert_int_equal(idx[0], 4);
    assert_int_equal(idx[1], 5);
    assert_int_equal(idx[2], 2);
    assert_true(isnan(a[idx[3]]) && isnan(a[idx[4]]));
    assert_int_equal(idx[5], 1);

    const double all_nan[] = {NAN, NAN, NAN, NAN};
    int idx4[4];
    baiot_weka_sort_indices(all_nan, 4, idx4);
    assert_permutation(idx4, 4);
}

/* More than 256 values with NaN: the heap copy failing still gives a
 * permutation, and nothing leaks. */
static void test_alloc_failure(void **state)
{
    (void)state;
    int n = 1000;
    double *a = malloc((size_t)n * sizeof *a);
    int *idx = malloc((size_t)n * sizeof *idx);
    fill(a, n, SPREAD, 1);
    baiot_alloc_fail_at(0);
    baiot_weka_sort_indices(a, n, idx);
    uint64_t count = baiot_alloc_fail_at(1);
    baiot_weka_sort_indices(a, n, idx);
    baiot_alloc_fail_at(0);
    assert_int_equal(count, 1);
    assert_permutation(idx, n);
    free(a);
    free(idx);
}

/* ---- Weka's Instances.sort, sort after sort (the golden file) ---- */

static const char *src_root(void)
{
    const char *src = getenv("BAIOT_SRC");
    return src && *src ? src : "../..";
}

/* Parses "TAG v,v,..." (? = NaN) into out[0..n); returns the count. */
static int parse_list(char *line, const char *tag, double *out, int cap)
{
    size_t tl = strlen(tag);
    assert_true(strncmp(line, tag, tl) == 0 && line[tl] == ' ');
    int n = 0;
    for (char *t = strtok(line + tl + 1, ",\n"); t; t = strtok(NULL, ",\n")) {
        assert_true(n < cap);
        out[n++] = t[0] == '?' ? NAN : strtod(t, NULL);
    }
    return n;
}

/* Sorts the rows order[0..n) by col (values by row) as Instances.sort
 * does: with the pairs version (as J48 does) and the index version. */
static void weka_sort_rows(const double *col, int32_t *order, int n)
{
    double *k = malloc(((size_t)n + 1) * sizeof *k), *vals = malloc(((size_t)n + 1) * sizeof *vals);
    int *idx = malloc(((size_t)n + 1) * sizeof *idx);
    int32_t *by_idx = malloc(((size_t)n + 1) * sizeof *by_idx);
    for (int q = 0; q < n; q++) {
        vals[q] = col[order[q]];
        k[q] = key(vals[q]);
    }
    baiot_weka_sort_indices(vals, n, idx);
    for (int q = 0; q < n; q++)
        by_idx[q] = order[idx[q]];
    baiot_weka_sort_pairs(k, order, n);
    assert_memory_equal(order, by_idx, (size_t)n * sizeof *order);
    free(k);
    free(vals);
    free(idx);
    free(by_idx);
}

static void test_weka_instances_sort(void **state)
{
    (void)state;
    enum { CAP = 4096, LINE = 65536 };
    char path[4096], *line = malloc(LINE);
    snprintf(path, sizeof path, "%s/tests/golden/weka/sort/instances_sort.txt", src_root());
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    double *a = malloc(CAP * sizeof *a), *b = malloc(CAP * sizeof *b), *want = malloc(CAP * sizeof *want);
    int32_t *order = malloc(CAP * sizeof *order);
    int cases = 0;
    while (fgets(line, LINE, f)) {
        if (line[0] == '#')
            continue;
        int n = atoi(line + 5);
        assert_true(strncmp(line, "case ", 5) == 0 && n > 0 && n <= CAP);
        assert_non_null(fgets(line, LINE, f));
        assert_int_equal(parse_list(line, "a", a, CAP), n);
        assert_non_null(fgets(line, LINE, f));
        assert_int_equal(parse_list(line, "b", b, CAP), n);
        for (int q = 0; q < n; q++)
            order[q] = q;
        for (int s = 0; s < 3; s++) {
            const char *tag = s == 1 ? "by_b" : "by_a";
            assert_non_null(fgets(line, LINE, f));
            assert_int_equal(parse_list(line, tag, want, CAP), n);
            weka_sort_rows(s == 1 ? b : a, order, n);
            for (int q = 0; q < n; q++)
                if (order[q] != (int32_t)want[q])
                    fail_msg("case %d (n = %d), sort %d (%s): position %d holds row %d, Weka's %d", cases, n, s + 1,
                             tag, q, order[q], (int)want[q]);
        }
        cases++;
    }
    fclose(f);
    assert_int_equal(cases, 10);
    free(a);
    free(b);
    free(want);
    free(order);
    free(line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_permutation),
        cmocka_unit_test(test_distinct),
        cmocka_unit_test(test_nan),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_weka_instances_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
