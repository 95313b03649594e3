/*
 * em_full.c - full-covariance EM, an extension beyond Weka
 * (kernels/gmm_full.c): baiot_em_full_fit and baiot_em_full_cluster.
 *
 * Start: baiot_em_init's k-means solution, as Weka's EM starts (means =
 * centroids, covariances = diag(sd^2) of Weka's member std devs, priors =
 * sizes / n).  Each iteration: factor the covariances, E step per block
 * (posteriors and the mean log-likelihood); stop when it improved by <
 * GMM_FULL_TOL (no M step then); else M step: per-block resp^T X and
 * responsibility sums added in block order give the means and priors, then
 * per-block scatter matrices around the new means give the covariances
 * (+ reg_covar on the diagonal).  At most max_iter M steps.
 *
 * Guarantees: block sums are added in block order, so results do not
 * depend on the thread count; BLAS runs single-threaded inside the block
 * loop (OpenMP splits the blocks) and the caller's OpenBLAS thread count is
 * restored.  The diagonal (Weka) path never enters this file.
 * Covered by tests/cli/test_em_full.py (scikit-learn's GaussianMixture from the
 * same start).
 */
#include "engine/models/em/em_internal.h"

#include "kernels/gmm_full.h"

#include <cblas.h>

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Workspace of the full-covariance E step over all rows. */
typedef struct fullwork {
    int64_t nb;            /* blocks */
    int nt;                /* threads */
    double *chol, *log_norm; /* k*d*d, k */
    double *resp;          /* n*k: block b at resp + r0*k, column-major nb x k */
    double *ll;            /* nb */
    double *ws;            /* nt * GMM_FULL_BLOCK * d */
} fullwork;

static void fullwork_free(fullwork *w)
{
    baiot_free(w->chol);
    baiot_free(w->log_norm);
    baiot_free(w->resp);
    baiot_free(w->ll);
    baiot_free(w->ws);
    memset(w, 0, sizeof *w);
}

static baiot_status fullwork_alloc(fullwork *w, int64_t n, int k, int d, int nt)
{
    memset(w, 0, sizeof *w);
    w->nb = (n + GMM_FULL_BLOCK - 1) / GMM_FULL_BLOCK;
    w->nt = nt;
    w->chol = baiot_malloc((size_t)k * d * d * sizeof(double));
    w->log_norm = baiot_malloc((size_t)k * sizeof(double));
    w->resp = baiot_malloc((size_t)(n * k + 1) * sizeof(double));
    w->ll = baiot_malloc((size_t)(w->nb + 1) * sizeof(double));
    w->ws = baiot_malloc((size_t)nt * GMM_FULL_BLOCK * d * sizeof(double));
    if (!w->chol || !w->log_norm || !w->resp || !w->ll || !w->ws) {
        fullwork_free(w);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for full-covariance EM (%lld rows)", (long long)n);
    }
    return BAIOT_OK;
}

/* Factors cov and runs the E step over all rows of f: posteriors into
 * w->resp, the mean log-likelihood into *llk. */
static baiot_status full_estep(const baiot_em_data *f, int k, const double *prior, const double *mean,
                               const double *cov, fullwork *w, double *llk)
{
    const int d = f->d;
    const int64_t n = f->n, nb = w->nb;
    int bad = baiot_gmm_full_prepare(k, d, cov, prior, w->chol, w->log_norm);
    if (bad >= 0)
        return baiot_fail(BAIOT_ERR_NUMERIC,
                          "cluster %d's covariance is not positive definite (raise the regularisation)", bad);
    const double *x = f->block;
#pragma omp parallel for num_threads(w->nt) schedule(dynamic, 1) if (nb > 1) default(none) shared(w, x, mean, n, nb, k, d)
    for (int64_t b = 0; b < nb; b++) {
        int64_t r0 = b * GMM_FULL_BLOCK, r1 = r0 + GMM_FULL_BLOCK < n ? r0 + GMM_FULL_BLOCK : n;
        double *ws = w->ws + (int64_t)omp_get_thread_num() * GMM_FULL_BLOCK * d;
        w->ll[b] = baiot_gmm_full_estep(k, d, x, n, r0, r1, mean, w->chol, w->log_norm, w->resp + r0 * k, ws);
    }
    double s = 0;
    for (int64_t b = 0; b < nb; b++)
        s += w->ll[b];
    *llk = s / (double)n;
    return BAIOT_OK;
}

/* Fits m's full-covariance mixture on f from m->fit (baiot_em_init's start): sets
 * m->cov, m->init_*, m->iterations, m->train_llk and m->fit's priors, means
 * and std devs (square roots of the covariance diagonals). */
