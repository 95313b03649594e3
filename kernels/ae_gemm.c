/*
 * ae_gemm.c - the small products of the autoencoder's backward pass (see
 * ae_internal.h): C[i][n] = sum over j = 0, 1, ..., K - 1 of A(i, j) B[j][n],
 * one fused multiply-add each in j order from 0, for the deltas
 * G_l = G_{l+1} W_l of a 32-row block and the weight gradients
 * dW_l = G_{l+1}^T A_l of a batch (kernels/ae_train.c).
 *
 * Why not dgemm: on CPUs without AVX-512, OpenBLAS 0.3.21 has no kernel for
 * small matrices and packs both operands of every product, then scales C
 * (its "beta" pass): on a Zen EPYC those copies were 16% of a training
 * epoch, the products 37% at ~21 GFLOPS.  Here a tile of 4 rows x 12
 * columns keeps 12 accumulators in AVX2 registers; each step broadcasts 4
 * values of A and loads 3 vectors of a row of B, which are read in place
 * (the last vector of a row end masked).  The AVX-512 CPUs keep OpenBLAS's
 * small-matrix kernels (measured at the FLOP floor there).
 * Guarantees: every C value is a sum in j order from 0 with one rounding
 * per fused multiply-add, on the AVX2 path and the portable one (fma()
 * from libm) alike, so both give the same doubles; nothing depends on the
 * thread (no state, no allocation).  Covered by tests/unit/test_ae_gemm.c
 * (against long double sums, both paths bit for bit, every tile edge) and
 * by tests/unit/test_autoencoder.c (the gradient against finite
 * differences, weights at 1, 2, 3 threads) and tests/cli/test_ae_torch.py.
 */
#include "kernels/ae_internal.h"

#include <math.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_X86 1
#endif

static void gemm_portable(int M, int N, int K, const double *a, int64_t ai, int64_t aj, const double *b, int64_t ldb,
                          double *c, int64_t ldc)
{
    for (int i = 0; i < M; i++)
        for (int n = 0; n < N; n++) {
            double s = 0;
            for (int j = 0; j < K; j++)
                s = fma(a[(int64_t)i * ai + (int64_t)j * aj], b[(int64_t)j * ldb + n], s);
            c[(int64_t)i * ldc + n] = s;
        }
}

#ifdef HAVE_X86
/* MR rows x NV vectors of 4 columns; the last vector's lanes under mask. */
__attribute__((target("avx2,fma"), always_inline)) static inline void tile(const int MR, const int NV, int K,
                                                                            const double *a, int64_t ai, int64_t aj,
                                                                            const double *b, int64_t ldb, double *c,
                                                                            int64_t ldc, __m256i mask, int full)
{
    __m256d acc[4][3];
#pragma GCC unroll 4
    for (int i = 0; i < MR; i++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++)
            acc[i][v] = _mm256_setzero_pd();
    for (int j = 0; j < K; j++) {
        const double *bj = b + (int64_t)j * ldb, *aj0 = a + (int64_t)j * aj;
        __m256d bv[3];
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++)
            bv[v] = v + 1 < NV || full ? _mm256_loadu_pd(bj + 4 * v) : _mm256_maskload_pd(bj + 4 * v, mask);
#pragma GCC unroll 4
        for (int i = 0; i < MR; i++) {
            const __m256d av = _mm256_broadcast_sd(aj0 + (int64_t)i * ai);
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++)
                acc[i][v] = _mm256_fmadd_pd(av, bv[v], acc[i][v]);
        }
    }
#pragma GCC unroll 4
    for (int i = 0; i < MR; i++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            double *ci = c + (int64_t)i * ldc + 4 * v;
            if (v + 1 < NV || full)
                _mm256_storeu_pd(ci, acc[i][v]);
            else
                _mm256_maskstore_pd(ci, mask, acc[i][v]);
        }
}

#define ROWS(MR)                                                                         \
    switch (nv) {                                                                        \
    case 3: tile(MR, 3, K, ar, ai, aj, b + n0, ldb, cr + n0, ldc, mask, full); break;   \
    case 2: tile(MR, 2, K, ar, ai, aj, b + n0, ldb, cr + n0, ldc, mask, full); break;   \
    default: tile(MR, 1, K, ar, ai, aj, b + n0, ldb, cr + n0, ldc, mask, full); break;  \
    }

__attribute__((target("avx2,fma"))) static void gemm_avx2(int M, int N, int K, const double *a, int64_t ai,
                                                          int64_t aj, const double *b, int64_t ldb, double *c,
                                                          int64_t ldc)
{
    for (int n0 = 0; n0 < N; n0 += 12) {
        const int w = N - n0 < 12 ? N - n0 : 12, nv = (w + 3) / 4, last = w - 4 * (nv - 1), full = last == 4;
        const __m256i mask = _mm256_set_epi64x(last > 3 ? -1 : 0, last > 2 ? -1 : 0, last > 1 ? -1 : 0, -1);
        for (int i0 = 0; i0 < M; i0 += 4) {
            const double *ar = a + (int64_t)i0 * ai;
            double *cr = c + (int64_t)i0 * ldc;
            switch (M - i0 < 4 ? M - i0 : 4) {
            case 4: ROWS(4) break;
            case 3: ROWS(3) break;
            case 2: ROWS(2) break;
            default: ROWS(1) break;
            }
        }
    }
}
#undef ROWS

static int have_avx2(void)
{
    static int v = -1; /* benign race: every thread writes the same value */
    if (v < 0)
        v = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return v;
}
#endif

void baiot_ae_gemm(int M, int N, int K, const double *a, int64_t ai, int64_t aj, const double *b, int64_t ldb,
                   double *c, int64_t ldc, int simd)
{
#ifdef HAVE_X86
    if (simd && have_avx2()) {
        gemm_avx2(M, N, K, a, ai, aj, b, ldb, c, ldc);
        return;
    }
#endif
    (void)simd;
    gemm_portable(M, N, K, a, ai, aj, b, ldb, c, ldc);
}

int baiot_ae_gemm_own(void)
{
#ifdef HAVE_X86
    return have_avx2() && baiot_ae_fwd_simd_width() < 512;
#else
    return 0;
#endif
}
