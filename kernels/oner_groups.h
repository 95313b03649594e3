/*
 * oner_groups.h - a numeric column prepared for OneR (kernels: no I/O, no
 * globals): the rows with a class split into those without a value
 * (counted per class) and those with one, sorted by value (kernels/
 * sort_keys.c) and cut into groups of equal values with per-group class
 * counts; with folds, the rows with a value are also listed fold by fold
 * as (group, class) pairs in value order.  This is the input of
 * kernels/oner.c's baiot_oner_build_numeric_grouped / baiot_oner_count_correct_grouped,
 * shared by the OneR classifier (engine/models/oner_model.c) and the
 * OneR ranking (engine/models/rank.c).
 *
 * Guarantees: groups ascend strictly by value (-0.0 and +0.0 are one
 * group, as == has it); rows of one value keep their input order; every
 * count is an integer, so the result does not depend on threads.  One
 * baiot_oner_groups per thread; building allocates nothing.
 * Covered by tests/unit/test_oner.c.
 */
#ifndef BAIOT_KERNELS_ONER_GROUPS_H
#define BAIOT_KERNELS_ONER_GROUPS_H

#include "baiot/baiot.h"
#include "kernels/sort_keys.h"

#include <stdint.h>

/* Most folds a grouping takes (fold ids are int8_t). */
#define BAIOT_ONER_GROUPS_MAX_FOLDS 127

typedef struct baiot_oner_groups {
    /* sizes, fixed by baiot_oner_groups_alloc */
    int64_t capacity;     /* most rows one build takes */
    int n_classes;
    int k;                /* folds (0: no fold lists) */
    /* written by baiot_oner_groups_build */
    int64_t n_rows;       /* rows with a value and a class */
    int64_t n_groups;     /* distinct values */
    int32_t *row;         /* n_rows: the rows in value order */
    double *value;        /* n_groups: the distinct values, ascending */
    int32_t *total;       /* n_groups x n_classes: class counts of each group */
    int64_t *miss;        /* (k + 1) x n_classes: rows without a value by
                           * class, per fold, then over all folds (at k) */
    int64_t *fold_start;  /* k + 1 offsets into test_group/test_y (k > 0) */
    int32_t *test_group;  /* n_rows: the rows' groups, fold by fold, in value order (k > 0) */
    int32_t *test_y;      /* n_rows: their classes, in the same order (k > 0) */
    baiot_sort_workspace sort;
} baiot_oner_groups;

/* Sizes g for columns of up to n rows, n_classes classes and k folds
 * (0 <= k <= BAIOT_ONER_GROUPS_MAX_FOLDS; 0: no fold lists).  On failure
 * (BAIOT_ERR_MEMORY) g holds nothing; baiot_oner_groups_free is safe
 * either way. */
baiot_status baiot_oner_groups_alloc(baiot_oner_groups *g, int64_t n, int n_classes, int k);

/* Frees what g holds and empties it. */
void baiot_oner_groups_free(baiot_oner_groups *g);

/* Prepares column x over rows[0..n) (NULL: rows 0..n-1; n <= capacity,
 * every row < 2^31): rows with y < 0 are left out, rows with a NaN value
 * are counted in miss, the rest are sorted and grouped.  With folds
 * (g->k > 0), fold_of[r] in 0..k-1 is row r's fold; with k = 0 fold_of is
 * not read.  Work: O(n) plus the sort. */
void baiot_oner_groups_build(baiot_oner_groups *g, const double *x, const int *y, const int64_t *rows, int64_t n,
                             const int8_t *fold_of);

#endif
