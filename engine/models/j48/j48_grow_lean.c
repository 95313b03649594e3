/*
 * j48_grow_lean.c - J48's fast path within a memory budget: when a
 * training's column arrays (9 bytes per training row per column,
 * j48_grow_fast.c) would exceed the budget (baiot_j48_params.
 * column_memory), the top of the tree is grown from the presort, level
 * by level, without column arrays, and the subtrees whose arrays fit are
 * handed to the fast grower with arrays sized to them, as many at a time
 * as the budget holds.
 *
 * A node too large to lay out holds only its segment [lo, lo + m) of
 * C->perm (its instances in column 0's value order, as the fast grower
 * leaves them).  All such nodes of one level are searched together: one
 * pass over each column's presort routes every entry of their instances
 * to its node's region of a per-thread buffer (the node's segment
 * offsets), which is exactly the segment the fast grower would hold for
 * that column (the presort's order filtered, which stable partitions
 * keep); the same kernel (baiot_c45_split_numeric_unit) then gives the
 * same doubles, the same choice (baiot_j48_choose_split), the same split
 * point and routing, so the trees are the fast grower's bit for bit, and
 * with them the pruning and every printed digit.  A second pass over the
 * chosen columns routes the instances (goes) and counts the branches.
 * Subtrees that fit are laid out in groups whose arrays fit together, one
 * pass per column per group.  Costs one pass over the presort per level
 * of large nodes and per group, instead of holding every column for
 * every row.
 *
 * Memory: the presort and the view as always, the per-row arrays of the
 * training, one routed column per thread (9 bytes per row), per instance
 * its pending node (4 bytes), and at most the budget for laid-out
 * subtrees at a time.  Threads: columns in parallel (one result slot per
 * node and column, the choices serial), so results never depend on the
 * thread count.  Covered by tests/unit/test_j48_model.c (lean trainings
 * with budgets from one byte up against unlimited ones, every option
 * set, 1, 2 and 4 threads) and tests/cli/test_j48_memory.py (the CLI's
 * --memory-limit: identical output, and the clear refusal when even the
 * data do not fit).
 */
#include "engine/models/j48/j48_internal.h"
#include "kernels/row_compact.h"

#include <omp.h>
#include <string.h>

int64_t baiot_j48_column_bytes(int64_t rows, int ncols)
{
    return rows * (int64_t)ncols * 9 + (int64_t)ncols * 3 * ROW_COMPACT_SLACK * 4;
}

/* A node waiting to be searched from the presort (stream) or laid out
 * (slot: where its subtree goes). */
typedef struct pend {
    node *t;        /* stream: the node (a leaf until split) */
    node **slot;    /* layout: the parent's child pointer to fill */
    int64_t lo, m;
    int32_t *act;   /* owned: its active columns, ascending, 0 first */
    int nact;
    uint8_t *on;    /* owned: ncols flags, column j active */
    int best;       /* stream: the chosen column (-1: none) */
    int64_t si;     /* stream: its split index */
    double point;   /* stream: its midpoint */
    int64_t cnt[2 * (J48_FAST_MAX_CLASSES + 1)]; /* stream: branch class counts */
} pend;

typedef struct plist {
    pend *p;
    int n, cap;
} plist;

static void plist_clear(plist *L)
{
    for (int i = 0; i < L->n; i++) {
        baiot_free(L->p[i].act);
        baiot_free(L->p[i].on);
    }
    L->n = 0;
}

static void plist_free(plist *L)
{
    plist_clear(L);
    baiot_free(L->p);
    memset(L, 0, sizeof *L);
}

