/*
 * detect_gmm.c - the Gaussian-mixture scorer of the anomaly detector
 * (detect_scorer.h): a mixture fitted by the EM engine (engine/models/em:
 * Weka's diagonal EM, or the full-covariance extension) on the standardised
 * DStrn rows; a row's score is minus its log density under the mixture,
 * computed by the same kernels the EM's E step uses (kernels/gmm_diag.h,
 * kernels/gmm_full.h); diagonal mixtures in blocks of rows whose values
 * are those of the one-row E step (diag_scores), so a score depends on its
 * row alone.
 *
 * k given, or chosen on DSopt: each k of baiot_detect_gmm_auto_k is fitted on
 * DStrn and the one whose mean log density over DSopt is highest is kept
 * (the smallest on ties): DSopt is the protocol's held-out benign part, so
 * this is the k that generalises best to unseen benign traffic.
 *
 * Guarantees: the fit and the scores are identical for any thread count
 * (the EM engine's guarantee; scores are per row); the model file's
 * parameters are written in shortest round-trip text, so a loaded scorer
 * gives the same doubles.  Covered by tests/cli/test_detect.py (the model
 * loaded by predict reproduces detect's scores; the DStrn mean score equals
 * minus the EM engine's mean log-likelihood).
 */
#include "engine/detect/detect_scorer.h"

#include "baiot/em.h"
#include "baiot/view.h"
#include "kernels/gmm_diag.h"
#include "kernels/gmm_full.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

const int baiot_detect_gmm_auto_k[DETECT_GMM_N_AUTO] = {1, 2, 4, 8};

typedef struct gmm_impl {
    int k, d, full;
    double *prior, *mean, *sd; /* k, k*d, k*d (diag) */
    double *cov;               /* full: k*d*d */
    /* the kernels' layouts */
    double *log_prior, *two_var, *log_sd; /* diag */
    double *chol, *log_norm;              /* full */
    gmm_diag g;
    int *nvals;                           /* d zeros: every column numeric */
    int n_tried;
    int tried_k[DETECT_GMM_N_AUTO];
    double tried_llk[DETECT_GMM_N_AUTO];
    int chosen_on_opt;
} gmm_impl;

static void gmm_free(detect_scorer *s)
{
    if (!s)
        return;
    gmm_impl *g = s->impl;
    if (g) {
        baiot_free(g->prior);
        baiot_free(g->mean);
        baiot_free(g->sd);
        baiot_free(g->cov);
        baiot_free(g->log_prior);
        baiot_free(g->two_var);
        baiot_free(g->log_sd);
        baiot_free(g->chol);
        baiot_free(g->log_norm);
        baiot_free(g->nvals);
        baiot_free(g);
    }
    baiot_free(s);
}

/* Rows scored DIAG_ROWS at a time by the column-major exact E step
 * (baiot_gmm_diag_estep_cm: the joint log densities column by column over
 * the block, in vector lanes, then each row's log-sum-exp), whose log
 * density per row is bit for bit the one-row baiot_gmm_diag_estep's
 * (tests/unit/test_gmm_diag_blas.c), so a score is still a function of its
 * row alone; `0.0 +` as the one-row E step's total starts. */
enum { DIAG_ROWS = 64 };

static void diag_scores(const gmm_diag *m, const double *const *cols, int64_t r0, int64_t nb, double *a,
                        double *ws, double *score)
{
    (void)baiot_gmm_diag_estep_cm(m, cols, r0, r0 + nb, a, ws, score);
    for (int64_t r = 0; r < nb; r++)
        score[r] = -(0.0 + score[r]);
}

