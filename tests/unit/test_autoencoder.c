/*
 * test_autoencoder.c - unit tests of the autoencoder kernel
 * (kernels/autoencoder.c, ae_train.c, ae_math.c): the vectorised tanh and
 * sigmoid against libm (a few ulp; signed zeros, NaN); the layer sizes and the
 * parameter checks; the backward pass against central finite differences
 * of the loss (tanh and sigmoid, relative error < 1e-6); an SGD step equal
 * to w - lr * gradient bit for bit; the same weights, losses and scores bit
 * for bit with 1, 2 and 3 OpenMP threads (SGD and Adam, two epochs with
 * seeded shuffles, a short last batch); the loss falling on data with a
 * low-dimensional structure; scores equal to the loss; bad arguments; and
 * every allocation failed once (clean BAIOT_ERR_MEMORY, then the same
 * weights).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/autoencoder.h"
#include "kernels/ae_internal.h"
#include "kernels/base/alloc_testing.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_RNG_SEED 0x2545F4914F6CDD1DULL
#include "unit_testlib.h"

/* n rows x d: a point on a 3-dimensional curved manifold plus small noise
 * (so an autoencoder with a narrow middle can learn it). */
static double *make_data(int64_t n, int d)
{
    double *x = malloc(sizeof(double) * (size_t)(n * d));
    for (int64_t r = 0; r < n; r++) {
        double z[3] = {2 * unif() - 1, 2 * unif() - 1, 2 * unif() - 1};
        for (int j = 0; j < d; j++)
            x[r * d + j] = sin(1.3 * z[j % 3] + 0.2 * j) + 0.5 * z[(j + 1) % 3] * z[(j + 2) % 3] + 0.01 * (unif() - 0.5);
    }
    return x;
}

/* The vectorised activations (every CPU path) against libm. */
static void test_activations(void **state)
{
    (void)state;
    enum { N = 12003 }; /* not a multiple of 8: the masked tail */
    static double z[N], t[N], s[N];
    for (int i = 0; i < N; i++)
        z[i] = i < 3 ? (double[]){0.0, -0.0, 1e-300}[i] : (i % 2 ? -1 : 1) * 40.0 * pow(unif(), 3) + (i % 7 == 0) * 1e-9 * unif();
    memcpy(t, z, sizeof z);
    memcpy(s, z, sizeof z);
    baiot_ae_activate(BAIOT_AE_TANH, t, N);
    baiot_ae_activate(BAIOT_AE_SIGMOID, s, N);
    double wt = 0, ws = 0;
    for (int i = 0; i < N; i++) {
        double et = tanh(z[i]), es = 1 / (1 + exp(-z[i]));
        double rt = et == 0 ? fabs(t[i]) : fabs(t[i] - et) / fabs(et), rs = fabs(s[i] - es) / es;
        wt = rt > wt ? rt : wt;
        ws = rs > ws ? rs : ws;
        if (et == 0)
            assert_true(signbit(t[i]) == signbit(et) && t[i] == 0);
    }
    print_message("activations: worst relative error against libm: tanh %.3g, sigmoid %.3g\n", wt, ws);
    assert_true(wt < 1e-15);
    assert_true(ws < 1e-15);
    double nan[9] = {NAN, 1, 2, 3, 4, 5, 6, 7, NAN};
    baiot_ae_activate(BAIOT_AE_TANH, nan, 9);
    assert_true(isnan(nan[0]) && isnan(nan[8]) && nan[1] == tanh(1.0));
}

