/*
 * study_report.c - writes a finished study run into its folder: the two
 * model files, the plots, report.md, report.html (report.md as one
 * self-contained page, io/export/md_html.h) and, last, report.json.  The folder is
 * built under a hidden temporary name and swapped in whole at the end
 * (io/files/atomic_dir.h): the path holds the old report or the new one,
 * never a mix, and a failure (a full disk, say) leaves the old folder as
 * it was and no temporary.  Files in the old folder that no report writes
 * (the demo's simulated store) are kept.
 *
 * report.json's layout is documented in docs/REPORT.md and checked against
 * docs/report.schema.json by the tests.  The numbers are written in their
 * shortest round-trip form, and the J48 evaluation and the EM block are
 * the documents `baiot j48 --json` and `baiot em --json` write.
 *
 * This file is the orchestrator: it calls the writers of study_report.h
 * (plots, report.md) and none of them calls back; the figures and names
 * they all quote live in study_facts.c.  Covered by tests/cli/test_study.py
 * (report.json against the schema and the separate commands, the listed
 * files present, identical at 1, 2 and 4 threads), tests/cli/test_kill.py
 * (no partial file after a kill), tests/cli/test_report_dir.py and
 * tests/cli/test_report_html.py (report.html in headless Chromium).
 */
#include "baiot/model.h"
#include "baiot/study.h"
#include "engine/study/study_facts.h"
#include "engine/study/study_report.h"
#include "io/export/md_html.h"
#include "io/files/atomic_dir.h"
#include "io/files/atomic_file.h"
#include "io/text/json.h"

#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>


static void write_bool(FILE *f, int b)
{
    fputs(b ? "true" : "false", f);
}

static void write_string_list(FILE *f, const char *const *items, int n)
{
    fputc('[', f);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        baiot_json_write_string(f, items[i]);
    }
    fputc(']', f);
}

static void write_data(FILE *f, const baiot_study *s)
{
    const baiot_view *v = s->view;
    int64_t *counts = baiot_calloc((size_t)v->n_classes, sizeof *counts);
    fputs(" \"data\": {\"path\": ", f);
    baiot_json_write_string(f, s->data_path);
    fputs(", \"kind\": ", f);
    baiot_json_write_string(f, baiot_data_format_name(s->data_format));
    fputs(", \"devices\": ", f);
    baiot_json_write_string(f, s->device_label);
    fputs(", \"task\": ", f);
    baiot_json_write_string(f, s->data_format == BAIOT_DATA_ARFF ? "arff" : baiot_task_name(s->params.view.task));
    fputs(", \"created_by\": ", f);
    baiot_json_write_string(f, s->creator ? s->creator : "");
    int64_t sim_rows, real_rows;
    baiot_study_rows_by_origin(s, &sim_rows, &real_rows);
    fprintf(f, ", \"rows\": %lld, \"columns\": %d, \"simulated\": ", (long long)v->n_rows, s->n_all_cols);
    write_bool(f, baiot_study_is_simulated(s));
    fprintf(f, ", \"simulated_rows\": %lld, \"real_rows\": %lld", (long long)sim_rows, (long long)real_rows);
    fputs(",\n  \"class_names\": ", f);
    write_string_list(f, (const char *const *)v->class_names, v->n_classes);
    fputs(", \"class_counts\": [", f);
    for (int64_t i = 0; counts && i < v->n_rows; i++)
        if (v->y[i] >= 0)
            counts[v->y[i]]++;
    for (int c = 0; c < v->n_classes; c++)
        fprintf(f, "%s%lld", c ? ", " : "", counts ? (long long)counts[c] : 0LL);
    fputs("],\n  \"sources\": [", f);
    for (int i = 0; i < s->n_sources; i++) {
        fputs(i ? ",\n   {\"name\": " : "\n   {\"name\": ", f);
        baiot_json_write_string(f, s->sources[i].name);
        fprintf(f, ", \"rows\": %lld, \"sha256\": ", (long long)s->sources[i].rows);
        baiot_json_write_string(f, s->sources[i].sha256);
        fputc('}', f);
    }
    fputs("]},\n", f);
    baiot_free(counts);
}

