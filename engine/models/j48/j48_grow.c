/*
 * j48_grow.c - J48's general grower: any data (nominal columns, missing
 * values, weights).  The training rows with a class are the root's
 * instance list (row, weight); a node searches every column
 * (kernels/c45_split.c for numeric cuts, nominal columns here), takes the
 * split baiot_j48_choose_split picks and routes its instances
 * (baiot_j48_split_data).  The numeric columns' value orders come one of
 * two ways:
 *   - no value missing and integer weights: every sum is exact, so the
 *     order of the rows does not matter; a node keeps, per numeric column,
 *     its instances in value order and hands each child the stable filter
 *     of every column order, so no node sorts;
 *   - otherwise (C->worder) the sums of fractional weights depend on their
 *     order, and the node orders its rows as Weka does: sorted in place by
 *     every numeric column in turn with Weka's quicksort (weka_orders); the
 *     distributions, the routing and the data kept for pruning follow.
 *
 * Guarantees: a node's distribution sums its instances' weights in
 * instance order (Weka's Distribution.add order); the split search sums in
 * value order (Weka sorts the node before searching); with C->worder every
 * sum is Weka's, bit for bit (the cross-validated class probabilities,
 * whose ties the ROC areas count).  The columns of a large node are
 * searched in parallel (one result slot per column, the choice serial in
 * column order), only outside a parallel region, so results never depend
 * on the thread count.  Covered by tests/unit/test_j48_model.c (against
 * the fast path, on 1, 2 and 4 threads, fault injection) and the J48
 * goldens (tests/cli/test_j48_golden.py; diff-order and labor -U, -B for
 * Weka's order).
 */
#include "engine/models/j48/j48_internal.h"

#include "engine/weka/weka_sort.h"

#include <float.h>
#include <omp.h>
#include <string.h>

/* Numeric column j at a node: gather the known values in the order ord
 * (value order, missing values last), search. */
static void eval_numeric(const ctx *C, scratch *s, int j, const int64_t *rows, const double *w, const int32_t *ord,
                         int64_t m, double total, colres *r)
{
    const double *x = C->v->cols[j];
    int64_t k = 0;
    for (int64_t q = 0; q < m; q++) {
        int32_t i = ord[q];
        double xv = x[rows[i]];
        if (isnan(xv))
            continue;
        s->vals[k] = xv;
        s->cls[k] = C->v->y[rows[i]];
        s->w[k] = w[i];
        k++;
    }
    c45_numeric_split out;
    baiot_c45_split_numeric(&C->cfg, s->vals, s->cls, s->w, k, total, s->work, &out);
    r->valid = out.valid;
    r->ig = out.info_gain;
    r->gr = out.gain_ratio;
    r->split_index = out.split_index;
    r->point = out.split_point;
}

/* Nominal column j: one bag per value (or, -B, the best value against the
 * rest), known values only, summed in the order ord (NULL: instance
 * order). */
static void eval_nominal(const ctx *C, scratch *s, int j, const int64_t *rows, const double *w, const int32_t *ord,
                         int64_t m, double total, colres *r)
{
    int nc = C->nc, nv = C->v->attrs[j].n_values;
    const double *x = C->v->cols[j];
    double *pcb = s->work, *pb = pcb + (size_t)nv * nc, *pc = pb + nv;
    double *pcb2 = pc + nc, *pb2 = pcb2 + 2 * nc;
    double known = 0;
    memset(r, 0, sizeof *r);
    memset(pcb, 0, ((size_t)nv * nc + nv + nc) * sizeof *pcb);
    for (int64_t q = 0; q < m; q++) {
        int64_t i = ord ? ord[q] : q;
        double xv = x[rows[i]];
        if (isnan(xv))
            continue;
        int b = (int)xv, c = C->v->y[rows[i]];
        pcb[(int64_t)b * nc + c] += w[i];
        pb[b] += w[i];
        pc[c] += w[i];
        known += w[i];
    }
    double min_obj = (double)C->p->min_obj;
    if (!C->p->binary) {
        int big = 0;
        for (int b = 0; b < nv; b++)
            big += c45_groreq(pb[b], min_obj);
        if (big > 1) {
            double old = baiot_c45_split_old_ent(pc, nc, known, C->cfg.weka36);
            r->valid = 1;
            r->ig = baiot_c45_split_info_gain(pcb, pb, nv, nc, old, known, total, C->cfg.weka36);
            r->gr = baiot_c45_split_gain_ratio(pb, nv, known, total, r->ig, C->cfg.weka36);
        }
        return;
    }
    double old = baiot_c45_split_old_ent(pc, nc, known, C->cfg.weka36);
    for (int v = 0; v < nv; v++) {
        if (!c45_groreq(pb[v], min_obj))
            continue;
        for (int c = 0; c < nc; c++) {
            pcb2[c] = pcb[(int64_t)v * nc + c];
            pcb2[nc + c] = pc[c] - pcb2[c];
        }
        pb2[0] = pb[v];
        pb2[1] = known - pb2[0];
        if (!(c45_groreq(pb2[0], min_obj) && c45_groreq(pb2[1], min_obj)))
            continue;
        double ig = baiot_c45_split_info_gain(pcb2, pb2, 2, nc, old, known, total, C->cfg.weka36);
        double gr = baiot_c45_split_gain_ratio(pb2, 2, known, total, ig, C->cfg.weka36);
        if (!r->valid || c45_gr(gr, r->gr)) {
            r->valid = 1;
            r->ig = ig;
            r->gr = gr;
            r->point = v;
        }
    }
}