static void test_sizes_and_params(void **state)
{
    (void)state;
    baiot_ae_params p = baiot_ae_params_default();
    baiot_ae *ae = NULL;
    assert_int_equal(baiot_ae_create(115, &p, &ae), BAIOT_OK);
    static const int want[] = {115, 87, 58, 38, 29, 38, 58, 87, 115};
    assert_int_equal(baiot_ae_n_layers(ae), 8);
    for (int i = 0; i <= 8; i++)
        assert_int_equal(baiot_ae_size(ae, i), want[i]);
    assert_int_equal(baiot_ae_size(ae, 9), -1);
    assert_int_equal(baiot_ae_n_weights(ae), 37224);
    /* Glorot uniform: every weight of layer 0 inside +-sqrt(6 / 202), zero biases,
     * and the spread near the bound's / sqrt(3) */
    double *w = malloc(sizeof(double) * 37224);
    baiot_ae_get_weights(ae, w);
    double a = sqrt(6.0 / 202), ss = 0;
    for (int i = 0; i < 115 * 87; i++) {
        assert_true(fabs(w[i]) < a);
        ss += w[i] * w[i];
    }
    assert_true(fabs(sqrt(ss / (115 * 87)) - a / sqrt(3)) < 0.02 * a);
    for (int i = 115 * 87; i < 116 * 87; i++)
        assert_true(w[i] == 0);
    /* another seed, other weights; the same seed, the same */
    baiot_ae *b = NULL;
    double *w2 = malloc(sizeof(double) * 37224);
    assert_int_equal(baiot_ae_create(115, &p, &b), BAIOT_OK);
    baiot_ae_get_weights(b, w2);
    assert_memory_equal(w, w2, sizeof(double) * 37224);
    baiot_ae_free(b);
    p.seed = 2;
    assert_int_equal(baiot_ae_create(115, &p, &b), BAIOT_OK);
    baiot_ae_get_weights(b, w2);
    assert_true(memcmp(w, w2, sizeof(double) * 37224) != 0);
    baiot_ae_free(b);
    free(w2);
    /* set_weights refuses a NaN and keeps the old weights */
    w[5] = NAN;
    assert_int_equal(baiot_ae_set_weights(ae, w), BAIOT_ERR_NUMERIC);
    baiot_ae_free(ae);
    free(w);

    /* bad parameters and arguments */
    baiot_ae_params q = baiot_ae_params_default();
    assert_int_equal(baiot_ae_params_check(0, &q), BAIOT_ERR_ARG);
    q.lr = 0;
    assert_int_equal(baiot_ae_create(10, &q, &ae), BAIOT_ERR_ARG);
    assert_null(ae);
    q = baiot_ae_params_default();
    q.hidden_pct[2] = 0;
    assert_int_equal(baiot_ae_params_check(10, &q), BAIOT_ERR_ARG);
    q = baiot_ae_params_default();
    q.n_hidden = BAIOT_AE_MAX_HIDDEN + 1;
    assert_int_equal(baiot_ae_params_check(10, &q), BAIOT_ERR_ARG);
    q = baiot_ae_params_default();
    q.batch = 0;
    assert_int_equal(baiot_ae_params_check(10, &q), BAIOT_ERR_ARG);
    q = baiot_ae_params_default();
    q.optimizer = BAIOT_AE_ADAM;
    q.adam_beta2 = 1;
    assert_int_equal(baiot_ae_params_check(10, &q), BAIOT_ERR_ARG);
    q = baiot_ae_params_default();
    assert_int_equal(baiot_ae_create(10, &q, &ae), BAIOT_OK);
    double x[20] = {0}, mse[2];
    int64_t bad_order[2] = {0, 2};
    assert_int_equal(baiot_ae_train_epoch(ae, x, 2, 10, bad_order, NULL), BAIOT_ERR_ARG);
    assert_int_equal(baiot_ae_train_epoch(ae, x, 2, 9, NULL, NULL), BAIOT_ERR_ARG);
    assert_int_equal(baiot_ae_score(ae, x, 2, 9, mse), BAIOT_ERR_ARG);
    double g[1];
    assert_int_equal(baiot_ae_gradient(ae, x, 33, 10, g, NULL), BAIOT_ERR_ARG); /* more rows than the batch */
    baiot_ae_free(ae);
}

/* The mean squared error of all n rows through the scores. */
static double loss_of(const baiot_ae *ae, const double *x, int64_t n, int d)
{
    double *mse = malloc(sizeof(double) * (size_t)n), s = 0;
    assert_int_equal(baiot_ae_score(ae, x, n, d, mse), BAIOT_OK);
    for (int64_t r = 0; r < n; r++)
        s += mse[r];
    free(mse);
    return s / n;
}

static void gradient_check(baiot_ae_activation act)
{
    const int d = 6;
    const int64_t n = 20; /* two row blocks, the second short */
    baiot_ae_params p = baiot_ae_params_default();
    p.n_hidden = 2;
    p.hidden_pct[0] = 75; /* 6-5-3-5-6 */
    p.hidden_pct[1] = 50;
    p.activation = act;
    p.batch = n;
    baiot_ae *ae = NULL;
    assert_int_equal(baiot_ae_create(d, &p, &ae), BAIOT_OK);
    assert_int_equal(baiot_ae_size(ae, 2), 3);
    const int64_t nw = baiot_ae_n_weights(ae);
    double *w = malloc(sizeof(double) * (size_t)nw), *g = malloc(sizeof(double) * (size_t)nw);
    /* weights and biases all away from 0, so every term of the gradient counts */
    for (int64_t i = 0; i < nw; i++)
        w[i] = (2 * unif() - 1) * 0.8;
    assert_int_equal(baiot_ae_set_weights(ae, w), BAIOT_OK);
    double *x = make_data(n, d), loss;
    assert_int_equal(baiot_ae_gradient(ae, x, n, d, g, &loss), BAIOT_OK);
    assert_true(fabs(loss - loss_of(ae, x, n, d)) <= 1e-14 * loss);
    double worst = 0;
    for (int64_t i = 0; i < nw; i++) {
        const double h = 1e-5, w0 = w[i];
        w[i] = w0 + h;
        assert_int_equal(baiot_ae_set_weights(ae, w), BAIOT_OK);
        double lp = loss_of(ae, x, n, d);
        w[i] = w0 - h;
        assert_int_equal(baiot_ae_set_weights(ae, w), BAIOT_OK);
        double lm = loss_of(ae, x, n, d);
        w[i] = w0;
        double fd = (lp - lm) / (2 * h);
        double rel = fabs(fd - g[i]) / fmax(fabs(fd) + fabs(g[i]), 1e-8);
        if (rel > worst)
            worst = rel;
        if (rel >= 1e-6)
            fail_msg("weight %lld: backward %.17g, finite difference %.17g (relative %.3g)", (long long)i, g[i], fd,
                     rel);
    }
    print_message("gradient check (%s): %lld weights, worst relative error %.3g\n",
                  act == BAIOT_AE_TANH ? "tanh" : "sigmoid", (long long)nw, worst);
    free(x);
    free(w);
    free(g);
    baiot_ae_free(ae);
}

