/*
 * bulk.c - the study's pipeline over the devices of a store (bulk.h): one
 * device at a time, every thread on it; each device's report in its own
 * folder; summary.json, summary.md and summary.html (summary.md as a page
 * linking each report.html; through temporary names) at the end, listing
 * failures with their messages.  In a job spread over MPI
 * ranks every rank runs every device together (the units inside a device
 * are spread) and rank 0 alone writes.
 * Covered by tests/cli/test_study.py, tests/cli/test_mpi.py and
 * tests/cli/test_slurm.sh.
 */
#include "baiot/bulk.h"
#include "engine/study/bulk_devices.h"

#include "baiot/dist.h"
#include "baiot/nbaiot.h"
#include "baiot/progress.h"
#include "engine/study/study_facts.h"
#include "io/files/make_dir.h"
#include "io/files/atomic_file.h"
#include "io/export/md_html.h"
#include "io/files/atomic_dir.h"
#include "io/text/json.h"

#include <omp.h>
#include <stdio.h>
#include <string.h>

void baiot_bulk_free(baiot_bulk_summary *s)
{
    if (!s)
        return;
    baiot_free(s->items);
    baiot_free(s);
}

baiot_status baiot_bulk_device_mask(const char *store_path, const char *devices, int *mask)
{
    if (devices && *devices && strcmp(devices, "all") != 0)
        return baiot_devices_parse(devices, mask);
    baiot_store *store = NULL;
    baiot_status st = baiot_store_open(store_path, &store);
    if (st)
        return st;
    memset(mask, 0, BAIOT_N_DEVICES * sizeof *mask);
    for (int i = 0; i < baiot_store_n_sources(store); i++) {
        const baiot_source_info *src = baiot_store_source(store, i);
        if (src->device < BAIOT_N_DEVICES && src->rows > 0)
            mask[src->device] = 1;
    }
    baiot_store_close(store);
    return BAIOT_OK;
}

/* One device's study; its report goes into write_dir (the bulk folder's
 * temporary), and it->dir names where it will be once the bulk folder is
 * in place (out_dir). */
static void run_one(const char *store_path, const char *devices, const char *label, const baiot_study_params *p,
                    const char *out_dir, const char *write_dir, baiot_bulk_item *it)
{
    char where[sizeof it->dir];
    baiot_study_params sp = *p;
    baiot_study *s = NULL;
    double t0 = omp_get_wtime();
    memset(it, 0, sizeof *it);
    snprintf(it->label, sizeof it->label, "%s", label);
    snprintf(it->dir, sizeof it->dir, "%s/%s-%s", out_dir, label, baiot_task_name(p->view.task));
    snprintf(where, sizeof where, "%s/%s-%s", write_dir ? write_dir : out_dir, label, baiot_task_name(p->view.task));
    sp.view.devices = devices;
    baiot_status st = baiot_study_run(store_path, &sp, &s);
    if (!st && baiot_dist_rank() == 0) /* rank 0 is the only writer */
        st = baiot_study_write_report(s, where);
    it->seconds = omp_get_wtime() - t0;
    if (st) {
        snprintf(it->error, sizeof it->error, "%s", *baiot_last_error() ? baiot_last_error() : baiot_strerror(st));
        baiot_study_free(s);
        return;
    }
    it->ok = 1;
    it->rows = s->view->n_rows;
    it->top = s->top;
    size_t used = 0;
    for (int j = 0; j < s->top && used < sizeof it->columns; j++)
        used += (size_t)snprintf(it->columns + used, sizeof it->columns - used, "%s%s", j ? "," : "",
                                 s->view->attrs[j].name);
    it->j48_accuracy = baiot_study_j48_accuracy(s);
    it->em_accuracy = baiot_study_em_accuracy(s);
    baiot_study_free(s);
}

static baiot_status write_summary_json(const baiot_bulk_summary *sum, const baiot_study_params *p, const char *path)
{
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(path, &af);
    if (st)
        return st;
    FILE *f = af.fp;
    fprintf(f, "{\"format\": \"baiot-bulk-summary\", \"version\": 1, \"task\": \"%s\", \"failed\": %d,\n \"runs\": [",
            baiot_task_name(p->view.task), sum->n_failed);
    for (int i = 0; i < sum->n; i++) {
        const baiot_bulk_item *it = &sum->items[i];
        fputs(i ? ",\n  {\"device\": " : "\n  {\"device\": ", f);
        baiot_json_write_string(f, it->label);
        fputs(", \"report\": ", f);
        baiot_json_write_string(f, it->dir);
        fprintf(f, ", \"ok\": %s, ", it->ok ? "true" : "false");
        if (it->ok) {
            fprintf(f, "\"rows\": %lld, \"selected_columns\": [", (long long)it->rows);
            const char *c = it->columns;
            for (int j = 0; *c; j++) {
                const char *e = strchr(c, ',');
                size_t len = e ? (size_t)(e - c) : strlen(c);
                char name[256];
                snprintf(name, sizeof name, "%.*s", (int)len, c);
                fputs(j ? ", " : "", f);
                baiot_json_write_string(f, name);
                c += len + (e ? 1 : 0);
            }
            fputs("], \"j48_accuracy\": ", f);
            baiot_json_write_number(f, it->j48_accuracy);
            fputs(", \"em_accuracy\": ", f);
            baiot_json_write_number(f, it->em_accuracy);
        } else {
            fputs("\"error\": ", f);
            baiot_json_write_string(f, it->error);
        }
        fputs(", \"seconds\": ", f);
        baiot_json_write_number(f, it->seconds);
        fputc('}', f);
    }
    fputs("]}\n", f);
    return baiot_atomic_file_commit(&af);
}

