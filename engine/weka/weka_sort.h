/*
 * weka_sort.h - the order of Weka's unstable index quicksort
 * (weka.core.Utils.sort(double[])), needed where Weka's output order for
 * equal values depends on it: the Ranker's order of attributes with equal
 * merit, and J48's order of a node's rows (Instances.sort).  Reimplemented from its observed behaviour (docs/WEKA_COMPAT.md):
 * a median-of-three quicksort; NaN sorts as the largest value.
 * Covered by tests/cli/test_rank_golden.py (tied merits).
 */
#ifndef BAIOT_ENGINE_WEKA_SORT_H
#define BAIOT_ENGINE_WEKA_SORT_H

#include <stdint.h>

/* index[0..n) gets the positions of values in ascending order, ties in
 * Weka's order. */
void baiot_weka_sort_indices(const double *values, int n, int *index);

/* The same order on pairs: sorts key[0..n) ascending, moving val[i] with
 * key[i], ties in the order baiot_weka_sort_indices gives them.  key must
 * hold no NaN (map a missing value to DBL_MAX first). */
void baiot_weka_sort_pairs(double *key, int32_t *val, int64_t n);

#endif
