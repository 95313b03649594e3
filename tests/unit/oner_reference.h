/*
 * oner_reference.h - a plain OneR written from the description in
 * kernels/oner.h, for tests/unit/test_oner.c and test_rank.c to check the
 * engine against.  Nothing is shared with kernels/oner.c or
 * kernels/oner_groups.c: the training rows are sorted with qsort, the
 * elementary buckets (one per distinct value) are materialised, and Weka's
 * two merge passes run one after the other over explicit lists, where the
 * kernel streams them over prepared groups.  Numeric only needs (value,
 * class) pairs and the per-class counts of the rows without a value.
 */
#ifndef BAIOT_TESTS_ONER_REFERENCE_H
#define BAIOT_TESTS_ONER_REFERENCE_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REF_MAX_CLASSES 8

typedef struct ref_rule {
    int nb;            /* buckets (numeric) or values (nominal) */
    double *breaks;    /* nb upper bounds, the last +inf (numeric) */
    int *classes;      /* nb classes */
    int missing_class; /* -1: no training row without a value */
    int64_t correct;   /* training rows right */
} ref_rule;

typedef struct ref_pair {
    double x;
    int y;
} ref_pair;

static int ref_cmp_pair(const void *a, const void *b)
{
    double u = ((const ref_pair *)a)->x, v = ((const ref_pair *)b)->x;
    return (u > v) - (u < v);
}

/* First class with the highest count. */
static int ref_majority(const int64_t *c, int nc)
{
    int m = 0;
    for (int i = 1; i < nc; i++)
        if (c[i] > c[m])
            m = i;
    return m;
}

static void ref_missing(ref_rule *r, const int64_t *miss, int nc)
{
    int64_t n = 0;
    for (int c = 0; c < nc; c++)
        n += miss[c];
    r->missing_class = n > 0 ? ref_majority(miss, nc) : -1;
    if (n > 0)
        r->correct += miss[r->missing_class];
}

/* The numeric rule from n training (value, class) pairs (p is sorted in
 * place) and the class counts of the training rows without a value.  The
 * rule's arrays are malloc'ed (free with ref_rule_free). */
static void ref_numeric(ref_pair *p, int64_t n, const int64_t *miss, int nc, int min_bucket, ref_rule *r)
{
    qsort(p, (size_t)n, sizeof *p, ref_cmp_pair);
    /* elementary buckets: one per distinct value */
    double *val = malloc((size_t)(n + 1) * sizeof *val);
    int64_t *cnt = calloc((size_t)(n + 1) * REF_MAX_CLASSES, sizeof *cnt);
    int64_t G = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i == 0 || p[i].x != p[i - 1].x)
            val[G++] = p[i].x;
        cnt[(G - 1) * REF_MAX_CLASSES + p[i].y]++;
    }
    /* pass 1: buckets as [first, last] group ranges with their counts */
    int64_t *b_last = malloc((size_t)(G + 1) * sizeof *b_last);
    int64_t *b_cnt = calloc((size_t)(G + 1) * REF_MAX_CLASSES, sizeof *b_cnt);
    int64_t B = 0;
    for (int64_t g = 0; g < G; g++) {
        const int64_t *cg = cnt + g * REF_MAX_CLASSES;
        if (B > 0) {
            int64_t *cur = b_cnt + (B - 1) * REF_MAX_CLASSES;
            int mc = ref_majority(cur, nc);
            if (mc == ref_majority(cg, nc) || cur[mc] < min_bucket) {
                for (int c = 0; c < nc; c++)
                    cur[c] += cg[c];
                b_last[B - 1] = g;
                continue;
            }
        }
        memcpy(b_cnt + B * REF_MAX_CLASSES, cg, REF_MAX_CLASSES * sizeof *cg);
        b_last[B++] = g;
    }
    /* pass 2: neighbours with the same majority become one */
    r->breaks = malloc((size_t)(B + 1) * sizeof *r->breaks);
    r->classes = malloc((size_t)(B + 1) * sizeof *r->classes);
    r->nb = 0;
    r->correct = 0;
    for (int64_t b = 0; b < B; b++) {
        const int64_t *cb = b_cnt + b * REF_MAX_CLASSES;
        int m = ref_majority(cb, nc);
        double upper = b + 1 < B ? (val[b_last[b]] + val[b_last[b] + 1]) / 2 : INFINITY;
        r->correct += cb[m];
        if (r->nb > 0 && r->classes[r->nb - 1] == m) {
            r->breaks[r->nb - 1] = upper;
        } else {
            r->classes[r->nb] = m;
            r->breaks[r->nb] = upper;
            r->nb++;
        }
    }
    ref_missing(r, miss, nc);
    free(val);
    free(cnt);
    free(b_last);
    free(b_cnt);
}

/* The nominal rule from counts[v * nc + c] (n_values values). */
static void ref_nominal(const int64_t *counts, int n_values, const int64_t *miss, int nc, ref_rule *r)
{
    r->breaks = malloc((size_t)(n_values + 1) * sizeof *r->breaks);
    r->classes = malloc((size_t)(n_values + 1) * sizeof *r->classes);
    r->nb = n_values;
    r->correct = 0;
    for (int v = 0; v < n_values; v++) {
        r->classes[v] = ref_majority(counts + (int64_t)v * nc, nc);
        r->correct += counts[(int64_t)v * nc + r->classes[v]];
    }
    ref_missing(r, miss, nc);
}

/* The class the rule gives x (NaN: the missing branch, else class 0). */
static int ref_predict(const ref_rule *r, int nominal, double x)
{
    if (isnan(x))
        return r->missing_class >= 0 ? r->missing_class : 0;
    if (nominal)
        return (int)x < r->nb ? r->classes[(int)x] : 0;
    for (int b = 0; b < r->nb; b++)
        if (x < r->breaks[b] || b == r->nb - 1)
            return r->classes[b];
    return 0;
}

static void ref_rule_free(ref_rule *r)
{
    free(r->breaks);
    free(r->classes);
}

/* The rule of column x (nominal with n_values values, or numeric) over
 * rows[0..n) with classes y (rows with y < 0 left out). */
static void ref_column_rule(const double *x, const int *y, const int64_t *rows, int64_t n, int nominal, int n_values,
                            int nc, int min_bucket, ref_rule *r)
{
    int64_t miss[REF_MAX_CLASSES] = {0};
    if (nominal) {
        int64_t *counts = calloc((size_t)(n_values + 1) * (size_t)nc, sizeof *counts);
        for (int64_t i = 0; i < n; i++) {
            int64_t q = rows[i];
            if (y[q] < 0)
                continue;
            if (isnan(x[q]))
                miss[y[q]]++;
            else
                counts[(int64_t)x[q] * nc + y[q]]++;
        }
        ref_nominal(counts, n_values, miss, nc, r);
        free(counts);
        return;
    }
    ref_pair *p = malloc((size_t)(n + 1) * sizeof *p);
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t q = rows[i];
        if (y[q] < 0)
            continue;
        if (isnan(x[q])) {
            miss[y[q]]++;
        } else {
            p[m].x = x[q];
            p[m++].y = y[q];
        }
    }
    ref_numeric(p, m, miss, nc, min_bucket, r);
    free(p);
}

#endif
