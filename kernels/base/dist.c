/*
 * dist.c - the process-wide distribution (include/baiot/dist.h) and the
 * static work plan.  One process unless a distribution is installed (the
 * MPI build's hpc/mpi_job.c does so for the commands that split work).
 * Covered by tests/cli/test_mpi.py (1, 2 and 3 ranks against one process).
 */
#include "baiot/dist.h"

#include <stdlib.h>

static const baiot_dist_ops *dist;

void baiot_dist_set(const baiot_dist_ops *ops)
{
    dist = ops;
}

const baiot_dist_ops *baiot_dist_get(void)
{
    return dist;
}

int baiot_dist_rank(void)
{
    return dist ? dist->rank : 0;
}

int baiot_dist_size(void)
{
    return dist ? dist->size : 1;
}

baiot_status baiot_dist_check(baiot_status st)
{
    if (st && dist && dist->size > 1)
        dist->abort_job(st);
    return st;
}

void baiot_dist_sum_i64(int64_t *values, int64_t n)
{
    if (dist && dist->size > 1)
        dist->sum_i64(values, n);
}

void baiot_dist_sum_f64(double *values, int64_t n)
{
    if (dist && dist->size > 1)
        dist->sum_f64(values, n);
}

void baiot_dist_bcast(void *buf, int64_t n, int root)
{
    if (dist && dist->size > 1)
        dist->bcast(buf, n, root);
}

void baiot_dist_plan(const double *cost, int n, const double *preload, int *owner)
{
    int size = baiot_dist_size();
    double *load = calloc((size_t)size, sizeof *load);
    int *order = malloc((size_t)(n > 0 ? n : 1) * sizeof *order);
    if (!load || !order) { /* a different plan here would break the job: end it, or round robin alone */
        free(load);
        free(order);
        baiot_dist_check(baiot_fail(BAIOT_ERR_MEMORY, "out of memory planning %d units", n));
        for (int u = 0; u < n; u++)
            owner[u] = u % size;
        return;
    }
    for (int r = 0; r < size; r++)
        load[r] = preload ? preload[r] : 0.0;
    for (int u = 0; u < n; u++)
        order[u] = u;
    /* longest first; insertion sort keeps equal costs in unit order */
    for (int i = 1; i < n; i++) {
        int u = order[i], j = i - 1;
        while (j >= 0 && cost[order[j]] < cost[u]) {
            order[j + 1] = order[j];
            j--;
        }
        order[j + 1] = u;
    }
    for (int i = 0; i < n; i++) {
        int best = 0;
        for (int r = 1; r < size; r++)
            if (load[r] < load[best])
                best = r;
        owner[order[i]] = best;
        load[best] += cost[order[i]];
    }
    free(load);
    free(order);
}
