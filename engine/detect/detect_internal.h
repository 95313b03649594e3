/*
 * detect_internal.h - what the files of engine/detect/ share: the split
 * (detect_split.c), the scaling (detect_scale.c), the threshold and window
 * (baiot_detect_threshold.c), the evaluation on DStst (detect_eval.c), the run
 * (detect.c), its report (detect_report.c, detect_markdown.c,
 * detect_plots.c), the published figures (detect_facts.c) and the model file
 * (detect_model.c).  The scorer interface is detect_scorer.h.
 *
 * Every named constant of the protocol is here, with its reason.
 * Covered by tests/unit/test_detect.c and tests/cli/test_detect.py.
 */
#ifndef BAIOT_ENGINE_DETECT_INTERNAL_H
#define BAIOT_ENGINE_DETECT_INTERNAL_H

#include "baiot/detect.h"
#include "engine/detect/detect_scorer.h"

#include <stdint.h>
#include <stdio.h>

/* A device needs at least this many benign rows: three parts of at least
 * 10 rows each, so DSopt's mean and standard deviation and its windows
 * mean something. */
#define DETECT_MIN_BENIGN 30
/* Standardised values are clipped to +-DETECT_CLIP (the "robust"
 * application of the DStrn scaling): an attack value such as
 * HH_jit_L5_mean near 1.5e9 stays an extreme value, but no single column
 * can dominate a row's score.  N-BaIoT's benign traffic is heavy-tailed
 * (the pcc columns of the simulated camera reach 2,941 DStrn standard
 * deviations on DSopt), and with a loose clip (1e6) a handful of such
 * benign rows made tr* = mean + sd of the DSopt scores hundreds of times
 * the typical score, so whole attack kinds (BASHLITE tcp, udp, scan)
 * stayed under it.  Measured on the simulated camera (autoencoder, 20
 * epochs): clip 1e6 detected 7 of 10 attacks; 30: all, window TPR 0.9996
 * at worst, benign window FPR 0.0004; 10: all at window TPR 1, FPR 0.0007
 * (the Gaussian mixture: all, FPR 0.0014).  docs/DETECTION.md. */
#define DETECT_CLIP 10
/* The window sizes of the detection-rate-against-window figure and JSON
 * member (ws* is added when it is not among them). */
#define DETECT_N_WINDOW_GRID 16
extern const int baiot_detect_window_grid[DETECT_N_WINDOW_GRID];
/* At most this many kinds of traffic (benign + attacks) in one run. */
#define DETECT_MAX_KINDS 64

/* ---- detect_split.c ---- */
/* A row opens a channel the extractor has never seen when its opening
 * column (HH_jit_L0.01_mean) is over this many seconds: the jitter of a
 * channel's first packet is its capture time (1.5e9 s in N-BaIoT), while a
 * seen channel's jitter mean is a gap between its packets. */
#define DETECT_OPENING_SECONDS 1e6
#define DETECT_OPENING_COLUMN "HH_jit_L0.01_mean"
typedef struct detect_split {
    int64_t n_benign;                  /* all benign rows */
    int64_t n_trn, n_opt, n_tst_benign; /* the three parts, sizes floor(n/3) .. */
    int64_t *trn, *opt, *tst;          /* row indices, ascending; tst: benign third + attacks */
    int64_t n_tst;
    int64_t n_dropped;                 /* benign rows left out (n_benign mod 3, at the end) */
    int64_t n_warmup;                  /* DStrn's oldest rows left out of the fit (trn, n_trn: the rest) */
    int64_t warmup_opening;            /* auto warm-up: rows opening a channel in DStrn, DSopt (else -1) */
    int64_t opt_opening;
    int64_t trn_first;                 /* DStrn's first row (before the warm-up is taken out) */
} detect_split;

/* Leaves DStrn's warmup oldest rows out of the fit (trn, n_trn become the
 * rest; n_warmup records it); BAIOT_DETECT_WARMUP_AUTO measures it from
 * the column named opening (rows whose value is over DETECT_OPENING_SECONDS
 * open a new channel): the shortest prefix of DStrn
 * after which DStrn opens channels no more often than DSopt does, at most
 * half of DStrn; 0 when there is no such column.  A count larger than
 * DStrn minus DETECT_MIN_BENIGN / 3 rows is refused (what names the data). */
baiot_status baiot_detect_split_warmup(detect_split *sp, int64_t warmup, const double *opening, const char *what);

/* Cuts the rows with y == benign (in row order) into three equal parts of
 * floor(n/3) rows (the n mod 3 last rows are left out, so the parts are
 * exactly equal) and puts every row with y >= 0 and y != benign into tst.
 * Refuses fewer than DETECT_MIN_BENIGN benign rows (what names the data). */
baiot_status baiot_detect_split_make(const int *y, int64_t n, int benign, const char *what, detect_split *out);
/* The same per group (group[i] in 0..n_groups-1, e.g. the device of a
 * pooled row; NULL: one group): each group's benign rows cut in thirds,
 * the parts joined in row order; each group needs DETECT_MIN_BENIGN. */
