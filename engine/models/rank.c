/*
 * rank.c - OneRAttributeEval + Ranker (see include/baiot/rank.h).
 *
 * Folds are made once (engine/weka/folds.c) and turned into a fold id per row.
 * Then, per attribute (OpenMP, dynamic schedule): the rows with a value and
 * a class are sorted by value once (radix sort) and cut into groups of
 * equal values with their class counts; each fold's OneR rule is built from
 * those groups minus the fold's own rows (kernels/oner.c), and the fold's
 * rows, listed in value order, are then classified in one pass
 * (kernels/oner_groups.c prepares the column).  Rows with a missing value
 * go to the rule's missing branch.  All counts are integers, so the merits
 * do not depend on the thread count.  Covered by tests/unit/test_rank.c
 * and tests/cli/test_rank_golden.py (Weka's own output).
 */
#include "baiot/rank.h"
#include "engine/weka/folds.h"
#include "engine/weka/weka_sort.h"
#include "kernels/oner.h"
#include "kernels/oner_groups.h"

#include <math.h>
#include <omp.h>
#include "baiot/progress.h"
#include <string.h>

baiot_rank_params baiot_rank_params_default(void)
{
    baiot_rank_params p;
    p.folds = 10;
    p.seed = 1;
    p.min_bucket = 6;
    return p;
}

void baiot_ranking_free(baiot_ranking *r)
{
    if (!r)
        return;
    baiot_free(r->order);
    baiot_free(r->merit);
    baiot_free(r->correct);
    baiot_free(r);
}

/* OneRAttributeEval's merit: the cross-validated accuracy in %. */
static double merit_of(int64_t correct, int64_t total)
{
    return total > 0 ? 100.0 * (1.0 - (double)(total - correct) / (double)total) : 0.0;
}

/* Ranker: Weka's ascending index sort of the merits, read backwards. */
static baiot_status order_ranking(baiot_ranking *r)
{
    int *asc = baiot_malloc((size_t)(r->n > 0 ? r->n : 1) * sizeof *asc);
    if (!asc)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    baiot_weka_sort_indices(r->merit, r->n, asc);
    for (int i = 0; i < r->n; i++)
        r->order[i] = asc[r->n - 1 - i];
    baiot_free(asc);
    return BAIOT_OK;
}

baiot_status baiot_ranking_from_counts(int n, const int64_t *correct, int64_t total, baiot_ranking **out)
{
    baiot_ranking *r = baiot_calloc(1, sizeof *r);
    *out = NULL;
    if (!r || !(r->order = baiot_malloc((size_t)(n + 1) * sizeof *r->order)) ||
        !(r->merit = baiot_calloc((size_t)(n + 1), sizeof *r->merit)) ||
        !(r->correct = baiot_calloc((size_t)(n + 1), sizeof *r->correct))) {
        baiot_ranking_free(r);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for the ranking");
    }
    r->n = n;
    r->total = total;
    for (int j = 0; j < n; j++) {
        r->correct[j] = correct[j];
        r->merit[j] = merit_of(correct[j], total);
    }
    baiot_status st = order_ranking(r);
    if (st) {
        baiot_ranking_free(r);
        return st;
    }
    *out = r;
    return BAIOT_OK;
}

/* Per-thread workspace, sized for the whole view once. */
typedef struct workspace {
    baiot_oner_groups groups; /* a numeric column sorted, grouped and split by fold */
    double *breaks;
    int *classes;
    int64_t *nominal;   /* (k + 1) x (values + 1) x classes: per fold, then total */
    int64_t *train_counts; /* (values + 1) x classes: one fold's training counts */
    int64_t *scratch;   /* 3 x n_classes */
} workspace;

static void ws_free(workspace *w)
{
    baiot_oner_groups_free(&w->groups);
    baiot_free(w->breaks);
    baiot_free(w->classes);
    baiot_free(w->nominal);
    baiot_free(w->train_counts);
    baiot_free(w->scratch);
}

