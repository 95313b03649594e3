/*
 * j48_grow_lean.c - J48's fast path within a memory budget: when a
 * training's column arrays (9 bytes per training row per column,
 * j48_grow_fast.c) would exceed the budget (baiot_j48_params.
 * column_memory), the top of the tree is grown from the presort, node by
 * node, without column arrays, and each subtree whose arrays fit is
 * handed to the fast grower with arrays sized to it.
 *
 * A node too large to lay out holds only its segment [lo, lo + m) of
 * C->perm (its instances in column 0's value order, as the fast grower
 * leaves them); to search it, each active column's presort order is
 * filtered to the node's instances (kernels/row_compact.c, one column
 * per thread at a time, into that thread's scratch), which is exactly the
 * segment the fast grower would hold for that column: the presort's order
 * filtered, which stable partitions keep.  The same kernel
 * (baiot_c45_split_numeric_unit) then gives the same doubles, the same
 * choice (baiot_j48_choose_split), the same split point and routing, so
 * the trees are the fast grower's bit for bit, and with them the pruning
 * and every printed digit.  Costs one pass over the presort per large
 * node, instead of holding every column for every row.
 *
 * Memory: the presort and the view as always, the per-row arrays of the
 * training, one filtered column per thread (9 bytes per row), and at most
 * the budget for a laid-out subtree at a time.  Threads: a large node's
 * columns are filtered and searched in parallel (one result slot per
 * column, the choice serial), so results never depend on the thread
 * count.  Covered by tests/unit/test_j48_model.c (lean trainings with
 * small budgets against unlimited ones, on several data sets and thread
 * counts) and tests/cli/test_j48_memory.py (the CLI's --memory-limit:
 * identical output, and the clear refusal when even the data do not fit).
 */
#include "engine/models/j48/j48_internal.h"
#include "kernels/row_compact.h"

#include <omp.h>
#include <string.h>

int64_t baiot_j48_column_bytes(int64_t rows, int ncols)
{
    return rows * (int64_t)ncols * 9 + (int64_t)ncols * 3 * ROW_COMPACT_SLACK * 4;
}

/* Marks the instances of perm[lo, lo + m) in C->ninst (view row ->
 * instance), or unmarks them (mark = 0). */
static void mark_segment(const ctx *C, int64_t lo, int64_t m, int mark)
{
    const int32_t *pi = C->perm + lo;
    for (int64_t k = 0; k < m; k++)
        C->ninst[C->irow[pi[k]]] = mark ? pi[k] : -1;
}

/* Filters column j's presort to the marked instances: rank / instance /
 * class arrays of the node in value order; returns their number. */
static int64_t filter_column(const ctx *C, int j, int32_t *rk, int32_t *id, uint8_t *cl)
{
    const baiot_j48_presort *ps = C->ps;
    return baiot_row_compact_filter(ps->row[j], ps->cls[j], ps->known[j], C->ninst, rk, id, cl);
}

/* Adds off to the segment start of every node of t's subtree (a partial
 * one after a failure too: NULL kids). */
static void shift_segments(node *t, int64_t off)
{
    if (!t)
        return;
    t->lo += off;
    if (!t->leaf && t->kids)
        for (int b = 0; b < t->nb; b++)
            shift_segments(t->kids[b], off);
}

/* The subtree of perm[lo, lo + m) on the fast grower, with column arrays
 * sized to it (the columns act[0..nact)). */
