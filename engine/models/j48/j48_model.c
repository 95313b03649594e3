/*
 * j48_model.c - Weka's J48 (see include/baiot/j48.h): growing, collapse,
 * error-based pruning with subtree raising, class distributions, printing.
 *
 * Flow: the training rows with a class become the root's instance list
 * (row, weight) in the given order.  Every numeric column is sorted once
 * (kernels/sort_keys.h); a node keeps, per numeric column, the order of its
 * own instances by value (missing last), and hands each child the stable
 * filter of that order, so no node sorts.  At a node every column is
 * searched (kernels/c45_split.c for numeric cuts; nominal columns here),
 * the best gain ratio among columns of at least average gain wins, and the
 * instances are routed: known values by the test, missing ones to every
 * branch with positive weight, their weight scaled by the branch's share.
 * Then collapse (unless -O), then pruning (unless -U) as Weka's
 * C45PruneableClassifierTree does it, re-routing a node's training data
 * down its largest branch for subtree raising.
 *
 * Fast path (grow_fast): when every column is numeric, no training value
 * is missing and all weights are 1, each column's rows live in value order
 * in contiguous arrays (rank into the column's sorted values, instance,
 * class byte: 9 bytes a row, moved sixteen at a time by
 * kernels/row_compact.c), nodes are segments partitioned stably in place
 * (a child that will be a leaf is not laid out; a column constant in a
 * node leaves its subtree), and the search uses integer counts with a
 * lnfunc table: same
 * trees, same doubles (tests/unit/test_c45_split.c checks the kernel
 * bitwise, tests/unit/test_j48_model.c the trees against the general
 * path).  With a presort (baiot_j48_presort: every column of the view
 * sorted once, shared read-only by all folds) a training filters the
 * presorted order instead of sorting; the instances are then its rows in
 * ascending order.  Only rows of exactly equal values can come in another
 * order than a sort of the training rows would give, and with unit
 * weights no sum can tell.  After growing, one column's instance array
 * (perm) keeps every node's data as its segment; pruning walks only the
 * smaller branches' instances (see fast_errors_for_branch) over a
 * row-major copy of the split columns.
 *
 * Memory of one fast training (what each concurrent fold holds), per
 * training row, c columns: 9 c bytes of column arrays while growing
 * (freed before pruning), 9 bytes of partition scratch (one set per
 * thread of the training), about 30 bytes of instance lists, class bytes
 * and the lnfunc table, then 4 + 8 u bytes for pruning (u split columns);
 * plus 4 bytes per view row with a presort.  The presort itself: 17 bytes
 * per view row per column (row, value, class, tie rule), once.  Without a
 * presort each training also sorts: all_sorted's 8 bytes and the tie
 * rule's 4 per row per column, and the sort's work.
 *
 * Invariants: a node's distribution sums its instances' weights in
 * instance order (Weka's Distribution.add order); the split search sums in
 * value order (Weka sorts the node before searching).  With unit weights
 * every sum is an exact integer, so order does not matter there.
 *
 * Threads: the columns of a large node are searched in parallel (one
 * result slot per column, chosen serially in column order), only when not
 * already inside a parallel region (cross-validation folds run in
 * parallel and their trees grow single-threaded).  Results never depend on
 * the thread count.  A model is read-only after training.
 */
#include "baiot/j48.h"
#include "engine/weka/weka_numfmt.h"
#include "kernels/c45_split.h"
#include "io/text/json.h"
#include "kernels/row_compact.h"
#include "kernels/sort_keys.h"

#include <float.h>
#include <math.h>
#include <omp.h>
#include <string.h>

/* Collapse keeps a subtree only when it has fewer training errors than
 * the node as a leaf by more than this (Weka's collapse()). */
#define J48_COLLAPSE_SLACK 1e-3
/* Pruning compares estimated errors with this slack (C4.5 R8 prune.c). */
#define J48_PRUNE_SLACK 0.1
/* Attributes need an info gain >= average - this to be chosen. */
#define J48_AVG_GAIN_SLACK 1e-3
/* Nominal attributes count in the average gain only with fewer values
 * than this share of the training rows (unless all are like that). */
#define J48_MULTIVAL_SHARE 0.3
/* The fast path searches and partitions a node's columns in parallel
 * only from this many row-columns on: each parallel loop costs a fork and
 * a barrier, which on a busy machine (a descheduled thread) costs far
 * more than the small nodes' work. */
#define J48_PAR_MIN_WORK 1e6

enum { SPLIT_NUMERIC = 0, SPLIT_NOMINAL = 1, SPLIT_BINARY = 2 };

/* ---------------------------------------------------------------------- */
/* Distributions (Weka's j48.Distribution)                                 */

typedef struct dist {
    int nb, nc;
    double *pcb;  /* nb x nc */
    double *pb;   /* nb */
    double *pc;   /* nc */
    double total;
} dist;

static int dist_init(dist *d, int nb, int nc)
{
    d->nb = nb;
    d->nc = nc;
    d->total = 0;
    d->pcb = baiot_calloc((size_t)nb * (size_t)nc + (size_t)nb + (size_t)nc, sizeof(double));
    d->pb = d->pcb ? d->pcb + (size_t)nb * (size_t)nc : NULL;
    d->pc = d->pcb ? d->pb + nb : NULL;
    return d->pcb != NULL;
}

static void dist_free(dist *d)
{
    baiot_free(d->pcb);
    d->pcb = d->pb = d->pc = NULL;
}

static void dist_add(dist *d, int b, int c, double w)
{
    d->pcb[(int64_t)b * d->nc + c] += w;
    d->pb[b] += w;
    d->pc[c] += w;
    d->total += w;
}

/* First class of largest weight (by more than 1e-6); 0 when all are 0. */
static int dist_max_class(const dist *d)
{
    double mx = 0;
    int mi = 0;
    for (int c = 0; c < d->nc; c++)
        if (c45_gr(d->pc[c], mx)) {
            mx = d->pc[c];
            mi = c;
        }
    return mi;
}

/* The majority class of bag b; the overall one when the bag is empty. */
static int dist_max_class_bag(const dist *d, int b)
{
    if (!c45_gr(d->pb[b], 0))
        return dist_max_class(d);
    double mx = 0;
    int mi = 0;
    for (int c = 0; c < d->nc; c++)
        if (c45_gr(d->pcb[(int64_t)b * d->nc + c], mx)) {
            mx = d->pcb[(int64_t)b * d->nc + c];
            mi = c;
        }
    return mi;
}

/* The heaviest bag, the last one on ties. */
static int dist_max_bag(const dist *d)
{
    double mx = 0;
    int mi = -1;
    for (int b = 0; b < d->nb; b++)
        if (c45_groreq(d->pb[b], mx)) {
            mx = d->pb[b];
            mi = b;
        }
    return mi;
}

static double dist_incorrect(const dist *d)
{
    return d->total - d->pc[dist_max_class(d)];
}

static double dist_incorrect_bag(const dist *d, int b)
{
    return d->pb[b] - d->pcb[(int64_t)b * d->nc + dist_max_class_bag(d, b)];
}

/* Merges all bags into one (Weka's Distribution(Distribution)). */
static int dist_merge(const dist *src, dist *out)
{
    if (!dist_init(out, 1, src->nc))
        return 0;
    memcpy(out->pcb, src->pc, (size_t)src->nc * sizeof(double));
    memcpy(out->pc, src->pc, (size_t)src->nc * sizeof(double));
    out->pb[0] = src->total;
    out->total = src->total;
    return 1;
}

static double prob_class(const dist *d, int c)
{
    return c45_eq(d->total, 0) ? 0 : d->pc[c] / d->total;
}

static double prob_class_bag(const dist *d, int c, int b)
{
    if (c45_gr(d->pb[b], 0))
        return d->pcb[(int64_t)b * d->nc + c] / d->pb[b];
    return prob_class(d, c);
}

static double laplace_class(const dist *d, int c)
{
    return (d->pc[c] + 1) / (d->total + (double)d->nc);
}

static double laplace_class_bag(const dist *d, int c, int b)
{
    if (c45_gr(d->pb[b], 0))
        return (d->pcb[(int64_t)b * d->nc + c] + 1) / (d->pb[b] + (double)d->nc);
    return laplace_class(d, c);
}

/* ---------------------------------------------------------------------- */
/* Tree                                                                    */

typedef struct node {
    int leaf, empty;
    int attr, kind, nb;
    double point;        /* numeric threshold, or the binary split's value */
    dist d;              /* split: nb bags (unknowns spread); leaf: 1 bag */
    struct node **kids;
    int64_t m;           /* training data kept for subtree raising */
    int64_t *rows;       /* (fast path: NULL, the data is perm[lo, lo + m)) */
    double *w;
    int64_t lo;
    int32_t tag;         /* fast pruning: a leaf's slot */
} node;

struct baiot_j48_model {
    baiot_j48_params p;
    int nc, ncols;
    float cf;
    double z;             /* normal quantile of 1 - CF */
    node *root;
};

static void node_free(node *t)
{
    if (!t)
        return;
    if (t->kids)
        for (int b = 0; b < t->nb; b++)
            node_free(t->kids[b]);
    baiot_free(t->kids);
    dist_free(&t->d);
    baiot_free(t->rows);
    baiot_free(t->w);
    baiot_free(t);
}

/* Turns an internal node into a leaf with its (merged) distribution. */
static int make_leaf(node *t)
{
    dist one;
    if (!dist_merge(&t->d, &one))
        return 0;
    for (int b = 0; b < t->nb; b++)
        node_free(t->kids[b]);
    baiot_free(t->kids);
    t->kids = NULL;
    dist_free(&t->d);
    t->d = one;
    t->leaf = 1;
    t->nb = 1;
    t->attr = -1;
    return 1;
}

