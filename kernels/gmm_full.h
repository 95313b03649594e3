/*
 * gmm_full.h - the E and M steps of a Gaussian mixture with one full
 * covariance matrix per cluster (an extension beyond Weka's EM), over a
 * block of rows of column-major data, with BLAS/LAPACK doing the algebra.
 *
 * The engine cuts the rows into fixed blocks of GMM_FULL_BLOCK rows, calls
 * these kernels once per block (any thread may take any block) and adds the
 * blocks' partial sums in block order, so results do not depend on the
 * thread count.  No allocation, no globals: callers pass all arrays.
 *
 * Layouts: the data x is column-major with leading dimension ldx (column j
 * of row r at x[j * ldx + r]); a block's posteriors resp are column-major
 * nb x k (resp[c * nb + (r - r0)], nb = r1 - r0); means are k x d row-major
 * (mean[c * d + j]); covariances, their Cholesky factors and scatter
 * matrices are k column-major d x d matrices (cov[c * d * d + j * d + i]).
 * Covered by tests/cli/test_em_full.py.
 */
#ifndef BAIOT_KERNELS_GMM_FULL_H
#define BAIOT_KERNELS_GMM_FULL_H

#include <stdint.h>

/* Rows per block of the parallel E and M steps (sized by the data, never by
 * the thread count). */
#define GMM_FULL_BLOCK 4096
/* Added to each covariance's diagonal in the M step: scikit-learn's
 * GaussianMixture default reg_covar. */
#define GMM_FULL_REG_COVAR 1e-6
/* Stop when the mean log-likelihood improves by less than this (Weka's EM
 * threshold, also scikit-learn's default tol 1e-3 made stricter). */
#define GMM_FULL_TOL 1e-6
/* Added to each cluster's responsibility sum before dividing, as
 * scikit-learn's _estimate_gaussian_parameters does (10 * DBL_EPSILON). */
#define GMM_FULL_NK_EPS (10 * 2.220446049250313e-16)

/* Factors each covariance cov[c] = L L^T (LAPACKE_dpotrf, lower; chol's
 * upper triangle is zeroed) and writes log_norm[c] = ln prior[c] -
 * sum_i ln L_ii - d/2 ln(2 pi).  Returns -1 on success, else the first
 * cluster whose covariance is not positive definite. */
int baiot_gmm_full_prepare(int k, int d, const double *cov, const double *prior, double *chol, double *log_norm);

/* E step over rows [r0, r1) of x: the log joint densities ln N(x_r | mu_c,
 * L_c L_c^T) + ln prior_c via triangular solves on the block's centred rows,
 * then the posteriors by log-sum-exp into resp (nb x k).  Returns the sum,
 * in row order, of each row's log density.  ws: nb * d doubles. */
double baiot_gmm_full_estep(int k, int d, const double *x, int64_t ldx, int64_t r0, int64_t r1, const double *mean,
                      const double *chol, const double *log_norm, double *resp, double *ws);

/* First M-step pass over rows [r0, r1): nk[c] = sum_r resp (in row order)
 * and s1[c * d + j] = sum_r resp[r, c] x[r, j] (resp^T X, one dgemm); both
 * overwritten. */
void baiot_gmm_full_mstep_means(int k, int d, const double *x, int64_t ldx, int64_t r0, int64_t r1, const double *resp,
                          double *nk, double *s1);

/* Second M-step pass over rows [r0, r1): per cluster the scatter matrix
 * sum_r resp[r, c] (x_r - mean_c)(x_r - mean_c)^T (one dsyrk on the
 * weighted centred rows; lower triangle, upper zeroed) into scatter (k
 * matrices, overwritten).  ws: nb * d doubles. */
void baiot_gmm_full_mstep_scatter(int k, int d, const double *x, int64_t ldx, int64_t r0, int64_t r1, const double *resp,
                            const double *mean, double *scatter, double *ws);

#endif
