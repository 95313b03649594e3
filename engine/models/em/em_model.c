/*
 * em_model.c - Weka's EM clusterer and classes-to-clusters evaluation
 * (see include/baiot/em.h), reproducing Weka 3.6.14's numbers.
 *
 * Flow: the view's attributes are copied with missing values replaced
 * (mean / mode, Weka's ReplaceMissingValues); with -N -1 the number of
 * clusters is chosen by cross-validation (cv_clusters); then init_em runs
 * ten SimpleKMeans fits (kmeans_run) seeded by nextInt() of
 * java.util.Random(seed) after 10 discarded nextDouble(), keeps the one of
 * least squared error, and iterate() runs E and M steps until the mean
 * log-likelihood improves by < 1e-6.  The E step is a dgemm over centred
 * blocks of GMM_DIAG_BLOCK rows (kernels/gmm_diag_blas.c), which falls back
 * to Weka's exact arithmetic (kernels/gmm_diag.c) for rows where the product
 * form cannot be bounded by GMM_DIAG_BLAS_TOL; the M step's sums are made in
 * the same pass over each block (gmm_diag_mstep_cm) and mstep() adds the
 * blocks up.
 *
 * Invariants: (1) every M-step sum that Weka makes in instance order is
 * made in row order inside fixed blocks of GMM_DIAG_BLOCK rows, and the
 * block sums are added in block order, so results do not depend on the
 * thread count and, for up to GMM_DIAG_BLOCK rows, equal Weka's sums bit for
 * bit given the same posteriors; each row's log density and posteriors are
 * Weka's within GMM_DIAG_BLAS_TOL (absolute); (2) a fit owns all its arrays
 * (fitdata, emfit); nothing is global.
 * Thread-safety: independent calls may run concurrently.
 *
 * Extension beyond Weka: with covariance = BAIOT_EM_COV_FULL the same
 * k-means start (init_em) seeds fit_full (section "Full covariance"), which
 * runs kernels/gmm_full.c's E and M steps instead of iterate(); the diagonal
 * path never enters that section.
 */
#include "baiot/dist.h"
#include "baiot/em.h"
#include "baiot/progress.h"
#include "io/text/json.h"
#include "engine/weka/java_random.h"
#include "engine/weka/weka_numfmt.h"
#include "kernels/gmm_diag.h"
#include "kernels/gmm_diag_blas.h"
#include "kernels/gmm_full.h"

#include <cblas.h>

#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Weka's EM constants (weka.clusterers.EM, 3.6.14). */
#define EM_MIN_LL_IMPROVEMENT 1e-6 /* iterate(): stop when llk - llkold < this */
#define EM_KMEANS_RUNS 10          /* EM_Init(): SimpleKMeans restarts */
#define EM_DISCARD 10              /* doubles thrown away after new Random(seed) */
#define EM_CV_FOLDS 10             /* CVClusters() */
/* Loops over fewer row x attribute (x cluster) steps than this run on one
 * thread: on small data (the CV folds of k) a parallel region costs more
 * than it saves, and on a busy machine its barrier spins badly.  Results
 * never depend on it. */
#define EM_PAR_MIN_WORK ((int64_t)1 << 22)
#define EM_MAX_RESTARTS 5          /* restarts before k is reduced */
#define KMEANS_MAX_ITER 500        /* SimpleKMeans default -I */

baiot_em_params baiot_em_params_default(void)
{
    baiot_em_params p;
    p.n_clusters = -1;
    p.seed = 100;
    p.max_iter = 100;
    p.min_std_dev = 1e-6;
    p.n_threads = 0;
    p.covariance = BAIOT_EM_COV_DIAG;
    p.reg_covar = GMM_FULL_REG_COVAR;
    return p;
}

