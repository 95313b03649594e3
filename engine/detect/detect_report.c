/*
 * detect_report.c - a finished detector run in its folder: detector.model
 * (detect_model.c), the plots (detect_plots.c), detect.md
 * (detect_markdown.c), detect.html (detect.md as a page with the figures
 * inline, io/export/md_html.h) and, last, detect.json; and the short summaries of
 * `baiot detect` (text and --json).  The folder is built under a hidden
 * temporary name and swapped in whole (io/files/atomic_dir.h): the path
 * holds the old report or the new one, never a mix.
 *
 * detect.json's layout is docs/schema/detect.schema.json (described in
 * docs/DETECTION.md); numbers in shortest round-trip text; everything but
 * the "timings" member is identical for any thread count.  Covered by
 * tests/cli/test_detect.py (schema, split sizes, tr* recomputed from the
 * DSopt scores, ws* rechecked, identical at 1 and 2 threads).
 */
#include "engine/detect/detect_internal.h"

#include "io/export/md_html.h"
#include "io/files/atomic_dir.h"
#include "io/files/atomic_file.h"
#include "io/text/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void num(FILE *f, double x)
{
    baiot_json_write_number(f, x);
}

static double rate(int64_t a, int64_t n)
{
    return n > 0 ? (double)a / (double)n : NAN;
}

static void write_kind(FILE *f, const detect_eval *ev, const detect_kind_eval *e)
{
    fputs("{\"name\": ", f);
    baiot_json_write_string(f, e->name);
    fprintf(f, ", \"benign\": %s, \"rows\": %lld, \"flagged_rows\": %lld, \"row_rate\": ", e->benign ? "true" : "false",
            (long long)e->rows, (long long)e->flagged);
    num(f, rate(e->flagged, e->rows));
    fprintf(f, ", \"windows\": %lld, \"alarming_windows\": %lld, \"window_rate\": ", (long long)e->windows,
            (long long)e->alarms);
    num(f, rate(e->alarms, e->windows));
    fputs(", \"detection_rows\": ", f);
    if (e->benign || e->detect_rows < 0)
        fputs("null", f);
    else
        fprintf(f, "%lld", (long long)e->detect_rows);
    fputs(", \"grid_window_rate\": [", f);
    for (int w = 0; w < ev->n_grid; w++) {
        if (w)
            fputs(", ", f);
        num(f, e->grid_rate[w]);
    }
    fputs("]}", f);
}

/* The benign FPRs and the attacks' smallest TPRs over the kinds. */
static void figures(const baiot_detect_run *r, double *row_fpr, double *win_fpr, double *min_row_tpr,
                    double *min_win_tpr, int *n_attacks, int *n_detected)
{
    const detect_eval *ev = &r->eval;
    *row_fpr = rate(ev->kind[0].flagged, ev->kind[0].rows);
    *win_fpr = rate(ev->kind[0].alarms, ev->kind[0].windows);
    *min_row_tpr = *min_win_tpr = NAN;
    *n_attacks = *n_detected = 0;
    for (int k = 1; k < ev->n_kinds; k++) {
        const detect_kind_eval *e = &ev->kind[k];
        double a = rate(e->flagged, e->rows), b = rate(e->alarms, e->windows);
        if (isnan(*min_row_tpr) || a < *min_row_tpr)
            *min_row_tpr = a;
        if (!isnan(b) && (isnan(*min_win_tpr) || b < *min_win_tpr))
            *min_win_tpr = b;
        (*n_attacks)++;
        *n_detected += e->detect_rows >= 0;
    }
}

