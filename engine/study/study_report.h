/*
 * study_report.h - the writers study_report.c (the orchestrator of
 * baiot_study_write_report) calls, each writing one part of the report
 * folder: study_plots.c the figures, study_markdown.c report.md.  The calls
 * go one way: the writers call nothing in study_report.c; what they share
 * with it is in study_facts.h.  Covered by tests/cli/test_study.py.
 */
#ifndef BAIOT_ENGINE_STUDY_REPORT_H
#define BAIOT_ENGINE_STUDY_REPORT_H
#include "baiot/study.h"

/* Writes every plot of study_facts.h's list (and one ROC plot per class)
 * as DIR/<name>.png and .svg. */
baiot_status baiot_study_write_plots(baiot_study *s, const char *dir);
/* Writes report.md to PATH (atomically). */
baiot_status baiot_study_write_markdown(baiot_study *s, const char *path);

#endif
