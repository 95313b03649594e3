/*
 * test_ae_fwd.c - unit tests of kernels/ae_fwd.c (the autoencoder's fused
 * scoring pass) and of the tanh it shares with training (kernels/ae_math.c):
 * a strip's scores against a plain forward pass in long double (relative
 * error < 1e-12, N-BaIoT's 115-input net and a small 7-input one with
 * every tile width); the AVX-512, AVX2 and portable paths (those the CPU
 * has) bit for bit, layer by
 * layer and score by score; a row's score the same alone, in a full strip
 * or a short one at any position; training's forward pass (levels back to
 * rows) equal to scoring's; tanh on the portable, AVX2 and AVX-512
 * paths bit for bit, and within 3 ulp of tanhl (signed zeros, subnormals,
 * +-inf, NaN, the cut at 20).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/autoencoder.h"
#include "kernels/ae_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_RNG_SEED 0x9E3779B97F4A7C15ULL
#include "unit_testlib.h"

static double *aligned_ws(const baiot_ae *ae)
{
    void *p = NULL;
    assert_int_equal(posix_memalign(&p, 64, sizeof(double) * 3 * AE_FWD_STRIP * (size_t)ae->max_size), 0);
    return p;
}

/* A net of n_in inputs with random weights of scale ~1 (biases too). */
static baiot_ae *make_net(int n_in)
{
    baiot_ae_params p = baiot_ae_params_default();
    p.seed = 7;
    baiot_ae *ae = NULL;
    assert_int_equal(baiot_ae_create(n_in, &p, &ae), BAIOT_OK);
    double *w = malloc(sizeof(double) * (size_t)ae->n_w);
    for (int64_t i = 0; i < ae->n_w; i++)
        w[i] = (2 * unif() - 1) * 0.6;
    assert_int_equal(baiot_ae_set_weights(ae, w), BAIOT_OK);
    free(w);
    return ae;
}

/* The score of row x (n_in doubles) by a plain forward pass in long double. */
static long double plain_score(const baiot_ae *ae, const double *x)
{
    long double a[2][256];
    const int n_in = ae->size[0];
    for (int j = 0; j < n_in; j++)
        a[0][j] = x[j];
    int c = 0;
    for (int l = 0; l < ae->n_layers; l++) {
        const int ni = ae->size[l], no = ae->size[l + 1];
        const double *w = ae->w + ae->woff[l], *b = w + (int64_t)no * ni;
        for (int o = 0; o < no; o++) {
            long double s = b[o];
            for (int k = 0; k < ni; k++)
                s += (long double)w[(int64_t)o * ni + k] * a[c][k];
            a[1 - c][o] = l + 1 < ae->n_layers ? tanhl(s) : s;
        }
        c = 1 - c;
    }
    long double e = 0;
    for (int j = 0; j < n_in; j++)
        e += (a[c][j] - x[j]) * (a[c][j] - x[j]);
    return e / n_in;
}

static void check_net(int n_in)
{
    baiot_ae *ae = make_net(n_in);
    double *ws = aligned_ws(ae), *ws2 = aligned_ws(ae);
    enum { N = 3 * AE_FWD_STRIP + 5 };
    double *x = malloc(sizeof(double) * N * (size_t)n_in), mse[N], mse0[N], one;
    for (int i = 0; i < N * n_in; i++)
        x[i] = 2 * unif() - 1;
    double worst = 0;
    for (int64_t r0 = 0; r0 < N; r0 += AE_FWD_STRIP) {
        const int64_t ns = N - r0 < AE_FWD_STRIP ? N - r0 : AE_FWD_STRIP;
        baiot_ae_fwd_score_strip(ae, x + r0 * n_in, n_in, ns, mse + r0, ws, 1);
        baiot_ae_fwd_score_strip(ae, x + r0 * n_in, n_in, ns, mse0 + r0, ws2, 0);
    }
    assert_memory_equal(mse, mse0, sizeof mse);
    if (baiot_ae_fwd_simd_width() == 512) { /* the AVX2 path too */
        for (int64_t r0 = 0; r0 < N; r0 += AE_FWD_STRIP) {
            const int64_t ns = N - r0 < AE_FWD_STRIP ? N - r0 : AE_FWD_STRIP;
            baiot_ae_fwd_score_strip(ae, x + r0 * n_in, n_in, ns, mse0 + r0, ws2, 256);
        }
        assert_memory_equal(mse, mse0, sizeof mse);
    }
    for (int r = 0; r < N; r++) {
        long double want = plain_score(ae, x + (int64_t)r * n_in);
        double rel = (double)(fabsl(mse[r] - want) / want);
        worst = rel > worst ? rel : worst;
        /* alone, and as the last row of a short strip */
        baiot_ae_fwd_score_strip(ae, x + (int64_t)r * n_in, n_in, 1, &one, ws, 1);
        assert_memory_equal(&one, &mse[r], sizeof one);
        if (r >= 3) {
            double m4[4];
            baiot_ae_fwd_score_strip(ae, x + (int64_t)(r - 3) * n_in, n_in, 4, m4, ws, 1);
            assert_memory_equal(&m4[3], &mse[r], sizeof one);
        }
    }
    print_message("fused pass, %d inputs: worst relative error of a score %.3g (vector path %d bits)\n", n_in, worst,
                  baiot_ae_fwd_simd_width());
    assert_true(worst < 1e-12);
    /* each layer alone, every path (the outputs of every tile width) */
    for (int l = 0; l < ae->n_layers; l++) {
        double *in = ws, *o1 = ws + AE_FWD_STRIP * ae->max_size, *o2 = ws2;
        for (int i = 0; i < AE_FWD_STRIP * ae->size[l]; i++)
            in[i] = 2 * unif() - 1;
        baiot_ae_fwd_layer(ae, l, in, o1, 1);
        baiot_ae_fwd_layer(ae, l, in, o2, 0);
        assert_memory_equal(o1, o2, sizeof(double) * AE_FWD_STRIP * (size_t)ae->size[l + 1]);
        baiot_ae_fwd_layer(ae, l, in, o2, 256);
        assert_memory_equal(o1, o2, sizeof(double) * AE_FWD_STRIP * (size_t)ae->size[l + 1]);
    }
    free(x);
    free(ws);
    free(ws2);
    baiot_ae_free(ae);
}

