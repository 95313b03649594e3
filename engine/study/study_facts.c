/*
 * study_facts.c - the facts a study report's writers share, in one place so
 * that report.json, report.md, the plots and the bulk summary name the same
 * files and quote the same figures: the study's published accuracies, the
 * plot file names, and whether a run's data came from the simulator.  Pure
 * functions of their arguments (thread-safe); calls no writer.  Covered by
 * tests/cli/test_study.py (report.json's file list checked against the
 * folder, the published figures in report.md and the bulk summary).
 */
#include "engine/study/study_facts.h"

#include <stdio.h>
#include <string.h>

/* The study's published figures (Okur & Dener 2020, real Provision_PT_737E). */
const double baiot_study_published_j48_accuracy = 99.95;
const double baiot_study_published_em_accuracy = 76.73;

const char *const baiot_study_plot_names[] = {"roc", "em_classes", "em_clusters", "oner_merits", "confusion"};
const int baiot_study_n_plots = (int)(sizeof baiot_study_plot_names / sizeof baiot_study_plot_names[0]);

void baiot_study_roc_plot_name(const baiot_study *s, int c, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "roc_%s", s->view->class_names[c]);
    for (int i = 4; i < n && (size_t)i < cap; i++) {
        char ch = buf[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                 ch == '_';
        if (!ok)
            buf[i] = '_';
    }
}

int baiot_study_is_simulated(const baiot_study *s)
{
    if (s->n_sources == 0)
        return 0;
    for (int i = 0; i < s->n_sources; i++)
        if (strncmp(s->sources[i].name, "synth:", 6) != 0)
            return 0;
    return 1;
}
