/*
 * cv.c - the cross-validation and holdout driver (see include/baiot/cv.h).
 *
 * Folds are made first (one Random stream, as Weka), then trained in
 * parallel (at most the learner's concurrency at once): each fold writes its test rows' distributions into its own
 * slice of one buffer, so the result does not depend on which thread ran
 * which fold.  The predictions go to the evaluation afterwards, fold by
 * fold in order, each fold after its training-set priors.  When the job
 * is spread over MPI ranks (baiot/dist.h) each rank trains the folds the
 * static plan gives it and the slices are summed across ranks (each value
 * comes from one rank, so the sum is exact): every rank then holds the
 * same predictions a single process would.
 * Covered by tests/cli/test_oner_golden.py and tests/cli/test_j48_golden.py
 * (against Weka, several thread counts) and tests/cli/test_mpi.py (over
 * ranks); the holdout only by tests/cli/test_cli_numbers.py's option checks.
 */
#include "baiot/cv.h"
#include "baiot/dist.h"
#include "baiot/progress.h"
#include "engine/weka/folds.h"

#include <omp.h>
#include <stdio.h>
#include <string.h>

typedef struct fold_job {
    baiot_status status;
    char message[512];
} fold_job;

static void class_counts(const baiot_view *v, const int64_t *rows, int64_t n, double *counts)
{
    memset(counts, 0, (size_t)v->n_classes * sizeof *counts);
    for (int64_t i = 0; i < n; i++)
        if (v->y[rows[i]] >= 0)
            counts[v->y[rows[i]]] += 1.0;
}

/* Trains on train rows, predicts test rows into dist (n_test x classes). */
static void run_fold(const baiot_view *v, const baiot_learner *L, const int64_t *train, int64_t n_train,
                     const int64_t *test, int64_t n_test, double *dist, fold_job *job)
{
    void *model = NULL;
    job->status = L->train(v, train, n_train, L->params, &model);
    if (job->status) {
        snprintf(job->message, sizeof job->message, "%s", baiot_last_error());
        return;
    }
    /* predicted in increasing row order, so that the model reads each
     * column forwards (rows in fold order hit a new cache line per value
     * read); each prediction goes to its place in fold order */
    int32_t *slot = n_test > 1 && v->n_rows <= INT32_MAX ? baiot_malloc((size_t)v->n_rows * sizeof *slot) : NULL;
    if (slot) {
        for (int64_t r = 0; r < v->n_rows; r++)
            slot[r] = -1;
        for (int64_t i = 0; i < n_test; i++)
            slot[test[i]] = (int32_t)i;
        for (int64_t r = 0; r < v->n_rows; r++)
            if (slot[r] >= 0)
                L->predict(model, v, r, dist + (int64_t)slot[r] * v->n_classes);
        baiot_free(slot);
    } else {
        for (int64_t i = 0; i < n_test; i++)
            L->predict(model, v, test[i], dist + i * v->n_classes);
    }
    L->free_model(model);
}

baiot_status baiot_cross_validate(const baiot_view *v, const baiot_learner *L, int k, int64_t seed,
                                  baiot_eval *eval)
{
    return baiot_cross_validate_ex(v, L, k, seed, eval, 0.0);
}

