/*
 * detect_scorer.h - the scorer interface of the anomaly detector: a model
 * fitted on standardised benign rows that gives every row an anomaly score
 * (larger: less like the training rows).  The Gaussian mixture
 * (detect_gmm.c) and the deep autoencoder (detect_ae.c) provide the same
 * operations; detect.c fits one, detect_model.c loads one.
 *
 * Data layout: standardised rows column-major, x[j * ldx + i] for row i,
 * column j (ldx >= n).  Scoring must be a function of the row alone, so
 * results do not depend on how rows are cut into blocks or threads.
 * Covered by tests/cli/test_detect.py (scores reproduced from the model
 * file).
 */
#ifndef BAIOT_ENGINE_DETECT_SCORER_H
#define BAIOT_ENGINE_DETECT_SCORER_H

#include "baiot/baiot.h"
#include "io/text/json.h"

#include <stdint.h>
#include <stdio.h>

typedef struct detect_scorer detect_scorer;

typedef struct detect_scorer_ops {
    const char *method; /* "gmm", "autoencoder": the model file's "method" */
    /* score[i] for rows [r0, r1) of x (any thread may call it for any
     * block at the same time); may be NULL when score_all is given */
    baiot_status (*score)(const detect_scorer *s, const double *x, int64_t ldx, int64_t r0, int64_t r1,
                          double *score);
    /* optional: all n rows at once (NULL: score over DETECT_SCORE_BLOCK
     * blocks on all threads); for scorers that thread their own work */
    baiot_status (*score_all)(const detect_scorer *s, const double *x, int64_t ldx, int64_t n, int n_threads,
                              double *score);
    /* the scorer's JSON object of the model file ({"k": ...}) */
    void (*write_json)(const detect_scorer *s, FILE *f);
    /* a few facts for detect.json / detect.md (JSON members without braces) */
    void (*write_facts)(const detect_scorer *s, FILE *f);
    /* optional: the training curve (per epoch: DStrn loss, DSopt MSE);
     * returns its length (NULL: none) */
    int (*curve)(const detect_scorer *s, const double **trn, const double **opt);
    /* its main settings for summaries: learning rate (NaN: none), epochs
     * kept (0: none), clusters (0: none) */
    void (*settings)(const detect_scorer *s, double *lr, int *epochs, int *clusters);
    void (*free)(detect_scorer *s);
} detect_scorer_ops;

struct detect_scorer {
    const detect_scorer_ops *ops;
    int d;
    void *impl;
};

/* Rows per scoring block (by the data, never by the thread count). */
#define DETECT_SCORE_BLOCK 1024

/* Scores rows [0, n) of x over blocks on all threads (n_threads 0: the
 * OpenMP default). */
baiot_status baiot_detect_scorer_score_all(const detect_scorer *s, const double *x, int64_t ldx, int64_t n, int n_threads,
                                     double *score);
void baiot_detect_scorer_free(detect_scorer *s);

/* ---- detect_gmm.c ---- */
typedef struct detect_gmm_params {
    int clusters;    /* >= 1, or 0: chosen on DSopt among DETECT_GMM_AUTO_K */
    int covariance;  /* BAIOT_EM_COV_DIAG or BAIOT_EM_COV_FULL */
    int64_t seed;
    int n_threads;
} detect_gmm_params;

/* The numbers of clusters tried when k is chosen on DSopt. */
#define DETECT_GMM_N_AUTO 4
extern const int baiot_detect_gmm_auto_k[DETECT_GMM_N_AUTO];
/* The minimum standard deviation of a diagonal component, in standardised
 * units: 1% of the column's DStrn spread (Weka's 1e-6 would let a column
 * constant within one cluster turn benign jitter into huge scores). */
#define DETECT_GMM_MIN_SD 1e-2

/* Fits the mixture on the n_trn standardised rows xtrn (names: the d
 * column names); with clusters 0 each k of DETECT_GMM_AUTO_K is fitted
 * and the one with the highest mean log density on xopt (n_opt rows) is
 * kept (the smallest k on ties); the mean DSopt log density of each k
 * tried goes to auto_llk (may be NULL). */
baiot_status baiot_detect_gmm_fit(const double *xtrn, int64_t n_trn, const double *xopt, int64_t n_opt, int d,
                            const char *const *names, const detect_gmm_params *p, double *auto_llk,
                            detect_scorer **out);
/* A scorer from the model file's "scorer" object (what names the file). */
baiot_status baiot_detect_gmm_from_json(const json_value *o, int d, const char *what, detect_scorer **out);

/* ---- detect_ae.c ---- */
/* Rows per mini-batch unless given (Keras's default; the paper names none). */
#define DETECT_AE_BATCH 32
/* The learning rates tried on DSopt when none is given or published, and
 * the epochs each is trained for before the comparison. */
#define DETECT_AE_N_LR 4
extern const double baiot_detect_ae_lr_grid[DETECT_AE_N_LR];
#define DETECT_AE_LR_PROBE 10
/* Epochs when none are given or published: until the DSopt MSE has not
 * fallen below its best by DETECT_AE_MIN_GAIN (relative) for
 * DETECT_AE_PATIENCE epochs, at most DETECT_AE_MAX_EPOCHS. */
#define DETECT_AE_PATIENCE 10
#define DETECT_AE_MIN_GAIN 1e-3
#define DETECT_AE_MAX_EPOCHS 1000

typedef struct detect_ae_params {
    double lr;                 /* > 0, or 0: chosen on DSopt */
    int epochs;                /* >= 1, or 0: until the DSopt MSE stops falling */
    int64_t batch;             /* rows per mini-batch; 0: DETECT_AE_BATCH */
    uint64_t seed;             /* initial weights and shuffles */
    int n_threads;             /* 0: OpenMP's default; results do not change */
    const char *lr_source;     /* for the report: "given", "published (...)"; set when chosen */
    const char *epochs_source;
} detect_ae_params;

/* Trains the autoencoder on the n_trn standardised rows xtrn (column-major,
 * ld n_trn), with DSopt (xopt, n_opt rows, ld n_opt) for the training curve
 * and, where lr or epochs are 0, their choice (detect_ae.c's rules). */
baiot_status baiot_detect_ae_fit(const double *xtrn, int64_t n_trn, const double *xopt, int64_t n_opt, int d,
                                 const detect_ae_params *p, detect_scorer **out);
/* A scorer from the model file's "scorer" object (what names the file). */
baiot_status baiot_detect_ae_from_json(const json_value *o, int d, const char *what, detect_scorer **out);

#endif
