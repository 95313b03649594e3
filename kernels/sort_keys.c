/*
 * sort_keys.c - LSD radix sort of doubles with indices (sort_keys.h).
 *
 * Key: the IEEE bits with the sign bit flipped for positives and all bits
 * flipped for negatives, so unsigned order equals numeric order.  Digits
 * of 16 bits (4 passes), or of 8 bits (8 passes) for large sorts; all
 * digit histograms are counted in one pass, and a pass whose digit is the
 * same for every key is skipped.  baiot_sort_workspace is the one place
 * the buffers of a sort are sized and allocated (through the library's
 * allocation hook).  Covered by tests/unit/test_sort_keys.c.
 */
#include "kernels/sort_keys.h"

#include <string.h>

static inline uint64_t key_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return (u & 0x8000000000000000ULL) ? ~u : (u | 0x8000000000000000ULL);
}

/* From this many keys on, eight passes of 8-bit digits beat four of 16
 * bits: the 65,536 write positions of a 16-bit pass no longer stay in
 * cache.  Measured on the AMD EPYC VM (random doubles, one thread):
 * 208,521 keys 2.7 ms (16-bit) vs 3.1 ms (8-bit); 828,260: 23 vs 17.5 ms
 * (build/bench_stream's sort_radix_1t is this size); 7.06 M: 272 vs
 * 172 ms. */
#define BYTE_DIGITS_MIN ((int64_t)1 << 19)

/* LSD passes over the keys ka (indices ia) with digits of `bits` bits,
 * counts holding every digit's histogram; returns where the indices
 * ended (ia or ib). */
static int32_t *radix_passes(uint64_t *ka, uint64_t *kb, int32_t *ia, int32_t *ib, int64_t n, uint32_t *counts,
                             int bits)
{
    int buckets = 1 << bits, passes = 64 / bits;
    uint64_t mask = (uint64_t)buckets - 1;
    for (int pass = 0; pass < passes; pass++) {
        uint32_t *c = counts + pass * buckets;
        int shift = bits * pass;
        if (n > 0 && c[(ka[0] >> shift) & mask] == (uint32_t)n)
            continue; /* every key has this digit */
        uint32_t sum = 0;
        for (int d = 0; d < buckets; d++) {
            uint32_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (int64_t i = 0; i < n; i++) {
            uint32_t pos = c[(ka[i] >> shift) & mask]++;
            kb[pos] = ka[i];
            ib[pos] = ia[i];
        }
        uint64_t *tk = ka;
        ka = kb;
        kb = tk;
        int32_t *ti = ia;
        ia = ib;
        ib = ti;
    }
    return ia;
}

void baiot_sort_by_value(const double *x, int32_t *idx, int64_t n, uint64_t *work_keys, int32_t *work_idx,
                   uint32_t *counts)
{
    uint64_t *ka = work_keys, *kb = work_keys + n;
    int32_t *ia;
    if (n >= BYTE_DIGITS_MIN) {
        memset(counts, 0, 8 * 256 * sizeof *counts);
        for (int64_t i = 0; i < n; i++) {
            uint64_t k = key_of(x[idx[i]]);
            ka[i] = k;
            for (int d = 0; d < 8; d++)
                counts[d * 256 + ((k >> (8 * d)) & 0xFF)]++;
        }
        ia = radix_passes(ka, kb, idx, work_idx, n, counts, 8);
    } else {
        memset(counts, 0, 4 * 65536 * sizeof *counts);
        for (int64_t i = 0; i < n; i++) {
            uint64_t k = key_of(x[idx[i]]);
            ka[i] = k;
            counts[k & 0xFFFF]++;
            counts[65536 + ((k >> 16) & 0xFFFF)]++;
            counts[2 * 65536 + ((k >> 32) & 0xFFFF)]++;
            counts[3 * 65536 + (k >> 48)]++;
        }
        ia = radix_passes(ka, kb, idx, work_idx, n, counts, 16);
    }
    if (ia != idx)
        memcpy(idx, ia, (size_t)n * sizeof *idx);
}

/* ---- workspace ---- */

baiot_status baiot_sort_workspace_alloc(baiot_sort_workspace *w, int64_t n)
{
    size_t nn = (size_t)(n > 0 ? n : 1);
    memset(w, 0, sizeof *w);
    w->keys = baiot_malloc(2 * nn * sizeof *w->keys);
    w->idx = baiot_malloc(nn * sizeof *w->idx);
    w->counts = baiot_malloc(BAIOT_SORT_COUNTS * sizeof *w->counts);
    if (!w->keys || !w->idx || !w->counts) {
        baiot_sort_workspace_free(w);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for a sort of %lld keys", (long long)nn);
    }
    w->capacity = (int64_t)nn;
    return BAIOT_OK;
}

void baiot_sort_workspace_free(baiot_sort_workspace *w)
{
    baiot_free(w->keys);
    baiot_free(w->idx);
    baiot_free(w->counts);
    memset(w, 0, sizeof *w);
}

void baiot_sort_workspace_sort(const baiot_sort_workspace *w, const double *x, int32_t *idx, int64_t n)
{
    baiot_sort_by_value(x, idx, n, w->keys, w->idx, w->counts);
}