/* The branch of value x at split node t (-1: missing). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int which_subset(const node *t, double x, int weka36)
{
    if (isnan(x))
        return -1;
    switch (t->kind) {
    case SPLIT_NUMERIC:
        if (weka36)
            return c45_smoreq(x, t->point) ? 0 : 1;
        return x <= t->point ? 0 : 1;
    case SPLIT_BINARY: return x == t->point ? 0 : 1;
    default: return (int)x;
    }
}

/* ---------------------------------------------------------------------- */
/* Growing                                                                 */

typedef struct scratch {
    double *vals, *w, *work;
    int32_t *cls;
    int32_t *ranks; /* fast path: partition buffer (with cls and bytes) */
    uint8_t *bytes;
} scratch;

typedef struct colres {
    int valid;
    double ig, gr;
    int64_t split_index;  /* numeric: last left position in value order */
    double point;         /* numeric: midpoint; binary: the value */
} colres;

typedef struct ctx {
    const baiot_view *v;
    const baiot_j48_params *p;
    int nc, ncols, max_values, multival, keep_data, threads;
    int64_t n_all;
    const int64_t *all_rows;   /* training rows with a class, in order */
    double **all_sorted;       /* numeric columns: known values ascending (3.8 thresholds) */
    int64_t *all_known;
    c45_split_cfg cfg;
    scratch *s;
    int n_scratch;
    colres *res;
    int failed;
    /* fast path (all columns numeric, no missing value, unit weights):
     * per column the training rows in value order, rank / instance /
     * class, each node a segment [lo, lo + m) partitioned stably into its
     * children; see grow_fast.  A rank indexes the column's sorted values
     * sval[j] (the presort's, or all_sorted), snxt[j] its tie rule
     * (c45_split_next_cut; own_nxt when made for this training). */
    int fast;
    int32_t **frk;
    int32_t **fid;
    uint8_t **fcls;
    const double **sval;
    const int32_t **snxt;
    int32_t **own_nxt;
    uint8_t *goes;             /* per instance: its child at the node being split */
    double *lntab;             /* c45_split_lnfunc_table(n_all) */
    /* fast path: instance i is view row irow[i] of class icls[i]; after
     * growing, perm (one column's fid) holds every node's instances as
     * the segment [lo, lo + m) */
    const int64_t *irow;
    uint8_t *icls;
    int32_t *perm;
    /* fast pruning: the values of the nu columns the tree splits on, row
     * major per instance (rx[i * nu + rcol[attr]]), so that walking an
     * instance down the tree reads one or two cache lines */
    double *rx;
    int *rcol, nu;
    /* with a presort: inst[r] = the instance of view row r, or -1 */
    const baiot_j48_presort *ps;
    int32_t *inst;
} ctx;

struct baiot_j48_presort {
    const baiot_view *v;
    int64_t n;
    int any_missing;   /* a numeric value is missing somewhere */
    int32_t **row;     /* per numeric column: rows with a known value in value order */
    double **val;      /* their values */
    uint8_t **cls;     /* their classes (255: missing or > 254) */
    int32_t **nxt;     /* the tie rule on val (c45_split_next_cut) */
    int64_t *known;
};

/* Numeric column j at a node: gather the known values in order, search. */
static void eval_numeric(ctx *C, scratch *s, int j, const int64_t *rows, const double *w, const int32_t *ord,
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
    c45_split_numeric(&C->cfg, s->vals, s->cls, s->w, k, total, s->work, &out);
    r->valid = out.valid;
    r->ig = out.info_gain;
    r->gr = out.gain_ratio;
    r->split_index = out.split_index;
    r->point = out.split_point;
}

/* Nominal column j: one bag per value (or, -B, the best value against the
 * rest), known values only. */
static void eval_nominal(ctx *C, scratch *s, int j, const int64_t *rows, const double *w, int64_t m, double total,
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
            double old = c45_split_old_ent(pc, nc, known, C->cfg.weka36);
            r->valid = 1;
            r->ig = c45_split_info_gain(pcb, pb, nv, nc, old, known, total, C->cfg.weka36);
            r->gr = c45_split_gain_ratio(pb, nv, known, total, r->ig, C->cfg.weka36);
        }
        return;
    }
    double old = c45_split_old_ent(pc, nc, known, C->cfg.weka36);
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
        double ig = c45_split_info_gain(pcb2, pb2, 2, nc, old, known, total, C->cfg.weka36);
        double gr = c45_split_gain_ratio(pb2, 2, known, total, ig, C->cfg.weka36);
        if (!r->valid || c45_gr(gr, r->gr)) {
            r->valid = 1;
            r->ig = ig;
            r->gr = gr;
            r->point = v;
        }
    }
}

/* Adds the rows with a missing value of column j to d, each spread over
 * the bags in proportion to the known bag weights (addInstWithUnknown). */
static void add_unknown(const ctx *C, dist *d, int j, const int64_t *rows, const double *w, int64_t m, double *probs)
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

