/*
 * sort_keys.h - sorting a column of doubles with its row indices: LSD
 * radix sort on order-preserving 64-bit keys (16- or 8-bit digits), stable,
 * O(n), no comparisons.  NaN must be removed beforehand.
 *
 * The workspace a sort needs (keys, a second index buffer, the digit
 * histograms) is one type, baiot_sort_workspace: allocate it once for the
 * largest sort, then sort as often as needed without allocating.
 * Covered by tests/unit/test_sort_keys.c.
 */
#ifndef BAIOT_KERNELS_SORT_KEYS_H
#define BAIOT_KERNELS_SORT_KEYS_H

#include "baiot/baiot.h"

#include <stdint.h>

/* Digit histograms a sort needs: four 16-bit digits (the 8-bit digits of
 * large sorts use the first 8 x 256 of them). */
#define BAIOT_SORT_COUNTS (4 * 65536)

/* Sorts idx[0..n) by x[idx[i]] ascending (ties keep their input order;
 * -0.0 sorts before +0.0).  work needs room for 2 * n uint64 and n int32,
 * counts for 65536 * 4 uint32 (caller-owned workspace, no allocation). */
void baiot_sort_by_value(const double *x, int32_t *idx, int64_t n, uint64_t *work_keys, int32_t *work_idx,
                   uint32_t *counts);

/* Workspace of sorts of up to capacity keys.  keys, idx and counts are
 * owned; idx is free for other use between sorts (its content after a
 * sort is undefined). */
typedef struct baiot_sort_workspace {
    int64_t capacity;
    uint64_t *keys;   /* 2 * capacity */
    int32_t *idx;     /* capacity: baiot_sort_by_value's work_idx */
    uint32_t *counts; /* BAIOT_SORT_COUNTS */
} baiot_sort_workspace;

/* Sizes w for sorts of up to n keys (n <= 0 counts as 1).  On failure w
 * holds nothing (baiot_sort_workspace_free is still safe) and the status
 * is BAIOT_ERR_MEMORY. */
baiot_status baiot_sort_workspace_alloc(baiot_sort_workspace *w, int64_t n);

/* Frees what w holds and empties it; safe on an emptied or failed w. */
void baiot_sort_workspace_free(baiot_sort_workspace *w);

/* baiot_sort_by_value with w's buffers; n <= w->capacity. */
void baiot_sort_workspace_sort(const baiot_sort_workspace *w, const double *x, int32_t *idx, int64_t n);

#endif
