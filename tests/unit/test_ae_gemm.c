/*
 * test_ae_gemm.c - unit tests of kernels/ae_gemm.c (the small products of
 * the autoencoder's backward pass): for every shape edge of its tiles (M 1
 * to 9 rows, N 1 to 29 columns, K 1 to 40 and the N-BaIoT layer sizes,
 * A read row-wise and transposed, B and C with a leading dimension wider
 * than N) the products against long double sums (relative error under
 * 1e-13 of the absolute sum), the AVX2 path and the portable one bit for
 * bit, and no write outside C's M x N cells.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/ae_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_RNG_SEED 0x2545F4914F6CDD1DULL
#include "unit_testlib.h"

/* One product, A(i, j) = a[i * ai + j * aj]: both paths, the reference,
 * and the cells around C untouched. */
static double check(int M, int N, int K, int transposed)
{
    const int64_t ldb = N + 3, ldc = N + 5;
    const int64_t ai = transposed ? 1 : K, aj = transposed ? M : 1;
    double *a = malloc(sizeof(double) * (size_t)M * K), *b = malloc(sizeof(double) * (size_t)K * ldb);
    double *c1 = malloc(sizeof(double) * (size_t)M * ldc), *c2 = malloc(sizeof(double) * (size_t)M * ldc);
    for (int i = 0; i < M * K; i++)
        a[i] = 2 * unif() - 1;
    for (int64_t i = 0; i < K * ldb; i++)
        b[i] = 2 * unif() - 1;
    for (int64_t i = 0; i < M * ldc; i++)
        c1[i] = c2[i] = -777.0;
    baiot_ae_gemm(M, N, K, a, ai, aj, b, ldb, c1, ldc, 1);
    baiot_ae_gemm(M, N, K, a, ai, aj, b, ldb, c2, ldc, 0);
    assert_memory_equal(c1, c2, sizeof(double) * (size_t)M * ldc);
    double worst = 0;
    for (int i = 0; i < M; i++) {
        for (int n = 0; n < N; n++) {
            long double s = 0, m = 0;
            for (int j = 0; j < K; j++) {
                const long double p = (long double)a[i * ai + j * aj] * b[(int64_t)j * ldb + n];
                s += p;
                m += fabsl(p);
            }
            const double e = (double)(fabsl(c1[(int64_t)i * ldc + n] - s) / m);
            worst = e > worst ? e : worst;
        }
        for (int64_t n = N; n < ldc; n++)
            assert_true(c1[(int64_t)i * ldc + n] == -777.0);
    }
    free(a);
    free(b);
    free(c1);
    free(c2);
    return worst;
}

static void test_edges(void **state)
{
    (void)state;
    double worst = 0;
    for (int t = 0; t < 2; t++)
        for (int M = 1; M <= 9; M++)
            for (int N = 1; N <= 29; N++)
                for (int K = 1; K <= 40; K += 13) {
                    const double e = check(M, N, K, t);
                    worst = e > worst ? e : worst;
                }
    print_message("edges: worst relative error %.3g\n", worst);
    assert_true(worst < 1e-13);
}

/* The autoencoder's own shapes: the deltas of a 32-row block through each
 * layer, the gradients of 16-unit slices over batches of 32 and 256. */
static void test_layers(void **state)
{
    (void)state;
    static const int size[] = {115, 87, 58, 38, 29, 38, 58, 87, 115};
    double worst = 0;
    for (int l = 0; l + 1 < 9; l++) {
        double e = check(32, size[l], size[l + 1], 0);
        worst = e > worst ? e : worst;
        e = check(16 < size[l + 1] ? 16 : size[l + 1], size[l], 32, 1);
        worst = e > worst ? e : worst;
        e = check(16 < size[l + 1] ? 16 : size[l + 1], size[l], 256, 1);
        worst = e > worst ? e : worst;
    }
    print_message("layers: worst relative error %.3g (AVX2 path: %s)\n", worst,
                  baiot_ae_gemm_own() || baiot_ae_fwd_simd_width() >= 256 ? "yes" : "no");
    assert_true(worst < 1e-13);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_edges), cmocka_unit_test(test_layers)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
