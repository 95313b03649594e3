/*
 * gmm_diag_blas.h - the E step of Weka's diagonal mixture (the model of
 * gmm_diag.h) for one block of rows as a matrix product (cblas_dgemm), with
 * a guard that falls back to gmm_diag's exact arithmetic for the rows where
 * the product form could lose precision.
 *
 * Numeric attributes are centred first: y = x - ref (ref: one value per
 * attribute, chosen from the model, the same for every block), and
 * Z = [y*y | y] (nb x 2dn).  The joint log densities are then
 *     a[r, c] = Z[r] . Wc + w0[c] + the nominal terms
 * with Wc = (-P_c, 2 (mu_c - ref) P_c), P = 1 / (2 sd^2).
 *
 * The M step is not here: its sums stay Weka's (sum r x, sum r x^2 in row
 * order, baiot_gmm_diag_mstep_cm).  On N-BaIoT columns mean/sd reaches ~3e7, so
 * Weka's variance (sum r x^2 - (sum r x)^2 / sum r) / sum r is dominated by
 * the rounding of those sums, and any other summation order (a dgemm
 * R^T [x*x | x], or centred sums) gives a different standard deviation:
 * with a dgemm M step the 2,000-row real PT737E golden's std devs moved by
 * 38% (54.2 -> 62.8) and -N -1 chose 4 clusters instead of Weka's 1.
 *
 * Precision rule (GMM_DIAG_BLAS_TOL): the expanded square has a rounding
 * error of at most gamma * S[r, c], S = sum_j P (|y| + |mu - ref|)^2 <=
 * 2 Q + 2 C with Q = y^2 . P_c (a second column set of the same product)
 * and C = sum_j P (mu - ref)^2.  A row is recomputed exactly (baiot_gmm_diag_joint,
 * Weka's operation order) when, for some cluster, that bound times the
 * cluster's weight exp(a - max) (times e, for the bound's own effect on the
 * weight) exceeds GMM_DIAG_BLAS_TOL, or when the bound exceeds 1.  So every
 * row's log density and posteriors are within ~GMM_DIAG_BLAS_TOL of the
 * exact ones, whatever the offsets and variances (the exact path takes over
 * when |mean| >> sd makes the expansion cancel).
 *
 * Determinism: a block's results depend only on the block (single-threaded
 * BLAS inside, fixed operation order), so the engine's fixed blocks added in
 * block order give the same doubles for any thread count.  exp and log run
 * four at a time through glibc's libmvec (AVX2) when the CPU has AVX2 and
 * FMA; that choice depends on the machine, never on the threads.  No
 * allocation, no globals besides that read-only CPU check.
 * Covered by tests/unit/test_gmm_diag_blas.c and
 * tests/cli/test_em_threads.py.
 */
#ifndef BAIOT_KERNELS_GMM_DIAG_BLAS_H
#define BAIOT_KERNELS_GMM_DIAG_BLAS_H

#include "kernels/gmm_diag.h"

#include <stdint.h>

/* Largest allowed error bound (absolute, on a row's log density and on
 * each of its posteriors) of the product form before the row is recomputed
 * exactly: 1e-11 relative on N-BaIoT log-likelihoods (~ -100 per row),
 * well inside the 1e-6 Weka tolerance. */
#define GMM_DIAG_BLAS_TOL 1e-9

/* The product-form model: prepared by baiot_gmm_diag_blas_prepare from an exact
 * layout m (whose arrays it keeps pointing to). */
typedef struct gmm_diag_blas {
    const gmm_diag *m;
    int dn;             /* numeric attributes */
    const int *num;     /* dn: their attribute indices, increasing */
    const double *ref;  /* dn: the centre of each numeric attribute */
    const double *w;    /* 2dn x 2k column-major: columns c < k: (-P_c, 2 (mu_c - ref) P_c);
                         * columns k + c: (P_c, 0) */
    const double *w0;   /* k: ln prior - sum_j (ln sqrt(2 pi) + ln sd + (mu - ref)^2 P) */
    const double *cb;   /* k: C_c = sum_j (mu - ref)^2 P_c */
} gmm_diag_blas;

/* Chooses the centres ref (dn doubles: per numeric attribute sum_c mu_c /
 * sd_c over sum_c 1 / sd_c), fills w (2dn * 2k doubles), w0 (k) and cb (k)
 * from m, and points b at them. */
void baiot_gmm_diag_blas_prepare(const gmm_diag *m, int dn, const int *num, double *ref, double *w, double *w0,
                           double *cb, gmm_diag_blas *b);

/* Doubles of workspace baiot_gmm_diag_blas_estep needs for nb rows. */
int64_t baiot_gmm_diag_blas_ws_size(int k, int dn, int64_t nb);

/* E step over rows [r0, r1) of cols (d column pointers): the block's
 * posteriors into resp (column-major nb x k: resp[c * nb + (r - r0)]); the
 * return value is the sum in row order of each row's log density.  ws:
 * baiot_gmm_diag_blas_ws_size doubles.  *n_exact gets the rows recomputed
 * exactly. */
double baiot_gmm_diag_blas_estep(const gmm_diag_blas *b, const double *const *cols, int64_t r0, int64_t r1, double *resp,
                           double *ws, int64_t *n_exact);

#endif