/* Weka's order of a node's instances (C->worder).  Weka's model selection
 * sorts the node's data in place by every numeric column, in column order
 * (Instances.sort: the index quicksort of engine/weka/weka_sort.h with a
 * missing value as the largest double), each sort starting from the order
 * the previous one left; the split's distribution, the routing to the
 * children and the data kept for pruning then follow the last order.
 * snap[j * m + q] gets the order column j is searched in: after its own
 * sort for a numeric column, the order of that moment for a nominal one;
 * so the last column's is the node's final order.  key is m scratch
 * values. */
static void weka_orders(const ctx *C, const int64_t *rows, int64_t m, double *key, int32_t *snap)
{
    int32_t *cur = snap, *prev = NULL;
    for (int64_t q = 0; q < m; q++)
        cur[q] = (int32_t)q;
    for (int j = 0; j < C->ncols; j++) {
        cur = snap + (int64_t)j * m;
        if (prev)
            memcpy(cur, prev, (size_t)m * sizeof *cur);
        if (C->v->attrs[j].kind == BAIOT_ATTR_NUMERIC) {
            const double *x = C->v->cols[j];
            for (int64_t q = 0; q < m; q++) {
                double xv = x[rows[cur[q]]];
                key[q] = isnan(xv) ? DBL_MAX : xv;
            }
            baiot_weka_sort_pairs(key, cur, m);
        }
        prev = cur;
    }
}

/* The chosen split's distribution (column best, result r) of the rows
 * with a known value, summed in the order ord (NULL: instance order;
 * numeric columns need their value order, missing values skipped), into
 * sd (initialised, nb bags); the rows with a missing value are spread
 * afterwards (baiot_j48_add_unknown).  A numeric split's two bags are
 * summed apart and the total is their sum (Weka's addRange per bag).
 * Fails only out of memory (-B). */
static baiot_status split_dist(const ctx *C, int best, const colres *r, const int64_t *rows, const double *w,
                               int64_t m, const int32_t *ord, dist *sd)
{
    const baiot_attr *ba = &C->v->attrs[best];
    const double *x = C->v->cols[best];
    int nc = C->nc;
    if (ba->kind == BAIOT_ATTR_NUMERIC) {
        int64_t k = 0;
        for (int64_t q = 0; q < m; q++) {
            int32_t i = ord[q];
            if (isnan(x[rows[i]]))
                continue;
            baiot_j48_dist_add(sd, k > r->split_index, C->v->y[rows[i]], w[i]);
            k++;
        }
        sd->total = sd->pb[0] + sd->pb[1];
        return BAIOT_OK;
    }
    if (!C->p->binary) {
        for (int64_t q = 0; q < m; q++) {
            int64_t i = ord ? ord[q] : q;
            if (!isnan(x[rows[i]]))
                baiot_j48_dist_add(sd, (int)x[rows[i]], C->v->y[rows[i]], w[i]);
        }
        return BAIOT_OK;
    }
    /* -B: bag 0 = the value, bag 1 = the rest as the class weights less
     * bag 0's (Weka's two-bag Distribution; summing the other values gives
     * other last bits: labor.arff -B) */
    int nv = ba->n_values, v0 = (int)r->point;
    double *full_pcb = baiot_calloc((size_t)nv * (size_t)(nc + 1), sizeof *full_pcb);
    if (!full_pcb)
        return BAIOT_ERR_MEMORY;
    double *full_pb = full_pcb + (size_t)nv * (size_t)nc;
    for (int64_t q = 0; q < m; q++) {
        int64_t i = ord ? ord[q] : q;
        if (isnan(x[rows[i]]))
            continue;
        int b = (int)x[rows[i]], c = C->v->y[rows[i]];
        full_pcb[(int64_t)b * nc + c] += w[i];
        full_pb[b] += w[i];
        sd->pc[c] += w[i];
        sd->total += w[i];
    }
    for (int c = 0; c < nc; c++) {
        sd->pcb[c] = full_pcb[(int64_t)v0 * nc + c];
        sd->pcb[nc + c] = sd->pc[c] - sd->pcb[c];
    }
    sd->pb[0] = full_pb[v0];
    sd->pb[1] = sd->total - sd->pb[0];
    baiot_free(full_pcb);
    return BAIOT_OK;
}