const char *baiot_em_params_check(const baiot_em_params *p)
{
    if (p->n_clusters != -1 && p->n_clusters < 1)
        return "the number of clusters must be -1 (cross-validation) or >= 1";
    if (p->max_iter < 1)
        return "the maximum number of iterations must be >= 1";
    if (!(p->min_std_dev > 0))
        return "the minimum standard deviation must be > 0";
    if (p->n_threads < 0)
        return "the thread count must be >= 0";
    if (p->covariance != BAIOT_EM_COV_DIAG && p->covariance != BAIOT_EM_COV_FULL)
        return "the covariance must be diagonal or full";
    if (!(p->reg_covar >= 0) || !isfinite(p->reg_covar))
        return "the covariance regularisation must be a number >= 0";
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Data of one fit: d column arrays of n rows (missing values replaced).     */

typedef struct fitdata {
    int64_t n;
    int d;
    const int *nvals;  /* d */
    double **cols;     /* d pointers into block */
    double *block;     /* n*d, owned */
    double *full_sd;   /* d: Weka's attributeStats std dev, NaN until needed */
} fitdata;

static void fitdata_free(fitdata *f)
{
    if (!f)
        return;
    baiot_free(f->cols);
    baiot_free(f->block);
    baiot_free(f->full_sd);
}

static baiot_status fitdata_alloc(fitdata *f, int64_t n, int d, const int *nvals)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    f->d = d;
    f->nvals = nvals;
    f->cols = baiot_malloc((size_t)(d > 0 ? d : 1) * sizeof *f->cols);
    f->block = baiot_malloc((size_t)(n * d > 0 ? n * d : 1) * sizeof *f->block);
    f->full_sd = baiot_malloc((size_t)(d > 0 ? d : 1) * sizeof *f->full_sd);
    if (!f->cols || !f->block || !f->full_sd) {
        fitdata_free(f);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for EM data (%lld x %d)", (long long)n, d);
    }
    for (int j = 0; j < d; j++) {
        f->cols[j] = f->block + (int64_t)j * n;
        f->full_sd[j] = NAN;
    }
    return BAIOT_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Weka's attributeStats(j).numericStats.stdDev: sums over the distinct
 * values in increasing order, each times its count; (sumSq - sum^2/n) /
 * (n-1), clipped at 0; +Inf for one row. Computed once per fit data. */
static baiot_status full_std_dev(fitdata *f, int j, double *out)
{
    if (!isnan(f->full_sd[j])) {
        *out = f->full_sd[j];
        return BAIOT_OK;
    }
    double *s = baiot_malloc((size_t)(f->n > 0 ? f->n : 1) * sizeof *s);
    if (!s)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    memcpy(s, f->cols[j], (size_t)f->n * sizeof *s);
    qsort(s, (size_t)f->n, sizeof *s, cmp_double);
    double sum = 0, sumsq = 0, count = 0;
    for (int64_t i = 0; i < f->n;) {
        int64_t e = i;
        while (e < f->n && s[e] == s[i])
            e++;
        double v = s[i], c = (double)(e - i);
        count += c;
        sum += v * c;
        sumsq += v * v * c;
        i = e;
    }
    baiot_free(s);
    double sd = NAN;
    if (count > 0) {
        sd = INFINITY;
        if (count > 1) {
            sd = sumsq - sum * sum / count;
            sd /= count - 1;
            if (sd < 0)
                sd = 0;
            sd = sqrt(sd);
        }
    }
    f->full_sd[j] = sd;
    *out = sd;
    return BAIOT_OK;
}

/* ------------------------------------------------------------------------ */
/* The model of one fit.                                                      */

typedef struct emfit {
    int k, d, nv_total;
    const int *nvals, *off;
    double *prior;   /* k */
    double *mean;    /* k*d */
    double *sd;      /* k*d */
    double *cnt;     /* k*nv_total: nominal value counts (Laplace-started) */
    double *cnt_sum; /* k*d: their totals */
} emfit;

static void emfit_free(emfit *m)
{
    baiot_free(m->prior);
    baiot_free(m->mean);
    baiot_free(m->sd);
    baiot_free(m->cnt);
    baiot_free(m->cnt_sum);
    m->prior = m->mean = m->sd = m->cnt = m->cnt_sum = NULL;
}

static baiot_status emfit_alloc(emfit *m, int k, int d, const int *nvals, const int *off, int nv_total)
{
    m->k = k;
    m->d = d;
    m->nvals = nvals;
    m->off = off;
    m->nv_total = nv_total;
    m->prior = baiot_calloc((size_t)k, sizeof(double));
    m->mean = baiot_calloc((size_t)k * d + 1, sizeof(double));
    m->sd = baiot_calloc((size_t)k * d + 1, sizeof(double));
    m->cnt = baiot_calloc((size_t)k * nv_total + 1, sizeof(double));
    m->cnt_sum = baiot_calloc((size_t)k * d + 1, sizeof(double));
    if (!m->prior || !m->mean || !m->sd || !m->cnt || !m->cnt_sum) {
        emfit_free(m);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for an EM model");
    }
    return BAIOT_OK;
}

static void emfit_copy(emfit *dst, const emfit *src)
{
    memcpy(dst->prior, src->prior, (size_t)src->k * sizeof(double));
    memcpy(dst->mean, src->mean, (size_t)src->k * src->d * sizeof(double));
    memcpy(dst->sd, src->sd, (size_t)src->k * src->d * sizeof(double));
    memcpy(dst->cnt, src->cnt, (size_t)src->k * src->nv_total * sizeof(double));
    memcpy(dst->cnt_sum, src->cnt_sum, (size_t)src->k * src->d * sizeof(double));
}

/* ------------------------------------------------------------------------ */
/* SimpleKMeans (Weka 3.6.14, random initial centroids, range-normalised     */
/* Euclidean distance, at most 500 iterations, empty clusters dropped).      */

typedef struct kmres {
    int k;
    double sqerr;
    double *centroid; /* k*d raw centroid values (nominal: the mode) */
    double *sd;       /* k*d: sqrt of Weka's Instances.variance of the members */
    double *ncount;   /* k*nv_total: members' nominal value counts */
    int64_t *size;    /* k */
} kmres;

typedef struct kmwork {
    int64_t *perm;   /* n: the instance order after the initial swaps */
    double *xr;      /* n*d row-major raw values in perm order */
    double *z;       /* n*d row-major normalised values (nominal: raw) */
    int *assign;     /* n */
    double *dist;    /* n: distance to the chosen centroid */
    double *lo, *width; /* d: ranges */
} kmwork;

static void kmwork_free(kmwork *w)
{
    baiot_free(w->perm);
    baiot_free(w->xr);
    baiot_free(w->z);
    baiot_free(w->assign);
    baiot_free(w->dist);
    baiot_free(w->lo);
    baiot_free(w->width);
    memset(w, 0, sizeof *w);
}

static baiot_status kmwork_alloc(kmwork *w, int64_t n, int d)
{
    size_t nd = (size_t)(n * d > 0 ? n * d : 1), nn = (size_t)(n > 0 ? n : 1), dd = (size_t)(d > 0 ? d : 1);
    w->perm = baiot_malloc(nn * sizeof *w->perm);
    w->xr = baiot_malloc(nd * sizeof *w->xr);
    w->z = baiot_malloc(nd * sizeof *w->z);
    w->assign = baiot_malloc(nn * sizeof *w->assign);
    w->dist = baiot_malloc(nn * sizeof *w->dist);
    w->lo = baiot_malloc(dd * sizeof *w->lo);
    w->width = baiot_malloc(dd * sizeof *w->width);
    if (!w->perm || !w->xr || !w->z || !w->assign || !w->dist || !w->lo || !w->width) {
        kmwork_free(w);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for k-means");
    }
    return BAIOT_OK;
}

static void kmres_free(kmres *r)
{
    baiot_free(r->centroid);
    baiot_free(r->sd);
    baiot_free(r->ncount);
    baiot_free(r->size);
    memset(r, 0, sizeof *r);
}

/* Weka's NormalizableDistance.norm: 0 for a constant attribute. */
static double norm_value(double x, double lo, double width)
{
    return width == 0 ? 0 : (x - lo) / width;
}

/* One SimpleKMeans fit of f with k clusters and Random(seed); writes *out
 * (owned by the caller). */
static baiot_status kmeans_run(const fitdata *f, int k, int32_t seed, int nt, kmwork *w, kmres *out)
{
    const int64_t n = f->n;
    const int d = f->d;
    int nv_total = 0;
    for (int j = 0; j < d; j++)
        nv_total += f->nvals[j];
    memset(out, 0, sizeof *out);
    double *cent = baiot_malloc((size_t)(k * d + 1) * sizeof *cent);
    double *zc = baiot_malloc((size_t)(k * d + 1) * sizeof *zc);
    double *sums = baiot_malloc((size_t)(k * d + 1) * sizeof *sums);
    double *ncount = baiot_calloc((size_t)k * nv_total + 1, sizeof *ncount);
    int64_t *size = baiot_calloc((size_t)k + 1, sizeof *size);
    double *sqerr = baiot_calloc((size_t)k + 1, sizeof *sqerr);
    int *remap = baiot_malloc((size_t)(k + 1) * sizeof *remap);
    baiot_status st = BAIOT_OK;
    if (!cent || !zc || !sums || !ncount || !size || !sqerr || !remap) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for k-means");
        goto done;
    }
    /* ranges (setInstances) */
    for (int j = 0; j < d; j++) {
        double lo = NAN, hi = NAN;
        const double *x = f->cols[j];
        for (int64_t i = 0; i < n; i++) {
            if (isnan(lo) || x[i] < lo)
                lo = x[i];
            if (isnan(hi) || x[i] > hi)
                hi = x[i];
        }
        w->lo[j] = lo;
        w->width[j] = isnan(lo) ? 0 : hi - lo;
    }
    /* initial centroids: Weka's in-place swaps */
    java_random rnd;
    java_random_init(&rnd, seed);
    for (int64_t i = 0; i < n; i++)
        w->perm[i] = i;
    int kk = 0;
    for (int64_t j = n - 1; j >= 0; j--) {
        int64_t idx = java_random_next_int_bound(&rnd, (int32_t)(j + 1));
        int64_t r = w->perm[idx];
        int dup = 0;
        for (int c = 0; c < kk && !dup; c++) {
            int same = 1;
            for (int a = 0; a < d && same; a++)
                same = cent[c * d + a] == f->cols[a][r];
            dup = same;
        }
        if (!dup) {
            for (int a = 0; a < d; a++)
                cent[kk * d + a] = f->cols[a][r];
            kk++;
        }
        w->perm[idx] = w->perm[j];
        w->perm[j] = r;
        if (kk == k)
            break;
    }
    k = kk;
    /* row-major copies in the permuted order */
#pragma omp parallel for num_threads(nt) schedule(static) if (n * d >= EM_PAR_MIN_WORK) default(none) \
    shared(f, w, n, d)
    for (int64_t i = 0; i < n; i++) {
        int64_t r = w->perm[i];
        for (int a = 0; a < d; a++) {
            double x = f->cols[a][r];
            w->xr[i * d + a] = x;
            w->z[i * d + a] = f->nvals[a] ? x : norm_value(x, w->lo[a], w->width[a]);
        }
    }
    for (int64_t i = 0; i < n; i++)
        w->assign[i] = 0;
    int converged = 0, iter = 0;
    while (!converged) {
        iter++;
        for (int c = 0; c < k; c++)
            for (int a = 0; a < d; a++)
                zc[c * d + a] = f->nvals[a] ? cent[c * d + a] : norm_value(cent[c * d + a], w->lo[a], w->width[a]);
        int changed = 0;
#pragma omp parallel for num_threads(nt) schedule(static) if (n * d * k >= EM_PAR_MIN_WORK) default(none) \
    shared(f, w, n, d, k, zc) reduction(| : changed)
        for (int64_t i = 0; i < n; i++) {
            const double *zi = w->z + i * d;
            double min = (double)INT32_MAX;
            int best = 0;
            for (int c = 0; c < k; c++) {
                const double *zz = zc + c * d;
                double s = 0;
                for (int a = 0; a < d; a++) {
                    double diff = f->nvals[a] ? (zi[a] != zz[a] ? 1.0 : 0.0) : zi[a] - zz[a];
                    s += diff * diff;
                }
                s = sqrt(s);
                if (s < min) {
                    min = s;
                    best = c;
                }
            }
            if (best != w->assign[i])
                changed = 1;
            w->assign[i] = best;
            w->dist[i] = min;
        }
        converged = !changed;
        for (int c = 0; c < k; c++)
            sqerr[c] = 0;
        for (int64_t i = 0; i < n; i++)
            sqerr[w->assign[i]] += w->dist[i] * w->dist[i];
        /* new centroids: means (nominal: modes) of the members in order */
        for (int c = 0; c < k * d; c++)
            sums[c] = 0;
        for (int c = 0; c < k; c++)
            size[c] = 0;
        memset(ncount, 0, ((size_t)k * nv_total + 1) * sizeof *ncount);
        for (int64_t i = 0; i < n; i++) {
            int c = w->assign[i];
            size[c]++;
            const double *x = w->xr + i * d;
            double *s = sums + c * d;
            for (int a = 0, o = 0; a < d; o += f->nvals[a], a++) {
                if (f->nvals[a])
                    ncount[(int64_t)c * nv_total + o + (int)x[a]] += 1;
                else
                    s[a] += x[a];
            }
        }
        int nk = 0;
        for (int c = 0; c < k; c++) {
            if (!size[c]) {
                remap[c] = -1;
                continue;
            }
            remap[c] = nk;
            for (int a = 0, o = 0; a < d; o += f->nvals[a], a++) {
                if (f->nvals[a]) {
                    const double *cn = ncount + (int64_t)c * nv_total + o;
                    int m = 0;
                    for (int v = 1; v < f->nvals[a]; v++)
                        if (cn[v] > cn[m])
                            m = v;
                    cent[nk * d + a] = m;
                } else {
                    cent[nk * d + a] = sums[c * d + a] / (double)size[c];
                }
            }
            if (nk != c) {
                size[nk] = size[c];
                sqerr[nk] = sqerr[c];
                memmove(ncount + (int64_t)nk * nv_total, ncount + (int64_t)c * nv_total,
                        (size_t)nv_total * sizeof *ncount);
            }
            nk++;
        }
        if (nk < k) {
            for (int64_t i = 0; i < n; i++)
                w->assign[i] = remap[w->assign[i]];
            k = nk;
        }
        if (iter == KMEANS_MAX_ITER)
            converged = 1;
    }
    /* result: centroids, member std devs (Weka 3.6 Instances.variance) */
    out->k = k;
    out->centroid = baiot_malloc((size_t)(k * d + 1) * sizeof(double));
    out->sd = baiot_malloc((size_t)(k * d + 1) * sizeof(double));
    out->ncount = baiot_malloc(((size_t)k * nv_total + 1) * sizeof(double));
    out->size = baiot_malloc((size_t)(k + 1) * sizeof(int64_t));
    if (!out->centroid || !out->sd || !out->ncount || !out->size) {
        kmres_free(out);
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for k-means");
        goto done;
    }
    memcpy(out->centroid, cent, (size_t)k * d * sizeof(double));
    memcpy(out->ncount, ncount, (size_t)k * nv_total * sizeof(double));
    memcpy(out->size, size, (size_t)k * sizeof(int64_t));
    out->sqerr = 0;
    for (int c = 0; c < k; c++)
        out->sqerr += sqerr[c];
    /* sums (reusing sums: s, zc: sum of squares) */
    for (int c = 0; c < k * d; c++)
        sums[c] = zc[c] = 0;
    for (int64_t i = 0; i < n; i++) {
        int c = w->assign[i];
        const double *x = w->xr + i * d;
        for (int a = 0; a < d; a++) {
            sums[c * d + a] += x[a];
            zc[c * d + a] += x[a] * x[a];
        }
    }
    for (int c = 0; c < k; c++)
        for (int a = 0; a < d; a++) {
            double sw = (double)size[c], var;
            if (sw <= 1) {
                var = 0;
            } else {
                double s = sums[c * d + a];
                var = (zc[c * d + a] - s * s / sw) / (sw - 1);
                if (var < 0)
                    var = 0;
            }
            out->sd[c * d + a] = f->nvals[a] ? NAN : sqrt(var);
        }
done:
    baiot_free(cent);
    baiot_free(zc);
    baiot_free(sums);
    baiot_free(ncount);
    baiot_free(size);
    baiot_free(sqerr);
    baiot_free(remap);
    return st;
}

