/*
 * test_gmm_full.c - the full-covariance Gaussian kernels (kernels/gmm_full.c)
 * against a direct computation written here: for d = 1, 2, 3 and k = 1..3
 * random positive definite covariances, the inverse and determinant by
 * cofactors, the log joint densities ln prior - d/2 ln 2 pi - 1/2 ln det -
 * 1/2 (x - mu)^T S^-1 (x - mu), each row's log density by log-sum-exp and
 * the posteriors.  Checked: prepare's Cholesky factor (L L^T = S, upper
 * triangle zero, positive diagonal) and log normalisers, and that it names
 * the first cluster whose covariance is not positive definite; the E step's
 * posteriors and returned log-likelihood sum over a block [r0, r1) of a
 * column-major array with a leading dimension larger than the rows; the M
 * step's responsibility sums, weighted sums and scatter matrices (lower
 * triangle; upper zeroed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/gmm_full.h"

#include <math.h>
#include <string.h>

#define UNIT_RNG_SEED 0x94D049BB133111EBULL
#include "unit_testlib.h"

#define MAXD 3
#define MAXK 3
#define NROWS 9
#define LDX 13

static const double LN_2PI = 1.8378770664093454835606594728112;

static void assert_close(double got, double want, double rel)
{
    double tol = rel * (1.0 + fabs(want));
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tolerance %.3g)", got, want, tol);
}

/* Element (i, j) of column-major d x d matrix m. */
#define AT(m, d, i, j) ((m)[(j) * (d) + (i)])

/* Determinant and inverse of a d x d matrix (d <= 3) by cofactors. */
static double det_inv(const double *m, int d, double *inv)
{
    if (d == 1) {
        inv[0] = 1.0 / m[0];
        return m[0];
    }
    if (d == 2) {
        double a = AT(m, 2, 0, 0), b = AT(m, 2, 0, 1), c = AT(m, 2, 1, 0), e = AT(m, 2, 1, 1);
        double det = a * e - b * c;
        AT(inv, 2, 0, 0) = e / det;
        AT(inv, 2, 0, 1) = -b / det;
        AT(inv, 2, 1, 0) = -c / det;
        AT(inv, 2, 1, 1) = a / det;
        return det;
    }
    double cof[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
            cof[i][j] = AT(m, 3, i1, j1) * AT(m, 3, i2, j2) - AT(m, 3, i1, j2) * AT(m, 3, i2, j1);
        }
    double det = AT(m, 3, 0, 0) * cof[0][0] + AT(m, 3, 0, 1) * cof[0][1] + AT(m, 3, 0, 2) * cof[0][2];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            AT(inv, 3, i, j) = cof[j][i] / det;
    return det;
}

typedef struct gcase {
    int k, d;
    double x[MAXD * LDX];        /* column-major, ldx LDX */
    double mean[MAXK * MAXD];
    double cov[MAXK * MAXD * MAXD];
    double prior[MAXK];
} gcase;

static void make_case(gcase *g, int k, int d)
{
    memset(g, 0, sizeof *g);
    g->k = k;
    g->d = d;
    for (int j = 0; j < d; j++)
        for (int r = 0; r < LDX; r++)
            g->x[j * LDX + r] = (unif() - 0.5) * 6;
    double psum = 0;
    for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++)
            g->mean[c * d + j] = (unif() - 0.5) * 4;
        double b[MAXD * MAXD];
        for (int i = 0; i < d * d; i++)
            b[i] = unif() - 0.5;
        double *s = g->cov + c * d * d;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                double v = i == j ? 0.3 : 0.0;
                for (int t = 0; t < d; t++)
                    v += AT(b, d, i, t) * AT(b, d, j, t);
                AT(s, d, i, j) = v;
            }
        g->prior[c] = 0.2 + unif();
        psum += g->prior[c];
    }
    for (int c = 0; c < k; c++)
        g->prior[c] /= psum;
}

/* The log joint density of row r in cluster c, directly. */
static double log_joint(const gcase *g, int c, int64_t r)
{
    int d = g->d;
    double inv[MAXD * MAXD], diff[MAXD];
    double det = det_inv(g->cov + c * d * d, d, inv);
    for (int j = 0; j < d; j++)
        diff[j] = g->x[j * LDX + r] - g->mean[c * d + j];
    double q = 0;
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++)
            q += diff[i] * AT(inv, d, i, j) * diff[j];
    return log(g->prior[c]) - 0.5 * d * LN_2PI - 0.5 * log(det) - 0.5 * q;
}