/* Appends a pending node (act copied); BAIOT_ERR_MEMORY on failure. */
static baiot_status plist_add(plist *L, const ctx *C, node *t, node **slot, int64_t lo, int64_t m,
                              const int32_t *act, int nact)
{
    if (L->n == L->cap) {
        int cap = L->cap ? 2 * L->cap : 16;
        pend *q = baiot_realloc(L->p, (size_t)cap * sizeof *q);
        if (!q)
            return BAIOT_ERR_MEMORY;
        L->p = q;
        L->cap = cap;
    }
    pend *e = &L->p[L->n];
    memset(e, 0, sizeof *e);
    e->act = baiot_malloc((size_t)(nact > 0 ? nact : 1) * sizeof *e->act);
    e->on = baiot_calloc((size_t)C->ncols, 1);
    if (!e->act || !e->on) {
        baiot_free(e->act);
        baiot_free(e->on);
        return BAIOT_ERR_MEMORY;
    }
    memcpy(e->act, act, (size_t)nact * sizeof *act);
    for (int a = 0; a < nact; a++)
        e->on[act[a]] = 1;
    e->t = t;
    e->slot = slot;
    e->lo = lo;
    e->m = m;
    e->nact = nact;
    e->best = -1;
    L->n++;
    return BAIOT_OK;
}

/* A new node of perm[lo, lo + m): its class distribution from the
 * instances' classes, a leaf (as the fast grower makes it); *stops = the
 * stopping rule holds (it stays a leaf). */
static baiot_status make_node(const ctx *C, int64_t lo, int64_t m, node **out, int *stops)
{
    int nc = C->nc;
    int64_t cnt[J48_FAST_MAX_CLASSES + 1];
    if (baiot_j48_fast_leaf(nc, lo, m, out))
        return BAIOT_ERR_MEMORY;
    node *t = *out;
    memset(cnt, 0, (size_t)nc * sizeof *cnt);
    for (int64_t k = 0; k < m; k++)
        cnt[C->icls[C->perm[lo + k]]]++;
    baiot_j48_dist_from_counts(&t->d, cnt);
    if (c45_eq(t->d.total, 0))
        t->empty = 1;
    *stops = baiot_j48_stops(t->d.pc, nc, t->d.total, C->p->min_obj);
    return BAIOT_OK;
}

/* C->ninst[view row] = index in L of the pending node holding its
 * instance (-1 elsewhere), or back to -1 (set = 0): a presort entry's
 * node is then one lookup. */