/* ------------------------------------------------------------------------ */
/* EM                                                                          */

typedef struct emctx {
    const baiot_em_params *p;
    int nt;
    const int *nvals, *off;
    int d, nv_total;
    fitdata *full;   /* the whole data (restarts initialise on it, as Weka) */
    java_random rr;  /* Weka's m_rr */
    double iter_secs; /* the last iterate() call: wall time of its E and M steps */
    int esteps;       /* and the E steps it ran */
    int64_t exact_rows; /* rows the E steps sent to the exact path (gmm_diag_blas.h) */
    int spread;       /* 1: k-means starts and CV folds are spread over the job's ranks (baiot/dist.h) */
} emctx;

/* EM_Init: the best of 10 k-means runs (seeds from ctx->rr) initialises m
 * (allocated here, k may shrink). */
static baiot_status init_em(emctx *cx, fitdata *f, int k, emfit *m)
{
    kmwork w;
    kmres best, cur;
    memset(&w, 0, sizeof w);
    memset(&best, 0, sizeof best);
    double best_err = DBL_MAX;
    baiot_status st = kmwork_alloc(&w, f->n, f->d);
    if (st)
        return st;
    /* The runs' seeds come first from m_rr (k-means draws from its own
     * Random), so the runs are independent units: in a job spread over
     * ranks each rank runs its share, the squared errors are summed (one
     * rank gives each), every rank picks the same best (the first of least
     * error, Weka's order) and a rank that did not run it runs it again. */
    int32_t seeds[EM_KMEANS_RUNS];
    double errs[EM_KMEANS_RUNS] = {0}, unit[EM_KMEANS_RUNS];
    int owner[EM_KMEANS_RUNS], me = cx->spread ? baiot_dist_rank() : 0, best_run = -1;
    for (int run = 0; run < EM_KMEANS_RUNS; run++) {
        seeds[run] = java_random_next_int(&cx->rr);
        unit[run] = 1.0;
        owner[run] = 0;
    }
    if (cx->spread)
        baiot_dist_plan(unit, EM_KMEANS_RUNS, NULL, owner);
    for (int run = 0; run < EM_KMEANS_RUNS; run++) {
        if (owner[run] != me)
            continue;
        baiot_progress("k-means", "starts", run + 1, EM_KMEANS_RUNS);
        if ((st = kmeans_run(f, k, seeds[run], cx->nt, &w, &cur))) {
            if (cx->spread)
                baiot_dist_check(st);
            goto done;
        }
        errs[run] = cur.sqerr;
        if (cur.sqerr < best_err) {
            best_err = cur.sqerr;
            best_run = run;
            kmres_free(&best);
            best = cur;
        } else {
            kmres_free(&cur);
        }
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
            kmres_free(&best);
            if (global >= 0 && (st = kmeans_run(f, k, seeds[global], cx->nt, &w, &best))) {
                baiot_dist_check(st);
                goto done;
            }
        }
    }
    kmwork_free(&w);
    if (!best.centroid)
        return baiot_fail(BAIOT_ERR_NUMERIC, "k-means gave no solution");
    emfit_free(m);
    if ((st = emfit_alloc(m, best.k, f->d, cx->nvals, cx->off, cx->nv_total)))
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
                    if ((st = full_std_dev(f, j, &sd)))
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
    kmwork_free(&w);
    kmres_free(&best);
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
    double *ref;      /* dn: the products' centres (gmm_diag_blas_prepare) */
    double *bw, *bw0, *bcb; /* the product form (gmm_diag_blas_prepare) */
    double *resp;     /* nt * GMM_DIAG_BLOCK * k: each thread's block posteriors */
    double *ws;       /* nt * wsize */
    int64_t wsize;
    int64_t bmax;     /* rows of the largest block */
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
    memset(w, 0, sizeof *w);
}

