/*
 * test_rank.c - the OneR ranking (engine/models/rank.c, include/baiot/rank.h)
 * on small hand-made views whose order is known by construction:
 *   - a numeric copy of the class and a nominal copy of the class score
 *     100% and lead; a constant column scores exactly the rows of each
 *     fold that are of its training majority class (counted here
 *     directly); two equal noise columns score the same;
 *   - every column's correct count equals the plain reference OneR
 *     (tests/unit/oner_reference.h) trained on each of Weka's folds
 *     (engine/weka/folds.h) and tested on the fold's rows with a class,
 *     for minimum bucket sizes 1, 3 and 6, with missing values and rows
 *     without a class;
 *   - merit = 100 * correct / total, total = rows with a class; the order
 *     is a permutation with merits non-increasing;
 *   - 1 and 2 threads give the same ranking;
 *   - baiot_ranking_from_counts: merits and order from given counts;
 *   - bad arguments give BAIOT_ERR_ARG and no ranking;
 *   - each allocation of baiot_rank and baiot_ranking_from_counts failing
 *     in turn gives BAIOT_ERR_MEMORY and no ranking (leaks under ASan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "baiot/rank.h"
#include "baiot/view.h"
#include "engine/weka/folds.h"
#include "oner_reference.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_RNG_SEED 0x2545F4914F6CDD1DULL
#include "unit_testlib.h"

enum {
    COL_NOISE = 0,    /* random reals */
    COL_CONST = 1,    /* one value */
    COL_CLASS = 2,    /* the class as a number (NaN where the class is missing) */
    COL_NOMINAL = 3,  /* the class as a nominal value */
    COL_MISSING = 4,  /* the class with noise and ~15% missing values */
    COL_NOISE2 = 5,   /* column 0 again */
    COL_FEW = 6,      /* few integer values, loosely tied to the class */
    N_COLS = 7
};

/* n rows, nc classes; about 4% of the rows without a class when
 * with_unknown. */
static baiot_view *make_view(int64_t n, int nc, int with_unknown)
{
    baiot_view *v = NULL;
    assert_int_equal(baiot_view_alloc(n, N_COLS, &v), BAIOT_OK);
    v->n_classes = nc;
    for (int j = 0; j < N_COLS; j++)
        v->attrs[j].kind = BAIOT_ATTR_NUMERIC;
    v->attrs[COL_NOMINAL].kind = BAIOT_ATTR_NOMINAL;
    v->attrs[COL_NOMINAL].n_values = nc;
    for (int64_t r = 0; r < n; r++) {
        int y = (int)(rnd() % (uint64_t)nc);
        v->y[r] = with_unknown && rnd() % 25 == 0 ? -1 : y;
        v->cols[COL_NOISE][r] = (unif() - 0.5) * 40;
        v->cols[COL_CONST][r] = 3.25;
        v->cols[COL_CLASS][r] = v->y[r] >= 0 ? (double)y * 1.5 - 1 : NAN;
        v->cols[COL_NOMINAL][r] = v->y[r] >= 0 ? (double)y : NAN;
        v->cols[COL_MISSING][r] = rnd() % 7 == 0 ? NAN : (double)(rnd() % 4 == 0 ? (int)(rnd() % 3) : y);
        v->cols[COL_NOISE2][r] = v->cols[COL_NOISE][r];
        v->cols[COL_FEW][r] = (double)((y + (int)(rnd() % 3)) % 5);
    }
    return v;
}

/* The reference count of column j over the folds of v (k folds, seed). */
static int64_t ref_correct(const baiot_view *v, const baiot_folds *f, int j, int min_bucket)
{
    int nominal = v->attrs[j].kind == BAIOT_ATTR_NOMINAL;
    int64_t correct = 0;
    for (int i = 0; i < f->k; i++) {
        ref_rule rule;
        ref_column_rule(v->cols[j], v->y, f->train[i], f->n - f->test_count[i], nominal, v->attrs[j].n_values,
                        v->n_classes, min_bucket, &rule);
        for (int64_t t = 0; t < f->test_count[i]; t++) {
            int64_t r = f->order[f->test_first[i] + t];
            if (v->y[r] >= 0)
                correct += ref_predict(&rule, nominal, v->cols[j][r]) == v->y[r];
        }
        ref_rule_free(&rule);
    }
    return correct;
}

/* Rows of each fold of the training majority class (first on ties): what a
 * constant column gets right. */