static void mark_nodes(const ctx *C, const plist *L, int set)
{
    for (int s = 0; s < L->n; s++) {
        const int32_t *pi = C->perm + L->p[s].lo;
        for (int64_t k = 0; k < L->p[s].m; k++)
            C->ninst[C->irow[pi[k]]] = set ? s : -1;
    }
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

/* The subtrees of the group L (whose arrays fit the budget together): one
 * pass per column over the presort fills every member's arrays, then the
 * fast grower grows each member on arrays sized to it.  A group of one
 * takes the vector filter (ninst holding instances, not node indices). */
static baiot_status lay_out_group(ctx *C, plist *L)
{
    baiot_status st = BAIOT_ERR_MEMORY;
    int ncols = C->ncols, ng = L->n, bad = 0;
    const baiot_j48_presort *ps = C->ps;
    ctx *S = baiot_calloc((size_t)ng, sizeof *S);
    if (!S)
        return st;
    for (int g = 0; g < ng; g++) {
        pend *e = &L->p[g];
        size_t nn = (size_t)e->m + ROW_COMPACT_SLACK;
        S[g] = *C;
        S[g].frk = baiot_calloc((size_t)ncols, sizeof *S[g].frk);
        S[g].fid = baiot_calloc((size_t)ncols, sizeof *S[g].fid);
        S[g].fcls = baiot_calloc((size_t)ncols, sizeof *S[g].fcls);
        if (!S[g].frk || !S[g].fid || !S[g].fcls)
            goto done;
        for (int a = 0; a < e->nact; a++) {
            int j = e->act[a];
            S[g].frk[j] = baiot_malloc(nn * sizeof(int32_t));
            S[g].fid[j] = baiot_malloc(nn * sizeof(int32_t));
            S[g].fcls[j] = baiot_malloc(nn);
            if (!S[g].frk[j] || !S[g].fid[j] || !S[g].fcls[j])
                goto done;
        }
    }
    int par = C->threads > 1 && !omp_in_parallel();
    if (ng == 1) {
        const pend *e = &L->p[0];
        for (int64_t k = 0; k < e->m; k++)
            C->ninst[C->irow[C->perm[e->lo + k]]] = C->perm[e->lo + k];
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, S, ps, e) reduction(| : bad)
        for (int a = 0; a < e->nact; a++) {
            int j = e->act[a];
            bad |= baiot_row_compact_filter(ps->row[j], ps->cls[j], ps->known[j], C->ninst, S[0].frk[j], S[0].fid[j],
                                            S[0].fcls[j]) != e->m;
        }
        mark_nodes(C, L, 0);
    } else {
        mark_nodes(C, L, 1);
#pragma omp parallel num_threads(C->threads) if (par) default(none) shared(C, L, S, ps, ncols, ng) \
        reduction(| : bad)
        {
            int64_t *pos = baiot_malloc((size_t)ng * sizeof *pos);
            uint8_t *onj = baiot_malloc((size_t)ng);
            if (!pos || !onj)
                bad = 2;
#pragma omp for schedule(dynamic, 1)
            for (int j = 0; j < ncols; j++) {
                if (!pos || !onj)
                    continue;
                memset(pos, 0, (size_t)ng * sizeof *pos);
                for (int g = 0; g < ng; g++)
                    onj[g] = L->p[g].on[j];
                const int32_t *row = ps->row[j];
                const uint8_t *cls = ps->cls[j];
                int64_t kn = ps->known[j];
                for (int64_t q = 0; q < kn; q++) {
                    int32_t r = row[q], g = C->ninst[r];
                    if (g < 0 || !onj[g])
                        continue;
                    int32_t i = C->inst[r];
                    int64_t k = pos[g]++;
                    if (k >= L->p[g].m) {
                        bad |= 1;
                        continue;
                    }
                    S[g].frk[j][k] = (int32_t)q;
                    S[g].fid[j][k] = i;
                    S[g].fcls[j][k] = cls[q];
                }
                for (int g = 0; g < ng; g++)
                    if (onj[g] && pos[g] != L->p[g].m)
                        bad |= 1;
            }
            baiot_free(pos);
            baiot_free(onj);
        }
        mark_nodes(C, L, 0);
    }
    if (bad) {
        st = bad & 1 ? baiot_fail(BAIOT_ERR_ARG, "J48: the presort does not match the view") : BAIOT_ERR_MEMORY;
        goto done;
    }
    st = BAIOT_OK;
    for (int g = 0; g < ng && !st; g++) {
        pend *e = &L->p[g];
        node *t = NULL;
        st = baiot_j48_grow_fast(&S[g], 0, e->m, e->act, e->nact, &t);
        *e->slot = t;
        shift_segments(t, e->lo); /* its segments counted from 0 */
        if (!st) /* column 0's instances, partitioned down the subtree, are its segments */
            memcpy(C->perm + e->lo, S[g].fid[0], (size_t)e->m * sizeof(int32_t));
        for (int j = 0; j < ncols; j++) { /* this member's arrays now, not at the end */
            baiot_free(S[g].frk[j]);
            baiot_free(S[g].fid[j]);
            baiot_free(S[g].fcls[j]);
            S[g].frk[j] = S[g].fid[j] = NULL;
            S[g].fcls[j] = NULL;
        }
    }
done:
    for (int g = 0; g < ng; g++) {
        for (int j = 0; j < ncols; j++) {
            if (S[g].frk)
                baiot_free(S[g].frk[j]);
            if (S[g].fid)
                baiot_free(S[g].fid[j]);
            if (S[g].fcls)
                baiot_free(S[g].fcls[j]);
        }
        baiot_free(S[g].frk);
        baiot_free(S[g].fid);
        baiot_free(S[g].fcls);
    }
    baiot_free(S);
    return st;
}

