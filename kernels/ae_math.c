/*
 * ae_math.c - the autoencoder's elementwise arithmetic (see ae_internal.h):
 * the vectorised tanh and sigmoid (the hidden activations of the fused
 * forward pass, kernels/ae_fwd.c, in training and scoring alike), and the
 * splitmix64 generator behind the initial weights and the shuffles.
 *
 * tanh: our own (tanh_portable: expm1 by argument reduction and a Taylor
 * polynomial, then t / (t + 2); within 3 ulp of tanhl over the tested
 * range, 2.4-2.6 ulp worst seen), 8 lanes with AVX-512, 4 with AVX2 and
 * FMA, else scalar with libm's fma(): the same operations rounded the same
 * way, so every path gives the same doubles (tests/unit/test_ae_fwd.c).
 * exp (the sigmoid): glibc's libmvec, _ZGVeN8v_exp (the tail lanes masked)
 * or _ZGVdN4v_exp, else libm's exp (a few ulp apart).  The paths are
 * compiled for their target and chosen at run time (as
 * kernels/gmm_diag_blas.c does); the choice depends on the CPU, never on
 * the thread count.  sigmoid(z) = 1 / (1 + exp(-z)) (exp(-z) = inf gives
 * 0).
 * Thread-safe, no allocation.  Covered by tests/unit/test_autoencoder.c
 * and tests/unit/test_ae_fwd.c.
 */
#include "kernels/ae_internal.h"

#include <math.h>
#include <string.h>

/* tanh(v) = sign(v) t / (t + 2), t = expm1(2a), a = min(|v|, 20): no
 * cancellation near 0, 1 beyond 20 (tanh(20) is 1 - 8e-18), NaN kept
 * (min's second operand).  expm1(y), y = 2a in [0, 40]: y = k ln2 + r with
 * k = rint(y / ln2) (0..58) and |r| <= ln2 / 2 (ln2 in two parts, one fma
 * each: r exact to ~3e-17, and r = y when k = 0), expm1(r) = r + r^2 Q(r)
 * with Q the Taylor series of (e^r - 1 - r) / r^2 to r^11 / 13! (Horner;
 * truncation < 1.2e-17 relative), then expm1(y) = 2^k expm1(r) + (2^k - 1)
 * in one fma (2^k expm1(r) exact; no cancellation, k >= 0).  Every step is
 * one IEEE operation that tanh_portable repeats (fma() for each fused
 * multiply-add), so both give the same doubles. */
#define TANH_LOG2E 1.4426950408889634074     /* 1 / ln 2 */
#define TANH_LN2_HI 0x1.62e42fefa39efp-1       /* ln 2 rounded to double */
#define TANH_LN2_LO 0x1.abc9e3b39803fp-56      /* ln 2 - TANH_LN2_HI */
static const double tanh_q[12] = {1.0 / 2,        1.0 / 6,         1.0 / 24,         1.0 / 120,
                                  1.0 / 720,      1.0 / 5040,      1.0 / 40320,      1.0 / 362880,
                                  1.0 / 3628800,  1.0 / 39916800,  1.0 / 479001600,  1.0 / 6227020800};

static double tanh_portable(double v)
{
    if (isnan(v))
        return v + v;
    double a = fabs(v);
    a = a > 20.0 ? 20.0 : a;
    const double y = a + a, k = nearbyint(y * TANH_LOG2E);
    double r = fma(-k, TANH_LN2_HI, y);
    r = fma(-k, TANH_LN2_LO, r);
    double q = tanh_q[11];
    for (int i = 10; i >= 0; i--)
        q = fma(q, r, tanh_q[i]);
    const double p = fma(r * r, q, r), tk = ldexp(1.0, (int)k);
    const double t = fma(tk, p, tk - 1.0);
    return copysign(t / (t + 2.0), v);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_MVEC 1
#endif

#ifdef HAVE_MVEC
__attribute__((target("avx2"))) __m256d _ZGVdN4v_exp(__m256d x);

/* tanh_portable in 4 lanes (2^k from the exponent bits: k <= 58). */
__attribute__((target("avx2,fma"))) static inline __m256d tanh4(__m256d v)
{
    const __m256d sign = _mm256_set1_pd(-0.0), one = _mm256_set1_pd(1.0);
    __m256d a = _mm256_andnot_pd(sign, v);
    a = _mm256_min_pd(_mm256_set1_pd(20.0), a);
    const __m256d y = _mm256_add_pd(a, a);
    const __m256d k = _mm256_round_pd(_mm256_mul_pd(y, _mm256_set1_pd(TANH_LOG2E)),
                                      _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(TANH_LN2_HI), y);
    r = _mm256_fnmadd_pd(k, _mm256_set1_pd(TANH_LN2_LO), r);
    __m256d q = _mm256_set1_pd(tanh_q[11]);
    for (int i = 10; i >= 0; i--)
        q = _mm256_fmadd_pd(q, r, _mm256_set1_pd(tanh_q[i]));
    const __m256d p = _mm256_fmadd_pd(_mm256_mul_pd(r, r), q, r);
    const __m256i kb = _mm256_slli_epi64(_mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(k)),
                                                          _mm256_set1_epi64x(1023)), 52);
    const __m256d tk = _mm256_castsi256_pd(kb);
    const __m256d t = _mm256_fmadd_pd(tk, p, _mm256_sub_pd(tk, one));
    const __m256d res = _mm256_div_pd(t, _mm256_add_pd(t, _mm256_set1_pd(2.0)));
    return _mm256_or_pd(res, _mm256_and_pd(sign, v));
}