static int64_t const_correct(const baiot_view *v, const baiot_folds *f)
{
    int64_t correct = 0;
    for (int i = 0; i < f->k; i++) {
        int64_t cnt[REF_MAX_CLASSES] = {0};
        for (int64_t t = 0; t < f->n - f->test_count[i]; t++)
            if (v->y[f->train[i][t]] >= 0)
                cnt[v->y[f->train[i][t]]]++;
        int m = 0;
        for (int c = 1; c < v->n_classes; c++)
            if (cnt[c] > cnt[m])
                m = c;
        for (int64_t t = 0; t < f->test_count[i]; t++)
            correct += v->y[f->order[f->test_first[i] + t]] == m;
    }
    return correct;
}

static void check_order(const baiot_ranking *r)
{
    int seen[64] = {0};
    assert_true(r->n <= 64);
    for (int i = 0; i < r->n; i++) {
        assert_true(r->order[i] >= 0 && r->order[i] < r->n);
        assert_int_equal(seen[r->order[i]], 0);
        seen[r->order[i]] = 1;
        if (i > 0)
            assert_true(r->merit[r->order[i - 1]] >= r->merit[r->order[i]]);
    }
}

static void check_rank(int64_t n, int nc, int k, int64_t seed, int min_bucket, int with_unknown)
{
    baiot_view *v = make_view(n, nc, with_unknown);
    baiot_rank_params p = baiot_rank_params_default();
    p.folds = k;
    p.seed = seed;
    p.min_bucket = min_bucket;
    baiot_ranking *r = NULL;
    assert_int_equal(baiot_rank(v, &p, &r), BAIOT_OK);
    assert_non_null(r);
    assert_int_equal(r->n, N_COLS);

    int64_t total = 0;
    for (int64_t i = 0; i < n; i++)
        total += v->y[i] >= 0;
    assert_int_equal(r->total, total);

    baiot_folds *f = NULL;
    assert_int_equal(baiot_folds_make(v->y, n, nc, k, seed, &f), BAIOT_OK);
    for (int j = 0; j < N_COLS; j++) {
        assert_int_equal(r->correct[j], ref_correct(v, f, j, min_bucket));
        assert_true(fabs(r->merit[j] - 100.0 * (double)r->correct[j] / (double)total) < 1e-9);
    }
    /* by construction */
    assert_int_equal(r->correct[COL_CLASS], total);
    assert_int_equal(r->correct[COL_NOMINAL], total);
    assert_true(r->merit[COL_CLASS] == 100.0 && r->merit[COL_NOMINAL] == 100.0);
    assert_int_equal(r->correct[COL_CONST], const_correct(v, f));
    assert_int_equal(r->correct[COL_NOISE], r->correct[COL_NOISE2]);
    assert_true(r->merit[COL_NOISE] < 100.0);
    check_order(r);
    assert_true((r->order[0] == COL_CLASS && r->order[1] == COL_NOMINAL) ||
                (r->order[0] == COL_NOMINAL && r->order[1] == COL_CLASS));

    /* one and two threads: the same ranking */
    baiot_ranking *r1 = NULL, *r2 = NULL;
    int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    assert_int_equal(baiot_rank(v, &p, &r1), BAIOT_OK);
    omp_set_num_threads(2);
    assert_int_equal(baiot_rank(v, &p, &r2), BAIOT_OK);
    omp_set_num_threads(threads);
    assert_memory_equal(r1->order, r->order, (size_t)N_COLS * sizeof *r->order);
    assert_memory_equal(r2->order, r->order, (size_t)N_COLS * sizeof *r->order);
    assert_memory_equal(r1->correct, r->correct, (size_t)N_COLS * sizeof *r->correct);
    assert_memory_equal(r2->correct, r->correct, (size_t)N_COLS * sizeof *r->correct);
    assert_memory_equal(r1->merit, r->merit, (size_t)N_COLS * sizeof *r->merit);
    assert_memory_equal(r2->merit, r->merit, (size_t)N_COLS * sizeof *r->merit);
    baiot_ranking_free(r1);
    baiot_ranking_free(r2);

    baiot_folds_free(f);
    baiot_ranking_free(r);
    baiot_view_free(v);
}

static void test_rank(void **state)
{
    (void)state;
    for (int nc = 2; nc <= 4; nc++)
        for (int mb = 1; mb <= 6; mb += mb < 3 ? 2 : 3) {
            check_rank(200, nc, 10, 1, mb, 0);
            check_rank(200, nc, 10, 1, mb, 1);
            check_rank(157, nc, 5, 42, mb, 1);
        }
    check_rank(60, 2, 3, 7, 6, 1);
}