/* Searches every node of the level L from the presort: per column one
 * pass routing the nodes' entries to their regions of this thread's
 * buffers, then the split kernel on each region; chooses each node's
 * split (e->best, e->si, e->point).  varies[s * ncols + j]: column j not
 * constant in node s. */
static baiot_status search_level(ctx *C, plist *L, uint8_t *varies)
{
    int ncols = C->ncols, nl = L->n, bad = 0;
    const baiot_j48_presort *ps = C->ps;
    colres *res = baiot_calloc((size_t)nl * (size_t)ncols, sizeof *res);
    int64_t *counts = baiot_malloc((size_t)nl * (J48_FAST_MAX_CLASSES + 1) * sizeof *counts);
    if (!res || !counts) {
        baiot_free(res);
        baiot_free(counts);
        return BAIOT_ERR_MEMORY;
    }
    for (int s = 0; s < nl; s++)
        for (int c = 0; c < C->nc; c++)
            counts[(int64_t)s * (J48_FAST_MAX_CLASSES + 1) + c] = (int64_t)L->p[s].t->d.pc[c]; /* exact */
    mark_nodes(C, L, 1);
    int par = C->threads > 1 && !omp_in_parallel();
#pragma omp parallel num_threads(C->threads) if (par) default(none) shared(C, L, ps, ncols, nl, res, counts, varies) \
    reduction(| : bad)
    {
        scratch *sc = &C->s[omp_get_thread_num() % C->n_scratch];
        int32_t *rk = sc->ranks, *id = sc->cls;
        uint8_t *cl = sc->bytes;
        int64_t *pos = baiot_malloc((size_t)nl * sizeof *pos);
        if (!pos)
            bad = 2;
#pragma omp for schedule(dynamic, 1)
        for (int j = 0; j < ncols; j++) {
            if (!pos)
                continue;
            int any = 0;
            for (int s = 0; s < nl; s++) {
                pos[s] = L->p[s].lo; /* the node's region of the buffers */
                any |= L->p[s].on[j];
            }
            if (!any)
                continue;
            const int32_t *row = ps->row[j];
            const uint8_t *cls = ps->cls[j];
            int64_t kn = ps->known[j];
            if (nl == 1) { /* one node: the vector filter (id gets the node index, unused) */
                pos[0] += baiot_row_compact_filter(row, cls, kn, C->ninst, rk + pos[0], id + pos[0], cl + pos[0]);
            } else { /* every node's entries, also of a node where j is constant (not searched) */
                for (int64_t q = 0; q < kn; q++) {
                    int32_t s = C->ninst[row[q]];
                    if (s < 0)
                        continue;
                    int64_t k = pos[s]++;
                    rk[k] = (int32_t)q;
                    cl[k] = cls[q];
                }
            }
            for (int s = 0; s < nl; s++) {
                const pend *e = &L->p[s];
                if (!e->on[j])
                    continue;
                if (pos[s] != e->lo + e->m) {
                    bad |= 1;
                    continue;
                }
                c45_numeric_split cut;
                baiot_c45_split_numeric_unit(&C->cfg, rk + e->lo, C->sval[j], C->srow[j], C->snxt[j], cl + e->lo, e->m,
                                             e->t->d.total, counts + (int64_t)s * (J48_FAST_MAX_CLASSES + 1),
                                             C->lntab, sc->work, &cut);
                colres *r = &res[(int64_t)s * ncols + j];
                r->valid = cut.valid;
                r->ig = cut.info_gain;
                r->gr = cut.gain_ratio;
                r->split_index = cut.split_index;
                r->point = cut.split_point;
                varies[(int64_t)s * ncols + j] =
                    j48_fast_value(C, j, rk[e->lo]) != j48_fast_value(C, j, rk[e->lo + e->m - 1]);
            }
        }
        baiot_free(pos);
    }
    mark_nodes(C, L, 0);
    for (int s = 0; s < nl && !bad; s++) {
        pend *e = &L->p[s];
        e->best = baiot_j48_choose_split(C, res + (int64_t)s * ncols);
        if (e->best >= 0) {
            e->si = res[(int64_t)s * ncols + e->best].split_index;
            e->point = res[(int64_t)s * ncols + e->best].point;
        }
    }
    baiot_free(res);
    baiot_free(counts);
    if (bad)
        return bad & 1 ? baiot_fail(BAIOT_ERR_ARG, "J48: the presort does not match the view") : BAIOT_ERR_MEMORY;
    return BAIOT_OK;
}

