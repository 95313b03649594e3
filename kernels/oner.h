/*
 * oner.h - Weka's OneR rules on arrays (kernels: no I/O, no globals).
 *
 * Numeric attributes (Weka 3.8's algorithm, docs/WEKA_COMPAT.md): one
 * elementary bucket per distinct value, breakpoints at the midpoints
 * between neighbouring values; pass 1 merges a bucket into its left
 * neighbour when both have the same majority class or the neighbour's
 * majority count is below min_bucket; pass 2 merges neighbours with the
 * same majority class; training rows with a missing value form their own
 * branch.  Majority = first class with the highest count.  Counts are
 * integers (weights are ignored, as in Weka).
 *
 * A column is handed over already cut into groups of equal values (sorted,
 * with class counts over all rows); a fold's training set is "all rows
 * minus the fold's own", given as (group, class) pairs, so one prepared
 * column serves all folds.
 * Covered by tests/unit/test_oner.c and tests/cli/test_oner_golden.py.
 */
#ifndef BAIOT_KERNELS_ONER_H
#define BAIOT_KERNELS_ONER_H

#include <stdint.h>

typedef struct oner_rule {
    int n_buckets;      /* numeric: buckets; nominal: values */
    double *breaks;     /* numeric: n_buckets upper bounds (the last is +inf); caller-sized */
    int *classes;       /* n_buckets (numeric) or values (nominal) majority classes; caller-sized */
    int missing_class;  /* class for a missing value (-1: none seen in training) */
    int64_t correct;    /* training rows the rule gets right */
} oner_rule;

/* Builds the numeric rule from a column prepared once for all folds: its distinct
 * values gvalue[0..G) ascending with their class counts over all rows
 * gtotal[g * n_classes + c], and the left-out rows as (group, class) pairs
 * sorted by group (test_group, test_y, n_test).  Distinct values held only
 * by left-out rows are skipped.  Work: O(G + n_test). */
void baiot_oner_build_numeric_grouped(const double *gvalue, const int32_t *gtotal, int64_t G, const int32_t *test_group,
                                const int32_t *test_y, int64_t n_test, const int64_t *missing_counts, int n_classes,
                                int min_bucket, int64_t *counts, oner_rule *rule);

/* Counts the left-out rows (as above) the rule gets right. */
int64_t baiot_oner_count_correct_grouped(const oner_rule *rule, const double *gvalue, const int32_t *test_group,
                                   const int32_t *test_y, int64_t n_test);

/* Builds the nominal rule: value_counts[v * n_classes + c] counts training
 * rows with value v and class c. */
void baiot_oner_build_nominal(const int64_t *value_counts, int n_values, const int64_t *missing_counts, int n_classes,
                        oner_rule *rule);

/* The class the rule gives value x (NaN = missing). */
int baiot_oner_rule_predict(const oner_rule *rule, int nominal, double x);

#endif