/* Weka's setSplitPoint: the largest training value <= the midpoint. */
static double actual_split_point(ctx *C, int j, double mid)
{
    if (C->cfg.weka36) {
        const double *x = C->v->cols[j];
        double best = -DBL_MAX;
        for (int64_t i = 0; i < C->n_all; i++) {
            double t = x[C->all_rows[i]];
            if (!isnan(t) && c45_gr(t, best) && c45_smoreq(t, mid))
                best = t;
        }
        return best;
    }
    if (C->ps) {
        /* the last training row at or before the presort's first value > mid */
        const baiot_j48_presort *ps = C->ps;
        const double *a = ps->val[j];
        int64_t lo = 0, hi = ps->known[j];
        while (lo < hi) {
            int64_t md = lo + (hi - lo) / 2;
            if (a[md] <= mid)
                lo = md + 1;
            else
                hi = md;
        }
        for (int64_t q = lo - 1; q >= 0; q--)
            if (C->inst[ps->row[j][q]] >= 0)
                return a[q];
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
 * or -1.  Returns 0 when out of memory. */
static int split_data(const ctx *C, const node *t, const dist *sd, const int64_t *rows, const double *w, int64_t m,
                      int64_t **out_rows, double **out_w, int64_t *out_m, int32_t *maps)
{
    const double *x = C->v->cols[t->attr];
    int nb = t->nb;
    for (int b = 0; b < nb; b++) {
        out_m[b] = 0;
        out_rows[b] = NULL;
        out_w[b] = NULL;
    }
    for (int64_t i = 0; i < m; i++) {
        int b = which_subset(t, x[rows[i]], C->cfg.weka36);
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
            return 0;
        }
        out_m[b] = 0;
    }
    for (int64_t i = 0; i < m; i++) {
        int b = which_subset(t, x[rows[i]], C->cfg.weka36);
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
    return 1;
}

/* Grows the subtree of the instances (rows, w)[0..m) whose numeric
 * columns are ordered by ords[j] (NULL for nominal columns).  Takes
 * ownership of rows, w, ords[j] and ords.  NULL when out of memory. */
/* C45ModelSelection's choice among the columns' candidate splits: the
 * highest gain ratio among those whose gain reaches the average gain of the
 * admissible ones (less a small slack), the first column on ties; -1 when
 * there is none or its gain ratio is 0.  (A nominal column with values for
 * most rows is left out of the average unless multival is set.) */
static int choose_split(const ctx *C, const colres *res)
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

static node *grow(ctx *C, int64_t *rows, double *w, int64_t m, int32_t **ords)
{
    const baiot_j48_params *p = C->p;
    int nc = C->nc, ncols = C->ncols;
    node *t = baiot_calloc(1, sizeof *t);
    int64_t **crows = NULL;
    double **cw = NULL;
    int64_t *cm = NULL;
    int32_t *maps = NULL;
    int32_t ***cords = NULL;
    colres *res = NULL;
    if (!t || !dist_init(&t->d, 1, nc))
        goto oom;
    t->leaf = 1;
    t->nb = 1;
    t->attr = -1;
    for (int64_t i = 0; i < m; i++)
        dist_add(&t->d, 0, C->v->y[rows[i]], w[i]);
    double total = t->d.total;
    if (c45_eq(total, 0))
        t->empty = 1;
    if (c45_sm(total, 2.0 * p->min_obj) || c45_eq(total, t->d.pc[dist_max_class(&t->d)]))
        goto done;

    /* search every column */
    res = baiot_calloc((size_t)ncols, sizeof *res);
    if (!res)
        goto oom;
    int par = C->threads > 1 && !omp_in_parallel() && (double)m * ncols >= 20000.0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, rows, w, ords, m, total, res, ncols)
    for (int j = 0; j < ncols; j++) {
        scratch *s = &C->s[omp_get_thread_num() % C->n_scratch];
        if (C->v->attrs[j].kind == BAIOT_ATTR_NUMERIC)
            eval_numeric(C, s, j, rows, w, ords[j], m, total, &res[j]);
        else
            eval_nominal(C, s, j, rows, w, m, total, &res[j]);
    }
    int best = choose_split(C, res);
    if (best < 0)
        goto done;

    /* the chosen split's distribution, unknowns spread */
    const baiot_attr *ba = &C->v->attrs[best];
    const double *x = C->v->cols[best];
    int nb = ba->kind == BAIOT_ATTR_NUMERIC || p->binary ? 2 : ba->n_values;
    dist sd;
    if (!dist_init(&sd, nb, nc))
        goto oom;
    if (ba->kind == BAIOT_ATTR_NUMERIC) {
        for (int64_t k = 0; k < m; k++) {
            int32_t i = ords[best][k];
            if (isnan(x[rows[i]]))
                break;
            dist_add(&sd, k > res[best].split_index, C->v->y[rows[i]], w[i]);
        }
    } else if (!p->binary) {
        for (int64_t i = 0; i < m; i++)
            if (!isnan(x[rows[i]]))
                dist_add(&sd, (int)x[rows[i]], C->v->y[rows[i]], w[i]);
    } else {
        /* bag 0 = the value, bag 1 = the other values merged in value order */
        dist full;
        if (!dist_init(&full, ba->n_values, nc)) {
            dist_free(&sd);
            goto oom;
        }
        for (int64_t i = 0; i < m; i++)
            if (!isnan(x[rows[i]]))
                dist_add(&full, (int)x[rows[i]], C->v->y[rows[i]], w[i]);
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
        dist_free(&full);
    }
    {
        double probs[nb];
        add_unknown(C, &sd, best, rows, w, m, probs);
    }
    dist_free(&t->d);
    t->d = sd;
    t->leaf = 0;
    t->attr = best;
    t->nb = nb;
    t->kind = ba->kind == BAIOT_ATTR_NUMERIC ? SPLIT_NUMERIC : p->binary ? SPLIT_BINARY : SPLIT_NOMINAL;
    t->point = ba->kind == BAIOT_ATTR_NUMERIC ? actual_split_point(C, best, res[best].point) : res[best].point;
    baiot_free(res);
    res = NULL;

    /* route the instances and the column orders to the children */
    crows = baiot_calloc((size_t)nb, sizeof *crows);
    cw = baiot_calloc((size_t)nb, sizeof *cw);
    cm = baiot_calloc((size_t)nb, sizeof *cm);
    maps = baiot_malloc((size_t)nb * (size_t)(m > 0 ? m : 1) * sizeof *maps);
    cords = baiot_calloc((size_t)nb, sizeof *cords);
    if (!crows || !cw || !cm || !maps || !cords || !split_data(C, t, &t->d, rows, w, m, crows, cw, cm, maps))
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
        t->kids[b] = grow(C, crows[b], cw[b], cm[b], cords[b]);
        crows[b] = NULL;
        cw[b] = NULL;
        cords[b] = NULL;
        if (!t->kids[b])
            goto oom;
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
    if (C->keep_data) {
        t->rows = rows;
        t->w = w;
        t->m = m;
    } else {
        baiot_free(rows);
        baiot_free(w);
    }
    return t;
oom:
    C->failed = 1;
    if (t && !t->d.pcb)
        dist_init(&t->d, 1, nc);
    baiot_free(maps);
    if (crows) {
        for (int b = 0; b < (t ? t->nb : 0); b++) {
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
    if (t && !t->leaf && (!t->kids || !t->d.pcb)) {
        /* leave a consistent leaf behind; the caller discards the tree */
        if (t->kids)
            for (int b = 0; b < t->nb; b++)
                node_free(t->kids[b]);
        baiot_free(t->kids);
        t->kids = NULL;
        t->leaf = 1;
        t->nb = 1;
    }
    if (!t) {
        baiot_free(res);
        for (int j = 0; j < ncols; j++)
            baiot_free(ords[j]);
        baiot_free(ords);
        baiot_free(rows);
        baiot_free(w);
        return NULL;
    }
    goto done;
}

/* ---------------------------------------------------------------------- */
/* Growing, fast path                                                      */

/* Fast path, when every column is numeric, no training value is missing
 * and every weight is 1 (then no instance is ever split or re-weighted).
 * Per numeric column j the training instances are kept in value order in
 * three parallel arrays, frk[j] (rank into sval[j]), fid[j] (instance: view row
 * irow[i]) and fcls[j] (class byte); a node owns the segment [lo, lo + m)
 * of every column, and splitting it partitions each column's segment
 * stably (left child first), so a child's segment is the parent's
 * order filtered, as grow() builds it, and every sweep reads sequential
 * memory.  The split search is c45_split_numeric_unit (integer counts,
 * entropies from lntab), which gives c45_split_numeric's doubles.
 * Memory: see the top of the file. */

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
        row_compact_left(C->frk[j] + lo, C->fid[j] + lo, C->fcls[j] + lo, m, C->goes);
    else
        row_compact_right(C->frk[j] + lo, C->fid[j] + lo, C->fcls[j] + lo, m, C->goes);
}

/* 1 when grow_fast will make bag b of d a leaf without searching it. */
static int fast_leaf_bag(const ctx *C, const dist *d, int b)
{
    const double *pc = d->pcb + b * d->nc; /* the child's class counts */
    double total = d->pb[b], mx = 0;
    int mi = 0;
    for (int c = 0; c < d->nc; c++) /* dist_max_class */
        if (c45_gr(pc[c], mx)) {
            mx = pc[c];
            mi = c;
        }
    return c45_sm(total, 2.0 * C->p->min_obj) || c45_eq(total, pc[mi]);
}

static void fast_partition(const ctx *C, scratch *s, int j, int64_t lo, int64_t m)
{
    row_compact_partition(C->frk[j] + lo, C->fid[j] + lo, C->fcls[j] + lo, m, C->goes, s->ranks, s->cls, s->bytes);
}

/* d (empty) from integer counts cnt[b * nc + c]: the values adding 1.0
 * per instance gives, as every partial sum is an exact integer. */
static void count_dist(dist *d, const int64_t *cnt)
{
    int nc = d->nc;
    for (int b = 0; b < d->nb; b++) {
        int64_t sb = 0;
        for (int c = 0; c < nc; c++) {
            d->pcb[b * nc + c] = (double)cnt[b * nc + c];
            sb += cnt[b * nc + c];
        }
        d->pb[b] = (double)sb;
    }
    int64_t tot = 0;
    for (int c = 0; c < nc; c++) {
        int64_t sc = 0;
        for (int b = 0; b < d->nb; b++)
            sc += cnt[b * nc + c];
        d->pc[c] = (double)sc;
        tot += sc;
    }
    d->total = (double)tot;
}

/* grow() on the fast path: the node's instances are, in every column of
 * act[0..nact) (ascending, column 0 first), the segment [lo, lo + m) in
 * value order; the node keeps (lo, m) for pruning instead of an
 * instance list.  A column whose values are all equal in a node is equal
 * in every node below: it can never split there (grow() finds no cut),
 * so the children neither search nor partition it (act drops it; column
 * 0 stays, its instances become perm).  Same decisions and sums as
 * grow() (every sum is of 1.0s, hence exact and order-free). */
static node *grow_fast(ctx *C, int64_t lo, int64_t m, const int32_t *act, int nact)
{
    int32_t *kid_act = NULL;
    const baiot_j48_params *p = C->p;
    int nc = C->nc, ncols = C->ncols;
    node *t = baiot_calloc(1, sizeof *t);
    int64_t cm0 = 0;
    colres *res = NULL;
    if (!t || !dist_init(&t->d, 1, nc))
        goto oom;
    t->leaf = 1;
    t->nb = 1;
    t->attr = -1;
    t->lo = lo;
    t->m = m;
    int64_t cnt[2 * 256]; /* per bag and class; nc <= 255 on the fast path */
    memset(cnt, 0, (size_t)(2 * nc) * sizeof *cnt);
    {
        const uint8_t *c0 = C->fcls[0] + lo;
        for (int64_t k = 0; k < m; k++)
            cnt[c0[k]]++;
        count_dist(&t->d, cnt);
    }
    double total = t->d.total;
    if (c45_eq(total, 0))
        t->empty = 1;
    if (c45_sm(total, 2.0 * p->min_obj) || c45_eq(total, t->d.pc[dist_max_class(&t->d)]))
        goto done;

    res = baiot_calloc((size_t)ncols, sizeof *res);
    if (!res)
        goto oom;
    int64_t counts[256]; /* nc <= 255 on the fast path */
    for (int c = 0; c < nc; c++)
        counts[c] = (int64_t)t->d.pc[c]; /* exact: sums of 1.0 */
    int par = C->threads > 1 && !omp_in_parallel() && (double)m * nact >= J48_PAR_MIN_WORK;
#pragma omp parallel for schedule(dynamic, 1) num_threads(C->threads) if (par) default(none) \
    shared(C, lo, m, total, res, nact, act, counts)
    for (int a = 0; a < nact; a++) {
        int j = act[a];
        scratch *s = &C->s[omp_get_thread_num() % C->n_scratch];
        c45_numeric_split out;
        c45_split_numeric_unit(&C->cfg, C->frk[j] + lo, C->sval[j], C->snxt[j], C->fcls[j] + lo, m, total, counts,
                               C->lntab, s->work,
                               &out);
        res[j].valid = out.valid;
        res[j].ig = out.info_gain;
        res[j].gr = out.gain_ratio;
        res[j].split_index = out.split_index;
        res[j].point = out.split_point;
    }
    int best = choose_split(C, res);
    if (best < 0)
        goto done;

    dist sd;
    if (!dist_init(&sd, 2, nc))
        goto oom;
    {
        const uint8_t *bc = C->fcls[best] + lo;
        int64_t si = res[best].split_index;
        memset(cnt, 0, (size_t)(2 * nc) * sizeof *cnt);
        for (int64_t k = 0; k <= si; k++)
            cnt[bc[k]]++;
        for (int64_t k = si + 1; k < m; k++)
            cnt[nc + bc[k]]++;
        count_dist(&sd, cnt);
    }
    dist_free(&t->d);
    t->d = sd;
    t->leaf = 0;
    t->attr = best;
    t->nb = 2;
    t->kind = SPLIT_NUMERIC;
    t->point = actual_split_point(C, best, res[best].point);
    baiot_free(res);
    res = NULL;
    /* the children's columns: the constant ones left out */
    kid_act = baiot_malloc((size_t)nact * sizeof *kid_act);
    if (!kid_act)
        goto oom;
    int kid_nact = 0;
    for (int a = 0; a < nact; a++) {
        int j = act[a];
        if (j == 0 || C->sval[j][C->frk[j][lo]] != C->sval[j][C->frk[j][lo + m - 1]])
            kid_act[kid_nact++] = j;
    }

    /* route every column's segment */
    {
        const int32_t *br = C->frk[best] + lo, *bi = C->fid[best] + lo;
        const double *bv = C->sval[best];
        for (int64_t k = 0; k < m; k++) {
            uint8_t g = (uint8_t)which_subset(t, bv[br[k]], C->cfg.weka36);
            C->goes[bi[k]] = g;
            cm0 += !g;
        }
    }
    /* column 0 always (its instances become perm, its classes give the
     * children's counts); the others as far as a child will use them */
    int leaf0 = fast_leaf_bag(C, &t->d, 0), leaf1 = fast_leaf_bag(C, &t->d, 1);
    int mode = leaf0 && leaf1 ? 3 : leaf1 ? 1 : leaf0 ? 2 : 0; /* 1: keep bag 0, 2: keep bag 1 */
    par = C->threads > 1 && !omp_in_parallel() && (double)m * kid_nact >= J48_PAR_MIN_WORK;
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
    for (int b = 0; b < 2; b++) {
        t->kids[b] = b == 0 ? grow_fast(C, lo, cm0, kid_act, kid_nact)
                            : grow_fast(C, lo + cm0, m - cm0, kid_act, kid_nact);
        if (!t->kids[b])
            goto oom;
    }
done:
    baiot_free(res);
    baiot_free(kid_act);
    return t;
oom:
    C->failed = 1;
    if (!t)
        return NULL;
    baiot_free(res);
    res = NULL;
    if (!t->d.pcb)
        dist_init(&t->d, 1, nc);
    if (!t->leaf && (!t->kids || !t->kids[0] || !t->kids[1])) {
        /* leave a consistent leaf behind; the caller discards the tree */
        if (t->kids)
            for (int b = 0; b < t->nb; b++)
                node_free(t->kids[b]);
        baiot_free(t->kids);
        t->kids = NULL;
        t->leaf = 1;
        t->nb = 1;
    }
    goto done;
}

/* ---------------------------------------------------------------------- */
/* Collapse and pruning                                                    */

static double training_errors(const node *t)
{
    if (t->leaf)
        return dist_incorrect(&t->d);
    double e = 0;
    for (int b = 0; b < t->nb; b++)
        e += training_errors(t->kids[b]);
    return e;
}

static int collapse(node *t)
{
    if (t->leaf)
        return 1;
    if (training_errors(t) >= dist_incorrect(&t->d) - J48_COLLAPSE_SLACK)
        return make_leaf(t);
    for (int b = 0; b < t->nb; b++)
        if (!collapse(t->kids[b]))
            return 0;
    return 1;
}

/* Weka's Stats.addErrs: the upper confidence limit of the error count
 * minus the observed errors e among N, at confidence cf (z = quantile). */
static double add_errs(double N, double e, float cf, double z)
{
    if (cf > 0.5f)
        return 0;
    if (e < 1) {
        double base = N * (1 - pow((double)cf, 1 / N));
        if (e == 0)
            return base;
        return base + e * (add_errs(N, 1, cf, z) - base);
    }
    if (e + 0.5 >= N)
        return fmax(N - e, 0);
    double f = (e + 0.5) / N;
    double r = (f + (z * z) / (2 * N) + z * sqrt((f / N) - (f * f / N) + (z * z / (4 * N * N)))) / (1 + (z * z) / N);
    return (r * N) - e;
}

/* Φ⁻¹(y): Newton steps on the normal CDF in long double from a rough
 * start, rounded to double. */
static double normal_inverse(double y)
{
    long double x = 0, yy = y;
    /* start: Abramowitz-Stegun-like rational guess */
    double q = y < 0.5 ? y : 1 - y;
    double t = sqrt(-2 * log(q));
    double x0 = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
    x = y < 0.5 ? -x0 : x0;
    for (int it = 0; it < 60; it++) {
        long double cdf = 0.5L * erfcl(-x / sqrtl(2.0L));
        long double pdf = expl(-x * x / 2) / sqrtl(2 * 3.14159265358979323846264338327950288L);
        long double step = (cdf - yy) / pdf;
        x -= step;
        if (fabsl(step) < 1e-30L)
            break;
    }
    return (double)x;
}

static double errors_for_dist(const baiot_j48_model *M, double total, double incorrect)
{
    if (c45_eq(total, 0))
        return 0;
    return incorrect + add_errs(total, incorrect, M->cf, M->z);
}

static double estimated_errors(const baiot_j48_model *M, const node *t)
{
    if (t->leaf)
        return errors_for_dist(M, t->d.total, dist_incorrect(&t->d));
    double e = 0;
    for (int b = 0; b < t->nb; b++)
        e += estimated_errors(M, t->kids[b]);
    return e;
}

/* The distribution of data at node t (Weka's resetDistribution): at a
 * split, the known values by the test, then the missing ones spread in
 * proportion to those known bag weights (found by experiment: spreading by
 * the node's previous distribution gives other leaf counts on labor). */
static int reset_dist(const ctx *C, const node *t, const int64_t *rows, const double *w, int64_t m, dist *out)
{
    if (!dist_init(out, t->nb, C->nc))
        return 0;
    if (t->leaf) {
        for (int64_t i = 0; i < m; i++)
            dist_add(out, 0, C->v->y[rows[i]], w[i]);
        return 1;
    }
    const double *x = C->v->cols[t->attr];
    for (int64_t i = 0; i < m; i++) {
        int b = which_subset(t, x[rows[i]], C->cfg.weka36);
        if (b >= 0)
            dist_add(out, b, C->v->y[rows[i]], w[i]);
    }
    double probs[t->nb];
    add_unknown(C, out, t->attr, rows, w, m, probs);
    return 1;
}

/* Estimated errors if data went down subtree t (subtree raising). */
static double errors_for_branch(const ctx *C, const baiot_j48_model *M, const node *t, const int64_t *rows,
                                const double *w, int64_t m, int *ok)
{
    dist d;
    if (t->leaf) {
        if (!dist_init(&d, 1, C->nc)) {
            *ok = 0;
            return 0;
        }
        for (int64_t i = 0; i < m; i++)
            dist_add(&d, 0, C->v->y[rows[i]], w[i]);
        double e = errors_for_dist(M, d.total, dist_incorrect(&d));
        dist_free(&d);
        return e;
    }
    int nb = t->nb;
    int64_t *crows[nb], cm[nb];
    double *cw[nb];
    if (!reset_dist(C, t, rows, w, m, &d)) {
        *ok = 0;
        return 0;
    }
    int split_ok = split_data(C, t, &d, rows, w, m, crows, cw, cm, NULL);
    dist_free(&d);
    if (!split_ok) {
        *ok = 0;
        return 0;
    }
    double e = 0;
    for (int b = 0; b < nb; b++) {
        e += errors_for_branch(C, M, t->kids[b], crows[b], cw[b], cm[b], ok);
        baiot_free(crows[b]);
        baiot_free(cw[b]);
    }
    return e;
}

/* Pushes data down t, recomputing every distribution (newDistribution).
 * Takes ownership of rows/w unless they are t's own arrays. */
static int new_distribution(const ctx *C, node *t, int64_t *rows, double *w, int64_t m)
{
    dist d;
    if (!reset_dist(C, t, rows, w, m, &d))
        return 0;
    dist_free(&t->d);
    t->d = d;
    if (t->rows != rows) {
        baiot_free(t->rows);
        baiot_free(t->w);
        t->rows = rows;
        t->w = w;
    }
    t->m = m;
    if (t->leaf) {
        if (!c45_eq(d.total, 0))
            t->empty = 0;
        return 1;
    }
    int nb = t->nb;
    int64_t *crows[nb], cm[nb];
    double *cw[nb];
    if (!split_data(C, t, &t->d, rows, w, m, crows, cw, cm, NULL))
        return 0;
    int ok = 1;
    for (int b = 0; b < nb; b++) {
        if (ok)
            ok = new_distribution(C, t->kids[b], crows[b], cw[b], cm[b]);
        else {
            baiot_free(crows[b]);
            baiot_free(cw[b]);
        }
    }
    return ok;
}

/* Fast pruning (trees grown by grow_fast): node t's data is the segment
 * perm[t->lo, t->lo + t->m), every weight 1, no value missing.  Kept
 * invariant: a node's data is its parent's routed by the parent's test,
 * and a leaf's distribution counts its data (growing makes it so,
 * collapse and make_leaf keep it, fast_redistribute restores it after a
 * raise).  So when t's data goes down its largest child's subtree
 * (errors_for_branch), that child's own data lands on every leaf exactly
 * as the leaf's current counts: only the other children's data is
 * walked, instance by instance from the child to a leaf.  Every count is
 * an exact integer, so the errors are errors_for_branch's doubles. */

static void mark_attrs(const node *t, int *rcol)
{
    if (t->leaf)
        return;
    rcol[t->attr] = 1;
    for (int b = 0; b < t->nb; b++)
        mark_attrs(t->kids[b], rcol);
}

/* Builds C->rx (see ctx) for the instances of the fast path. */
static int fast_rows(ctx *C, const node *root)
{
    C->rcol = baiot_calloc((size_t)(C->ncols > 0 ? C->ncols : 1), sizeof *C->rcol);
    if (!C->rcol)
        return 0;
    mark_attrs(root, C->rcol);
    int nu = 0;
    for (int j = 0; j < C->ncols; j++)
        C->rcol[j] = C->rcol[j] ? nu++ : -1;
    C->nu = nu;
    int64_t m = C->n_all;
    C->rx = baiot_malloc((size_t)(m > 0 ? m : 1) * (size_t)(nu > 0 ? nu : 1) * sizeof *C->rx);
    if (!C->rx)
        return 0;
    const double *xs[nu > 0 ? nu : 1];
    for (int j = 0; j < C->ncols; j++)
        if (C->rcol[j] >= 0)
            xs[C->rcol[j]] = C->v->cols[j];
    for (int64_t i = 0; i < m; i++) { /* row by row: sequential writes */
        int64_t r = C->irow[i];
        double *o = C->rx + i * nu;
        for (int k = 0; k < nu; k++)
            o[k] = xs[k][r];
    }
    return 1;
}

/* Numbers the leaves below t in tree order from k; returns the next. */
static int32_t tag_leaves(node *t, int32_t k);

static void leaf_segments(const node *t, const int32_t *perm, int32_t *leaf_of, int64_t *pos)
{
    if (t->leaf) {
        for (int64_t k = 0; k < t->m; k++)
            leaf_of[perm[t->lo + k]] = t->tag;
        pos[t->tag] = t->lo;
        return;
    }
    for (int b = 0; b < t->nb; b++)
        leaf_segments(t->kids[b], perm, leaf_of, pos);
}

/* Puts every leaf's instances in ascending order within its segment (a
 * counting sort by leaf, O(n)), so that walking a node's instances reads
 * C->rx in runs of ascending addresses.  The order inside a segment is
 * free: the fast path's sums are of 1.0s. */
static int fast_sort_leaves(ctx *C, node *root)
{
    int32_t nleaf = tag_leaves(root, 0);
    int64_t *pos = baiot_malloc((size_t)nleaf * sizeof *pos);
    int32_t *leaf_of = C->s[0].cls; /* free until pruning */
    if (!pos)
        return 0;
    leaf_segments(root, C->perm, leaf_of, pos);
    for (int64_t i = 0; i < C->n_all; i++)
        C->perm[pos[leaf_of[i]]++] = (int32_t)i;
    baiot_free(pos);
    return 1;
}

static int32_t tag_leaves(node *t, int32_t k)
{
    if (t->leaf) {
        t->tag = k;
        return k + 1;
    }
    for (int b = 0; b < t->nb; b++)
        k = tag_leaves(t->kids[b], k);
    return k;
}

/* cnt: per leaf nc class counts and the total; starts as the leaves'. */
static void leaf_counts(const node *t, int nc, double *cnt)
{
    if (t->leaf) {
        double *c = cnt + (int64_t)t->tag * (nc + 1);
        memcpy(c, t->d.pc, (size_t)nc * sizeof *c);
        c[nc] = t->d.total;
        return;
    }
    for (int b = 0; b < t->nb; b++)
        leaf_counts(t->kids[b], nc, cnt);
}

/* estimated_errors on the leaf counts cnt, in the same order. */
static double counted_errors(const baiot_j48_model *M, const node *t, const double *cnt)
{
    if (t->leaf) {
        int nc = M->nc;
        const double *c = cnt + (int64_t)t->tag * (nc + 1);
        double mx = 0;
        int mi = 0;
        for (int k = 0; k < nc; k++) /* dist_max_class */
            if (c45_gr(c[k], mx)) {
                mx = c[k];
                mi = k;
            }
        return errors_for_dist(M, c[nc], c[nc] - c[mi]);
    }
    double e = 0;
    for (int b = 0; b < t->nb; b++)
        e += counted_errors(M, t->kids[b], cnt);
    return e;
}

/* errors_for_branch(t->kids[big], t's data) on the fast path. */
static double fast_errors_for_branch(const ctx *C, const baiot_j48_model *M, node *t, int big, int *ok)
{
    node *g = t->kids[big];
    int nc = C->nc, w36 = C->cfg.weka36;
    int32_t nleaf = tag_leaves(g, 0);
    double *cnt = baiot_malloc((size_t)nleaf * (size_t)(nc + 1) * sizeof *cnt);
    if (!cnt) {
        *ok = 0;
        return 0;
    }
    leaf_counts(g, nc, cnt);
    for (int b = 0; b < t->nb; b++) {
        if (b == big)
            continue;
        const int32_t *pi = C->perm + t->kids[b]->lo;
        for (int64_t k = 0; k < t->kids[b]->m; k++) {
            int32_t i = pi[k];
            const double *xi = C->rx + (int64_t)i * C->nu;
            const node *u = g;
            while (!u->leaf)
                u = u->kids[which_subset(u, xi[C->rcol[u->attr]], w36)];
            double *c = cnt + (int64_t)u->tag * (nc + 1);
            c[C->icls[i]] += 1.0;
            c[nc] += 1.0;
        }
    }
    double e = counted_errors(M, g, cnt);
    baiot_free(cnt);
    return e;
}

/* new_distribution on the fast path: t's data becomes perm[lo, lo + m);
 * every distribution below is recounted and every child's data is
 * partitioned (stably) into its own segment. */
static int fast_redistribute(const ctx *C, node *t, int64_t lo, int64_t m)
{
    dist d;
    int nc = C->nc;
    if (!dist_init(&d, t->nb, nc))
        return 0;
    int32_t *pi = C->perm + lo;
    int64_t cnt[2 * 256]; /* per bag and class; nc <= 255 on the fast path */
    memset(cnt, 0, (size_t)(2 * nc) * sizeof *cnt);
    t->lo = lo;
    t->m = m;
    if (t->leaf) {
        for (int64_t k = 0; k < m; k++)
            cnt[C->icls[pi[k]]]++;
        count_dist(&d, cnt);
        dist_free(&t->d);
        t->d = d;
        if (!c45_eq(d.total, 0))
            t->empty = 0;
        return 1;
    }
    const double *x = C->rx + C->rcol[t->attr];
    int nu = C->nu;
    int32_t *tmp = C->s[0].cls;
    int64_t a = 0, nb1 = 0;
    for (int64_t k = 0; k < m; k++) {
        int32_t i = pi[k];
        int b = which_subset(t, x[(int64_t)i * nu], C->cfg.weka36);
        cnt[b * nc + C->icls[i]]++;
        if (b == 0)
            pi[a++] = i; /* a <= k: already read */
        else
            tmp[nb1++] = i;
    }
    memcpy(pi + a, tmp, (size_t)nb1 * sizeof *tmp);
    count_dist(&d, cnt);
    dist_free(&t->d);
    t->d = d;
    return fast_redistribute(C, t->kids[0], lo, a) && fast_redistribute(C, t->kids[1], lo + a, nb1);
}

static int prune(const ctx *C, const baiot_j48_model *M, node *t)
{
    if (t->leaf)
        return 1;
    for (int b = 0; b < t->nb; b++)
        if (!prune(C, M, t->kids[b]))
            return 0;
    int big = dist_max_bag(&t->d);
    int ok = 1;
    double e_branch = DBL_MAX;
    if (!M->p.no_raise)
        e_branch = C->fast ? fast_errors_for_branch(C, M, t, big, &ok)
                           : errors_for_branch(C, M, t->kids[big], t->rows, t->w, t->m, &ok);
    if (!ok)
        return 0;
    double e_leaf = errors_for_dist(M, t->d.total, dist_incorrect(&t->d));
    double e_tree = estimated_errors(M, t);
    if (c45_smoreq(e_leaf, e_tree + J48_PRUNE_SLACK) && c45_smoreq(e_leaf, e_branch + J48_PRUNE_SLACK))
        return make_leaf(t);
    if (c45_smoreq(e_branch, e_tree + J48_PRUNE_SLACK)) {
        node *lb = t->kids[big];
        for (int b = 0; b < t->nb; b++)
            if (b != big)
                node_free(t->kids[b]);
        baiot_free(t->kids);
        dist_free(&t->d);
        t->kids = lb->kids;
        t->d = lb->d;
        t->leaf = lb->leaf;
        t->attr = lb->attr;
        t->kind = lb->kind;
        t->nb = lb->nb;
        t->point = lb->point;
        lb->kids = NULL;
        lb->d.pcb = NULL;
        lb->nb = 0;
        node_free(lb);
        if (!(C->fast ? fast_redistribute(C, t, t->lo, t->m) : new_distribution(C, t, t->rows, t->w, t->m)))
            return 0;
        return prune(C, M, t);
    }
    return 1;
}

static void drop_data(node *t)
{
    baiot_free(t->rows);
    baiot_free(t->w);
    t->rows = NULL;
    t->w = NULL;
    t->m = 0;
    if (!t->leaf)
        for (int b = 0; b < t->nb; b++)
            drop_data(t->kids[b]);
}

/* ---------------------------------------------------------------------- */
/* Public API                                                              */

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
    return NULL;
}

void baiot_j48_free(baiot_j48_model *m)
{
    if (!m)
        return;
    node_free(m->root);
    baiot_free(m);
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
    baiot_free((void *)C->snxt);
    baiot_free(C->fid);
    baiot_free(C->fcls);
    baiot_free(C->goes);
    baiot_free(C->lntab);
    baiot_free(C->icls);
    baiot_free(C->inst);
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

void baiot_j48_presort_free(baiot_j48_presort *ps)
{
    if (!ps)
        return;
    for (int j = 0; j < ps->v->n_cols; j++) {
        if (ps->row)
            baiot_free(ps->row[j]);
        if (ps->val)
            baiot_free(ps->val[j]);
        if (ps->cls)
            baiot_free(ps->cls[j]);
        if (ps->nxt)
            baiot_free(ps->nxt[j]);
    }
    baiot_free(ps->row);
    baiot_free(ps->val);
    baiot_free(ps->cls);
    baiot_free(ps->nxt);
    baiot_free(ps->known);
    baiot_free(ps);
}

baiot_status baiot_j48_presort_create(const baiot_view *v, int n_threads, baiot_j48_presort **out)
{
    *out = NULL;
    if (v->n_rows > INT32_MAX)
        return baiot_fail(BAIOT_ERR_ARG, "J48: at most 2^31-1 rows to presort");
    int ncols = v->n_cols, threads = n_threads > 0 ? n_threads : omp_get_max_threads(), failed = 0;
    if (threads > ncols)
        threads = ncols > 0 ? ncols : 1;
    int64_t n = v->n_rows;
    size_t nn = (size_t)(n > 0 ? n : 1), nv = (size_t)(ncols > 0 ? ncols : 1);
    baiot_j48_presort *ps = baiot_calloc(1, sizeof *ps);
    if (!ps)
        return baiot_fail(BAIOT_ERR_MEMORY, "J48: out of memory presorting %lld rows", (long long)n);
    ps->v = v;
    ps->n = n;
    ps->row = baiot_calloc(nv, sizeof *ps->row);
    ps->val = baiot_calloc(nv, sizeof *ps->val);
    ps->cls = baiot_calloc(nv, sizeof *ps->cls);
    ps->nxt = baiot_calloc(nv, sizeof *ps->nxt);
    ps->known = baiot_calloc(nv, sizeof *ps->known);
    if (!ps->row || !ps->val || !ps->cls || !ps->nxt || !ps->known) {
        baiot_j48_presort_free(ps);
        return baiot_fail(BAIOT_ERR_MEMORY, "J48: out of memory presorting %lld rows", (long long)n);
    }
    /* one radix-sort workspace per thread; columns in parallel */
#pragma omp parallel num_threads(threads) default(none) shared(v, ps, ncols, n, nn, failed)
    {
        uint64_t *keys = baiot_malloc(2 * nn * sizeof *keys);
        int32_t *idx2 = baiot_malloc(nn * sizeof *idx2);
        uint32_t *counts = baiot_malloc(4 * 65536 * sizeof *counts);
        int ok = keys && idx2 && counts;
#pragma omp for schedule(dynamic, 1)
        for (int j = 0; j < ncols; j++) {
            if (!ok || v->attrs[j].kind != BAIOT_ATTR_NUMERIC)
                continue;
            const double *x = v->cols[j];
            int32_t *o = baiot_malloc(nn * sizeof *o);
            double *val = baiot_malloc(nn * sizeof *val);
            uint8_t *cls = baiot_malloc(nn);
            int32_t *nxt = baiot_malloc(nn * sizeof *nxt);
            ps->row[j] = o;
            ps->val[j] = val;
            ps->cls[j] = cls;
            ps->nxt[j] = nxt;
            if (!o || !val || !cls || !nxt) {
                ok = 0;
                continue;
            }
            int64_t k = 0;
            for (int64_t r = 0; r < n; r++)
                if (!isnan(x[r]))
                    o[k++] = (int32_t)r;
            sort_by_value(x, o, k, keys, idx2, counts); /* stable: ties in row order */
            for (int64_t q = 0; q < k; q++) {
                int y = v->y[o[q]];
                val[q] = x[o[q]];
                cls[q] = (uint8_t)(y >= 0 && y < 255 ? y : 255);
            }
            c45_split_next_cut(val, k, nxt);
            ps->known[j] = k;
        }
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
        baiot_free(keys);
        baiot_free(idx2);
        baiot_free(counts);
    }
    for (int j = 0; j < ncols; j++)
        if (v->attrs[j].kind == BAIOT_ATTR_NUMERIC && ps->known[j] < n)
            ps->any_missing = 1;
    if (failed) {
        baiot_j48_presort_free(ps);
        return baiot_fail(BAIOT_ERR_MEMORY, "J48: out of memory presorting %lld rows", (long long)n);
    }
    *out = ps;
    return BAIOT_OK;
}

baiot_status baiot_j48_train(const baiot_view *v, const int64_t *rows, int64_t n, const double *weights,
                             const baiot_j48_params *params, baiot_j48_model **out)
{
    baiot_j48_params defaults = baiot_j48_params_default();
    const baiot_j48_params *p = params ? params : &defaults;
    const char *msg = baiot_j48_params_check(p);
    ctx C;
    baiot_j48_model *M = NULL;
    int64_t *all = NULL, *rrows = NULL;
    double *rw = NULL;
    int32_t **ords = NULL;
    uint64_t *keys = NULL;
    int32_t *idx2 = NULL;
    uint32_t *counts = NULL;
    double *tx = NULL;
    int32_t *bypos = NULL;
    int64_t *rowsorted = NULL;
    baiot_status st = BAIOT_OK;
    *out = NULL;
    if (msg)
        return baiot_fail(BAIOT_ERR_ARG, "J48: %s", msg);
    if (n > INT32_MAX)
        return baiot_fail(BAIOT_ERR_ARG, "J48: at most 2^31-1 training rows");
    memset(&C, 0, sizeof C);
    C.v = v;
    C.p = p;
    C.nc = v->n_classes;
    C.ncols = v->n_cols;
    C.keep_data = !p->unpruned && !p->no_raise;
    C.cfg.n_classes = v->n_classes;
    C.cfg.min_obj = p->min_obj;
    C.cfg.use_mdl = !p->no_mdl;
    C.cfg.weka36 = p->weka36;
    C.threads = p->n_threads > 0 ? p->n_threads : omp_get_max_threads();
    if (C.threads < 1)
        C.threads = 1;
    /* inside a parallel region (a fold) every loop runs on one thread */
    C.n_scratch = omp_in_parallel() ? 1 : C.threads;
    size_t nn = (size_t)(n > 0 ? n : 1);
    M = baiot_calloc(1, sizeof *M);
    all = baiot_malloc(nn * sizeof *all);
    rrows = baiot_malloc(nn * sizeof *rrows);
    rw = baiot_malloc(nn * sizeof *rw);
    ords = baiot_calloc((size_t)(v->n_cols > 0 ? v->n_cols : 1), sizeof *ords);
    C.all_sorted = baiot_calloc((size_t)(v->n_cols > 0 ? v->n_cols : 1), sizeof *C.all_sorted);
    C.all_known = baiot_calloc((size_t)(v->n_cols > 0 ? v->n_cols : 1), sizeof *C.all_known);
    C.s = baiot_calloc((size_t)C.n_scratch, sizeof *C.s);
    keys = baiot_malloc(2 * nn * sizeof *keys);
    idx2 = baiot_malloc(nn * sizeof *idx2);
    counts = baiot_malloc(4 * 65536 * sizeof *counts);
    tx = baiot_malloc(nn * sizeof *tx);
    if (!M || !all || !rrows || !rw || !ords || !C.all_sorted || !C.all_known || !C.s || !keys || !idx2 || !counts ||
        !tx)
        goto oom;
    M->p = *p;
    M->nc = v->n_classes;
    M->ncols = v->n_cols;
    M->cf = (float)p->confidence;
    M->z = normal_inverse(1 - (double)M->cf);
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (v->y[rows[i]] >= 0) {
            all[m] = rows[i];
            rrows[m] = rows[i];
            rw[m] = weights ? weights[rows[i]] : 1.0;
            m++;
        }
    C.all_rows = all;
    C.n_all = m;
    C.multival = 1;
    for (int j = 0; j < v->n_cols; j++) {
        const baiot_attr *a = &v->attrs[j];
        if (a->kind == BAIOT_ATTR_NUMERIC || c45_sm((double)a->n_values, J48_MULTIVAL_SHARE * (double)m))
            C.multival = 0;
        if (a->kind == BAIOT_ATTR_NOMINAL && a->n_values > C.max_values)
            C.max_values = a->n_values;
    }
    int nc = v->n_classes;
    /* the fast path's conditions (see grow_fast) */
    C.fast = nc >= 1 && nc <= 255 && m > 0 && !p->general;
    for (int j = 0; j < v->n_cols; j++)
        if (v->attrs[j].kind != BAIOT_ATTR_NUMERIC)
            C.fast = 0;
    for (int64_t i = 0; i < m && C.fast; i++)
        if (rw[i] != 1.0)
            C.fast = 0;
    /* with a presort of this view (no value missing, no row twice) the
     * instances are the training rows in ascending order, and each
     * column's value order is the presort's filtered: the same values in
     * the same order as sorting them here, only rows of equal values may
     * come in another order, which no sum of 1.0s can tell */
    const baiot_j48_presort *ps = p->presort;
    if (C.fast && ps && ps->v == v && !ps->any_missing && v->n_rows <= INT32_MAX) {
        C.inst = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *C.inst);
        if (!C.inst)
            goto oom;
        for (int64_t r = 0; r < v->n_rows; r++)
            C.inst[r] = -1;
        int dup = 0;
        for (int64_t i = 0; i < n && !dup; i++) {
            int64_t r = rows[i];
            if (v->y[r] < 0)
                continue;
            dup = C.inst[r] >= 0;
            C.inst[r] = 0;
        }
        if (dup) {
            baiot_free(C.inst);
            C.inst = NULL;
        } else {
            int64_t k = 0;
            for (int64_t r = 0; r < v->n_rows; r++)
                if (C.inst[r] >= 0) {
                    C.inst[r] = (int32_t)k;
                    rrows[k++] = r;
                }
            C.ps = ps;
        }
    }
    if (C.fast) {
        size_t nv = (size_t)(v->n_cols > 0 ? v->n_cols : 1);
        C.frk = baiot_calloc(nv, sizeof *C.frk);
        C.fid = baiot_calloc(nv, sizeof *C.fid);
        C.fcls = baiot_calloc(nv, sizeof *C.fcls);
        C.sval = baiot_calloc(nv, sizeof *C.sval);
        C.snxt = baiot_calloc(nv, sizeof *C.snxt);
        C.own_nxt = baiot_calloc(nv, sizeof *C.own_nxt);
        C.goes = baiot_calloc(nn + ROW_COMPACT_SLACK, 1); /* read as 32-bit words */
        C.lntab = baiot_malloc((nn + 1) * sizeof *C.lntab);
        if (!C.frk || !C.fid || !C.fcls || !C.sval || !C.snxt || !C.own_nxt || !C.goes || !C.lntab)
            goto oom;
        c45_split_lnfunc_table(C.lntab, m, p->weka36);
        C.icls = baiot_malloc(nn);
        if (!C.icls)
            goto oom;
        for (int64_t i = 0; i < m; i++)
            C.icls[i] = (uint8_t)v->y[rrows[i]];
        C.irow = rrows;
    }
    if (C.ps) {
        /* per column: the presort's order filtered to the training rows */
        int par = C.threads > 1 && !omp_in_parallel();
        int ncols = v->n_cols, bad = 0;
        for (int j = 0; j < ncols; j++) {
            /* the filter below stores whole vectors past its last row */
            C.frk[j] = baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(int32_t));
            C.fid[j] = baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(int32_t));
            C.fcls[j] = baiot_malloc(nn + ROW_COMPACT_SLACK);
            if (!C.frk[j] || !C.fid[j] || !C.fcls[j])
                goto oom;
            C.sval[j] = ps->val[j];
            C.snxt[j] = ps->nxt[j];
        }
#pragma omp parallel for schedule(dynamic, 1) num_threads(C.threads) if (par) default(none) \
    shared(C, ps, ncols, m) reduction(| : bad)
        for (int j = 0; j < ncols; j++) {
            int64_t k = row_compact_filter(ps->row[j], ps->cls[j], ps->known[j], C.inst, C.frk[j], C.fid[j], C.fcls[j]);
            bad |= k != m;
        }
        if (bad)
            goto oom; /* cannot happen: no value is missing */
    }
    size_t work = (size_t)(C.max_values + 2) * (size_t)(nc + 1) + 4 * (size_t)nc + 8;
    for (int i = 0; i < C.n_scratch; i++) {
        C.s[i].vals = baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(double));
        C.s[i].w = C.ps ? NULL : baiot_malloc(nn * sizeof(double)); /* general path only */
        C.s[i].cls = baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(int32_t));
        C.s[i].work = baiot_malloc(work * sizeof(double));
        C.s[i].bytes = C.fast ? baiot_malloc(nn + ROW_COMPACT_SLACK) : NULL;
        C.s[i].ranks = C.fast ? baiot_malloc((nn + ROW_COMPACT_SLACK) * sizeof(int32_t)) : NULL;
        if (!C.s[i].vals || (!C.ps && !C.s[i].w) || !C.s[i].cls || !C.s[i].work ||
            (C.fast && (!C.s[i].bytes || !C.s[i].ranks)))
            goto oom;
    }
    /* the instances by view row, so that gathering a column reads it in
     * order (optional: skipped when out of memory) */
    if (!C.ps) {
        bypos = baiot_malloc(nn * sizeof *bypos);
        rowsorted = baiot_malloc(nn * sizeof *rowsorted);
    }
    if (C.ps) {
        /* sorted already */
    } else if (bypos && rowsorted) {
        for (int64_t i = 0; i < m; i++) {
            tx[i] = (double)rrows[i];
            bypos[i] = (int32_t)i;
        }
        sort_by_value(tx, bypos, m, keys, idx2, counts);
        for (int64_t q = 0; q < m; q++)
            rowsorted[q] = rrows[bypos[q]];
    } else {
        baiot_free(bypos);
        baiot_free(rowsorted);
        bypos = NULL;
        rowsorted = NULL;
    }
    /* sort every numeric column once */
    for (int j = 0; j < v->n_cols && !C.ps; j++) {
        if (v->attrs[j].kind != BAIOT_ATTR_NUMERIC)
            continue;
        const double *x = v->cols[j];
        int32_t *o = baiot_malloc(nn * sizeof *o);
        C.all_sorted[j] = baiot_malloc(nn * sizeof(double));
        ords[j] = o;
        if (!o || !C.all_sorted[j])
            goto oom;
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
        sort_by_value(tx, o, k, keys, idx2, counts);
        for (int64_t i = 0; i < k; i++)
            C.all_sorted[j][i] = tx[o[i]];
        C.all_known[j] = k;
        if (k < m)
            C.fast = 0; /* a missing value */
        for (int64_t i = 0; i < m; i++)
            if (isnan(tx[i]))
                o[k++] = (int32_t)i;
    }
    if (C.fast && !C.ps) {
        /* per column: ranks into all_sorted (the rows are in its order),
         * instances, class bytes; the tie rule on all_sorted */
        const uint8_t *icls = C.icls;
        for (int j = 0; j < v->n_cols; j++) {
            const int32_t *o = ords[j];
            C.frk[j] = baiot_malloc(nn * sizeof(int32_t));
            C.fcls[j] = baiot_malloc(nn);
            C.own_nxt[j] = baiot_malloc(nn * sizeof(int32_t));
            if (!C.frk[j] || !C.fcls[j] || !C.own_nxt[j])
                goto oom;
            C.fid[j] = ords[j];
            ords[j] = NULL;
            for (int64_t i = 0; i < m; i++) {
                C.frk[j][i] = (int32_t)i;
                C.fcls[j][i] = icls[o[i]];
            }
            c45_split_next_cut(C.all_sorted[j], m, C.own_nxt[j]);
            C.sval[j] = C.all_sorted[j];
            C.snxt[j] = C.own_nxt[j];
        }
    }
    baiot_free(keys);
    baiot_free(idx2);
    baiot_free(counts);
    baiot_free(tx);
    baiot_free(bypos);
    baiot_free(rowsorted);
    bypos = NULL;
    rowsorted = NULL;
    keys = NULL;
    idx2 = NULL;
    counts = NULL;
    tx = NULL;
    if (C.fast) {
        if (ords)
            for (int j = 0; j < v->n_cols; j++)
                baiot_free(ords[j]);
        baiot_free(ords);
        ords = NULL;
        baiot_free(rw);
        rw = NULL;
        int32_t *all_cols = baiot_malloc((size_t)(v->n_cols > 0 ? v->n_cols : 1) * sizeof *all_cols);
        if (all_cols) {
            for (int j = 0; j < v->n_cols; j++)
                all_cols[j] = j;
            M->root = grow_fast(&C, 0, m, all_cols, v->n_cols);
            baiot_free(all_cols);
        }
        /* pruning needs the node segments (one column's instances) and
         * the values of the split columns only */
        if (M->root && !C.failed) {
            C.perm = C.fid[0];
            C.fid[0] = NULL;
            for (int j = 0; j < v->n_cols; j++) {
                baiot_free(C.frk[j]);
                baiot_free(C.fid[j]);
                baiot_free(C.fcls[j]);
                baiot_free(C.own_nxt[j]);
                C.frk[j] = NULL;
                C.fid[j] = NULL;
                C.fcls[j] = NULL;
                C.own_nxt[j] = NULL;
            }
            if (!p->unpruned && !p->no_raise && (!fast_rows(&C, M->root) || !fast_sort_leaves(&C, M->root)))
                goto oom;
        }
    } else {
        M->root = grow(&C, rrows, rw, m, ords);
        rrows = NULL;
        rw = NULL;
    }
    ords = NULL;
    if (!M->root || C.failed)
        goto oom;
    if (!p->no_collapse && !collapse(M->root))
        goto oom;
    if (!p->unpruned && !prune(&C, M, M->root))
        goto oom;
    drop_data(M->root);
    free_ctx(&C);
    baiot_free(rrows);
    baiot_free(all);
    *out = M;
    return BAIOT_OK;
