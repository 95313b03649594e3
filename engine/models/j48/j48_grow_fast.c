/*
 * j48_grow_fast.c - J48's fast grower, used when every column is numeric,
 * no training value is missing and every weight is 1 (then no instance
 * is ever split or re-weighted).  Same trees, same doubles as the general
 * grower (j48_grow.c).
 *
 * Per numeric column j the training instances are kept in value order in
 * three parallel arrays, frk[j] (rank into the column's sorted values
 * sval[j]), fid[j] (instance: view row irow[i]) and fcls[j] (class byte:
 * 9 bytes a row, moved sixteen at a time by kernels/row_compact.c).  A
 * node owns the segment [lo, lo + m) of every column, and splitting it
 * partitions each column's segment stably (left child first), so a
 * child's segment is the parent's order filtered, as the general grower
 * builds it, and every sweep reads sequential memory.  A child that will
 * be a leaf is not laid out; a column constant in a node leaves its
 * subtree.  The split search is baiot_c45_split_numeric_unit (integer counts,
 * entropies from the lnfunc table lntab), which gives baiot_c45_split_numeric's
 * doubles.  With a presort the instances are the training rows in
 * ascending order; only rows of exactly equal values can then come in
 * another order than a sort of the training rows would give, and with
 * unit weights no sum can tell.
 *
 * Memory of one fast training (what each concurrent fold holds), per
 * training row, c columns: 9 c bytes of column arrays while growing
 * (freed before pruning), 9 bytes of partition scratch (one set per
 * thread of the training), about 30 bytes of instance lists, class bytes
 * and the lnfunc table, then 4 + 8 u bytes for pruning (u split columns);
 * plus 4 bytes per view row with a presort.  The presort itself: 9 bytes
 * per view row per column (row, class, tie rule), once.  Without a
 * presort each training also sorts: all_sorted's 8 bytes and the tie
 * rule's 4 per row per column, and the sort's work.
 *
 * Threads: the columns of a node of at least J48_FAST_PAR_MIN_WORK
 * row-columns are searched and partitioned in parallel (one result slot
 * per column, the choice serial), only outside a parallel region; results
 * never depend on the thread count.  Covered by tests/unit/test_j48_model.c
 * (trees against the general path, presort, threads, fault injection) and
 * tests/unit/test_c45_split.c / test_row_compact.c for the kernels.
 */
#include "engine/models/j48/j48_internal.h"
#include "kernels/row_compact.h"

#include <omp.h>
#include <string.h>

/* Moves the instances of column j's segment with goes[] == 0 to its front
 * and the others behind them, both in their order (stable). */
static void fast_partition(const ctx *C, scratch *s, int j, int64_t lo, int64_t m);

/* When only one child of a split will grow further (the other is pure or
 * too small to split, which its counts tell beforehand), the other
 * columns need only that child's rows in its part of the segment, in
 * their order: keep = 0 moves the goes[] == 0 rows to the front, keep = 1
 * the goes[] == 1 rows to the back (scanning backwards, so stably). */
static void fast_compact(const ctx *C, int j, int64_t lo, int64_t m, int keep)
{
    if (keep == 0)
        baiot_row_compact_left(C->frk[j] + lo, C->fid[j] + lo, C->fcls[j] + lo, m, C->goes);
    else
        baiot_row_compact_right(C->frk[j] + lo, C->fid[j] + lo, C->fcls[j] + lo, m, C->goes);
}

/* 1 when the child of bag b of d will be a leaf without a search (the
 * stopping rule on the child's class counts). */
static int fast_leaf_bag(const ctx *C, const dist *d, int b)
{
    return baiot_j48_stops(d->pcb + b * d->nc, d->nc, d->pb[b], C->p->min_obj);
}

static void fast_partition(const ctx *C, scratch *s, int j, int64_t lo, int64_t m)
{
    baiot_row_compact_partition(C->frk[j] + lo, C->fid[j] + lo, C->fcls[j] + lo, m, C->goes, s->ranks, s->cls, s->bytes);
}

/* baiot_j48_grow on the fast path, writing the subtree to *out: the node's instances are, in every column of
 * act[0..nact) (ascending, column 0 first), the segment [lo, lo + m) in
 * value order; the node keeps (lo, m) for pruning instead of an
 * instance list.  A column whose values are all equal in a node is equal
 * in every node below: it can never split there (grow() finds no cut),
 * so the children neither search nor partition it (act drops it; column
 * 0 stays, its instances become perm).  Same decisions and sums as
 * baiot_j48_grow (every sum is of 1.0s, hence exact and order-free).
 * Borrows act.  On failure *out is NULL or a partial subtree (children
 * not grown are NULL) for the caller to free with baiot_j48_node_free. */
