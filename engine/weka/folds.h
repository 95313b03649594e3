/*
 * folds.h - Weka's cross-validation folds and holdout split, exactly.
 *
 * Cross-validation (Evaluation.crossValidateModel): the rows are shuffled
 * with java.util.Random(seed) (Instances.randomize), stratified when the
 * class is nominal (Instances.stratify: Weka's in-place class grouping, then
 * the every-k-th interleave), fold i's test rows are a contiguous block of
 * that order, and its training rows are the rest, reshuffled with the same
 * Random stream (Instances.trainCV).  Folds are made once, before any
 * training, so each fold can then be trained and tested on any thread (or
 * MPI rank) with the same result.  Covered by tests/unit/test_folds.c.
 */
#ifndef BAIOT_ENGINE_FOLDS_H
#define BAIOT_ENGINE_FOLDS_H

#include "baiot/baiot.h"

typedef struct baiot_folds {
    int k;              /* number of folds */
    int64_t n;          /* rows */
    int64_t *order;     /* n row indices: Weka's order after randomize + stratify */
    int64_t *test_first; /* k: start of fold i's test block in order */
    int64_t *test_count; /* k: its length */
    int64_t **train;    /* k arrays of n - test_count[i] row indices, in trainCV's order */
} baiot_folds;

/* Builds the k folds of n rows with classes y (y[i] in 0..n_classes-1, or
 * -1 for a missing class: see folds.c for how Weka treats those), as Weka
 * does with new Random(seed).  k >= 2 and k <= n.  Every row, missing
 * class or not, appears in exactly one test block and in the other k - 1
 * training lists (Weka 3.6.14 keeps them; learners skip them).  On success
 * *out is owned by the caller (free with baiot_folds_free); on failure it
 * is NULL.  Memory: n + k * (n - n/k) row indices. */
baiot_status baiot_folds_make(const int *y, int64_t n, int n_classes, int k, int64_t seed, baiot_folds **out);
void baiot_folds_free(baiot_folds *f);

/* Weka's -split-percentage P with -s seed: rows shuffled with
 * java.util.Random(seed), the first round(n * P / 100) train, the rest test.
 * *train and *test (owned by the caller, free with baiot_free; allocated
 * even when a side has 0 rows) get the row indices.  Not stratified;
 * rounding is Java's Math.round (ties up); 0 < percent < 100 as in Weka;
 * rows with a missing class are kept (see folds.c). */
baiot_status baiot_split_make(int64_t n, double percent, int64_t seed, int64_t **train, int64_t *n_train,
                              int64_t **test, int64_t *n_test);

#endif
