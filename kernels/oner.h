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
 * The training rows are handed over already sorted by value, as parallel
 * arrays (class, fold id): a fold's training set is "every row whose fold
 * id differs from test_fold", so one sorted copy serves all folds.
 */
#ifndef BAIOT_KERNELS_ONER_H
#define BAIOT_KERNELS_ONER_H

#include <stdint.h>

#define ONER_NO_FOLD (-1)

typedef struct oner_rule {
    int n_buckets;      /* numeric: buckets; nominal: values */
    double *breaks;     /* numeric: n_buckets upper bounds (the last is +inf); caller-sized */
    int *classes;       /* n_buckets (numeric) or values (nominal) majority classes; caller-sized */
    int missing_class;  /* class for a missing value (-1: none seen in training) */
    int64_t correct;    /* training rows the rule gets right */
} oner_rule;

/* Builds the numeric rule from the n rows sorted by value: v[i] (no NaN),
 * y[i] (class, >= 0), fold[i]; rows with fold[i] == test_fold are left out
 * (test_fold = ONER_NO_FOLD keeps all).  missing_counts[c] counts training
 * rows of class c whose value is missing.  counts is a workspace of
 * 3 * n_classes int64.  rule->breaks and rule->classes need room for the
 * number of distinct training values. */
void oner_build_numeric(const double *v, const int *y, const int8_t *fold, int64_t n, int test_fold,
                        const int64_t *missing_counts, int n_classes, int min_bucket, int64_t *counts,
                        oner_rule *rule);

/* Builds the nominal rule: value_counts[v * n_classes + c] counts training
 * rows with value v and class c. */
void oner_build_nominal(const int64_t *value_counts, int n_values, const int64_t *missing_counts, int n_classes,
                        oner_rule *rule);

/* The class the rule gives value x (NaN = missing). */
int oner_predict(const oner_rule *rule, int nominal, double x);

/* Counts, among the sorted rows of fold test_fold, those the rule gets
 * right (one pass, breakpoints walked in step with the values). */
int64_t oner_count_correct_sorted(const oner_rule *rule, const double *v, const int *y, const int8_t *fold,
                                  int64_t n, int test_fold);

#endif
