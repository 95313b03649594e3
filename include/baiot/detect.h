/*
 * detect.h - N-BaIoT's own protocol: a per-device anomaly detector trained
 * on benign traffic only (Meidan et al. 2018; docs/DETECTION.md).
 *
 * One device's benign rows, in stored (time) order, are cut into three
 * equal parts: DStrn (training), DSopt (threshold and window) and the
 * benign third of DStst; DStst is that third plus every attack row of the
 * device.  The columns are standardised on DStrn, a scorer (a Gaussian
 * mixture or the paper's deep autoencoder) is fitted on DStrn, the
 * threshold tr* = mean + standard deviation of the DSopt scores, the window
 * ws* = the smallest majority-vote window without a false alarm on DSopt,
 * and DStst gives per-row and per-window rates for benign and every attack.
 *
 * Results are identical for any thread count (scores are per row; every
 * sum runs in row order on one thread).  The run writes nothing; the
 * report folder (detect.json, detect.md, plots, detector.model) is written
 * by baiot_detect_write_report, whole or not at all.
 * Covered by tests/cli/test_detect.py and tests/unit/test_detect.c.
 */
#ifndef BAIOT_DETECT_H
#define BAIOT_DETECT_H

#include "baiot/view.h"

#include <stdio.h>

BAIOT_BEGIN_DECLS

enum { BAIOT_DETECT_GMM = 0, BAIOT_DETECT_AUTOENCODER = 1 };

typedef struct baiot_detect_params {
    int method;          /* BAIOT_DETECT_GMM (default) or BAIOT_DETECT_AUTOENCODER */
    int clusters;        /* GMM: k >= 1, or 0: chosen on DSopt (docs/DETECTION.md) */
    int covariance;      /* BAIOT_EM_COV_DIAG (default) or BAIOT_EM_COV_FULL (baiot/em.h) */
    int64_t seed;        /* the EM's k-means seed, the autoencoder's weights and shuffles (default 100) */
    double lr;           /* autoencoder: learning rate; 0: the paper's for one of the nine devices, else
                            chosen on DSopt */
    int epochs;          /* autoencoder: epochs; 0: the paper's, else until the DSopt MSE stops falling */
    int64_t batch;       /* autoencoder: rows per mini-batch; 0: 32 */
    int pooled;          /* store: one detector for all the devices selected (vp->devices: a list or all),
                            each device's benign rows split in thirds; the run's device is "pooled" */
    int n_threads;       /* 0: OpenMP's default; results do not change */
    int max_window;      /* ws* is searched in 1..max_window (default 1000) */
    int64_t warmup;      /* DStrn's oldest rows left out of the fit (the feature extractor's warm-up):
                            BAIOT_DETECT_WARMUP_AUTO (default; docs/DETECTION.md, "warm-up") or a count */
} baiot_detect_params;

/* baiot_detect_params.warmup: measured on DStrn and DSopt (the rows opening
 * a channel, at most half of DStrn). */
#define BAIOT_DETECT_WARMUP_AUTO (-1)

baiot_detect_params baiot_detect_params_default(void);
/* NULL when p is usable, else a static message. */
const char *baiot_detect_params_check(const baiot_detect_params *p);

typedef struct baiot_detect_run baiot_detect_run;

/* The whole protocol on the rows of one device in DATA (a store with one
 * device selected by vp->devices or holding only one, an N-BaIoT CSV, or an
 * ARFF file whose class has a value "benign").  vp->task is forced to
 * 11class for stores and CSV files.  *out is owned by the caller. */
baiot_status baiot_detect(const char *data, const baiot_view_params *vp, const baiot_detect_params *p,
                          baiot_detect_run **out);
void baiot_detect_run_free(baiot_detect_run *r);

/* The same protocol on a view the caller made (baiot_view_wrap; one
 * device, never pooled): the rows of v's class named "benign" (any case)
 * are split, scaled and learnt from, every other class is attack traffic
 * for DStst.  what names the rows in messages and reports (NULL:
 * "arrays"); device: one of the nine names (the autoencoder then takes the
 * paper's learning rate and epochs when p leaves them 0) or NULL
 * ("unknown").  The run is the one baiot_detect makes from a file holding
 * the same rows (tests/python/test_detect.py). */
baiot_status baiot_detect_view(const baiot_view *v, const char *what, const char *device, const baiot_detect_params *p,
                               baiot_detect_run **out);