static baiot_status gmm_score(const detect_scorer *s, const double *x, int64_t ldx, int64_t r0, int64_t r1,
                              double *score)
{
    const gmm_impl *g = s->impl;
    int d = g->d, k = g->k;
    if (!g->full) {
        const double *cols[1024];
        if (d > 1024 || k > 256)
            return baiot_fail(BAIOT_ERR_ARG, "the mixture is too large to score (%d clusters x %d columns)", k, d);
        for (int j = 0; j < d; j++)
            cols[j] = x + (int64_t)j * ldx;
        double *a = baiot_malloc((size_t)(k + 2) * DIAG_ROWS * sizeof *a);
        if (!a)
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        for (int64_t b = r0; b < r1; b += DIAG_ROWS) {
            int64_t nb = r1 - b < DIAG_ROWS ? r1 - b : DIAG_ROWS;
            diag_scores(&g->g, cols, b, nb, a, a + (size_t)k * DIAG_ROWS, score + (b - r0));
        }
        baiot_free(a);
        return BAIOT_OK;
    }
    double *resp = baiot_malloc((size_t)k * sizeof *resp), *ws = baiot_malloc((size_t)d * sizeof *ws);
    if (!resp || !ws) {
        baiot_free(resp);
        baiot_free(ws);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    for (int64_t r = r0; r < r1; r++)
        score[r - r0] = -baiot_gmm_full_estep(k, d, x, ldx, r, r + 1, g->mean, g->chol, g->log_norm, resp, ws);
    baiot_free(resp);
    baiot_free(ws);
    return BAIOT_OK;
}

static void put_doubles(FILE *f, const char *name, const double *x, int64_t n)
{
    fprintf(f, ", \"%s\": ", name);
    baiot_json_write_numbers(f, x, n);
}

static void gmm_write_json(const detect_scorer *s, FILE *f)
{
    const gmm_impl *g = s->impl;
    fprintf(f, "{\"k\": %d, \"covariance\": \"%s\"", g->k, g->full ? "full" : "diag");
    put_doubles(f, "prior", g->prior, g->k);
    put_doubles(f, "mean", g->mean, (int64_t)g->k * g->d);
    if (g->full)
        put_doubles(f, "covariance_matrices", g->cov, (int64_t)g->k * g->d * g->d);
    else
        put_doubles(f, "sd", g->sd, (int64_t)g->k * g->d);
    fputc('}', f);
}

static void gmm_write_facts(const detect_scorer *s, FILE *f)
{
    const gmm_impl *g = s->impl;
    fprintf(f, "\"k\": %d, \"covariance\": \"%s\", \"k_chosen_on_dsopt\": %s, \"k_tried\": [", g->k,
            g->full ? "full" : "diag", g->chosen_on_opt ? "true" : "false");
    for (int i = 0; i < g->n_tried; i++) {
        fprintf(f, "%s{\"k\": %d, \"dsopt_mean_loglik\": ", i ? ", " : "", g->tried_k[i]);
        baiot_json_write_number(f, g->tried_llk[i]);
        fputc('}', f);
    }
    fputs("], \"min_sd\": ", f);
    baiot_json_write_number(f, DETECT_GMM_MIN_SD);
}

static void gmm_settings(const detect_scorer *s, double *lr, int *epochs, int *clusters)
{
    *lr = NAN;
    *epochs = 0;
    *clusters = ((const gmm_impl *)s->impl)->k;
}

static const detect_scorer_ops gmm_ops = {"gmm",           gmm_score, NULL,         gmm_write_json,
                                          gmm_write_facts, NULL,      gmm_settings, gmm_free};

/* The kernels' layouts from prior/mean/sd/cov. */
static baiot_status prepare(gmm_impl *g)
{
    int k = g->k, d = g->d;
    g->log_prior = baiot_malloc((size_t)k * sizeof(double));
    g->nvals = baiot_calloc((size_t)d, sizeof(int));
    if (!g->log_prior || !g->nvals)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int c = 0; c < k; c++)
        g->log_prior[c] = log(g->prior[c]);
    if (g->full) {
        g->chol = baiot_malloc((size_t)k * d * d * sizeof(double));
        g->log_norm = baiot_malloc((size_t)k * sizeof(double));
        if (!g->chol || !g->log_norm)
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        int bad = baiot_gmm_full_prepare(k, d, g->cov, g->prior, g->chol, g->log_norm);
        if (bad >= 0)
            return baiot_fail(BAIOT_ERR_NUMERIC, "the covariance of cluster %d is not positive definite", bad + 1);
        return BAIOT_OK;
    }
    g->two_var = baiot_malloc((size_t)k * d * sizeof(double));
    g->log_sd = baiot_malloc((size_t)k * d * sizeof(double));
    if (!g->two_var || !g->log_sd)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int i = 0; i < k * d; i++) {
        g->two_var[i] = 2 * g->sd[i] * g->sd[i];
        g->log_sd[i] = log(g->sd[i]);
    }
    g->g.k = k;
    g->g.d = d;
    g->g.nvals = g->nvals;
    g->g.off = g->nvals; /* unused: no nominal column */
    g->g.nv_total = 0;
    g->g.mean = g->mean;
    g->g.two_var = g->two_var;
    g->g.log_sd = g->log_sd;
    g->g.log_p = NULL;
    g->g.log_prior = g->log_prior;
    return BAIOT_OK;
}

