/*
 * study_markdown.c - report.md, the human side of a study report: which
 * data the run used, the kept columns (the study's Table I), J48's
 * cross-validated confusion matrix, accuracy and ROC areas, EM's
 * cluster/class table (the study's Table II) and accuracy, each next to the
 * study's published figure when the run is in the study's setting
 * (baiot_study_published_applies), the plots, the provenance (program,
 * commit, each source with its SHA-256) and the stage times.  The
 * figures are the ones report.json holds, rounded for reading; an
 * undefined one (NaN) is "n/a".  Data that mixes simulated and real rows
 * is said so, with the counts.
 * Covered by tests/cli/test_study.py, tests/cli/test_determinism.py and
 * tests/cli/test_report_facts.py.
 */
#include "engine/study/study_facts.h"
#include "engine/study/study_report.h"
#include "io/files/atomic_file.h"

#include <stdio.h>
#include <string.h>

/* A figure with 4 decimals, "-" for a class absent from the data (it has
 * no rows, so no rates and no ROC curve), or "n/a" for another undefined
 * one (NaN: the precision of a class never predicted, say). */
static void cell(FILE *f, double x, int absent)
{
    if (x == x)
        fprintf(f, " %.4f |", x);
    else
        fputs(absent ? " - |" : " n/a |", f);
}

static void data_line(FILE *f, const baiot_study *s)
{
    const baiot_view *v = s->view;
    int64_t sim, real;
    baiot_study_rows_by_origin(s, &sim, &real);
    fprintf(f, "Data: `%s` (%s), devices: %s, task: %s, %lld rows, %d columns ranked.\n\n", s->data_path,
            baiot_data_format_name(s->data_format), s->device_label,
            s->data_format == BAIOT_DATA_ARFF ? "the file's class" : baiot_task_name(s->params.view.task),
            (long long)v->n_rows, s->n_all_cols);
    if (baiot_study_is_simulated(s))
        fprintf(f, "**This run used simulated traffic** (baiot's packet-level simulator through the N-BaIoT "
                   "feature extractor; first source `%s`), not the real captures of the study.  The study's "
                   "figures below are from the real Provision_PT_737E data: they show what the pipeline "
                   "reproduces on real data, not what to expect on simulated data.\n\n",
                s->sources[0].name);
    else if (sim > 0)
        fprintf(f, "**This run mixes simulated and real rows**: %lld of %lld rows (%.1f %%) come from baiot's "
                   "simulator, %lld from real source files (report.json lists every source).  The figures below "
                   "describe the mix, not real traffic alone; the study's are from real data only.\n\n",
                (long long)sim, (long long)(sim + real), 100.0 * (double)sim / (double)(sim + real),
                (long long)real);
    else
        fprintf(f, "This run used the data's %d source file%s (names and SHA-256 in report.json).\n\n",
                s->n_sources, s->n_sources == 1 ? "" : "s");
    if (baiot_study_published_applies(s))
        fprintf(f, "The study's figures beside this run's are from the real Provision_PT_737E data (3 classes, "
                   "top 10 columns, 10 folds, Weka 3.8).\n\n");
    else
        fprintf(f, "The study's published figures are not shown: this run is not in its setting (N-BaIoT data, "
                   "3 classes, top 10 columns, 10 folds).\n\n");
}

static void selected_columns(FILE *f, const baiot_study *s)
{
    fprintf(f, "## Selected columns (the study's Table I)\n\n");
    fprintf(f, "OneR ranking of all %d columns (%d-fold cross-validation, seed %lld); the best %d kept.\n\n",
            s->n_all_cols, s->params.folds, (long long)s->params.seed, s->top);
    fprintf(f, "| rank | column | OneR merit (%% correct) |\n|---:|---|---:|\n");
    for (int r = 0; r < s->top; r++) {
        int j = s->ranking->order[r];
        fprintf(f, "| %d | %s | %.4f |\n", r + 1, s->all_col_names[j], s->ranking->merit[j]);
    }
    fputc('\n', f);
}