static void test_gradient_tanh(void **state)
{
    (void)state;
    gradient_check(BAIOT_AE_TANH);
}

static void test_gradient_sigmoid(void **state)
{
    (void)state;
    gradient_check(BAIOT_AE_SIGMOID);
}

/* One epoch over exactly one batch is one SGD step: w - lr * gradient. */
static void test_sgd_step(void **state)
{
    (void)state;
    const int d = 30;
    const int64_t n = 40;
    baiot_ae_params p = baiot_ae_params_default();
    p.batch = n;
    p.lr = 0.05;
    baiot_ae *ae = NULL;
    assert_int_equal(baiot_ae_create(d, &p, &ae), BAIOT_OK);
    const int64_t nw = baiot_ae_n_weights(ae);
    double *w0 = malloc(sizeof(double) * (size_t)nw), *g = malloc(sizeof(double) * (size_t)nw);
    double *w1 = malloc(sizeof(double) * (size_t)nw), *x = make_data(n, d), gl, el;
    int64_t *ord = malloc(sizeof(int64_t) * n);
    for (int64_t i = 0; i < n; i++)
        ord[i] = i;
    baiot_ae_get_weights(ae, w0);
    assert_int_equal(baiot_ae_gradient(ae, x, n, d, g, &gl), BAIOT_OK);
    assert_int_equal(baiot_ae_train_epoch(ae, x, n, d, ord, &el), BAIOT_OK);
    assert_true(gl == el);
    baiot_ae_get_weights(ae, w1);
    int64_t moved = 0;
    for (int64_t i = 0; i < nw; i++) {
        assert_true(w1[i] == w0[i] - 0.05 * g[i]);
        moved += w1[i] != w0[i];
    }
    assert_true(moved > nw / 2);
    free(w0);
    free(w1);
    free(g);
    free(x);
    free(ord);
    baiot_ae_free(ae);
}

/* Two epochs (seeded shuffles, 1000 rows in batches of 256: a short last
 * batch of 232, so up to 3 threads train) with t threads; the weights, the
 * losses and the scores. */
static void train_with(int t, baiot_ae_optimizer opt, const double *x, int64_t n, int d, double *w, double *loss,
                       double *mse)
{
    omp_set_num_threads(t);
    baiot_ae_params p = baiot_ae_params_default();
    p.batch = 256;
    p.optimizer = opt;
    p.lr = opt == BAIOT_AE_ADAM ? 1e-3 : 0.05;
    p.seed = 7;
    p.epochs = 2;
    baiot_ae *ae = NULL;
    assert_int_equal(baiot_ae_create(d, &p, &ae), BAIOT_OK);
    assert_int_equal(baiot_ae_train(ae, x, n, d, loss), BAIOT_OK);
    baiot_ae_get_weights(ae, w);
    assert_int_equal(baiot_ae_score(ae, x, n, d, mse), BAIOT_OK);
    baiot_ae_free(ae);
}

static void test_threads_identical(void **state)
{
    (void)state;
    const int d = 115;
    const int64_t n = 1000;
    double *x = make_data(n, d);
    int saved = omp_get_max_threads();
    for (int o = 0; o < 2; o++) {
        baiot_ae_optimizer opt = o ? BAIOT_AE_ADAM : BAIOT_AE_SGD;
        double *w[3], loss[3][2], *mse[3];
        for (int t = 1; t <= 3; t++) {
            w[t - 1] = malloc(sizeof(double) * 37224);
            mse[t - 1] = malloc(sizeof(double) * n);
            train_with(t, opt, x, n, d, w[t - 1], loss[t - 1], mse[t - 1]);
        }
        for (int t = 1; t < 3; t++) {
            assert_memory_equal(w[0], w[t], sizeof(double) * 37224);
            assert_memory_equal(loss[0], loss[t], sizeof loss[0]);
            assert_memory_equal(mse[0], mse[t], sizeof(double) * n);
        }
        assert_true(loss[0][1] < loss[0][0]);
        for (int t = 0; t < 3; t++) {
            free(w[t]);
            free(mse[t]);
        }
    }
    omp_set_num_threads(saved);
    free(x);
}

