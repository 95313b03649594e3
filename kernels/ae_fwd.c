/*
 * ae_fwd.c - the autoencoder's fused forward pass (see ae_internal.h): the
 * forward pass of a strip of AE_FWD_STRIP rows, kept unit-major (level l as
 * size[l] x AE_FWD_STRIP, a unit's rows contiguous) from the first layer to
 * the last, so that no layer's product copies or packs its activations
 * (OpenBLAS's dgemm packed both operands of every small product: 15% of a
 * scoring pass); then either the strip's reconstruction errors (scoring,
 * kernels/autoencoder.c) or its levels transposed back to rows for the
 * backward pass (training, kernels/ae_train.c): both use the same doubles.
 *
 * One layer: tiles of AE_FWD_UNITS output units x the strip's 32 rows (4
 * AVX-512 vectors of 8 rows; 24 accumulators in registers); each starts at
 * the unit's bias and adds w[o][k] * in[k][r] for k = 0, 1, ..., ni - 1,
 * one fused multiply-add each; the tile's outputs (contiguous) then go
 * through the hidden activation (baiot_ae_activate, the same function as in
 * training) while they are in L1.  A row's squared error sums its units in
 * order, one fused multiply-add each, then divides by n_in.
 * Invariants: every double of a row depends only on that row and the
 * weights (rows never mix; the strip's padding rows are zeros whose results
 * are dropped), so the scores do not depend on the strip, the block or the
 * thread that computes them.  Three paths: AVX-512 (6 units x 32 rows a
 * tile), AVX2 + FMA (6 units x 8 rows, the strip's four 8-row groups in
 * turn: 16 registers) and the portable one (fma() from libm, ~20x slower,
 * for CPUs with neither); they round the same operations in the same order,
 * so they agree bit for bit (and so does tanh on every path; the sigmoid's
 * exp is libmvec's or libm's, as the CPU allows).  Thread-safe; no allocation (the
 * caller's workspace).  Covered by tests/unit/test_ae_fwd.c (against a
 * plain forward pass, every path the CPU has bit for bit with the portable
 * one, training's levels equal to
 * scoring's) and tests/unit/test_autoencoder.c (weights and scores at 1,
 * 2, 3 threads, the backward pass against finite differences).
 */
#include "kernels/ae_internal.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_X86_VECTORS 1 /* the AVX-512 and AVX2 paths, chosen at run time */
#endif

/* ------------------------------------------------------------------------ */
/* One layer                                                                  */

/* Portable: out[o][r] = b[o] + sum_k w[o][k] in[k][r] in k order, fma. */
static void layer_portable(const double *w, const double *b, int ni, int no, const double *in, double *out)
{
    for (int o = 0; o < no; o++) {
        double acc[AE_FWD_STRIP];
        for (int r = 0; r < AE_FWD_STRIP; r++)
            acc[r] = b[o];
        for (int k = 0; k < ni; k++) {
            const double wk = w[(int64_t)o * ni + k], *ik = in + (int64_t)k * AE_FWD_STRIP;
            for (int r = 0; r < AE_FWD_STRIP; r++)
                acc[r] = fma(wk, ik[r], acc[r]);
        }
        memcpy(out + (int64_t)o * AE_FWD_STRIP, acc, sizeof acc);
    }
}

/* A layer: tiles of AE_FWD_UNITS output units (the last one narrower),
 * each through the activation while in L1; TILE is the path's tile. */
#define LAYER_OF_TILES(TILE)                                            \
    for (int o = 0; o < no; o += AE_FWD_UNITS) {                        \
        const int u = no - o < AE_FWD_UNITS ? no - o : AE_FWD_UNITS;    \
        const double *wo = w + (int64_t)o * ni;                         \
        double *oo = out + (int64_t)o * AE_FWD_STRIP;                   \
        switch (u) {                                                    \
        case 6: TILE(6, wo, ni, b + o, in, oo); break;                  \
        case 5: TILE(5, wo, ni, b + o, in, oo); break;                  \
        case 4: TILE(4, wo, ni, b + o, in, oo); break;                  \
        case 3: TILE(3, wo, ni, b + o, in, oo); break;                  \
        case 2: TILE(2, wo, ni, b + o, in, oo); break;                  \
        default: TILE(1, wo, ni, b + o, in, oo); break;                 \
        }                                                               \
        if (hidden)                                                     \
            baiot_ae_activate(f, oo, (int64_t)u * AE_FWD_STRIP);        \
    }