oom:
    st = baiot_fail(BAIOT_ERR_MEMORY, "J48: out of memory for %lld rows", (long long)n);
    if (ords) {
        for (int j = 0; j < v->n_cols; j++)
            baiot_free(ords[j]);
        baiot_free(ords);
    }
    baiot_free(keys);
    baiot_free(idx2);
    baiot_free(counts);
    baiot_free(tx);
    baiot_free(bypos);
    baiot_free(rowsorted);
    baiot_free(rrows);
    baiot_free(rw);
    baiot_free(all);
    free_ctx(&C);
    baiot_j48_free(M);
    return st;
}

/* Weka's getProbs / getProbsLaplace for class c. */
/* All classes' probabilities in one walk: out[c] = what node_prob(t, c,
 * weight) gives, with the same additions in the same order (a missing
 * value's branches are summed per branch first, as node_prob sums them). */
static void node_dist(const baiot_j48_model *M, const node *t, const baiot_view *v, int64_t r, double weight,
                      double *out)
{
    int lap = M->p.laplace, nc = M->nc;
    if (t->leaf) {
        for (int c = 0; c < nc; c++)
            out[c] = weight * (lap ? laplace_class(&t->d, c) : prob_class(&t->d, c));
        return;
    }
    int b = which_subset(t, v->cols[t->attr][r], M->p.weka36);
    if (b < 0) {
        double kid[nc];
        for (int c = 0; c < nc; c++)
            out[c] = 0;
        for (int k = 0; k < t->nb; k++)
            if (!t->kids[k]->empty) {
                node_dist(M, t->kids[k], v, r, (t->d.pb[k] / t->d.total) * weight, kid);
                for (int c = 0; c < nc; c++)
                    out[c] += kid[c];
            }
        return;
    }
    if (t->kids[b]->empty) {
        for (int c = 0; c < nc; c++)
            out[c] = weight * (lap ? laplace_class_bag(&t->d, c, b) : prob_class_bag(&t->d, c, b));
        return;
    }
    node_dist(M, t->kids[b], v, r, weight, out);
}