static void write_options(FILE *f, const baiot_study *s)
{
    const baiot_study_params *p = &s->params;
    const baiot_j48_params *j = &p->j48;
    fprintf(f, " \"options\": {\"top\": %d, \"folds\": %d, \"seed\": %lld, \"clusters\": ", p->top, p->folds,
            (long long)p->seed);
    if (p->clusters == -1)
        fputs("\"auto\"", f);
    else if (p->clusters == 0)
        fputs("\"classes\"", f);
    else
        fprintf(f, "%d", p->clusters);
    fprintf(f, ",\n  \"oner\": {\"min_bucket\": %d},\n", p->rank.min_bucket);
    fprintf(f, "  \"j48\": {\"C\": %.9g, \"M\": %d, \"unpruned\": ", j->confidence, j->min_obj);
    write_bool(f, j->unpruned);
    fputs(", \"subtree_raising\": ", f);
    write_bool(f, !j->no_raise);
    fputs(", \"laplace\": ", f);
    write_bool(f, j->laplace);
    fputs(", \"collapse\": ", f);
    write_bool(f, !j->no_collapse);
    fputs(", \"mdl\": ", f);
    write_bool(f, !j->no_mdl);
    fputs(", \"binary\": ", f);
    write_bool(f, j->binary);
    fprintf(f, ", \"weka\": \"%s\"},\n", j->weka36 ? "3.6" : "3.8");
    fprintf(f, "  \"em\": {\"seed\": %lld, \"max_iter\": %d, \"min_std_dev\": ", (long long)p->em.seed,
            p->em.max_iter);
    baiot_json_write_number(f, p->em.min_std_dev);
    fputs("}},\n", f);
}

static void write_ranking(FILE *f, const baiot_study *s)
{
    const baiot_ranking *r = s->ranking;
    fputs(" \"ranking\": [", f);
    for (int i = 0; i < r->n; i++) {
        int j = r->order[i];
        fprintf(f, "%s\n  {\"rank\": %d, \"column\": %d, \"name\": ", i ? "," : "", i + 1, j + 1);
        baiot_json_write_string(f, s->all_col_names[j]);
        fputs(", \"merit\": ", f);
        baiot_json_write_number(f, r->merit[j]);
        fprintf(f, ", \"correct\": %lld}", (long long)r->correct[j]);
    }
    fputs("],\n \"selected_columns\": [", f);
    for (int i = 0; i < s->top; i++) {
        if (i)
            fputs(", ", f);
        baiot_json_write_string(f, s->view->attrs[i].name);
    }
    fputs("],\n", f);
}

static baiot_status write_j48(FILE *f, baiot_study *s)
{
    const baiot_eval_results *r;
    baiot_status st = baiot_eval_compute(s->j48_eval, &r);
    if (st)
        return st;
    fprintf(f, " \"j48\": {\"leaves\": %lld, \"size\": %lld, \"accuracy\": ", (long long)baiot_j48_num_leaves(s->tree),
            (long long)baiot_j48_tree_size(s->tree));
    baiot_json_write_number(f, r->pct_correct);
    fputs(", \"roc_area\": {", f);
    for (int c = 0; c < r->n_classes; c++) {
        if (c)
            fputs(", ", f);
        baiot_json_write_string(f, s->view->class_names[c]);
        fputs(": ", f);
        baiot_json_write_number(f, r->per_class[c].roc_area);
    }
    fputs("},\n  \"evaluation\": ", f);
    if ((st = baiot_eval_write_json(s->j48_eval, f)))
        return st;
    fputs(" },\n", f);
    return BAIOT_OK;
}

static baiot_status write_em(FILE *f, const baiot_study *s)
{
    baiot_em_params ep = s->params.em;
    ep.n_clusters = s->params.clusters == 0 ? s->view->n_classes : s->params.clusters;
    fputs(" \"em\": {\"accuracy\": ", f);
    baiot_json_write_number(f, baiot_study_em_accuracy(s));
    fputs(", \"model\": ", f);
    baiot_status st = baiot_em_write_json(s->em, s->view, &ep, s->assign, s->em_loglik, &s->c2c, f);
    fputs(" },\n", f);
    return st;
}

static void write_timings(FILE *f, const baiot_study *s)
{
    double total = 0;
    fputs(" \"timings\": {", f);
    for (int i = 0; i < BAIOT_N_STAGES; i++) {
        fprintf(f, "%s\"%s\": ", i ? ", " : "", baiot_stage_names[i]);
        baiot_json_write_number(f, s->seconds[i]);
        total += s->seconds[i];
    }
    fputs(", \"total\": ", f);
    baiot_json_write_number(f, total);
    fputs("},\n", f);
}

