/*
 * folds.h - Weka's cross-validation folds for other tools: which rows
 * train and which test in each fold of Evaluation.crossValidateModel
 * (java.util.Random(seed), randomize, stratify, trainCV / testCV), so a
 * caller outside the library (the Python package's baiot.WekaFolds, a
 * scikit-learn CV splitter) evaluates on exactly Weka's folds.  Defined in
 * engine/weka/folds.c; covered by tests/unit/test_folds.c and
 * tests/python/test_cli_equal.py (against `baiot folds`).
 */
#ifndef BAIOT_FOLDS_H
#define BAIOT_FOLDS_H

#include "baiot/baiot.h"

BAIOT_BEGIN_DECLS

/* Fold q (0-based, < k) of the k Weka folds of n rows with classes y
 * (0..n_classes-1, -1 = missing) and seed: its test rows in Weka's testCV
 * order to test[0..*n_test) and its training rows in trainCV's order to
 * train[0..*n_train) (the caller gives n slots to each; 2 <= k <= n).  Rows
 * with a missing class are kept, as Weka 3.6.14 keeps them.  Builds all k
 * folds on each call (O(k n) memory, freed before returning). */
baiot_status baiot_weka_fold_rows(const int *y, int64_t n, int n_classes, int k, int64_t seed, int q, int64_t *train,
                                  int64_t *n_train, int64_t *test, int64_t *n_test);

/* fold_of[r] = the fold (0..k-1) whose test block holds row r (what
 * `baiot folds` writes). */
baiot_status baiot_weka_fold_of(const int *y, int64_t n, int n_classes, int k, int64_t seed, int *fold_of);

BAIOT_END_DECLS
#endif
