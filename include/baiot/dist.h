/*
 * dist.h - running one job over several processes (MPI ranks) without the
 * engine knowing MPI.
 *
 * The engine splits independent units (columns of a ranking, folds of a
 * cross-validation, k-means restarts, folds choosing k) over the ranks
 * with a static plan, computes its own units, and combines the results with
 * the operations below.  Every combination is exact (integer sums, or
 * sums where exactly one rank contributes each non-zero value), so results
 * are the same for any number of ranks.  Without a distribution installed
 * (the default, and always in the MPI-free build) there is one rank and
 * every operation is a no-op.
 *
 * The operations are called from the main thread only, outside OpenMP
 * parallel regions, by every rank in the same order (SPMD).  A unit that
 * fails on one rank cannot be told to the others in time, so failures go
 * through baiot_dist_check(), which ends the whole job (message naming the
 * rank, non-zero exit) when distributed.
 */
#ifndef BAIOT_DIST_H
#define BAIOT_DIST_H
#include "baiot/baiot.h"
BAIOT_BEGIN_DECLS

typedef struct baiot_dist_ops {
    int rank, size;
    /* In-place sums over all ranks. */
    void (*sum_i64)(int64_t *values, int64_t n);
    void (*sum_f64)(double *values, int64_t n);
    /* root's n bytes to every rank. */
    void (*bcast)(void *buf, int64_t n, int root);
    /* Reports this rank's failure (status and baiot_last_error()) and ends
     * the job; does not return. */
    void (*abort_job)(baiot_status st);
} baiot_dist_ops;

/* Installs the distribution (NULL: one process).  ops is borrowed. */
void baiot_dist_set(const baiot_dist_ops *ops);
const baiot_dist_ops *baiot_dist_get(void);
int baiot_dist_rank(void);
int baiot_dist_size(void);

/* Static plan: owner[u] for n units of the given costs (longest first,
 * each to the least-loaded rank, ties to the lower unit index and the lower
 * rank); preload[r] (may be NULL) is work rank r already has.  Identical on
 * every rank. */
void baiot_dist_plan(const double *cost, int n, const double *preload, int *owner);

/* st unchanged when one process; when distributed, a failure ends the job
 * (this rank's message) and OK passes through. */
baiot_status baiot_dist_check(baiot_status st);

void baiot_dist_sum_i64(int64_t *values, int64_t n);
void baiot_dist_sum_f64(double *values, int64_t n);
void baiot_dist_bcast(void *buf, int64_t n, int root);

BAIOT_END_DECLS
#endif
