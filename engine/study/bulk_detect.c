/*
 * bulk_detect.c - `bulk --detect`: N-BaIoT's detector (baiot/detect.h)
 * for every device of a store, and optionally one for the devices pooled,
 * as one batch job (baiot/bulk.h), with a summary in the layout of the
 * paper's per-device table and the paper's figures beside ours.
 *
 * Work: the units (devices, then the pool) get owners by baiot_dist_plan
 * (cost: the unit's rows), so under MPI each rank runs its own units;
 * inside a process the units run side by side on the threads (a unit's
 * autoencoder trains on one thread at the default batch, so one device at
 * a time would leave cores idle), each unit with n_threads / workers
 * threads.  While units run the distribution is switched off, so nothing
 * inside a unit (the EM's spread k-means, say) waits for another rank.
 * Each rank writes its units' report folders into the bulk folder's
 * temporary (rank 0 creates it and sends its name); the items then go from
 * each owner to every rank, and rank 0 writes summary.json, summary.md and
 * summary.html (linking each detect.html) and swaps the folder in whole.  Under MPI the ranks must see one file
 * system, as the tasks of a Slurm job's output folder do.
 *
 * Guarantees: a unit's results do not depend on which rank or how many
 * threads ran it (baiot/detect.h), so the reports and the summaries are
 * the same, apart from timings and the rank column, for any thread count
 * and any number of ranks; a unit that fails is recorded with its message
 * and the others still run.  Covered by tests/cli/test_bulk_detect.py.
 */
#include "baiot/bulk.h"

#include "baiot/dist.h"
#include "baiot/nbaiot.h"
#include "baiot/store.h"
#include "engine/study/bulk_devices.h"
#include "io/export/md_html.h"
#include "io/files/atomic_dir.h"
#include "io/files/atomic_file.h"
#include "io/text/json.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

void baiot_bulk_detect_free(baiot_bulk_detect_summary *s)
{
    if (!s)
        return;
    baiot_free(s->items);
    baiot_free(s);
}

/* Rows of each device in the store (for the plan's costs). */
static baiot_status device_rows(const char *path, int64_t *rows)
{
    baiot_store *s = NULL;
    baiot_status st = baiot_store_open(path, &s);
    if (st)
        return st;
    memset(rows, 0, BAIOT_N_DEVICES * sizeof *rows);
    for (int i = 0; i < baiot_store_n_sources(s); i++) {
        const baiot_source_info *si = baiot_store_source(s, i);
        if (si->device < BAIOT_N_DEVICES)
            rows[si->device] += si->rows;
    }
    baiot_store_close(s);
    return BAIOT_OK;
}

typedef struct unit {
    char label[128];
    char devices[1024]; /* the view's device selection */
    int pooled;
    double cost;
} unit;

static void run_unit(const char *store, const unit *u, const baiot_detect_params *p, int threads, int rank,
                     const char *out_dir, const char *write_dir, baiot_bulk_detect_item *it)
{
    baiot_view_params vp = baiot_view_params_default();
    baiot_detect_params dp = *p;
    baiot_detect_run *r = NULL;
    char where[sizeof it->dir];
    double t0 = omp_get_wtime();
    memset(it, 0, sizeof *it);
    snprintf(it->label, sizeof it->label, "%s", u->label);
    snprintf(it->dir, sizeof it->dir, "%s/%s-detect", out_dir, u->label);
    snprintf(where, sizeof where, "%s/%s-detect", write_dir, u->label);
    it->rank = rank;
    vp.devices = u->devices;
    dp.pooled = u->pooled;
    dp.n_threads = threads;
    baiot_status st = baiot_detect(store, &vp, &dp, &r);
    if (!st)
        st = baiot_detect_write_report(r, where);
    if (!st) {
        baiot_detect_get_figures(r, &it->fig);
        it->ok = 1;
    } else {
        snprintf(it->error, sizeof it->error, "%s", *baiot_last_error() ? baiot_last_error() : baiot_strerror(st));
    }
    baiot_detect_run_free(r);
    it->seconds = omp_get_wtime() - t0;
}

/* ------------------------------------------------------------ summaries */

static void num(FILE *f, double x)
{
    if (isfinite(x))
        baiot_json_write_number(f, x);
    else
        fputs("null", f);
}

static const char *report_name(const baiot_bulk_detect_item *it)
{
    const char *slash = strrchr(it->dir, '/');
    return slash ? slash + 1 : it->dir;
}

