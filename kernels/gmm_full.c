/*
 * gmm_full.c - E and M steps of a full-covariance Gaussian mixture (see
 * gmm_full.h); an extension beyond Weka, checked against scikit-learn's
 * GaussianMixture(covariance_type="full").
 *
 * Flow per EM iteration (driven by engine/models/em/em_full.c):
 * baiot_gmm_full_prepare factors the k covariances once;
 * baiot_gmm_full_estep turns each block into posteriors;
 * baiot_gmm_full_mstep_means and, once the engine has the new means,
 * baiot_gmm_full_mstep_scatter give the block sums of the M step.
 *
 * Invariants: every sum over rows stays inside its block (BLAS adds within a
 * call in its own fixed order), so a block's results depend only on the
 * block; the engine combines blocks in block order.  The engine keeps BLAS
 * single-threaded around these calls (OpenBLAS's own threads inside an
 * OpenMP loop would oversubscribe).  Pure functions of their arguments:
 * thread-safe, no allocation.  Covered by tests/cli/test_em_full.py.
 */
#include "kernels/gmm_full.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

int baiot_gmm_full_prepare(int k, int d, const double *cov, const double *prior, double *chol, double *log_norm)
{
    const int64_t dd = (int64_t)d * d;
    const double half_log_2pi = 0.5 * (double)d * log(2 * M_PI);
    for (int c = 0; c < k; c++) {
        double *l = chol + c * dd;
        memcpy(l, cov + c * dd, (size_t)dd * sizeof *l);
        if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', d, l, d) != 0)
            return c;
        double logdet = 0;
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < j; i++)
                l[(int64_t)j * d + i] = 0; /* dpotrf leaves the upper triangle as it was */
            logdet += log(l[(int64_t)j * d + j]);
        }
        log_norm[c] = log(prior[c]) - logdet - half_log_2pi;
    }
    return -1;
}

double baiot_gmm_full_estep(int k, int d, const double *x, int64_t ldx, int64_t r0, int64_t r1, const double *mean,
                      const double *chol, const double *log_norm, double *resp, double *ws)
{
    const int64_t nb = r1 - r0, dd = (int64_t)d * d;
    for (int c = 0; c < k; c++) {
        const double *mu = mean + (int64_t)c * d;
        for (int j = 0; j < d; j++) {
            const double *xj = x + j * ldx + r0;
            double *y = ws + j * nb;
            for (int64_t r = 0; r < nb; r++)
                y[r] = xj[r] - mu[j];
        }
        /* Z = Y L^-T: row r of Z solves L z = y_r, and |z|^2 is the
         * Mahalanobis distance of row r */
        cblas_dtrsm(CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, (int)nb, d, 1.0,
                    chol + c * dd, d, ws, (int)nb);
        double *a = resp + c * nb;
        for (int64_t r = 0; r < nb; r++)
            a[r] = 0;
        for (int j = 0; j < d; j++) {
            const double *z = ws + j * nb;
            for (int64_t r = 0; r < nb; r++)
                a[r] += z[r] * z[r];
        }
        for (int64_t r = 0; r < nb; r++)
            a[r] = log_norm[c] - 0.5 * a[r];
    }
    double total = 0;
    for (int64_t r = 0; r < nb; r++) {
        double max = resp[r];
        for (int c = 1; c < k; c++)
            if (resp[c * nb + r] > max)
                max = resp[c * nb + r];
        double sum = 0;
        for (int c = 0; c < k; c++)
            sum += exp(resp[c * nb + r] - max);
        double lse = max + log(sum);
        total += lse;
        for (int c = 0; c < k; c++)
            resp[c * nb + r] = exp(resp[c * nb + r] - lse);
    }
    return total;
}

void baiot_gmm_full_mstep_means(int k, int d, const double *x, int64_t ldx, int64_t r0, int64_t r1, const double *resp,
                          double *nk, double *s1)
{
    const int64_t nb = r1 - r0;
    for (int c = 0; c < k; c++) {
        double s = 0;
        for (int64_t r = 0; r < nb; r++)
            s += resp[c * nb + r];
        nk[c] = s;
    }
    /* s1 (d x k, column-major = k x d row-major) = X_b^T R */
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, d, k, (int)nb, 1.0, x + r0, (int)ldx, resp, (int)nb, 0.0,
                s1, d);
}

void baiot_gmm_full_mstep_scatter(int k, int d, const double *x, int64_t ldx, int64_t r0, int64_t r1, const double *resp,
                            const double *mean, double *scatter, double *ws)
{
    const int64_t nb = r1 - r0, dd = (int64_t)d * d;
    for (int c = 0; c < k; c++) {
        const double *mu = mean + (int64_t)c * d, *w = resp + c * nb;
        for (int j = 0; j < d; j++) {
            const double *xj = x + j * ldx + r0;
            double *y = ws + j * nb;
            for (int64_t r = 0; r < nb; r++)
                y[r] = sqrt(w[r]) * (xj[r] - mu[j]);
        }
        double *s = scatter + c * dd;
        memset(s, 0, (size_t)dd * sizeof *s);
        cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, d, (int)nb, 1.0, ws, (int)nb, 0.0, s, d);
    }
}