void baiot_j48_distribution(const baiot_j48_model *m, const baiot_view *v, int64_t r, double *dist_out)
{
    node_dist(m, m->root, v, r, 1, dist_out);
}

static int64_t count_leaves(const node *t)
{
    if (t->leaf)
        return 1;
    int64_t s = 0;
    for (int b = 0; b < t->nb; b++)
        s += count_leaves(t->kids[b]);
    return s;
}

static int64_t count_nodes(const node *t)
{
    int64_t s = 1;
    if (!t->leaf)
        for (int b = 0; b < t->nb; b++)
            s += count_nodes(t->kids[b]);
    return s;
}

int64_t baiot_j48_num_leaves(const baiot_j48_model *m) { return count_leaves(m->root); }
int64_t baiot_j48_tree_size(const baiot_j48_model *m) { return count_nodes(m->root); }

/* ---------------------------------------------------------------------- */
/* Printing                                                                */

/* Utils.roundDouble(x, 2) as Java's Double.toString. */
static void print_round2(double x, FILE *f)
{
    char buf[WEKA_NUMFMT_MAX];
    weka_numfmt_java_double(floor(x * 100 + 0.5) / 100, buf, sizeof buf);
    fputs(buf, f);
}

static void print_label(const dist *d, int b, const baiot_view *v, FILE *f)
{
    fprintf(f, "%s (", v->class_names[dist_max_class_bag(d, b)]);
    print_round2(d->pb[b], f);
    double inc = dist_incorrect_bag(d, b);
    if (c45_gr(inc, 0)) {
        fputc('/', f);
        print_round2(inc, f);
    }
    fputc(')', f);
}

