/*
 * row_compact.c - stable compaction of (rank, instance, class) rows (see
 * kernels/row_compact.h).
 *
 * The AVX-512F steps take sixteen rows: the keep mask comes from a gather
 * (inst[row[q]] or goes[id[k]]), and each array is compressed in a
 * register (vcompress to memory is slow on some CPUs) and stored whole at
 * the write position (masked, where rows placed before must stay); the
 * class bytes are widened to 32 bits, compressed and narrowed back.  In
 * place, the write position never passes the read position, so a store
 * only covers rows already loaded.  The scalar loops (also the vector
 * kernels' tails) write every row and advance the write position by the
 * keep bit, without branches.  Covered by tests/unit/test_row_compact.c.
 */
#include "kernels/row_compact.h"

#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define ROW_COMPACT_AVX512 1
#endif

static int64_t filter_scalar(const int32_t *row, const uint8_t *cls, int64_t q, int64_t n, const int32_t *inst,
                             int32_t *out_rank, int32_t *out_id, uint8_t *out_cls, int64_t k)
{
    for (; q < n; q++) {
        int32_t i = inst[row[q]];
        out_rank[k] = (int32_t)q;
        out_id[k] = i;
        out_cls[k] = cls[q];
        k += i >= 0;
    }
    return k;
}

/* rows [k, m) of a partition: the first side to a, the second to tmp at b */
static int64_t partition_scalar(int32_t *rank, int32_t *id, uint8_t *cls, int64_t k, int64_t m, const uint8_t *goes,
                                int32_t *tr, int32_t *ti, uint8_t *tc, int64_t a, int64_t *b_io)
{
    int64_t b = *b_io;
    for (; k < m; k++) {
        int32_t rk = rank[k], q = id[k];
        uint8_t ck = cls[k];
        int g = goes[q] != 0;
        rank[a] = rk; /* a <= k: the slot was read already */
        id[a] = q;
        cls[a] = ck;
        tr[b] = rk;
        ti[b] = q;
        tc[b] = ck;
        a += !g;
        b += g;
    }
    *b_io = b;
    return a;
}

static int64_t left_scalar(int32_t *rank, int32_t *id, uint8_t *cls, int64_t k, int64_t m, const uint8_t *goes,
                           int64_t a)
{
    for (; k < m; k++) {
        int32_t rk = rank[k], q = id[k];
        uint8_t ck = cls[k];
        rank[a] = rk;
        id[a] = q;
        cls[a] = ck;
        a += goes[q] == 0;
    }
    return a;
}

/* rows [0, k) of baiot_row_compact_right, backwards, b the write end */
static int64_t right_scalar(int32_t *rank, int32_t *id, uint8_t *cls, int64_t k, const uint8_t *goes, int64_t b)
{
    for (k = k - 1; k >= 0; k--) {
        int32_t rk = rank[k], q = id[k];
        uint8_t ck = cls[k];
        rank[b - 1] = rk; /* b - 1 >= k: read already */
        id[b - 1] = q;
        cls[b - 1] = ck;
        b -= goes[q] != 0;
    }
    return b;
}

#ifdef ROW_COMPACT_AVX512
#define AVX512 __attribute__((target("avx512f")))

/* The rows of mask keep among sixteen (ranks, ids, classes widened),
 * stored from position at of (orank, oid, ocls); lanes: the mask of the
 * lanes to write (all sixteen where later rows overwrite the rest). */
static inline AVX512 void store16(__mmask16 keep, __mmask16 lanes, __m512i ranks, __m512i ids, __m512i c32,
                                  int32_t *orank, int32_t *oid, uint8_t *ocls, int64_t at)
{
    _mm512_mask_storeu_epi32(orank + at, lanes, _mm512_maskz_compress_epi32(keep, ranks));
    _mm512_mask_storeu_epi32(oid + at, lanes, _mm512_maskz_compress_epi32(keep, ids));
    _mm512_mask_cvtepi32_storeu_epi8(ocls + at, lanes, _mm512_maskz_compress_epi32(keep, c32));
}

static inline AVX512 __m512i load_cls(const uint8_t *cls)
{
    return _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)cls));
}

static AVX512 int64_t filter_avx512(const int32_t *row, const uint8_t *cls, int64_t n, const int32_t *inst,
                                    int32_t *out_rank, int32_t *out_id, uint8_t *out_cls)
{
    int64_t k = 0, q = 0;
    const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (; q + 16 <= n; q += 16) {
        __m512i ids = _mm512_i32gather_epi32(_mm512_loadu_si512(row + q), inst, 4);
        __mmask16 keep = _mm512_cmpge_epi32_mask(ids, _mm512_setzero_si512());
        __m512i ranks = _mm512_add_epi32(_mm512_set1_epi32((int32_t)q), iota);
        store16(keep, 0xFFFF, ranks, ids, load_cls(cls + q), out_rank, out_id, out_cls, k);
        k += __builtin_popcount(keep);
    }
    return filter_scalar(row, cls, q, n, inst, out_rank, out_id, out_cls, k);
}

