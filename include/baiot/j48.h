/*
 * j48.h - Weka's J48 decision tree (weka.classifiers.trees.J48, C4.5
 * release 8): numeric cuts and nominal multiway (or, with -B, binary)
 * splits chosen by gain ratio among attributes of at least average gain,
 * missing values as fractional rows, collapse, then error-based pruning
 * with subtree raising.  Reimplemented from
 * ../shared/reference/WEKA_ALGORITHMS.md section 1 and Weka's observed
 * behaviour (docs/WEKA_COMPAT.md, "J48").
 */
#ifndef BAIOT_J48_H
#define BAIOT_J48_H

#include "baiot/cv.h"
#include "baiot/view.h"

#include <stdio.h>

BAIOT_BEGIN_DECLS

/* Every numeric column of a view sorted once (rows with a known value in
 * value order, ties in row order), to be shared read-only by any number
 * of concurrent trainings on row subsets of that view (the folds of a
 * cross-validation and the tree on all rows): a training then filters
 * this order instead of sorting.  Memory: 9 bytes per known value
 * (row int32, class byte, tie rule int32); the values stay the view's. */
typedef struct baiot_j48_presort baiot_j48_presort;

typedef struct baiot_j48_params {
    double confidence; /* -C: pruning confidence, default 0.25 (used as a Java float) */
    int min_obj;       /* -M: minimum weight per leaf, default 2 */
    int unpruned;      /* -U */
    int no_raise;      /* -S: no subtree raising */
    int laplace;       /* -A: Laplace-smoothed leaf probabilities */
    int no_collapse;   /* -O (Weka 3.8 only) */
    int no_mdl;        /* -J (Weka 3.8 only): no MDL correction of numeric gains */
    int binary;        /* -B: binary splits on nominal attributes */
    int weka36;        /* 1: Weka 3.6.14's tolerant threshold tests and entropy
                          sums; 0 (default): Weka >= 3.8.3's precise ones */
    int n_threads;     /* threads evaluating columns at large nodes (0 = OpenMP's
                          default); inside a parallel region always 1 */
    int general;       /* testing: the general path (instance lists routed at
                          every node) even where the fast path applies; the
                          same trees, slower */
    const baiot_j48_presort *presort; /* optional, borrowed: v's presorted
                          columns (baiot_j48_presort_create on the same view);
                          NULL: each training sorts its own rows */
    int64_t column_memory; /* bytes a training may hold in column arrays (0 =
                          no limit; baiot_j48_column_bytes); with a presort,
                          a larger training grows the nodes over it from
                          the presort, node by node: the same tree, less
                          memory, more time */
} baiot_j48_params;

baiot_j48_params baiot_j48_params_default(void);

/* How a J48 job on a view fits a memory limit (baiot_j48_memory_plan_make):
 * the tree on all rows and/or a k-fold cross-validation, over one
 * presort.  Sizes in bytes (estimates of the allocations). */
typedef struct baiot_j48_memory_plan {
    int64_t limit;              /* planned for (<= 0: none) */
    int64_t data, presort, eval; /* the view (with an allowance for the program), the presort, the folds and predictions */
    int64_t fold_columns, tree_columns; /* a fold's / the tree's column arrays, unbounded */
    int presort_threads;        /* threads building the presort */
    int concurrency;            /* folds trained side by side (the learner's) */
    int64_t fold_column_memory; /* column_memory for the folds (0: none needed) */
    int64_t tree_column_memory; /* and for the tree on all rows */
    int64_t peak;               /* the planned peak */
} baiot_j48_memory_plan;

/* Plans a job of folds folds (0 or 1: none) and, when tree, the tree on
 * all rows, on threads threads, within limit bytes (<= 0: no limit):
 * folds side by side while they fit, else one at a time with every
 * thread, else within a column budget.  Fails (BAIOT_ERR_MEMORY, with the
 * figures) when the view, the presort and one training's rows alone are
 * over the limit.  The plan never changes a result. */
baiot_status baiot_j48_memory_plan_make(const baiot_view *v, int folds, int tree, int threads, int64_t limit,
                                        baiot_j48_memory_plan *out);

/* The bytes of a fast-path training's column arrays for rows training
 * rows and ncols columns (9 per row per column): what column_memory
 * bounds. */
int64_t baiot_j48_column_bytes(int64_t rows, int ncols);

/* NULL when p is usable, else a message (static text). */
const char *baiot_j48_params_check(const baiot_j48_params *p);

typedef struct baiot_j48_model baiot_j48_model;

/* Grows and prunes a tree on rows[0..n) of v (rows with a missing class
 * are left out, as Weka does).  weights: one per view row, or NULL for
 * all 1.  *out is owned by the caller (baiot_j48_free). */
baiot_status baiot_j48_train(const baiot_view *v, const int64_t *rows, int64_t n, const double *weights,
                             const baiot_j48_params *p, baiot_j48_model **out);
void baiot_j48_free(baiot_j48_model *m);

/* Sorts every numeric column of v once (n_threads columns at a time, 0 =
 * OpenMP's default).  The trees trained with it are those trained
 * without it, bit for bit.  *out is owned by the caller
 * (baiot_j48_presort_free) and must not outlive v. */
baiot_status baiot_j48_presort_create(const baiot_view *v, int n_threads, baiot_j48_presort **out);
void baiot_j48_presort_free(baiot_j48_presort *ps);

/* Weka's distributionForInstance for row r of v: n_classes probabilities
 * written to dist. */
void baiot_j48_distribution(const baiot_j48_model *m, const baiot_view *v, int64_t r, double *dist);

int64_t baiot_j48_num_leaves(const baiot_j48_model *m);
int64_t baiot_j48_tree_size(const baiot_j48_model *m);

/* Prints the tree as Weka's J48.toString() does ("J48 pruned tree", the
 * tree, "Number of Leaves", "Size of the tree"); v names the attributes.
 * BAIOT_ERR_IO when f reports a write error. */
baiot_status baiot_j48_print(const baiot_j48_model *m, const baiot_view *v, FILE *f);

/* The learner for baiot_cross_validate / baiot_holdout (params: a
 * baiot_j48_params, borrowed). */
baiot_learner baiot_j48_learner(const baiot_j48_params *p);

/* Model files (docs/MODEL_FORMAT.md): the tree as a JSON object (the
 * "model" member).  BAIOT_ERR_IO when f reports a write error.  (Reading
 * it back is engine-internal: engine/models/j48/j48_json.h.) */
baiot_status baiot_j48_write_json(const baiot_j48_model *m, FILE *f);

BAIOT_END_DECLS
#endif