#ifdef HAVE_X86_VECTORS
/* U (<= AE_FWD_UNITS) units from w (their rows) and b: the same sums as
 * layer_portable, 8 rows per lane group. */
__attribute__((target("avx512f"), always_inline)) static inline void tile512(const int U, const double *w, int ni,
                                                                              const double *b, const double *in,
                                                                              double *out)
{
    __m512d acc[AE_FWD_UNITS][4];
#pragma GCC unroll 8
    for (int u = 0; u < U; u++) {
        const __m512d bu = _mm512_set1_pd(b[u]);
        acc[u][0] = acc[u][1] = acc[u][2] = acc[u][3] = bu;
    }
    for (int k = 0; k < ni; k++) {
        const double *ik = in + (int64_t)k * AE_FWD_STRIP;
        const __m512d x0 = _mm512_load_pd(ik), x1 = _mm512_load_pd(ik + 8), x2 = _mm512_load_pd(ik + 16),
                      x3 = _mm512_load_pd(ik + 24);
#pragma GCC unroll 8
        for (int u = 0; u < U; u++) {
            const __m512d wk = _mm512_set1_pd(w[(int64_t)u * ni + k]);
            acc[u][0] = _mm512_fmadd_pd(wk, x0, acc[u][0]);
            acc[u][1] = _mm512_fmadd_pd(wk, x1, acc[u][1]);
            acc[u][2] = _mm512_fmadd_pd(wk, x2, acc[u][2]);
            acc[u][3] = _mm512_fmadd_pd(wk, x3, acc[u][3]);
        }
    }
#pragma GCC unroll 8
    for (int u = 0; u < U; u++) {
        double *ou = out + (int64_t)u * AE_FWD_STRIP;
        _mm512_store_pd(ou, acc[u][0]);
        _mm512_store_pd(ou + 8, acc[u][1]);
        _mm512_store_pd(ou + 16, acc[u][2]);
        _mm512_store_pd(ou + 24, acc[u][3]);
    }
}

__attribute__((target("avx512f"))) static void layer512(const double *w, const double *b, int ni, int no,
                                                        const double *in, double *out, baiot_ae_activation f,
                                                        int hidden)
{
    LAYER_OF_TILES(tile512)
}

#endif

#ifdef HAVE_X86_VECTORS
/* AVX2 + FMA (16 registers): U (<= AE_FWD_UNITS) units x 8 rows at a time,
 * 12 accumulators, the strip's four 8-row groups one after the other; each
 * accumulator adds the same products in the same order as tile512 and
 * layer_portable, so all three give the same doubles. */
__attribute__((target("avx2,fma"), always_inline)) static inline void tile256(const int U, const double *w, int ni,
                                                                               const double *b, const double *in,
                                                                               double *out)
{
    for (int g = 0; g < AE_FWD_STRIP; g += 8) {
        __m256d acc[AE_FWD_UNITS][2];
#pragma GCC unroll 8
        for (int u = 0; u < U; u++)
            acc[u][0] = acc[u][1] = _mm256_set1_pd(b[u]);
        for (int k = 0; k < ni; k++) {
            const double *ik = in + (int64_t)k * AE_FWD_STRIP + g;
            const __m256d x0 = _mm256_load_pd(ik), x1 = _mm256_load_pd(ik + 4);
#pragma GCC unroll 8
            for (int u = 0; u < U; u++) {
                const __m256d wk = _mm256_broadcast_sd(w + (int64_t)u * ni + k);
                acc[u][0] = _mm256_fmadd_pd(wk, x0, acc[u][0]);
                acc[u][1] = _mm256_fmadd_pd(wk, x1, acc[u][1]);
            }
        }
#pragma GCC unroll 8
        for (int u = 0; u < U; u++) {
            double *ou = out + (int64_t)u * AE_FWD_STRIP + g;
            _mm256_store_pd(ou, acc[u][0]);
            _mm256_store_pd(ou + 4, acc[u][1]);
        }
    }
}