static int ws_alloc(workspace *w, int64_t n, int k, int n_classes, int max_values)
{
    memset(w, 0, sizeof *w);
    size_t nn = (size_t)(n > 0 ? n : 1);
    w->breaks = baiot_malloc((nn + (size_t)max_values + 1) * sizeof *w->breaks);
    w->classes = baiot_malloc((nn + (size_t)max_values + 1) * sizeof *w->classes);
    w->nominal = baiot_calloc((size_t)(k + 1) * (size_t)(max_values + 1) * (size_t)n_classes, sizeof *w->nominal);
    w->train_counts = baiot_malloc((size_t)(max_values + 1) * (size_t)n_classes * sizeof *w->train_counts);
    w->scratch = baiot_malloc(3 * (size_t)n_classes * sizeof *w->scratch);
    return w->train_counts && w->breaks && w->classes && w->nominal && w->scratch &&
           baiot_oner_groups_alloc(&w->groups, n, n_classes, k) == BAIOT_OK;
}

/* Correct rows over all folds for numeric column x.  The column is sorted
 * once and cut into groups of equal values with their class counts; each
 * fold's rows are listed (group, class) in group order (kernels/
 * oner_groups.c), so a fold's rule costs O(groups + fold rows) and its
 * test O(fold rows). */
static int64_t rank_numeric(const double *x, const int *y, const int8_t *fold_of, int64_t n, int k, int nc,
                            int min_bucket, workspace *w)
{
    const baiot_oner_groups *g = &w->groups;
    int64_t correct = 0;
    baiot_oner_groups_build(&w->groups, x, y, NULL, n, fold_of);

    oner_rule rule;
    rule.breaks = w->breaks;
    rule.classes = w->classes;
    int64_t train_miss[256];
    for (int f = 0; f < k; f++) {
        const int32_t *tg = g->test_group + g->fold_start[f], *tyf = g->test_y + g->fold_start[f];
        int64_t nt = g->fold_start[f + 1] - g->fold_start[f];
        for (int c = 0; c < nc; c++)
            train_miss[c] = g->miss[(int64_t)k * nc + c] - g->miss[(int64_t)f * nc + c];
        baiot_oner_build_numeric_grouped(g->value, g->total, g->n_groups, tg, tyf, nt, train_miss, nc, min_bucket,
                                   w->scratch, &rule);
        correct += baiot_oner_count_correct_grouped(&rule, g->value, tg, tyf, nt);
        int mc = rule.missing_class >= 0 ? rule.missing_class : 0;
        correct += g->miss[(int64_t)f * nc + mc];
    }
    return correct;
}

/* Correct rows over all folds for nominal column x with n_values values. */
static int64_t rank_nominal(const double *x, const int *y, const int8_t *fold_of, int64_t n, int k, int nc,
                            int n_values, workspace *w)
{
    int64_t stride = (int64_t)(n_values + 1) * nc; /* value n_values = missing */
    int64_t correct = 0;
    memset(w->nominal, 0, (size_t)(k + 1) * (size_t)stride * sizeof *w->nominal);
    for (int64_t i = 0; i < n; i++) {
        if (y[i] < 0)
            continue;
        int v = isnan(x[i]) ? n_values : (int)x[i];
        w->nominal[(int64_t)fold_of[i] * stride + (int64_t)v * nc + y[i]]++;
        w->nominal[(int64_t)k * stride + (int64_t)v * nc + y[i]]++;
    }
    oner_rule rule;
    rule.breaks = w->breaks;
    rule.classes = w->classes;
    int64_t *tc = w->train_counts;
    for (int f = 0; f < k; f++) {
        for (int64_t j = 0; j < stride; j++)
            tc[j] = w->nominal[(int64_t)k * stride + j] - w->nominal[(int64_t)f * stride + j];
        baiot_oner_build_nominal(tc, n_values, tc + (int64_t)n_values * nc, nc, &rule);
        const int64_t *fc = w->nominal + (int64_t)f * stride;
        for (int v = 0; v < n_values; v++)
            correct += fc[(int64_t)v * nc + rule.classes[v]];
        int mc = rule.missing_class >= 0 ? rule.missing_class : 0;
        correct += fc[(int64_t)n_values * nc + mc];
    }
    return correct;
}

