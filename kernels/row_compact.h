/*
 * row_compact.h - stable stream compaction of J48's row records: a rank
 * (int32: the row's position in its column's sorted values), an instance
 * number (int32) and a class byte per row, kept in three parallel
 * arrays.  Used to filter the presorted columns down to a training's rows
 * and to move a node's rows to its children.
 *
 * Each kernel keeps the rows' order (stable) and moves bytes only: the
 * results are the same on every CPU.  Where the CPU has AVX-512F (chosen
 * once, at the first call), sixteen rows are compacted per step with
 * masked compress instructions; elsewhere a branch-free scalar loop runs.
 *
 * Slack: the vector steps store whole vectors, so the filter's outputs
 * and the partition's temporaries need ROW_COMPACT_SLACK writable
 * elements past the last row they receive (in-place stores stay inside
 * the rows already read), and goes[] 3 readable bytes past its last
 * entry.  Covered by tests/unit/test_row_compact.c.
 */
#ifndef BAIOT_KERNELS_ROW_COMPACT_H
#define BAIOT_KERNELS_ROW_COMPACT_H

#include <stdint.h>

#define ROW_COMPACT_SLACK 16

/* Filter: for q in [0, n), the positions with inst[row[q]] >= 0, in
 * order: out_rank <- q, out_id <- inst[row[q]], out_cls <- cls[q].
 * Returns how many were written. */
int64_t baiot_row_compact_filter(const int32_t *row, const uint8_t *cls, int64_t n, const int32_t *inst,
                           int32_t *out_rank, int32_t *out_id, uint8_t *out_cls);

/* Partition in place: the rows k of [0, m) with goes[id[k]] == 0 first,
 * then the others, each side in its order; tmp_* hold the second side
 * meanwhile (m + slack elements each).  Returns the first side's size. */
int64_t baiot_row_compact_partition(int32_t *rank, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes,
                              int32_t *tmp_rank, int32_t *tmp_id, uint8_t *tmp_cls);

/* The first side of baiot_row_compact_partition only (the rows with
 * goes[id[k]] == 0 moved to the front, in order; the rest of [0, m) is
 * left undefined).  Returns their number. */
int64_t baiot_row_compact_left(int32_t *rank, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes);

/* The second side only: the rows with goes[id[k]] != 0 moved to the
 * back of [0, m), in order (the front left undefined).  Returns their
 * number. */
int64_t baiot_row_compact_right(int32_t *rank, int32_t *id, uint8_t *cls, int64_t m, const uint8_t *goes);

/* Test hook: 0 forces the scalar loops, 1 the vector steps where the CPU
 * has them (the default).  Returns 1 when the vector steps will run. */
int baiot_row_compact_set_vector(int on);

#endif
