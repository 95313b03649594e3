/*
 * j48_train.c - J48's training (baiot_j48_train): the parameters, the
 * preparations that turn a view's rows into a training context, and the
 * order of the stages: grow (j48_grow.c, or j48_grow_fast.c when every
 * column is numeric, no training value is missing and every weight is
 * 1), collapse (unless -O), prune (unless -U; j48_prune.c).
 *
 * The preparations, in order (each a prepare_* function):
 *   1. rows:    the training rows with a class become the instances, in
 *               the given order, with their weights; decides whether the
 *               fast path may apply;
 *   2. presort: with a presort of this view (fast path, no row twice) the
 *               instances become the training rows in ascending order;
 *   3. fast:    the fast path's column arrays (with a presort: its order
 *               filtered to the training rows);
 *   4. scratch: per-thread search buffers;
 *   5. sort:    without a presort, every numeric column sorted once
 *               (kernels/sort_keys.h): the general path's per-column
 *               orders, or the fast path's column arrays;
 *   6. order:   on the general path with a missing value or a fractional
 *               weight, Weka's instance orders instead (sums of
 *               fractions depend on their order).
 *
 * Guarantees: a failure frees everything and returns its status with a
 * message naming the stage (an allocation) or the cause (anything else);
 * the trees do not depend on the thread count or on a presort.  Covered
 * by tests/unit/test_j48_model.c (fast against general path, presort,
 * threads, every allocation failing in turn) and the J48 goldens
 * (tests/cli/test_j48_golden.py).
 */
#include "engine/models/j48/j48_internal.h"
#include "kernels/row_compact.h"
#include "kernels/sort_keys.h"

#include <omp.h>
#include <string.h>

baiot_j48_params baiot_j48_params_default(void)
{
    baiot_j48_params p;
    memset(&p, 0, sizeof p);
    p.confidence = 0.25;
    p.min_obj = 2;
    return p;
}

const char *baiot_j48_params_check(const baiot_j48_params *p)
{
    if (!(p->confidence > 0 && p->confidence <= 0.5) && !p->unpruned)
        return "the pruning confidence (-C) must be in (0, 0.5]";
    if (p->min_obj < 0)
        return "the minimum leaf weight (-M) must be >= 0";
    if (p->n_threads < 0)
        return "the thread count must be >= 0";
    if (p->column_memory < 0)
        return "the column memory must be >= 0";
    return NULL;
}

/* The training's temporaries besides the context (freed by prep_free). */
typedef struct prep {
    int64_t *all;   /* the training rows with a class, in order (C->all_rows) */
    int64_t *rows;  /* the instances' view rows: the general path's root
                       instance list, the fast path's C->irow */
    double *w;      /* the instances' weights (general path) */
    int32_t **ords; /* per numeric column: the instances in value order,
                       missing values last (general path; NULL: nominal) */
} prep;

static void prep_free(prep *P, int ncols)
{
    if (P->ords)
        for (int j = 0; j < ncols; j++)
            baiot_free(P->ords[j]);
    baiot_free(P->ords);
    baiot_free(P->rows);
    baiot_free(P->w);
    baiot_free(P->all);
    memset(P, 0, sizeof *P);
}

static void free_ctx(ctx *C)
{
    if (C->all_sorted)
        for (int j = 0; j < C->ncols; j++)
            baiot_free(C->all_sorted[j]);
    baiot_free(C->all_sorted);
    baiot_free(C->all_known);
    for (int j = 0; j < C->ncols; j++) {
        if (C->own_nxt)
            baiot_free(C->own_nxt[j]);
        if (C->frk)
            baiot_free(C->frk[j]);
        if (C->fid)
            baiot_free(C->fid[j]);
        if (C->fcls)
            baiot_free(C->fcls[j]);
    }
    baiot_free(C->frk);
    baiot_free(C->own_nxt);
    baiot_free((void *)C->sval);
    baiot_free((void *)C->srow);
    baiot_free((void *)C->snxt);
    baiot_free(C->fid);
    baiot_free(C->fcls);
    baiot_free(C->goes);
    baiot_free(C->lntab);
    baiot_free(C->icls);
    baiot_free(C->inst);
    baiot_free(C->ninst);
    baiot_free(C->perm);
    baiot_free(C->rx);
    baiot_free(C->rcol);
    if (C->s)
        for (int i = 0; i < C->n_scratch; i++) {
            baiot_free(C->s[i].bytes);
            baiot_free(C->s[i].ranks);
            baiot_free(C->s[i].vals);
            baiot_free(C->s[i].w);
            baiot_free(C->s[i].work);
            baiot_free(C->s[i].cls);
        }
    baiot_free(C->s);
}

