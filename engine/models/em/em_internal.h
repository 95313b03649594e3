/*
 * em_internal.h - what the EM files (engine/models/em/) share: the data of
 * one fit, the mixture of one fit, the fit context, the public model's
 * layout and the steps each file provides to the others.
 *
 * Files: em_data.c (the data and mixture arrays, missing-value fill),
 * kmeans.c (SimpleKMeans, kmeans.h), em_diag.c (Weka's diagonal EM: the
 * k-means start, E/M iterations, cross-validation for k), em_full.c (the
 * full-covariance extension), em_model.c (the public API: train, cluster,
 * accessors), em_print.c (Weka's text), em_json.c (the JSON document),
 * em_model_file.c (model files, em_model_file.h).
 *
 * Guarantees: a fit owns all its arrays (baiot_em_data, baiot_em_fit);
 * nothing is global, so independent fits may run concurrently.
 * Covered by tests/cli/test_em_golden.py (Weka's EM output), tests/unit/test_kmeans.c
 * and the study / predict CLI tests.
 */
#ifndef BAIOT_ENGINE_EM_INTERNAL_H
#define BAIOT_ENGINE_EM_INTERNAL_H

#include "baiot/em.h"
#include "engine/weka/java_random.h"

#include <stdint.h>

/* Weka's EM constants (weka.clusterers.EM, 3.6.14). */
#define EM_MIN_LL_IMPROVEMENT 1e-6 /* iterate(): stop when llk - llkold < this */
#define EM_KMEANS_RUNS 10          /* EM_Init(): SimpleKMeans restarts */
#define EM_DISCARD 10              /* doubles thrown away after new Random(seed) */
#define EM_CV_FOLDS 10             /* CVClusters() */
#define EM_MAX_RESTARTS 5          /* restarts before k is reduced */
#define EM_PRIOR_SUM_TOL 1e-6      /* a loaded model's priors sum to 1 within this (ours: within 1e-15) */
/* baiot's, not Weka's: an M-step variance below 1/EM_EXACT_COND of the
 * mean square (mean/sd > 100) is decided by the rounding of Weka's
 * uncentred sums (relative error ~ rows * 2^-53 * EM_EXACT_COND), which
 * also amplify the last bits of every earlier step, so the fit is replayed
 * from its start with every E step in Weka's exact arithmetic (em_diag.c). */
#define EM_EXACT_COND 1e4

/* Data of one fit: d column arrays of n rows (missing values replaced). */
typedef struct baiot_em_data {
    int64_t n;
    int d;
    const int *nvals;  /* d */
    double **cols;     /* d pointers into block */
    double *block;     /* n*d, owned */
    double *full_sd;   /* d: Weka's attributeStats std dev, NaN until needed */
} baiot_em_data;

/* The mixture of one fit. */
typedef struct baiot_em_fit {
    int k, d, nv_total;
    const int *nvals, *off;
    double *prior;   /* k */
    double *mean;    /* k*d */
    double *sd;      /* k*d */
    double *cnt;     /* k*nv_total: nominal value counts (Laplace-started) */
    double *cnt_sum; /* k*d: their totals */
} baiot_em_fit;

/* The context of one training run. */
typedef struct baiot_em_ctx {
    const baiot_em_params *p;
    int nt;
    const int *nvals, *off;
    int d, nv_total;
    baiot_em_data *full; /* the whole data (restarts initialise on it, as Weka) */
    java_random rr;  /* Weka's m_rr */
    double iter_secs; /* the last iterate() call: wall time of its E and M steps */
    int esteps;       /* and the E steps it ran */
    int64_t exact_rows; /* rows the E steps sent to the exact path (gmm_diag_blas.h) */
    int spread;       /* 1: k-means starts and CV folds are spread over the job's ranks (baiot/dist.h) */
} baiot_em_ctx;

/* The public model. */
struct baiot_em_model {
    int k, d, nv_total, by_cv, iterations;
    int esteps;       /* diagonal: E steps of the final fit, and their wall time with the M steps */
    double iter_secs;
    int64_t exact_rows;
    int *nvals, *off;
    double *fill; /* d: the missing-value replacements */
    double train_llk;
    baiot_em_fit fit;
    /* full covariance only (else NULL): k*d*d covariances; the start */
    double *cov, *init_prior, *init_mean, *init_cov;
    double reg_covar;
    int strict_math;  /* baiot_em_params.strict_math of the fit */
};

/* ---- em_data.c ---- */
baiot_status baiot_em_data_alloc(baiot_em_data *f, int64_t n, int d, const int *nvals);
void baiot_em_data_free(baiot_em_data *f);
/* Copies v's attributes into f, missing values replaced by fill[j]. */
baiot_status baiot_em_data_load(const baiot_view *v, const double *fill, baiot_em_data *f, const int *nvals);
/* Weka's attributeStats(j).numericStats.stdDev of f's column j (cached). */
baiot_status baiot_em_data_full_sd(baiot_em_data *f, int j, double *out);
baiot_status baiot_em_fit_alloc(baiot_em_fit *m, int k, int d, const int *nvals, const int *off, int nv_total);
void baiot_em_fit_free(baiot_em_fit *m);
void baiot_em_fit_copy(baiot_em_fit *dst, const baiot_em_fit *src);

/* ---- em_diag.c (Weka's model) ---- */
/* EM_Init: the best of 10 k-means runs on f (seeds from cx->rr) starts m
 * (allocated here; k may shrink). */
baiot_status baiot_em_init(baiot_em_ctx *cx, baiot_em_data *f, int k, baiot_em_fit *m);
/* Weka's iterate(): E and M steps to convergence, with Weka's restarts. */
baiot_status baiot_em_iterate(baiot_em_ctx *cx, baiot_em_data *f, baiot_em_fit *m, int *iters, double *llk_out);
/* CVClusters(): the number of clusters by 10-fold cross-validation. */
baiot_status baiot_em_cv_clusters(baiot_em_ctx *cx, int *out);
/* baiot_em_cluster for a diagonal model on f (missing values replaced). */
baiot_status baiot_em_diag_cluster(const baiot_em_model *m, const baiot_em_data *f, int *assign, double *mean_loglik);

/* ---- em_full.c (extension beyond Weka) ---- */
/* Fits m's full-covariance mixture on f from m->fit (baiot_em_init's start). */
baiot_status baiot_em_full_fit(baiot_em_ctx *cx, const baiot_em_data *f, baiot_em_model *m);
/* baiot_em_cluster for a full-covariance model on f. */
baiot_status baiot_em_full_cluster(const baiot_em_model *m, const baiot_em_data *f, int *assign, double *mean_loglik);

#endif
