/*
 * detect.c - the detector's protocol on one device (baiot/detect.h): load
 * the device's rows, split them (detect_split.c), standardise on DStrn
 * (detect_scale.c), fit the scorer on DStrn (detect_scorer.h; the Gaussian
 * mixture of detect_gmm.c), score DStrn, DSopt and DStst, set tr* and ws*
 * on DSopt (baiot_detect_threshold.c) and evaluate DStst (detect_eval.c).  The
 * report is written by detect_report.c.
 *
 * Which device: a store must hold one device or have one chosen with
 * --device (a list or "all" is refused: the protocol is per device); an
 * N-BaIoT CSV or an ARFF file is one device's traffic, named after the
 * first device name its path contains.  Classes: stores and CSV files are
 * read with the 11class task (benign and the ten attacks); an ARFF file's
 * class must have a value "benign", every other value is an attack kind.
 * baiot_detect_view runs the same protocol on a view the caller made (the
 * Python package's detectors), and baiot_detect_run_score /
 * baiot_detect_run_save score new rows and write the detector file from
 * such a run.
 *
 * Guarantees: nothing is written; the run is identical for any thread
 * count apart from its timings; DStst is scaled and scored in blocks of
 * DETECT_TST_CHUNK rows, so memory stays near the view's size.  Covered by
 * tests/cli/test_detect.py; the view entry points by
 * tests/python/test_detect.py (the same tr*, ws* and file as the CLI).
 */
#include "engine/detect/detect_internal.h"

#include "baiot/em.h"
#include "baiot/nbaiot.h"
#include "baiot/store.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DETECT_TST_CHUNK 65536

baiot_detect_params baiot_detect_params_default(void)
{
    baiot_detect_params p;
    p.method = BAIOT_DETECT_GMM;
    p.clusters = 0;
    p.covariance = BAIOT_EM_COV_DIAG;
    p.seed = 100;
    p.n_threads = 0;
    p.max_window = 1000;
    p.warmup = BAIOT_DETECT_WARMUP_AUTO;
    p.lr = 0;
    p.epochs = 0;
    p.batch = 0;
    p.pooled = 0;
    return p;
}

const char *baiot_detect_params_check(const baiot_detect_params *p)
{
    if (p->method != BAIOT_DETECT_GMM && p->method != BAIOT_DETECT_AUTOENCODER)
        return "the method must be gmm or autoencoder";
    if (p->clusters < 0 || p->clusters > 256)
        return "the number of clusters must be 1..256, or 0 (chosen on DSopt)";
    if (p->covariance != BAIOT_EM_COV_DIAG && p->covariance != BAIOT_EM_COV_FULL)
        return "the covariance must be diag or full";
    if (p->max_window < 1 || p->max_window > 1000000)
        return "the largest window must be 1..1000000";
    if (p->warmup < BAIOT_DETECT_WARMUP_AUTO)
        return "the warm-up must be auto, none or a number of rows";
    if (!(p->lr >= 0 && p->lr <= 10)) /* 0: the default */
        return "the learning rate must be in (0, 10], or 0 (the paper's, or chosen on DSopt)";
    if (p->epochs < 0 || p->epochs > 100000)
        return "the epochs must be 1..100000, or 0 (the paper's, or until the DSopt MSE stops falling)";
    if (p->batch < 0 || p->batch > 1000000)
        return "the batch must be 1..1000000 rows, or 0 (32)";
    return NULL;
}

void baiot_detect_run_free(baiot_detect_run *r)
{
    if (!r)
        return;
    baiot_free(r->data_path);
    baiot_free(r->device);
    baiot_free(r->method_name);
    baiot_free(r->pool_devices);
    for (int j = 0; r->col_names && j < r->d; j++)
        baiot_free(r->col_names[j]);
    baiot_free(r->col_names);
    for (int c = 0; r->class_names && c < r->n_classes; c++)
        baiot_free(r->class_names[c]);
    baiot_free(r->class_names);
    baiot_detect_split_free(&r->split);
    baiot_detect_scale_free(&r->scale);
    baiot_detect_scorer_free(r->scorer);
    baiot_free(r->opt_score);
    baiot_free(r->tst_score);
    baiot_free(r->opt_flag);
    baiot_free(r->tst_y);
    baiot_detect_eval_free(&r->eval);
    baiot_free(r);
}

