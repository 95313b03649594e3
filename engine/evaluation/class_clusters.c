/*
 * class_clusters.c - classes-to-clusters evaluation of any clustering
 * (Weka's ClusterEvaluation.evaluateClustersWithRespectToClass;
 * include/baiot/evaluation.h): the class x cluster counts and the
 * one-to-one mapping of clusters to classes with the fewest errors.
 *
 * Guarantees: the mapping is the one Weka's exhaustive search finds first
 * among those of least errors (Weka's search order; branches that cannot
 * improve are cut, which does not change the result); a row with a
 * missing class (y < 0) counts as class 0, as in Weka 3.6.14 (it casts the
 * missing value, a NaN, to int: 0; docs/WEKA_COMPAT.md).  A failed
 * allocation returns
 * BAIOT_ERR_MEMORY with nothing allocated.
 * Covered by tests/unit/test_class_clusters.c and tests/cli/test_em_golden.py.
 */
#include "baiot/evaluation.h"

#include <stdint.h>
#include <string.h>

typedef struct mapsearch {
    int k, nc;
    const int64_t *counts, *totals;
    int *current, *best;
    int64_t best_err;
} mapsearch;

/* Weka's mapClasses: cluster lev gets "no class" first, then each class
 * present in it not used by an earlier cluster, in class order; a leaf with
 * fewer errors than the best so far replaces it.  Branches whose errors
 * already reach the best are cut (they can never replace it). */
static void map_classes(mapsearch *s, int lev, int64_t err)
{
    if (err >= s->best_err)
        return;
    if (lev == s->k) {
        s->best_err = err;
        memcpy(s->best, s->current, (size_t)s->k * sizeof *s->best);
        return;
    }
    if (s->totals[lev] == 0) {
        s->current[lev] = -1;
        map_classes(s, lev + 1, err);
        return;
    }
    s->current[lev] = -1;
    map_classes(s, lev + 1, err + s->totals[lev]);
    for (int c = 0; c < s->nc; c++) {
        if (s->counts[(int64_t)lev * s->nc + c] <= 0)
            continue;
        int used = 0;
        for (int j = 0; j < lev && !used; j++)
            used = s->current[j] == c;
        if (used)
            continue;
        s->current[lev] = c;
        map_classes(s, lev + 1, err + s->totals[lev] - s->counts[(int64_t)lev * s->nc + c]);
    }
}

void baiot_eval_c2c_free(baiot_eval_c2c *c)
{
    if (!c)
        return;
    baiot_free(c->counts);
    baiot_free(c->totals);
    baiot_free(c->cluster_class);
    memset(c, 0, sizeof *c);
}

baiot_status baiot_eval_classes_to_clusters(const int *y, int64_t n, int n_classes, const int *assign, int k,
                                            baiot_eval_c2c *out)
{
    memset(out, 0, sizeof *out);
    if (n_classes < 1)
        return baiot_fail(BAIOT_ERR_ARG, "classes-to-clusters needs a class");
    if (k < 1 || n < 0)
        return baiot_fail(BAIOT_ERR_ARG, "classes-to-clusters needs at least one cluster");
    out->k = k;
    out->n_classes = n_classes;
    out->n = n;
    out->counts = baiot_calloc((size_t)k * n_classes, sizeof *out->counts);
    out->totals = baiot_calloc((size_t)k, sizeof *out->totals);
    out->cluster_class = baiot_malloc((size_t)k * sizeof *out->cluster_class);
    int *cur = baiot_malloc((size_t)k * sizeof *cur);
    if (!out->counts || !out->totals || !out->cluster_class || !cur) {
        baiot_free(cur);
        baiot_eval_c2c_free(out);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    for (int64_t i = 0; i < n; i++) {
        int cls = y[i] >= 0 ? y[i] : 0; /* Weka: (int) NaN == 0 */
        out->counts[(int64_t)assign[i] * n_classes + cls]++;
        out->totals[assign[i]]++;
    }
    mapsearch s = {k, n_classes, out->counts, out->totals, cur, out->cluster_class, INT64_MAX};
    for (int c = 0; c < k; c++)
        out->cluster_class[c] = -1;
    map_classes(&s, 0, 0);
    out->incorrect = s.best_err;
    baiot_free(cur);
    return BAIOT_OK;
}