__attribute__((target("avx2,fma"))) static void layer256(const double *w, const double *b, int ni, int no,
                                                         const double *in, double *out, baiot_ae_activation f,
                                                         int hidden)
{
    LAYER_OF_TILES(tile256)
}

/* The widest vector path this CPU has: 512 (AVX-512F), 256 (AVX2 and FMA)
 * or 0 (portable).  Benign race: every thread writes the same value. */
static int simd_width(void)
{
    static int v = -1;
    if (v < 0)
        v = __builtin_cpu_supports("avx512f")                                      ? 512
            : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 256
                                                                               : 0;
    return v;
}
#else
static int simd_width(void)
{
    return 0;
}
#endif

int baiot_ae_fwd_simd_width(void)
{
    return simd_width();
}

/* The path a call takes: simd 0 portable, 256 at most AVX2, else the widest. */
static int pick(int simd)
{
    const int w = simd ? simd_width() : 0;
    return simd == 256 && w > 256 ? 256 : w;
}

void baiot_ae_fwd_layer(const baiot_ae *ae, int l, const double *in, double *out, int simd)
{
    const int ni = ae->size[l], no = ae->size[l + 1], hidden = l + 1 < ae->n_layers;
    const double *w = ae->w + ae->woff[l], *b = w + (int64_t)no * ni;
#ifdef HAVE_X86_VECTORS
    if (pick(simd) == 512) {
        layer512(w, b, ni, no, in, out, ae->p.activation, hidden);
        return;
    }
    if (pick(simd) == 256) {
        layer256(w, b, ni, no, in, out, ae->p.activation, hidden);
        return;
    }
#endif
    (void)simd;
    layer_portable(w, b, ni, no, in, out);
    if (hidden)
        baiot_ae_activate(ae->p.activation, out, (int64_t)no * AE_FWD_STRIP);
}

/* ------------------------------------------------------------------------ */
/* The strip's rows, unit-major                                               */

/* dst[j * ldd + r] = src[r * lds + j] for r in [r0, ns), j < n (only
 * copies: every path writes the same doubles). */
static void transpose_portable(const double *src, int64_t lds, int n, int64_t ns, int64_t r0, double *dst, int64_t ldd)
{
    for (int64_t r = r0; r < ns; r++) {
        const double *xr = src + r * lds;
        for (int j = 0; j < n; j++)
            dst[(int64_t)j * ldd + r] = xr[j];
    }
}

#ifdef HAVE_X86_VECTORS
/* Groups of 8 rows x 8 columns by an 8 x 8 transpose in registers: pairs of
 * rows interleaved (unpack), then 128-bit lanes gathered twice. */
__attribute__((target("avx512f"))) static void transpose512(const double *src, int64_t lds, int n, int64_t ns,
                                                            double *dst, int64_t ldd)
{
    const int64_t full = ns & ~(int64_t)7;
    for (int64_t r0 = 0; r0 < full; r0 += 8) {
        const double *xr = src + r0 * lds;
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            __m512d v[8], t[8], u[8];
            for (int i = 0; i < 8; i++)
                v[i] = _mm512_loadu_pd(xr + i * lds + j);
            for (int i = 0; i < 8; i += 2) {
                t[i] = _mm512_unpacklo_pd(v[i], v[i + 1]);
                t[i + 1] = _mm512_unpackhi_pd(v[i], v[i + 1]);
            }
            /* u[0..3]: rows 0-3, columns {0,4}, {2,6}, {1,5}, {3,7}; u[4..7]: rows 4-7 */
            for (int h = 0; h < 8; h += 4) {
                u[h] = _mm512_shuffle_f64x2(t[h], t[h + 2], 0x88);
                u[h + 1] = _mm512_shuffle_f64x2(t[h], t[h + 2], 0xdd);
                u[h + 2] = _mm512_shuffle_f64x2(t[h + 1], t[h + 3], 0x88);
                u[h + 3] = _mm512_shuffle_f64x2(t[h + 1], t[h + 3], 0xdd);
            }
            static const int col[4][2] = {{0, 4}, {2, 6}, {1, 5}, {3, 7}};
            for (int c = 0; c < 4; c++) {
                _mm512_storeu_pd(dst + (int64_t)(j + col[c][0]) * ldd + r0, _mm512_shuffle_f64x2(u[c], u[c + 4], 0x88));
                _mm512_storeu_pd(dst + (int64_t)(j + col[c][1]) * ldd + r0, _mm512_shuffle_f64x2(u[c], u[c + 4], 0xdd));
            }
        }
        for (int64_t r = r0; r < r0 + 8; r++)
            for (int jj = j; jj < n; jj++)
                dst[(int64_t)jj * ldd + r] = src[r * lds + jj];
    }
    transpose_portable(src, lds, n, ns, full, dst, ldd);
}
#endif

