/*
 * sort_keys.c - LSD radix sort of doubles with indices (sort_keys.h).
 *
 * Key: the IEEE bits with the sign bit flipped for positives and all bits
 * flipped for negatives, so unsigned order equals numeric order.  All four
 * 16-bit digit histograms are counted in one pass; a pass whose digit is
 * the same for every key is skipped.
 */
#include "sort_keys.h"

#include <string.h>

static inline uint64_t key_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return (u & 0x8000000000000000ULL) ? ~u : (u | 0x8000000000000000ULL);
}

void sort_by_value(const double *x, int32_t *idx, int64_t n, uint64_t *work_keys, int32_t *work_idx,
                   uint32_t *counts)
{
    uint64_t *ka = work_keys, *kb = work_keys + n;
    int32_t *ia = idx, *ib = work_idx;
    memset(counts, 0, 4 * 65536 * sizeof *counts);
    for (int64_t i = 0; i < n; i++) {
        uint64_t k = key_of(x[idx[i]]);
        ka[i] = k;
        counts[k & 0xFFFF]++;
        counts[65536 + ((k >> 16) & 0xFFFF)]++;
        counts[2 * 65536 + ((k >> 32) & 0xFFFF)]++;
        counts[3 * 65536 + (k >> 48)]++;
    }
    for (int pass = 0; pass < 4; pass++) {
        uint32_t *c = counts + pass * 65536;
        int shift = 16 * pass;
        if (n > 0 && c[(ka[0] >> shift) & 0xFFFF] == (uint32_t)n)
            continue; /* every key has this digit */
        uint32_t sum = 0;
        for (int d = 0; d < 65536; d++) {
            uint32_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (int64_t i = 0; i < n; i++) {
            uint32_t pos = c[(ka[i] >> shift) & 0xFFFF]++;
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
    if (ia != idx)
        memcpy(idx, ia, (size_t)n * sizeof *idx);
}
