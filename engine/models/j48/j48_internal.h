/*
 * j48_internal.h - what the files of J48 (engine/models/j48/) share: the
 * named constants, the class distribution, the tree node, the model, the
 * presort and the training context, and the functions one file calls in
 * another.  Not part of the API (include/baiot/j48.h is).
 *
 * The files, in the order of a training (baiot_j48_train):
 *   j48_train.c       parameters, the four preparations, the orchestration
 *   j48_presort.c     every numeric column of a view sorted once
 *   j48_dist.c        class distributions (Weka's j48.Distribution)
 *   j48_split.c       choosing a split, its threshold, routing data through it
 *   j48_grow.c        the general grower (instance lists, any data)
 *   j48_grow_fast.c   the fast grower (column segments, numeric unit data)
 *   j48_grow_lean.c   the fast path within a memory budget (large nodes
 *                     searched from the presort, subtrees laid out to fit)
 *   j48_prune.c       collapse and error-based pruning, with fast variants
 *   j48_tree.c        freeing and counting nodes
 *   j48_predict.c     class distributions of a row, the learner adapter
 *   j48_print.c       the tree as Weka's text
 *   j48_json.c        the tree as a model document, and back (j48_json.h)
 *
 * Conventions:
 *   - Every fallible function returns baiot_status, BAIOT_OK (0) on
 *     success.  An allocation failure returns BAIOT_ERR_MEMORY without a
 *     message: baiot_j48_train names the stage that ran out of memory.
 *     Any other failure sets its own message with baiot_fail.
 *   - On failure a function leaves every tree it built freeable by
 *     baiot_j48_node_free (the caller discards it).
 *   - Whoever allocates frees, except where a comment says "takes
 *     ownership" (baiot_j48_grow: the instance lists it is given become
 *     the node's or are freed).
 * Covered by tests/unit/test_j48_model.c (fast path against the general
 * path, presort, threads, fault injection) and the J48 goldens
 * (tests/cli/test_j48_golden.py).
 */
#ifndef BAIOT_J48_INTERNAL_H
#define BAIOT_J48_INTERNAL_H

#include "baiot/j48.h"
#include "kernels/c45_split.h"

#include <math.h>
#include <stdint.h>

/* ---------------------------------------------------------------------- */
/* Named constants                                                         */

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
/* The general path searches a node's columns in parallel only from this
 * many row-columns on (its per-column work, gathering values through the
 * instance list, is heavier than the fast path's, so it pays off sooner). */
#define J48_GENERAL_PAR_MIN_WORK 20000.0
/* The fast path searches and partitions a node's columns in parallel
 * only from this many row-columns on: each parallel loop costs a fork and
 * a barrier, which on a busy machine (a descheduled thread) costs far
 * more than the small nodes' work. */
#define J48_FAST_PAR_MIN_WORK 1e6
/* The fast path keeps classes in bytes: at most this many classes. */
#define J48_FAST_MAX_CLASSES 255
/* A presort's class byte for a missing class or one beyond a byte. */
#define J48_PRESORT_NO_CLASS 255
/* Model files: deepest tree and most bags per node accepted on reading. */
#define J48_JSON_MAX_DEPTH 4000
#define J48_JSON_MAX_BAGS 1e6

enum { SPLIT_NUMERIC = 0, SPLIT_NOMINAL = 1, SPLIT_BINARY = 2 };

/* ---------------------------------------------------------------------- */
/* Distributions (j48_dist.c)                                              */

typedef struct dist {
    int nb, nc;
    double *pcb;  /* nb x nc */
    double *pb;   /* nb */
    double *pc;   /* nc */
    double total;
} dist;

/* An empty distribution of nb bags and nc classes; free with
 * baiot_j48_dist_free (also after a failure). */
baiot_status baiot_j48_dist_init(dist *d, int nb, int nc);
void baiot_j48_dist_free(dist *d);

static inline void baiot_j48_dist_add(dist *d, int b, int c, double w)
{
    d->pcb[(int64_t)b * d->nc + c] += w;
    d->pb[b] += w;
    d->pc[c] += w;
    d->total += w;
}

/* The first index of largest weight (by more than C45_SMALL); 0 when all
 * are 0: the majority class of a class-weight vector. */
static inline int baiot_j48_max_index(const double *w, int n)
{
    double mx = 0;
    int mi = 0;
    for (int c = 0; c < n; c++)
        if (c45_gr(w[c], mx)) {
            mx = w[c];
            mi = c;
        }
    return mi;
}

/* The stopping rule (Weka's C45ModelSelection): data of class weights
 * pc[0..nc) summing to total becomes a leaf without a split search when
 * it weighs less than two leaves' minimum or is of one class.  Used by
 * both growers and by the fast grower's look-ahead at its children. */
static inline int baiot_j48_stops(const double *pc, int nc, double total, int min_obj)
{
    return c45_sm(total, 2.0 * min_obj) || c45_eq(total, pc[baiot_j48_max_index(pc, nc)]);
}

int baiot_j48_dist_max_class(const dist *d);
int baiot_j48_dist_max_class_bag(const dist *d, int b);
int baiot_j48_dist_max_bag(const dist *d);
double baiot_j48_dist_incorrect(const dist *d);
double baiot_j48_dist_incorrect_bag(const dist *d, int b);
baiot_status baiot_j48_dist_merge(const dist *src, dist *out);
void baiot_j48_dist_from_counts(dist *d, const int64_t *cnt);