/* Puts the instance list (*rows, *w)[0..m) in the order ord (new arrays;
 * the old ones are freed).  On failure (out of memory) nothing changes. */
static baiot_status reorder(int64_t **rows, double **w, const int32_t *ord, int64_t m)
{
    size_t nn = (size_t)(m > 0 ? m : 1);
    int64_t *r2 = baiot_malloc(nn * sizeof *r2);
    double *w2 = baiot_malloc(nn * sizeof *w2);
    if (!r2 || !w2) {
        baiot_free(r2);
        baiot_free(w2);
        return BAIOT_ERR_MEMORY;
    }
    for (int64_t q = 0; q < m; q++) {
        r2[q] = (*rows)[ord[q]];
        w2[q] = (*w)[ord[q]];
    }
    baiot_free(*rows);
    baiot_free(*w);
    *rows = r2;
    *w = w2;
    return BAIOT_OK;
}

/* Grows the subtree of the instances (rows, w)[0..m) and writes it to
 * *out.  Without C->worder the numeric columns are ordered by ords[j]
 * (NULL for nominal columns); with it ords is NULL and the node sorts its
 * instances as Weka does (weka_orders).
 * Ownership: takes rows, w, every ords[j] and ords, on success and on
 * failure alike: rows and w become the node's (t->rows, t->w, kept for
 * subtree raising, in Weka's order with C->worder) when C->keep_data, else
 * they are freed; the orders are freed once the children have theirs.
 * The caller must not use or free them after the call.
 * On failure *out is NULL (the node could not be allocated) or a partial
 * subtree whose children not grown are NULL; the caller frees it with
 * baiot_j48_node_free. */
