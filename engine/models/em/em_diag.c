/*
 * em_diag.c - Weka's EM with one normal per (cluster, numeric attribute)
 * and value counts per (cluster, nominal attribute): the k-means start
 * (baiot_em_init), the E and M steps (baiot_em_iterate), the choice of k by
 * cross-validation (baiot_em_cv_clusters) and clustering new rows
 * (baiot_em_diag_cluster).
 *
 * Flow: baiot_em_init runs ten SimpleKMeans fits (kmeans.c) seeded by
 * nextInt() of java.util.Random(seed) after 10 discarded nextDouble(),
 * keeps the one of least squared error, and baiot_em_iterate runs E and M
 * steps until the mean log-likelihood improves by < 1e-6.  The E step is a
 * dgemm over centred blocks of GMM_DIAG_BLOCK rows (kernels/gmm_diag_blas.c),
 * which falls back to Weka's exact arithmetic (kernels/gmm_diag.c) for rows
 * where the product form cannot be bounded by GMM_DIAG_BLAS_TOL; the M
 * step's sums are made in the same pass over each block
 * (baiot_gmm_diag_mstep_cm) and added up in block order.  When a variance
 * of the M step is ill-conditioned (EM_EXACT_COND: mean/sd > 100, e.g.
 * 1.5e9 + 1e-3 noise), its digits are the rounding of Weka's uncentred
 * sums, which only Weka's own posteriors reproduce, and the earlier steps'
 * last bits are amplified as much: the fit is then replayed from its start
 * with every E step in Weka's exact arithmetic (baiot_gmm_diag_estep_cm), so
 * its doubles are Weka's whenever any of its steps is ill-conditioned.
 *
 * Invariants: every M-step sum that Weka makes in instance order is made
 * in row order inside fixed blocks of GMM_DIAG_BLOCK rows, and the block
 * sums are added in block order, so results do not depend on the thread
 * count and, for up to GMM_DIAG_BLOCK rows, equal Weka's sums bit for bit
 * given the same posteriors; each row's log density and posteriors are
 * Weka's within GMM_DIAG_BLAS_TOL (absolute).
 * Thread-safety: independent fits may run concurrently.
 * Covered by tests/cli/test_em_golden.py (Weka 3.6.14's EM output) and the
 * study / predict CLI tests.
 */
#include "engine/models/em/em_internal.h"
#include "engine/models/em/kmeans.h"

#include "baiot/dist.h"
#include "baiot/progress.h"
#include "kernels/gmm_diag.h"
#include "kernels/gmm_diag_blas.h"
#include "kernels/java_math.h"

#include <cblas.h>