static void print_test(const node *t, int b, int binary, const baiot_view *v, FILE *f)
{
    const baiot_attr *a = &v->attrs[t->attr];
    char buf[WEKA_NUMFMT_MAX];
    fputs(a->name, f);
    switch (t->kind) {
    case SPLIT_NUMERIC:
        /* C45Split prints Utils.doubleToString(t, 6); BinC45Split (-B)
         * Java's Double.toString (observed: "plas <= 127.0") */
        if (binary)
            weka_numfmt_java_double(t->point, buf, sizeof buf);
        else
            weka_numfmt_dts(t->point, 0, 6, buf, sizeof buf);
        fprintf(f, b == 0 ? " <= %s" : " > %s", buf);
        break;
    case SPLIT_BINARY: fprintf(f, b == 0 ? " = %s" : " != %s", a->values[(int)t->point]); break;
    default: fprintf(f, " = %s", a->values[b]); break;
    }
}

static void dump_tree(const node *t, int depth, int binary, const baiot_view *v, FILE *f)
{
    for (int b = 0; b < t->nb; b++) {
        fputc('\n', f);
        for (int k = 0; k < depth; k++)
            fputs("|   ", f);
        print_test(t, b, binary, v, f);
        if (t->kids[b]->leaf) {
            fputs(": ", f);
            print_label(&t->d, b, v, f);
        } else {
            dump_tree(t->kids[b], depth + 1, binary, v, f);
        }
    }
}