__attribute__((target("avx2,fma"))) static void tanh_avx2(double *x, int64_t n)
{
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        _mm256_storeu_pd(x + i, tanh4(_mm256_loadu_pd(x + i)));
    for (; i < n; i++)
        x[i] = tanh_portable(x[i]);
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

__attribute__((target("avx512f"))) static inline __m512d tanh8(__m512d v)
{
    const __m512i sign = _mm512_set1_epi64((long long)0x8000000000000000ULL);
    const __m512d one = _mm512_set1_pd(1.0);
    __m512d a = _mm512_castsi512_pd(_mm512_andnot_si512(sign, _mm512_castpd_si512(v)));
    a = _mm512_min_pd(_mm512_set1_pd(20.0), a);
    const __m512d y = _mm512_add_pd(a, a);
    const __m512d k = _mm512_roundscale_pd(_mm512_mul_pd(y, _mm512_set1_pd(TANH_LOG2E)),
                                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512d r = _mm512_fnmadd_pd(k, _mm512_set1_pd(TANH_LN2_HI), y);
    r = _mm512_fnmadd_pd(k, _mm512_set1_pd(TANH_LN2_LO), r);
    __m512d q = _mm512_set1_pd(tanh_q[11]);
    for (int i = 10; i >= 0; i--)
        q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(tanh_q[i]));
    const __m512d p = _mm512_fmadd_pd(_mm512_mul_pd(r, r), q, r), tk = _mm512_scalef_pd(one, k);
    const __m512d t = _mm512_fmadd_pd(tk, p, _mm512_sub_pd(tk, one));
    const __m512d res = _mm512_div_pd(t, _mm512_add_pd(t, _mm512_set1_pd(2.0)));
    return _mm512_castsi512_pd(
        _mm512_or_si512(_mm512_castpd_si512(res), _mm512_and_si512(sign, _mm512_castpd_si512(v))));
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

void baiot_ae_activate_isa(baiot_ae_activation f, double *z, int64_t n, int isa)
{
#ifdef HAVE_MVEC
    if (isa >= AE_ISA_AVX512 && use_avx512()) {
        if (f == BAIOT_AE_SIGMOID)
            sigmoid_avx512(z, n);
        else
            tanh_avx512(z, n);
        return;
    }
    if (isa >= AE_ISA_AVX2 && use_avx2()) {
        if (f == BAIOT_AE_SIGMOID)
            sigmoid_avx2(z, n);
        else
            tanh_avx2(z, n);
        return;
    }
#endif
    (void)isa;
    if (f == BAIOT_AE_SIGMOID)
        for (int64_t i = 0; i < n; i++)
            z[i] = 1.0 / (1.0 + exp(-z[i]));
    else
        for (int64_t i = 0; i < n; i++)
            z[i] = tanh_portable(z[i]);
}

void baiot_ae_activate(baiot_ae_activation f, double *z, int64_t n)
{
    baiot_ae_activate_isa(f, z, n, AE_ISA_AVX512);
}

uint64_t baiot_ae_splitmix64(uint64_t *state)
{
    /* Steele, Lea & Flood's splitmix64: a Weyl sequence through a mixer */
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