static void test_loss_falls(void **state)
{
    (void)state;
    const int d = 24;
    const int64_t n = 2000;
    double *x = make_data(n, d);
    for (int o = 0; o < 2; o++) {
        baiot_ae_params p = baiot_ae_params_default();
        p.optimizer = o ? BAIOT_AE_ADAM : BAIOT_AE_SGD;
        p.lr = o ? 3e-3 : 0.05;
        p.epochs = 30;
        baiot_ae *ae = NULL;
        assert_int_equal(baiot_ae_create(d, &p, &ae), BAIOT_OK);
        double before = loss_of(ae, x, n, d), losses[30];
        assert_int_equal(baiot_ae_train(ae, x, n, d, losses), BAIOT_OK);
        double after = loss_of(ae, x, n, d);
        print_message("%s: mean squared error %.4g before, %.4g after 30 epochs (epoch losses %.4g .. %.4g)\n",
                      o ? "Adam" : "SGD", before, after, losses[0], losses[29]);
        assert_true(after < 0.25 * before);
        assert_true(losses[29] < 0.5 * losses[0]);
        baiot_ae_free(ae);
    }
    /* a learning rate far too large diverges: a clean numeric failure */
    baiot_ae_params p = baiot_ae_params_default();
    p.lr = 1e6;
    baiot_ae *ae = NULL;
    assert_int_equal(baiot_ae_create(d, &p, &ae), BAIOT_OK);
    baiot_status st = BAIOT_OK;
    for (int e = 0; e < 5 && !st; e++)
        st = baiot_ae_train_epoch(ae, x, n, d, NULL, NULL);
    assert_int_equal(st, BAIOT_ERR_NUMERIC);
    baiot_ae_free(ae);
    free(x);
}

/* create, an epoch with its own shuffle, a gradient and scores; the final
 * weights into w. */
static baiot_status sequence(const double *x, int64_t n, int d, double *w, int64_t nw)
{
    baiot_ae_params p = baiot_ae_params_default();
    p.optimizer = BAIOT_AE_ADAM;
    p.lr = 1e-3;
    baiot_ae *ae = NULL;
    baiot_status st = baiot_ae_create(d, &p, &ae);
    double *g = malloc(sizeof(double) * (size_t)nw), *mse = malloc(sizeof(double) * (size_t)n);
    if (!st)
        st = baiot_ae_train_epoch(ae, x, n, d, NULL, NULL);
    if (!st)
        st = baiot_ae_gradient(ae, x, 10, d, g, NULL);
    if (!st)
        st = baiot_ae_score(ae, x, n, d, mse);
    if (!st)
        baiot_ae_get_weights(ae, w);
    free(g);
    free(mse);
    baiot_ae_free(ae);
    return st;
}

static void test_alloc_failures(void **state)
{
    (void)state;
    const int d = 12;
    const int64_t n = 300, nw = 12 * 9 + 9 + 9 * 6 + 6 + 6 * 4 + 4 + 4 * 3 + 3 + 3 * 4 + 4 + 4 * 6 + 6 + 6 * 9 + 9 +
                                9 * 12 + 12;
    double *x = make_data(n, d), *ref = malloc(sizeof(double) * nw), *got = malloc(sizeof(double) * nw);
    baiot_alloc_fail_at(0);
    assert_int_equal(sequence(x, n, d, ref, nw), BAIOT_OK);
    uint64_t total = baiot_alloc_fail_at(0);
    assert_true(total >= 10);
    for (uint64_t k = 1; k <= total; k++) {
        baiot_alloc_fail_at(k);
        baiot_status st = sequence(x, n, d, got, nw);
        baiot_alloc_fail_at(0);
        assert_int_equal(st, BAIOT_ERR_MEMORY);
    }
    assert_int_equal(sequence(x, n, d, got, nw), BAIOT_OK);
    assert_memory_equal(ref, got, sizeof(double) * nw);
    print_message("fault injection: %llu allocations, each failed once\n", (unsigned long long)total);
    free(x);
    free(ref);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_activations), cmocka_unit_test(test_sizes_and_params),
        cmocka_unit_test(test_gradient_tanh),
        cmocka_unit_test(test_gradient_sigmoid), cmocka_unit_test(test_sgd_step),
        cmocka_unit_test(test_threads_identical), cmocka_unit_test(test_loss_falls),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
