/*
 * oner_groups.c - a numeric column prepared for OneR (see oner_groups.h).
 *
 * Three steps, each one pass: gather (rows with a class: a missing value
 * is counted per class and fold, a present one is listed and counted per
 * fold), sort the listed rows by value (stable radix sort, so rows of one
 * value stay in input order), then cut the sorted rows into groups of
 * equal values with their class counts.  With folds, a counting sort by
 * fold then lists each fold's rows as (group, class) pairs, still in value
 * order, which is what baiot_oner_build_numeric_grouped needs for the fold's
 * left-out rows.  The gather is specialised (always inlined with constant
 * flags) for a row list or not and folds or not, so the ranking's loop
 * over all rows stays as tight as before.  Covered by tests/unit/test_oner.c.
 */
#include "kernels/oner_groups.h"

#include <math.h>
#include <string.h>

baiot_status baiot_oner_groups_alloc(baiot_oner_groups *g, int64_t n, int n_classes, int k)
{
    size_t nn = (size_t)(n > 0 ? n : 1), nc = (size_t)n_classes;
    memset(g, 0, sizeof *g);
    if (k < 0 || k > BAIOT_ONER_GROUPS_MAX_FOLDS || n_classes < 1)
        return baiot_fail(BAIOT_ERR_ARG, "OneR groups: %d folds, %d classes", k, n_classes);
    g->row = baiot_malloc(nn * sizeof *g->row);
    g->value = baiot_malloc(nn * sizeof *g->value);
    g->total = baiot_malloc(nn * nc * sizeof *g->total);
    g->miss = baiot_calloc((size_t)(k + 1) * nc, sizeof *g->miss);
    if (k > 0) {
        g->fold_start = baiot_malloc((size_t)(k + 1) * sizeof *g->fold_start);
        g->test_group = baiot_malloc(nn * sizeof *g->test_group);
        g->test_y = baiot_malloc(nn * sizeof *g->test_y);
    }
    if (!g->row || !g->value || !g->total || !g->miss ||
        (k > 0 && (!g->fold_start || !g->test_group || !g->test_y)) ||
        baiot_sort_workspace_alloc(&g->sort, n) != BAIOT_OK) {
        baiot_oner_groups_free(g);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for OneR on %lld rows", (long long)nn);
    }
    g->capacity = (int64_t)nn;
    g->n_classes = n_classes;
    g->k = k;
    return BAIOT_OK;
}

void baiot_oner_groups_free(baiot_oner_groups *g)
{
    baiot_free(g->row);
    baiot_free(g->value);
    baiot_free(g->total);
    baiot_free(g->miss);
    baiot_free(g->fold_start);
    baiot_free(g->test_group);
    baiot_free(g->test_y);
    baiot_sort_workspace_free(&g->sort);
    memset(g, 0, sizeof *g);
}

/* Gather: lists the rows with a value and a class in g->row, counts the
 * rows without a value in g->miss (and, with_folds, the listed rows per
 * fold in fold_start[f + 1]); returns how many were listed.  Inlined with
 * constant flags, one specialised loop per caller. */
static inline __attribute__((always_inline)) int64_t gather(baiot_oner_groups *g, const double *x, const int *y,
                                                            const int64_t *rows, int64_t n, const int8_t *fold_of,
                                                            int with_rows, int with_folds)
{
    int nc = g->n_classes, k = g->k;
    int64_t m = 0, *miss = g->miss, *all = g->miss + (int64_t)k * nc, *fs = g->fold_start;
    for (int64_t i = 0; i < n; i++) {
        int64_t r = with_rows ? rows[i] : i;
        if (y[r] < 0)
            continue;
        if (isnan(x[r])) {
            if (with_folds)
                miss[(int64_t)fold_of[r] * nc + y[r]]++;
            all[y[r]]++;
        } else {
            g->row[m++] = (int32_t)r;
            if (with_folds)
                fs[fold_of[r] + 1]++;
        }
    }
    return m;
}

void baiot_oner_groups_build(baiot_oner_groups *g, const double *x, const int *y, const int64_t *rows, int64_t n,
                             const int8_t *fold_of)
{
    int nc = g->n_classes, k = g->k;
    int64_t m, G = 0;
    int32_t *group_of = g->sort.idx; /* free again once the sort is done */

    memset(g->miss, 0, (size_t)(k + 1) * (size_t)nc * sizeof *g->miss);
    if (k > 0)
        for (int f = 0; f <= k; f++)
            g->fold_start[f] = 0;
    if (rows)
        m = k > 0 ? gather(g, x, y, rows, n, fold_of, 1, 1) : gather(g, x, y, rows, n, fold_of, 1, 0);
    else
        m = k > 0 ? gather(g, x, y, rows, n, fold_of, 0, 1) : gather(g, x, y, rows, n, fold_of, 0, 0);
    baiot_sort_workspace_sort(&g->sort, x, g->row, m);

    /* groups of equal values */
    for (int64_t i = 0; i < m; i++) {
        int32_t r = g->row[i];
        if (i == 0 || x[r] != g->value[G - 1]) {
            g->value[G] = x[r];
            memset(g->total + G * nc, 0, (size_t)nc * sizeof *g->total);
            G++;
        }
        g->total[(G - 1) * nc + y[r]]++;
        group_of[i] = (int32_t)(G - 1); /* group of sorted position i */
    }
    g->n_rows = m;
    g->n_groups = G;
    if (k == 0)
        return;

    /* each fold's rows as (group, class), in value order */
    int64_t fill[BAIOT_ONER_GROUPS_MAX_FOLDS];
    for (int f = 0; f < k; f++)
        g->fold_start[f + 1] += g->fold_start[f];
    for (int f = 0; f < k; f++)
        fill[f] = g->fold_start[f];
    for (int64_t i = 0; i < m; i++) {
        int32_t r = g->row[i];
        int64_t at = fill[fold_of[r]]++;
        g->test_group[at] = group_of[i];
        g->test_y[at] = y[r];
    }
}