const char *baiot_detect_device(const baiot_detect_run *r)
{
    return r->device;
}

/* The one device of a store: the one named by spec, else the store's only
 * device. */
static baiot_status store_device(const char *path, const char *spec, int *dev)
{
    int mask[BAIOT_N_DEVICES], n = 0;
    baiot_status st;
    if (spec && *spec && strcmp(spec, "all") != 0) {
        if ((st = baiot_devices_parse(spec, mask)))
            return st;
        for (int i = 0; i < BAIOT_N_DEVICES; i++)
            if (mask[i]) {
                *dev = i;
                n++;
            }
        if (n != 1)
            return baiot_fail(BAIOT_ERR_ARG, "the detector is trained per device: give one device with --device, not %d",
                              n);
        return BAIOT_OK;
    }
    baiot_store *s = NULL;
    if ((st = baiot_store_open(path, &s)))
        return st;
    memset(mask, 0, sizeof mask);
    for (int i = 0; i < baiot_store_n_sources(s); i++) {
        int d = baiot_store_source(s, i)->device;
        if (d < BAIOT_N_DEVICES && !mask[d]) {
            mask[d] = 1;
            *dev = d;
            n++;
        }
    }
    baiot_store_close(s);
    if (n != 1)
        return baiot_fail(BAIOT_ERR_ARG,
                          "'%s' holds %d devices: the detector is trained per device, choose one with --device", path,
                          n);
    return BAIOT_OK;
}

static char *device_in_path(const char *path)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (int i = 0; i < BAIOT_N_DEVICES; i++)
        if (strstr(path, baiot_device_names[i]) && strlen(baiot_device_names[i]) > best_len) {
            best = baiot_device_names[i];
            best_len = strlen(best);
        }
    return baiot_strdup(best ? best : "unknown");
}

/* The device index of each row of a pooled view (the store's sources of
 * the selected devices, in store order, as baiot_view_load reads them);
 * *n_groups: the devices met. */
static baiot_status pooled_groups(const char *path, const char *devices, int64_t n_rows, int **out, int *n_groups)
{
    int mask[BAIOT_N_DEVICES], gid[BAIOT_N_DEVICES];
    baiot_store *s = NULL;
    baiot_status st;
    *out = NULL;
    *n_groups = 0;
    if ((st = baiot_devices_parse(devices, mask)) || (st = baiot_store_open(path, &s)))
        return st;
    int *g = baiot_malloc((size_t)(n_rows > 0 ? n_rows : 1) * sizeof *g);
    int64_t at = 0;
    for (int i = 0; i < BAIOT_N_DEVICES; i++)
        gid[i] = -1;
    for (int i = 0; g && i < baiot_store_n_sources(s); i++) {
        const baiot_source_info *si = baiot_store_source(s, i);
        if (si->device >= BAIOT_N_DEVICES || !mask[si->device] || si->rows == 0)
            continue;
        if (gid[si->device] < 0)
            gid[si->device] = (*n_groups)++;
        for (int64_t r = 0; r < si->rows && at + r < n_rows; r++)
            g[at + r] = gid[si->device];
        at += si->rows;
    }
    baiot_store_close(s);
    if (!g)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if (at != n_rows) {
        baiot_free(g);
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the sources of the devices hold %lld rows, the view %lld", path,
                          (long long)at, (long long)n_rows);
    }
    *out = g;
    return BAIOT_OK;
}

/* Scales rows idx[0..n) of v and scores them into out, DETECT_TST_CHUNK
 * rows at a time. */
static baiot_status score_rows(const baiot_detect_run *r, const baiot_view *v, const int64_t *idx, int64_t n,
                               double *out)
{
    int64_t cap = n < DETECT_TST_CHUNK ? n : DETECT_TST_CHUNK;
    double *x = baiot_malloc((size_t)(cap > 0 ? cap : 1) * (size_t)r->d * sizeof *x);
    baiot_status st = BAIOT_OK;
    if (!x)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int64_t a = 0; a < n && !st; a += cap) {
        int64_t m = n - a < cap ? n - a : cap;
        if (!(st = baiot_detect_scale_apply(&r->scale, (const double *const *)v->cols, (const char *const *)r->col_names,
                                      idx + a, m, x)))
            st = baiot_detect_scorer_score_all(r->scorer, x, m, m, r->params.n_threads, out + a);
    }
    baiot_free(x);
    return st;
}

