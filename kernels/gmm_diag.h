/*
 * gmm_diag.h - the E and M steps of a diagonal mixture with nominal
 * attributes (Weka's EM model), over a block of rows of column-major data.
 *
 * The arithmetic follows Weka's expression order term by term, so that a
 * single block reproduces Weka's sums exactly; the engine cuts the rows into
 * fixed blocks (GMM_DIAG_BLOCK) and adds the block partial sums in block
 * order, so results do not depend on the thread count.  No allocation, no
 * globals: callers pass all arrays.
 * Covered by tests/unit/test_gmm_diag_blas.c and
 * tests/cli/test_em_golden.py.
 */
#ifndef BAIOT_KERNELS_GMM_DIAG_H
#define BAIOT_KERNELS_GMM_DIAG_H

#include <stdint.h>

/* Rows per block of the parallel E and M steps (sized by the data, never by
 * the thread count). */
#define GMM_DIAG_BLOCK 4096

/* A model laid out for the E step.  Numeric attribute j of cluster c:
 * mean[c*d+j], two_var[c*d+j] = (2*sd)*sd, log_sd[c*d+j] = ln sd.  Nominal
 * attribute j (nvals[j] > 0): log_p[c*nv_total + off[j] + v] = ln P(v). */
typedef struct gmm_diag {
    int k, d;
    const int *nvals;       /* d: 0 numeric, else the number of values */
    const int *off;         /* d: offset of a nominal attribute's values */
    int nv_total;           /* sum of nvals */
    const double *mean, *two_var, *log_sd; /* k*d */
    const double *log_p;    /* k*nv_total */
    const double *log_prior; /* k */
    int strict_math;        /* 1: exp and log are Java's StrictMath ones (kernels/java_math.h), else libm's */
} gmm_diag;

/* ln sqrt(2 pi), as Weka computes it. */
double baiot_gmm_diag_norm_const(void);

/* The joint log densities a[c] = sum_j ln p_j(x_j | c) + ln prior_c of row
 * r of cols (k values into a). */
void baiot_gmm_diag_joint(const gmm_diag *m, const double *const *cols, int64_t r, double *a);

/* E step over rows [r0, r1): returns the sum (from 0, in row order) of each
 * row's log density (max + ln sum exp(a - max)); when resp is not NULL
 * writes row r's posteriors to resp[(r - r0) * k + c].  ws: k doubles. */
double baiot_gmm_diag_estep(const gmm_diag *m, const double *const *cols, int64_t r0, int64_t r1, double *resp,
                      double *ws);

/* The joint log densities of rows r0..r0+nb, cluster-major: resp[c*nb + r]
 * = baiot_gmm_diag_joint's a[c] for row r0 + r, bit for bit, and mx[r] their
 * maximum over the clusters (the first cluster's on ties). */
void baiot_gmm_diag_joint_block(const gmm_diag *m, const double *const *cols, int64_t r0, int64_t nb,
                                double *resp, double *mx);
/* baiot_gmm_diag_estep with the posteriors column-major (resp[c * nb + (r -
 * r0)], as baiot_gmm_diag_blas_estep writes them), every double the same;
 * when lrow is not NULL, row r's log density goes to lrow[r - r0] (so that
 * a caller can add them up across blocks in row order).  The E step of
 * fits whose M step is ill-conditioned, where only Weka's own posteriors,
 * bit for bit, give Weka's sums.  ws: 2 (r1 - r0) doubles. */
double baiot_gmm_diag_estep_cm(const gmm_diag *m, const double *const *cols, int64_t r0, int64_t r1, double *resp,
                               double *ws, double *lrow);

/* Size (doubles) of one M-step accumulator: per cluster 1 (the prior's
 * sum), then per attribute 3 (numeric: sum r*x, sum r*x*x, sum r) or
 * nvals + 1 (nominal: per value sum r, then the total). */
int64_t baiot_gmm_diag_acc_size(int k, int d, const int *nvals);

/* M-step sums over rows [r0, r1) with posteriors resp (as written by
 * baiot_gmm_diag_estep for the same rows) into acc (zeroed by the caller), each
 * sum in row order. */
void baiot_gmm_diag_mstep(int k, int d, const int *nvals, const double *const *cols, int64_t r0, int64_t r1,
                    const double *resp, double *acc);

/* The same sums as baiot_gmm_diag_mstep, bit for bit (each one in row order from
 * acc's value), with the block's posteriors column-major (resp[c * nb + (r
 * - r0)], as baiot_gmm_diag_blas_estep writes them); the numeric sums of up to 16
 * attributes run side by side in vector lanes.  ws:
 * baiot_gmm_diag_mstep_ws_size(k) doubles. */
int64_t baiot_gmm_diag_mstep_ws_size(int k);
void baiot_gmm_diag_mstep_cm(int k, int d, const int *nvals, const double *const *cols, int64_t r0, int64_t r1,
                       const double *resp, double *acc, double *ws);

#endif
