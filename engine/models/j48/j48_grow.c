/*
 * j48_grow.c - J48's general grower: any data (nominal columns, missing
 * values, weights).  The training rows with a class are the root's
 * instance list (row, weight); a node keeps, per numeric column, the
 * order of its own instances by value (missing last), searches every
 * column (kernels/c45_split.c for numeric cuts, nominal columns here),
 * takes the split baiot_j48_choose_split picks, routes its instances
 * (baiot_j48_split_data) and hands each child the stable filter of every
 * column order, so no node sorts.
 *
 * Guarantees: a node's distribution sums its instances' weights in
 * instance order (Weka's Distribution.add order); the split search sums in
 * value order (Weka sorts the node before searching).  The columns of a
 * large node are searched in parallel (one result slot per column, the
 * choice serial in column order), only outside a parallel region, so
 * results never depend on the thread count.  Covered by
 * tests/unit/test_j48_model.c (against the fast path, on 1, 2 and 4
 * threads, fault injection) and the J48 goldens
 * (tests/cli/test_j48_golden.py).
 */
#include "engine/models/j48/j48_internal.h"

#include <omp.h>
#include <string.h>

/* Numeric column j at a node: gather the known values in order, search. */
static void eval_numeric(const ctx *C, scratch *s, int j, const int64_t *rows, const double *w, const int32_t *ord,
                         int64_t m, double total, colres *r)
{
    const double *x = C->v->cols[j];
    int64_t k = 0;
    for (; k < m; k++) {
        int32_t i = ord[k];
        double xv = x[rows[i]];
        if (isnan(xv))
            break;
        s->vals[k] = xv;
        s->cls[k] = C->v->y[rows[i]];
        s->w[k] = w[i];
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
 * rest), known values only. */
static void eval_nominal(const ctx *C, scratch *s, int j, const int64_t *rows, const double *w, int64_t m, double total,
                         colres *r)
{
    int nc = C->nc, nv = C->v->attrs[j].n_values;
    const double *x = C->v->cols[j];
    double *pcb = s->work, *pb = pcb + (size_t)nv * nc, *pc = pb + nv;
    double *pcb2 = pc + nc, *pb2 = pcb2 + 2 * nc;
    double known = 0;
    memset(r, 0, sizeof *r);
    memset(pcb, 0, ((size_t)nv * nc + nv + nc) * sizeof *pcb);
    for (int64_t i = 0; i < m; i++) {
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
        memset(pcb2, 0, (size_t)(2 * nc + 2) * sizeof *pcb2);
        for (int c = 0; c < nc; c++)
            pcb2[c] = pcb[(int64_t)v * nc + c];
        pb2[0] = pb[v];
        for (int b = 0; b < nv; b++) {
            if (b == v)
                continue;
            for (int c = 0; c < nc; c++)
                pcb2[nc + c] += pcb[(int64_t)b * nc + c];
            pb2[1] += pb[b];
        }
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

/* Grows the subtree of the instances (rows, w)[0..m) whose numeric
 * columns are ordered by ords[j] (NULL for nominal columns) and writes it
 * to *out.
 * Ownership: takes rows, w, every ords[j] and ords, on success and on
 * failure alike: rows and w become the node's (t->rows, t->w, kept for
 * subtree raising) when C->keep_data, else they are freed; the orders are
 * freed once the children have theirs.  The caller must not use or free
 * them after the call.
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

    /* search every column */
    res = baiot_calloc((size_t)ncols, sizeof *res);
    if (!res)
        goto oom;
    int par = C->threads > 1 && !omp_in_parallel() && (double)m * ncols >= J48_GENERAL_PAR_MIN_WORK;
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, rows, w, ords, m, total, res, ncols)
    for (int j = 0; j < ncols; j++) {
        scratch *s = &C->s[omp_get_thread_num() % C->n_scratch];
        if (C->v->attrs[j].kind == BAIOT_ATTR_NUMERIC)
            eval_numeric(C, s, j, rows, w, ords[j], m, total, &res[j]);
        else
            eval_nominal(C, s, j, rows, w, m, total, &res[j]);
    }
    int best = baiot_j48_choose_split(C, res);
    if (best < 0)
        goto done;

    /* the chosen split's distribution, unknowns spread */
    const baiot_attr *ba = &C->v->attrs[best];
    const double *x = C->v->cols[best];
    int nb = ba->kind == BAIOT_ATTR_NUMERIC || p->binary ? 2 : ba->n_values;
    dist sd;
    if (baiot_j48_dist_init(&sd, nb, nc))
        goto oom;
    if (ba->kind == BAIOT_ATTR_NUMERIC) {
        for (int64_t k = 0; k < m; k++) {
            int32_t i = ords[best][k];
            if (isnan(x[rows[i]]))
                break;
            baiot_j48_dist_add(&sd, k > res[best].split_index, C->v->y[rows[i]], w[i]);
        }
    } else if (!p->binary) {
        for (int64_t i = 0; i < m; i++)
            if (!isnan(x[rows[i]]))
                baiot_j48_dist_add(&sd, (int)x[rows[i]], C->v->y[rows[i]], w[i]);
    } else {
        /* bag 0 = the value, bag 1 = the other values merged in value order */
        dist full;
        if (baiot_j48_dist_init(&full, ba->n_values, nc)) {
            baiot_j48_dist_free(&sd);
            goto oom;
        }
        for (int64_t i = 0; i < m; i++)
            if (!isnan(x[rows[i]]))
                baiot_j48_dist_add(&full, (int)x[rows[i]], C->v->y[rows[i]], w[i]);
        int v0 = (int)res[best].point;
        for (int b = 0; b < full.nb; b++)
            for (int c = 0; c < nc; c++) {
                double q = full.pcb[(int64_t)b * nc + c];
                int to = b == v0 ? 0 : 1;
                sd.pcb[to * nc + c] += q;
            }
        for (int b = 0; b < full.nb; b++)
            sd.pb[b == v0 ? 0 : 1] += full.pb[b];
        memcpy(sd.pc, full.pc, (size_t)nc * sizeof(double));
        sd.total = full.total;
        baiot_j48_dist_free(&full);
    }
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

    /* route the instances and the column orders to the children */
    crows = baiot_calloc((size_t)nb, sizeof *crows);
    cw = baiot_calloc((size_t)nb, sizeof *cw);
    cm = baiot_calloc((size_t)nb, sizeof *cm);
    maps = baiot_malloc((size_t)nb * (size_t)(m > 0 ? m : 1) * sizeof *maps);
    cords = baiot_calloc((size_t)nb, sizeof *cords);
    if (!crows || !cw || !cm || !maps || !cords ||
        baiot_j48_split_data(C, t, &t->d, rows, w, m, crows, cw, cm, maps))
        goto oom;
    for (int b = 0; b < nb; b++) {
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
    for (int j = 0; j < ncols; j++) {
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