#ifdef HAVE_X86_VECTORS
/* Groups of 4 rows x 4 columns by a 4 x 4 transpose in registers. */
__attribute__((target("avx2"))) static void transpose256(const double *src, int64_t lds, int n, int64_t ns,
                                                         double *dst, int64_t ldd)
{
    const int64_t full = ns & ~(int64_t)3;
    for (int64_t r0 = 0; r0 < full; r0 += 4) {
        const double *xr = src + r0 * lds;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            const __m256d v0 = _mm256_loadu_pd(xr + j), v1 = _mm256_loadu_pd(xr + lds + j),
                          v2 = _mm256_loadu_pd(xr + 2 * lds + j), v3 = _mm256_loadu_pd(xr + 3 * lds + j);
            const __m256d t0 = _mm256_unpacklo_pd(v0, v1), t1 = _mm256_unpackhi_pd(v0, v1),
                          t2 = _mm256_unpacklo_pd(v2, v3), t3 = _mm256_unpackhi_pd(v2, v3);
            _mm256_storeu_pd(dst + (int64_t)j * ldd + r0, _mm256_permute2f128_pd(t0, t2, 0x20));
            _mm256_storeu_pd(dst + (int64_t)(j + 1) * ldd + r0, _mm256_permute2f128_pd(t1, t3, 0x20));
            _mm256_storeu_pd(dst + (int64_t)(j + 2) * ldd + r0, _mm256_permute2f128_pd(t0, t2, 0x31));
            _mm256_storeu_pd(dst + (int64_t)(j + 3) * ldd + r0, _mm256_permute2f128_pd(t1, t3, 0x31));
        }
        for (int64_t r = r0; r < r0 + 4; r++)
            for (int jj = j; jj < n; jj++)
                dst[(int64_t)jj * ldd + r] = src[r * lds + jj];
    }
    transpose_portable(src, lds, n, ns, full, dst, ldd);
}
#endif

static void transpose(const double *src, int64_t lds, int n, int64_t ns, double *dst, int64_t ldd, int simd)
{
#ifdef HAVE_X86_VECTORS
    if (pick(simd) == 512) {
        transpose512(src, lds, n, ns, dst, ldd);
        return;
    }
    if (pick(simd) == 256) {
        transpose256(src, lds, n, ns, dst, ldd);
        return;
    }
#endif
    (void)simd;
    transpose_portable(src, lds, n, ns, 0, dst, ldd);
}

/* t0[j][r] = x[r][j] for r < ns, 0 for ns <= r < AE_FWD_STRIP. */
static void load_strip(const double *x, int64_t ld, int n, int64_t ns, double *t0, int simd)
{
    if (ns < AE_FWD_STRIP)
        memset(t0, 0, sizeof(double) * (size_t)(AE_FWD_STRIP * n));
    transpose(x, ld, n, ns, t0, AE_FWD_STRIP, simd);
}

/* ------------------------------------------------------------------------ */
/* Squared errors                                                             */

/* mse[r] = (sum over j in order of (y[j][r] - t[j][r])^2, fma) / n, r < ns. */
static void errors_portable(const double *y, const double *t, int n, int64_t ns, double *mse)
{
    double s[AE_FWD_STRIP] = {0};
    for (int j = 0; j < n; j++)
        for (int r = 0; r < AE_FWD_STRIP; r++) {
            const double d = y[(int64_t)j * AE_FWD_STRIP + r] - t[(int64_t)j * AE_FWD_STRIP + r];
            s[r] = fma(d, d, s[r]);
        }
    for (int64_t r = 0; r < ns; r++)
        mse[r] = s[r] / n;
}

