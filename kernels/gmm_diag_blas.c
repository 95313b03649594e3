/*
 * gmm_diag_blas.c - the E step of Weka's diagonal mixture over a block of
 * rows as a dgemm product on centred data (see gmm_diag_blas.h).
 *
 * Flow per block: centre the numeric columns into Z = [y*y | y]; one dgemm
 * gives, per row and cluster, the log density's quadratic part and the
 * error bound's Q; nominal terms are added attribute by attribute; the
 * log-sum-exp runs column-wise (vectorised exp/log); rows the precision
 * rule rejects are recomputed in Weka's exact order (one by one with
 * baiot_gmm_diag_joint, or the whole block column-wise when many are).
 *
 * Invariants: every sum stays inside the block, in a fixed order (row
 * order for the log-likelihood total; OpenBLAS's own fixed order for the
 * product, run single-threaded by the caller); nothing depends on the
 * thread that runs the block.  Thread-safe, no allocation.
 *
 * exp and log: glibc's libmvec _ZGVdN4v_exp / _ZGVdN4v_log (4 lanes, AVX2,
 * documented max error 4 ulp) are called directly from a function compiled
 * for AVX2+FMA and chosen at run time, so no -ffast-math is needed and the
 * rest of the program keeps IEEE semantics.  exp arguments below
 * EXP_FLOOR give 0 (the exact value is < 1e-304: no effect on any sum).
 * Covered by tests/unit/test_gmm_diag_blas.c and
 * tests/cli/test_em_threads.py.
 */
#include "kernels/gmm_diag_blas.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_MVEC 1
#endif

/* exp(x) for x < EXP_FLOOR is taken as 0 (libmvec hands such lanes to the
 * slow scalar path). */
#define EXP_FLOOR (-700.0)

/* ------------------------------------------------------------------------ */
/* Vector exp / log                                                           */

#ifdef HAVE_MVEC
__attribute__((target("avx2"))) __m256d _ZGVdN4v_exp(__m256d x);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_log(__m256d x);

__attribute__((target("avx2,fma"))) static void exp_avx2(double *x, int64_t n)
{
    const __m256d lo = _mm256_set1_pd(EXP_FLOOR), zero = _mm256_setzero_pd();
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_loadu_pd(x + i);
        __m256d keep = _mm256_cmp_pd(v, lo, _CMP_GE_OQ);
        __m256d e = _ZGVdN4v_exp(_mm256_max_pd(v, lo));
        _mm256_storeu_pd(x + i, _mm256_blendv_pd(zero, e, keep));
    }
    for (; i < n; i++)
        x[i] = x[i] >= EXP_FLOOR ? exp(x[i]) : 0;
}

__attribute__((target("avx2,fma"))) static void log_avx2(double *x, int64_t n)
{
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        _mm256_storeu_pd(x + i, _ZGVdN4v_log(_mm256_loadu_pd(x + i)));
    for (; i < n; i++)
        x[i] = log(x[i]);
}

static int use_avx2(void)
{
    static int v = -1; /* benign race: every thread writes the same value */
    if (v < 0)
        v = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return v;
}
#endif

/* x[i] = exp(x[i]) (0 below EXP_FLOOR), i < n. */
static void vexp(double *x, int64_t n)
{
#ifdef HAVE_MVEC
    if (use_avx2()) {
        exp_avx2(x, n);
        return;
    }
#endif
    for (int64_t i = 0; i < n; i++)
        x[i] = x[i] >= EXP_FLOOR ? exp(x[i]) : 0;
}

/* x[i] = log(x[i]), i < n. */
static void vlog(double *x, int64_t n)
{
#ifdef HAVE_MVEC
    if (use_avx2()) {
        log_avx2(x, n);
        return;
    }
#endif
    for (int64_t i = 0; i < n; i++)
        x[i] = log(x[i]);
}

/* ------------------------------------------------------------------------ */
/* Steps                                                                      */

void baiot_gmm_diag_blas_prepare(const gmm_diag *m, int dn, const int *num, double *ref, double *w, double *w0,
                           double *cb, gmm_diag_blas *b)
{
    const int k = m->k, d = m->d, ld = 2 * dn;
    const double nc = baiot_gmm_diag_norm_const();
    /* the centre: sum_c mu_c / sd_c over sum_c 1 / sd_c, where the
     * clusters' (mu - ref)^2 / sd^2 are balanced (equal for two clusters),
     * so that no cluster's C_c is needlessly large */
    for (int i = 0; i < dn; i++) {
        double s = 0, t = 0;
        for (int c = 0; c < k; c++) {
            int64_t o = (int64_t)c * d + num[i];
            double isd = 1 / sqrt(m->two_var[o]);
            s += m->mean[o] * isd;
            t += isd;
        }
        ref[i] = t > 0 && isfinite(s / t) ? s / t : 0;
    }
    for (int c = 0; c < k; c++) {
        double *wc = w + (int64_t)c * ld, *qc = w + (int64_t)(k + c) * ld;
        double cst = 0, cc = 0;
        for (int i = 0; i < dn; i++) {
            int64_t o = (int64_t)c * d + num[i];
            double p = 1 / m->two_var[o], mc = m->mean[o] - ref[i];
            wc[i] = -p;
            wc[dn + i] = 2 * mc * p;
            qc[i] = p;
            qc[dn + i] = 0;
            cc += mc * mc * p;
            cst += nc + m->log_sd[o];
        }
        w0[c] = m->log_prior[c] - cst - cc;
        cb[c] = cc;
    }
    b->m = m;
    b->dn = dn;
    b->num = num;
    b->ref = ref;
    b->w = w;
    b->w0 = w0;
    b->cb = cb;
}

