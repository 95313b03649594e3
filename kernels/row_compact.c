/*
 * row_compact.c - stable compaction of (value, instance, class) rows (see
 * kernels/row_compact.h).
 *
 * The AVX-512F steps take sixteen rows: the keep mask comes from a gather
 * (inst[row[q]] or goes[id[k]]), and each array is compressed in a
 * register (vcompress to memory is slow on some CPUs) and stored whole at
 * the write position; the class bytes are widened to 32 bits, compressed
 * and narrowed back.  In place, the write position never passes the read
 * position, so a store only covers rows already loaded.  The scalar loops
 * (also the vector kernels' tails) write every row and advance the write
 * position by the keep bit, without branches.
 */
#include "kernels/row_compact.h"

#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define ROW_COMPACT_AVX512 1
#endif

static int64_t filter_scalar(const int32_t *row, const double *val, const uint8_t *cls, int64_t q, int64_t n,
                             const int32_t *inst, double *out_val, int32_t *out_id, uint8_t *out_cls, int64_t k)
{
    for (; q < n; q++) {
        int32_t i = inst[row[q]];
        out_val[k] = val[q];
        out_id[k] = i;
        out_cls[k] = cls[q];
        k += i >= 0;
    }
    return k;
}

/* rows [k, m) of a partition: the first side to a, the second to tmp at b */
static int64_t partition_scalar(double *val, int32_t *id, uint8_t *cls, int64_t k, int64_t m, const uint8_t *goes,
                                double *tv, int32_t *ti, uint8_t *tc, int64_t a, int64_t *b_io)
{
    int64_t b = *b_io;
    for (; k < m; k++) {
        double vk = val[k];
        int32_t q = id[k];
        uint8_t ck = cls[k];
        int g = goes[q] != 0;
        val[a] = vk; /* a <= k: the slot was read already */
        id[a] = q;
        cls[a] = ck;
        tv[b] = vk;
        ti[b] = q;
        tc[b] = ck;
        a += !g;
        b += g;
    }
    *b_io = b;
    return a;
}

static int64_t left_scalar(double *val, int32_t *id, uint8_t *cls, int64_t k, int64_t m, const uint8_t *goes,
                           int64_t a)
{
    for (; k < m; k++) {
        double vk = val[k];
        int32_t q = id[k];
        uint8_t ck = cls[k];
        val[a] = vk;
        id[a] = q;
        cls[a] = ck;
        a += goes[q] == 0;
    }
    return a;
}

#ifdef ROW_COMPACT_AVX512
#define AVX512 __attribute__((target("avx512f")))

/* The sixteen rows (v0 | v1, ids, classes) of mask keep, stored from
 * position at of (ov, oi, oc). */
static inline AVX512 void store16(__mmask16 keep, __m512d v0, __m512d v1, __m512i ids, __m512i c32, double *ov,
                                  int32_t *oi, uint8_t *oc, int64_t at)
{
    __mmask8 k0 = (__mmask8)(keep & 0xFF), k1 = (__mmask8)(keep >> 8);
    int n0 = __builtin_popcount(k0);
    _mm512_storeu_pd(ov + at, _mm512_maskz_compress_pd(k0, v0));
    _mm512_storeu_pd(ov + at + n0, _mm512_maskz_compress_pd(k1, v1));
    _mm512_storeu_si512(oi + at, _mm512_maskz_compress_epi32(keep, ids));
    _mm_storeu_si128((__m128i *)(oc + at), _mm512_cvtepi32_epi8(_mm512_maskz_compress_epi32(keep, c32)));
}

static AVX512 int64_t filter_avx512(const int32_t *row, const double *val, const uint8_t *cls, int64_t n,
                                    const int32_t *inst, double *out_val, int32_t *out_id, uint8_t *out_cls)
{
    int64_t k = 0, q = 0;
    for (; q + 16 <= n; q += 16) {
        __m512i r = _mm512_loadu_si512(row + q);
        __m512i ids = _mm512_i32gather_epi32(r, inst, 4);
        __mmask16 keep = _mm512_cmpge_epi32_mask(ids, _mm512_setzero_si512());
        __m512d v0 = _mm512_loadu_pd(val + q), v1 = _mm512_loadu_pd(val + q + 8);
        __m512i c32 = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(cls + q)));
        store16(keep, v0, v1, ids, c32, out_val, out_id, out_cls, k);
        k += __builtin_popcount(keep);
    }
    return filter_scalar(row, val, cls, q, n, inst, out_val, out_id, out_cls, k);
}