void baiot_detect_get_figures(const baiot_detect_run *r, baiot_detect_figures *o)
{
    const detect_split *sp = &r->split;
    const detect_eval *ev = &r->eval;
    memset(o, 0, sizeof *o);
    o->benign_rows = sp->n_benign;
    o->dstrn = sp->n_trn + sp->n_warmup;
    o->dsopt = sp->n_opt;
    o->dstst_benign = sp->n_tst_benign;
    o->dstst_attack = sp->n_tst - sp->n_tst_benign;
    o->seconds_train = r->seconds_train;
    o->seconds_score = r->seconds_score;
    o->method = r->scorer->ops->method;
    r->scorer->ops->settings(r->scorer, &o->learning_rate, &o->epochs, &o->clusters);
    o->threshold = r->tr;
    o->window = r->ws;
    o->window_qualified = r->ws_qualified;
    figures(r, &o->row_fpr, &o->window_fpr, &o->min_row_tpr, &o->min_window_tpr, &o->n_attacks, &o->n_detected);
    int64_t rows[2] = {0, 0}, flagged[2] = {0, 0}, wins[2] = {0, 0}, alarms[2] = {0, 0};
    for (int f = 0; f < 2; f++)
        o->family_min_window_tpr[f] = NAN;
    for (int k = 1; k < ev->n_kinds; k++) {
        const detect_kind_eval *e = &ev->kind[k];
        int f = strncmp(e->name, "gafgyt", 6) == 0 ? 0 : strncmp(e->name, "mirai", 5) == 0 ? 1 : -1;
        if (f < 0)
            continue;
        o->family_kinds[f]++;
        rows[f] += e->rows;
        flagged[f] += e->flagged;
        wins[f] += e->windows;
        alarms[f] += e->alarms;
        double w = rate(e->alarms, e->windows);
        if (!isnan(w) && (isnan(o->family_min_window_tpr[f]) || w < o->family_min_window_tpr[f]))
            o->family_min_window_tpr[f] = w;
    }
    for (int f = 0; f < 2; f++) {
        o->family_row_tpr[f] = rate(flagged[f], rows[f]);
        o->family_window_tpr[f] = rate(alarms[f], wins[f]);
    }
}