/* Training's forward pass (levels back to rows) gives scoring's doubles:
 * the reconstruction of each row of a full and a short block. */
static void test_train_strip(void **state)
{
    (void)state;
    baiot_ae *ae = make_net(115);
    double *ws = aligned_ws(ae);
    const int L = ae->n_layers, n = ae->size[0];
    double *lv[AE_MAX_LAYERS + 1];
    for (int l = 0; l <= L; l++)
        lv[l] = malloc(sizeof(double) * AE_FWD_STRIP * (size_t)ae->size[l]);
    for (int nb = AE_FWD_STRIP; nb > 0; nb -= 19) {
        for (int i = 0; i < nb * n; i++)
            lv[0][i] = 2 * unif() - 1;
        baiot_ae_fwd_train_strip(ae, lv, nb, ws);
        double mse[AE_FWD_STRIP];
        baiot_ae_fwd_score_strip(ae, lv[0], n, nb, mse, ws, 1);
        for (int r = 0; r < nb; r++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                const double d = lv[L][r * n + j] - lv[0][r * n + j];
                s = fma(d, d, s);
            }
            s /= n;
            assert_memory_equal(&s, &mse[r], sizeof s);
        }
    }
    for (int l = 0; l <= L; l++)
        free(lv[l]);
    free(ws);
    baiot_ae_free(ae);
}

static void test_strip_nbaiot(void **state)
{
    (void)state;
    check_net(115); /* 87, 58, 38, 29 units: tiles of 6 and 3, 4, 2, 5, 1 */
}

static void test_strip_small(void **state)
{
    (void)state;
    check_net(7); /* 6, 4, 3, 2 units */
}

/* |a - b| in units in the last place of b. */
static double ulps(double a, long double b)
{
    double bd = (double)b;
    double u = nextafter(fabs(bd), INFINITY) - fabs(bd);
    return (double)(fabsl((long double)a - b) / u);
}

static void test_tanh_paths(void **state)
{
    (void)state;
    enum { N = 200003 };
    double *z = malloc(sizeof(double) * N), *p0 = malloc(sizeof(double) * N), *p2 = malloc(sizeof(double) * N),
           *p3 = malloc(sizeof(double) * N);
    static const double special[] = {0.0, -0.0, 1e-310, -4.9e-324, 1e-20, 20.0, -20.0, 19.999, 40.0,
                                     INFINITY, -INFINITY, 0.34657359027997264, 1e300};
    const int ns = (int)(sizeof special / sizeof special[0]);
    for (int i = 0; i < N; i++) {
        const double u = 2 * unif() - 1;
        z[i] = i < ns ? special[i] : i % 3 == 0 ? 25 * u : i % 3 == 1 ? ldexp(u, -(int)(rnd() % 40)) : 1.2 * u;
    }
    memcpy(p0, z, sizeof(double) * N);
    memcpy(p2, z, sizeof(double) * N);
    memcpy(p3, z, sizeof(double) * N);
    baiot_ae_activate_isa(BAIOT_AE_TANH, p0, N, AE_ISA_PORTABLE);
    baiot_ae_activate_isa(BAIOT_AE_TANH, p2, N, AE_ISA_AVX2);
    baiot_ae_activate_isa(BAIOT_AE_TANH, p3, N, AE_ISA_AVX512);
    assert_memory_equal(p0, p2, sizeof(double) * N);
    assert_memory_equal(p0, p3, sizeof(double) * N);
    double worst = 0;
    for (int i = 0; i < N; i++) {
        const long double t = tanhl((long double)z[i]);
        if (t == 0) {
            assert_true(p0[i] == 0 && signbit(p0[i]) == signbit(z[i]));
            continue;
        }
        const double e = ulps(p0[i], t);
        worst = e > worst ? e : worst;
    }
    print_message("tanh: worst error %.3f ulp (portable, AVX2 and AVX-512 paths identical)\n", worst);
    assert_true(worst <= 3.0);
    double nan[3] = {NAN, -NAN, 1.0};
    baiot_ae_activate_isa(BAIOT_AE_TANH, nan, 3, AE_ISA_PORTABLE);
    assert_true(isnan(nan[0]) && isnan(nan[1]) && fabs(nan[2] - tanh(1.0)) < 1e-15);
    free(z);
    free(p0);
    free(p2);
    free(p3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strip_nbaiot),
        cmocka_unit_test(test_strip_small),
        cmocka_unit_test(test_train_strip),
        cmocka_unit_test(test_tanh_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
