/*
 * study_facts.h - the facts every writer of a study report shares: the
 * report format's version, the study's published accuracies, whether the
 * data is simulated, and the plots' file names.  Defined in study_facts.c,
 * which calls no writer; the writers (study_report.c, study_markdown.c,
 * study_plots.c, bulk.c) only read these.
 * Covered by tests/cli/test_study.py.
 */
#ifndef BAIOT_ENGINE_STUDY_FACTS_H
#define BAIOT_ENGINE_STUDY_FACTS_H
#include "baiot/study.h"

#include <stddef.h>

#define STUDY_REPORT_VERSION 2 /* 2: data.simulated_rows / real_rows, published.applies */

/* The study's published accuracies (%), real Provision_PT_737E. */
extern const double baiot_study_published_j48_accuracy;
extern const double baiot_study_published_em_accuracy;

/* The plots' base names (each written as .png and .svg). */
extern const char *const baiot_study_plot_names[];
extern const int baiot_study_n_plots;
/* The per-class ROC plot's base name, "roc_<class>" with characters other
 * than letters, digits, '-' and '_' replaced by '_'. */
void baiot_study_roc_plot_name(const baiot_study *s, int c, char *buf, size_t cap);

/* 1 when every row of the data is the simulator's (study.h's
 * baiot_study_rows_by_origin: no real row). */
int baiot_study_is_simulated(const baiot_study *s);

/* The study's setting (study.h's baiot_study_published_applies): N-BaIoT
 * data, 3 classes, 10 folds, top 10. */
enum { STUDY_PUBLISHED_FOLDS = 10, STUDY_PUBLISHED_TOP = 10 };

#endif
