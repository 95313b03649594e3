/*
 * j48_dist.c - J48's class distributions (Weka's j48.Distribution): per
 * bag and class weights, their bag and class sums and the total, and
 * what pruning and printing read off them (majority class, errors).
 *
 * Guarantees: every sum adds weights in the order they are given (Weka's
 * Distribution.add order), so the doubles are Weka's; ties go to the
 * first class and to the last bag, as Weka's do.  Pure functions of
 * their arguments, thread-safe.  Covered by tests/unit/test_j48_model.c
 * and the J48 goldens (tests/cli/test_j48_golden.py).
 */
#include "engine/models/j48/j48_internal.h"

#include <string.h>

baiot_status baiot_j48_dist_init(dist *d, int nb, int nc)
{
    d->nb = nb;
    d->nc = nc;
    d->total = 0;
    d->pcb = baiot_calloc((size_t)nb * (size_t)nc + (size_t)nb + (size_t)nc, sizeof(double));
    d->pb = d->pcb ? d->pcb + (size_t)nb * (size_t)nc : NULL;
    d->pc = d->pcb ? d->pb + nb : NULL;
    return d->pcb ? BAIOT_OK : BAIOT_ERR_MEMORY;
}

void baiot_j48_dist_free(dist *d)
{
    baiot_free(d->pcb);
    d->pcb = d->pb = d->pc = NULL;
}

/* First class of largest weight (by more than C45_SMALL); 0 when all are 0. */
int baiot_j48_dist_max_class(const dist *d)
{
    return baiot_j48_max_index(d->pc, d->nc);
}

/* The majority class of bag b; the overall one when the bag is empty. */
int baiot_j48_dist_max_class_bag(const dist *d, int b)
{
    if (!c45_gr(d->pb[b], 0))
        return baiot_j48_dist_max_class(d);
    return baiot_j48_max_index(d->pcb + (int64_t)b * d->nc, d->nc);
}

/* The heaviest bag, the last one on ties. */
int baiot_j48_dist_max_bag(const dist *d)
{
    double mx = 0;
    int mi = -1;
    for (int b = 0; b < d->nb; b++)
        if (c45_groreq(d->pb[b], mx)) {
            mx = d->pb[b];
            mi = b;
        }
    return mi;
}

/* The weight not of the majority class: a leaf's training errors. */
double baiot_j48_dist_incorrect(const dist *d)
{
    return d->total - d->pc[baiot_j48_dist_max_class(d)];
}

double baiot_j48_dist_incorrect_bag(const dist *d, int b)
{
    return d->pb[b] - d->pcb[(int64_t)b * d->nc + baiot_j48_dist_max_class_bag(d, b)];
}

/* Merges all bags into one (Weka's Distribution(Distribution)). */
baiot_status baiot_j48_dist_merge(const dist *src, dist *out)
{
    if (baiot_j48_dist_init(out, 1, src->nc))
        return BAIOT_ERR_MEMORY;
    memcpy(out->pcb, src->pc, (size_t)src->nc * sizeof(double));
    memcpy(out->pc, src->pc, (size_t)src->nc * sizeof(double));
    out->pb[0] = src->total;
    out->total = src->total;
    return BAIOT_OK;
}

/* Fills d (initialised, nb x nc) from integer counts cnt[b * nc + c]:
 * the values adding 1.0 per instance gives, as every partial sum is an
 * exact integer (the fast path's distributions). */
void baiot_j48_dist_from_counts(dist *d, const int64_t *cnt)
{
    int nc = d->nc;
    for (int b = 0; b < d->nb; b++) {
        int64_t sb = 0;
        for (int c = 0; c < nc; c++) {
            d->pcb[b * nc + c] = (double)cnt[b * nc + c];
            sb += cnt[b * nc + c];
        }
        d->pb[b] = (double)sb;
    }
    int64_t tot = 0;
    for (int c = 0; c < nc; c++) {
        int64_t sc = 0;
        for (int b = 0; b < d->nb; b++)
            sc += cnt[b * nc + c];
        d->pc[c] = (double)sc;
        tot += sc;
    }
    d->total = (double)tot;
}