static baiot_status grow_laid_out(ctx *C, int64_t lo, int64_t m, const int32_t *act, int nact, node **out)
{
    baiot_status st = BAIOT_ERR_MEMORY;
    int ncols = C->ncols, bad = 0;
    size_t nn = (size_t)m + ROW_COMPACT_SLACK;
    *out = NULL;
    ctx S = *C;
    S.frk = baiot_calloc((size_t)ncols, sizeof *S.frk);
    S.fid = baiot_calloc((size_t)ncols, sizeof *S.fid);
    S.fcls = baiot_calloc((size_t)ncols, sizeof *S.fcls);
    if (!S.frk || !S.fid || !S.fcls)
        goto done;
    for (int a = 0; a < nact; a++) {
        int j = act[a];
        S.frk[j] = baiot_malloc(nn * sizeof(int32_t));
        S.fid[j] = baiot_malloc(nn * sizeof(int32_t));
        S.fcls[j] = baiot_malloc(nn);
        if (!S.frk[j] || !S.fid[j] || !S.fcls[j])
            goto done;
    }
    mark_segment(C, lo, m, 1);
    int par = C->threads > 1 && !omp_in_parallel();
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, S, act, nact, m) reduction(| : bad)
    for (int a = 0; a < nact; a++) {
        int j = act[a];
        bad |= filter_column(C, j, S.frk[j], S.fid[j], S.fcls[j]) != m;
    }
    mark_segment(C, lo, m, 0);
    if (bad) {
        st = baiot_fail(BAIOT_ERR_ARG, "J48: the presort does not match the view");
        goto done;
    }
    st = baiot_j48_grow_fast(&S, 0, m, act, nact, out);
    if (*out)
        shift_segments(*out, lo);
    if (!st) /* column 0's instances, partitioned down the subtree, are its segments */
        memcpy(C->perm + lo, S.fid[0], (size_t)m * sizeof(int32_t));
done:
    for (int j = 0; j < ncols; j++) {
        if (S.frk)
            baiot_free(S.frk[j]);
        if (S.fid)
            baiot_free(S.fid[j]);
        if (S.fcls)
            baiot_free(S.fcls[j]);
    }
    baiot_free(S.frk);
    baiot_free(S.fid);
    baiot_free(S.fcls);
    return st;
}

