/*
 * evaluation.h - Weka's evaluation of a nominal-class classifier: the
 * "Summary", "Detailed Accuracy By Class" and "Confusion Matrix" figures of
 * a cross-validation or holdout, computed from the pooled predictions
 * exactly as Weka 3.6.14 computes them (and, where 3.6.14 has no figure,
 * as Weka 3.8 defines it: MCC, PRC area).
 *
 * Use: create a baiot_eval for n_classes classes; for each fold (or once
 * for a holdout) pass the training set's class counts to
 * baiot_eval_set_priors(), then add that fold's test predictions (actual
 * class, predicted distribution, weight) with baiot_eval_add().  Then read
 * the figures (baiot_eval_compute), the threshold curve of a class
 * (baiot_eval_roc), print Weka's text blocks or write JSON/CSV.
 *
 * Weka's semantics reproduced (docs/EVALUATION_JSON.md has the evidence):
 *  - The predicted class is the first class of largest probability; a
 *    distribution with no positive entry leaves the row "unclassified".
 *  - Priors: while a fold's test rows are evaluated, Weka's prior of class c
 *    is (1 + training weight of c) / (n_classes + training weight), from
 *    THAT fold's training set; they enter the relative errors.
 *  - Rows with a missing class (actual = -1) count only as "Ignored Class
 *    Unknown Instances" in the summary, but Weka's threshold curves count
 *    them as negatives of every class; both are reproduced.
 *  - ROC area: Weka's ThresholdCurve + Mann-Whitney area with ties as 1/2,
 *    undefined (NaN, printed '?') when the class has no positive or no
 *    negative row.
 *
 * Also: classes-to-clusters, the evaluation of a clustering against the
 * classes (baiot_eval_classes_to_clusters).
 *
 * Not thread-safe per handle; different handles are independent.
 * Covered by tests/unit/test_evaluation.c and test_class_clusters.c.
 */
#ifndef BAIOT_EVALUATION_H
#define BAIOT_EVALUATION_H

#include "baiot/baiot.h"

#include <stdio.h>

BAIOT_BEGIN_DECLS

typedef struct baiot_eval baiot_eval;

/* The layout of the printed blocks.  3.6.14 prints no MCC / PRC columns
 * and 0 for undefined rates; 3.8 prints MCC and PRC area, left-aligned
 * columns, and '?' for every undefined figure. */
typedef enum baiot_eval_layout {
    BAIOT_EVAL_LAYOUT_WEKA36 = 0,
    BAIOT_EVAL_LAYOUT_WEKA38 = 1
} baiot_eval_layout;

/* Bits of baiot_eval_class_stats.undefined: figures whose denominator is
 * zero (Weka 3.8 returns NaN and prints '?'; 3.6.14 returns 0). */
enum {
    BAIOT_EVAL_UNDEF_TP_RATE = 1u << 0,   /* also recall */
    BAIOT_EVAL_UNDEF_FP_RATE = 1u << 1,
    BAIOT_EVAL_UNDEF_PRECISION = 1u << 2,
    BAIOT_EVAL_UNDEF_F_MEASURE = 1u << 3,
    BAIOT_EVAL_UNDEF_MCC = 1u << 4,
    BAIOT_EVAL_UNDEF_ROC_AREA = 1u << 5,
    BAIOT_EVAL_UNDEF_PRC_AREA = 1u << 6
};

/* One class's figures ("Detailed Accuracy By Class"), or their weighted
 * average (weights = the actual class counts, the confusion-matrix rows). */
typedef struct baiot_eval_class_stats {
    double tp, fp, tn, fn;    /* weighted counts (confusion matrix); weighted
                                 average: NaN */
    double tp_rate;           /* recall; Weka 3.6.14 value (0 when undefined) */
    double fp_rate;
    double precision;
    double recall;
    double f_measure;
    double mcc;               /* Weka 3.8; NaN when undefined */
    double roc_area;          /* NaN when undefined; the weighted average
                                 leaves undefined classes out (3.6.14) */
    double prc_area;          /* Weka 3.8; NaN when undefined */
    unsigned undefined;       /* BAIOT_EVAL_UNDEF_* bits, as Weka 3.8 sees
                                 them (for the average: some class with a
                                 positive count has the figure undefined) */
} baiot_eval_class_stats;

/* All figures.  Percentages are 0..100; NaN where Weka's is (no rows). */
typedef struct baiot_eval_results {
    int n_classes;
    int64_t n_predictions;        /* rows added, missing classes included */
    double num_instances;         /* weight of rows with a known class */
    double correct, incorrect, unclassified, missing_class;
    double pct_correct, pct_incorrect, pct_unclassified;
    double kappa;
    double mean_absolute_error, root_mean_squared_error;
    double relative_absolute_error, root_relative_squared_error; /* % */
    double mean_prior_absolute_error, root_mean_prior_squared_error;
    const double *confusion;      /* n_classes x n_classes, row = actual,
                                     column = predicted, row-major */
    const baiot_eval_class_stats *per_class; /* n_classes */
    baiot_eval_class_stats weighted;
} baiot_eval_results;