/* The context's settings for training p on v (allocates nothing). */
static void init_ctx(ctx *C, const baiot_view *v, const baiot_j48_params *p)
{
    memset(C, 0, sizeof *C);
    C->v = v;
    C->p = p;
    C->nc = v->n_classes;
    C->ncols = v->n_cols;
    C->keep_data = !p->unpruned && !p->no_raise;
    C->cfg.n_classes = v->n_classes;
    C->cfg.min_obj = p->min_obj;
    C->cfg.use_mdl = !p->no_mdl;
    C->cfg.weka36 = p->weka36;
    C->budget = p->column_memory;
    C->threads = p->n_threads > 0 ? p->n_threads : omp_get_max_threads();
    if (C->threads < 1)
        C->threads = 1;
    /* inside a parallel region (a fold) every loop runs on one thread */
    C->n_scratch = omp_in_parallel() ? 1 : C->threads;
}

/* 1. The training rows with a class, in the given order: C->all_rows and
 * the instances (P->rows, P->w); the attribute facts the split choice
 * needs; whether the fast path may apply (all columns numeric, unit
 * weights; missing values are found by the sort). */
static baiot_status prepare_rows(ctx *C, prep *P, const int64_t *rows, int64_t n, const double *weights)
{
    const baiot_view *v = C->v;
    size_t nn = (size_t)(n > 0 ? n : 1);
    P->all = baiot_malloc(nn * sizeof *P->all);
    P->rows = baiot_malloc(nn * sizeof *P->rows);
    P->w = baiot_malloc(nn * sizeof *P->w);
    if (!P->all || !P->rows || !P->w)
        return BAIOT_ERR_MEMORY;
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (v->y[rows[i]] >= 0) {
            P->all[m] = rows[i];
            P->rows[m] = rows[i];
            P->w[m] = weights ? weights[rows[i]] : 1.0;
            m++;
        }
    C->all_rows = P->all;
    C->n_all = m;
    C->given_rows = rows;
    C->n_given = n;
    C->multival = 1;
    for (int j = 0; j < v->n_cols; j++) {
        const baiot_attr *a = &v->attrs[j];
        if (a->kind == BAIOT_ATTR_NUMERIC || c45_sm((double)a->n_values, J48_MULTIVAL_SHARE * (double)m))
            C->multival = 0;
        if (a->kind == BAIOT_ATTR_NOMINAL && a->n_values > C->max_values)
            C->max_values = a->n_values;
    }
    /* the fast path's conditions (see j48_grow_fast.c) */
    C->fast = C->nc >= 1 && C->nc <= J48_FAST_MAX_CLASSES && m > 0 && !C->p->general;
    for (int j = 0; j < v->n_cols; j++)
        if (v->attrs[j].kind != BAIOT_ATTR_NUMERIC)
            C->fast = 0;
    for (int64_t i = 0; i < m && C->fast; i++)
        if (P->w[i] != 1.0)
            C->fast = 0;
    return BAIOT_OK;
}

/* 2. With a presort of this view (no value missing, no row twice) the
 * instances are the training rows in ascending order (P->rows rewritten,
 * C->inst maps a view row to its instance), and each column's value
 * order is the presort's filtered: the same values in the same order as
 * sorting them here, only rows of equal values may come in another
 * order, which no sum of 1.0s can tell.  Sets C->ps when it applies. */
