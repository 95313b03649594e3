/*
 * kmeans.h - Weka 3.6.14's SimpleKMeans as EM's start (EM_Init): random
 * initial centroids by Weka's in-place swaps, range-normalised Euclidean
 * distance (nominal attributes: 0/1), at most 500 iterations, empty
 * clusters dropped.
 *
 * Guarantees: the result depends only on the data, k and the seed (not on
 * the thread count); all memory comes from baiot_malloc and a failure
 * leaves nothing allocated.  Covered by tests/unit/test_kmeans.c and,
 * through EM, tests/cli/test_em_golden.py.
 */
#ifndef BAIOT_ENGINE_KMEANS_H
#define BAIOT_ENGINE_KMEANS_H

#include "engine/models/em/em_internal.h"

/* One fit's result (owned; free with baiot_kmeans_result_free). */
typedef struct baiot_kmeans_result {
    int k;            /* clusters left (empty ones dropped) */
    double sqerr;     /* the summed squared (normalised) distances */
    double *centroid; /* k*d raw centroid values (nominal: the mode) */
    double *sd;       /* k*d: sqrt of Weka's Instances.variance of the members (nominal: NaN) */
    double *ncount;   /* k*nv_total: members' nominal value counts */
    int64_t *size;    /* k */
} baiot_kmeans_result;

/* Workspace for n rows of d attributes, reusable over runs on them. */
typedef struct baiot_kmeans_work {
    int64_t *perm;   /* n: the instance order after the initial swaps */
    double *xr;      /* n*d row-major raw values in perm order */
    double *z;       /* n*d column-major normalised values (nominal: raw), perm order */
    int *assign;     /* n */
    double *dist;    /* n: distance to the chosen centroid */
    double *lo, *width; /* d: ranges */
} baiot_kmeans_work;

baiot_status baiot_kmeans_work_alloc(baiot_kmeans_work *w, int64_t n, int d);
void baiot_kmeans_work_free(baiot_kmeans_work *w);
void baiot_kmeans_result_free(baiot_kmeans_result *r);

/* One SimpleKMeans fit of f with k clusters and java.util.Random(seed) on
 * nt threads; writes *out (owned by the caller; zeroed on failure). */
baiot_status baiot_kmeans_run(const baiot_em_data *f, int k, int32_t seed, int nt, baiot_kmeans_work *w,
                              baiot_kmeans_result *out);

#endif