baiot_status baiot_j48_grow_lean(ctx *C, int64_t lo, int64_t m, const int32_t *act, int nact, node **out)
{
    baiot_status st = BAIOT_OK;
    const baiot_j48_params *p = C->p;
    int nc = C->nc, ncols = C->ncols, w36 = C->cfg.weka36;
    int32_t *kid_act = NULL;
    colres *res = NULL;
    uint8_t *varies = NULL;
    int64_t cnt[2 * (J48_FAST_MAX_CLASSES + 1)]; /* per bag and class */
    node *t = baiot_calloc(1, sizeof *t);
    *out = t;
    if (!t || baiot_j48_dist_init(&t->d, 1, nc))
        goto oom;
    t->leaf = 1;
    t->nb = 1;
    t->attr = -1;
    t->lo = lo;
    t->m = m;
    memset(cnt, 0, (size_t)(2 * nc) * sizeof *cnt);
    for (int64_t k = 0; k < m; k++)
        cnt[C->icls[C->perm[lo + k]]]++;
    baiot_j48_dist_from_counts(&t->d, cnt);
    double total = t->d.total;
    if (c45_eq(total, 0))
        t->empty = 1;
    if (baiot_j48_stops(t->d.pc, nc, total, p->min_obj))
        goto done; /* a leaf, as the fast grower makes it */
    if (baiot_j48_column_bytes(m, nact) <= C->budget) {
        baiot_j48_node_free(t);
        return grow_laid_out(C, lo, m, act, nact, out);
    }

    /* every active column filtered to the node and searched */
    res = baiot_calloc((size_t)ncols, sizeof *res);
    varies = baiot_calloc((size_t)ncols, 1);
    if (!res || !varies)
        goto oom;
    int64_t counts[J48_FAST_MAX_CLASSES + 1];
    for (int c = 0; c < nc; c++)
        counts[c] = (int64_t)t->d.pc[c]; /* exact: sums of 1.0 */
    mark_segment(C, lo, m, 1);
    int bad = 0, par = C->threads > 1 && !omp_in_parallel();
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, m, total, res, varies, nact, act, counts) reduction(| : bad)
    for (int a = 0; a < nact; a++) {
        int j = act[a];
        scratch *s = &C->s[omp_get_thread_num() % C->n_scratch];
        int32_t *rk = s->ranks, *id = s->cls;
        uint8_t *cl = s->bytes;
        if (filter_column(C, j, rk, id, cl) != m) {
            bad = 1;
            continue;
        }
        c45_numeric_split cut;
        baiot_c45_split_numeric_unit(&C->cfg, rk, C->sval[j], C->srow[j], C->snxt[j], cl, m, total, counts, C->lntab,
                                     s->work, &cut);
        res[j].valid = cut.valid;
        res[j].ig = cut.info_gain;
        res[j].gr = cut.gain_ratio;
        res[j].split_index = cut.split_index;
        res[j].point = cut.split_point;
        varies[j] = j48_fast_value(C, j, rk[0]) != j48_fast_value(C, j, rk[m - 1]);
    }
    if (bad) {
        mark_segment(C, lo, m, 0);
        st = baiot_fail(BAIOT_ERR_ARG, "J48: the presort does not match the view");
        goto done;
    }
    int best = baiot_j48_choose_split(C, res);
    if (best < 0) {
        mark_segment(C, lo, m, 0);
        goto done;
    }

    /* the split: its distribution, point and routing from the best
     * column filtered again */
    dist sd;
    if (baiot_j48_dist_init(&sd, 2, nc)) {
        mark_segment(C, lo, m, 0);
        goto oom;
    }
    int32_t *rk = C->s[0].ranks, *id = C->s[0].cls;
    uint8_t *cl = C->s[0].bytes;
    filter_column(C, best, rk, id, cl);
    mark_segment(C, lo, m, 0);
    int64_t si = res[best].split_index;
    memset(cnt, 0, (size_t)(2 * nc) * sizeof *cnt);
    for (int64_t k = 0; k <= si; k++)
        cnt[cl[k]]++;
    for (int64_t k = si + 1; k < m; k++)
        cnt[nc + cl[k]]++;
    baiot_j48_dist_from_counts(&sd, cnt);
    baiot_j48_dist_free(&t->d);
    t->d = sd;
    t->leaf = 0;
    t->attr = best;
    t->nb = 2;
    t->kind = SPLIT_NUMERIC;
    t->point = baiot_j48_split_point(C, best, res[best].point);
    for (int64_t k = 0; k < m; k++)
        C->goes[id[k]] = (uint8_t)baiot_j48_which_subset(t, j48_fast_value(C, best, rk[k]), w36);
    kid_act = baiot_malloc((size_t)nact * sizeof *kid_act);
    if (!kid_act)
        goto oom;
    int kid_nact = 0;
    for (int a = 0; a < nact; a++)
        if (act[a] == 0 || varies[act[a]])
            kid_act[kid_nact++] = act[a];
    baiot_free(res);
    baiot_free(varies);
    res = NULL;
    varies = NULL;

    /* perm's segment partitioned stably: left child first */
    int32_t *pi = C->perm + lo, *tmp = C->s[0].ranks;
    int64_t cm0 = 0, n1 = 0;
    for (int64_t k = 0; k < m; k++) {
        int32_t i = pi[k];
        if (C->goes[i] == 0)
            pi[cm0++] = i; /* cm0 <= k: already read */
        else
            tmp[n1++] = i;
    }
    memcpy(pi + cm0, tmp, (size_t)n1 * sizeof *tmp);
    t->kids = baiot_calloc(2, sizeof *t->kids);
    if (!t->kids)
        goto oom;
    for (int b = 0; b < 2 && !st; b++)
        st = b == 0 ? baiot_j48_grow_lean(C, lo, cm0, kid_act, kid_nact, &t->kids[b])
                    : baiot_j48_grow_lean(C, lo + cm0, m - cm0, kid_act, kid_nact, &t->kids[b]);
done:
    baiot_free(res);
    baiot_free(varies);
    baiot_free(kid_act);
    return st;
oom:
    st = BAIOT_ERR_MEMORY;
    goto done;
}
