/*
 * ae_math.c - the autoencoder's per-layer arithmetic (see ae_internal.h):
 * one layer's forward product (cblas_dgemm, then the bias added row by row
 * and the activation in place), the vectorised tanh and sigmoid, and the
 * splitmix64 generator behind the initial weights and the shuffles.
 *
 * tanh and exp: glibc's libmvec, 8 lanes with AVX-512 (tanh from
 * _ZGVeN8v_expm1, see tanh8; _ZGVeN8v_exp; the tail lanes masked), else 4
 * lanes with AVX2 and FMA (_ZGVdN4v_tanh / _ZGVdN4v_exp; documented max
 * error 4 ulp), called from functions compiled for that target and chosen
 * at run time (as kernels/gmm_diag_blas.c does), else libm's tanh / exp.
 * All within a few ulp of libm (tests/unit/test_autoencoder.c).  The choice depends on the CPU, never on the thread
 * count.  sigmoid(z) = 1 / (1 + exp(-z)) (exp(-z) = inf gives 0).
 * Thread-safe, no allocation.  Covered by tests/unit/test_autoencoder.c.
 */
#include "kernels/ae_internal.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_MVEC 1
#endif

#ifdef HAVE_MVEC
__attribute__((target("avx2"))) __m256d _ZGVdN4v_tanh(__m256d x);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_exp(__m256d x);

__attribute__((target("avx2,fma"))) static void tanh_avx2(double *x, int64_t n)
{
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        _mm256_storeu_pd(x + i, _ZGVdN4v_tanh(_mm256_loadu_pd(x + i)));
    for (; i < n; i++)
        x[i] = tanh(x[i]);
}

__attribute__((target("avx2,fma"))) static void sigmoid_avx2(double *x, int64_t n)
{
    const __m256d one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d e = _ZGVdN4v_exp(_mm256_sub_pd(zero, _mm256_loadu_pd(x + i)));
        _mm256_storeu_pd(x + i, _mm256_div_pd(one, _mm256_add_pd(one, e)));
    }
    for (; i < n; i++)
        x[i] = 1.0 / (1.0 + exp(-x[i]));
}

__attribute__((target("avx512f"))) __m512d _ZGVeN8v_exp(__m512d x);

__attribute__((target("avx512f"))) __m512d _ZGVeN8v_expm1(__m512d x);

/* tanh(v) = sign(v) t / (t + 2), t = expm1(2 min(|v|, 20)): no cancellation
 * near 0 (expm1 keeps the relative precision), 1 beyond 20 (tanh(20) is 1 -
 * 8e-18), NaN kept (min's second operand); twice as fast as libmvec's tanh
 * on the EPYC (0.9 against 1.9 ns per value). */
__attribute__((target("avx512f"))) static __m512d tanh8(__m512d v)
{
    const __m512i sign = _mm512_set1_epi64((long long)0x8000000000000000ULL);
    __m512d a = _mm512_castsi512_pd(_mm512_andnot_si512(sign, _mm512_castpd_si512(v)));
    a = _mm512_min_pd(_mm512_set1_pd(20.0), a);
    __m512d t = _ZGVeN8v_expm1(_mm512_add_pd(a, a));
    __m512d r = _mm512_div_pd(t, _mm512_add_pd(t, _mm512_set1_pd(2.0)));
    return _mm512_castsi512_pd(
        _mm512_or_si512(_mm512_castpd_si512(r), _mm512_and_si512(sign, _mm512_castpd_si512(v))));
}

__attribute__((target("avx512f"))) static void tanh_avx512(double *x, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm512_storeu_pd(x + i, tanh8(_mm512_loadu_pd(x + i)));
    if (i < n) {
        __mmask8 k = (__mmask8)((1u << (n - i)) - 1);
        _mm512_mask_storeu_pd(x + i, k, tanh8(_mm512_maskz_loadu_pd(k, x + i)));
    }
}

__attribute__((target("avx512f"))) static void sigmoid_avx512(double *x, int64_t n)
{
    const __m512d one = _mm512_set1_pd(1.0), zero = _mm512_setzero_pd();
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d e = _ZGVeN8v_exp(_mm512_sub_pd(zero, _mm512_loadu_pd(x + i)));
        _mm512_storeu_pd(x + i, _mm512_div_pd(one, _mm512_add_pd(one, e)));
    }
    if (i < n) {
        __mmask8 k = (__mmask8)((1u << (n - i)) - 1);
        __m512d e = _ZGVeN8v_exp(_mm512_sub_pd(zero, _mm512_maskz_loadu_pd(k, x + i)));
        _mm512_mask_storeu_pd(x + i, k, _mm512_div_pd(one, _mm512_add_pd(one, e)));
    }
}

static int use_avx512(void)
{
    static int v = -1; /* benign race: every thread writes the same value */
    if (v < 0)
        v = __builtin_cpu_supports("avx512f");
    return v;
}

static int use_avx2(void)
{
    static int v = -1; /* benign race: every thread writes the same value */
    if (v < 0)
        v = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return v;
}
#endif

void baiot_ae_activate(baiot_ae_activation f, double *z, int64_t n)
{
#ifdef HAVE_MVEC
    if (use_avx512()) {
        if (f == BAIOT_AE_SIGMOID)
            sigmoid_avx512(z, n);
        else
            tanh_avx512(z, n);
        return;
    }
    if (use_avx2()) {
        if (f == BAIOT_AE_SIGMOID)
            sigmoid_avx2(z, n);
        else
            tanh_avx2(z, n);
        return;
    }
#endif
    if (f == BAIOT_AE_SIGMOID)
        for (int64_t i = 0; i < n; i++)
            z[i] = 1.0 / (1.0 + exp(-z[i]));
    else
        for (int64_t i = 0; i < n; i++)
            z[i] = tanh(z[i]);
}

void baiot_ae_layer_forward(const baiot_ae *ae, int l, const double *in, int64_t ldin, int64_t nb, double *out)
{
    const int ni = ae->size[l], no = ae->size[l + 1];
    const double *w = ae->w + ae->woff[l], *b = w + (int64_t)no * ni;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nb, no, ni, 1.0, in, (int)ldin, w, ni, 0.0, out, no);
    for (int64_t r = 0; r < nb; r++) {
        double *o = out + r * no;
        for (int j = 0; j < no; j++)
            o[j] += b[j];
    }
    if (l + 1 < ae->n_layers)
        baiot_ae_activate(ae->p.activation, out, nb * no);
}

uint64_t baiot_ae_splitmix64(uint64_t *state)
{
    /* Steele, Lea & Flood's splitmix64: a Weyl sequence through a mixer */
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