static baiot_status write_json(baiot_study *s, const char *path)
{
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(path, &af);
    if (st)
        return st;
    FILE *f = af.fp;
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    fprintf(f, "{\"format\": \"baiot-report\", \"version\": %d,\n", STUDY_REPORT_VERSION);
    fprintf(f, " \"program\": {\"name\": \"baiot\", \"version\": \"%s\", \"git_commit\": \"%s\"},\n",
            baiot_version(), baiot_git_commit());
    fprintf(f, " \"created\": \"%s\",\n", created);
    write_data(f, s);
    write_options(f, s);
    write_ranking(f, s);
    if ((st = write_j48(f, s))) {
        baiot_atomic_file_abort(&af);
        return st;
    }
    if ((st = write_em(f, s))) {
        baiot_atomic_file_abort(&af);
        return st;
    }
    fputs(" \"published\": {\"reference\": \"Okur & Dener 2020, real Provision_PT_737E data, Weka 3.8\", "
          "\"j48_accuracy\": ",
          f);
    baiot_json_write_number(f, baiot_study_published_j48_accuracy);
    fputs(", \"em_accuracy\": ", f);
    baiot_json_write_number(f, baiot_study_published_em_accuracy);
    fputs(", \"applies\": ", f);
    write_bool(f, baiot_study_published_applies(s));
    fputs("},\n", f);
    write_timings(f, s);
    fputs(" \"files\": {\"report\": \"report.md\", \"j48_model\": \"j48.model\", \"em_model\": \"em.model\", "
          "\"plots\": [",
          f);
    for (int i = 0; i < baiot_study_n_plots; i++)
        fprintf(f, "%s\"%s.png\", \"%s.svg\"", i ? ", " : "", baiot_study_plot_names[i], baiot_study_plot_names[i]);
    for (int c = 0; c < s->view->n_classes; c++) {
        char name[160];
        baiot_study_roc_plot_name(s, c, name, sizeof name);
        fprintf(f, ", \"%s.png\", \"%s.svg\"", name, name); /* letters, digits, '-', '_' only */
    }
    fputs("]}}\n", f);
    return baiot_atomic_file_commit(&af);
}

static baiot_status join(char *buf, size_t cap, const char *dir, const char *name)
{
    if (snprintf(buf, cap, "%s/%s", dir, name) >= (int)cap)
        return baiot_fail(BAIOT_ERR_ARG, "output path too long: %s/%s", dir, name);
    return BAIOT_OK;
}

/* The names a report writes (an earlier report's files are not carried
 * into the new folder), and temporaries of dead writers. */
static int report_owned(const char *name)
{
    size_t n = strlen(name);
    if (!strcmp(name, "report.json") || !strcmp(name, "report.md") ||
        !strcmp(name, "report.html") || !strcmp(name, "j48.model") ||
        !strcmp(name, "em.model") || (name[0] == '.' && strstr(name, ".tmp-")))
        return 1;
    if (n < 4 || (strcmp(name + n - 4, ".png") != 0 && strcmp(name + n - 4, ".svg") != 0))
        return 0;
    if (!strncmp(name, "roc_", 4))
        return 1;
    for (int i = 0; i < baiot_study_n_plots; i++) {
        size_t k = strlen(baiot_study_plot_names[i]);
        if (n == k + 4 && !strncmp(name, baiot_study_plot_names[i], k))
            return 1;
    }
    return 0;
}

static baiot_status write_files(baiot_study *s, const char *dir, double t0);

baiot_status baiot_study_write_report(baiot_study *s, const char *final_dir)
{
    atomic_dir ad;
    double t0 = omp_get_wtime();
    baiot_status st = baiot_atomic_dir_open(final_dir, &ad);
    if (st)
        return st;
    if ((st = write_files(s, ad.tmp_path, t0)) || (st = baiot_atomic_dir_commit(&ad, report_owned))) {
        baiot_atomic_dir_abort(&ad); /* a no-op after a failed commit */
        return baiot_fail_context(st, "report folder '%s' not written (an earlier one is kept as it was): ",
                                  final_dir);
    }
    return BAIOT_OK;
}

/* Every file of the report into dir (the temporary folder). */
static baiot_status write_files(baiot_study *s, const char *dir, double t0)
{
    char path[4096];
    baiot_status st;
    /* the models read the kept columns by name */
    baiot_view_params vp = s->params.view;
    if ((st = join(path, sizeof path, dir, "j48.model")) ||
        (st = baiot_model_save_j48(path, s->tree, s->view, &vp, &s->params.j48)))
        return st;
    baiot_em_params ep = s->params.em;
    ep.n_clusters = baiot_em_n_clusters(s->em);
    if ((st = join(path, sizeof path, dir, "em.model")) || (st = baiot_model_save_em(path, s->em, s->view, &vp, &ep)))
        return st;
    if ((st = baiot_study_write_plots(s, dir)))
        return st;
    if ((st = join(path, sizeof path, dir, "report.md")) || (st = baiot_study_write_markdown(s, path)) ||
        (st = baiot_md_html_beside(path)))
        return st;
    s->seconds[BAIOT_STAGE_REPORT] = omp_get_wtime() - t0;
    if ((st = join(path, sizeof path, dir, "report.json")))
        return st;
    return write_json(s, path);
}
