/*
 * test_cv.c - the cross-validation and holdout driver
 * (engine/evaluation/cv.c, include/baiot/cv.h).
 *
 * A recording learner checks the plumbing: each fold trains on a list of
 * distinct rows, predicts only rows outside it, exactly as many as it left
 * out; over the k folds every row is predicted exactly once and the
 * training lists hold (k - 1) n rows; a learner that predicts each row's own
 * class makes the evaluation 100% correct with the class counts on the
 * confusion matrix's diagonal (so each row's prediction reaches the
 * evaluation with its own actual class).  The holdout: train and test
 * partition the rows, round(n P / 100) training rows.  OneR and J48 give
 * bit-identical figures on 1 and 2 threads.  A failing learner's status
 * comes back.  Each allocation of a cross-validation and of a holdout
 * failing in turn gives BAIOT_ERR_MEMORY (or, where the driver has a
 * fallback, the same figures as without the failure).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "baiot/cv.h"
#include "baiot/evaluation.h"
#include "baiot/j48.h"
#include "baiot/oner.h"
#include "baiot/view.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_RNG_SEED 0x7A3C9E1B5D2F4A68ULL
#include "unit_testlib.h"

/* n rows, 3 numeric columns loosely tied to the class, nc classes, ~5% of
 * rows without a class and a few missing values. */
static baiot_view *make_view(int64_t n, int nc)
{
    baiot_view *v = NULL;
    assert_int_equal(baiot_view_alloc(n, 3, &v), BAIOT_OK);
    v->n_classes = nc;
    for (int64_t r = 0; r < n; r++) {
        int y = (int)(rnd() % (uint64_t)nc);
        v->y[r] = rnd() % 20 == 0 ? -1 : y;
        v->cols[0][r] = y + unif() * 1.5;
        v->cols[1][r] = unif() * 10;
        v->cols[2][r] = rnd() % 10 == 0 ? NAN : (double)((y + (int)(rnd() % 2)) % nc);
    }
    return v;
}

/* ---- the recording learner ---- */

static int *tested;          /* per row: times predicted */
static int64_t train_total;  /* training rows over all folds */
static int bad_train, bad_predict, bad_count;

typedef struct rec_model {
    const baiot_view *v;
    unsigned char *in_train;
    int64_t n_train, predicted;
} rec_model;

static baiot_status rec_train(const baiot_view *v, const int64_t *rows, int64_t n, const void *params, void **model)
{
    (void)params;
    rec_model *m = calloc(1, sizeof *m);
    m->v = v;
    m->in_train = calloc((size_t)v->n_rows, 1);
    m->n_train = n;
    for (int64_t i = 0; i < n; i++) {
        if (rows[i] < 0 || rows[i] >= v->n_rows || m->in_train[rows[i]]) {
#pragma omp atomic write
            bad_train = 1;
            continue;
        }
        m->in_train[rows[i]] = 1;
    }
#pragma omp atomic
    train_total += n;
    *model = m;
    return BAIOT_OK;
}

/* Predicts the row's own class (uniform when it has none). */
static void rec_predict(const void *model, const baiot_view *v, int64_t r, double *dist)
{
    rec_model *m = (rec_model *)model;
    if (m->in_train[r]) {
#pragma omp atomic write
        bad_predict = 1;
    }
#pragma omp atomic
    tested[r]++;
    m->predicted++;
    for (int c = 0; c < v->n_classes; c++)
        dist[c] = v->y[r] < 0 ? 1.0 / v->n_classes : (c == v->y[r]);
}

static void rec_free(void *model)
{
    rec_model *m = model;
    if (m->predicted != m->v->n_rows - m->n_train) {
#pragma omp atomic write
        bad_count = 1;
    }
    free(m->in_train);
    free(m);
}

static const baiot_learner rec_learner = {"recorder", NULL, rec_train, rec_predict, rec_free, 0};

static void reset_record(int64_t n)
{
    free(tested);
    tested = calloc((size_t)n, sizeof *tested);
    train_total = 0;
    bad_train = bad_predict = bad_count = 0;
}

static void check_perfect(baiot_eval *e, const baiot_view *v)
{
    const baiot_eval_results *res = NULL;
    assert_int_equal(baiot_eval_compute(e, &res), BAIOT_OK);
    int64_t with_class = 0, per_class[8] = {0};
    for (int64_t r = 0; r < v->n_rows; r++)
        if (v->y[r] >= 0) {
            with_class++;
            per_class[v->y[r]]++;
        }
    assert_int_equal(res->n_predictions, v->n_rows);
    assert_true(res->correct == (double)with_class);
    assert_true(res->incorrect == 0);
    assert_true(res->missing_class == (double)(v->n_rows - with_class));
    for (int a = 0; a < v->n_classes; a++)
        for (int p = 0; p < v->n_classes; p++)
            assert_true(res->confusion[a * v->n_classes + p] == (a == p ? (double)per_class[a] : 0.0));
}