/* A point of Weka's threshold curve for one class: predicting the class
 * for every row whose probability of it is >= threshold gives these
 * counts.  Rates and precision as Weka 3.6.14 gives them (0 when the
 * denominator is 0).  Points run from the lowest probability (everything
 * positive) upwards, one per distinct probability; a last point at the
 * highest probability + 1e-5 predicts nothing (Weka leaves it out when the
 * rows at the top all weigh 0). */
typedef struct baiot_eval_roc_point {
    double threshold;
    double tp, fn, fp, tn;
    double tpr, fpr, precision;
} baiot_eval_roc_point;

/* Creates an evaluation for n_classes (>= 1) classes named class_names
 * (copied; NULL: "class0", "class1", ...).  Priors start uniform (as for
 * an empty training set).  *out is owned by the caller. */
baiot_status baiot_eval_create(int n_classes, const char *const *class_names, baiot_eval **out);

/* Frees the evaluation; NULL is a no-op. */
void baiot_eval_free(baiot_eval *eval);

/* Sets the priors used for the rows added from now on: train_counts[c] is
 * the weight of the training rows of class c (rows with a missing class
 * left out) of the fold about to be evaluated.  Like Weka, each count gets
 * 1 added (Laplace).  Counts must be finite and >= 0. */
baiot_status baiot_eval_set_priors(baiot_eval *eval, const double *train_counts);

/* Adds one test row: actual = class index, or -1 when its class is
 * missing; dist = n_classes probabilities (finite, >= 0; all zero = no
 * prediction); weight finite and >= 0.  dist is copied. */
baiot_status baiot_eval_add(baiot_eval *eval, int actual, const double *dist, double weight);

/* Adds n rows at once: dist is n x n_classes, row-major; weights NULL =
 * all 1.  Stops at the first bad row (rows before it stay added). */
baiot_status baiot_eval_add_batch(baiot_eval *eval, int64_t n, const int *actual,
                                  const double *dist, const double *weights);

/* Computes every figure.  *out is a view into the handle, valid until the
 * next add / set_priors / free. */
baiot_status baiot_eval_compute(baiot_eval *eval, const baiot_eval_results **out);

/* Weka's threshold curve of class class_index (ThresholdCurve.getCurve):
 * *out_points is a view valid until the next call on the handle; *out_n
 * is 0 when no rows were added. */
baiot_status baiot_eval_roc(baiot_eval *eval, int class_index,
                            const baiot_eval_roc_point **out_points, int64_t *out_n);

/* ---- text and files (FILE*s are the caller's; nothing is closed) ---- */

/* Weka's toSummaryString(): "=== Summary ===", a blank line, the lines. */
baiot_status baiot_eval_print_summary(baiot_eval *eval, baiot_eval_layout layout, FILE *f);

/* Weka's toClassDetailsString(): "=== Detailed Accuracy By Class ===". */
baiot_status baiot_eval_print_class_details(baiot_eval *eval, baiot_eval_layout layout, FILE *f);

/* Weka's toMatrixString(): "=== Confusion Matrix ===" with the letter
 * labels "a = <class 0>", ... ("aa" after "z"). */
baiot_status baiot_eval_print_matrix(baiot_eval *eval, FILE *f);

/* The Explorer's block: title (NULL: "=== Stratified cross-validation ===")
 * on its own line, the summary, a blank line, the class details, a blank
 * line, the confusion matrix. */
baiot_status baiot_eval_print_report(baiot_eval *eval, baiot_eval_layout layout,
                                     const char *title, FILE *f);

/* One JSON document with every figure (docs/EVALUATION_JSON.md). */
baiot_status baiot_eval_write_json(baiot_eval *eval, FILE *f);

/* The threshold curve of one class, as CSV (header line, one point a line)
 * and/or as a JSON document; either FILE* may be NULL. */
baiot_status baiot_eval_write_roc(baiot_eval *eval, int class_index, FILE *csv, FILE *json);

/* ---- classes-to-clusters (any clustering) ---- */

/* Weka's ClusterEvaluation.evaluateClustersWithRespectToClass for rows
 * 0..n-1 with classes y (y[i] < 0: missing) in 0..n_classes-1 and
 * clusters assign in 0..k-1: counts[c * n_classes + y] rows of class y in
 * cluster c (a row with a missing class counts as class 0, as in Weka
 * 3.6.14, whose (int) of the missing value's NaN is 0); cluster_class[c] the
 * class mapped to cluster c or -1, by the exhaustive one-to-one mapping of
 * least errors (the first found on ties, Weka's search order); incorrect
 * the errors.  On success *out owns its arrays (baiot_eval_c2c_free); on
 * failure it holds none. */
typedef struct baiot_eval_c2c {
    int k, n_classes;
    int64_t n;            /* all rows */
    int64_t *counts;      /* k * n_classes, owned */
    int64_t *totals;      /* k, owned */
    int *cluster_class;   /* k, owned */
    int64_t incorrect;
} baiot_eval_c2c;

baiot_status baiot_eval_classes_to_clusters(const int *y, int64_t n, int n_classes, const int *assign, int k,
                                            baiot_eval_c2c *out);
/* Frees c's arrays and zeroes it; a zeroed or NULL c is a no-op. */
void baiot_eval_c2c_free(baiot_eval_c2c *c);

BAIOT_END_DECLS
#endif