static void write_json(const baiot_detect_run *r, FILE *f)
{
    const detect_split *sp = &r->split;
    fprintf(f, "{\"format\": \"baiot-detect\", \"version\": 1,\n \"baiot\": {\"version\": ");
    baiot_json_write_string(f, baiot_version());
    fputs(", \"commit\": ", f);
    baiot_json_write_string(f, baiot_git_commit());
    fputs("},\n \"data\": {\"path\": ", f);
    baiot_json_write_string(f, r->data_path);
    fputs(", \"kind\": ", f);
    baiot_json_write_string(f, baiot_data_format_name(r->format));
    fputs(", \"device\": ", f);
    baiot_json_write_string(f, r->device);
    fprintf(f, ", \"rows\": %lld, \"columns\": %d, \"class_names\": [", (long long)r->n_rows, r->d);
    for (int c = 0; c < r->n_classes; c++) {
        if (c)
            fputs(", ", f);
        baiot_json_write_string(f, r->class_names[c]);
    }
    fputs("]},\n \"method\": {\"name\": ", f);
    baiot_json_write_string(f, r->scorer->ops->method);
    fprintf(f, ", \"clusters_option\": %d, \"seed\": %lld, \"max_window\": %d, ", r->params.clusters,
            (long long)r->params.seed, r->params.max_window);
    r->scorer->ops->write_facts(r->scorer, f);
    fprintf(f, "},\n \"split\": {\"benign_rows\": %lld, \"dstrn\": %lld, \"dsopt\": %lld, \"dstst_benign\": %lld, "
               "\"dstst_attack\": %lld, \"dstst\": %lld, \"benign_rows_left_out\": %lld,\n  \"dstrn_rows\": [%lld, %lld], "
               "\"dsopt_rows\": [%lld, %lld],\n  \"warmup\": {\"option\": ",
            (long long)sp->n_benign, (long long)(sp->n_trn + sp->n_warmup), (long long)sp->n_opt,
            (long long)sp->n_tst_benign, (long long)(sp->n_tst - sp->n_tst_benign), (long long)sp->n_tst,
            (long long)sp->n_dropped, (long long)sp->trn_first + 1, (long long)sp->trn[sp->n_trn - 1] + 1,
            (long long)sp->opt[0] + 1, (long long)sp->opt[sp->n_opt - 1] + 1);
    if (r->params.warmup == BAIOT_DETECT_WARMUP_AUTO)
        fputs("\"auto\"", f);
    else
        fprintf(f, "%lld", (long long)r->params.warmup);
    fprintf(f, ", \"rows\": %lld, \"fit_rows\": %lld, \"dstrn_opening_rows\": ", (long long)sp->n_warmup,
            (long long)sp->n_trn);
    if (sp->warmup_opening < 0)
        fputs("null, \"dsopt_opening_rows\": null}},\n", f);
    else
        fprintf(f, "%lld, \"dsopt_opening_rows\": %lld}},\n", (long long)sp->warmup_opening,
                (long long)sp->opt_opening);
    fputs(" \"scaling\": {\"fitted_on\": \"dstrn\", \"clip\": ", f);
    num(f, DETECT_CLIP);
    fputs(", \"constant_columns\": [", f);
    int first = 1;
    for (int j = 0; j < r->d; j++)
        if (r->scale.sd[j] == 0) {
            if (!first)
                fputs(", ", f);
            baiot_json_write_string(f, r->col_names[j]);
            first = 0;
        }
    fputs("]},\n \"dstrn_mean_score\": ", f);
    num(f, r->train_mean_score);
    fputs(",\n \"threshold\": ", f);
    num(f, r->tr);
    fprintf(f, ", \"window\": %d, \"window_qualified\": %s,\n", r->ws, r->ws_qualified ? "true" : "false");
    fprintf(f, " \"dsopt\": {\"rows\": %lld, \"flagged_rows\": %lld, \"flagged_fraction\": ", (long long)sp->n_opt,
            (long long)r->opt_flagged);
    num(f, rate(r->opt_flagged, sp->n_opt));
    fprintf(f, ", \"alarming_windows\": %lld,\n  \"scores\": [", (long long)r->opt_alarms);
    for (int64_t i = 0; i < sp->n_opt; i++) {
        if (i)
            fputs(", ", f);
        num(f, r->opt_score[i]);
    }
    fputs("]},\n \"evaluation\": {\"window_grid\": [", f);
    for (int w = 0; w < r->eval.n_grid; w++)
        fprintf(f, "%s%d", w ? ", " : "", r->eval.grid[w]);
    fputs("],\n  \"kinds\": [", f);
    for (int k = 0; k < r->eval.n_kinds; k++) {
        fputs(k ? ",\n   " : "\n   ", f);
        write_kind(f, &r->eval, &r->eval.kind[k]);
    }
    double row_fpr, win_fpr, min_row, min_win;
    int na, nd;
    figures(r, &row_fpr, &win_fpr, &min_row, &min_win, &na, &nd);
    fputs("]},\n \"summary\": {\"row_fpr\": ", f);
    num(f, row_fpr);
    fputs(", \"window_fpr\": ", f);
    num(f, win_fpr);
    fputs(", \"min_attack_row_tpr\": ", f);
    num(f, min_row);
    fputs(", \"min_attack_window_tpr\": ", f);
    num(f, min_win);
    fprintf(f, ", \"attacks\": %d, \"attacks_detected\": %d},\n \"paper\": ", na, nd);
    const detect_paper_row *p = baiot_detect_paper_row_of(r->device);
    if (p) {
        fprintf(f, "{\"benign_rows\": %lld, \"train_seconds\": ", (long long)p->benign_rows);
        num(f, p->train_seconds);
        fputs(", \"learning_rate\": ", f);
        num(f, p->learning_rate);
        fprintf(f, ", \"epochs\": %d, \"threshold\": ", p->epochs);
        num(f, p->threshold);
        fprintf(f, ", \"window\": %d, \"mean_fpr\": ", p->window);
        num(f, baiot_detect_paper_fpr_mean);
        fputs("}", f);
    } else {
        fputs("null", f);
    }
    fputs(",\n \"timings\": {\"load_seconds\": ", f);
    num(f, r->seconds_load);
    fputs(", \"train_seconds\": ", f);
    num(f, r->seconds_train);
    fputs(", \"score_seconds\": ", f);
    num(f, r->seconds_score);
    fputs(", \"total_seconds\": ", f);
    num(f, r->seconds_total);
    fprintf(f, ", \"threads\": %d}}\n", r->threads);
}

static int report_owned(const char *name)
{
    return strcmp(name, "detect.json") == 0 || strcmp(name, "detect.md") == 0 ||
           strcmp(name, "detect.html") == 0 ||
           strcmp(name, "detector.model") == 0 || strncmp(name, "detect-", 7) == 0;
}

static baiot_status write_files(const baiot_detect_run *r, const char *dir)
{
    char path[4096];
    baiot_status st;
    snprintf(path, sizeof path, "%s/detector.model", dir);
    if ((st = baiot_detect_model_save(r, path)))
        return st;
    if ((st = baiot_detect_write_plots(r, dir)))
        return st;
    snprintf(path, sizeof path, "%s/detect.md", dir);
    if ((st = baiot_detect_write_markdown(r, path)) || (st = baiot_md_html_beside(path)))
        return st;
    snprintf(path, sizeof path, "%s/detect.json", dir);
    atomic_file af;
    if ((st = baiot_atomic_file_open(path, &af)))
        return st;
    write_json(r, af.fp);
    return baiot_atomic_file_commit(&af);
}