static baiot_status write_summary_json(const baiot_bulk_detect_summary *sum, const baiot_detect_params *p,
                                       const char *path)
{
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(path, &af);
    if (st)
        return st;
    FILE *f = af.fp;
    fprintf(f, "{\"format\": \"baiot-bulk-detect-summary\", \"version\": 1, \"method\": \"%s\", \"failed\": %d,\n"
               " \"runs\": [",
            p->method == BAIOT_DETECT_AUTOENCODER ? "autoencoder" : "gmm", sum->n_failed);
    for (int i = 0; i < sum->n; i++) {
        const baiot_bulk_detect_item *it = &sum->items[i];
        const baiot_detect_figures *g = &it->fig;
        fputs(i ? ",\n  {\"device\": " : "\n  {\"device\": ", f);
        baiot_json_write_string(f, it->label);
        fputs(", \"report\": ", f);
        baiot_json_write_string(f, report_name(it));
        fprintf(f, ", \"rank\": %d, \"ok\": %s, ", it->rank, it->ok ? "true" : "false");
        if (it->ok) {
            fprintf(f, "\"benign_rows\": %lld, \"dstrn\": %lld, \"dstst_attack\": %lld, \"learning_rate\": ",
                    (long long)g->benign_rows, (long long)g->dstrn, (long long)g->dstst_attack);
            num(f, g->learning_rate);
            fprintf(f, ", \"epochs\": %d, \"clusters\": %d, \"threshold\": ", g->epochs, g->clusters);
            num(f, g->threshold);
            fprintf(f, ", \"window\": %d, \"window_qualified\": %s, \"row_fpr\": ", g->window,
                    g->window_qualified ? "true" : "false");
            num(f, g->row_fpr);
            fputs(", \"window_fpr\": ", f);
            num(f, g->window_fpr);
            fprintf(f, ", \"attacks\": %d, \"attacks_detected\": %d, \"min_row_tpr\": ", g->n_attacks,
                    g->n_detected);
            num(f, g->min_row_tpr);
            fputs(", \"min_window_tpr\": ", f);
            num(f, g->min_window_tpr);
            static const char *const fam[2] = {"bashlite", "mirai"};
            for (int k = 0; k < 2; k++) {
                fprintf(f, ", \"%s\": {\"kinds\": %d, \"row_tpr\": ", fam[k], g->family_kinds[k]);
                num(f, g->family_row_tpr[k]);
                fputs(", \"window_tpr\": ", f);
                num(f, g->family_window_tpr[k]);
                fputs(", \"min_window_tpr\": ", f);
                num(f, g->family_min_window_tpr[k]);
                fputc('}', f);
            }
            fputs(", \"train_seconds\": ", f);
            num(f, g->seconds_train);
        } else {
            fputs("\"error\": ", f);
            baiot_json_write_string(f, it->error);
        }
        fputs(", \"seconds\": ", f);
        num(f, it->seconds);
        fputc('}', f);
    }
    fputs("]}\n", f);
    return baiot_atomic_file_commit(&af);
}

static void pct(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, " %.4f |", x);
    else
        fputs(" n/a |", f);
}