/* Makes each node of L with a best column a split: one pass per chosen
 * column counts its branches by the split index and routes its
 * instances (C->goes) by the split point, as j48_grow_fast.c does. */
static baiot_status split_level(ctx *C, plist *L)
{
    int ncols = C->ncols, nl = L->n, nc = C->nc, w36 = C->cfg.weka36, bad = 0;
    const baiot_j48_presort *ps = C->ps;
    for (int s = 0; s < nl; s++) { /* the point first: routing uses it */
        pend *e = &L->p[s];
        if (e->best < 0)
            continue;
        node *t = e->t;
        t->kind = SPLIT_NUMERIC;
        t->attr = e->best;
        t->point = baiot_j48_split_point(C, e->best, e->point);
        memset(e->cnt, 0, (size_t)(2 * nc) * sizeof *e->cnt);
    }
    int *bestof = baiot_malloc((size_t)nl * sizeof *bestof);
    if (!bestof)
        return BAIOT_ERR_MEMORY;
    for (int s = 0; s < nl; s++)
        bestof[s] = L->p[s].best;
    mark_nodes(C, L, 1);
    int par = C->threads > 1 && !omp_in_parallel();
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, L, ps, ncols, nl, nc, w36, bestof) reduction(| : bad)
    for (int j = 0; j < ncols; j++) {
        int any = 0;
        for (int s = 0; s < nl; s++)
            any |= bestof[s] == j;
        if (!any)
            continue;
        int64_t *seen = baiot_calloc((size_t)nl, sizeof *seen);
        if (!seen) {
            bad |= 2;
            continue;
        }
        const int32_t *row = ps->row[j];
        const uint8_t *cls = ps->cls[j];
        int64_t kn = ps->known[j];
        for (int64_t q = 0; q < kn; q++) {
            int32_t r = row[q], s = C->ninst[r];
            if (s < 0 || bestof[s] != j)
                continue;
            pend *e = &L->p[s];
            e->cnt[(seen[s]++ <= e->si ? 0 : nc) + cls[q]]++;
            C->goes[C->inst[r]] = (uint8_t)baiot_j48_which_subset(e->t, C->sval[j][r], w36);
        }
        baiot_free(seen);
    }
    mark_nodes(C, L, 0);
    baiot_free(bestof);
    if (bad)
        return BAIOT_ERR_MEMORY;
    for (int s = 0; s < nl; s++) {
        pend *e = &L->p[s];
        if (e->best < 0)
            continue;
        node *t = e->t;
        dist sd;
        if (baiot_j48_dist_init(&sd, 2, nc))
            return BAIOT_ERR_MEMORY;
        baiot_j48_dist_from_counts(&sd, e->cnt);
        baiot_j48_dist_free(&t->d);
        t->d = sd;
        t->leaf = 0;
        t->nb = 2;
    }
    return BAIOT_OK;
}

/* The children of the split nodes of L: perm's segments partitioned
 * stably (left child first), each child a leaf, a subtree to lay out
 * (into *lay) or a node of the next level (into *next). */
