/*
 * em.h - Weka's EM clusterer (weka.clusterers.EM, Weka 3.6.14 behaviour)
 * and its printed / JSON evaluation (ClusterEvaluation; classes-to-clusters
 * itself is in baiot/evaluation.h).
 *
 * The model is a mixture with one prior per cluster, an independent normal
 * per (cluster, numeric attribute) and a Laplace-started value count per
 * (cluster, nominal attribute).  Training follows Weka: missing values are
 * replaced by the mean / mode, java.util.Random(seed) with 10 discarded
 * doubles seeds 10 SimpleKMeans runs (range-normalised Euclidean distance,
 * Weka's random initial centroids), the run with the smallest squared error
 * starts EM, and EM iterates until the mean log-likelihood improves by less
 * than 1e-6.  With n_clusters = -1 the number of clusters is chosen by
 * 10-fold cross-validated log-likelihood, as Weka does.
 *
 * The view's class (y) is never an attribute here: clustering always uses
 * the attributes only, which is what Weka's `-c last` does after removing
 * the class.  Results do not depend on the thread count.
 *
 * Extension beyond Weka (covariance = BAIOT_EM_COV_FULL, numeric attributes
 * only): one full covariance matrix per cluster (kernels/gmm_full.c), started
 * from the same k-means solution (means = centroids, covariances = diag of
 * the members' variances as Weka's EM starts, priors = cluster sizes), with
 * reg_covar added to each covariance's diagonal in every M step, iterated
 * until the mean log-likelihood improves by less than 1e-6 or max_iter M
 * steps; scikit-learn's GaussianMixture(covariance_type="full") from the same
 * start gives the same model.  The default (diagonal) is Weka's model,
 * unchanged.
 *
 * Covered by tests/cli/test_em_golden.py (Weka's output), test_em_threads.py,
 * test_em_full.py, test_predict.py and tests/unit/test_kmeans.c.
 */
#ifndef BAIOT_EM_H
#define BAIOT_EM_H

#include "baiot/evaluation.h"
#include "baiot/view.h"

#include <stdio.h>

BAIOT_BEGIN_DECLS

typedef struct baiot_em_params {
    int n_clusters;      /* -1: chosen by cross-validation (Weka's default); else >= 1 */
    int64_t seed;        /* Weka's -S, default 100 */
    int max_iter;        /* Weka's -I, default 100 */
    double min_std_dev;  /* Weka's -M, default 1e-6 */
    int n_threads;       /* 0: OpenMP's default; results are identical for any value */
    /* extension beyond Weka: */
    int covariance;      /* BAIOT_EM_COV_DIAG (default: Weka's model) or BAIOT_EM_COV_FULL */
    double reg_covar;    /* full only: added to covariance diagonals, default 1e-6 (scikit-learn's) */
    /* diag only: 0 (default) the C library's exp and log, which give HotSpot's
     * x86_64 Math.exp / Math.log on all but ~0.2% of arguments; 1 Java's
     * StrictMath exp and log with every E step in Weka's exact order: Weka on
     * a JVM whose Math.exp / Math.log are StrictMath's (docs/WEKA_COMPAT.md,
     * EM rule 5) */
    int strict_math;
} baiot_em_params;

enum { BAIOT_EM_COV_DIAG = 0, BAIOT_EM_COV_FULL = 1 };

baiot_em_params baiot_em_params_default(void);

/* NULL when p is usable, else a static message saying what is wrong. */
const char *baiot_em_params_check(const baiot_em_params *p);

typedef struct baiot_em_model baiot_em_model;

/* Fits EM on all rows of v (attributes only).  On success *out is owned by
 * the caller (free with baiot_em_free). */
baiot_status baiot_em_train(const baiot_view *v, const baiot_em_params *p, baiot_em_model **out);
void baiot_em_free(baiot_em_model *m);

/* ---- the fitted model (borrowed views, valid while m lives) ---- */
int baiot_em_n_clusters(const baiot_em_model *m);
int baiot_em_selected_by_cv(const baiot_em_model *m); /* 1 when -N -1 was asked (k by CV; 1 for <= 9 rows, as Weka) */
int baiot_em_iterations(const baiot_em_model *m);
/* Diagonal models: the wall time (s) of the final fit's EM iterations (E
 * and M steps, not the k-means start); in *n_esteps the E steps run
 * (iterations + 1 when EM converged) and in *exact_rows the rows, summed
 * over those E steps, whose log densities the dgemm form could not bound
 * and were computed in Weka's order instead (either pointer may be NULL);
 * 0 for full covariance. */
double baiot_em_iteration_seconds(const baiot_em_model *m, int *n_esteps, int64_t *exact_rows);
const double *baiot_em_priors(const baiot_em_model *m);            /* k */
/* Numeric attribute j of cluster c: mean and std dev (NaN for nominal). */
double baiot_em_mean(const baiot_em_model *m, int c, int j);
double baiot_em_std_dev(const baiot_em_model *m, int c, int j);
/* Full covariance models: cluster c's d x d covariance at [c*d*d + i*d + j]
 * (symmetric); NULL for Weka's diagonal model. */
const double *baiot_em_covariance(const baiot_em_model *m);
/* Nominal attribute j of cluster c: the count of value v (v = n_values:
 * the total); NaN for numeric attributes. */
double baiot_em_count(const baiot_em_model *m, int c, int j, int v);

/* Clusters every row of v (same attributes as training): assign[i] is the
 * cluster of highest posterior (the first on ties); *mean_loglik is the
 * mean log density over the rows (what Weka prints as "Log likelihood").
 * assign may be NULL. */
baiot_status baiot_em_cluster(const baiot_em_model *m, const baiot_view *v, int *assign, double *mean_loglik);

/* Prints the model as Weka 3.6.14's EM.toString() does (full covariance:
 * per cluster the prior, the means and the covariance matrix).
 * BAIOT_ERR_IO when f reports a write error. */
baiot_status baiot_em_print(const baiot_em_model *m, const baiot_view *v, FILE *f);

/* Prints Weka's "Clustered Instances" and "Log likelihood" lines for the
 * assignments, and (when c2c is not NULL) the classes-to-clusters block
 * (c2c from baiot_eval_classes_to_clusters, baiot/evaluation.h).
 * BAIOT_ERR_MEMORY / BAIOT_ERR_IO on failure. */
baiot_status baiot_em_print_evaluation(const baiot_em_model *m, const baiot_view *v, const int *assign,
                                       double mean_loglik, const baiot_eval_c2c *c2c, FILE *f);

/* One JSON document: parameters, model, assignment counts, log-likelihood
 * and (c2c not NULL) the classes-to-clusters figures; numbers in their
 * shortest round-trip text (null for NaN / infinities).  Full covariance
 * adds "covariance", "reg_covar", "means", "covariances" and "initial" (the
 * starting priors, means and covariances).  BAIOT_ERR_MEMORY /
 * BAIOT_ERR_IO on failure. */
baiot_status baiot_em_write_json(const baiot_em_model *m, const baiot_view *v, const baiot_em_params *p,
                                 const int *assign, double mean_loglik, const baiot_eval_c2c *c2c, FILE *f);

/* Model files: engine/models/em/em_model_file.h (internal; model.h saves
 * and loads them). */

BAIOT_END_DECLS
#endif