/* Scores every row of v (the run's columns, in order) as the run scores
 * DStst: scaled with DStrn's scaling, then the scorer; score[i] > the
 * threshold (baiot_detect_get_figures) flags row i as anomalous. */
baiot_status baiot_detect_run_score(const baiot_detect_run *r, const baiot_view *v, double *score);

/* Saves the run's detector as the model file `baiot detect --save`
 * writes (kind "detector", docs/MODEL_FORMAT.md), for baiot_detector_load
 * and `baiot predict`. */
baiot_status baiot_detect_run_save(const baiot_detect_run *r, const char *path);
/* The device the run is about (a name of the nine, or "unknown"); borrowed. */
const char *baiot_detect_device(const baiot_detect_run *r);

/* Writes detect.json, detect.md, the plots and detector.model into dir
 * (built under a temporary name and swapped in whole). */
baiot_status baiot_detect_write_report(const baiot_detect_run *r, const char *dir);
/* One JSON summary line set (device, split sizes, tr*, ws*, the benign
 * FPRs and attack TPRs) for `baiot detect --json`. */
void baiot_detect_write_summary_json(const baiot_detect_run *r, const char *dir, FILE *f);
/* The same as a few lines of text. */
void baiot_detect_print_summary(const baiot_detect_run *r, const char *dir, FILE *f);

/* The paper's figures for one of the nine devices (Meidan et al. 2018,
 * Table 2): benign rows, training seconds, learning rate, epochs, tr*,
 * ws*.  Facts quoted beside results (engine/detect/detect_facts.c). */
typedef struct baiot_detect_paper_row {
    const char *device;
    int64_t benign_rows;
    double train_seconds, learning_rate;
    int epochs;
    double threshold;
    int window;
} baiot_detect_paper_row;
/* The row of a device name, or NULL. */
const baiot_detect_paper_row *baiot_detect_paper_row_of(const char *device);

/* The figures of a run, for summaries (bulk --detect).  Families: 0
 * BASHLITE (classes gafgyt_*), 1 Mirai (mirai_*); rates pooled over the
 * family's kinds (alarming windows / windows; flagged rows / rows), NaN
 * when the family has no rows. */
typedef struct baiot_detect_figures {
    int64_t benign_rows, dstrn, dsopt, dstst_benign, dstst_attack;
    double seconds_train, seconds_score;
    const char *method;      /* "gmm" or "autoencoder" (borrowed) */
    double learning_rate;    /* autoencoder; NaN for the mixture */
    int epochs;              /* autoencoder: the epoch kept; mixture: 0 */
    int clusters;            /* mixture: k; autoencoder: 0 */
    double threshold;
    int window, window_qualified;
    double row_fpr, window_fpr; /* DStst's benign third */
    int n_attacks, n_detected;  /* kinds, kinds with an alarm */
    double min_row_tpr, min_window_tpr;
    int family_kinds[2];
    double family_row_tpr[2], family_window_tpr[2], family_min_window_tpr[2];
} baiot_detect_figures;
void baiot_detect_get_figures(const baiot_detect_run *r, baiot_detect_figures *out);

/* ---- a saved detector (kind "detector" of docs/MODEL_FORMAT.md) ---- */
typedef struct baiot_detector baiot_detector;

/* 1 when path holds a model file of kind "detector" (read and parsed
 * quickly; any failure: 0). */
int baiot_detector_file(const char *path);
baiot_status baiot_detector_load(const char *path, baiot_detector **out);
void baiot_detector_free(baiot_detector *d);
/* The columns it reads as a comma list (for baiot_view_params.columns). */
const char *baiot_detector_columns(const baiot_detector *d);
double baiot_detector_threshold(const baiot_detector *d);
int baiot_detector_window(const baiot_detector *d);
const char *baiot_detector_device(const baiot_detector *d);
/* Checks v's columns against the detector's (names, numeric), then writes
 * each row's anomaly score (rows in blocks over all threads). */
baiot_status baiot_detector_score(const baiot_detector *d, const baiot_view *v, double *score);
/* The same scores for rows held row-major: row i's values, in the
 * detector's column order, at rows + which[i] * stride (which NULL: i *
 * stride; else ascending).  Scaling and scoring as baiot_detector_score, so the same
 * doubles; for callers whose rows already have the detector's columns
 * (watch checks them when it loads the model).  Scaling on the calling
 * thread, scoring as baiot_detector_score. */
baiot_status baiot_detector_score_rows(const baiot_detector *d, const double *rows, int64_t stride, const int64_t *which,
                                       int64_t n, double *score);

BAIOT_END_DECLS
#endif
