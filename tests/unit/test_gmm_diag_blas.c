/*
 * test_gmm_diag_blas.c - unit tests of kernels/gmm_diag_blas.c (the E
 * step of Weka's diagonal EM as a dgemm product) against the plain
 * per-row arithmetic of kernels/gmm_diag.c, on data with large offsets
 * (means ~1e9 with sd ~1e3, ~1e4 with sd ~1e-2) where the expanded square
 * cancels: the log-likelihood and posteriors within the precision rule's
 * bound, baiot_gmm_diag_mstep_cm's sums equal to baiot_gmm_diag_mstep's bit for bit
 * (column-major posteriors, clusters side by side), the exact fallback taken when a
 * cluster's standard deviation is the 1e-6 floor far from the centre, and
 * a nominal attribute carried through; baiot_gmm_diag_estep_cm (the exact
 * E step, column-major) equal to baiot_gmm_diag_estep bit for bit, row by
 * row too (the detector's block scoring relies on it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/gmm_diag.h"
#include "kernels/gmm_diag_blas.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define N 5000 /* more than one block's worth, tested as two blocks */
#define K 3
#define D 5    /* 4 numeric, attribute 2 nominal with 3 values */

static const int NVALS[D] = {0, 0, 3, 0, 0};
static const int OFF[D] = {0, 0, 0, 0, 0};