baiot_status baiot_rank(const baiot_view *v, const baiot_rank_params *params, baiot_ranking **out)
{
    baiot_rank_params defaults = baiot_rank_params_default();
    baiot_folds *folds = NULL;
    baiot_ranking *r = NULL;
    int8_t *fold_of = NULL;
    baiot_status st = BAIOT_OK;
    int max_values = 0;

    *out = NULL;
    if (!params)
        params = &defaults;
    if (params->folds < 2 || params->folds > 100)
        return baiot_fail(BAIOT_ERR_ARG, "folds must be 2..100, not %d", params->folds);
    if (v->n_rows > INT32_MAX)
        return baiot_fail(BAIOT_ERR_ARG, "ranking handles at most %d rows", INT32_MAX);
    if (params->min_bucket < 1)
        return baiot_fail(BAIOT_ERR_ARG, "the minimum bucket size must be at least 1");
    if (v->n_classes < 1 || v->n_classes > 256)
        return baiot_fail(BAIOT_ERR_ARG, "OneR ranking needs 1..256 classes, not %d", v->n_classes);
    if (v->n_rows < params->folds)
        return baiot_fail(BAIOT_ERR_ARG, "%lld rows cannot make %d folds", (long long)v->n_rows, params->folds);
    for (int j = 0; j < v->n_cols; j++)
        if (v->attrs[j].kind == BAIOT_ATTR_NOMINAL && v->attrs[j].n_values > max_values)
            max_values = v->attrs[j].n_values;

    if ((st = baiot_folds_make(v->y, v->n_rows, v->n_classes, params->folds, params->seed, &folds)))
        return st;
    r = baiot_calloc(1, sizeof *r);
    fold_of = baiot_malloc((size_t)v->n_rows * sizeof *fold_of);
    if (!r || !fold_of || !(r->order = baiot_malloc((size_t)(v->n_cols + 1) * sizeof *r->order)) ||
        !(r->merit = baiot_calloc((size_t)(v->n_cols + 1), sizeof *r->merit)) ||
        !(r->correct = baiot_calloc((size_t)(v->n_cols + 1), sizeof *r->correct))) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for the ranking");
        goto done;
    }
    r->n = v->n_cols;
    for (int f = 0; f < folds->k; f++)
        for (int64_t i = 0; i < folds->test_count[f]; i++)
            fold_of[folds->order[folds->test_first[f] + i]] = (int8_t)f;
    for (int64_t i = 0; i < v->n_rows; i++)
        r->total += v->y[i] >= 0;

    int failed = 0;
    int64_t columns_done = 0;
#pragma omp parallel default(none) shared(v, params, folds, fold_of, r, failed, max_values, columns_done)
    {
        workspace w;
        int ok = ws_alloc(&w, v->n_rows, folds->k, v->n_classes, max_values);
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp barrier
        if (!failed) {
#pragma omp for schedule(dynamic, 1)
            for (int j = 0; j < v->n_cols; j++) {
                const baiot_attr *a = &v->attrs[j];
                r->correct[j] = a->kind == BAIOT_ATTR_NOMINAL
                                    ? rank_nominal(v->cols[j], v->y, fold_of, v->n_rows, folds->k, v->n_classes,
                                                   a->n_values, &w)
                                    : rank_numeric(v->cols[j], v->y, fold_of, v->n_rows, folds->k, v->n_classes,
                                                   params->min_bucket, &w);
                r->merit[j] = merit_of(r->correct[j], r->total);
                int64_t finished;
#pragma omp atomic capture
                finished = ++columns_done;
                baiot_progress("rank", "columns", finished, v->n_cols);
            }
        }
        ws_free(&w);
    }
    if (failed) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for the ranking's workspaces");
        goto done;
    }
    if ((st = order_ranking(r)))
        goto done;
    *out = r;
    r = NULL;
done:
    baiot_ranking_free(r);
    baiot_free(fold_of);
    baiot_folds_free(folds);
    return st;
}