static void check_partition(int64_t n, int nc, int k, int64_t seed, int threads)
{
    baiot_view *v = make_view(n, nc);
    baiot_eval *e = NULL;
    assert_int_equal(baiot_eval_create(nc, NULL, &e), BAIOT_OK);
    reset_record(n);
    int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    assert_int_equal(baiot_cross_validate(v, &rec_learner, k, seed, e), BAIOT_OK);
    omp_set_num_threads(saved);
    assert_int_equal(bad_train, 0);
    assert_int_equal(bad_predict, 0);
    assert_int_equal(bad_count, 0);
    assert_int_equal(train_total, (int64_t)(k - 1) * n);
    for (int64_t r = 0; r < n; r++)
        assert_int_equal(tested[r], 1);
    check_perfect(e, v);
    baiot_eval_free(e);
    baiot_view_free(v);
}

static void test_folds_partition(void **state)
{
    (void)state;
    check_partition(100, 2, 10, 1, 1);
    check_partition(100, 2, 10, 1, 2);
    check_partition(97, 3, 7, 5, 2);
    check_partition(12, 4, 12, 3, 2); /* leave-one-out */
    check_partition(5, 2, 2, 9, 1);
}

static void check_holdout(int64_t n, double percent, int64_t seed)
{
    baiot_view *v = make_view(n, 3);
    baiot_eval *e = NULL;
    assert_int_equal(baiot_eval_create(3, NULL, &e), BAIOT_OK);
    reset_record(n);
    assert_int_equal(baiot_holdout(v, &rec_learner, percent, seed, e), BAIOT_OK);
    assert_int_equal(bad_train, 0);
    assert_int_equal(bad_predict, 0);
    assert_int_equal(bad_count, 0);
    /* Java's Math.round: floor(x + 0.5) */
    assert_int_equal(train_total, (int64_t)floor((double)n * percent / 100 + 0.5));
    int64_t predicted = 0;
    for (int64_t r = 0; r < n; r++) {
        assert_true(tested[r] <= 1);
        predicted += tested[r];
    }
    assert_int_equal(predicted, n - train_total);
    const baiot_eval_results *res = NULL;
    assert_int_equal(baiot_eval_compute(e, &res), BAIOT_OK);
    assert_int_equal(res->n_predictions, n - train_total);
    assert_true(res->incorrect == 0);
    baiot_eval_free(e);
    baiot_view_free(v);
}

static void test_holdout_partition(void **state)
{
    (void)state;
    check_holdout(100, 66, 1);
    check_holdout(101, 50, 3);
    check_holdout(7, 10, 2);
}

/* ---- 1 and 2 threads ---- */

static void run_cv(const baiot_view *v, const baiot_learner *L, int k, int threads, baiot_eval **out)
{
    int saved = omp_get_max_threads();
    assert_int_equal(baiot_eval_create(v->n_classes, NULL, out), BAIOT_OK);
    omp_set_num_threads(threads);
    assert_int_equal(baiot_cross_validate(v, L, k, 1, *out), BAIOT_OK);
    omp_set_num_threads(saved);
}

static void assert_same_bits(double a, double b)
{
    assert_memory_equal(&a, &b, sizeof a);
}

static void assert_same_results(baiot_eval *e1, baiot_eval *e2, int nc)
{
    const baiot_eval_results *a = NULL, *b = NULL;
    assert_int_equal(baiot_eval_compute(e1, &a), BAIOT_OK);
    assert_int_equal(baiot_eval_compute(e2, &b), BAIOT_OK);
    assert_int_equal(a->n_predictions, b->n_predictions);
    assert_same_bits(a->correct, b->correct);
    assert_same_bits(a->kappa, b->kappa);
    assert_same_bits(a->mean_absolute_error, b->mean_absolute_error);
    assert_same_bits(a->root_mean_squared_error, b->root_mean_squared_error);
    assert_same_bits(a->relative_absolute_error, b->relative_absolute_error);
    assert_same_bits(a->root_relative_squared_error, b->root_relative_squared_error);
    assert_memory_equal(a->confusion, b->confusion, (size_t)nc * (size_t)nc * sizeof *a->confusion);
    for (int c = 0; c < nc; c++)
        assert_same_bits(a->per_class[c].roc_area, b->per_class[c].roc_area);
    assert_same_bits(a->weighted.roc_area, b->weighted.roc_area);
}