static baiot_status prepare_presort(ctx *C, prep *P, const int64_t *rows, int64_t n)
{
    const baiot_view *v = C->v;
    const baiot_j48_presort *ps = C->p->presort;
    if (!(C->fast && ps && ps->v == v && !ps->any_missing && v->n_rows <= INT32_MAX))
        return BAIOT_OK;
    C->inst = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *C->inst);
    if (!C->inst)
        return BAIOT_ERR_MEMORY;
    for (int64_t r = 0; r < v->n_rows; r++)
        C->inst[r] = -1;
    int dup = 0;
    for (int64_t i = 0; i < n && !dup; i++) {
        int64_t r = rows[i];
        if (v->y[r] < 0)
            continue;
        dup = C->inst[r] >= 0;
        C->inst[r] = 0;
    }
    if (dup) {
        baiot_free(C->inst);
        C->inst = NULL;
        return BAIOT_OK;
    }
    int64_t k = 0;
    for (int64_t r = 0; r < v->n_rows; r++)
        if (C->inst[r] >= 0) {
            C->inst[r] = (int32_t)k;
            P->rows[k++] = r;
        }
    C->ps = ps;
    return BAIOT_OK;
}

/* 3. The fast path's arrays: per column containers, goes, the lnfunc
 * table, the instances' classes; with a presort, every column's rank /
 * instance / class arrays as the presort's order filtered to the
 * training rows. */
static baiot_status prepare_fast(ctx *C, prep *P)
{
    if (!C->fast)
        return BAIOT_OK;
    const baiot_view *v = C->v;
    int64_t m = C->n_all;
    size_t nn = (size_t)(m > 0 ? m : 1), nv = (size_t)(v->n_cols > 0 ? v->n_cols : 1);
    C->frk = baiot_calloc(nv, sizeof *C->frk);
    C->fid = baiot_calloc(nv, sizeof *C->fid);
    C->fcls = baiot_calloc(nv, sizeof *C->fcls);
    C->sval = baiot_calloc(nv, sizeof *C->sval);
    C->srow = baiot_calloc(nv, sizeof *C->srow);
    C->snxt = baiot_calloc(nv, sizeof *C->snxt);
    C->own_nxt = baiot_calloc(nv, sizeof *C->own_nxt);
    C->goes = baiot_calloc(nn + ROW_COMPACT_SLACK, 1); /* read as 32-bit words */
    C->lntab = baiot_malloc((nn + 1) * sizeof *C->lntab);
    C->icls = baiot_malloc(nn);
    if (!C->frk || !C->fid || !C->fcls || !C->sval || !C->srow || !C->snxt || !C->own_nxt || !C->goes || !C->lntab || !C->icls)
        return BAIOT_ERR_MEMORY;
    baiot_c45_split_lnfunc_table(C->lntab, m, C->p->weka36);
    for (int64_t i = 0; i < m; i++)
        C->icls[i] = (uint8_t)v->y[P->rows[i]];
    C->irow = P->rows;
    if (!C->ps)
        return BAIOT_OK; /* the columns come from the sort (prepare_sort) */
    const baiot_j48_presort *ps = C->ps;
    int par = C->threads > 1 && !omp_in_parallel();
    int ncols = v->n_cols, bad = 0;
    C->lean = C->budget > 0 && baiot_j48_column_bytes(m, ncols) > C->budget;
    for (int j = 0; j < ncols && C->lean; j++) {
        C->sval[j] = v->cols[j];
        C->srow[j] = ps->row[j];
        C->snxt[j] = ps->nxt[j];
    }
    if (C->lean)
        return BAIOT_OK; /* no column arrays: j48_grow_lean.c */
    for (int j = 0; j < ncols; j++) {
        /* the filter below stores whole vectors past its last row */
        C->frk[j] = baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(int32_t));
        C->fid[j] = baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(int32_t));
        C->fcls[j] = baiot_malloc(nn + ROW_COMPACT_SLACK);
        if (!C->frk[j] || !C->fid[j] || !C->fcls[j])
            return BAIOT_ERR_MEMORY;
        C->sval[j] = v->cols[j];
        C->srow[j] = ps->row[j];
        C->snxt[j] = ps->nxt[j];
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, ps, ncols, m) reduction(| : bad)
    for (int j = 0; j < ncols; j++) {
        int64_t k = baiot_row_compact_filter(ps->row[j], ps->cls[j], ps->known[j], C->inst, C->frk[j], C->fid[j], C->fcls[j]);
        bad |= k != m;
    }
    if (bad) /* prepare_presort checked any_missing: the presort is not of this view's data */
        return baiot_fail(BAIOT_ERR_ARG, "J48: the presort does not match the view (a column does not hold all %lld "
                                         "training rows)", (long long)m);
    return BAIOT_OK;
}

