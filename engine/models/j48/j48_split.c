/*
 * j48_split.c - J48's splits: which column's candidate split a node takes
 * (C45ModelSelection), the threshold Weka prints and tests (setSplitPoint),
 * and routing data through a split node, missing values to every branch
 * with their weight scaled by the branch's share (Weka's split of
 * instances and addInstWithUnknown).
 *
 * Used by both growers and by pruning (subtree raising re-routes a node's
 * data).  Guarantees: the choice is made serially in column order, so it
 * never depends on the thread count; routing keeps the instances' order
 * in every child.  Read-only on the context, thread-safe.  Covered by
 * tests/unit/test_j48_model.c and the J48 goldens
 * (tests/cli/test_j48_golden.py).
 */
#include "engine/models/j48/j48_internal.h"

#include <float.h>

/* Adds the rows with a missing value of column j to d, each spread over
 * the bags in proportion to the known bag weights (addInstWithUnknown). */
void baiot_j48_add_unknown(const ctx *C, dist *d, int j, const int64_t *rows, const double *w, int64_t m,
                           double *probs)
{
    const double *x = C->v->cols[j];
    for (int b = 0; b < d->nb; b++)
        probs[b] = c45_eq(d->total, 0) ? 1.0 / d->nb : d->pb[b] / d->total;
    if (C->fast)
        return; /* no training value is missing */
    for (int64_t i = 0; i < m; i++) {
        if (!isnan(x[rows[i]]))
            continue;
        int c = C->v->y[rows[i]];
        d->pc[c] += w[i];
        d->total += w[i];
        for (int b = 0; b < d->nb; b++) {
            double nw = probs[b] * w[i];
            d->pcb[(int64_t)b * d->nc + c] += nw;
            d->pb[b] += nw;
        }
    }
}

/* Weka's setSplitPoint: the largest training value <= the midpoint.
 * Weka 3.6.14 looks through the training data as J48 was given it, rows
 * whose class is missing included (C45ModelSelection keeps that data,
 * while the tree is grown without those rows): so does the 3.6 layout. */
double baiot_j48_split_point(const ctx *C, int j, double mid)
{
    if (C->cfg.weka36) {
        const double *x = C->v->cols[j];
        double best = -DBL_MAX;
        for (int64_t i = 0; i < C->n_given; i++) {
            double t = x[C->given_rows[i]];
            if (!isnan(t) && c45_gr(t, best) && c45_smoreq(t, mid))
                best = t;
        }
        return best;
    }
    if (C->ps) {
        /* the last training row at or before the presort's first value > mid */
        const baiot_j48_presort *ps = C->ps;
        const double *x = C->v->cols[j];
        const int32_t *o = ps->row[j];
        int64_t lo = 0, hi = ps->known[j];
        while (lo < hi) {
            int64_t md = lo + (hi - lo) / 2;
            if (x[o[md]] <= mid)
                lo = md + 1;
            else
                hi = md;
        }
        for (int64_t q = lo - 1; q >= 0; q--)
            if (C->inst[o[q]] >= 0)
                return x[o[q]];
        return -DBL_MAX;
    }
    const double *a = C->all_sorted[j];
    int64_t lo = 0, hi = C->all_known[j]; /* first index with a[i] > mid */
    while (lo < hi) {
        int64_t md = lo + (hi - lo) / 2;
        if (a[md] <= mid)
            lo = md + 1;
        else
            hi = md;
    }
    return lo > 0 ? a[lo - 1] : -DBL_MAX;
}

/* Routes data (rows, w, m) through split node t whose distribution sd
 * gives the missing-value shares: child b gets out_rows[b], out_w[b],
 * out_m[b]; maps (optional, nb x m) get each instance's index in child b
 * or -1.  On failure (out of memory) every out_rows[b], out_w[b] is NULL. */
baiot_status baiot_j48_split_data(const ctx *C, const node *t, const dist *sd, const int64_t *rows, const double *w,
                                  int64_t m, int64_t **out_rows, double **out_w, int64_t *out_m, int32_t *maps)
{
    const double *x = C->v->cols[t->attr];
    int nb = t->nb;
    for (int b = 0; b < nb; b++) {
        out_m[b] = 0;
        out_rows[b] = NULL;
        out_w[b] = NULL;
    }
    for (int64_t i = 0; i < m; i++) {
        int b = baiot_j48_which_subset(t, x[rows[i]], C->cfg.weka36);
        if (b >= 0)
            out_m[b]++;
        else
            for (int k = 0; k < nb; k++)
                if (c45_gr(sd->pb[k] / sd->total, 0))
                    out_m[k]++;
    }
    for (int b = 0; b < nb; b++) {
        size_t sz = (size_t)(out_m[b] > 0 ? out_m[b] : 1);
        out_rows[b] = baiot_malloc(sz * sizeof(int64_t));
        out_w[b] = baiot_malloc(sz * sizeof(double));
        if (!out_rows[b] || !out_w[b]) {
            for (int k = 0; k <= b; k++) {
                baiot_free(out_rows[k]);
                baiot_free(out_w[k]);
                out_rows[k] = NULL;
                out_w[k] = NULL;
            }
            return BAIOT_ERR_MEMORY;
        }
        out_m[b] = 0;
    }
    for (int64_t i = 0; i < m; i++) {
        int b = baiot_j48_which_subset(t, x[rows[i]], C->cfg.weka36);
        if (maps)
            for (int k = 0; k < nb; k++)
                maps[(int64_t)k * m + i] = -1;
        if (b >= 0) {
            if (maps)
                maps[(int64_t)b * m + i] = (int32_t)out_m[b];
            out_rows[b][out_m[b]] = rows[i];
            out_w[b][out_m[b]++] = w[i];
        } else {
            for (int k = 0; k < nb; k++) {
                double share = sd->pb[k] / sd->total;
                if (!c45_gr(share, 0))
                    continue;
                if (maps)
                    maps[(int64_t)k * m + i] = (int32_t)out_m[k];
                out_rows[k][out_m[k]] = rows[i];
                out_w[k][out_m[k]++] = share * w[i];
            }
        }
    }
    return BAIOT_OK;
}

/* C45ModelSelection's choice among the columns' candidate splits: the
 * highest gain ratio among those whose gain reaches the average gain of the
 * admissible ones (less a small slack), the first column on ties; -1 when
 * there is none or its gain ratio is 0.  (A nominal column with values for
 * most rows is left out of the average unless multival is set.) */
int baiot_j48_choose_split(const ctx *C, const colres *res)
{
    double avg = 0, min_result = 0;
    int n_valid = 0, best = -1;
    for (int j = 0; j < C->ncols; j++) {
        const baiot_attr *a = &C->v->attrs[j];
        if (res[j].valid && (a->kind == BAIOT_ATTR_NUMERIC || C->multival ||
                             c45_sm((double)a->n_values, J48_MULTIVAL_SHARE * (double)C->n_all))) {
            avg += res[j].ig;
            n_valid++;
        }
    }
    if (n_valid == 0)
        return -1;
    avg /= n_valid;
    for (int j = 0; j < C->ncols; j++)
        if (res[j].valid && res[j].ig >= avg - J48_AVG_GAIN_SLACK && c45_gr(res[j].gr, min_result)) {
            best = j;
            min_result = res[j].gr;
        }
    return best < 0 || c45_eq(min_result, 0) ? -1 : best;
}