baiot_status baiot_em_full_fit(baiot_em_ctx *cx, const baiot_em_data *f, baiot_em_model *m)
{
    const int k = m->fit.k, d = f->d;
    const int64_t n = f->n, dd = (int64_t)d * d, per = k + (int64_t)k * d + k * dd;
    const double reg = cx->p->reg_covar;
    fullwork w;
    baiot_status st = fullwork_alloc(&w, n, k, d, cx->nt);
    if (st)
        return st;
    double *acc = baiot_malloc((size_t)(w.nb * per) * sizeof *acc);
    double *tot = baiot_malloc((size_t)per * sizeof *tot);
    m->cov = baiot_calloc((size_t)(k * dd), sizeof *m->cov);
    m->init_cov = baiot_calloc((size_t)(k * dd), sizeof *m->init_cov);
    m->init_mean = baiot_malloc((size_t)k * d * sizeof *m->init_mean);
    m->init_prior = baiot_malloc((size_t)k * sizeof *m->init_prior);
    if (!acc || !tot || !m->cov || !m->init_cov || !m->init_mean || !m->init_prior) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for full-covariance EM");
        goto done;
    }
    m->reg_covar = reg;
    double *prior = m->fit.prior, *mean = m->fit.mean, *cov = m->cov;
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++)
            cov[c * dd + (int64_t)j * d + j] = m->fit.sd[c * d + j] * m->fit.sd[c * d + j];
    memcpy(m->init_cov, cov, (size_t)(k * dd) * sizeof *cov);
    memcpy(m->init_mean, mean, (size_t)k * d * sizeof *mean);
    memcpy(m->init_prior, prior, (size_t)k * sizeof *prior);
    int saved_blas = openblas_get_num_threads();
    openblas_set_num_threads(1);
    const double *x = f->block;
    double llk = 0, llkold = 0;
    int iters = 0;
    for (int it = 0; it < cx->p->max_iter; it++) {
        if ((st = full_estep(f, k, prior, mean, cov, &w, &llk)))
            break;
        if (it > 0 && llk - llkold < GMM_FULL_TOL)
            break;
        llkold = llk;
        /* M step, pass 1: responsibility sums and resp^T X */
#pragma omp parallel for num_threads(w.nt) schedule(dynamic, 1) if (w.nb > 1) default(none) shared(w, x, acc, n, k, d, per)
        for (int64_t b = 0; b < w.nb; b++) {
            int64_t r0 = b * GMM_FULL_BLOCK, r1 = r0 + GMM_FULL_BLOCK < n ? r0 + GMM_FULL_BLOCK : n;
            double *a = acc + b * per;
            baiot_gmm_full_mstep_means(k, d, x, n, r0, r1, w.resp + r0 * k, a, a + k);
        }
        const int64_t p1 = k + (int64_t)k * d;
        memcpy(tot, acc, (size_t)p1 * sizeof *tot);
        for (int64_t b = 1; b < w.nb; b++)
            for (int64_t i = 0; i < p1; i++)
                tot[i] += acc[b * per + i];
        double nsum = 0;
        for (int c = 0; c < k; c++) {
            tot[c] += GMM_FULL_NK_EPS;
            nsum += tot[c];
        }
        for (int c = 0; c < k; c++) {
            prior[c] = tot[c] / nsum;
            for (int j = 0; j < d; j++)
                mean[c * d + j] = tot[k + (int64_t)c * d + j] / tot[c];
        }
        /* pass 2: scatter matrices around the new means */
#pragma omp parallel for num_threads(w.nt) schedule(dynamic, 1) if (w.nb > 1) default(none) shared(w, x, acc, mean, n, k, d, per, p1)
        for (int64_t b = 0; b < w.nb; b++) {
            int64_t r0 = b * GMM_FULL_BLOCK, r1 = r0 + GMM_FULL_BLOCK < n ? r0 + GMM_FULL_BLOCK : n;
            double *ws = w.ws + (int64_t)omp_get_thread_num() * GMM_FULL_BLOCK * d;
            baiot_gmm_full_mstep_scatter(k, d, x, n, r0, r1, w.resp + r0 * k, mean, acc + b * per + p1, ws);
        }
        memcpy(cov, acc + p1, (size_t)(k * dd) * sizeof *cov);
        for (int64_t b = 1; b < w.nb; b++)
            for (int64_t i = 0; i < k * dd; i++)
                cov[i] += acc[b * per + p1 + i];
        for (int c = 0; c < k; c++) {
            double *s = cov + c * dd;
            for (int j = 0; j < d; j++)
                for (int i = j; i < d; i++) {
                    double v = s[(int64_t)j * d + i] / tot[c];
                    if (i == j)
                        v += reg;
                    s[(int64_t)j * d + i] = s[(int64_t)i * d + j] = v;
                }
        }
        iters++;
    }
    openblas_set_num_threads(saved_blas);
    if (st)
        goto done;
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++)
            m->fit.sd[c * d + j] = sqrt(cov[c * dd + (int64_t)j * d + j]);
    m->iterations = iters;
    m->train_llk = llk;
done:
    baiot_free(acc);
    baiot_free(tot);
    fullwork_free(&w);
    return st;
}

/* baiot_em_cluster for a full-covariance model on f (missing values
 * already replaced). */
baiot_status baiot_em_full_cluster(const baiot_em_model *m, const baiot_em_data *f, int *assign, double *mean_loglik)
{
    const int k = m->k;
    fullwork w;
    baiot_status st = fullwork_alloc(&w, f->n, k, m->d, omp_get_max_threads());
    if (st)
        return st;
    int saved_blas = openblas_get_num_threads();
    openblas_set_num_threads(1);
    double llk;
    st = full_estep(f, k, m->fit.prior, m->fit.mean, m->cov, &w, &llk);
    openblas_set_num_threads(saved_blas);
    if (!st) {
        if (mean_loglik)
            *mean_loglik = llk;
        if (assign)
            for (int64_t b = 0; b < w.nb; b++) {
                int64_t r0 = b * GMM_FULL_BLOCK, r1 = r0 + GMM_FULL_BLOCK < f->n ? r0 + GMM_FULL_BLOCK : f->n;
                const double *r = w.resp + r0 * k;
                for (int64_t i = 0; i < r1 - r0; i++) {
                    int best = 0;
                    for (int c = 1; c < k; c++)
                        if (r[c * (r1 - r0) + i] > r[best * (r1 - r0) + i])
                            best = c;
                    assign[r0 + i] = best;
                }
            }
    }
    fullwork_free(&w);
    return st;
}
