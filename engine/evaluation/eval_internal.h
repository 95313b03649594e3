/*
 * eval_internal.h - what the evaluation files (engine/evaluation/) share:
 * the handle's layout and the threshold-curve sweep that both the figures
 * (evaluation.c: ROC / PRC areas) and the curves (eval_curves.c) use.
 *
 * Files: evaluation.c (creation, priors, the accumulators, the figures),
 * eval_curves.c (threshold curves and their sort), eval_text.c (Weka's text
 * blocks), eval_json.c (JSON and CSV), class_clusters.c
 * (classes-to-clusters, independent of the handle).
 * Covered by tests/unit/test_evaluation.c.
 */
#ifndef BAIOT_ENGINE_EVAL_INTERNAL_H
#define BAIOT_ENGINE_EVAL_INTERNAL_H

#include "baiot/evaluation.h"
#include "kernels/sort_keys.h"

#include <stdint.h>
#include <stdio.h>

struct baiot_eval {
    int k;
    char **class_names;
    /* priors: 1 + training weight per class, and their sum */
    double *priors;
    double priors_sum;
    /* Weka's accumulators */
    double *confusion;  /* k * k */
    double correct, incorrect, unclassified, missing_class, with_class;
    double sum_err, sum_abs_err, sum_sqr_err, sum_prior_abs_err, sum_prior_sqr_err;
    /* stored rows */
    int64_t n, cap;
    int *actual;
    double *weight;
    double *dist;       /* n * k */
    /* caches */
    int dirty;
    baiot_eval_results results;
    baiot_eval_class_stats *per_class; /* k */
    baiot_eval_roc_point *curve;
    int64_t curve_n;
    int curve_class;    /* -1: none */
};

/* ---- eval_curves.c ---- */

typedef struct baiot_eval_key {
    double p;     /* probability of the class */
    int64_t row;  /* position in the stored rows: ties keep row order */
} baiot_eval_key;

/* Slots of the scratch buffer: merge-sort space first, then the
 * (precision, recall) pairs of the curve points for the PRC area. */
typedef union baiot_eval_slot {
    baiot_eval_key key;
    double pr[2];
} baiot_eval_slot;

/* The sort scratch of the curves: keys and tmp (n + 1 slots), and for the
 * radix sort (kernels/sort_keys.h) the probabilities, row indices and
 * digit counters; its 2n 64-bit keys live in tmp. */
typedef struct baiot_eval_scratch {
    baiot_eval_key *keys;
    baiot_eval_slot *tmp;
    double *p;
    int32_t *idx;
    baiot_sort_workspace sort; /* the radix sort's buffers (empty: merge sort) */
} baiot_eval_scratch;

typedef struct baiot_eval_curve_out {
    double roc_area, prc_area;
    int64_t n_points;
} baiot_eval_curve_out;

/* Allocates the sort scratch for n rows (the radix sort's arrays when n
 * fits its 32-bit row indices and the memory is there; else the merge
 * sort runs); BAIOT_ERR_MEMORY with nothing held when even the merge
 * sort's arrays cannot be had. */
baiot_status baiot_eval_scratch_alloc(int64_t n, baiot_eval_scratch *w);
void baiot_eval_scratch_free(baiot_eval_scratch *w);

/* One sweep of e's rows sorted by class c's probability: the curve's
 * points into points (NULL: areas only; n + 1 at most) and the ROC / PRC
 * areas and point count into *out. */
void baiot_eval_sweep_class(const baiot_eval *e, int c, const baiot_eval_scratch *w, baiot_eval_roc_point *points,
                            baiot_eval_curve_out *out);

/* ---- the writers (eval_text.c, eval_json.c) ---- */

/* BAIOT_ERR_IO naming what when f reports a write error. */
static inline baiot_status baiot_eval_check_written(FILE *f, const char *what)
{
    if (ferror(f))
        return baiot_fail(BAIOT_ERR_IO, "%s: write error", what);
    return BAIOT_OK;
}

#endif