static baiot_status j48_section(FILE *f, baiot_study *s)
{
    const baiot_eval_results *r;
    const baiot_view *v = s->view;
    baiot_status st = baiot_eval_compute(s->j48_eval, &r);
    if (st)
        return st;
    int cmp = baiot_study_published_applies(s);
    fprintf(f, "## J48, %d-fold cross-validation\n\n", s->params.folds);
    if (cmp) {
        fprintf(f, "| | this run | study (real Provision_PT_737E) |\n|---|---:|---:|\n");
        fprintf(f, "| accuracy | %.4f %% | %.2f %% |\n", r->pct_correct, baiot_study_published_j48_accuracy);
        fprintf(f, "| correctly classified | %.0f of %.0f | |\n", r->correct, r->num_instances);
        fprintf(f, "| kappa | %.4f | |\n\n", r->kappa);
    } else {
        fprintf(f, "| | this run |\n|---|---:|\n| accuracy | %.4f %% |\n", r->pct_correct);
        fprintf(f, "| correctly classified | %.0f of %.0f |\n| kappa | %.4f |\n\n", r->correct, r->num_instances,
                r->kappa);
    }
    fprintf(f, "Tree on all rows: %lld leaves, size %lld.\n\n", (long long)baiot_j48_num_leaves(s->tree),
            (long long)baiot_j48_tree_size(s->tree));
    fprintf(f, "Confusion matrix (rows: actual class, columns: predicted):\n\n| actual \\ predicted |");
    for (int c = 0; c < r->n_classes; c++)
        fprintf(f, " %s |", v->class_names[c]);
    fprintf(f, "\n|---|");
    for (int c = 0; c < r->n_classes; c++)
        fprintf(f, "---:|");
    fputc('\n', f);
    for (int a = 0; a < r->n_classes; a++) {
        fprintf(f, "| %s |", v->class_names[a]);
        for (int p = 0; p < r->n_classes; p++)
            fprintf(f, " %.0f |", r->confusion[a * r->n_classes + p]);
        fputc('\n', f);
    }
    fprintf(f, "\n| class | TP rate | FP rate | precision | ROC area |\n|---|---:|---:|---:|---:|\n");
    int n_absent = 0, n_undefined = 0;
    for (int c = 0; c < r->n_classes; c++) {
        const baiot_eval_class_stats *cs = &r->per_class[c];
        double rows = 0;
        for (int p = 0; p < r->n_classes; p++)
            rows += r->confusion[c * r->n_classes + p];
        n_absent += rows == 0;
        n_undefined += rows > 0 && (cs->tp_rate != cs->tp_rate || cs->fp_rate != cs->fp_rate ||
                                    cs->precision != cs->precision || cs->roc_area != cs->roc_area);
        fprintf(f, "| %s |", v->class_names[c]);
        cell(f, cs->tp_rate, rows == 0);
        cell(f, cs->fp_rate, rows == 0);
        cell(f, cs->precision, rows == 0);
        cell(f, cs->roc_area, rows == 0);
        fputc('\n', f);
    }
    if (n_absent)
        fprintf(f, "\n-: the class has no rows in this data (no rates, no ROC curve; left out of the figures).\n");
    if (n_undefined)
        fprintf(f, "\nn/a: undefined (the precision of a class never predicted, say).\n");
    fprintf(f, "\n![ROC curves](roc.png) ![Confusion matrix](confusion.png)\n\n");
    return BAIOT_OK;
}

