/*
 * em_data.c - the arrays of one EM fit (em_internal.h): the data with
 * missing values replaced (column arrays in one block), Weka's whole-column
 * std dev used as EM's floor, and the mixture (priors, normals, nominal
 * counts).
 *
 * Guarantees: every allocator leaves nothing allocated when it fails and
 * returns BAIOT_ERR_MEMORY; the free functions accept zeroed structs.
 * Covered by tests/unit/test_kmeans.c (allocation failures) and
 * tests/cli/test_em_golden.py.
 */
#include "engine/models/em/em_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Data of one fit: d column arrays of n rows (missing values replaced).     */

/* Frees f's arrays and zeroes f (so a second call is a no-op: a failed
 * baiot_em_data_alloc has already freed, and callers free again). */
void baiot_em_data_free(baiot_em_data *f)
{
    if (!f)
        return;
    baiot_free(f->cols);
    baiot_free(f->block);
    baiot_free(f->full_sd);
    memset(f, 0, sizeof *f);
}

baiot_status baiot_em_data_alloc(baiot_em_data *f, int64_t n, int d, const int *nvals)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    f->d = d;
    f->nvals = nvals;
    f->cols = baiot_malloc((size_t)(d > 0 ? d : 1) * sizeof *f->cols);
    f->block = baiot_malloc((size_t)(n * d > 0 ? n * d : 1) * sizeof *f->block);
    f->full_sd = baiot_malloc((size_t)(d > 0 ? d : 1) * sizeof *f->full_sd);
    if (!f->cols || !f->block || !f->full_sd) {
        baiot_em_data_free(f);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for EM data (%lld x %d)", (long long)n, d);
    }
    for (int j = 0; j < d; j++) {
        f->cols[j] = f->block + (int64_t)j * n;
        f->full_sd[j] = NAN;
    }
    return BAIOT_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Weka's attributeStats(j).numericStats.stdDev: sums over the distinct
 * values in increasing order, each times its count; (sumSq - sum^2/n) /
 * (n-1), clipped at 0; +Inf for one row. Computed once per fit data. */
baiot_status baiot_em_data_full_sd(baiot_em_data *f, int j, double *out)
{
    if (!isnan(f->full_sd[j])) {
        *out = f->full_sd[j];
        return BAIOT_OK;
    }
    double *s = baiot_malloc((size_t)(f->n > 0 ? f->n : 1) * sizeof *s);
    if (!s)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    memcpy(s, f->cols[j], (size_t)f->n * sizeof *s);
    qsort(s, (size_t)f->n, sizeof *s, cmp_double);
    double sum = 0, sumsq = 0, count = 0;
    for (int64_t i = 0; i < f->n;) {
        int64_t e = i;
        while (e < f->n && s[e] == s[i])
            e++;
        double v = s[i], c = (double)(e - i);
        count += c;
        sum += v * c;
        sumsq += v * v * c;
        i = e;
    }
    baiot_free(s);
    double sd = NAN;
    if (count > 0) {
        sd = INFINITY;
        if (count > 1) {
            sd = sumsq - sum * sum / count;
            sd /= count - 1;
            if (sd < 0)
                sd = 0;
            sd = sqrt(sd);
        }
    }
    f->full_sd[j] = sd;
    *out = sd;
    return BAIOT_OK;
}

/* ------------------------------------------------------------------------ */
/* The model of one fit.                                                      */

void baiot_em_fit_free(baiot_em_fit *m)
{
    baiot_free(m->prior);
    baiot_free(m->mean);
    baiot_free(m->sd);
    baiot_free(m->cnt);
    baiot_free(m->cnt_sum);
    m->prior = m->mean = m->sd = m->cnt = m->cnt_sum = NULL;
}

baiot_status baiot_em_fit_alloc(baiot_em_fit *m, int k, int d, const int *nvals, const int *off, int nv_total)
{
    m->k = k;
    m->d = d;
    m->nvals = nvals;
    m->off = off;
    m->nv_total = nv_total;
    m->prior = baiot_calloc((size_t)k, sizeof(double));
    m->mean = baiot_calloc((size_t)k * d + 1, sizeof(double));
    m->sd = baiot_calloc((size_t)k * d + 1, sizeof(double));
    m->cnt = baiot_calloc((size_t)k * nv_total + 1, sizeof(double));
    m->cnt_sum = baiot_calloc((size_t)k * d + 1, sizeof(double));
    if (!m->prior || !m->mean || !m->sd || !m->cnt || !m->cnt_sum) {
        baiot_em_fit_free(m);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for an EM model");
    }
    return BAIOT_OK;
}

void baiot_em_fit_copy(baiot_em_fit *dst, const baiot_em_fit *src)
{
    memcpy(dst->prior, src->prior, (size_t)src->k * sizeof(double));
    memcpy(dst->mean, src->mean, (size_t)src->k * src->d * sizeof(double));
    memcpy(dst->sd, src->sd, (size_t)src->k * src->d * sizeof(double));
    memcpy(dst->cnt, src->cnt, (size_t)src->k * src->nv_total * sizeof(double));
    memcpy(dst->cnt_sum, src->cnt_sum, (size_t)src->k * src->d * sizeof(double));
}

/* Copies v's attributes into f with Weka's ReplaceMissingValues (means of
 * the present values, modes: the first most frequent value). */
baiot_status baiot_em_data_load(const baiot_view *v, const double *fill, baiot_em_data *f, const int *nvals)
{
    baiot_status st = baiot_em_data_alloc(f, v->n_rows, v->n_cols, nvals);
    if (st)
        return st;
    for (int j = 0; j < v->n_cols; j++)
        for (int64_t i = 0; i < v->n_rows; i++) {
            double x = v->cols[j][i];
            f->cols[j][i] = isnan(x) ? fill[j] : x;
        }
    return BAIOT_OK;
}
