/*
 * oner.c - OneR rule building and prediction (see oner.h).
 *
 * The numeric build is one left-to-right pass over the distinct-value
 * groups that runs both of Weka's merge passes as a stream: pass 1 decides
 * whether the pending bucket is absorbed into the next group, and a bucket
 * pass 1 lets go of goes straight to pass 2, which extends the last output
 * bucket when the majority class is the same.  No allocation.
 * Covered by tests/unit/test_oner.c and tests/cli/test_oner_golden.py.
 */
#include "kernels/oner.h"

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

/* The branch for a missing value: the majority class of the training rows
 * without a value (-1 when there are none), counted as correct. */
static void missing_branch(oner_rule *r, const int64_t *missing_counts, int n_classes)
{
    int64_t n = 0;
    for (int c = 0; c < n_classes; c++)
        n += missing_counts[c];
    r->missing_class = n > 0 ? majority(missing_counts, n_classes) : -1;
    if (n > 0)
        r->correct += missing_counts[r->missing_class];
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

void baiot_oner_build_numeric_grouped(const double *gvalue, const int32_t *gtotal, int64_t G, const int32_t *test_group,
                                const int32_t *test_y, int64_t n_test, const int64_t *missing_counts, int n_classes,
                                int min_bucket, int64_t *counts, oner_rule *rule)
{
    int64_t *pending = counts, *group = counts + n_classes;
    int have_pending = 0, pm = 0;
    double pending_last = 0;
    int64_t p = 0;

    rule->n_buckets = 0;
    rule->correct = 0;
    for (int64_t g = 0; g < G; g++) {
        const int32_t *tot = gtotal + g * n_classes;
        int64_t sum = 0;
        for (int c = 0; c < n_classes; c++)
            group[c] = tot[c];
        for (; p < n_test && test_group[p] == g; p++)
            group[test_y[p]]--;
        for (int c = 0; c < n_classes; c++)
            sum += group[c];
        if (sum == 0)
            continue; /* a value only left-out rows have */
        double x = gvalue[g];
        int gm = majority(group, n_classes);
        if (have_pending) {
            if (pm == gm || pending[pm] < min_bucket) {
                for (int c = 0; c < n_classes; c++)
                    group[c] += pending[c];
                gm = majority(group, n_classes);
            } else {
                emit(rule, pending, n_classes, (pending_last + x) / 2);
            }
        }
        int64_t *t = pending;
        pending = group;
        group = t;
        pm = gm;
        pending_last = x;
        have_pending = 1;
    }
    if (have_pending)
        emit(rule, pending, n_classes, INFINITY);

    missing_branch(rule, missing_counts, n_classes);
}

int64_t baiot_oner_count_correct_grouped(const oner_rule *rule, const double *gvalue, const int32_t *test_group,
                                   const int32_t *test_y, int64_t n_test)
{
    int64_t correct = 0;
    int b = 0, last = rule->n_buckets - 1;
    if (rule->n_buckets == 0)
        return 0;
    for (int64_t i = 0; i < n_test; i++) {
        double x = gvalue[test_group[i]];
        while (b < last && x >= rule->breaks[b])
            b++;
        correct += rule->classes[b] == test_y[i];
    }
    return correct;
}

void baiot_oner_build_nominal(const int64_t *value_counts, int n_values, const int64_t *missing_counts, int n_classes,
                        oner_rule *rule)
{
    rule->n_buckets = n_values;
    rule->correct = 0;
    for (int v = 0; v < n_values; v++) {
        int m = majority(value_counts + (int64_t)v * n_classes, n_classes);
        rule->classes[v] = m;
        rule->correct += value_counts[(int64_t)v * n_classes + m];
    }
    missing_branch(rule, missing_counts, n_classes);
}

int baiot_oner_rule_predict(const oner_rule *rule, int nominal, double x)
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