/* The report folder's name inside the bulk folder ("<label>-<task>"):
 * summary.md sits beside the report folders, so its links are relative to
 * that folder, not to where baiot was started. */
static const char *report_name(const baiot_bulk_item *it)
{
    const char *slash = strrchr(it->dir, '/');
    return slash ? slash + 1 : it->dir;
}

static baiot_status write_summary_md(const baiot_bulk_summary *sum, const baiot_study_params *p, const char *path)
{
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(path, &af);
    if (st)
        return st;
    FILE *f = af.fp;
    fprintf(f, "# Bulk run: %d data set%s, task %s\n\n", sum->n, sum->n == 1 ? "" : "s",
            baiot_task_name(p->view.task));
    fprintf(f, "Each row is the study's pipeline (OneR top %d, J48 %d-fold CV, EM) on one device", p->top, p->folds);
    if (p->view.task == BAIOT_TASK_3CLASS && p->top == STUDY_PUBLISHED_TOP && p->folds == STUDY_PUBLISHED_FOLDS)
        fprintf(f, "; the study's figures on the real Provision_PT_737E: J48 %.2f %%, EM %.2f %%.\n\n",
                baiot_study_published_j48_accuracy, baiot_study_published_em_accuracy);
    else
        fprintf(f, " (not the study's setting of 3 classes, top 10, 10 folds: its figures are not shown).\n\n");
    fprintf(f, "| device | rows | selected columns | J48 accuracy (%%) | EM accuracy (%%) | time (s) | report |\n"
               "|---|---:|---|---:|---:|---:|---|\n");
    for (int i = 0; i < sum->n; i++) {
        const baiot_bulk_item *it = &sum->items[i];
        if (it->ok)
            fprintf(f, "| %s | %lld | %s | %.4f | %.2f | %.1f | [%s/report.md](%s/report.md) |\n", it->label,
                    (long long)it->rows, it->columns, it->j48_accuracy, it->em_accuracy, it->seconds,
                    report_name(it), report_name(it));
        else
            fprintf(f, "| %s | | **failed**: %s | | | %.1f | |\n", it->label, it->error, it->seconds);
    }
    if (sum->n_failed)
        fprintf(f, "\n%d of %d failed.\n", sum->n_failed, sum->n);
    return baiot_atomic_file_commit(&af);
}

baiot_status baiot_bulk_run(const char *store_path, const char *devices, int pooled, const baiot_study_params *p,
                            const char *out_dir, baiot_bulk_summary **out)
{
    int mask[BAIOT_N_DEVICES];
    char path[4096];
    *out = NULL;
    if (!baiot_store_is_store(store_path))
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is not a store: bulk runs over the devices of a store "
                          "(make one with baiot ingest or baiot synth)", store_path);
    baiot_status st = baiot_bulk_device_mask(store_path, devices, mask);
    if (st)
        return st;
    int n = pooled;
    for (int d = 0; d < BAIOT_N_DEVICES; d++)
        n += mask[d];
    if (n == 0)
        return baiot_fail(BAIOT_ERR_ARG, "'%s' has no devices to run", store_path);
    /* the whole bulk folder is built under a temporary name and swapped in
     * at the end: readers see the earlier run or this one, never a mix */
    atomic_dir ad;
    memset(&ad, 0, sizeof ad);
    if (baiot_dist_rank() == 0 && (st = baiot_atomic_dir_open_tree(out_dir, "summary.json", &ad)))
        return st;
    baiot_bulk_summary *sum = baiot_calloc(1, sizeof *sum);
    if (!sum || !(sum->items = baiot_calloc((size_t)n, sizeof *sum->items))) {
        baiot_free(sum);
        baiot_atomic_dir_abort(&ad);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    for (int d = 0; d < BAIOT_N_DEVICES; d++) {
        if (!mask[d])
            continue;
        baiot_progress("bulk", "devices", sum->n, n);
        run_one(store_path, baiot_device_names[d], baiot_device_names[d], p, out_dir, ad.tmp_path,
                &sum->items[sum->n++]);
    }
    if (pooled) {
        baiot_progress("bulk", "devices", sum->n, n);
        run_one(store_path, devices && *devices ? devices : "all", "pooled", p, out_dir, ad.tmp_path,
                &sum->items[sum->n++]);
    }
    baiot_progress("bulk", "devices", sum->n, n);
    for (int i = 0; i < sum->n; i++)
        sum->n_failed += !sum->items[i].ok;
    if (baiot_dist_rank() != 0) {
        *out = sum;
        return BAIOT_OK;
    }
    if (snprintf(path, sizeof path, "%s/summary.json", ad.tmp_path) >= (int)sizeof path ||
        (st = write_summary_json(sum, p, path)) ||
        snprintf(path, sizeof path, "%s/summary.md", ad.tmp_path) >= (int)sizeof path ||
        (st = write_summary_md(sum, p, path)) ||
        (st = baiot_md_html_beside(path)) || (st = baiot_atomic_dir_commit(&ad, NULL))) {
        if (!st)
            st = baiot_fail(BAIOT_ERR_ARG, "output folder name too long");
        baiot_atomic_dir_abort(&ad);
        baiot_bulk_free(sum);
        return st;
    }
    *out = sum;
    return BAIOT_OK;
}
