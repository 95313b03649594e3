/*
 * study_facts.c - the facts a study report's writers share, in one place so
 * that report.json, report.md, the plots and the bulk summary name the same
 * files and quote the same figures: the study's published accuracies and
 * when they apply (the study's setting), the plot file names, and where a
 * run's rows came from (simulator or real sources).  Pure functions of
 * their arguments (thread-safe); calls no writer.  Covered by
 * tests/cli/test_study.py (report.json's file list checked against the
 * folder, the published figures in report.md and the bulk summary) and
 * tests/cli/test_report_facts.py (mixed origins, the comparison rule).
 */
#include "engine/study/study_facts.h"
#include "baiot/nbaiot.h"

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

int baiot_study_published_applies(const baiot_study *s)
{
    return s->data_format != BAIOT_DATA_ARFF && s->params.view.task == BAIOT_TASK_3CLASS &&
           s->params.folds == STUDY_PUBLISHED_FOLDS && s->params.top == STUDY_PUBLISHED_TOP;
}

void baiot_study_rows_by_origin(const baiot_study *s, int64_t *simulated, int64_t *real)
{
    int mask[BAIOT_N_DEVICES];
    *simulated = *real = 0;
    if (s->data_format != BAIOT_DATA_STORE) {
        *real = s->view ? s->view->n_rows : 0;
        return;
    }
    /* the selection's devices ("all" or a list the loader already accepted) */
    if (!s->device_label || !strcmp(s->device_label, "all") || baiot_devices_parse(s->device_label, mask) != BAIOT_OK)
        for (int d = 0; d < BAIOT_N_DEVICES; d++)
            mask[d] = 1;
    for (int i = 0; i < s->n_sources; i++) {
        const baiot_source_info *src = &s->sources[i];
        if (src->device >= BAIOT_N_DEVICES || !mask[src->device])
            continue;
        if (strncmp(src->name, "synth:", 6) == 0)
            *simulated += src->rows;
        else
            *real += src->rows;
    }
}

int baiot_study_is_simulated(const baiot_study *s)
{
    int64_t sim, real;
    baiot_study_rows_by_origin(s, &sim, &real);
    return sim > 0 && real == 0;
}