static baiot_status write_summary_md(const baiot_bulk_detect_summary *sum, const baiot_detect_params *p,
                                     const char *path)
{
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(path, &af);
    if (st)
        return st;
    FILE *f = af.fp;
    int ae = p->method == BAIOT_DETECT_AUTOENCODER;
    fprintf(f, "# Bulk detectors: %d data set%s, %s\n\n", sum->n, sum->n == 1 ? "" : "s",
            ae ? "deep autoencoder" : "Gaussian mixture");
    fputs("N-BaIoT's protocol per device (docs/DETECTION.md): benign rows in time order cut into DStrn, DSopt and "
          "DStst's benign third; the detector trained on DStrn; tr* = mean + sd of the DSopt scores; ws* the "
          "smallest majority-vote window without a false alarm on DSopt; rates on DStst (FPR on its benign third, "
          "TPR per attack family, rows and windows of ws* rows).\n\n",
          f);
    fputs("| device | benign rows | training time (s) | learning rate | epochs | tr* | ws* | FPR (rows) | FPR "
          "(windows) | BASHLITE TPR (windows) | Mirai TPR (windows) | worst attack TPR (windows) | attacks detected "
          "| report |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
          f);
    double fpr_sum = 0;
    int fpr_n = 0;
    for (int i = 0; i < sum->n; i++) {
        const baiot_bulk_detect_item *it = &sum->items[i];
        const baiot_detect_figures *g = &it->fig;
        if (!it->ok) {
            fprintf(f, "| %s | | **failed**: %s | | | | | | | | | | | |\n", it->label, it->error);
            continue;
        }
        fprintf(f, "| %s | %lld | %.1f |", it->label, (long long)g->benign_rows, g->seconds_train);
        if (isfinite(g->learning_rate))
            fprintf(f, " %g | %d |", g->learning_rate, g->epochs);
        else
            fprintf(f, " (k = %d) | |", g->clusters);
        fprintf(f, " %.6g | %d%s |", g->threshold, g->window, g->window_qualified ? "" : " (no window free of "
                                                                                       "false alarms)");
        pct(f, g->row_fpr);
        pct(f, g->window_fpr);
        pct(f, g->family_window_tpr[0]);
        pct(f, g->family_window_tpr[1]);
        pct(f, g->min_window_tpr);
        fprintf(f, " %d of %d | [%s/detect.md](%s/detect.md) |\n", g->n_detected, g->n_attacks, report_name(it),
                report_name(it));
        if (strcmp(it->label, "pooled") != 0 && isfinite(g->window_fpr)) {
            fpr_sum += g->window_fpr;
            fpr_n++;
        }
    }
    if (fpr_n)
        fprintf(f, "\nMean window FPR over the %d device%s: %.4f (the paper: 0.007 +- 0.01, every attack detected).\n",
                fpr_n, fpr_n == 1 ? "" : "s", fpr_sum / fpr_n);
    fputs("\n## The paper's figures (Meidan et al. 2018, real N-BaIoT traffic) beside ours\n\n"
          "| device | benign rows (paper) | ours | training s (paper) | ours | learning rate (paper) | ours | epochs "
          "(paper) | ours | tr* (paper) | ours | ws* (paper) | ours |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
          f);
    for (int i = 0; i < sum->n; i++) {
        const baiot_bulk_detect_item *it = &sum->items[i];
        const baiot_detect_paper_row *pr = baiot_detect_paper_row_of(it->label);
        if (!it->ok || !pr)
            continue;
        const baiot_detect_figures *g = &it->fig;
        fprintf(f, "| %s | %lld | %lld | %.0f | %.1f | %g | ", it->label, (long long)pr->benign_rows,
                (long long)g->benign_rows, pr->train_seconds, g->seconds_train, pr->learning_rate);
        if (isfinite(g->learning_rate))
            fprintf(f, "%g | %d | %d |", g->learning_rate, pr->epochs, g->epochs);
        else
            fprintf(f, "n/a | %d | n/a |", pr->epochs);
        fprintf(f, " %g | %.6g | %d | %d |\n", pr->threshold, g->threshold, pr->window, g->window);
    }
    fputs("\nThe paper's tr* is on its own scaling of the real traffic; ours is on simulated or given data with "
          "the scaling of docs/DETECTION.md, so tr* values compare in kind, not in value.\n",
          f);
    if (sum->n_failed)
        fprintf(f, "\n%d of %d failed.\n", sum->n_failed, sum->n);
    return baiot_atomic_file_commit(&af);
}

/* ------------------------------------------------------------ the run */

static baiot_status make_units(const char *store, const char *devices, int pooled, unit **out, int *n_out)
{
    int mask[BAIOT_N_DEVICES];
    int64_t rows[BAIOT_N_DEVICES];
    baiot_status st;
    *out = NULL;
    *n_out = 0;
    if ((st = baiot_bulk_device_mask(store, devices, mask)) || (st = device_rows(store, rows)))
        return st;
    unit *u = baiot_calloc(BAIOT_N_DEVICES + 1, sizeof *u);
    if (!u)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    int n = 0;
    double all = 0;
    size_t used = 0;
    char list[1024] = "";
    for (int d = 0; d < BAIOT_N_DEVICES; d++) {
        if (!mask[d])
            continue;
        snprintf(u[n].label, sizeof u[n].label, "%s", baiot_device_names[d]);
        snprintf(u[n].devices, sizeof u[n].devices, "%s", baiot_device_names[d]);
        u[n].cost = (double)rows[d];
        all += u[n].cost;
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%d", n ? "," : "", d + 1);
        n++;
    }
    if (n == 0) {
        baiot_free(u);
        return baiot_fail(BAIOT_ERR_ARG, "'%s' has no devices to run", store);
    }
    if (pooled) {
        snprintf(u[n].label, sizeof u[n].label, "pooled");
        snprintf(u[n].devices, sizeof u[n].devices, "%s", list);
        u[n].pooled = 1;
        u[n].cost = all;
        n++;
    }
    *out = u;
    *n_out = n;
    return BAIOT_OK;
}