/* 4. One set of search buffers per thread of the training. */
static baiot_status prepare_scratch(ctx *C)
{
    int64_t m = C->n_all;
    int nc = C->nc;
    size_t nn = (size_t)(m > 0 ? m : 1);
    size_t work = (size_t)(C->max_values + 2) * (size_t)(nc + 1) + 4 * (size_t)nc + 8;
    C->s = baiot_calloc((size_t)C->n_scratch, sizeof *C->s);
    if (!C->s)
        return BAIOT_ERR_MEMORY;
    for (int i = 0; i < C->n_scratch; i++) {
        C->s[i].vals = baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(double));
        C->s[i].w = C->ps ? NULL : baiot_malloc(nn * sizeof(double)); /* general path only */
        C->s[i].cls = baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(int32_t));
        C->s[i].work = baiot_malloc(work * sizeof(double));
        C->s[i].bytes = C->fast ? baiot_malloc(nn + ROW_COMPACT_SLACK) : NULL;
        C->s[i].ranks = C->fast ? baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(int32_t)) : NULL;
        if (!C->s[i].vals || (!C->ps && !C->s[i].w) || !C->s[i].cls || !C->s[i].work ||
            (C->fast && (!C->s[i].bytes || !C->s[i].ranks)))
            return BAIOT_ERR_MEMORY;
    }
    return BAIOT_OK;
}

/* 5. Without a presort: every numeric column sorted once.  P->ords[j]
 * gets the instances in value order (missing last), C->all_sorted[j] the
 * known values ascending; a missing value turns the fast path off.  On
 * the fast path the orders then become the column arrays (fid[j] =
 * ords[j], ranks 0.., class bytes, the tie rule on all_sorted). */
static baiot_status prepare_sort(ctx *C, prep *P)
{
    if (C->ps)
        return BAIOT_OK; /* sorted already */
    const baiot_view *v = C->v;
    int64_t m = C->n_all;
    size_t nn = (size_t)(m > 0 ? m : 1), nv = (size_t)(v->n_cols > 0 ? v->n_cols : 1);
    const int64_t *rrows = P->rows;
    baiot_status st = BAIOT_ERR_MEMORY;
    baiot_sort_workspace sw;
    int sorted_ok = baiot_sort_workspace_alloc(&sw, (int64_t)nn) == BAIOT_OK;
    double *tx = baiot_malloc(nn * sizeof *tx);
    /* the instances by view row, so that gathering a column reads it in
     * order (optional: skipped when out of memory) */
    int32_t *bypos = baiot_malloc(nn * sizeof *bypos);
    int64_t *rowsorted = baiot_malloc(nn * sizeof *rowsorted);
    P->ords = baiot_calloc(nv, sizeof *P->ords);
    C->all_sorted = baiot_calloc(nv, sizeof *C->all_sorted);
    C->all_known = baiot_calloc(nv, sizeof *C->all_known);
    if (!sorted_ok || !tx || !P->ords || !C->all_sorted || !C->all_known)
        goto done;
    if (bypos && rowsorted) {
        for (int64_t i = 0; i < m; i++) {
            tx[i] = (double)rrows[i];
            bypos[i] = (int32_t)i;
        }
        baiot_sort_workspace_sort(&sw, tx, bypos, m);
        for (int64_t q = 0; q < m; q++)
            rowsorted[q] = rrows[bypos[q]];
    } else {
        baiot_free(bypos);
        baiot_free(rowsorted);
        bypos = NULL;
        rowsorted = NULL;
    }
    for (int j = 0; j < v->n_cols; j++) {
        if (v->attrs[j].kind != BAIOT_ATTR_NUMERIC)
            continue;
        const double *x = v->cols[j];
        int32_t *o = baiot_malloc(nn * sizeof *o);
        C->all_sorted[j] = baiot_malloc(nn * sizeof(double));
        P->ords[j] = o;
        if (!o || !C->all_sorted[j])
            goto done;
        int64_t k = 0;
        if (bypos)
            for (int64_t q = 0; q < m; q++) /* reads x in row order */
                tx[bypos[q]] = x[rowsorted[q]];
        else
            for (int64_t i = 0; i < m; i++)
                tx[i] = x[rrows[i]];
        for (int64_t i = 0; i < m; i++)
            if (!isnan(tx[i]))
                o[k++] = (int32_t)i;
        baiot_sort_workspace_sort(&sw, tx, o, k);
        for (int64_t i = 0; i < k; i++)
            C->all_sorted[j][i] = tx[o[i]];
        C->all_known[j] = k;
        if (k < m)
            C->fast = 0; /* a missing value */
        for (int64_t i = 0; i < m; i++)
            if (isnan(tx[i]))
                o[k++] = (int32_t)i;
    }
    if (C->fast) {
        /* per column: ranks into all_sorted (the rows are in its order),
         * instances, class bytes; the tie rule on all_sorted */
        const uint8_t *icls = C->icls;
        for (int j = 0; j < v->n_cols; j++) {
            const int32_t *o = P->ords[j];
            C->frk[j] = baiot_malloc(nn * sizeof(int32_t));
            C->fcls[j] = baiot_malloc(nn);
            C->own_nxt[j] = baiot_malloc(nn * sizeof(int32_t));
            if (!C->frk[j] || !C->fcls[j] || !C->own_nxt[j])
                goto done;
            C->fid[j] = P->ords[j];
            P->ords[j] = NULL;
            for (int64_t i = 0; i < m; i++) {
                C->frk[j][i] = (int32_t)i;
                C->fcls[j][i] = icls[o[i]];
            }
            baiot_c45_split_next_cut(C->all_sorted[j], m, C->own_nxt[j]);
            C->sval[j] = C->all_sorted[j];
            C->snxt[j] = C->own_nxt[j];
        }
    }
    st = BAIOT_OK;
done:
    baiot_sort_workspace_free(&sw);
    baiot_free(tx);
    baiot_free(bypos);
    baiot_free(rowsorted);
    return st;
}