/* The scorer of r->params.method on DStrn (xtrn) and DSopt (xopt); the
 * autoencoder's learning rate and epochs default to the paper's for one
 * of the nine devices (detect_facts.c). */
static baiot_status fit_scorer(baiot_detect_run *r, const double *xtrn, const double *xopt)
{
    const detect_split *sp = &r->split;
    baiot_status st;
    if (r->params.method == BAIOT_DETECT_GMM) {
        detect_gmm_params gp = {r->params.clusters, r->params.covariance, r->params.seed, r->params.n_threads};
        if ((st = baiot_detect_gmm_fit(xtrn, sp->n_trn, xopt, sp->n_opt, r->d, (const char *const *)r->col_names,
                                       &gp, NULL, &r->scorer)))
            baiot_fail_context(st, "fitting the Gaussian mixture on DStrn of %s: ", r->data_path);
        return st;
    }
    const detect_paper_row *paper = baiot_detect_paper_row_of(r->device);
    detect_ae_params ap = {r->params.lr, r->params.epochs, r->params.batch, (uint64_t)r->params.seed,
                           r->params.n_threads, "given", "given"};
    if (ap.lr <= 0 && paper) {
        ap.lr = paper->learning_rate;
        ap.lr_source = "published (Meidan et al. 2018)";
    }
    if (ap.epochs <= 0 && paper) {
        ap.epochs = paper->epochs;
        ap.epochs_source = "published (Meidan et al. 2018)";
    }
    if ((st = baiot_detect_ae_fit(xtrn, sp->n_trn, xopt, sp->n_opt, r->d, &ap, &r->scorer)))
        baiot_fail_context(st, "training the autoencoder on DStrn of %s: ", r->data_path);
    return st;
}

