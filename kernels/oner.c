/*
 * oner.c - OneR rule building and prediction (see oner.h).
 *
 * The numeric build is one left-to-right pass over the sorted rows that
 * runs both of Weka's merge passes as a stream: a distinct-value group is
 * formed, pass 1 decides whether the pending bucket is absorbed into it,
 * and a bucket pass 1 lets go of goes straight to pass 2, which extends the
 * last output bucket when the majority class is the same.  No allocation;
 * branch-light inner loop over contiguous arrays.
 */
#include "oner.h"

#include <math.h>
#include <string.h>

static int majority(const int64_t *counts, int n_classes)
{
    int best = 0;
    for (int c = 1; c < n_classes; c++)
        if (counts[c] > counts[best])
            best = c;
    return best;
}

/* Pass 2: appends bucket (counts, upper bound) to the rule. */
static void emit(oner_rule *r, const int64_t *counts, int n_classes, double upper)
{
    int m = majority(counts, n_classes);
    r->correct += counts[m];
    if (r->n_buckets > 0 && r->classes[r->n_buckets - 1] == m) {
        r->breaks[r->n_buckets - 1] = upper;
        return;
    }
    r->classes[r->n_buckets] = m;
    r->breaks[r->n_buckets] = upper;
    r->n_buckets++;
}

void oner_build_numeric(const double *v, const int *y, const int8_t *fold, int64_t n, int test_fold,
                        const int64_t *missing_counts, int n_classes, int min_bucket, int64_t *counts,
                        oner_rule *rule)
{
    int64_t *pending = counts;              /* pass 1's accumulated bucket */
    int64_t *group = counts + n_classes;    /* the current distinct value */
    int have_pending = 0;
    double pending_last = 0;                /* largest value in the pending bucket */
    int64_t i = 0;

    rule->n_buckets = 0;
    rule->correct = 0;
    while (i < n) {
        /* next distinct value among the training rows */
        while (i < n && fold[i] == test_fold)
            i++;
        if (i >= n)
            break;
        double x = v[i];
        memset(group, 0, (size_t)n_classes * sizeof *group);
        for (; i < n && v[i] == x; i++)
            group[y[i]] += fold[i] != test_fold;
        if (have_pending) {
            int pm = majority(pending, n_classes), gm = majority(group, n_classes);
            if (pm == gm || pending[pm] < min_bucket) {
                /* pass 1: the pending bucket joins this group (its breakpoint goes) */
                for (int c = 0; c < n_classes; c++)
                    group[c] += pending[c];
            } else {
                emit(rule, pending, n_classes, (pending_last + x) / 2);
            }
        }
        memcpy(pending, group, (size_t)n_classes * sizeof *group);
        pending_last = x;
        have_pending = 1;
    }
    if (have_pending)
        emit(rule, pending, n_classes, INFINITY);

    int64_t nmiss = 0;
    for (int c = 0; c < n_classes; c++)
        nmiss += missing_counts[c];
    if (nmiss > 0) {
        rule->missing_class = majority(missing_counts, n_classes);
        rule->correct += missing_counts[rule->missing_class];
    } else {
        rule->missing_class = -1;
    }
}

void oner_build_nominal(const int64_t *value_counts, int n_values, const int64_t *missing_counts, int n_classes,
                        oner_rule *rule)
{
    rule->n_buckets = n_values;
    rule->correct = 0;
    for (int v = 0; v < n_values; v++) {
        int m = majority(value_counts + (int64_t)v * n_classes, n_classes);
        rule->classes[v] = m;
        rule->correct += value_counts[(int64_t)v * n_classes + m];
    }
    int64_t nmiss = 0;
    for (int c = 0; c < n_classes; c++)
        nmiss += missing_counts[c];
    if (nmiss > 0) {
        rule->missing_class = majority(missing_counts, n_classes);
        rule->correct += missing_counts[rule->missing_class];
    } else {
        rule->missing_class = -1;
    }
}

int oner_predict(const oner_rule *rule, int nominal, double x)
{
    if (isnan(x))
        return rule->missing_class >= 0 ? rule->missing_class : 0;
    if (nominal) {
        int v = (int)x;
        return v >= 0 && v < rule->n_buckets ? rule->classes[v] : 0;
    }
    int b = 0;
    while (b < rule->n_buckets - 1 && x >= rule->breaks[b])
        b++;
    return rule->n_buckets > 0 ? rule->classes[b] : 0;
}

int64_t oner_count_correct_sorted(const oner_rule *rule, const double *v, const int *y, const int8_t *fold,
                                  int64_t n, int test_fold)
{
    int64_t correct = 0;
    int b = 0, last = rule->n_buckets - 1;
    if (rule->n_buckets == 0)
        return 0;
    for (int64_t i = 0; i < n; i++) {
        if (fold[i] != test_fold)
            continue;
        while (b < last && v[i] >= rule->breaks[b])
            b++;
        correct += rule->classes[b] == y[i];
    }
    return correct;
}