baiot_status baiot_cross_validate_ex(const baiot_view *v, const baiot_learner *L, int k, int64_t seed,
                                     baiot_eval *eval, double rank0_work)
{
    baiot_folds *folds = NULL;
    fold_job *jobs = NULL;
    double *dist = NULL, *counts = NULL, *cost = NULL, *preload = NULL;
    int *owner = NULL, *mine = NULL, n_mine = 0;
    int ranks = baiot_dist_size(), me = baiot_dist_rank();
    baiot_status st;
    if (k < 2 || k > v->n_rows)
        return baiot_fail(BAIOT_ERR_ARG, "%d folds need 2..%lld rows", k, (long long)v->n_rows);
    if ((st = baiot_folds_make(v->y, v->n_rows, v->n_classes, k, seed, &folds)))
        return st;
    jobs = baiot_calloc((size_t)k, sizeof *jobs);
    dist = baiot_calloc((size_t)v->n_rows * (size_t)v->n_classes, sizeof *dist);
    counts = baiot_malloc((size_t)v->n_classes * sizeof *counts);
    cost = baiot_malloc((size_t)k * sizeof *cost);
    preload = baiot_calloc((size_t)ranks, sizeof *preload);
    owner = baiot_malloc((size_t)k * sizeof *owner);
    mine = baiot_malloc((size_t)k * sizeof *mine);
    if (!jobs || !dist || !counts || !cost || !preload || !owner || !mine) {
        st = baiot_dist_check(baiot_fail(BAIOT_ERR_MEMORY, "out of memory for a %d-fold cross-validation", k));
        goto done;
    }
    /* the folds this rank trains (all of them in one process): a plan by
     * training rows, rank 0 preloaded with the work it has besides */
    for (int f = 0; f < k; f++)
        cost[f] = (double)(folds->n - folds->test_count[f]);
    preload[0] = rank0_work;
    baiot_dist_plan(cost, k, preload, owner);
    for (int f = 0; f < k; f++)
        if (owner[f] == me)
            mine[n_mine++] = f;
    /* fold f's test rows are order[test_first[f] ...], its predictions go
     * to the same positions of dist */
    int64_t folds_done = 0;
    int at_once = omp_get_max_threads();
    if (L->concurrency > 0 && L->concurrency < at_once)
        at_once = L->concurrency;
    baiot_progress("cross-validation", "folds", 0, n_mine);
#pragma omp parallel for schedule(dynamic, 1) num_threads(at_once) default(none) \
    shared(v, L, folds, jobs, dist, mine, n_mine, folds_done)
    for (int i = 0; i < n_mine; i++) {
        int f = mine[i];
        run_fold(v, L, folds->train[f], folds->n - folds->test_count[f], folds->order + folds->test_first[f],
                 folds->test_count[f], dist + folds->test_first[f] * v->n_classes, &jobs[f]);
        int64_t finished;
#pragma omp atomic capture
        finished = ++folds_done;
        baiot_progress("cross-validation", "folds", finished, n_mine);
    }
    for (int i = 0; i < n_mine; i++)
        if (jobs[mine[i]].status) {
            st = baiot_dist_check(baiot_fail(jobs[mine[i]].status, "fold %d: %s", mine[i] + 1, jobs[mine[i]].message));
            goto done;
        }
    /* every test row's distribution comes from exactly one rank: the sum is
     * exact */
    baiot_dist_sum_f64(dist, v->n_rows * (int64_t)v->n_classes);
    for (int f = 0; f < k && !st; f++) {
        class_counts(v, folds->train[f], folds->n - folds->test_count[f], counts);
        if ((st = baiot_eval_set_priors(eval, counts)))
            break;
        for (int64_t i = 0; i < folds->test_count[f] && !st; i++) {
            int64_t pos = folds->test_first[f] + i;
            st = baiot_eval_add(eval, v->y[folds->order[pos]], dist + pos * v->n_classes, 1.0);
        }
    }
done:
    baiot_free(mine);
    baiot_free(owner);
    baiot_free(preload);
    baiot_free(cost);
    baiot_free(counts);
    baiot_free(dist);
    baiot_free(jobs);
    baiot_folds_free(folds);
    return st;
}

baiot_status baiot_holdout(const baiot_view *v, const baiot_learner *L, double percent, int64_t seed,
                           baiot_eval *eval)
{
    int64_t *train = NULL, *test = NULL, n_train = 0, n_test = 0;
    double *dist = NULL, *counts = NULL;
    fold_job job = {0, ""};
    baiot_status st = baiot_split_make(v->n_rows, percent, seed, &train, &n_train, &test, &n_test);
    if (st)
        return st;
    dist = baiot_malloc((size_t)(n_test > 0 ? n_test : 1) * (size_t)v->n_classes * sizeof *dist);
    counts = baiot_malloc((size_t)v->n_classes * sizeof *counts);
    if (!dist || !counts) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for a holdout");
        goto done;
    }
    run_fold(v, L, train, n_train, test, n_test, dist, &job);
    if (job.status) {
        st = baiot_fail(job.status, "%s", job.message);
        goto done;
    }
    class_counts(v, train, n_train, counts);
    if ((st = baiot_eval_set_priors(eval, counts)))
        goto done;
    for (int64_t i = 0; i < n_test && !st; i++)
        st = baiot_eval_add(eval, v->y[test[i]], dist + i * v->n_classes, 1.0);
done:
    baiot_free(counts);
    baiot_free(dist);
    baiot_free(train);
    baiot_free(test);
    return st;
}