#ifdef HAVE_X86_VECTORS
__attribute__((target("avx512f"))) static void errors512(const double *y, const double *t, int n, int64_t ns,
                                                         double *mse)
{
    __m512d s[4];
    for (int v = 0; v < 4; v++)
        s[v] = _mm512_setzero_pd();
    for (int j = 0; j < n; j++)
        for (int v = 0; v < 4; v++) {
            const int64_t i = (int64_t)j * AE_FWD_STRIP + 8 * v;
            const __m512d d = _mm512_sub_pd(_mm512_load_pd(y + i), _mm512_load_pd(t + i));
            s[v] = _mm512_fmadd_pd(d, d, s[v]);
        }
    double out[AE_FWD_STRIP];
    for (int v = 0; v < 4; v++)
        _mm512_storeu_pd(out + 8 * v, _mm512_div_pd(s[v], _mm512_set1_pd((double)n)));
    memcpy(mse, out, sizeof(double) * (size_t)ns);
}
#endif

#ifdef HAVE_X86_VECTORS
__attribute__((target("avx2,fma"))) static void errors256(const double *y, const double *t, int n, int64_t ns,
                                                          double *mse)
{
    __m256d s[8];
    for (int v = 0; v < 8; v++)
        s[v] = _mm256_setzero_pd();
    for (int j = 0; j < n; j++)
        for (int v = 0; v < 8; v++) {
            const int64_t i = (int64_t)j * AE_FWD_STRIP + 4 * v;
            const __m256d d = _mm256_sub_pd(_mm256_load_pd(y + i), _mm256_load_pd(t + i));
            s[v] = _mm256_fmadd_pd(d, d, s[v]);
        }
    double out[AE_FWD_STRIP];
    for (int v = 0; v < 8; v++)
        _mm256_storeu_pd(out + 4 * v, _mm256_div_pd(s[v], _mm256_set1_pd((double)n)));
    memcpy(mse, out, sizeof(double) * (size_t)ns);
}
#endif

static void errors(const double *y, const double *t, int n, int64_t ns, double *mse, int simd)
{
#ifdef HAVE_X86_VECTORS
    if (pick(simd) == 512) {
        errors512(y, t, n, ns, mse);
        return;
    }
    if (pick(simd) == 256) {
        errors256(y, t, n, ns, mse);
        return;
    }
#endif
    (void)simd;
    errors_portable(y, t, n, ns, mse);
}

/* ------------------------------------------------------------------------ */
/* A strip                                                                    */

void baiot_ae_fwd_score_strip(const baiot_ae *ae, const double *x, int64_t ld, int64_t ns, double *mse, double *ws,
                              int simd)
{
    const int L = ae->n_layers, n_in = ae->size[0];
    const int64_t lvl = (int64_t)AE_FWD_STRIP * ae->max_size;
    double *t0 = ws, *buf[2] = {ws + lvl, ws + 2 * lvl};
    load_strip(x, ld, n_in, ns, t0, simd);
    const double *in = t0;
    for (int l = 0; l < L; l++) {
        baiot_ae_fwd_layer(ae, l, in, buf[l & 1], simd);
        in = buf[l & 1];
    }
    errors(in, t0, n_in, ns, mse, simd);
}

void baiot_ae_fwd_train_strip(const baiot_ae *ae, double *const *act, int64_t nb, double *ws)
{
    const int L = ae->n_layers;
    const int64_t lvl = (int64_t)AE_FWD_STRIP * ae->max_size;
    double *buf[2] = {ws, ws + lvl};
    load_strip(act[0], ae->size[0], ae->size[0], nb, ws + 2 * lvl, 1);
    const double *in = ws + 2 * lvl;
    for (int l = 0; l < L; l++) {
        const int no = ae->size[l + 1];
        baiot_ae_fwd_layer(ae, l, in, buf[l & 1], 1);
        in = buf[l & 1];
        /* back to rows: act[l + 1][r][o] = in[o][r] */
        transpose(in, AE_FWD_STRIP, (int)nb, no, act[l + 1], no, 1);
    }
}