baiot_status baiot_j48_grow_fast(ctx *C, int64_t lo, int64_t m, const int32_t *act, int nact, node **out)
{
    baiot_status st = BAIOT_OK;
    int32_t *kid_act = NULL;
    const baiot_j48_params *p = C->p;
    int nc = C->nc, ncols = C->ncols;
    node *t = NULL;
    int64_t cm0 = 0;
    colres *res = NULL;
    if (baiot_j48_fast_leaf(nc, lo, m, out))
        goto oom;
    t = *out;
    int64_t cnt[2 * (J48_FAST_MAX_CLASSES + 1)]; /* per bag and class */
    memset(cnt, 0, (size_t)(2 * nc) * sizeof *cnt);
    {
        const uint8_t *c0 = C->fcls[0] + lo;
        for (int64_t k = 0; k < m; k++)
            cnt[c0[k]]++;
        baiot_j48_dist_from_counts(&t->d, cnt);
    }
    double total = t->d.total;
    if (c45_eq(total, 0))
        t->empty = 1;
    if (baiot_j48_stops(t->d.pc, nc, total, p->min_obj))
        goto done;

    res = baiot_calloc((size_t)ncols, sizeof *res);
    if (!res)
        goto oom;
    int64_t counts[J48_FAST_MAX_CLASSES + 1];
    for (int c = 0; c < nc; c++)
        counts[c] = (int64_t)t->d.pc[c]; /* exact: sums of 1.0 */
    int par = C->threads > 1 && !omp_in_parallel() && (double)m * nact >= J48_FAST_PAR_MIN_WORK;
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, lo, m, total, res, nact, act, counts)
    for (int a = 0; a < nact; a++) {
        int j = act[a];
        scratch *s = &C->s[omp_get_thread_num() % C->n_scratch];
        c45_numeric_split cut;
        baiot_c45_split_numeric_unit(&C->cfg, C->frk[j] + lo, C->sval[j], C->srow[j], C->snxt[j], C->fcls[j] + lo, m,
                                     total, counts,
                               C->lntab, s->work, &cut);
        res[j].valid = cut.valid;
        res[j].ig = cut.info_gain;
        res[j].gr = cut.gain_ratio;
        res[j].split_index = cut.split_index;
        res[j].point = cut.split_point;
    }
    int best = baiot_j48_choose_split(C, res);
    if (best < 0)
        goto done;

    dist sd;
    if (baiot_j48_dist_init(&sd, 2, nc))
        goto oom;
    {
        const uint8_t *bc = C->fcls[best] + lo;
        int64_t si = res[best].split_index;
        memset(cnt, 0, (size_t)(2 * nc) * sizeof *cnt);
        for (int64_t k = 0; k <= si; k++)
            cnt[bc[k]]++;
        for (int64_t k = si + 1; k < m; k++)
            cnt[nc + bc[k]]++;
        baiot_j48_dist_from_counts(&sd, cnt);
    }
    baiot_j48_dist_free(&t->d);
    t->d = sd;
    t->leaf = 0;
    t->attr = best;
    t->nb = 2;
    t->kind = SPLIT_NUMERIC;
    t->point = baiot_j48_split_point(C, best, res[best].point);
    baiot_free(res);
    res = NULL;
    /* the children's columns: the constant ones left out */
    kid_act = baiot_malloc((size_t)nact * sizeof *kid_act);
    if (!kid_act)
        goto oom;
    int kid_nact = 0;
    for (int a = 0; a < nact; a++) {
        int j = act[a];
        if (j == 0 || j48_fast_value(C, j, C->frk[j][lo]) != j48_fast_value(C, j, C->frk[j][lo + m - 1]))
            kid_act[kid_nact++] = j;
    }

    /* route every column's segment */
    {
        const int32_t *br = C->frk[best] + lo, *bi = C->fid[best] + lo, *bo = C->srow[best];
        const double *bv = C->sval[best];
        for (int64_t k = 0; k < m; k++) {
            double x = bo ? bv[bo[br[k]]] : bv[br[k]]; /* with a presort: the order read forwards, the column gathered */
            uint8_t g = (uint8_t)baiot_j48_which_subset(t, x, C->cfg.weka36);
            C->goes[bi[k]] = g;
            cm0 += !g;
        }
    }
    /* column 0 always (its instances become perm, its classes give the
     * children's counts); the others as far as a child will use them */
    int leaf0 = fast_leaf_bag(C, &t->d, 0), leaf1 = fast_leaf_bag(C, &t->d, 1);
    int mode = leaf0 && leaf1 ? 3 : leaf1 ? 1 : leaf0 ? 2 : 0; /* 1: keep bag 0, 2: keep bag 1 */
    par = C->threads > 1 && !omp_in_parallel() && (double)m * kid_nact >= J48_FAST_PAR_MIN_WORK;
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, lo, m, kid_nact, kid_act, mode)
    for (int a = 0; a < kid_nact; a++) {
        int j = kid_act[a];
        if (j == 0 || mode == 0)
            fast_partition(C, &C->s[omp_get_thread_num() % C->n_scratch], j, lo, m);
        else if (mode != 3)
            fast_compact(C, j, lo, m, mode - 1);
    }
    t->kids = baiot_calloc(2, sizeof *t->kids);
    if (!t->kids)
        goto oom;
    for (int b = 0; b < 2 && !st; b++)
        st = b == 0 ? baiot_j48_grow_fast(C, lo, cm0, kid_act, kid_nact, &t->kids[b])
                    : baiot_j48_grow_fast(C, lo + cm0, m - cm0, kid_act, kid_nact, &t->kids[b]);
done:
    baiot_free(res);
    baiot_free(kid_act);
    return st;
oom:
    st = BAIOT_ERR_MEMORY;
    goto done;
}