static baiot_status run_protocol(baiot_detect_run *r, const baiot_view *v)
{
    baiot_status st;
    detect_split *sp = &r->split;
    double *xtrn = NULL, *xopt = NULL, *trn_score = NULL;
    if (r->params.pooled) {
        int *group = NULL, n_groups = 0;
        if ((st = pooled_groups(r->data_path, r->pool_devices, v->n_rows, &group, &n_groups)))
            return st;
        st = baiot_detect_split_make_groups(v->y, group, n_groups, v->n_rows, r->benign_class, r->data_path, sp);
        baiot_free(group);
    } else {
        st = baiot_detect_split_make(v->y, v->n_rows, r->benign_class, r->data_path, sp);
    }
    if (st)
        return st;
    {
        /* the extractor's warm-up (none for a pool: each device's DStrn
         * would need its own) */
        const double *opening = NULL;
        for (int j = 0; j < r->d && r->col_names; j++)
            if (r->col_names[j] && !strcmp(r->col_names[j], DETECT_OPENING_COLUMN))
                opening = v->cols[j];
        if ((st = baiot_detect_split_warmup(sp, r->params.pooled ? 0 : r->params.warmup, opening, r->data_path)))
            return st;
    }
    if ((st = baiot_detect_scale_fit((const double *const *)v->cols, r->d, sp->trn, sp->n_trn, &r->scale)))
        return st;
    xtrn = baiot_malloc((size_t)sp->n_trn * r->d * sizeof *xtrn);
    xopt = baiot_malloc((size_t)sp->n_opt * r->d * sizeof *xopt);
    trn_score = baiot_malloc((size_t)sp->n_trn * sizeof *trn_score);
    r->opt_score = baiot_malloc((size_t)sp->n_opt * sizeof *r->opt_score);
    r->opt_flag = baiot_malloc((size_t)sp->n_opt);
    r->tst_score = baiot_malloc((size_t)(sp->n_tst > 0 ? sp->n_tst : 1) * sizeof *r->tst_score);
    r->tst_y = baiot_malloc((size_t)(sp->n_tst > 0 ? sp->n_tst : 1) * sizeof *r->tst_y);
    if (!xtrn || !xopt || !trn_score || !r->opt_score || !r->opt_flag || !r->tst_score || !r->tst_y) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    const char *const *names = (const char *const *)r->col_names;
    if ((st = baiot_detect_scale_apply(&r->scale, (const double *const *)v->cols, names, sp->trn, sp->n_trn, xtrn)) ||
        (st = baiot_detect_scale_apply(&r->scale, (const double *const *)v->cols, names, sp->opt, sp->n_opt, xopt)))
        goto done;
    double t0 = omp_get_wtime();
    if ((st = fit_scorer(r, xtrn, xopt)))
        goto done;
    r->seconds_train = omp_get_wtime() - t0;
    t0 = omp_get_wtime();
    if ((st = baiot_detect_scorer_score_all(r->scorer, xtrn, sp->n_trn, sp->n_trn, r->params.n_threads, trn_score)) ||
        (st = baiot_detect_scorer_score_all(r->scorer, xopt, sp->n_opt, sp->n_opt, r->params.n_threads, r->opt_score)) ||
        (st = score_rows(r, v, sp->tst, sp->n_tst, r->tst_score)))
        goto done;
    r->seconds_score = omp_get_wtime() - t0;
    double sum = 0;
    for (int64_t i = 0; i < sp->n_trn; i++)
        sum += trn_score[i];
    r->train_mean_score = sum / (double)sp->n_trn;
    for (int64_t i = 0; i < sp->n_opt; i++)
        if (!isfinite(r->opt_score[i])) {
            st = baiot_fail(BAIOT_ERR_NUMERIC, "the score of DSopt row %lld (row %lld of the data) is not finite",
                            (long long)i + 1, (long long)sp->opt[i] + 1);
            goto done;
        }
    r->tr = baiot_detect_threshold(r->opt_score, sp->n_opt);
    r->opt_flagged = 0;
    for (int64_t i = 0; i < sp->n_opt; i++) {
        r->opt_flag[i] = r->opt_score[i] > r->tr;
        r->opt_flagged += r->opt_flag[i];
    }
    r->ws = baiot_detect_window(r->opt_flag, sp->n_opt, r->params.max_window, &r->ws_qualified);
    r->opt_alarms = baiot_detect_window_alarms(r->opt_flag, sp->n_opt, r->ws, NULL);
    for (int64_t i = 0; i < sp->n_tst; i++)
        r->tst_y[i] = v->y[sp->tst[i]];
    st = baiot_detect_eval_run(sp->tst, r->tst_score, sp->n_tst, r->tst_y, (const char *const *)r->class_names,
                         r->n_classes, r->benign_class, r->tr, r->ws, &r->eval);
done:
    baiot_free(xtrn);
    baiot_free(xopt);
    baiot_free(trn_score);
    return st;
}

/* Copies v's column and class names into r, finds the benign class and
 * runs the protocol on v; data names the rows in messages. */
static baiot_status run_on_view(baiot_detect_run *r, const baiot_view *v, const char *data)
{
    r->n_rows = v->n_rows;
    r->d = v->n_cols;
    r->n_classes = v->n_classes;
    r->benign_class = -1;
    if (r->d < 1)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s has no columns to learn from", data);
    r->col_names = baiot_calloc((size_t)r->d, sizeof *r->col_names);
    r->class_names = baiot_calloc((size_t)(r->n_classes > 0 ? r->n_classes : 1), sizeof *r->class_names);
    if (!r->col_names || !r->class_names)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int j = 0; j < r->d; j++) {
        if (v->attrs[j].kind != BAIOT_ATTR_NUMERIC)
            return baiot_fail(BAIOT_ERR_FORMAT, "%s: column '%s' is nominal; the detector reads numeric columns only",
                              data, v->attrs[j].name);
        if (!(r->col_names[j] = baiot_strdup(v->attrs[j].name)))
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    for (int c = 0; c < r->n_classes; c++) {
        if (!(r->class_names[c] = baiot_strdup(v->class_names[c])))
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        if (r->benign_class < 0 && strcasecmp(v->class_names[c], "benign") == 0)
            r->benign_class = c;
    }
    if (r->n_classes > DETECT_MAX_KINDS)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s has %d classes; the detector's report takes at most %d kinds of traffic",
                          data, r->n_classes, DETECT_MAX_KINDS);
    return run_protocol(r, v);
}