#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* The k-means runs of EM_Init side by side: at most this much workspace
 * (rows copied in each run's order) in all. */
#define EM_KMEANS_SIDE_BY_SIDE_BYTES ((int64_t)2 << 30)

/* Runs the k-means runs run[0..n) (seeds[run[i]]) into res[run[i]],
 * side by side on up to nt threads, each run on one thread when several
 * run at once (no barrier, and each run's sums in its row order as
 * always: the results are those of one run after the other). */
static baiot_status kmeans_runs(baiot_em_ctx *cx, const baiot_em_data *f, int k, const int32_t *seeds, const int *run,
                                int n, baiot_kmeans_work *w, baiot_kmeans_result *res)
{
    int64_t ws = f->n * (int64_t)f->d * 16 + f->n * 20 + 1;
    int at_once = cx->nt < n ? cx->nt : n;
    if (omp_in_parallel() || at_once < 1)
        at_once = 1;
    if (at_once > EM_KMEANS_SIDE_BY_SIDE_BYTES / ws)
        at_once = (int)(EM_KMEANS_SIDE_BY_SIDE_BYTES / ws) > 1 ? (int)(EM_KMEANS_SIDE_BY_SIDE_BYTES / ws) : 1;
    int inner = at_once > 1 ? 1 : cx->nt;
    baiot_status st = BAIOT_OK;
    for (int t = 0; t < at_once && !st; t++)
        st = baiot_kmeans_work_alloc(&w[t], f->n, f->d);
    if (st)
        return st;
    int64_t done = 0;
    baiot_status fail[EM_KMEANS_RUNS] = {BAIOT_OK};
#pragma omp parallel for num_threads(at_once) schedule(dynamic, 1) if (at_once > 1) default(none) \
    shared(f, k, seeds, run, n, w, res, inner, done, fail)
    for (int i = 0; i < n; i++) {
        fail[i] = baiot_kmeans_run(f, k, seeds[run[i]], inner, &w[omp_get_thread_num()], &res[run[i]]);
        int64_t finished;
#pragma omp atomic capture
        finished = ++done;
        baiot_progress("k-means", "starts", finished, n);
    }
    for (int i = 0; i < n; i++) /* the first failure in run order, its message on this thread */
        if (fail[i])
            return fail[i] == BAIOT_ERR_MEMORY ? baiot_fail(BAIOT_ERR_MEMORY, "out of memory for k-means") : fail[i];
    return BAIOT_OK;
}

/* EM_Init: the best of 10 k-means runs (seeds from ctx->rr) initialises m
 * (allocated here, k may shrink). */
baiot_status baiot_em_init(baiot_em_ctx *cx, baiot_em_data *f, int k, baiot_em_fit *m)
{
    baiot_kmeans_work w[EM_KMEANS_RUNS];
    baiot_kmeans_result best, res[EM_KMEANS_RUNS];
    memset(w, 0, sizeof w);
    memset(res, 0, sizeof res);
    memset(&best, 0, sizeof best);
    double best_err = DBL_MAX;
    baiot_status st = BAIOT_OK;
    /* The runs' seeds come first from m_rr (k-means draws from its own
     * Random), so the runs are independent units: in a job spread over
     * ranks each rank runs its share, the squared errors are summed (one
     * rank gives each), every rank picks the same best (the first of least
     * error, Weka's order) and a rank that did not run it runs it again. */
    int32_t seeds[EM_KMEANS_RUNS];
    double errs[EM_KMEANS_RUNS] = {0}, unit[EM_KMEANS_RUNS];
    int owner[EM_KMEANS_RUNS], me = cx->spread ? baiot_dist_rank() : 0, best_run = -1;
    for (int run = 0; run < EM_KMEANS_RUNS; run++) {
        seeds[run] = baiot_java_random_next_int(&cx->rr);
        unit[run] = 1.0;
        owner[run] = 0;
    }
    if (cx->spread)
        baiot_dist_plan(unit, EM_KMEANS_RUNS, NULL, owner);
    int mine[EM_KMEANS_RUNS], n_mine = 0;
    for (int run = 0; run < EM_KMEANS_RUNS; run++)
        if (owner[run] == me)
            mine[n_mine++] = run;
    if ((st = kmeans_runs(cx, f, k, seeds, mine, n_mine, w, res))) {
        if (cx->spread)
            baiot_dist_check(st);
        goto done;
    }
    /* the first of least squared error, in Weka's run order */
    for (int i = 0; i < n_mine; i++) {
        int run = mine[i];
        errs[run] = res[run].sqerr;
        if (res[run].sqerr < best_err) {
            best_err = res[run].sqerr;
            best_run = run;
        }
    }
    if (best_run >= 0) {
        best = res[best_run];
        memset(&res[best_run], 0, sizeof res[best_run]);
    }
    if (cx->spread && baiot_dist_size() > 1) {
        baiot_dist_sum_f64(errs, EM_KMEANS_RUNS);
        int global = -1;
        double least = DBL_MAX;
        for (int run = 0; run < EM_KMEANS_RUNS; run++)
            if (errs[run] < least) {
                least = errs[run];
                global = run;
            }
        if (global != best_run) {
            baiot_kmeans_result_free(&best);
            if (global >= 0 && (st = baiot_kmeans_run(f, k, seeds[global], cx->nt, &w[0], &best))) {
                baiot_dist_check(st);
                goto done;
            }
        }
    }
    for (int t = 0; t < EM_KMEANS_RUNS; t++) {
        baiot_kmeans_work_free(&w[t]);
        baiot_kmeans_result_free(&res[t]);
    }
    if (!best.centroid)
        return baiot_fail(BAIOT_ERR_NUMERIC, "k-means gave no solution");
    baiot_em_fit_free(m);
    if ((st = baiot_em_fit_alloc(m, best.k, f->d, cx->nvals, cx->off, cx->nv_total)))
        goto done;
    const double minsd = cx->p->min_std_dev;
    for (int c = 0; c < best.k; c++) {
        for (int j = 0; j < f->d; j++) {
            if (cx->nvals[j]) {
                double *cn = m->cnt + (int64_t)c * cx->nv_total + cx->off[j];
                double s = cx->nvals[j];
                for (int v = 0; v < cx->nvals[j]; v++) {
                    cn[v] = 1 + best.ncount[(int64_t)c * cx->nv_total + cx->off[j] + v];
                    s += best.ncount[(int64_t)c * cx->nv_total + cx->off[j] + v];
                }
                m->cnt_sum[c * f->d + j] = s;
            } else {
                m->mean[c * f->d + j] = best.centroid[c * f->d + j];
                double sd = best.sd[c * f->d + j];
                if (sd < minsd) {
                    if ((st = baiot_em_data_full_sd(f, j, &sd)))
                        goto done;
                    if (isinf(sd))
                        sd = minsd;
                    if (sd < minsd)
                        sd = minsd;
                }
                if (sd <= 0)
                    sd = minsd;
                m->sd[c * f->d + j] = sd;
            }
        }
    }
    double tot = 0;
    for (int c = 0; c < best.k; c++)
        tot += (double)best.size[c];
    for (int c = 0; c < best.k; c++)
        m->prior[c] = (double)best.size[c] / tot;
done:
    for (int t = 0; t < EM_KMEANS_RUNS; t++) {
        baiot_kmeans_work_free(&w[t]);
        baiot_kmeans_result_free(&res[t]);
    }
    baiot_kmeans_result_free(&best);
    return st;
}

/* Workspace of the E and M steps for one fit data. */
typedef struct emwork {
    int64_t nblocks;
    int nt;           /* threads of the E step */
    int *assign;      /* borrowed, or NULL: estep writes each row's cluster */
    double *ll;       /* nblocks */
    int64_t *nexact;  /* nblocks: rows the precision rule sent to the exact path */
    double *acc;      /* nblocks * accsize */
    int64_t accsize;
    double *two_var, *log_sd, *log_p, *log_prior; /* the E-step layout */
    int dn;           /* numeric attributes */
    int *num;         /* dn: their indices */
    double *ref;      /* dn: the products' centres (baiot_gmm_diag_blas_prepare) */
    double *bw, *bw0, *bcb; /* the product form (baiot_gmm_diag_blas_prepare) */
    double *resp;     /* nt * GMM_DIAG_BLOCK * k: each thread's block posteriors */
    double *ws;       /* nt * wsize */
    int64_t wsize;
    int64_t bmax;     /* rows of the largest block */
    double *lrow;     /* n, NULL until needed: the exact E step's row log densities */
    double *resp_all; /* n * k, NULL until needed: its posteriors (per block column-major) */
    int strict;       /* 1: StrictMath's exp and log (baiot_em_params.strict_math); implies exact */
    int exact;        /* 1: every E step in Weka's exact arithmetic (set for good once an M step is
                       * ill-conditioned, see EM_EXACT_COND) */
} emwork;

static void emwork_free(emwork *w)
{
    baiot_free(w->ll);
    baiot_free(w->nexact);
    baiot_free(w->acc);
    baiot_free(w->two_var);
    baiot_free(w->log_sd);
    baiot_free(w->log_p);
    baiot_free(w->log_prior);
    baiot_free(w->num);
    baiot_free(w->ref);
    baiot_free(w->bw);
    baiot_free(w->bw0);
    baiot_free(w->bcb);
    baiot_free(w->resp);
    baiot_free(w->ws);
    baiot_free(w->lrow);
    baiot_free(w->resp_all);
    memset(w, 0, sizeof *w);
}

/* Sizes the workspace for f and k clusters on nt threads. */
static baiot_status emwork_alloc(emwork *w, const baiot_em_data *f, int k, int nv_total, int nt)
{
    const int d = f->d;
    const int64_t n = f->n;
    memset(w, 0, sizeof *w);
    w->nt = nt;
    w->nblocks = (n + GMM_DIAG_BLOCK - 1) / GMM_DIAG_BLOCK;
    if (w->nblocks < 1)
        w->nblocks = 1;
    for (int j = 0; j < d; j++)
        w->dn += !f->nvals[j];
    const int64_t nbmax = n < GMM_DIAG_BLOCK ? (n > 0 ? n : 1) : GMM_DIAG_BLOCK;
    w->bmax = nbmax;
    w->wsize = baiot_gmm_diag_blas_ws_size(k, w->dn, nbmax);
    if (w->wsize < baiot_gmm_diag_mstep_ws_size(k))
        w->wsize = baiot_gmm_diag_mstep_ws_size(k);
    if (w->wsize < 2 * nbmax) /* baiot_gmm_diag_estep_cm */
        w->wsize = 2 * nbmax;
    w->accsize = baiot_gmm_diag_acc_size(k, d, f->nvals);
    w->ll = baiot_malloc((size_t)w->nblocks * sizeof(double));
    w->nexact = baiot_malloc((size_t)w->nblocks * sizeof(int64_t));
    w->acc = baiot_malloc((size_t)(w->nblocks * w->accsize) * sizeof(double));
    w->two_var = baiot_malloc((size_t)(k * d + 1) * sizeof(double));
    w->log_sd = baiot_malloc((size_t)(k * d + 1) * sizeof(double));
    w->log_p = baiot_malloc((size_t)(k * nv_total + 1) * sizeof(double));
    w->log_prior = baiot_malloc((size_t)(k + 1) * sizeof(double));
    w->num = baiot_malloc((size_t)(w->dn + 1) * sizeof(int));
    w->ref = baiot_malloc((size_t)(w->dn + 1) * sizeof(double));
    w->bw = baiot_malloc((size_t)(4 * w->dn * k + 1) * sizeof(double));
    w->bw0 = baiot_malloc((size_t)(k + 1) * sizeof(double));
    w->bcb = baiot_malloc((size_t)(k + 1) * sizeof(double));
    w->resp = baiot_malloc((size_t)(nt * nbmax * k) * sizeof(double));
    w->ws = baiot_malloc((size_t)(nt * w->wsize) * sizeof(double));
    if (!w->ll || !w->nexact || !w->acc || !w->two_var || !w->log_sd || !w->log_p || !w->log_prior || !w->num ||
        !w->ref || !w->bw || !w->bw0 || !w->bcb || !w->resp || !w->ws) {
        emwork_free(w);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for EM (%lld rows)", (long long)n);
    }
    int i = 0;
    for (int j = 0; j < d; j++)
        if (!f->nvals[j])
            w->num[i++] = j;
    return BAIOT_OK;
}

/* Lays m out for the kernel; fails ("Cluster empty!") when a prior is 0. */
static baiot_status layout(const baiot_em_fit *m, emwork *w, gmm_diag *g)
{
    double (*lg)(double) = w->strict ? baiot_java_log : log;
    for (int c = 0; c < m->k; c++) {
        if (!(m->prior[c] > 0))
            return baiot_fail(BAIOT_ERR_NUMERIC, "Cluster empty!");
        w->log_prior[c] = lg(m->prior[c]);
        for (int j = 0; j < m->d; j++) {
            int64_t i = (int64_t)c * m->d + j;
            if (m->nvals[j]) {
                for (int v = 0; v < m->nvals[j]; v++) {
                    int64_t o = (int64_t)c * m->nv_total + m->off[j] + v;
                    double s = m->cnt_sum[i];
                    w->log_p[o] = lg(s == 0 ? 0 : m->cnt[o] / s);
                }
            } else {
                w->two_var[i] = 2 * m->sd[i] * m->sd[i];
                w->log_sd[i] = lg(m->sd[i]);
            }
        }
    }
    g->k = m->k;
    g->d = m->d;
    g->nvals = m->nvals;
    g->off = m->off;
    g->nv_total = m->nv_total;
    g->mean = m->mean;
    g->two_var = w->two_var;
    g->log_sd = w->log_sd;
    g->log_p = w->log_p;
    g->log_prior = w->log_prior;
    g->strict_math = w->strict;
    return BAIOT_OK;
}

/* Zeroes block b's M-step accumulator; block 0 gets the Laplace start of
 * Weka's DiscreteEstimator for nominal attributes. */
static void acc_start(double *acc, int64_t b, int k, int d, const int *nvals)
{
    const int64_t per = baiot_gmm_diag_acc_size(1, d, nvals);
    memset(acc, 0, (size_t)(per * k) * sizeof *acc);
    if (b != 0)
        return;
    for (int c = 0; c < k; c++) {
        double *a = acc + per * c + 1;
        for (int j = 0; j < d; j++) {
            if (nvals[j]) {
                for (int v = 0; v < nvals[j]; v++)
                    a[v] = 1;
                a[nvals[j]] = nvals[j];
                a += nvals[j] + 1;
            } else {
                a += 3;
            }
        }
    }
}

/* out[r] = the cluster of the largest posterior of row r of a block (resp
 * column-major: resp[c * bn + r]); the first on ties. */
static void assign_block(const double *resp, int64_t bn, int k, int *out)
{
    for (int64_t r = 0; r < bn; r++) {
        int best = 0;
        for (int c = 1; c < k; c++)
            if (resp[c * bn + r] > resp[best * bn + r])
                best = c;
        out[r] = best;
    }
}

/* The exact E step (w->exact), with Weka's sums: the blocks' E steps run
 * in parallel (Weka's arithmetic, baiot_gmm_diag_estep_cm) into posteriors
 * and row log densities kept for all n rows; then, on one thread, the
 * total log density is added up in row order and the M-step sums run over
 * the blocks in order, each chain continuing from the previous block.  So
 * every sum is Weka's sequential one, for any number of rows and threads
 * (no thread waits for another inside the loop: on a loaded machine an
 * ordered section stalled at every block).  *total gets the total. */

static baiot_status estep_exact(const gmm_diag *g, const baiot_em_data *f, emwork *w, int sums, double *total)
{
    const int64_t nb = (f->n + GMM_DIAG_BLOCK - 1) / GMM_DIAG_BLOCK, n = f->n;
    const double *const *cols = (const double *const *)f->cols;
    const int k = g->k, d = f->d;
    const int *nvals = f->nvals;
    if (!w->lrow) {
        w->lrow = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        w->resp_all = baiot_malloc((size_t)(n * k > 0 ? n * k : 1) * sizeof(double));
        if (!w->lrow || !w->resp_all)
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for EM (%lld rows)", (long long)n);
    }
#pragma omp parallel for num_threads(w->nt) schedule(dynamic, 1) if (nb > 1) default(none) \
    shared(g, w, f, cols, nb, k)
    for (int64_t b = 0; b < nb; b++) {
        const int64_t r0 = b * GMM_DIAG_BLOCK, r1 = r0 + GMM_DIAG_BLOCK < f->n ? r0 + GMM_DIAG_BLOCK : f->n;
        const int64_t bn = r1 - r0;
        double *resp = w->resp_all + r0 * k;
        baiot_gmm_diag_estep_cm(g, cols, r0, r1, resp, w->ws + omp_get_thread_num() * w->wsize, w->lrow + r0);
        w->nexact[b] = bn;
        if (w->assign)
            assign_block(resp, bn, k, w->assign + r0);
    }
    double s = 0;
    for (int64_t r = 0; r < n; r++)
        s += w->lrow[r];
    *total = s;
    if (!sums)
        return BAIOT_OK;
    acc_start(w->acc, 0, k, d, nvals);
    for (int64_t b = 0; b < nb; b++) {
        const int64_t r0 = b * GMM_DIAG_BLOCK, r1 = r0 + GMM_DIAG_BLOCK < f->n ? r0 + GMM_DIAG_BLOCK : f->n;
        baiot_gmm_diag_mstep_cm(k, d, nvals, cols, r0, r1, w->resp_all + r0 * k, w->acc, w->ws);
    }
    return BAIOT_OK;
}

/* E step (kernels/gmm_diag_blas.c, one block of GMM_DIAG_BLOCK rows per
 * task): the mean log-likelihood of f under m into *llk; with sums set also
 * each block's M-step sums into w->acc (the M step is fused into the E
 * step's pass over the data; mstep() only adds the blocks up); with
 * w->assign set each row's cluster of highest posterior (first on ties). */
static baiot_status estep(baiot_em_ctx *cx, const baiot_em_data *f, baiot_em_fit *m, emwork *w, int sums, double *llk)
{
    gmm_diag g;
    gmm_diag_blas bl;
    baiot_status st = layout(m, w, &g);
    if (st)
        return st;
    const int64_t nb = (f->n + GMM_DIAG_BLOCK - 1) / GMM_DIAG_BLOCK;
    if (w->exact) {
        double total = 0;
        if ((st = estep_exact(&g, f, w, sums, &total)))
            return st;
        *llk = total / (double)f->n;
        for (int64_t b = 0; b < nb; b++)
            cx->exact_rows += w->nexact[b];
        return BAIOT_OK;
    }
    baiot_gmm_diag_blas_prepare(&g, w->dn, w->num, w->ref, w->bw, w->bw0, w->bcb, &bl);
    const double *const *cols = (const double *const *)f->cols;
    const int k = m->k, d = f->d;
    const int *nvals = f->nvals;
    /* one OpenBLAS thread inside each of ours: no oversubscription, and a
     * block's products never depend on a thread count */
    int saved_blas = openblas_get_num_threads();
    openblas_set_num_threads(1);
#pragma omp parallel for num_threads(w->nt) schedule(dynamic, 1) if (nb > 1) default(none) \
    shared(bl, w, f, cols, sums, nb, k, d, nvals)
    for (int64_t b = 0; b < nb; b++) {
        int64_t r0 = b * GMM_DIAG_BLOCK, r1 = r0 + GMM_DIAG_BLOCK < f->n ? r0 + GMM_DIAG_BLOCK : f->n;
        const int64_t bn = r1 - r0;
        const int t = omp_get_thread_num();
        double *resp = w->resp + t * w->bmax * k, *ws = w->ws + t * w->wsize;
        w->ll[b] = baiot_gmm_diag_blas_estep(&bl, cols, r0, r1, resp, ws, &w->nexact[b]);
        if (sums) {
            double *acc = w->acc + b * w->accsize;
            acc_start(acc, b, k, d, nvals);
            baiot_gmm_diag_mstep_cm(k, d, nvals, cols, r0, r1, resp, acc, ws);
        }
        if (w->assign)
            assign_block(resp, bn, k, w->assign + r0);
    }
    openblas_set_num_threads(saved_blas);
    for (int64_t b = 0; b < nb; b++)
        cx->exact_rows += w->nexact[b];
    double s = 0;
    for (int64_t b = 0; b < nb; b++)
        s += w->ll[b];
    *llk = s / (double)f->n;
    if (sums) {
        const int64_t size = baiot_gmm_diag_acc_size(k, d, nvals);
        for (int64_t b = 1; b < nb; b++)
            for (int64_t i = 0; i < size; i++)
                w->acc[i] += w->acc[b * size + i];
    }
    return BAIOT_OK;
}

/* 1 when a variance the M step would make from w->acc (the sums of the last
 * E step) is ill-conditioned: (sum r x^2 - (sum r x)^2 / sum r) / sum r
 * below 1 / EM_EXACT_COND of sum r x^2 / sum r, so that the rounding of
 * Weka's uncentred sums decides its digits (columns like 1.5e9 + 1e-3
 * noise, or values 1.000006 and 1.000009).  Weka's doubles then come only
 * from Weka's posteriors, bit for bit. */
static int sums_ill_conditioned(const emwork *w, int k, int d, const int *nvals)
{
    const int64_t per = baiot_gmm_diag_acc_size(1, d, nvals);
    for (int c = 0; c < k; c++) {
        const double *a = w->acc + per * c + 1;
        for (int j = 0; j < d; j++) {
            if (nvals[j]) {
                a += nvals[j] + 1;
                continue;
            }
            double s0 = a[0], s2 = a[1], s1 = a[2];
            a += 3;
            if (!(s1 > 0) || s2 == 0)
                continue;
            double var = (s2 - s0 * s0 / s1) / s1;
            if (!(var * EM_EXACT_COND > s2 / s1))
                return 1;
        }
    }
    return 0;
}

/* 1 when m has a normal whose mean is more than sqrt(EM_EXACT_COND) of its
 * std devs from 0: the next M step's variance will be ill-conditioned
 * (sums_ill_conditioned), so its E step should be exact at once. */
static int model_ill_conditioned(const baiot_em_fit *m)
{
    for (int c = 0; c < m->k; c++)
        for (int j = 0; j < m->d; j++) {
            if (m->nvals[j])
                continue;
            double mu = m->mean[c * m->d + j], sd = m->sd[c * m->d + j];
            if (!(sd * sd * EM_EXACT_COND > mu * mu))
                return 1;
        }
    return 0;
}

/* M step: new normals and nominal counts from the block sums the last E
 * step left in w->acc (added in block order), by Weka's formulas: mean =
 * sum r x / sum r, variance (sum r x^2 - (sum r x)^2 / sum r) / sum r. */
static baiot_status mstep(baiot_em_ctx *cx, baiot_em_data *f, baiot_em_fit *m, emwork *w)
{
    const int64_t per = baiot_gmm_diag_acc_size(1, f->d, cx->nvals);
    const int k = m->k, d = f->d;
    /* priors: the posteriors' sums, normalised (Weka's estimate_priors) */
    double tot = 0;
    for (int c = 0; c < k; c++)
        tot += w->acc[per * c];
    if (!(tot > 0))
        return baiot_fail(BAIOT_ERR_NUMERIC, "Can't normalize array. Sum is zero.");
    for (int c = 0; c < k; c++)
        m->prior[c] = w->acc[per * c] / tot;
    const double minsd = cx->p->min_std_dev;
    for (int c = 0; c < k; c++) {
        const double *a = w->acc + per * c + 1;
        for (int j = 0; j < d; j++) {
            int64_t i = (int64_t)c * d + j;
            if (cx->nvals[j]) {
                double *cn = m->cnt + (int64_t)c * m->nv_total + cx->off[j];
                for (int v = 0; v < cx->nvals[j]; v++)
                    cn[v] = a[v];
                m->cnt_sum[i] = a[cx->nvals[j]];
                a += cx->nvals[j] + 1;
            } else {
                double s0 = a[0], s2 = a[1], s1 = a[2];
                a += 3;
                if (s1 > 0) {
                    double var = (s2 - s0 * s0 / s1) / s1;
                    if (var < 0)
                        var = 0;
                    double sd = sqrt(var);
                    if (sd <= minsd) {
                        baiot_status st = baiot_em_data_full_sd(f, j, &sd);
                        if (st)
                            return st;
                        if (isinf(sd) || sd <= minsd)
                            sd = minsd;
                    }
                    if (sd <= 0)
                        sd = minsd;
                    m->sd[i] = sd;
                    m->mean[i] = s0 / s1;
                } else {
                    m->sd[i] = DBL_MAX;
                    m->mean[i] = s0 / s1;
                }
            }
        }
    }
    return BAIOT_OK;
}

/* Weka's iterate(): E and M steps until the mean log-likelihood improves by
 * less than 1e-6 (a decrease reverts to the model saved before the last M
 * step); an exception (empty cluster) restarts from EM_Init on the whole data
 * with seed+1, and after 5 restarts with one cluster less.  m's k may change.
 * *iters gets the iterations performed; *llk_out the last E step's value. */
baiot_status baiot_em_iterate(baiot_em_ctx *cx, baiot_em_data *f, baiot_em_fit *m, int *iters, double *llk_out)
{
    emwork w;
    baiot_em_fit prev, start;
    memset(&prev, 0, sizeof prev);
    memset(&start, 0, sizeof start);
    memset(&w, 0, sizeof w);
    int64_t seed = cx->p->seed;
    int restarts = 0;
    double llk = 0, llkold;
    baiot_status st;
    cx->iter_secs = 0;
    cx->esteps = 0;
    cx->exact_rows = 0;
    for (;;) {
        int done = -1;
        if ((st = emwork_alloc(&w, f, m->k, cx->nv_total, cx->nt)))
            break;
        if ((st = baiot_em_fit_alloc(&prev, m->k, f->d, cx->nvals, cx->off, cx->nv_total)))
            break;
        if ((st = baiot_em_fit_alloc(&start, m->k, f->d, cx->nvals, cx->off, cx->nv_total)))
            break;
        baiot_em_fit_copy(&start, m);
        w.strict = w.exact = cx->p->strict_math;
        double t0 = omp_get_wtime();
        for (int i = 0; i < cx->p->max_iter; i++) {
            llkold = llk;
            cx->esteps++;
            baiot_progress("EM", "iterations", i + 1, cx->p->max_iter);
            if (!w.exact && model_ill_conditioned(m)) {
                w.exact = 1;
                if (i > 0) { /* replay from the start, every step exact */
                    baiot_em_fit_copy(m, &start);
                    i = -1;
                    continue;
                }
            }
            if ((st = estep(cx, f, m, &w, 1, &llk)))
                break;
            if (!w.exact && sums_ill_conditioned(&w, m->k, f->d, cx->nvals)) {
                w.exact = 1;
                if (i > 0) {
                    baiot_em_fit_copy(m, &start);
                    i = -1;
                    continue;
                }
                if ((st = estep(cx, f, m, &w, 1, &llk)))
                    break;
            }
            if (i > 0 && llk - llkold < EM_MIN_LL_IMPROVEMENT) {
                if (llk - llkold < 0) {
                    baiot_em_fit_copy(m, &prev);
                    done = i - 1;
                } else {
                    done = i;
                }
                break;
            }
            baiot_em_fit_copy(&prev, m);
            if ((st = mstep(cx, f, m, &w)))
                break;
        }
        cx->iter_secs += omp_get_wtime() - t0;
        emwork_free(&w);
        baiot_em_fit_free(&prev);
        baiot_em_fit_free(&start);
        if (st == BAIOT_ERR_NUMERIC) {
            /* Weka's restart: seed+1, 10 doubles and 10 ints discarded */
            seed++;
            restarts++;
            baiot_java_random_init(&cx->rr, seed);
            for (int z = 0; z < EM_DISCARD; z++) {
                baiot_java_random_next_double(&cx->rr);
                baiot_java_random_next_int(&cx->rr);
            }
            int k = m->k;
            if (restarts > EM_MAX_RESTARTS) {
                k--;
                restarts = 0;
            }
            if (k < 1)
                return baiot_fail(BAIOT_ERR_NUMERIC, "EM failed: every restart left a cluster empty");
            if ((st = baiot_em_init(cx, cx->full, k, m)))
                return st;
            continue;
        }
        if (st)
            return st;
        *iters = done < 0 ? cx->p->max_iter : done;
        *llk_out = llk;
        return BAIOT_OK;
    }
    emwork_free(&w);
    baiot_em_fit_free(&prev);
    baiot_em_fit_free(&start);
    return st;
}

/* Mean log density of the rows of t under m (E step without updates). */
static baiot_status score(baiot_em_ctx *cx, const baiot_em_data *t, baiot_em_fit *m, double *out)
{
    emwork w;
    baiot_status st = emwork_alloc(&w, t, m->k, cx->nv_total, cx->nt);
    w.strict = cx->p->strict_math;
    w.exact = w.strict || model_ill_conditioned(m);
    if (!st)
        st = estep(cx, t, m, &w, 0, out);
    emwork_free(&w);
    return st;
}

static void java_randomize(int64_t *order, int64_t n, java_random *r)
{
    for (int64_t j = n - 1; j > 0; j--) {
        int64_t i = baiot_java_random_next_int_bound(r, (int32_t)(j + 1));
        int64_t t = order[j];
        order[j] = order[i];
        order[i] = t;
    }
}

static baiot_status gather(const baiot_em_data *src, const int64_t *rows, int64_t n, baiot_em_data *dst)
{
    baiot_status st = baiot_em_data_alloc(dst, n, src->d, src->nvals);
    if (st)
        return st;
    for (int j = 0; j < src->d; j++)
        for (int64_t i = 0; i < n; i++)
            dst->cols[j][i] = src->cols[j][rows[i]];
    return BAIOT_OK;
}

/* CVClusters(): k = 1, 2, ... while the 10-fold CV mean log-likelihood
 * increases; *out = the last k that increased it. */
baiot_status baiot_em_cv_clusters(baiot_em_ctx *cx, int *out)
{
    const int64_t n = cx->full->n;
    const int folds = EM_CV_FOLDS;
    const int spread = cx->spread;
    double best = -DBL_MAX;
    int nk = 1;
    baiot_status st = BAIOT_OK;
    int64_t *order = baiot_malloc((size_t)n * sizeof *order), *train = baiot_malloc((size_t)n * sizeof *train);
    baiot_em_fit m;
    memset(&m, 0, sizeof m);
    if (!order || !train) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    for (int increased = 1; increased;) {
        increased = 0;
        java_random cvr;
        baiot_java_random_init(&cvr, cx->p->seed);
        for (int64_t i = 0; i < n; i++)
            order[i] = i;
        java_randomize(order, n, &cvr);
        /* every rank replays the shuffles (cheap, in fold order); each fits
         * and scores only its folds, inside which nothing is spread */
        double tll_of[EM_CV_FOLDS] = {0}, cost[EM_CV_FOLDS];
        int owner[EM_CV_FOLDS], me = spread ? baiot_dist_rank() : 0;
        for (int fo = 0; fo < folds; fo++) {
            cost[fo] = 1.0;
            owner[fo] = 0;
        }
        if (spread)
            baiot_dist_plan(cost, folds, NULL, owner);
        cx->spread = 0;
        int stop = 0;
        for (int fo = 0; fo < folds; fo++) {
            int64_t per = n / folds, first, cnt = per;
            if (fo < n % folds) {
                cnt++;
                first = fo * per + fo;
            } else {
                first = fo * per + n % folds;
            }
            int64_t nt = 0;
            for (int64_t i = 0; i < first; i++)
                train[nt++] = order[i];
            for (int64_t i = first + cnt; i < n; i++)
                train[nt++] = order[i];
            java_randomize(train, nt, &cvr);
            if (nk > nt) {
                stop = 1;
                break;
            }
            if (owner[fo] != me)
                continue;
            baiot_progress("EM clusters by CV", "folds", fo + 1, folds);
            baiot_em_data tr, te;
            memset(&tr, 0, sizeof tr);
            memset(&te, 0, sizeof te);
            if ((st = gather(cx->full, train, nt, &tr)) || (st = gather(cx->full, order + first, cnt, &te))) {
                baiot_em_data_free(&tr);
                goto done;
            }
            baiot_java_random_init(&cx->rr, cx->p->seed);
            for (int z = 0; z < EM_DISCARD; z++)
                baiot_java_random_next_double(&cx->rr);
            int iters;
            double llk, tll = 0;
            st = baiot_em_init(cx, &tr, nk, &m);
            if (!st)
                st = baiot_em_iterate(cx, &tr, &m, &iters, &llk);
            if (!st)
                st = score(cx, &te, &m, &tll);
            baiot_em_data_free(&tr);
            baiot_em_data_free(&te);
            if (st)
                goto done;
            tll_of[fo] = tll;
        }
        cx->spread = spread;
        if (stop)
            break;
        if (spread)
            baiot_dist_sum_f64(tll_of, folds);
        double total = 0;
        for (int fo = 0; fo < folds; fo++)
            total += tll_of[fo];
        total /= folds;
        baiot_log(BAIOT_LOG_DEBUG, "EM CV: %d clusters: loglikely %.17g", nk, total);
        if (total > best) {
            best = total;
            increased = 1;
            nk++;
        }
    }
    *out = nk - 1;
done:
    cx->spread = spread;
    if (st && spread)
        baiot_dist_check(st); /* a fold of this rank failed: the others cannot know */
    baiot_em_fit_free(&m);
    baiot_free(order);
    baiot_free(train);
    return st;
}

baiot_status baiot_em_diag_cluster(const baiot_em_model *m, const baiot_em_data *f, int *assign, double *mean_loglik)
{
    emwork w;
    baiot_em_fit fit = m->fit;
    baiot_status st = emwork_alloc(&w, f, m->k, m->nv_total, omp_get_max_threads());
    if (st)
        return st;
    w.assign = assign;
    w.strict = m->strict_math;
    w.exact = w.strict || model_ill_conditioned(&fit);
    baiot_em_params p = baiot_em_params_default();
    baiot_em_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.p = &p;
    cx.nt = omp_get_max_threads();
    cx.nvals = m->nvals;
    cx.off = m->off;
    /* posteriors without touching the model's priors */
    double *prior = baiot_malloc((size_t)m->k * sizeof *prior);
    if (!prior) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    } else {
        memcpy(prior, m->fit.prior, (size_t)m->k * sizeof *prior);
        fit.prior = prior;
        double llk;
        st = estep(&cx, f, &fit, &w, 0, &llk);
        if (!st && mean_loglik)
            *mean_loglik = llk;
    }
    baiot_free(prior);
    emwork_free(&w);
    return st;
}