static void check_case(int k, int d)
{
    gcase g;
    make_case(&g, k, d);
    double chol[MAXK * MAXD * MAXD], log_norm[MAXK];
    memset(chol, 0x55, sizeof chol);
    assert_int_equal(baiot_gmm_full_prepare(k, d, g.cov, g.prior, chol, log_norm), -1);
    for (int c = 0; c < k; c++) {
        const double *L = chol + c * d * d, *S = g.cov + c * d * d;
        double inv[MAXD * MAXD];
        double det = det_inv(S, d, inv);
        assert_close(log_norm[c], log(g.prior[c]) - 0.5 * log(det) - 0.5 * d * LN_2PI, 1e-12);
        for (int i = 0; i < d; i++) {
            assert_true(AT(L, d, i, i) > 0);
            for (int j = 0; j < d; j++) {
                if (j > i)
                    assert_true(AT(L, d, i, j) == 0.0);
                double v = 0;
                for (int t = 0; t < d; t++)
                    v += AT(L, d, i, t) * AT(L, d, j, t);
                assert_close(v, AT(S, d, i, j), 1e-12);
            }
        }
    }

    /* E step on rows [2, NROWS) */
    const int64_t r0 = 2, r1 = NROWS, nb = r1 - r0;
    double resp[MAXK * NROWS], ws[NROWS * MAXD];
    double ll = baiot_gmm_full_estep(k, d, g.x, LDX, r0, r1, g.mean, chol, log_norm, resp, ws);
    double want_ll = 0;
    double want_resp[MAXK * NROWS];
    for (int64_t r = r0; r < r1; r++) {
        double lj[MAXK], mx = -INFINITY, s = 0;
        for (int c = 0; c < k; c++) {
            lj[c] = log_joint(&g, c, r);
            if (lj[c] > mx)
                mx = lj[c];
        }
        for (int c = 0; c < k; c++)
            s += exp(lj[c] - mx);
        double lse = mx + log(s);
        want_ll += lse;
        for (int c = 0; c < k; c++)
            want_resp[c * nb + (r - r0)] = exp(lj[c] - lse);
    }
    assert_close(ll, want_ll, 1e-11);
    for (int64_t i = 0; i < nb; i++) {
        double s = 0;
        for (int c = 0; c < k; c++) {
            assert_close(resp[c * nb + i], want_resp[c * nb + i], 1e-11);
            s += resp[c * nb + i];
        }
        assert_close(s, 1.0, 1e-14);
    }

    /* M step on the same block with the exact posteriors */
    double nk[MAXK], s1[MAXK * MAXD], scatter[MAXK * MAXD * MAXD];
    baiot_gmm_full_mstep_means(k, d, g.x, LDX, r0, r1, want_resp, nk, s1);
    for (int c = 0; c < k; c++) {
        double n = 0;
        for (int64_t i = 0; i < nb; i++)
            n += want_resp[c * nb + i];
        assert_close(nk[c], n, 1e-14);
        for (int j = 0; j < d; j++) {
            double v = 0;
            for (int64_t i = 0; i < nb; i++)
                v += want_resp[c * nb + i] * g.x[j * LDX + r0 + i];
            assert_close(s1[c * d + j], v, 1e-13);
        }
    }
    memset(scatter, 0x55, sizeof scatter);
    baiot_gmm_full_mstep_scatter(k, d, g.x, LDX, r0, r1, want_resp, g.mean, scatter, ws);
    for (int c = 0; c < k; c++)
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int64_t t = 0; t < nb; t++)
                    v += want_resp[c * nb + t] * (g.x[i * LDX + r0 + t] - g.mean[c * d + i]) *
                         (g.x[j * LDX + r0 + t] - g.mean[c * d + j]);
                if (j > i)
                    assert_true(AT(scatter + c * d * d, d, i, j) == 0.0);
                else
                    assert_close(AT(scatter + c * d * d, d, i, j), v, 1e-12);
            }
}

static void test_against_direct(void **state)
{
    (void)state;
    for (int rep = 0; rep < 50; rep++)
        for (int d = 1; d <= MAXD; d++)
            for (int k = 1; k <= MAXK; k++)
                check_case(k, d);
}

/* A hand case: N(0, diag(1, 4)) at (1, 2), one cluster, prior 1:
 * ln density = -ln 2 pi - 1/2 ln 4 - 1/2 (1 + 1). */
static void test_hand_case(void **state)
{
    (void)state;
    const double x[] = {1, 2}; /* one row, two columns, ldx 1 */
    const double mean[] = {0, 0}, cov[] = {1, 0, 0, 4}, prior[] = {1};
    double chol[4], log_norm[1], resp[1], ws[2];
    assert_int_equal(baiot_gmm_full_prepare(1, 2, cov, prior, chol, log_norm), -1);
    assert_close(chol[0], 1, 1e-15);
    assert_close(chol[3], 2, 1e-15);
    double ll = baiot_gmm_full_estep(1, 2, x, 1, 0, 1, mean, chol, log_norm, resp, ws);
    assert_close(ll, -LN_2PI - 0.5 * log(4.0) - 1.0, 1e-14);
    assert_close(resp[0], 1.0, 1e-15);
}

static void test_not_positive_definite(void **state)
{
    (void)state;
    /* cluster 0 fine, cluster 1 indefinite (eigenvalues 3, -1), cluster 2 singular */
    const double cov[] = {2, 0.5, 0.5, 1, 1, 2, 2, 1, 1, 1, 1, 1};
    const double prior[] = {0.3, 0.3, 0.4};
    double chol[12], log_norm[3];
    assert_int_equal(baiot_gmm_full_prepare(3, 2, cov, prior, chol, log_norm), 1);
    const double cov_last[] = {2, 0.5, 0.5, 1, 1, 1, 1, 1};
    assert_int_equal(baiot_gmm_full_prepare(2, 2, cov_last, prior, chol, log_norm), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_direct),
        cmocka_unit_test(test_hand_case),
        cmocka_unit_test(test_not_positive_definite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