baiot_status baiot_bulk_detect_run(const char *store_path, const char *devices, int pooled,
                                   const baiot_detect_params *p, int n_threads, const char *out_dir,
                                   baiot_bulk_detect_summary **out)
{
    unit *units = NULL;
    int n = 0, rank = baiot_dist_rank();
    char tmp[4096];
    baiot_status st;
    *out = NULL;
    if (!baiot_store_is_store(store_path))
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is not a store: bulk --detect runs over the devices of a store "
                          "(make one with baiot ingest or baiot synth)", store_path);
    const char *msg = baiot_detect_params_check(p);
    if (msg)
        return baiot_fail(BAIOT_ERR_ARG, "%s", msg);
    if ((st = make_units(store_path, devices, pooled, &units, &n)))
        return st;
    atomic_dir ad;
    memset(&ad, 0, sizeof ad);
    memset(tmp, 0, sizeof tmp);
    if (rank == 0) {
        st = baiot_atomic_dir_open_tree(out_dir, "summary.json", &ad);
        if (!st && snprintf(tmp, sizeof tmp, "%s", ad.tmp_path) >= (int)sizeof tmp)
            st = baiot_fail(BAIOT_ERR_ARG, "output folder name too long");
        if (st && baiot_dist_size() > 1)
            baiot_dist_check(st); /* ends the job: the other ranks wait for the folder's name */
        if (st) {
            baiot_atomic_dir_abort(&ad);
            baiot_free(units);
            return st;
        }
    }
    baiot_dist_bcast(tmp, sizeof tmp, 0);
    baiot_bulk_detect_summary *sum = baiot_calloc(1, sizeof *sum);
    if (!sum || !(sum->items = baiot_calloc((size_t)n, sizeof *sum->items))) {
        baiot_free(sum);
        baiot_free(units);
        baiot_atomic_dir_abort(&ad);
        return baiot_dist_check(baiot_fail(BAIOT_ERR_MEMORY, "out of memory"));
    }
    sum->n = n;
    int owner[BAIOT_N_DEVICES + 1], mine[BAIOT_N_DEVICES + 1], n_mine = 0;
    double cost[BAIOT_N_DEVICES + 1];
    for (int i = 0; i < n; i++)
        cost[i] = units[i].cost;
    baiot_dist_plan(cost, n, NULL, owner);
    for (int i = 0; i < n; i++)
        if (owner[i] == rank)
            mine[n_mine++] = i;
    /* the costliest first (the pool, the largest devices), so the side by
     * side units end together; the order changes no result */
    for (int a = 1; a < n_mine; a++)
        for (int b = a; b > 0 && cost[mine[b]] > cost[mine[b - 1]]; b--) {
            int t = mine[b];
            mine[b] = mine[b - 1];
            mine[b - 1] = t;
        }
    int threads = n_threads > 0 ? n_threads : omp_get_max_threads();
    int workers = n_mine < threads ? n_mine : threads;
    if (workers < 1)
        workers = 1;
    int per_unit = threads / workers > 0 ? threads / workers : 1;
    /* units run alone: no collective inside them; BLAS single-threaded
     * under the side-by-side units; nested regions for their threads */
    const baiot_dist_ops *dist = baiot_dist_get();
    baiot_dist_set(NULL);
    int saved_blas = openblas_get_num_threads(), saved_levels = omp_get_max_active_levels();
    if (workers > 1)
        openblas_set_num_threads(1);
    if (per_unit > 1 && workers > 1)
        omp_set_max_active_levels(2);
    baiot_bulk_detect_item *items = sum->items;
#pragma omp parallel for schedule(dynamic, 1) num_threads(workers) default(none) \
    shared(n_mine, mine, units, store_path, p, per_unit, rank, out_dir, tmp, items)
    for (int m = 0; m < n_mine; m++)
        run_unit(store_path, &units[mine[m]], p, per_unit, rank, out_dir, tmp, &items[mine[m]]);
    openblas_set_num_threads(saved_blas);
    omp_set_max_active_levels(saved_levels);
    baiot_dist_set(dist);
    for (int i = 0; i < n; i++) {
        baiot_dist_bcast(&sum->items[i], sizeof sum->items[i], owner[i]);
        sum->items[i].fig.method = p->method == BAIOT_DETECT_AUTOENCODER ? "autoencoder" : "gmm";
        sum->n_failed += !sum->items[i].ok;
    }
    baiot_free(units);
    if (rank != 0) {
        *out = sum;
        return BAIOT_OK;
    }
    char path[4200];
    if (snprintf(path, sizeof path, "%s/summary.json", tmp) >= (int)sizeof path ||
        (st = write_summary_json(sum, p, path)) ||
        snprintf(path, sizeof path, "%s/summary.md", tmp) >= (int)sizeof path || (st = write_summary_md(sum, p, path)) ||
        (st = baiot_md_html_beside(path)) ||
        (st = baiot_atomic_dir_commit(&ad, NULL))) {
        if (!st)
            st = baiot_fail(BAIOT_ERR_ARG, "output folder name too long");
        baiot_atomic_dir_abort(&ad);
        baiot_bulk_detect_free(sum);
        return st;
    }
    *out = sum;
    return BAIOT_OK;
}