baiot_status baiot_detect(const char *data, const baiot_view_params *vp_in, const baiot_detect_params *p,
                          baiot_detect_run **out)
{
    double t_start = omp_get_wtime();
    baiot_view_params vp = *vp_in;
    baiot_view *v = NULL;
    baiot_status st;
    *out = NULL;
    const char *msg = baiot_detect_params_check(p);
    if (msg)
        return baiot_fail(BAIOT_ERR_ARG, "%s", msg);
    baiot_detect_run *r = baiot_calloc(1, sizeof *r);
    if (!r)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    r->params = *p;
    r->threads = p->n_threads > 0 ? p->n_threads : omp_get_max_threads();
    r->format = baiot_data_format_of(data);
    r->data_path = baiot_strdup(data);
    r->method_name = baiot_strdup(p->method == BAIOT_DETECT_AUTOENCODER ? "autoencoder" : "gmm");
    if (!r->data_path || !r->method_name) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    if (p->pooled && r->format != BAIOT_DATA_STORE) {
        st = baiot_fail(BAIOT_ERR_ARG, "'%s': a pooled detector is made from the devices of a store", data);
        goto fail;
    }
    if (p->pooled) {
        r->device = baiot_strdup("pooled");
        r->pool_devices = baiot_strdup(vp.devices && *vp.devices ? vp.devices : "all");
        if (!r->pool_devices) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto fail;
        }
    } else if (r->format == BAIOT_DATA_STORE) {
        int dev = -1;
        if ((st = store_device(data, vp.devices, &dev)))
            goto fail;
        vp.devices = baiot_device_names[dev];
        r->device = baiot_strdup(baiot_device_names[dev]);
    } else {
        r->device = device_in_path(data);
    }
    if (!r->device) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    if (r->format != BAIOT_DATA_ARFF)
        vp.task = BAIOT_TASK_11CLASS;
    if ((st = baiot_view_load(data, &vp, &v)))
        goto fail;
    r->seconds_load = omp_get_wtime() - t_start;
    if ((st = run_on_view(r, v, data)))
        goto fail;
    baiot_view_free(v);
    r->seconds_total = omp_get_wtime() - t_start;
    *out = r;
    return BAIOT_OK;
fail:
    baiot_view_free(v);
    baiot_detect_run_free(r);
    return st;
}

baiot_status baiot_detect_view(const baiot_view *v, const char *what, const char *device, const baiot_detect_params *p,
                               baiot_detect_run **out)
{
    double t_start = omp_get_wtime();
    baiot_status st;
    *out = NULL;
    const char *msg = baiot_detect_params_check(p);
    if (msg)
        return baiot_fail(BAIOT_ERR_ARG, "%s", msg);
    if (p->pooled)
        return baiot_fail(BAIOT_ERR_ARG, "a pooled detector is made from the devices of a store (baiot_detect)");
    baiot_detect_run *r = baiot_calloc(1, sizeof *r);
    if (!r)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    r->params = *p;
    r->threads = p->n_threads > 0 ? p->n_threads : omp_get_max_threads();
    r->format = v->format;
    r->data_path = baiot_strdup(what ? what : "arrays");
    r->method_name = baiot_strdup(p->method == BAIOT_DETECT_AUTOENCODER ? "autoencoder" : "gmm");
    r->device = baiot_strdup(device ? device : "unknown");
    if (!r->data_path || !r->method_name || !r->device) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    if ((st = run_on_view(r, v, r->data_path)))
        goto fail;
    r->seconds_load = 0;
    r->seconds_total = omp_get_wtime() - t_start;
    *out = r;
    return BAIOT_OK;
fail:
    baiot_detect_run_free(r);
    return st;
}

baiot_status baiot_detect_run_score(const baiot_detect_run *r, const baiot_view *v, double *score)
{
    if (v->n_cols != r->d)
        return baiot_fail(BAIOT_ERR_ARG, "the detector reads %d columns; the data has %d", r->d, v->n_cols);
    int64_t *idx = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *idx);
    if (!idx)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int64_t i = 0; i < v->n_rows; i++)
        idx[i] = i;
    baiot_status st = score_rows(r, v, idx, v->n_rows, score);
    baiot_free(idx);
    return st;
}

baiot_status baiot_detect_run_save(const baiot_detect_run *r, const char *path)
{
    return baiot_detect_model_save(r, path);
}