void baiot_j48_print(const baiot_j48_model *m, const baiot_view *v, FILE *f)
{
    fprintf(f, "J48 %s tree\n------------------\n", m->p.unpruned ? "unpruned" : "pruned");
    if (m->root->leaf) {
        fputs(": ", f);
        print_label(&m->root->d, 0, v, f);
    } else {
        dump_tree(m->root, 0, m->p.binary, v, f);
    }
    fprintf(f, "\n\nNumber of Leaves  : \t%lld\n", (long long)count_leaves(m->root));
    fprintf(f, "\nSize of the tree : \t%lld\n", (long long)count_nodes(m->root));
}

/* ---- learner adapter ---- */

static baiot_status learner_train(const baiot_view *v, const int64_t *rows, int64_t n, const void *params,
                                  void **model)
{
    baiot_j48_model *m;
    baiot_status st = baiot_j48_train(v, rows, n, NULL, params, &m);
    *model = st ? NULL : m;
    return st;
}

static void learner_predict(const void *model, const baiot_view *v, int64_t r, double *dist_out)
{
    baiot_j48_distribution(model, v, r, dist_out);
}

static void learner_free(void *model)
{
    baiot_j48_free(model);
}

baiot_learner baiot_j48_learner(const baiot_j48_params *p)
{
    baiot_learner l;
    l.name = "J48";
    l.params = p;
    l.train = learner_train;
    l.predict = learner_predict;
    l.free_model = learner_free;
    return l;
}