/* 6. The general path sums fractional weights (a missing value spreads a
 * row over the branches): the sums then depend on their order, so the
 * nodes keep their instances in Weka's order (C->worder, j48_grow.c) and
 * the column orders are not needed.  With no value missing and integer
 * weights every partial sum is exact and the orders of step 5 serve. */
static void prepare_order(ctx *C, prep *P)
{
    if (C->fast)
        return;
    const baiot_view *v = C->v;
    int64_t m = C->n_all;
    for (int64_t i = 0; i < m && !C->worder; i++)
        if (P->w[i] != floor(P->w[i]))
            C->worder = 1;
    for (int j = 0; j < v->n_cols && !C->worder; j++) {
        const double *x = v->cols[j];
        for (int64_t i = 0; i < m; i++)
            if (isnan(x[P->rows[i]])) {
                C->worder = 1;
                break;
            }
    }
    if (C->worder && P->ords) {
        for (int j = 0; j < v->n_cols; j++)
            baiot_free(P->ords[j]);
        baiot_free(P->ords);
        P->ords = NULL;
    }
}

/* The lean fast path's start (j48_grow_lean.c): perm = the instances in
 * column 0's presort order, ninst all -1. */
static baiot_status prepare_lean(ctx *C)
{
    int64_t n = C->v->n_rows;
    C->perm = baiot_malloc(((size_t)C->n_all + ROW_COMPACT_SLACK) * sizeof *C->perm);
    C->ninst = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof *C->ninst);
    if (!C->perm || !C->ninst)
        return BAIOT_ERR_MEMORY;
    for (int64_t r = 0; r < n; r++)
        C->ninst[r] = -1;
    const baiot_j48_presort *ps = C->ps;
    if (baiot_row_compact_filter(ps->row[0], ps->cls[0], ps->known[0], C->inst, C->s[0].ranks, C->perm,
                                 C->s[0].bytes) != C->n_all)
        return baiot_fail(BAIOT_ERR_ARG, "J48: the presort does not match the view");
    return BAIOT_OK;
}

/* Grows M->root.  General path: the root takes the instance lists and
 * the column orders (baiot_j48_grow's ownership rule), so P gives them
 * up.  Fast path: afterwards only the node segments (one column's
 * instances, C->perm) are kept for pruning; the column arrays are freed. */
