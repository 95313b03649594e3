/*
 * study.h - the study's pipeline on one data set (Okur & Dener 2020):
 * OneR ranking of every column, the top K kept, J48 k-fold
 * cross-validation plus the tree on all rows, EM on the same K columns with
 * classes-to-clusters; then the report (report.json, report.md, plots, the
 * two model files) written into a folder.
 *
 * The data is read once (every column, for the ranking); the later stages
 * work on the K kept columns in memory.  Each stage's figures are exactly
 * those of the separate commands on the same data and options (`baiot
 * rank`, `baiot j48 --columns <top K>`, `baiot em --columns <top K>`), and
 * do not depend on the thread count.  Every output file appears complete
 * or not at all.
 */
#ifndef BAIOT_STUDY_H
#define BAIOT_STUDY_H
#include "baiot/em.h"
#include "baiot/evaluation.h"
#include "baiot/j48.h"
#include "baiot/rank.h"
#include "baiot/store.h"
#include "baiot/view.h"
BAIOT_BEGIN_DECLS

typedef struct baiot_study_params {
    baiot_view_params view; /* devices, task, ARFF class (columns: ignored, all are ranked) */
    int top;                /* columns kept, default 10 */
    int folds;              /* ranking and J48 cross-validation folds, default 10 */
    int64_t seed;           /* their seed, default 1 */
    int clusters;           /* EM clusters: 0 = the number of classes (default), -1 = chosen by CV */
    baiot_rank_params rank; /* min_bucket (folds/seed taken from above) */
    baiot_j48_params j48;
    baiot_em_params em;     /* seed 100 etc. (n_clusters taken from `clusters`) */
} baiot_study_params;

baiot_study_params baiot_study_params_default(void);

/* Stage names, in order, for timings and progress. */
enum { BAIOT_STAGE_LOAD, BAIOT_STAGE_RANK, BAIOT_STAGE_J48_CV, BAIOT_STAGE_J48_TREE, BAIOT_STAGE_EM,
       BAIOT_STAGE_REPORT, BAIOT_N_STAGES };
extern const char *const baiot_stage_names[BAIOT_N_STAGES];

/* A finished run; read-only for callers, freed with baiot_study_free. */
typedef struct baiot_study {
    baiot_study_params params;
    char *data_path;
    baiot_data_format data_format; /* what data_path is */
    char *device_label;          /* the devices option as given ("all" when none) */
    int n_all_cols;              /* columns ranked */
    char **all_col_names;        /* their names */
    baiot_ranking *ranking;      /* over all columns */
    int top;                     /* columns kept (<= n_all_cols) */
    baiot_view *view;            /* the kept columns, in rank order, with the classes */
    baiot_eval *j48_eval;        /* the cross-validation's pooled predictions */
    baiot_j48_model *tree;       /* grown on all rows */
    baiot_em_model *em;
    int *assign;                 /* each row's cluster */
    double em_loglik;            /* mean log-likelihood of the rows */
    baiot_eval_c2c c2c;            /* classes-to-clusters */
    int n_sources;               /* stores: the source table */
    baiot_source_info *sources;
    char *creator;               /* stores: the program that wrote it */
    double seconds[BAIOT_N_STAGES];
} baiot_study;

/* Runs the pipeline on DATA (a store, an N-BaIoT CSV or an ARFF file).
 * *out is owned by the caller. */
baiot_status baiot_study_run(const char *data_path, const baiot_study_params *params, baiot_study **out);

/* Writes the report into dir (created if needed): report.json, report.md,
 * the plots (PNG and SVG) and j48.model / em.model.  Adds the report stage's
 * time to s->seconds. */
baiot_status baiot_study_write_report(baiot_study *s, const char *dir);

/* 1 when the run is in the study's setting, so its figures may be set
 * beside the study's published ones: N-BaIoT data (a store or an N-BaIoT
 * CSV, not an ARFF file), the 3-class task, 10 folds and the top 10
 * columns (docs/REPORT.md).  0 otherwise. */
int baiot_study_published_applies(const baiot_study *s);

/* The rows of the run's data by origin: *simulated from baiot's simulator
 * (store sources named "synth:..."), *real from every other source (a
 * file given directly counts as real: its origin is not recorded). */
void baiot_study_rows_by_origin(const baiot_study *s, int64_t *simulated, int64_t *real);

/* The accuracies (%) the summary tables show. */
double baiot_study_j48_accuracy(baiot_study *s);
double baiot_study_em_accuracy(const baiot_study *s);

void baiot_study_free(baiot_study *s);

BAIOT_END_DECLS
#endif