static void test_from_counts(void **state)
{
    (void)state;
    const int64_t correct[] = {5, 9, 9, 0, 10, 7};
    baiot_ranking *r = NULL;
    assert_int_equal(baiot_ranking_from_counts(6, correct, 10, &r), BAIOT_OK);
    assert_int_equal(r->n, 6);
    assert_int_equal(r->total, 10);
    for (int j = 0; j < 6; j++) {
        assert_int_equal(r->correct[j], correct[j]);
        assert_true(fabs(r->merit[j] - 10.0 * (double)correct[j]) < 1e-12);
    }
    check_order(r);
    assert_int_equal(r->order[0], 4);
    assert_true((r->order[1] == 1 && r->order[2] == 2) || (r->order[1] == 2 && r->order[2] == 1));
    assert_int_equal(r->order[3], 5);
    assert_int_equal(r->order[4], 0);
    assert_int_equal(r->order[5], 3);
    baiot_ranking_free(r);

    assert_int_equal(baiot_ranking_from_counts(0, correct, 0, &r), BAIOT_OK);
    assert_int_equal(r->n, 0);
    baiot_ranking_free(r);
    baiot_ranking_free(NULL);
}

static void test_arguments(void **state)
{
    (void)state;
    baiot_view *v = make_view(30, 2, 0);
    baiot_rank_params p = baiot_rank_params_default();
    assert_int_equal(p.folds, 10);
    assert_int_equal(p.seed, 1);
    assert_int_equal(p.min_bucket, 6);
    baiot_ranking *r = (baiot_ranking *)&r;
    p.folds = 1;
    assert_int_equal(baiot_rank(v, &p, &r), BAIOT_ERR_ARG);
    assert_null(r);
    p = baiot_rank_params_default();
    p.folds = 31; /* more folds than rows */
    r = (baiot_ranking *)&r;
    assert_int_equal(baiot_rank(v, &p, &r), BAIOT_ERR_ARG);
    assert_null(r);
    p = baiot_rank_params_default();
    p.min_bucket = 0;
    r = (baiot_ranking *)&r;
    assert_int_equal(baiot_rank(v, &p, &r), BAIOT_ERR_ARG);
    assert_null(r);
    v->n_classes = 0;
    r = (baiot_ranking *)&r;
    assert_int_equal(baiot_rank(v, NULL, &r), BAIOT_ERR_ARG);
    assert_null(r);
    baiot_view_free(v);
}

/* Walks every allocation of baiot_rank on t threads: a clean run counts
 * them, then each failing in turn must give BAIOT_ERR_MEMORY and no
 * ranking.  Returns the number of allocation points. */
static uint64_t walk_rank_failures(const baiot_view *v, int t)
{
    int threads = omp_get_max_threads();
    omp_set_num_threads(t);
    baiot_ranking *good = NULL;
    baiot_alloc_fail_at(0);
    assert_int_equal(baiot_rank(v, NULL, &good), BAIOT_OK);
    uint64_t count = baiot_alloc_fail_at(0);
    assert_true(count > 5);
    for (uint64_t k = 1; k <= count; k++) {
        baiot_ranking *r = (baiot_ranking *)&r;
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_rank(v, NULL, &r);
        baiot_alloc_fail_at(0);
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(r);
    }
    omp_set_num_threads(threads);
    baiot_ranking_free(good);
    return count;
}

static void test_alloc_failure(void **state)
{
    (void)state;
    baiot_view *v = make_view(80, 3, 1);
    uint64_t c1 = walk_rank_failures(v, 1);
    uint64_t c2 = walk_rank_failures(v, 2);
    print_message("rank: failed cleanly at each of its %llu allocation points (1 thread), %llu (2 threads)\n",
                  (unsigned long long)c1, (unsigned long long)c2);
    baiot_view_free(v);

    const int64_t correct[] = {1, 2, 3};
    uint64_t k;
    for (k = 1;; k++) {
        baiot_ranking *r = (baiot_ranking *)&r;
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_ranking_from_counts(3, correct, 4, &r);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) {
            assert_int_equal(r->order[0], 2);
            baiot_ranking_free(r);
            break;
        }
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(r);
        assert_true(k < 100);
    }
    print_message("ranking_from_counts: failed cleanly at each of its %llu allocation points\n",
                  (unsigned long long)(k - 1));
    assert_int_equal(k - 1, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank),
        cmocka_unit_test(test_from_counts),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