static baiot_status grow_tree(ctx *C, prep *P, baiot_j48_model *M)
{
    int ncols = C->ncols;
    if (!C->fast) {
        baiot_status st = baiot_j48_grow(C, P->rows, P->w, C->n_all, P->ords, &M->root);
        P->rows = NULL; /* taken by the root, also on failure */
        P->w = NULL;
        P->ords = NULL;
        return st;
    }
    if (P->ords)
        for (int j = 0; j < ncols; j++)
            baiot_free(P->ords[j]);
    baiot_free(P->ords);
    P->ords = NULL;
    baiot_free(P->w);
    P->w = NULL;
    int32_t *all_cols = baiot_malloc((size_t)(ncols > 0 ? ncols : 1) * sizeof *all_cols);
    if (!all_cols)
        return BAIOT_ERR_MEMORY;
    for (int j = 0; j < ncols; j++)
        all_cols[j] = j;
    if (C->lean) {
        baiot_status st = prepare_lean(C);
        if (!st)
            st = baiot_j48_grow_lean(C, 0, C->n_all, all_cols, ncols, &M->root);
        baiot_free(all_cols);
        return st;
    }
    baiot_status st = baiot_j48_grow_fast(C, 0, C->n_all, all_cols, ncols, &M->root);
    baiot_free(all_cols);
    if (st)
        return st;
    C->perm = C->fid[0];
    C->fid[0] = NULL;
    for (int j = 0; j < ncols; j++) {
        baiot_free(C->frk[j]);
        baiot_free(C->fid[j]);
        baiot_free(C->fcls[j]);
        baiot_free(C->own_nxt[j]);
        C->frk[j] = NULL;
        C->fid[j] = NULL;
        C->fcls[j] = NULL;
        C->own_nxt[j] = NULL;
    }
    return BAIOT_OK;
}

baiot_status baiot_j48_train(const baiot_view *v, const int64_t *rows, int64_t n, const double *weights,
                             const baiot_j48_params *params, baiot_j48_model **out)
{
    baiot_j48_params defaults = baiot_j48_params_default();
    const baiot_j48_params *p = params ? params : &defaults;
    const char *msg = baiot_j48_params_check(p);
    ctx C;
    prep P;
    baiot_j48_model *M = NULL;
    baiot_status st = BAIOT_OK;
    const char *stage = "preparing the training data";
    *out = NULL;
    if (msg)
        return baiot_fail(BAIOT_ERR_ARG, "J48: %s", msg);
    if (n > INT32_MAX)
        return baiot_fail(BAIOT_ERR_ARG, "J48: at most 2^31-1 training rows");
    init_ctx(&C, v, p);
    memset(&P, 0, sizeof P);
    M = baiot_calloc(1, sizeof *M);
    if (!M) {
        st = BAIOT_ERR_MEMORY;
        goto fail;
    }
    M->p = *p;
    M->nc = v->n_classes;
    M->ncols = v->n_cols;
    M->cf = (float)p->confidence;
    M->z = baiot_j48_normal_inverse(1 - (double)M->cf);
    if ((st = prepare_rows(&C, &P, rows, n, weights)) || (st = prepare_presort(&C, &P, rows, n)) ||
        (st = prepare_fast(&C, &P)) || (st = prepare_scratch(&C)) || (st = prepare_sort(&C, &P)))
        goto fail;
    prepare_order(&C, &P);
    stage = "growing the tree";
    if ((st = grow_tree(&C, &P, M)))
        goto fail;
    stage = "pruning the tree";
    if (C.fast && !p->unpruned && !p->no_raise && (st = baiot_j48_prepare_fast_prune(&C, M->root)))
        goto fail;
    if (!p->no_collapse && (st = baiot_j48_collapse(M->root)))
        goto fail;
    if (!p->unpruned && (st = baiot_j48_prune(&C, M, M->root)))
        goto fail;
    baiot_j48_drop_data(M->root);
    free_ctx(&C);
    prep_free(&P, v->n_cols);
    *out = M;
    return BAIOT_OK;
fail:
    if (st == BAIOT_ERR_MEMORY)
        st = baiot_fail(BAIOT_ERR_MEMORY, "J48: out of memory %s (%lld rows)", stage, (long long)n);
    free_ctx(&C);
    prep_free(&P, v->n_cols);
    baiot_j48_free(M);
    return st;
}