baiot_status baiot_j48_grow(ctx *C, int64_t *rows, double *w, int64_t m, int32_t **ords, node **out)
{
    const baiot_j48_params *p = C->p;
    int nc = C->nc, ncols = C->ncols;
    baiot_status st = BAIOT_OK;
    node *t = baiot_calloc(1, sizeof *t);
    int64_t **crows = NULL;
    double **cw = NULL;
    int64_t *cm = NULL;
    int32_t *maps = NULL;
    int32_t ***cords = NULL;
    colres *res = NULL;
    int32_t *snap = NULL;
    double *key = NULL;
    *out = t;
    if (!t || baiot_j48_dist_init(&t->d, 1, nc))
        goto oom;
    t->leaf = 1;
    t->nb = 1;
    t->attr = -1;
    for (int64_t i = 0; i < m; i++)
        baiot_j48_dist_add(&t->d, 0, C->v->y[rows[i]], w[i]);
    double total = t->d.total;
    if (c45_eq(total, 0))
        t->empty = 1;
    if (baiot_j48_stops(t->d.pc, nc, total, p->min_obj))
        goto done;

    /* Weka's orders of the instances (C->worder) */
    const int32_t *fin = NULL; /* the node's final order (NULL: as given) */
    if (C->worder && ncols > 0) {
        size_t nn = (size_t)(m > 0 ? m : 1);
        snap = baiot_malloc(nn * (size_t)ncols * sizeof *snap);
        key = baiot_malloc(nn * sizeof *key);
        if (!snap || !key)
            goto oom;
        weka_orders(C, rows, m, key, snap);
        baiot_free(key);
        key = NULL;
        fin = snap + (int64_t)(ncols - 1) * m;
    }

    /* search every column */
    res = baiot_calloc((size_t)ncols, sizeof *res);
    if (!res)
        goto oom;
    int par = C->threads > 1 && !omp_in_parallel() && (double)m * ncols >= J48_GENERAL_PAR_MIN_WORK;
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, rows, w, ords, snap, m, total, res, ncols)
    for (int j = 0; j < ncols; j++) {
        scratch *s = &C->s[omp_get_thread_num() % C->n_scratch];
        const int32_t *ord = snap ? snap + (int64_t)j * m : ords[j];
        if (C->v->attrs[j].kind == BAIOT_ATTR_NUMERIC)
            eval_numeric(C, s, j, rows, w, ord, m, total, &res[j]);
        else
            eval_nominal(C, s, j, rows, w, ord, m, total, &res[j]);
    }
    int best = baiot_j48_choose_split(C, res);

    /* the chosen split's distribution, then the node's data in its final
     * order (kept for pruning also when no split is made) */
    const baiot_attr *ba = best >= 0 ? &C->v->attrs[best] : NULL;
    int nb = !ba ? 1 : ba->kind == BAIOT_ATTR_NUMERIC || p->binary ? 2 : ba->n_values;
    dist sd;
    memset(&sd, 0, sizeof sd);
    if (ba) {
        if (baiot_j48_dist_init(&sd, nb, nc))
            goto oom;
        if (split_dist(C, best, &res[best], rows, w, m, snap ? snap + (int64_t)best * m : ords[best], &sd)) {
            baiot_j48_dist_free(&sd);
            goto oom;
        }
    }
    if (fin && reorder(&rows, &w, fin, m)) {
        baiot_j48_dist_free(&sd);
        goto oom;
    }
    baiot_free(snap);
    snap = NULL;
    if (!ba)
        goto done;
    {
        double probs[nb];
        baiot_j48_add_unknown(C, &sd, best, rows, w, m, probs);
    }
    baiot_j48_dist_free(&t->d);
    t->d = sd;
    t->leaf = 0;
    t->attr = best;
    t->nb = nb;
    t->kind = ba->kind == BAIOT_ATTR_NUMERIC ? SPLIT_NUMERIC : p->binary ? SPLIT_BINARY : SPLIT_NOMINAL;
    t->point = ba->kind == BAIOT_ATTR_NUMERIC ? baiot_j48_split_point(C, best, res[best].point) : res[best].point;
    baiot_free(res);
    res = NULL;

    /* route the instances (and without C->worder the column orders) to
     * the children */
    crows = baiot_calloc((size_t)nb, sizeof *crows);
    cw = baiot_calloc((size_t)nb, sizeof *cw);
    cm = baiot_calloc((size_t)nb, sizeof *cm);
    maps = ords ? baiot_malloc((size_t)nb * (size_t)(m > 0 ? m : 1) * sizeof *maps) : NULL;
    cords = baiot_calloc((size_t)nb, sizeof *cords);
    if (!crows || !cw || !cm || (ords && !maps) || !cords ||
        baiot_j48_split_data(C, t, &t->d, rows, w, m, crows, cw, cm, maps))
        goto oom;
    for (int b = 0; b < nb && ords; b++) {
        cords[b] = baiot_calloc((size_t)ncols, sizeof **cords);
        if (!cords[b])
            goto oom;
        for (int j = 0; j < ncols; j++) {
            if (!ords[j])
                continue;
            int32_t *o = baiot_malloc((size_t)(cm[b] > 0 ? cm[b] : 1) * sizeof *o);
            if (!o)
                goto oom;
            const int32_t *map = maps + (int64_t)b * m;
            int64_t k = 0;
            for (int64_t q = 0; q < m; q++) {
                int32_t ci = map[ords[j][q]];
                if (ci >= 0)
                    o[k++] = ci;
            }
            cords[b][j] = o;
        }
    }
    baiot_free(maps);
    maps = NULL;
    for (int j = 0; j < ncols && ords; j++) {
        baiot_free(ords[j]);
        ords[j] = NULL;
    }
    t->kids = baiot_calloc((size_t)nb, sizeof *t->kids);
    if (!t->kids)
        goto oom;
    for (int b = 0; b < nb; b++) {
        /* the child takes crows[b], cw[b] and cords[b] (see above) */
        st = baiot_j48_grow(C, crows[b], cw[b], cm[b], cords[b], &t->kids[b]);
        crows[b] = NULL;
        cw[b] = NULL;
        cords[b] = NULL;
        if (st)
            goto fail;
    }
    baiot_free(crows);
    baiot_free(cw);
    baiot_free(cm);
    baiot_free(cords);
    crows = NULL;
    cw = NULL;
    cm = NULL;
    cords = NULL;
done:
    baiot_free(res);
    baiot_free(snap);
    baiot_free(key);
    if (ords)
        for (int j = 0; j < ncols; j++)
            baiot_free(ords[j]);
    baiot_free(ords);
    if (t && C->keep_data) {
        t->rows = rows;
        t->w = w;
        t->m = m;
    } else {
        baiot_free(rows);
        baiot_free(w);
    }
    return st;
oom:
    st = BAIOT_ERR_MEMORY;
fail:
    /* t (when allocated) stays freeable: the children not grown are NULL */
    baiot_free(maps);
    if (crows) {
        for (int b = 0; b < t->nb; b++) {
            baiot_free(crows[b]);
            if (cw)
                baiot_free(cw[b]);
            if (cords && cords[b]) {
                for (int j = 0; j < ncols; j++)
                    baiot_free(cords[b][j]);
                baiot_free(cords[b]);
            }
        }
    }
    baiot_free(crows);
    baiot_free(cw);
    baiot_free(cm);
    baiot_free(cords);
    goto done;
}
