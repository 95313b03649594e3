/*
 * study_report.h - the pieces of a study report shared by its writers
 * (study_report.c: the folder and report.json; study_plots.c: the figures;
 * study_markdown.c: report.md; bulk.c: the summary).
 */
#ifndef BAIOT_ENGINE_STUDY_REPORT_H
#define BAIOT_ENGINE_STUDY_REPORT_H
#include "baiot/study.h"

#define STUDY_REPORT_VERSION 1

/* The study's published accuracies (%), real Provision_PT_737E. */
extern const double study_published_j48_accuracy;
extern const double study_published_em_accuracy;

/* The plots' base names (each written as .png and .svg). */
extern const char *const study_plot_names[];
extern const int study_n_plots;
/* The per-class ROC plot's base name, "roc_<class>". */
void study_roc_plot_name(const baiot_study *s, int c, char *buf, size_t cap);

/* 1 when every source of the data is the simulator's. */
int study_is_simulated(const baiot_study *s);

baiot_status study_write_plots(baiot_study *s, const char *dir);
baiot_status study_write_markdown(baiot_study *s, const char *path);

#endif