int64_t baiot_gmm_diag_blas_ws_size(int k, int dn, int64_t nb)
{
    return nb * (2 * dn + 2 * k + 3) + k + 1;
}

double baiot_gmm_diag_blas_estep(const gmm_diag_blas *b, const double *const *cols, int64_t r0, int64_t r1, double *resp,
                           double *ws, int64_t *n_exact)
{
    const gmm_diag *m = b->m;
    const int k = m->k, d = m->d, dn = b->dn;
    const int64_t nb = r1 - r0;
    double *z = ws, *g = z + nb * 2 * dn, *mx = g + nb * 2 * k, *sum = mx + nb, *bad = sum + nb;
    /* Z = [y*y | y], y = x - ref */
    for (int i = 0; i < dn; i++) {
        const double *x = cols[b->num[i]] + r0, ref = b->ref[i];
        double *y2 = z + i * nb, *y = z + (dn + i) * nb;
        for (int64_t r = 0; r < nb; r++) {
            double v = x[r] - ref;
            y[r] = v;
            y2[r] = v * v;
        }
    }
    /* G = Z W: columns c < k the quadratic part, k + c the bound's Q */
    if (dn > 0)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)nb, 2 * k, 2 * dn, 1.0, z, (int)nb, b->w,
                    2 * dn, 0.0, g, (int)nb);
    else
        memset(g, 0, (size_t)(nb * 2 * k) * sizeof *g);
    for (int c = 0; c < k; c++) {
        double *a = resp + c * nb;
        const double *gc = g + c * nb, w0 = b->w0[c];
        for (int64_t r = 0; r < nb; r++)
            a[r] = gc[r] + w0;
        for (int j = 0; j < d; j++)
            if (m->nvals[j]) {
                const double *x = cols[j] + r0, *lp = m->log_p + (int64_t)c * m->nv_total + m->off[j];
                for (int64_t r = 0; r < nb; r++)
                    a[r] += lp[(int)x[r]];
            }
    }
    /* log-sum-exp, cluster by cluster over the block's rows */
    for (int64_t r = 0; r < nb; r++) {
        mx[r] = resp[r];
        sum[r] = 0;
        bad[r] = 0;
    }
    for (int c = 1; c < k; c++) {
        const double *a = resp + c * nb;
        for (int64_t r = 0; r < nb; r++)
            mx[r] = a[r] > mx[r] ? a[r] : mx[r];
    }
    /* gamma: dgemm over 2dn terms plus the centring, the squares, W's
     * entries and the constant: (2dn + 10) units of 2^-53, twice over */
    const double gamma = (2.0 * dn + 10) * DBL_EPSILON, tol = GMM_DIAG_BLAS_TOL / M_E,
                 ln_tol = log(GMM_DIAG_BLAS_TOL);
    for (int c = 0; c < k; c++) {
        double *a = resp + c * nb;
        const double *q = g + (k + c) * nb, cc = 2 * b->cb[c];
        /* error <= bound; the weight's true value <= exp(a - max + bound):
         * for bound > 1 flag when a - max + 2 bound > ln tol (ln bound <=
         * bound), else when bound e exp(a - max) > tol */
        for (int64_t r = 0; r < nb; r++) {
            double bound = gamma * (2 * q[r] + cc);
            a[r] -= mx[r];
            bad[r] += (bound > 1) & (a[r] + 2 * bound > ln_tol);
        }
        vexp(a, nb);
        for (int64_t r = 0; r < nb; r++) {
            double bound = gamma * (2 * q[r] + cc);
            sum[r] += a[r];
            bad[r] += (bound <= 1) & (bound * a[r] > tol);
        }
    }
    int64_t nx = 0;
    for (int64_t r = 0; r < nb; r++)
        nx += bad[r] != 0;
    if (nx && nx <= nb / 8) {
        /* a few rows: each exactly, Weka's order (as baiot_gmm_diag_estep) */
        double *tmp = bad + nb;
        for (int64_t r = 0; r < nb; r++) {
            if (!bad[r])
                continue;
            baiot_gmm_diag_joint(m, cols, r0 + r, tmp);
            int best = 0;
            for (int c = 1; c < k; c++)
                if (tmp[c] > tmp[best])
                    best = c;
            double s = 0;
            for (int c = 0; c < k; c++) {
                double e = exp(tmp[c] - tmp[best]);
                resp[c * nb + r] = e;
                s += e;
            }
            mx[r] = tmp[best];
            sum[r] = s;
        }
    } else if (nx) {
        /* the rule rejected some rows: the whole block exactly, Weka's
         * order (as baiot_gmm_diag_joint and baiot_gmm_diag_estep), cluster by cluster
         * over the rows */
        baiot_gmm_diag_joint_block(m, cols, r0, nb, resp, mx);
        for (int64_t r = 0; r < nb; r++)
            sum[r] = 0;
        for (int c = 0; c < k; c++) {
            double *a = resp + c * nb;
            for (int64_t r = 0; r < nb; r++)
                a[r] -= mx[r];
            vexp(a, nb);
            for (int64_t r = 0; r < nb; r++)
                sum[r] += a[r];
        }
        nx = nb;
    }
    *n_exact = nx;
    for (int64_t r = 0; r < nb; r++)
        bad[r] = sum[r];
    vlog(bad, nb);
    double total = 0;
    for (int64_t r = 0; r < nb; r++)
        total += mx[r] + bad[r];
    for (int c = 0; c < k; c++) {
        double *a = resp + c * nb;
        for (int64_t r = 0; r < nb; r++)
            a[r] /= sum[r];
    }
    return total;
}