/* goes[id] != 0 for sixteen ids (goes read as 32-bit words: 3 bytes of
 * slack past its end) */
static inline AVX512 __mmask16 goes_mask(__m512i ids, const uint8_t *goes)
{
    __m512i g = _mm512_i32gather_epi32(ids, (const void *)goes, 1);
    return _mm512_test_epi32_mask(g, _mm512_set1_epi32(0xFF));
}

static AVX512 int64_t partition_avx512(int32_t *rank, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes,
                                       int32_t *tr, int32_t *ti, uint8_t *tc)
{
    int64_t a = 0, b = 0, k = 0;
    for (; k + 16 <= m; k += 16) {
        __m512i ids = _mm512_loadu_si512(id + k), ranks = _mm512_loadu_si512(rank + k), c32 = load_cls(cls + k);
        __mmask16 right = goes_mask(ids, goes);
        store16((__mmask16)~right, 0xFFFF, ranks, ids, c32, rank, id, cls, a);
        store16(right, 0xFFFF, ranks, ids, c32, tr, ti, tc, b);
        a += 16 - __builtin_popcount(right);
        b += __builtin_popcount(right);
    }
    a = partition_scalar(rank, id, cls, k, m, goes, tr, ti, tc, a, &b);
    memcpy(rank + a, tr, (size_t)b * sizeof *rank);
    memcpy(id + a, ti, (size_t)b * sizeof *id);
    memcpy(cls + a, tc, (size_t)b);
    return a;
}

static AVX512 int64_t left_avx512(int32_t *rank, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes)
{
    int64_t a = 0, k = 0;
    for (; k + 16 <= m; k += 16) {
        __m512i ids = _mm512_loadu_si512(id + k), ranks = _mm512_loadu_si512(rank + k), c32 = load_cls(cls + k);
        __mmask16 right = goes_mask(ids, goes);
        store16((__mmask16)~right, 0xFFFF, ranks, ids, c32, rank, id, cls, a);
        a += 16 - __builtin_popcount(right);
    }
    return left_scalar(rank, id, cls, k, m, goes, a);
}

/* Backwards: the kept rows of each block of sixteen end at b; masked
 * stores write only their lanes, so rows placed before stay. */
static AVX512 int64_t right_avx512(int32_t *rank, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes)
{
    int64_t b = m, k = m;
    for (; k >= 16; k -= 16) {
        int64_t q = k - 16;
        __m512i ids = _mm512_loadu_si512(id + q), ranks = _mm512_loadu_si512(rank + q), c32 = load_cls(cls + q);
        __mmask16 keep = goes_mask(ids, goes);
        int n = __builtin_popcount(keep);
        b -= n;
        store16(keep, (__mmask16)((1u << n) - 1), ranks, ids, c32, rank, id, cls, b);
    }
    return m - right_scalar(rank, id, cls, k, goes, b);
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

int64_t baiot_row_compact_filter(const int32_t *row, const uint8_t *cls, int64_t n, const int32_t *inst,
                           int32_t *out_rank, int32_t *out_id, uint8_t *out_cls)
{
#ifdef ROW_COMPACT_AVX512
    if (use_avx512())
        return filter_avx512(row, cls, n, inst, out_rank, out_id, out_cls);
#endif
    return filter_scalar(row, cls, 0, n, inst, out_rank, out_id, out_cls, 0);
}

int64_t baiot_row_compact_partition(int32_t *rank, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes,
                              int32_t *tmp_rank, int32_t *tmp_id, uint8_t *tmp_cls)
{
#ifdef ROW_COMPACT_AVX512
    if (use_avx512())
        return partition_avx512(rank, id, cls, m, goes, tmp_rank, tmp_id, tmp_cls);
#endif
    int64_t b = 0;
    int64_t a = partition_scalar(rank, id, cls, 0, m, goes, tmp_rank, tmp_id, tmp_cls, 0, &b);
    memcpy(rank + a, tmp_rank, (size_t)b * sizeof *rank);
    memcpy(id + a, tmp_id, (size_t)b * sizeof *id);
    memcpy(cls + a, tmp_cls, (size_t)b);
    return a;
}

int64_t baiot_row_compact_left(int32_t *rank, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes)
{
#ifdef ROW_COMPACT_AVX512
    if (use_avx512())
        return left_avx512(rank, id, cls, m, goes);
#endif
    return left_scalar(rank, id, cls, 0, m, goes, 0);
}

int64_t baiot_row_compact_right(int32_t *rank, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes)
{
#ifdef ROW_COMPACT_AVX512
    if (use_avx512())
        return right_avx512(rank, id, cls, m, goes);
#endif
    return m - right_scalar(rank, id, cls, m, goes, m);
}

int baiot_row_compact_set_vector(int on)
{
#ifdef ROW_COMPACT_AVX512
    vector_off = !on;
    return use_avx512();
#else
    (void)on;
    return 0;
#endif
}
