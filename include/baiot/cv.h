/*
 * cv.h - Weka's cross-validation and holdout for any classifier.
 *
 * A learner is a pair of functions: train a model on a list of rows of a
 * view, and give a class distribution for one row.  The driver makes
 * Weka's folds (java.util.Random(seed), stratified; engine/weka/folds.c), trains
 * the folds concurrently (OpenMP, one fold per thread; the learner's own
 * kernels then run single-threaded), and adds every fold's predictions to
 * a baiot_eval in fold order, each fold with its training priors, so the
 * figures equal Weka's and do not depend on the thread count.
 */
#ifndef BAIOT_CV_H
#define BAIOT_CV_H

#include "baiot/evaluation.h"
#include "baiot/view.h"

BAIOT_BEGIN_DECLS

typedef struct baiot_learner {
    const char *name;
    const void *params;
    /* Trains on rows[0..n) of v (rows with a missing class included, as
     * Weka hands them over); *model is freed with free_model. */
    baiot_status (*train)(const baiot_view *v, const int64_t *rows, int64_t n, const void *params, void **model);
    /* Writes the n_classes class probabilities of row r of v to dist. */
    void (*predict)(const void *model, const baiot_view *v, int64_t r, double *dist);
    void (*free_model)(void *model);
    /* folds trained at once (0: one per thread); 1 leaves every thread to
     * the one training (J48 within a memory limit, baiot_j48_memory_plan) */
    int concurrency;
} baiot_learner;

/* k-fold cross-validation (Weka's Evaluation.crossValidateModel). */
baiot_status baiot_cross_validate(const baiot_view *v, const baiot_learner *learner, int folds, int64_t seed,
                                  baiot_eval *eval);

/* The same, for a job spread over ranks (baiot/dist.h): the folds are
 * planned by training rows with rank 0 given rank0_work rows of other work
 * first (e.g. the tree on all rows it grows next); every rank ends with the
 * whole evaluation.  Results do not depend on the number of ranks. */
baiot_status baiot_cross_validate_ex(const baiot_view *v, const baiot_learner *L, int k, int64_t seed,
                                     baiot_eval *eval, double rank0_work);

/* Holdout: Weka's -split-percentage P with seed S. */
baiot_status baiot_holdout(const baiot_view *v, const baiot_learner *learner, double percent, int64_t seed,
                           baiot_eval *eval);

BAIOT_END_DECLS
#endif