baiot_status baiot_detect_split_make_groups(const int *y, const int *group, int n_groups, int64_t n, int benign,
                                            const char *what, detect_split *out);
void baiot_detect_split_free(detect_split *s);

/* ---- detect_scale.c ---- */
typedef struct detect_scale {
    int d;
    double *mean, *sd; /* d; sd 0: a column constant on DStrn, scaled to 0 */
} detect_scale;

/* Mean and (population) standard deviation of each column over the rows
 * idx[0..n) of cols, two passes in row order, in double. */
baiot_status baiot_detect_scale_fit(const double *const *cols, int d, const int64_t *idx, int64_t n, detect_scale *out);
/* x[j * n + i] = clip((cols[j][idx[i]] - mean) / sd) for the n rows idx
 * (idx NULL: rows 0..n-1); columns with sd 0 become 0.  NaN in the data is
 * refused naming the column (names) and row. */
baiot_status baiot_detect_scale_apply(const detect_scale *s, const double *const *cols, const char *const *names,
                                const int64_t *idx, int64_t n, double *x);
/* The same for row-major rows: x[j * n + i] from rows[which[i] * stride +
 * j] (which NULL: row i; else ascending), one thread, tiles of 8 rows in
 * vector lanes; the same doubles as scale_apply. */
baiot_status baiot_detect_scale_rows(const detect_scale *s, const double *rows, int64_t stride, const int64_t *which,
                                     const char *const *names, int64_t n, double *x);
void baiot_detect_scale_free(detect_scale *s);

/* ---- baiot_detect_threshold.c ---- */
/* tr* = mean + population standard deviation of s[0..n) (two passes, row
 * order). */
double baiot_detect_threshold(const double *s, int64_t n);
/* The smallest window ws in 1..max_ws (and <= n) for which no window of
 * ws consecutive flags has a strict majority set (count * 2 > ws).  When
 * none qualifies, returns the window with the smallest fraction of
 * alarming windows (the smallest among equals) and sets *qualified = 0. */
int baiot_detect_window(const unsigned char *flag, int64_t n, int max_ws, int *qualified);
/* The number of windows of ws consecutive rows among flag[0..n) that
 * alarm (strict majority), and in *first the index of the last row of the
 * first alarming window (-1: none).  n < ws: no window (returns 0). */
int64_t baiot_detect_window_alarms(const unsigned char *flag, int64_t n, int ws, int64_t *first);

/* ---- detect_eval.c ---- */
typedef struct detect_kind_eval {
    char name[64];
    int benign;
    int64_t rows, flagged;       /* rows, rows over tr* */
    int64_t windows, alarms;     /* windows of ws* rows, alarming ones */
    int64_t detect_rows;         /* attacks: rows from the first row to the first alarm (-1: never) */
    double *grid_rate;           /* per window of the grid (+ ws*): alarm rate, NaN when no window */
} detect_kind_eval;

typedef struct detect_eval {
    int n_kinds;
    detect_kind_eval kind[DETECT_MAX_KINDS];
    int n_grid;
    int grid[DETECT_N_WINDOW_GRID + 1];
} detect_eval;

/* Splits DStst's rows (tst, their scores and y) into kinds (the benign
 * third first, then each class in class order) and computes their rates at
 * tr and ws. */
baiot_status baiot_detect_eval_run(const int64_t *tst, const double *score, int64_t n, const int *y,
                             const char *const *class_names, int n_classes, int benign, double tr, int ws,
                             detect_eval *out);
void baiot_detect_eval_free(detect_eval *e);

/* ---- detect_facts.c ---- */
/* The paper's row of a device: baiot_detect_paper_row_of (baiot/detect.h). */
typedef baiot_detect_paper_row detect_paper_row;
extern const double baiot_detect_paper_fpr_mean, baiot_detect_paper_fpr_sd;

/* ---- the run (detect.c) ---- */
struct baiot_detect_run {
    baiot_detect_params params;
    char *data_path, *device, *method_name;
    char *pool_devices;     /* pooled: the device list of the pool */
    baiot_data_format format;
    int64_t n_rows;
    int d;
    char **col_names;       /* d */
    int n_classes;
    char **class_names;
    int benign_class;
    detect_split split;
    detect_scale scale;
    detect_scorer *scorer;
    double *opt_score;      /* n_opt */
    double *tst_score;      /* n_tst */
    unsigned char *opt_flag;
    int *tst_y;             /* n_tst: class of each DStst row */
    double tr;
    int ws, ws_qualified;
    int64_t opt_flagged, opt_alarms;
    detect_eval eval;
    double train_mean_score; /* mean DStrn score (= minus the mean log-likelihood for the GMM) */
    double seconds_load, seconds_train, seconds_score, seconds_total;
    int threads;
};

/* ---- detect_model.c ---- */
/* The detector (columns, scaling, scorer, tr*, ws*) as a model file. */
baiot_status baiot_detect_model_save(const baiot_detect_run *r, const char *path);

/* ---- detect_markdown.c, detect_plots.c ---- */
baiot_status baiot_detect_write_markdown(const baiot_detect_run *r, const char *path);
baiot_status baiot_detect_write_plots(const baiot_detect_run *r, const char *dir);

#endif