/* ---------------------------------------------------------------------- */
/* Tree (j48_tree.c)                                                       */

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

/* Frees t and its subtree (NULL kids and NULL t allowed). */
void baiot_j48_node_free(node *t);
/* A leaf of the fast path for the segment [lo, lo + m), its distribution
 * empty (1 bag of nc classes), at *out; BAIOT_ERR_MEMORY leaves a
 * freeable *out (or NULL). */
baiot_status baiot_j48_fast_leaf(int nc, int64_t lo, int64_t m, node **out);

/* The branch of value x at split node t (-1: missing). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int baiot_j48_which_subset(const node *t, double x, int weka36)
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
/* Presort (j48_presort.c)                                                 */

struct baiot_j48_presort {
    const baiot_view *v;
    int64_t n;
    int any_missing;   /* a numeric value is missing somewhere */
    int32_t **row;     /* per numeric column: rows with a known value in value order
                          (the values: the view's column read through it) */
    uint8_t **cls;     /* their classes (J48_PRESORT_NO_CLASS: missing or > 254) */
    int32_t **nxt;     /* the tie rule on val (baiot_c45_split_next_cut) */
    int64_t *known;
};

/* ---------------------------------------------------------------------- */
/* The training context                                                    */

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

/* One training's state, built by baiot_j48_train's preparations, read by
 * the growers and pruning, freed by the training. */
typedef struct ctx {
    const baiot_view *v;
    const baiot_j48_params *p;
    int nc, ncols, max_values, multival, keep_data, threads;
    int64_t n_all;
    const int64_t *all_rows;   /* training rows with a class, in order */
    const int64_t *given_rows; /* the training rows as given, a missing class included (borrowed) */
    int64_t n_given;
    double **all_sorted;       /* numeric columns: known values ascending (3.8 thresholds) */
    int64_t *all_known;
    c45_split_cfg cfg;
    scratch *s;                /* one per thread of the training */
    int n_scratch;
    /* fast path (all columns numeric, no missing value, unit weights):
     * per column the training rows in value order, rank / instance /
     * class, each node a segment [lo, lo + m) partitioned stably into its
     * children; see j48_grow_fast.c.  A rank indexes the column's sorted
     * values: sval[j][rank] (all_sorted), or with a presort
     * sval[j][srow[j][rank]] (sval the view's column, srow the presort's
     * order: j48_fast_value); snxt[j] is its tie rule
     * (baiot_c45_split_next_cut; own_nxt when made for this training). */
    int fast;
    int32_t **frk;
    int32_t **fid;
    uint8_t **fcls;
    const double **sval;
    const int32_t **srow;
    const int32_t **snxt;
    int32_t **own_nxt;
    uint8_t *goes;             /* per instance: its child at the node being split */
    double *lntab;             /* baiot_c45_split_lnfunc_table(n_all) */
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
    /* general path with a missing value or a fractional weight: each node
     * keeps its instances in Weka's order (j48_grow.c, weka_orders) */
    int worder;
    /* with a presort: inst[r] = the instance of view row r, or -1 */
    const baiot_j48_presort *ps;
    int32_t *inst;
    /* memory budget of the column arrays (baiot_j48_params.column_memory,
     * 0: none); lean: over it, so the tree grows by j48_grow_lean.c,
     * whose node being searched has ninst[r] = inst[r], else -1 */
    int64_t budget;
    int lean;
    int32_t *ninst;
} ctx;

/* The value of rank r of column j on the fast path (see ctx). */
static inline double j48_fast_value(const ctx *C, int j, int32_t r)
{
    return C->srow[j] ? C->sval[j][C->srow[j][r]] : C->sval[j][r];
}

/* ---------------------------------------------------------------------- */
/* Splits (j48_split.c)                                                    */

int baiot_j48_choose_split(const ctx *C, const colres *res);
double baiot_j48_split_point(const ctx *C, int j, double mid);
void baiot_j48_add_unknown(const ctx *C, dist *d, int j, const int64_t *rows, const double *w, int64_t m,
                           double *probs);
baiot_status baiot_j48_split_data(const ctx *C, const node *t, const dist *sd, const int64_t *rows, const double *w,
                                  int64_t m, int64_t **out_rows, double **out_w, int64_t *out_m, int32_t *maps);

/* ---------------------------------------------------------------------- */
/* Growing (j48_grow.c, j48_grow_fast.c)                                   */

baiot_status baiot_j48_grow(ctx *C, int64_t *rows, double *w, int64_t m, int32_t **ords, node **out);
baiot_status baiot_j48_grow_fast(ctx *C, int64_t lo, int64_t m, const int32_t *act, int nact, node **out);
/* baiot_j48_grow_fast's tree for the segment perm[lo, lo + m) (C->perm
 * holding the instances in column 0's value order) within C->budget. */
baiot_status baiot_j48_grow_lean(ctx *C, int64_t lo, int64_t m, const int32_t *act, int nact, node **out);

/* ---------------------------------------------------------------------- */
/* Collapse and pruning (j48_prune.c)                                      */

double baiot_j48_normal_inverse(double y);
baiot_status baiot_j48_collapse(node *t);
baiot_status baiot_j48_prepare_fast_prune(ctx *C, node *root);
baiot_status baiot_j48_prune(const ctx *C, const baiot_j48_model *M, node *t);
void baiot_j48_drop_data(node *t);

#endif