/* deterministic uniform (0, 1) and standard normal */
static uint64_t rng = 88172645463325252ULL;
static double unif(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void)
{
    return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

typedef struct fixture {
    double *data, *cols[D];
    double mean[K * D], sd[K * D], two_var[K * D], log_sd[K * D], log_p[K * 3], log_prior[K];
    gmm_diag m;
} fixture;

/* Rows from K clusters with the given means and sds (sd 0: a constant);
 * the model is the generating one (sd floored at 1e-6, Weka's minimum). */
static void make(fixture *f, const double *mean, const double *sd)
{
    f->data = malloc(sizeof(double) * N * D);
    for (int j = 0; j < D; j++)
        f->cols[j] = f->data + (int64_t)j * N;
    for (int64_t r = 0; r < N; r++) {
        int c = (int)(unif() * K);
        for (int j = 0; j < D; j++)
            f->cols[j][r] = NVALS[j] ? (double)((c + (unif() < 0.2)) % 3) : mean[c * D + j] + sd[c * D + j] * gauss();
    }
    for (int c = 0; c < K; c++) {
        f->log_prior[c] = log(1.0 / K);
        for (int j = 0; j < D; j++) {
            int i = c * D + j;
            f->mean[i] = mean[i] * (1 + 1e-7); /* not exactly the data's */
            f->sd[i] = sd[i] < 1e-6 ? 1e-6 : sd[i];
            f->two_var[i] = 2 * f->sd[i] * f->sd[i];
            f->log_sd[i] = log(f->sd[i]);
        }
        for (int v = 0; v < 3; v++)
            f->log_p[c * 3 + v] = log(v == c ? 0.8 : 0.1);
    }
    f->m = (gmm_diag){K, D, NVALS, OFF, 3, f->mean, f->two_var, f->log_sd, f->log_p, f->log_prior, 0};
}

/* Runs both E steps and both M steps over [0, N) as two blocks and checks
 * them against each other; returns the exactly recomputed rows. */
static int64_t check(fixture *f)
{
    const int dn = 4;
    int num[4] = {0, 1, 3, 4};
    double ref[4], w[4 * 4 * K], w0[K], cb[K];
    gmm_diag_blas b;
    baiot_gmm_diag_blas_prepare(&f->m, dn, num, ref, w, w0, cb, &b);
    const int64_t cut[3] = {0, 4096, N};
    int64_t per = baiot_gmm_diag_acc_size(1, D, NVALS), nx_all = 0;
    double *acc0 = calloc((size_t)(per * K), sizeof(double)), *acc1 = calloc((size_t)(per * K), sizeof(double));
    const double *const *cols = (const double *const *)f->cols;
    for (int blk = 0; blk < 2; blk++) {
        int64_t r0 = cut[blk], r1 = cut[blk + 1], nb = r1 - r0, nx = -1;
        double *exact = malloc(sizeof(double) * nb * K), *resp = malloc(sizeof(double) * nb * K);
        double *ws = malloc(sizeof(double) * (baiot_gmm_diag_blas_ws_size(K, dn, nb) + baiot_gmm_diag_mstep_ws_size(K))), tmp[K];
        double t0 = baiot_gmm_diag_estep(&f->m, cols, r0, r1, exact, tmp);
        double t1 = baiot_gmm_diag_blas_estep(&b, cols, r0, r1, resp, ws, &nx);
        assert_true(nx >= 0 && nx <= nb);
        nx_all += nx;
        /* the rule's promise: each row's log density within the bound */
        assert_true(fabs(t1 - t0) <= nb * GMM_DIAG_BLAS_TOL + 1e-13 * fabs(t0));
        for (int64_t r = 0; r < nb; r++)
            for (int c = 0; c < K; c++)
                assert_true(fabs(resp[c * nb + r] - exact[r * K + c]) <= GMM_DIAG_BLAS_TOL + 1e-14);
        /* the exact column-major E step: the row-major one's doubles, and
         * its row log densities add up (in row order) to the same total */
        double *cm = malloc(sizeof(double) * nb * K), *lrow = malloc(sizeof(double) * nb), tl = 0;
        double *ws2 = malloc(sizeof(double) * 2 * nb);
        double t2 = baiot_gmm_diag_estep_cm(&f->m, cols, r0, r1, cm, ws2, lrow);
        free(ws2);
        for (int64_t r = 0; r < nb; r++) {
            tl += lrow[r];
            for (int c = 0; c < K; c++)
                assert_true(cm[c * nb + r] == exact[r * K + c]);
        }
        assert_true(t2 == t0 && tl == t0);
        /* each row's log density is the one-row E step's, bit for bit (the
         * anomaly detector scores blocks of rows this way:
         * engine/detect/detect_gmm.c) */
        for (int64_t r = 0; r < nb; r++)
            assert_true(lrow[r] == baiot_gmm_diag_estep(&f->m, cols, r0 + r, r0 + r + 1, NULL, tmp));
        free(cm);
        free(lrow);
        /* M step: the column-major sums are the row-major ones, bit for bit */
        for (int64_t r = 0; r < nb; r++)
            for (int c = 0; c < K; c++)
                resp[c * nb + r] = exact[r * K + c];
        baiot_gmm_diag_mstep(K, D, NVALS, cols, r0, r1, exact, acc0);
        baiot_gmm_diag_mstep_cm(K, D, NVALS, cols, r0, r1, resp, acc1, ws);
        free(exact);
        free(resp);
        free(ws);
    }
    for (int64_t i = 0; i < per * K; i++)
        assert_true(acc1[i] == acc0[i]);
    if (getenv("TEST_VERBOSE"))
        printf("exact rows %lld\n", (long long)nx_all);
    free(acc0);
    free(acc1);
    return nx_all;
}

/* Large offsets, well-separated clusters: the product form holds. */
static void test_large_offsets(void **state)
{
    (void)state;
    fixture f;
    const double mean[K * D] = {1.5e9, 4.3, 0, 2e4, 1e-3,   /* cluster 0 */
                                1.9e6, 513, 0, 2.1e4, 5e-3, /* cluster 1 */
                                8.3e8, 5.6e4, 0, 2.3e4, 2e-3};
    const double sd[K * D] = {8.7e5, 13.7, 0, 50, 1e-3, 9e6, 820, 0, 60, 2e-3, 7.5e8, 1.2e4, 0, 70, 1e-3};
    make(&f, mean, sd);
    check(&f);
    free(f.data);
}

/* A cluster whose column is a constant (sd at the 1e-6 floor) far from the
 * others: the expansion would cancel, the rule sends the rows to the exact
 * path, and the results still match. */
static void test_tiny_sd_falls_back(void **state)
{
    (void)state;
    fixture f;
    const double mean[K * D] = {1500, 10, 0, 1e4, 1,  60, 11, 0, 1.1e4, 2,  800, 12, 0, 1.2e4, 3};
    const double sd[K * D] = {0, 1, 0, 10, 0.1,  5, 1, 0, 10, 0.1,  300, 1, 0, 10, 0.1};
    make(&f, mean, sd);
    assert_true(check(&f) > 0);
    free(f.data);
}

/* Modest data (unit scales): no row needs the exact path. */
static void test_plain_data_stays_blas(void **state)
{
    (void)state;
    fixture f;
    const double mean[K * D] = {0, 1, 0, 2, 3,  4, 5, 0, 6, 7,  -3, -2, 0, -1, 0};
    const double sd[K * D] = {1, 1, 0, 1, 1,  2, 2, 0, 2, 2,  1.5, 1.5, 0, 1.5, 1.5};
    make(&f, mean, sd);
    assert_int_equal(check(&f), 0);
    free(f.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_offsets),
        cmocka_unit_test(test_tiny_sd_falls_back),
        cmocka_unit_test(test_plain_data_stays_blas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