/* Sizes the workspace for f and k clusters on nt threads. */
static baiot_status emwork_alloc(emwork *w, const fitdata *f, int k, int nv_total, int nt)
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
    w->wsize = gmm_diag_blas_ws_size(k, w->dn, nbmax);
    if (w->wsize < gmm_diag_mstep_ws_size(k))
        w->wsize = gmm_diag_mstep_ws_size(k);
    w->accsize = gmm_diag_acc_size(k, d, f->nvals);
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
static baiot_status layout(const emfit *m, emwork *w, gmm_diag *g)
{
    for (int c = 0; c < m->k; c++) {
        if (!(m->prior[c] > 0))
            return baiot_fail(BAIOT_ERR_NUMERIC, "Cluster empty!");
        w->log_prior[c] = log(m->prior[c]);
        for (int j = 0; j < m->d; j++) {
            int64_t i = (int64_t)c * m->d + j;
            if (m->nvals[j]) {
                for (int v = 0; v < m->nvals[j]; v++) {
                    int64_t o = (int64_t)c * m->nv_total + m->off[j] + v;
                    double s = m->cnt_sum[i];
                    w->log_p[o] = log(s == 0 ? 0 : m->cnt[o] / s);
                }
            } else {
                w->two_var[i] = 2 * m->sd[i] * m->sd[i];
                w->log_sd[i] = log(m->sd[i]);
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
    return BAIOT_OK;
}

/* Zeroes block b's M-step accumulator; block 0 gets the Laplace start of
 * Weka's DiscreteEstimator for nominal attributes. */
static void acc_start(double *acc, int64_t b, int k, int d, const int *nvals)
{
    const int64_t per = gmm_diag_acc_size(1, d, nvals);
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

/* E step (kernels/gmm_diag_blas.c, one block of GMM_DIAG_BLOCK rows per
 * task): the mean log-likelihood of f under m into *llk; with sums set also
 * each block's M-step sums into w->acc (the M step is fused into the E
 * step's pass over the data; mstep() only adds the blocks up); with
 * w->assign set each row's cluster of highest posterior (first on ties). */
static baiot_status estep(emctx *cx, const fitdata *f, emfit *m, emwork *w, int sums, double *llk)
{
    gmm_diag g;
    gmm_diag_blas bl;
    baiot_status st = layout(m, w, &g);
    if (st)
        return st;
    gmm_diag_blas_prepare(&g, w->dn, w->num, w->ref, w->bw, w->bw0, w->bcb, &bl);
    const int64_t nb = (f->n + GMM_DIAG_BLOCK - 1) / GMM_DIAG_BLOCK;
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
        w->ll[b] = gmm_diag_blas_estep(&bl, cols, r0, r1, resp, ws, &w->nexact[b]);
        if (sums) {
            double *acc = w->acc + b * w->accsize;
            acc_start(acc, b, k, d, nvals);
            gmm_diag_mstep_cm(k, d, nvals, cols, r0, r1, resp, acc, ws);
        }
        if (w->assign)
            for (int64_t r = 0; r < bn; r++) {
                int best = 0;
                for (int c = 1; c < k; c++)
                    if (resp[c * bn + r] > resp[best * bn + r])
                        best = c;
                w->assign[r0 + r] = best;
            }
    }
    openblas_set_num_threads(saved_blas);
    for (int64_t b = 0; b < nb; b++)
        cx->exact_rows += w->nexact[b];
    double s = 0;
    for (int64_t b = 0; b < nb; b++)
        s += w->ll[b];
    *llk = s / (double)f->n;
    return BAIOT_OK;
}

/* M step: new normals and nominal counts from the block sums the last E
 * step left in w->acc (added in block order), by Weka's formulas: mean =
 * sum r x / sum r, variance (sum r x^2 - (sum r x)^2 / sum r) / sum r. */
static baiot_status mstep(emctx *cx, fitdata *f, emfit *m, emwork *w)
{
    const int64_t nb = (f->n + GMM_DIAG_BLOCK - 1) / GMM_DIAG_BLOCK;
    const int64_t per = gmm_diag_acc_size(1, f->d, cx->nvals);
    const int k = m->k, d = f->d;
    for (int64_t b = 1; b < nb; b++)
        for (int64_t i = 0; i < per * k; i++)
            w->acc[i] += w->acc[b * per * k + i];
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
                        baiot_status st = full_std_dev(f, j, &sd);
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
static baiot_status iterate(emctx *cx, fitdata *f, emfit *m, int *iters, double *llk_out)
{
    emwork w;
    emfit prev;
    memset(&prev, 0, sizeof prev);
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
        if ((st = emfit_alloc(&prev, m->k, f->d, cx->nvals, cx->off, cx->nv_total)))
            break;
        double t0 = omp_get_wtime();
        for (int i = 0; i < cx->p->max_iter; i++) {
            llkold = llk;
            cx->esteps++;
            baiot_progress("EM", "iterations", i + 1, cx->p->max_iter);
            if ((st = estep(cx, f, m, &w, 1, &llk)))
                break;
            if (i > 0 && llk - llkold < EM_MIN_LL_IMPROVEMENT) {
                if (llk - llkold < 0) {
                    emfit_copy(m, &prev);
                    done = i - 1;
                } else {
                    done = i;
                }
                break;
            }
            emfit_copy(&prev, m);
            if ((st = mstep(cx, f, m, &w)))
                break;
        }
        cx->iter_secs += omp_get_wtime() - t0;
        emwork_free(&w);
        emfit_free(&prev);
        if (st == BAIOT_ERR_NUMERIC) {
            /* Weka's restart: seed+1, 10 doubles and 10 ints discarded */
            seed++;
            restarts++;
            java_random_init(&cx->rr, seed);
            for (int z = 0; z < EM_DISCARD; z++) {
                java_random_next_double(&cx->rr);
                java_random_next_int(&cx->rr);
            }
            int k = m->k;
            if (restarts > EM_MAX_RESTARTS) {
                k--;
                restarts = 0;
            }
            if (k < 1)
                return baiot_fail(BAIOT_ERR_NUMERIC, "EM failed: every restart left a cluster empty");
            if ((st = init_em(cx, cx->full, k, m)))
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
    emfit_free(&prev);
    return st;
}

/* Mean log density of the rows of t under m (E step without updates). */
static baiot_status score(emctx *cx, const fitdata *t, emfit *m, double *out)
{
    emwork w;
    baiot_status st = emwork_alloc(&w, t, m->k, cx->nv_total, cx->nt);
    if (!st)
        st = estep(cx, t, m, &w, 0, out);
    emwork_free(&w);
    return st;
}

static void java_randomize(int64_t *order, int64_t n, java_random *r)
{
    for (int64_t j = n - 1; j > 0; j--) {
        int64_t i = java_random_next_int_bound(r, (int32_t)(j + 1));
        int64_t t = order[j];
        order[j] = order[i];
        order[i] = t;
    }
}

static baiot_status gather(const fitdata *src, const int64_t *rows, int64_t n, fitdata *dst)
{
    baiot_status st = fitdata_alloc(dst, n, src->d, src->nvals);
    if (st)
        return st;
    for (int j = 0; j < src->d; j++)
        for (int64_t i = 0; i < n; i++)
            dst->cols[j][i] = src->cols[j][rows[i]];
    return BAIOT_OK;
}

/* CVClusters(): k = 1, 2, ... while the 10-fold CV mean log-likelihood
 * increases; *out = the last k that increased it. */
static baiot_status cv_clusters(emctx *cx, int *out)
{
    const int64_t n = cx->full->n;
    const int folds = EM_CV_FOLDS;
    const int spread = cx->spread;
    double best = -DBL_MAX;
    int nk = 1;
    baiot_status st = BAIOT_OK;
    int64_t *order = baiot_malloc((size_t)n * sizeof *order), *train = baiot_malloc((size_t)n * sizeof *train);
    emfit m;
    memset(&m, 0, sizeof m);
    if (!order || !train) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    for (int increased = 1; increased;) {
        increased = 0;
        java_random cvr;
        java_random_init(&cvr, cx->p->seed);
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
            fitdata tr, te;
            memset(&tr, 0, sizeof tr);
            memset(&te, 0, sizeof te);
            if ((st = gather(cx->full, train, nt, &tr)) || (st = gather(cx->full, order + first, cnt, &te))) {
                fitdata_free(&tr);
                goto done;
            }
            java_random_init(&cx->rr, cx->p->seed);
            for (int z = 0; z < EM_DISCARD; z++)
                java_random_next_double(&cx->rr);
            int iters;
            double llk, tll = 0;
            st = init_em(cx, &tr, nk, &m);
            if (!st)
                st = iterate(cx, &tr, &m, &iters, &llk);
            if (!st)
                st = score(cx, &te, &m, &tll);
            fitdata_free(&tr);
            fitdata_free(&te);
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
    emfit_free(&m);
    baiot_free(order);
    baiot_free(train);
    return st;
}

/* ------------------------------------------------------------------------ */
/* The public model.                                                           */

struct baiot_em_model {
    int k, d, nv_total, by_cv, iterations;
    int esteps;       /* diagonal: E steps of the final fit, and their wall time with the M steps */
    double iter_secs;
    int64_t exact_rows;
    int *nvals, *off;
    double *fill; /* d: the missing-value replacements */
    double train_llk;
    emfit fit;
    /* full covariance only (else NULL): k*d*d covariances; the start */
    double *cov, *init_prior, *init_mean, *init_cov;
    double reg_covar;
};

void baiot_em_free(baiot_em_model *m)
{
    if (!m)
        return;
    emfit_free(&m->fit);
    baiot_free(m->cov);
    baiot_free(m->init_prior);
    baiot_free(m->init_mean);
    baiot_free(m->init_cov);
    baiot_free(m->nvals);
    baiot_free(m->off);
    baiot_free(m->fill);
    baiot_free(m);
}

/* ------------------------------------------------------------------------ */
/* Full covariance (an extension beyond Weka; kernels/gmm_full.c).            */
/*                                                                            */
/* Start: init_em's k-means solution, as Weka's EM starts (means = centroids, */
/* covariances = diag(sd^2) of Weka's member std devs, priors = sizes / n).   */
/* Each iteration: factor the covariances, E step per block (posteriors and   */
/* the mean log-likelihood); stop when it improved by < GMM_FULL_TOL (no M    */
/* step then); else M step: per-block resp^T X and responsibility sums added  */
/* in block order give the means and priors, then per-block scatter matrices  */
/* around the new means give the covariances (+ reg_covar on the diagonal).   */
/* At most max_iter M steps.  BLAS runs single-threaded inside the block loop */
/* (OpenMP splits the blocks); the caller's OpenBLAS thread count is restored. */

static void print_full(const baiot_em_model *m, const baiot_view *v, FILE *f);
static void write_json_full(const baiot_em_model *m, FILE *f);

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
static baiot_status full_estep(const fitdata *f, int k, const double *prior, const double *mean, const double *cov,
                               fullwork *w, double *llk)
{
    const int d = f->d;
    const int64_t n = f->n, nb = w->nb;
    int bad = gmm_full_prepare(k, d, cov, prior, w->chol, w->log_norm);
    if (bad >= 0)
        return baiot_fail(BAIOT_ERR_NUMERIC,
                          "cluster %d's covariance is not positive definite (raise the regularisation)", bad);
    const double *x = f->block;
#pragma omp parallel for num_threads(w->nt) schedule(dynamic, 1) if (nb > 1) default(none) shared(w, x, mean, n, nb, k, d)
    for (int64_t b = 0; b < nb; b++) {
        int64_t r0 = b * GMM_FULL_BLOCK, r1 = r0 + GMM_FULL_BLOCK < n ? r0 + GMM_FULL_BLOCK : n;
        double *ws = w->ws + (int64_t)omp_get_thread_num() * GMM_FULL_BLOCK * d;
        w->ll[b] = gmm_full_estep(k, d, x, n, r0, r1, mean, w->chol, w->log_norm, w->resp + r0 * k, ws);
    }
    double s = 0;
    for (int64_t b = 0; b < nb; b++)
        s += w->ll[b];
    *llk = s / (double)n;
    return BAIOT_OK;
}

/* Fits m's full-covariance mixture on f from m->fit (init_em's start): sets
 * m->cov, m->init_*, m->iterations, m->train_llk and m->fit's priors, means
 * and std devs (square roots of the covariance diagonals). */
static baiot_status fit_full(emctx *cx, const fitdata *f, baiot_em_model *m)
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
            gmm_full_mstep_means(k, d, x, n, r0, r1, w.resp + r0 * k, a, a + k);
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
            gmm_full_mstep_scatter(k, d, x, n, r0, r1, w.resp + r0 * k, mean, acc + b * per + p1, ws);
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
static baiot_status cluster_full(const baiot_em_model *m, const fitdata *f, int *assign, double *mean_loglik)
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

/* Copies v's attributes into f with Weka's ReplaceMissingValues (means of
 * the present values, modes: the first most frequent value). */
static baiot_status load_data(const baiot_view *v, const double *fill, fitdata *f, const int *nvals)
{
    baiot_status st = fitdata_alloc(f, v->n_rows, v->n_cols, nvals);
    if (st)
        return st;
    for (int j = 0; j < v->n_cols; j++)
        for (int64_t i = 0; i < v->n_rows; i++) {
            double x = v->cols[j][i];
            f->cols[j][i] = isnan(x) ? fill[j] : x;
        }
    return BAIOT_OK;
}

baiot_status baiot_em_train(const baiot_view *v, const baiot_em_params *p, baiot_em_model **out)
{
    *out = NULL;
    const char *msg = baiot_em_params_check(p);
    if (msg)
        return baiot_fail(BAIOT_ERR_ARG, "%s", msg);
    if (v->n_rows < 1 || v->n_cols < 1)
        return baiot_fail(BAIOT_ERR_ARG, "EM needs at least one row and one attribute");
    baiot_em_model *m = baiot_calloc(1, sizeof *m);
    fitdata full;
    memset(&full, 0, sizeof full);
    baiot_status st = BAIOT_OK;
    if (!m)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    const int d = v->n_cols;
    m->d = d;
    m->nvals = baiot_calloc((size_t)d, sizeof *m->nvals);
    m->off = baiot_calloc((size_t)d, sizeof *m->off);
    m->fill = baiot_calloc((size_t)d, sizeof *m->fill);
    if (!m->nvals || !m->off || !m->fill) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    for (int j = 0; j < d; j++) {
        m->off[j] = m->nv_total;
        if (v->attrs[j].kind == BAIOT_ATTR_NOMINAL) {
            m->nvals[j] = v->attrs[j].n_values > 0 ? v->attrs[j].n_values : 1;
            m->nv_total += m->nvals[j];
        }
    }
    for (int j = 0; j < d; j++) {
        const double *x = v->cols[j];
        if (m->nvals[j]) {
            int64_t *cnt = baiot_calloc((size_t)m->nvals[j], sizeof *cnt);
            if (!cnt) {
                st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
                goto fail;
            }
            for (int64_t i = 0; i < v->n_rows; i++)
                if (!isnan(x[i]))
                    cnt[(int)x[i]]++;
            int best = 0;
            for (int a = 1; a < m->nvals[j]; a++)
                if (cnt[a] > cnt[best])
                    best = a;
            m->fill[j] = best;
            baiot_free(cnt);
        } else {
            double s = 0, c = 0;
            for (int64_t i = 0; i < v->n_rows; i++)
                if (!isnan(x[i])) {
                    s += x[i];
                    c += 1;
                }
            m->fill[j] = c > 0 ? s / c : 0;
        }
    }
    if (p->covariance == BAIOT_EM_COV_FULL)
        for (int j = 0; j < d; j++)
            if (m->nvals[j]) {
                st = baiot_fail(BAIOT_ERR_ARG, "full covariance needs numeric attributes; '%s' is nominal",
                                v->attrs[j].name);
                goto fail;
            }
    if ((st = load_data(v, m->fill, &full, m->nvals)))
        goto fail;
    emctx cx;
    memset(&cx, 0, sizeof cx);
    cx.p = p;
    cx.nt = p->n_threads > 0 ? p->n_threads : omp_get_max_threads();
    cx.spread = baiot_dist_size() > 1; /* k-means starts and CV folds over the ranks */
    cx.nvals = m->nvals;
    cx.off = m->off;
    cx.d = d;
    cx.nv_total = m->nv_total;
    cx.full = &full;
    int k = p->n_clusters;
    if (k == -1) {
        if (v->n_rows > 9) {
            if ((st = cv_clusters(&cx, &k)))
                goto fail;
            m->by_cv = 1;
        } else {
            k = 1;
        }
    }
    java_random_init(&cx.rr, p->seed);
    for (int z = 0; z < EM_DISCARD; z++)
        java_random_next_double(&cx.rr);
    if ((st = init_em(&cx, &full, k, &m->fit)))
        goto fail;
    if (p->covariance == BAIOT_EM_COV_FULL)
        st = fit_full(&cx, &full, m);
    else
        st = iterate(&cx, &full, &m->fit, &m->iterations, &m->train_llk);
    if (st)
        goto fail;
    m->esteps = cx.esteps;
    m->iter_secs = cx.iter_secs;
    m->exact_rows = cx.exact_rows;
    m->k = m->fit.k;
    fitdata_free(&full);
    *out = m;
    return BAIOT_OK;
fail:
    fitdata_free(&full);
    baiot_em_free(m);
    return st;
}

int baiot_em_n_clusters(const baiot_em_model *m) { return m->k; }
int baiot_em_selected_by_cv(const baiot_em_model *m) { return m->by_cv; }
int baiot_em_iterations(const baiot_em_model *m) { return m->iterations; }
double baiot_em_iteration_seconds(const baiot_em_model *m, int *n_esteps, int64_t *exact_rows)
{
    if (n_esteps)
        *n_esteps = m->esteps;
    if (exact_rows)
        *exact_rows = m->exact_rows;
    return m->iter_secs;
}
const double *baiot_em_priors(const baiot_em_model *m) { return m->fit.prior; }
const double *baiot_em_covariance(const baiot_em_model *m) { return m->cov; }

double baiot_em_mean(const baiot_em_model *m, int c, int j)
{
    return m->nvals[j] ? NAN : m->fit.mean[c * m->d + j];
}

double baiot_em_std_dev(const baiot_em_model *m, int c, int j)
{
    return m->nvals[j] ? NAN : m->fit.sd[c * m->d + j];
}

double baiot_em_count(const baiot_em_model *m, int c, int j, int v)
{
    if (!m->nvals[j])
        return NAN;
    if (v >= m->nvals[j])
        return m->fit.cnt_sum[c * m->d + j];
    return m->fit.cnt[(int64_t)c * m->nv_total + m->off[j] + v];
}

baiot_status baiot_em_cluster(const baiot_em_model *m, const baiot_view *v, int *assign, double *mean_loglik)
{
    if (v->n_cols != m->d)
        return baiot_fail(BAIOT_ERR_ARG, "the data has %d attributes, the model %d", v->n_cols, m->d);
    fitdata f;
    baiot_status st = load_data(v, m->fill, &f, m->nvals);
    if (st)
        return st;
    if (m->cov) {
        st = cluster_full(m, &f, assign, mean_loglik);
        fitdata_free(&f);
        return st;
    }
    emwork w;
    emfit fit = m->fit;
    if ((st = emwork_alloc(&w, &f, m->k, m->nv_total, omp_get_max_threads()))) {
        fitdata_free(&f);
        return st;
    }
    w.assign = assign;
    baiot_em_params p = baiot_em_params_default();
    emctx cx;
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
        st = estep(&cx, &f, &fit, &w, 0, &llk);
        if (!st && mean_loglik)
            *mean_loglik = llk;
    }
    baiot_free(prior);
    emwork_free(&w);
    fitdata_free(&f);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Classes to clusters.                                                        */

typedef struct mapsearch {
    int k, nc;
    const int64_t *counts, *totals;
    int *current, *best;
    int64_t best_err;
} mapsearch;

/* Weka's mapClasses: cluster lev gets "no class" first, then each class
 * present in it not used by an earlier cluster, in class order; a leaf with
 * fewer errors than the best so far replaces it.  Branches whose errors
 * already reach the best are cut (they can never replace it). */
static void map_classes(mapsearch *s, int lev, int64_t err)
{
    if (err >= s->best_err)
        return;
    if (lev == s->k) {
        s->best_err = err;
        memcpy(s->best, s->current, (size_t)s->k * sizeof *s->best);
        return;
    }
    if (s->totals[lev] == 0) {
        s->current[lev] = -1;
        map_classes(s, lev + 1, err);
        return;
    }
    s->current[lev] = -1;
    map_classes(s, lev + 1, err + s->totals[lev]);
    for (int c = 0; c < s->nc; c++) {
        if (s->counts[(int64_t)lev * s->nc + c] <= 0)
            continue;
        int used = 0;
        for (int j = 0; j < lev && !used; j++)
            used = s->current[j] == c;
        if (used)
            continue;
        s->current[lev] = c;
        map_classes(s, lev + 1, err + s->totals[lev] - s->counts[(int64_t)lev * s->nc + c]);
    }
}

void baiot_em_c2c_free(baiot_em_c2c *c)
{
    if (!c)
        return;
    baiot_free(c->counts);
    baiot_free(c->totals);
    baiot_free(c->cluster_class);
    memset(c, 0, sizeof *c);
}

baiot_status baiot_em_classes_to_clusters(const baiot_view *v, const int *assign, int k, baiot_em_c2c *out)
{
    memset(out, 0, sizeof *out);
    if (v->n_classes < 1)
        return baiot_fail(BAIOT_ERR_ARG, "classes-to-clusters needs a class");
    out->k = k;
    out->n_classes = v->n_classes;
    out->n = v->n_rows;
    out->counts = baiot_calloc((size_t)k * v->n_classes, sizeof *out->counts);
    out->totals = baiot_calloc((size_t)k, sizeof *out->totals);
    out->cluster_class = baiot_malloc((size_t)k * sizeof *out->cluster_class);
    int *cur = baiot_malloc((size_t)k * sizeof *cur);
    if (!out->counts || !out->totals || !out->cluster_class || !cur) {
        baiot_free(cur);
        baiot_em_c2c_free(out);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    for (int64_t i = 0; i < v->n_rows; i++)
        if (v->y[i] >= 0) {
            out->counts[(int64_t)assign[i] * v->n_classes + v->y[i]]++;
            out->totals[assign[i]]++;
        }
    mapsearch s = {k, v->n_classes, out->counts, out->totals, cur, out->cluster_class, INT64_MAX};
    for (int c = 0; c < k; c++)
        out->cluster_class[c] = -1;
    map_classes(&s, 0, 0);
    out->incorrect = s.best_err;
    baiot_free(cur);
    return BAIOT_OK;
}

/* ------------------------------------------------------------------------ */
/* Printing (Weka 3.6.14's layout).                                            */

static void pad_left(FILE *f, const char *s, int width)
{
    int len = (int)strlen(s);
    for (int i = len; i < width; i++)
        fputc(' ', f);
    fputs(s, f);
}

static void pad_right(FILE *f, const char *s, int width)
{
    int len = (int)strlen(s);
    fputs(s, f);
    for (int i = len; i < width; i++)
        fputc(' ', f);
}

/* Utils.doubleToString(x, width, dec).trim() */
static const char *dts_trim(double x, int width, int dec, char *buf, size_t cap)
{
    weka_numfmt_dts(x, width, dec, buf, cap);
    char *s = buf;
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = 0;
    return s;
}

void baiot_em_print(const baiot_em_model *m, const baiot_view *v, FILE *f)
{
    if (m->cov) {
        print_full(m, v, f);
        return;
    }
    const int k = m->k, d = m->d;
    char buf[WEKA_NUMFMT_MAX];
    int maxw = 0, attw = 0;
    for (int j = 0; j < d; j++) {
        int l = (int)strlen(v->attrs[j].name);
        if (l > attw)
            attw = l;
        if (m->nvals[j])
            for (int a = 0; a < v->attrs[j].n_values; a++) {
                l = (int)strlen(v->attrs[j].values[a]) + 2;
                if (l > attw)
                    attw = l;
            }
    }
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++) {
            if (!m->nvals[j]) {
                double mw = log(fabs(m->fit.mean[c * d + j])) / log(10.0);
                double sw = log(fabs(m->fit.sd[c * d + j])) / log(10.0);
                double w = mw > sw ? mw : sw;
                if (w < 0)
                    w = 1;
                w += 6.0;
                if ((int)w > maxw)
                    maxw = (int)w;
            } else {
                for (int a = 0; a <= m->nvals[j]; a++) {
                    double w = log(fabs(baiot_em_count(m, c, j, a))) / log(10.0);
                    if (w < 0)
                        w = 1;
                    w += 6.0;
                    if ((int)w > maxw)
                        maxw = (int)w;
                }
            }
        }
    for (int c = 0; c < k; c++) {
        int l = (int)strlen(dts_trim(m->fit.prior[c], maxw, 2, buf, sizeof buf)) + 2;
        if (l > maxw)
            maxw = l;
    }
    if (attw < 9)
        attw = 9;
    attw += 2;
    fprintf(f, "\nEM\n==\n\n");
    if (m->by_cv)
        fprintf(f, "Number of clusters selected by cross validation: %d\n", k);
    else
        fprintf(f, "Number of clusters: %d\n", k);
    fprintf(f, "\n\n");
    pad_left(f, "Cluster", attw + maxw + 1);
    fprintf(f, "\n");
    pad_right(f, "Attribute", attw);
    for (int c = 0; c < k; c++) {
        snprintf(buf, sizeof buf, "%d", c);
        pad_left(f, buf, maxw + 1);
    }
    fprintf(f, "\n");
    pad_right(f, "", attw);
    for (int c = 0; c < k; c++) {
        char p[WEKA_NUMFMT_MAX + 2];
        snprintf(p, sizeof p, "(%s)", dts_trim(m->fit.prior[c], maxw, 2, buf, sizeof buf));
        pad_left(f, p, maxw + 1);
    }
    fprintf(f, "\n");
    for (int i = 0; i < attw + (maxw + 1) * k + 1; i++)
        fputc('=', f);
    fprintf(f, "\n");
    for (int j = 0; j < d; j++) {
        fprintf(f, "%s\n", v->attrs[j].name);
        if (!m->nvals[j]) {
            pad_right(f, "  mean", attw + 1);
            for (int c = 0; c < k; c++)
                pad_left(f, dts_trim(m->fit.mean[c * d + j], maxw, 4, buf, sizeof buf), maxw + 1);
            fprintf(f, "\n");
            pad_right(f, "  std. dev.", attw + 1);
            for (int c = 0; c < k; c++)
                pad_left(f, dts_trim(m->fit.sd[c * d + j], maxw, 4, buf, sizeof buf), maxw + 1);
            fprintf(f, "\n\n");
        } else {
            for (int a = 0; a <= m->nvals[j]; a++) {
                char lab[1024];
                snprintf(lab, sizeof lab, "  %s", a < m->nvals[j] ? v->attrs[j].values[a] : "[total]");
                pad_right(f, lab, attw + 1);
                for (int c = 0; c < k; c++)
                    pad_left(f, dts_trim(baiot_em_count(m, c, j, a), maxw, 4, buf, sizeof buf), maxw + 1);
                fprintf(f, "\n");
            }
        }
    }
}

void baiot_em_print_evaluation(const baiot_em_model *m, const baiot_view *v, const int *assign, double mean_loglik,
                               const baiot_em_c2c *c2c, FILE *f)
{
    const int k = m->k;
    char buf[WEKA_NUMFMT_MAX], buf2[WEKA_NUMFMT_MAX], buf3[WEKA_NUMFMT_MAX];
    int64_t *stats = baiot_calloc((size_t)k, sizeof *stats);
    if (!stats)
        return;
    for (int64_t i = 0; i < v->n_rows; i++)
        stats[assign[i]]++;
    int cw = (int)(log((double)k) / log(10.0) + 1), nw = (int)(log((double)v->n_rows) / log(10.0) + 1);
    fprintf(f, "Clustered Instances\n\n");
    for (int c = 0; c < k; c++)
        if (stats[c] > 0) {
            weka_numfmt_dts(c, cw, 0, buf, sizeof buf);
            weka_numfmt_dts((double)stats[c], nw, 0, buf2, sizeof buf2);
            weka_numfmt_dts((double)stats[c] / (double)v->n_rows * 100.0, 3, 0, buf3, sizeof buf3);
            fprintf(f, "%s      %s (%s%%)\n", buf, buf2, buf3);
        }
    weka_numfmt_dts(mean_loglik, 1, 5, buf, sizeof buf);
    fprintf(f, "\n\nLog likelihood: %s\n\n", buf);
    baiot_free(stats);
    if (!c2c)
        return;
    fprintf(f, "\nClass attribute: %s\nClasses to Clusters:\n\n", v->class_name ? v->class_name : "class");
    int64_t maxval = 0;
    for (int64_t i = 0; i < (int64_t)c2c->k * c2c->n_classes; i++)
        if (c2c->counts[i] > maxval)
            maxval = c2c->counts[i];
    int a = (int)(log((double)maxval) / log(10.0)), b = (int)(log((double)k) / log(10.0));
    if (maxval == 0)
        a = INT32_MIN;
    int w = 1 + (a > b ? a : b);
    for (int c = 0; c < k; c++)
        if (c2c->totals[c] > 0) {
            weka_numfmt_dts(c, w, 0, buf, sizeof buf);
            fprintf(f, " %s", buf);
        }
    fprintf(f, "  <-- assigned to cluster\n");
    for (int y = 0; y < c2c->n_classes; y++) {
        for (int c = 0; c < k; c++)
            if (c2c->totals[c] > 0) {
                weka_numfmt_dts((double)c2c->counts[(int64_t)c * c2c->n_classes + y], w, 0, buf, sizeof buf);
                fprintf(f, " %s", buf);
            }
        fprintf(f, " | %s\n", v->class_names[y]);
    }
    fprintf(f, "\n");
    for (int c = 0; c < k; c++)
        fprintf(f, "Cluster %*d <-- %s\n", (int)(log((double)k) / log(10.0)) + 1, c,
                c2c->cluster_class[c] < 0 ? "No class" : v->class_names[c2c->cluster_class[c]]);
    weka_numfmt_java_double((double)c2c->incorrect, buf, sizeof buf);
    weka_numfmt_dts((double)c2c->incorrect / (double)c2c->n * 100.0, 8, 4, buf2, sizeof buf2);
    fprintf(f, "\nIncorrectly clustered instances :\t%s\t%s %%\n\n", buf, buf2);
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static void json_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.17g", x);
    else
        fprintf(f, "null");
}

/* The full-covariance model as text: per cluster its prior, then one row
 * per attribute: the mean and that row of the covariance matrix. */
static void print_full(const baiot_em_model *m, const baiot_view *v, FILE *f)
{
    const int k = m->k, d = m->d;
    const int64_t dd = (int64_t)d * d;
    int attw = 9;
    for (int j = 0; j < d; j++) {
        int l = (int)strlen(v->attrs[j].name);
        if (l > attw)
            attw = l;
    }
    fprintf(f, "\nEM (full covariance)\n====================\n\n");
    if (m->by_cv)
        fprintf(f, "Number of clusters selected by cross validation: %d\n", k);
    else
        fprintf(f, "Number of clusters: %d\n", k);
    fprintf(f, "Iterations: %d\nCovariance regularisation: %g\n", m->iterations, m->reg_covar);
    for (int c = 0; c < k; c++) {
        fprintf(f, "\nCluster %d (prior %.4f)\n", c, m->fit.prior[c]);
        fprintf(f, "%-*s %13s   covariance\n", attw, "Attribute", "mean");
        for (int i = 0; i < d; i++) {
            fprintf(f, "%-*s %13.6g  ", attw, v->attrs[i].name, m->fit.mean[c * d + i]);
            for (int j = 0; j < d; j++)
                fprintf(f, " %13.6g", m->cov[c * dd + (int64_t)j * d + i]);
            fputc('\n', f);
        }
    }
    fputc('\n', f);
}

static void json_matrices(FILE *f, const double *x, int k, int d, int square)
{
    fputc('[', f);
    for (int c = 0; c < k; c++) {
        fputs(c ? ",\n  [" : "\n  [", f);
        for (int i = 0; i < (square ? d : 1); i++) {
            if (square)
                fputs(i ? ", [" : "[", f);
            for (int j = 0; j < d; j++) {
                fputs(j ? ", " : "", f);
                json_num(f, square ? x[(int64_t)c * d * d + (int64_t)j * d + i] : x[(int64_t)c * d + j]);
            }
            if (square)
                fputc(']', f);
        }
        fputc(']', f);
    }
    fputc(']', f);
}

/* The full-covariance members of baiot_em_write_json (after "priors"). */
static void write_json_full(const baiot_em_model *m, FILE *f)
{
    fprintf(f, ",\n \"covariance\": \"full\", \"reg_covar\": ");
    json_num(f, m->reg_covar);
    fprintf(f, ",\n \"means\": ");
    json_matrices(f, m->fit.mean, m->k, m->d, 0);
    fprintf(f, ",\n \"covariances\": ");
    json_matrices(f, m->cov, m->k, m->d, 1);
    fprintf(f, ",\n \"initial\": {\"priors\": [");
    for (int c = 0; c < m->k; c++) {
        fputs(c ? ", " : "", f);
        json_num(f, m->init_prior[c]);
    }
    fprintf(f, "],\n \"means\": ");
    json_matrices(f, m->init_mean, m->k, m->d, 0);
    fprintf(f, ",\n \"covariances\": ");
    json_matrices(f, m->init_cov, m->k, m->d, 1);
    fputc('}', f);
}

void baiot_em_write_json(const baiot_em_model *m, const baiot_view *v, const baiot_em_params *p, const int *assign,
                         double mean_loglik, const baiot_em_c2c *c2c, FILE *f)
{
    const int k = m->k;
    fprintf(f, "{\"clusterer\": \"EM\", \"seed\": %lld, \"max_iter\": %d, \"requested_clusters\": %d,\n",
            (long long)p->seed, p->max_iter, p->n_clusters);
    fprintf(f, " \"clusters\": %d, \"selected_by_cv\": %s, \"iterations\": %d, \"log_likelihood\": ", k,
            m->by_cv ? "true" : "false", m->iterations);
    json_num(f, mean_loglik);
    fprintf(f, ",\n \"priors\": [");
    for (int c = 0; c < k; c++) {
        fprintf(f, c ? ", " : "");
        json_num(f, m->fit.prior[c]);
    }
    fputc(']', f);
    if (m->cov)
        write_json_full(m, f);
    fprintf(f, ",\n \"attributes\": [");
    for (int j = 0; j < m->d; j++) {
        fprintf(f, "%s\n  {\"name\": ", j ? "," : "");
        json_str(f, v->attrs[j].name);
        if (!m->nvals[j]) {
            fprintf(f, ", \"mean\": [");
            for (int c = 0; c < k; c++) {
                fprintf(f, c ? ", " : "");
                json_num(f, m->fit.mean[c * m->d + j]);
            }
            fprintf(f, "], \"std_dev\": [");
            for (int c = 0; c < k; c++) {
                fprintf(f, c ? ", " : "");
                json_num(f, m->fit.sd[c * m->d + j]);
            }
            fprintf(f, "]}");
        } else {
            fprintf(f, ", \"counts\": [");
            for (int c = 0; c < k; c++) {
                fprintf(f, c ? ", [" : "[");
                for (int a = 0; a <= m->nvals[j]; a++) {
                    fprintf(f, a ? ", " : "");
                    json_num(f, baiot_em_count(m, c, j, a));
                }
                fprintf(f, "]");
            }
            fprintf(f, "]}");
        }
    }
    fprintf(f, "],\n \"clustered\": [");
    int64_t *stats = baiot_calloc((size_t)k, sizeof *stats);
    if (stats) {
        for (int64_t i = 0; i < v->n_rows; i++)
            stats[assign[i]]++;
        for (int c = 0; c < k; c++)
            fprintf(f, "%s%lld", c ? ", " : "", (long long)stats[c]);
        baiot_free(stats);
    }
    fprintf(f, "]");
    if (c2c) {
        fprintf(f, ",\n \"classes_to_clusters\": {\"classes\": [");
        for (int y = 0; y < c2c->n_classes; y++) {
            fprintf(f, y ? ", " : "");
            json_str(f, v->class_names[y]);
        }
        fprintf(f, "], \"matrix\": [");
        for (int y = 0; y < c2c->n_classes; y++) {
            fprintf(f, y ? ", [" : "[");
            for (int c = 0; c < k; c++)
                fprintf(f, "%s%lld", c ? ", " : "", (long long)c2c->counts[(int64_t)c * c2c->n_classes + y]);
            fprintf(f, "]");
        }
        fprintf(f, "], \"cluster_class\": [");
        for (int c = 0; c < k; c++)
            fprintf(f, "%s%d", c ? ", " : "", c2c->cluster_class[c]);
        fprintf(f, "], \"incorrect\": %lld, \"rows\": %lld, \"accuracy\": ", (long long)c2c->incorrect,
                (long long)c2c->n);
        json_num(f, 1.0 - (double)c2c->incorrect / (double)c2c->n);
        fprintf(f, "}");
    }
    fprintf(f, "}\n");
}

/* ---------------------------------------------------------------------- */
/* Model files                                                             */

static void put_doubles(FILE *f, const char *name, const double *x, int64_t n)
{
    fprintf(f, ", \"%s\": [", name);
    for (int64_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        json_write_number(f, x[i]);
    }
    fputc(']', f);
}

void baiot_em_write_model_json(const baiot_em_model *m, FILE *f)
{
    fprintf(f, "{\"k\": %d, \"attributes\": %d, \"iterations\": %d, \"by_cv\": %s, \"values\": [", m->k, m->d,
            m->iterations, m->by_cv ? "true" : "false");
    for (int j = 0; j < m->d; j++)
        fprintf(f, "%s%d", j ? ", " : "", m->nvals[j]);
    fputc(']', f);
    put_doubles(f, "fill", m->fill, m->d);
    put_doubles(f, "prior", m->fit.prior, m->k);
    put_doubles(f, "mean", m->fit.mean, (int64_t)m->k * m->d);
    put_doubles(f, "sd", m->fit.sd, (int64_t)m->k * m->d);
    put_doubles(f, "count", m->fit.cnt, (int64_t)m->k * m->nv_total);
    put_doubles(f, "count_sum", m->fit.cnt_sum, (int64_t)m->k * m->d);
    fputs(", \"train_loglik\": ", f);
    json_write_number(f, m->train_llk);
    fputc('}', f);
}

static int get_doubles(const json_value *o, const char *name, double *out, int64_t n)
{
    const json_value *a = json_get(o, name);
    if (!a || a->type != JSON_ARRAY || a->n != n)
        return 0;
    for (int64_t i = 0; i < n; i++) {
        if (a->items[i]->type != JSON_NUMBER)
            return 0;
        out[i] = a->items[i]->number;
    }
    return 1;
}

baiot_status baiot_em_from_json(const json_value *o, int n_cols, const char *what, baiot_em_model **out)
{
    const json_value *k = json_get(o, "k"), *d = json_get(o, "attributes"), *vals = json_get(o, "values"),
                     *it = json_get(o, "iterations");
    baiot_status st;
    *out = NULL;
    if (!k || k->type != JSON_NUMBER || k->number < 1 || k->number > 10000 || !d || d->type != JSON_NUMBER ||
        d->number != n_cols || !vals || vals->type != JSON_ARRAY || vals->n != n_cols)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the EM model is incomplete or not for %d attributes", what, n_cols);
    baiot_em_model *m = baiot_calloc(1, sizeof *m);
    if (!m)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    m->k = (int)k->number;
    m->d = n_cols;
    m->iterations = it && it->type == JSON_NUMBER ? (int)it->number : 0;
    m->nvals = baiot_calloc((size_t)n_cols + 1, sizeof *m->nvals);
    m->off = baiot_calloc((size_t)n_cols + 1, sizeof *m->off);
    m->fill = baiot_calloc((size_t)n_cols + 1, sizeof *m->fill);
    if (!m->nvals || !m->off || !m->fill) {
        baiot_em_free(m);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    for (int j = 0; j < n_cols; j++) {
        if (vals->items[j]->type != JSON_NUMBER || vals->items[j]->number < 0 || vals->items[j]->number > 1e6) {
            baiot_em_free(m);
            return baiot_fail(BAIOT_ERR_FORMAT, "%s: bad value count of attribute %d", what, j + 1);
        }
        m->nvals[j] = (int)vals->items[j]->number;
        m->off[j] = m->nv_total;
        m->nv_total += m->nvals[j];
    }
    if ((st = emfit_alloc(&m->fit, m->k, m->d, m->nvals, m->off, m->nv_total))) {
        baiot_em_free(m);
        return st;
    }
    const json_value *llk = json_get(o, "train_loglik");
    if (!get_doubles(o, "fill", m->fill, m->d) || !get_doubles(o, "prior", m->fit.prior, m->k) ||
        !get_doubles(o, "mean", m->fit.mean, (int64_t)m->k * m->d) ||
        !get_doubles(o, "sd", m->fit.sd, (int64_t)m->k * m->d) ||
        !get_doubles(o, "count", m->fit.cnt, (int64_t)m->k * m->nv_total) ||
        !get_doubles(o, "count_sum", m->fit.cnt_sum, (int64_t)m->k * m->d) || !llk || llk->type != JSON_NUMBER) {
        baiot_em_free(m);
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the EM model's parameters do not fit %d clusters x %d attributes",
                          what, (int)k->number, n_cols);
    }
    m->train_llk = llk->number;
    *out = m;
    return BAIOT_OK;
}