static baiot_status new_scorer(int k, int d, int full, detect_scorer **out)
{
    detect_scorer *s = baiot_calloc(1, sizeof *s);
    gmm_impl *g = baiot_calloc(1, sizeof *g);
    *out = NULL;
    if (!s || !g) {
        baiot_free(s);
        baiot_free(g);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    s->ops = &gmm_ops;
    s->d = d;
    s->impl = g;
    g->k = k;
    g->d = d;
    g->full = full;
    g->prior = baiot_malloc((size_t)k * sizeof(double));
    g->mean = baiot_malloc((size_t)k * d * sizeof(double));
    if (full)
        g->cov = baiot_malloc((size_t)k * d * d * sizeof(double));
    else
        g->sd = baiot_malloc((size_t)k * d * sizeof(double));
    if (!g->prior || !g->mean || (full ? !g->cov : !g->sd)) {
        gmm_free(s);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    *out = s;
    return BAIOT_OK;
}

/* One mixture with k clusters on the training view. */
static baiot_status fit_k(const baiot_view *v, int k, const detect_gmm_params *p, detect_scorer **out)
{
    baiot_em_params ep = baiot_em_params_default();
    baiot_em_model *m = NULL;
    baiot_status st;
    ep.n_clusters = k;
    ep.seed = p->seed;
    ep.n_threads = p->n_threads;
    ep.covariance = p->covariance;
    ep.min_std_dev = DETECT_GMM_MIN_SD;
    *out = NULL;
    if ((st = baiot_em_train(v, &ep, &m)))
        return st;
    int kk = baiot_em_n_clusters(m), d = v->n_cols, full = p->covariance == BAIOT_EM_COV_FULL;
    detect_scorer *s = NULL;
    if ((st = new_scorer(kk, d, full, &s))) {
        baiot_em_free(m);
        return st;
    }
    gmm_impl *g = s->impl;
    memcpy(g->prior, baiot_em_priors(m), (size_t)kk * sizeof(double));
    for (int c = 0; c < kk; c++)
        for (int j = 0; j < d; j++) {
            g->mean[c * d + j] = baiot_em_mean(m, c, j);
            if (!full)
                g->sd[c * d + j] = baiot_em_std_dev(m, c, j);
        }
    if (full)
        memcpy(g->cov, baiot_em_covariance(m), (size_t)kk * d * d * sizeof(double));
    baiot_em_free(m);
    if ((st = prepare(g))) {
        gmm_free(s);
        return st;
    }
    *out = s;
    return BAIOT_OK;
}

baiot_status baiot_detect_gmm_fit(const double *xtrn, int64_t n_trn, const double *xopt, int64_t n_opt, int d,
                            const char *const *names, const detect_gmm_params *p, double *auto_llk,
                            detect_scorer **out)
{
    baiot_view *v = NULL;
    baiot_status st;
    double *sc = NULL;
    detect_scorer *best = NULL;
    double best_llk = -INFINITY;
    *out = NULL;
    if ((st = baiot_view_alloc(n_trn, d, &v)))
        return st;
    memcpy(v->cols[0], xtrn, (size_t)n_trn * d * sizeof(double));
    for (int64_t i = 0; i < n_trn; i++)
        v->y[i] = -1;
    for (int j = 0; j < d; j++)
        if (!(v->attrs[j].name = baiot_strdup(names[j]))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto done;
        }
    if (p->clusters > 0) {
        st = fit_k(v, p->clusters, p, &best);
        goto done;
    }
    if (!(sc = baiot_malloc((size_t)(n_opt > 0 ? n_opt : 1) * sizeof *sc))) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    int tried_k[DETECT_GMM_N_AUTO];
    double tried_llk[DETECT_GMM_N_AUTO];
    int n_tried = 0;
    for (int i = 0; i < DETECT_GMM_N_AUTO; i++) {
        detect_scorer *s = NULL;
        if (baiot_detect_gmm_auto_k[i] > n_trn)
            break;
        if ((st = fit_k(v, baiot_detect_gmm_auto_k[i], p, &s)))
            goto done;
        if ((st = baiot_detect_scorer_score_all(s, xopt, n_opt, n_opt, p->n_threads, sc))) {
            baiot_detect_scorer_free(s);
            goto done;
        }
        double sum = 0;
        for (int64_t r = 0; r < n_opt; r++)
            sum += -sc[r];
        double llk = n_opt > 0 ? sum / (double)n_opt : 0;
        tried_k[n_tried] = ((gmm_impl *)s->impl)->k;
        tried_llk[n_tried] = llk;
        if (auto_llk)
            auto_llk[n_tried] = llk;
        n_tried++;
        if (llk > best_llk || !best) {
            baiot_detect_scorer_free(best);
            best = s;
            best_llk = llk;
        } else {
            baiot_detect_scorer_free(s);
        }
    }
    if (best) {
        gmm_impl *g = best->impl;
        g->chosen_on_opt = 1;
        g->n_tried = n_tried;
        memcpy(g->tried_k, tried_k, sizeof tried_k);
        memcpy(g->tried_llk, tried_llk, sizeof tried_llk);
    }
done:
    baiot_free(sc);
    baiot_view_free(v);
    if (st) {
        baiot_detect_scorer_free(best);
        return st;
    }
    *out = best;
    return BAIOT_OK;
}

static int get_doubles(const json_value *o, const char *name, double *out, int64_t n)
{
    const json_value *a = baiot_json_get(o, name);
    if (!a || a->type != JSON_ARRAY || a->n != n)
        return 0;
    for (int64_t i = 0; i < n; i++) {
        if (a->items[i]->type != JSON_NUMBER || !isfinite(a->items[i]->number))
            return 0;
        out[i] = a->items[i]->number;
    }
    return 1;
}

baiot_status baiot_detect_gmm_from_json(const json_value *o, int d, const char *what, detect_scorer **out)
{
    const json_value *k = baiot_json_get(o, "k"), *cov = baiot_json_get(o, "covariance");
    baiot_status st;
    *out = NULL;
    if (!k || k->type != JSON_NUMBER || k->number < 1 || k->number > 256 || k->number != (int)k->number)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: scorer.k is missing or not a number of clusters in 1..256", what);
    if (!cov || cov->type != JSON_STRING || (strcmp(cov->string, "diag") && strcmp(cov->string, "full")))
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: scorer.covariance is not \"diag\" or \"full\"", what);
    int kk = (int)k->number, full = strcmp(cov->string, "full") == 0;
    detect_scorer *s = NULL;
    if ((st = new_scorer(kk, d, full, &s)))
        return st;
    gmm_impl *g = s->impl;
    int ok = get_doubles(o, "prior", g->prior, kk) && get_doubles(o, "mean", g->mean, (int64_t)kk * d) &&
             (full ? get_doubles(o, "covariance_matrices", g->cov, (int64_t)kk * d * d)
                   : get_doubles(o, "sd", g->sd, (int64_t)kk * d));
    for (int c = 0; ok && c < kk; c++)
        ok = g->prior[c] > 0 && g->prior[c] <= 1;
    for (int i = 0; ok && !full && i < kk * d; i++)
        ok = g->sd[i] > 0;
    if (!ok) {
        gmm_free(s);
        return baiot_fail(BAIOT_ERR_FORMAT,
                          "%s: the mixture's prior, mean and %s do not fit %d clusters x %d columns (or a prior "
                          "or standard deviation is not positive)",
                          what, full ? "covariance_matrices" : "sd", kk, d);
    }
    if ((st = prepare(g))) {
        baiot_fail_context(st, "%s: ", what);
        gmm_free(s);
        return st;
    }
    *out = s;
    return BAIOT_OK;
}