/* goes[id] != 0 for sixteen ids (goes read as 32-bit words: 3 bytes of
 * slack past its end) */
static inline AVX512 __mmask16 goes_mask(__m512i ids, const uint8_t *goes)
{
    __m512i g = _mm512_i32gather_epi32(ids, (const void *)goes, 1);
    return _mm512_test_epi32_mask(g, _mm512_set1_epi32(0xFF));
}

static AVX512 int64_t partition_avx512(double *val, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes,
                                       double *tv, int32_t *ti, uint8_t *tc)
{
    int64_t a = 0, b = 0, k = 0;
    for (; k + 16 <= m; k += 16) {
        __m512i ids = _mm512_loadu_si512(id + k);
        __mmask16 right = goes_mask(ids, goes);
        __m512d v0 = _mm512_loadu_pd(val + k), v1 = _mm512_loadu_pd(val + k + 8);
        __m512i c32 = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(cls + k)));
        store16((__mmask16)~right, v0, v1, ids, c32, val, id, cls, a);
        store16(right, v0, v1, ids, c32, tv, ti, tc, b);
        a += 16 - __builtin_popcount(right);
        b += __builtin_popcount(right);
    }
    a = partition_scalar(val, id, cls, k, m, goes, tv, ti, tc, a, &b);
    memcpy(val + a, tv, (size_t)b * sizeof *val);
    memcpy(id + a, ti, (size_t)b * sizeof *id);
    memcpy(cls + a, tc, (size_t)b);
    return a;
}

static AVX512 int64_t left_avx512(double *val, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes)
{
    int64_t a = 0, k = 0;
    for (; k + 16 <= m; k += 16) {
        __m512i ids = _mm512_loadu_si512(id + k);
        __mmask16 right = goes_mask(ids, goes);
        __m512d v0 = _mm512_loadu_pd(val + k), v1 = _mm512_loadu_pd(val + k + 8);
        __m512i c32 = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(cls + k)));
        store16((__mmask16)~right, v0, v1, ids, c32, val, id, cls, a);
        a += 16 - __builtin_popcount(right);
    }
    return left_scalar(val, id, cls, k, m, goes, a);
}

static int vector_off; /* test hook */

static int use_avx512(void)
{
    static int have = -1; /* benign race: every thread writes the same value */
    if (have < 0)
        have = __builtin_cpu_supports("avx512f") ? 1 : 0;
    return have && !vector_off;
}
#endif

int row_compact_set_vector(int on)
{
#ifdef ROW_COMPACT_AVX512
    vector_off = !on;
    return use_avx512();
#else
    (void)on;
    return 0;
#endif
}

int64_t row_compact_filter(const int32_t *row, const double *val, const uint8_t *cls, int64_t n,
                           const int32_t *inst, double *out_val, int32_t *out_id, uint8_t *out_cls)
{
#ifdef ROW_COMPACT_AVX512
    if (use_avx512())
        return filter_avx512(row, val, cls, n, inst, out_val, out_id, out_cls);
#endif
    return filter_scalar(row, val, cls, 0, n, inst, out_val, out_id, out_cls, 0);
}

int64_t row_compact_partition(double *val, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes,
                              double *tmp_val, int32_t *tmp_id, uint8_t *tmp_cls)
{
#ifdef ROW_COMPACT_AVX512
    if (use_avx512())
        return partition_avx512(val, id, cls, m, goes, tmp_val, tmp_id, tmp_cls);
#endif
    int64_t b = 0;
    int64_t a = partition_scalar(val, id, cls, 0, m, goes, tmp_val, tmp_id, tmp_cls, 0, &b);
    memcpy(val + a, tmp_val, (size_t)b * sizeof *val);
    memcpy(id + a, tmp_id, (size_t)b * sizeof *id);
    memcpy(cls + a, tmp_cls, (size_t)b);
    return a;
}

int64_t row_compact_left(double *val, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes)
{
#ifdef ROW_COMPACT_AVX512
    if (use_avx512())
        return left_avx512(val, id, cls, m, goes);
#endif
    return left_scalar(val, id, cls, 0, m, goes, 0);
}