static baiot_status children(ctx *C, plist *L, const uint8_t *varies, plist *next, plist *lay)
{
    int ncols = C->ncols;
    int32_t *kid_act = baiot_malloc((size_t)(ncols > 0 ? ncols : 1) * sizeof *kid_act);
    if (!kid_act)
        return BAIOT_ERR_MEMORY;
    baiot_status st = BAIOT_OK;
    for (int s = 0; s < L->n && !st; s++) {
        pend *e = &L->p[s];
        if (e->best < 0)
            continue;
        node *t = e->t;
        int kid_nact = 0;
        for (int a = 0; a < e->nact; a++)
            if (e->act[a] == 0 || varies[(int64_t)s * ncols + e->act[a]])
                kid_act[kid_nact++] = e->act[a];
        int32_t *pi = C->perm + e->lo, *tmp = C->s[0].ranks;
        int64_t cm0 = 0, n1 = 0;
        for (int64_t k = 0; k < e->m; k++) {
            int32_t i = pi[k];
            if (C->goes[i] == 0)
                pi[cm0++] = i; /* cm0 <= k: already read */
            else
                tmp[n1++] = i;
        }
        memcpy(pi + cm0, tmp, (size_t)n1 * sizeof *tmp);
        t->kids = baiot_calloc(2, sizeof *t->kids);
        if (!t->kids)
            st = BAIOT_ERR_MEMORY;
        for (int b = 0; b < 2 && !st; b++) {
            int64_t lo = b == 0 ? e->lo : e->lo + cm0, m = b == 0 ? cm0 : e->m - cm0;
            int stops = 0;
            if ((st = make_node(C, lo, m, &t->kids[b], &stops)) || stops)
                continue;
            if (baiot_j48_column_bytes(m, kid_nact) <= C->budget) { /* the fast grower makes it again */
                baiot_j48_node_free(t->kids[b]);
                t->kids[b] = NULL;
                st = plist_add(lay, C, NULL, &t->kids[b], lo, m, kid_act, kid_nact);
            } else {
                st = plist_add(next, C, t->kids[b], NULL, lo, m, kid_act, kid_nact);
            }
        }
    }
    baiot_free(kid_act);
    return st;
}

baiot_status baiot_j48_grow_lean(ctx *C, int64_t lo, int64_t m, const int32_t *act, int nact, node **out)
{
    plist cur = {0}, next = {0}, lay = {0}, group = {0};
    uint8_t *varies = NULL;
    int stops = 0;
    baiot_status st = make_node(C, lo, m, out, &stops);
    if (st || stops)
        return st;
    if (baiot_j48_column_bytes(m, nact) <= C->budget) {
        baiot_j48_node_free(*out);
        *out = NULL;
        if ((st = plist_add(&lay, C, NULL, out, lo, m, act, nact)))
            goto done;
    } else if ((st = plist_add(&cur, C, *out, NULL, lo, m, act, nact))) {
        goto done;
    }
    /* the large nodes, level by level */
    while (cur.n > 0) {
        baiot_free(varies);
        varies = baiot_calloc((size_t)cur.n * (size_t)C->ncols, 1);
        if (!varies) {
            st = BAIOT_ERR_MEMORY;
            goto done;
        }
        if ((st = search_level(C, &cur, varies)) || (st = split_level(C, &cur)) ||
            (st = children(C, &cur, varies, &next, &lay)))
            goto done;
        plist t = cur;
        cur = next;
        next = t;
        plist_clear(&next);
    }
    /* the subtrees that fit, in groups within the budget */
    for (int i = 0; i < lay.n && !st;) {
        int64_t used = 0;
        plist_clear(&group);
        for (; i < lay.n; i++) {
            int64_t b = baiot_j48_column_bytes(lay.p[i].m, lay.p[i].nact);
            if (group.n > 0 && used + b > C->budget)
                break;
            if ((st = plist_add(&group, C, NULL, lay.p[i].slot, lay.p[i].lo, lay.p[i].m, lay.p[i].act,
                                lay.p[i].nact)))
                goto done;
            used += b;
        }
        st = lay_out_group(C, &group);
    }
done:
    baiot_free(varies);
    plist_free(&cur);
    plist_free(&next);
    plist_free(&lay);
    plist_free(&group);
    return st;
}