baiot_status baiot_detect_write_report(const baiot_detect_run *r, const char *dir)
{
    atomic_dir ad;
    baiot_status st = baiot_atomic_dir_open(dir, &ad);
    if (st)
        return st;
    if ((st = write_files(r, ad.tmp_path)) || (st = baiot_atomic_dir_commit(&ad, report_owned))) {
        baiot_atomic_dir_abort(&ad);
        return st;
    }
    baiot_atomic_dir_abort(&ad);
    return BAIOT_OK;
}

void baiot_detect_write_summary_json(const baiot_detect_run *r, const char *dir, FILE *f)
{
    double row_fpr, win_fpr, min_row, min_win;
    int na, nd;
    figures(r, &row_fpr, &win_fpr, &min_row, &min_win, &na, &nd);
    fputs("{\"output\": ", f);
    baiot_json_write_string(f, dir);
    fputs(", \"device\": ", f);
    baiot_json_write_string(f, r->device);
    fputs(", \"method\": ", f);
    baiot_json_write_string(f, r->scorer->ops->method);
    fprintf(f,
            ", \"benign_rows\": %lld, \"dstrn\": %lld, \"warmup_rows\": %lld, \"dsopt\": %lld, \"dstst\": %lld, "
            "\"threshold\": ",
            (long long)r->split.n_benign, (long long)(r->split.n_trn + r->split.n_warmup),
            (long long)r->split.n_warmup, (long long)r->split.n_opt, (long long)r->split.n_tst);
    num(f, r->tr);
    fprintf(f, ", \"window\": %d, \"window_qualified\": %s, \"row_fpr\": ", r->ws, r->ws_qualified ? "true" : "false");
    num(f, row_fpr);
    fputs(", \"window_fpr\": ", f);
    num(f, win_fpr);
    fputs(", \"attacks\": [", f);
    for (int k = 1; k < r->eval.n_kinds; k++) {
        const detect_kind_eval *e = &r->eval.kind[k];
        fputs(k > 1 ? ", {\"name\": " : "{\"name\": ", f);
        baiot_json_write_string(f, e->name);
        fputs(", \"row_tpr\": ", f);
        num(f, rate(e->flagged, e->rows));
        fputs(", \"window_tpr\": ", f);
        num(f, rate(e->alarms, e->windows));
        fputs(", \"detection_rows\": ", f);
        if (e->detect_rows < 0)
            fputs("null", f);
        else
            fprintf(f, "%lld", (long long)e->detect_rows);
        fputc('}', f);
    }
    fputs("], \"seconds\": {\"train\": ", f);
    num(f, r->seconds_train);
    fputs(", \"total\": ", f);
    num(f, r->seconds_total);
    fputs("}}\n", f);
}

void baiot_detect_print_summary(const baiot_detect_run *r, const char *dir, FILE *f)
{
    double row_fpr, win_fpr, min_row, min_win;
    int na, nd;
    figures(r, &row_fpr, &win_fpr, &min_row, &min_win, &na, &nd);
    fprintf(f,
            "%s, %s: %lld benign rows -> DStrn %lld (learnt from: %lld after a warm-up of %lld), DSopt %lld, DStst "
            "%lld (%lld benign + %lld attack)\n",
            r->device, r->scorer->ops->method, (long long)r->split.n_benign,
            (long long)(r->split.n_trn + r->split.n_warmup), (long long)r->split.n_trn,
            (long long)r->split.n_warmup, (long long)r->split.n_opt, (long long)r->split.n_tst,
            (long long)r->split.n_tst_benign, (long long)(r->split.n_tst - r->split.n_tst_benign));
    fprintf(f, "tr* = %.6g, ws* = %d%s; DStst benign FPR %.4f per row, %.4f per window\n", r->tr, r->ws,
            r->ws_qualified ? "" : " (no window free of false alarms on DSopt: the one alarming least)", row_fpr, win_fpr);
    fprintf(f, "attacks detected: %d of %d; smallest TPR %.4f per row, %.4f per window\n", nd, na, min_row, min_win);
    fprintf(f, "trained in %.2f s; report in %s\n", r->seconds_train, dir);
}