static void em_section(FILE *f, const baiot_study *s)
{
    const baiot_view *v = s->view;
    const baiot_eval_c2c *c = &s->c2c;
    int k = baiot_em_n_clusters(s->em);
    fprintf(f, "## EM clustering, classes to clusters (the study's Table II)\n\n");
    fprintf(f, "%d clusters%s on the %d kept columns, %d iterations, log-likelihood %.6f.\n\n", k,
            baiot_em_selected_by_cv(s->em) ? " (chosen by cross-validation)" : "", v->n_cols,
            baiot_em_iterations(s->em), s->em_loglik);
    fprintf(f, "| cluster | prior | assigned class |");
    for (int y = 0; y < c->n_classes; y++)
        fprintf(f, " %s |", v->class_names[y]);
    fprintf(f, "\n|---:|---:|---|");
    for (int y = 0; y < c->n_classes; y++)
        fprintf(f, "---:|");
    fputc('\n', f);
    for (int cl = 0; cl < k; cl++) {
        int mapped = c->cluster_class[cl];
        fprintf(f, "| %d | %.4f | %s |", cl, baiot_em_priors(s->em)[cl], mapped >= 0 ? v->class_names[mapped] : "none");
        for (int y = 0; y < c->n_classes; y++)
            fprintf(f, " %lld |", (long long)c->counts[(int64_t)cl * c->n_classes + y]);
        fputc('\n', f);
    }
    if (baiot_study_published_applies(s)) {
        fprintf(f, "\n| | this run | study (real Provision_PT_737E) |\n|---|---:|---:|\n");
        fprintf(f, "| correctly clustered | %.2f %% | %.2f %% |\n", baiot_study_em_accuracy(s),
                baiot_study_published_em_accuracy);
        fprintf(f, "| incorrectly clustered rows | %lld of %lld | |\n\n", (long long)c->incorrect, (long long)c->n);
    } else {
        fprintf(f, "\n| | this run |\n|---|---:|\n| correctly clustered | %.2f %% |\n", baiot_study_em_accuracy(s));
        fprintf(f, "| incorrectly clustered rows | %lld of %lld |\n\n", (long long)c->incorrect, (long long)c->n);
    }
    fprintf(f, "![True classes](em_classes.png) ![EM clusters](em_clusters.png)\n\n");
    fprintf(f, "![OneR merits](oner_merits.png)\n\n");
}

static void timings(FILE *f, const baiot_study *s)
{
    fprintf(f, "## Run\n\n| stage | seconds |\n|---|---:|\n");
    for (int i = 0; i < BAIOT_N_STAGES - 1; i++)
        fprintf(f, "| %s | %.3f |\n", baiot_stage_names[i], s->seconds[i]);
    fprintf(f, "\nbaiot %s; every figure, the options and the sources' SHA-256 are in report.json; the models "
               "(`j48.model`, `em.model`) load with `baiot predict`.\n",
            BAIOT_VERSION_STRING);
}

/* Where the rows came from: the program and each source (the first
 * PROVENANCE_MAX; report.json has all), so report.html carries them too. */
static void provenance(FILE *f, const baiot_study *s)
{
    enum { PROVENANCE_MAX = 200 };
    fprintf(f, "## Provenance\n\nbaiot %s, git commit `%s`; the data named above.\n\n", baiot_version(),
            baiot_git_commit());
    if (s->n_sources <= 0)
        return;
    fprintf(f, "| source | rows | SHA-256 |\n|---|---:|---|\n");
    for (int i = 0; i < s->n_sources && i < PROVENANCE_MAX; i++)
        fprintf(f, "| `%s` | %lld | `%s` |\n", s->sources[i].name, (long long)s->sources[i].rows,
                s->sources[i].sha256[0] ? s->sources[i].sha256 : "-");
    if (s->n_sources > PROVENANCE_MAX)
        fprintf(f, "\n%d more sources in report.json.\n", s->n_sources - PROVENANCE_MAX);
    fputc('\n', f);
}

baiot_status baiot_study_write_markdown(baiot_study *s, const char *path)
{
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(path, &af);
    if (st)
        return st;
    fprintf(af.fp, "# Study report: %s, %s\n\n", s->device_label,
            s->data_format == BAIOT_DATA_ARFF ? s->data_path : baiot_task_name(s->params.view.task));
    data_line(af.fp, s);
    selected_columns(af.fp, s);
    if ((st = j48_section(af.fp, s))) {
        baiot_atomic_file_abort(&af);
        return st;
    }
    em_section(af.fp, s);
    provenance(af.fp, s);
    timings(af.fp, s);
    return baiot_atomic_file_commit(&af);
}