static void test_threads(void **state)
{
    (void)state;
    baiot_view *v = make_view(600, 3);
    baiot_oner_params op = baiot_oner_params_default();
    baiot_j48_params jp = baiot_j48_params_default();
    baiot_learner learners[2] = {baiot_oner_learner(&op), baiot_j48_learner(&jp)};
    for (int l = 0; l < 2; l++) {
        baiot_eval *e1 = NULL, *e2 = NULL;
        run_cv(v, &learners[l], 10, 1, &e1);
        run_cv(v, &learners[l], 10, 2, &e2);
        assert_same_results(e1, e2, 3);
        const baiot_eval_results *res = NULL;
        assert_int_equal(baiot_eval_compute(e1, &res), BAIOT_OK);
        assert_int_equal(res->n_predictions, 600);
        assert_true(res->pct_correct > 50); /* column 0 separates the classes */
        baiot_eval_free(e1);
        baiot_eval_free(e2);
    }
    baiot_view_free(v);
}

/* ---- failures ---- */

static int fail_calls;

static baiot_status failing_train(const baiot_view *v, const int64_t *rows, int64_t n, const void *params,
                                  void **model)
{
    int call;
#pragma omp atomic capture
    call = ++fail_calls;
    if (call == 3) {
        *model = NULL;
        return baiot_fail(BAIOT_ERR_NUMERIC, "made to fail");
    }
    return rec_train(v, rows, n, params, model);
}

static const baiot_learner failing_learner = {"failing", NULL, failing_train, rec_predict, rec_free, 0};

static void test_learner_failure(void **state)
{
    (void)state;
    baiot_view *v = make_view(50, 2);
    baiot_eval *e = NULL;
    assert_int_equal(baiot_eval_create(2, NULL, &e), BAIOT_OK);
    reset_record(50);
    fail_calls = 0;
    assert_int_equal(baiot_cross_validate(v, &failing_learner, 5, 1, e), BAIOT_ERR_NUMERIC);
    fail_calls = 2;
    assert_int_equal(baiot_holdout(v, &failing_learner, 66, 1, e), BAIOT_ERR_NUMERIC);
    /* bad fold counts */
    assert_int_equal(baiot_cross_validate(v, &rec_learner, 1, 1, e), BAIOT_ERR_ARG);
    assert_int_equal(baiot_cross_validate(v, &rec_learner, 51, 1, e), BAIOT_ERR_ARG);
    baiot_eval_free(e);
    baiot_view_free(v);
}

/* Every allocation of a cross-validation (holdout when percent > 0) with
 * OneR failing in turn, on one thread. */
static uint64_t walk_failures(const baiot_view *v, double percent)
{
    baiot_oner_params op = baiot_oner_params_default();
    baiot_learner L = baiot_oner_learner(&op);
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    baiot_eval *good = NULL;
    assert_int_equal(baiot_eval_create(v->n_classes, NULL, &good), BAIOT_OK);
    baiot_alloc_fail_at(0);
    assert_int_equal(percent > 0 ? baiot_holdout(v, &L, percent, 1, good) : baiot_cross_validate(v, &L, 5, 1, good),
                     BAIOT_OK);
    uint64_t count = baiot_alloc_fail_at(0), failed = 0;
    assert_true(count > 5);
    for (uint64_t k = 1; k <= count; k++) {
        baiot_eval *e = NULL;
        assert_int_equal(baiot_eval_create(v->n_classes, NULL, &e), BAIOT_OK);
        baiot_alloc_fail_at(k);
        baiot_status st = percent > 0 ? baiot_holdout(v, &L, percent, 1, e) : baiot_cross_validate(v, &L, 5, 1, e);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) { /* a fallback: the same figures */
            assert_same_results(e, good, v->n_classes);
        } else {
            assert_int_equal(st, BAIOT_ERR_MEMORY);
            failed++;
        }
        baiot_eval_free(e);
    }
    omp_set_num_threads(saved);
    baiot_eval_free(good);
    assert_true(failed > 5);
    return count;
}

static void test_alloc_failure(void **state)
{
    (void)state;
    baiot_view *v = make_view(60, 3);
    uint64_t cv = walk_failures(v, 0), ho = walk_failures(v, 66);
    print_message("cv: each of %llu allocation points (5 folds, OneR) and %llu of a holdout gave "
                  "BAIOT_ERR_MEMORY or the same figures\n",
                  (unsigned long long)cv, (unsigned long long)ho);
    baiot_view_free(v);
    free(tested);
    tested = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folds_partition),
        cmocka_unit_test(test_holdout_partition),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_learner_failure),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