/* ---------------------------------------------------------------------- */
/* Model files                                                             */

static void write_doubles(FILE *f, const double *x, int n)
{
    fputc('[', f);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        json_write_number(f, x[i]);
    }
    fputc(']', f);
}

/* A node: its distribution (per bag and class, per bag, per class, total)
 * and, for a split, the test and the children. */
static void write_node(const node *t, FILE *f)
{
    fprintf(f, "{\"leaf\": %s, \"empty\": %s, \"bags\": %d, \"total\": ", t->leaf ? "true" : "false",
            t->empty ? "true" : "false", t->d.nb);
    json_write_number(f, t->d.total);
    fputs(", \"class\": ", f);
    write_doubles(f, t->d.pc, t->d.nc);
    fputs(", \"bag\": ", f);
    write_doubles(f, t->d.pb, t->d.nb);
    fputs(", \"bag_class\": ", f);
    write_doubles(f, t->d.pcb, t->d.nb * t->d.nc);
    if (!t->leaf) {
        fprintf(f, ", \"attr\": %d, \"kind\": %d, \"point\": ", t->attr, t->kind);
        json_write_number(f, t->point);
        fputs(", \"kids\": [", f);
        for (int b = 0; b < t->nb; b++) {
            if (b)
                fputs(", ", f);
            write_node(t->kids[b], f);
        }
        fputc(']', f);
    }
    fputc('}', f);
}

void baiot_j48_write_json(const baiot_j48_model *m, FILE *f)
{
    fprintf(f, "{\"laplace\": %s, \"weka36\": %s, \"binary\": %s, \"tree\": ", m->p.laplace ? "true" : "false",
            m->p.weka36 ? "true" : "false", m->p.binary ? "true" : "false");
    write_node(m->root, f);
    fputc('}', f);
}

static int read_doubles(const json_value *a, double *out, int n)
{
    if (!a || a->type != JSON_ARRAY || a->n != n)
        return 0;
    for (int i = 0; i < n; i++) {
        if (a->items[i]->type != JSON_NUMBER)
            return 0;
        out[i] = a->items[i]->number;
    }
    return 1;
}

static node *read_node(const json_value *o, int nc, int ncols, int depth, const char *what, baiot_status *st)
{
    const json_value *leaf = json_get(o, "leaf"), *empty = json_get(o, "empty"), *bags = json_get(o, "bags"),
                     *total = json_get(o, "total");
    if (depth > 4000 || !leaf || leaf->type != JSON_BOOL || !empty || empty->type != JSON_BOOL || !bags ||
        bags->type != JSON_NUMBER || bags->number < 1 || bags->number > 1e6 || !total || total->type != JSON_NUMBER) {
        *st = baiot_fail(BAIOT_ERR_FORMAT, "%s: a J48 node is incomplete", what);
        return NULL;
    }
    node *t = baiot_calloc(1, sizeof *t);
    int nb = (int)bags->number;
    if (!t || !dist_init(&t->d, nb, nc)) {
        baiot_free(t);
        *st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        return NULL;
    }
    t->leaf = leaf->number != 0;
    t->empty = empty->number != 0;
    t->nb = nb;
    t->attr = -1;
    t->d.total = total->number;
    if (!read_doubles(json_get(o, "class"), t->d.pc, nc) || !read_doubles(json_get(o, "bag"), t->d.pb, nb) ||
        !read_doubles(json_get(o, "bag_class"), t->d.pcb, nb * nc)) {
        node_free(t);
        *st = baiot_fail(BAIOT_ERR_FORMAT, "%s: a J48 node's distribution does not fit %d classes", what, nc);
        return NULL;
    }
    if (t->leaf) {
        t->nb = 1;
        return t;
    }
    const json_value *attr = json_get(o, "attr"), *kind = json_get(o, "kind"), *point = json_get(o, "point"),
                     *kids = json_get(o, "kids");
    if (!attr || attr->type != JSON_NUMBER || attr->number < 0 || attr->number >= ncols || !kind ||
        kind->type != JSON_NUMBER || !point || point->type != JSON_NUMBER || !kids || kids->type != JSON_ARRAY ||
        kids->n != nb) {
        node_free(t);
        *st = baiot_fail(BAIOT_ERR_FORMAT, "%s: a J48 split is incomplete", what);
        return NULL;
    }
    t->attr = (int)attr->number;
    t->kind = (int)kind->number;
    t->point = point->number;
    t->kids = baiot_calloc((size_t)nb, sizeof *t->kids);
    if (!t->kids) {
        node_free(t);
        *st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        return NULL;
    }
    for (int b = 0; b < nb; b++)
        if (!(t->kids[b] = read_node(kids->items[b], nc, ncols, depth + 1, what, st))) {
            node_free(t);
            return NULL;
        }
    return t;
}

baiot_status baiot_j48_from_json(const json_value *obj, int n_classes, int n_cols, const char *what,
                                 baiot_j48_model **out)
{
    baiot_status st = BAIOT_OK;
    const json_value *tree = json_get(obj, "tree"), *lap = json_get(obj, "laplace"), *w36 = json_get(obj, "weka36"),
                     *bin = json_get(obj, "binary");
    *out = NULL;
    if (!tree || !lap || lap->type != JSON_BOOL || !w36 || w36->type != JSON_BOOL)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the J48 model is incomplete", what);
    baiot_j48_model *m = baiot_calloc(1, sizeof *m);
    if (!m)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    m->p = baiot_j48_params_default();
    m->p.laplace = lap->number != 0;
    m->p.weka36 = w36->number != 0;
    m->p.binary = bin && bin->type == JSON_BOOL && bin->number != 0;
    m->nc = n_classes;
    m->ncols = n_cols;
    if (!(m->root = read_node(tree, n_classes, n_cols, 0, what, &st))) {
        baiot_free(m);
        return st;
    }
    *out = m;
    return BAIOT_OK;
}
