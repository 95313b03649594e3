/*
 * sort_keys.h - sorting a column of doubles with its row indices: LSD
 * radix sort on order-preserving 64-bit keys (16- or 8-bit digits), stable,
 * O(n), no comparisons.  NaN must be removed beforehand.
 */
#ifndef BAIOT_KERNELS_SORT_KEYS_H
#define BAIOT_KERNELS_SORT_KEYS_H

#include <stdint.h>

/* Sorts idx[0..n) by x[idx[i]] ascending (ties keep their input order;
 * -0.0 sorts before +0.0).  work needs room for 2 * n uint64 and n int32,
 * counts for 65536 * 4 uint32 (caller-owned workspace, no allocation). */
void sort_by_value(const double *x, int32_t *idx, int64_t n, uint64_t *work_keys, int32_t *work_idx,
                   uint32_t *counts);

#endif
