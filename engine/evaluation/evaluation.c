/*
 * evaluation.c - Weka's evaluation of a nominal-class classifier from its
 * pooled test predictions (include/baiot/evaluation.h).
 *
 * Place in the flow: the cross-validation driver or a holdout run hands
 * every test row's predicted distribution here, fold by fold, after
 * setting that fold's training class counts as priors; the CLI then prints
 * Weka's blocks or writes JSON.  Reimplemented from Weka 3.6.14's observed
 * behaviour (tests/golden/weka/eval, made by
 * tests/tools/java/WekaEvalGolden.java) and, for MCC / PRC area and the
 * 3.8 layout, from Weka 3.8's definitions (as its 3.8.4 sources state
 * them); no Weka code is copied.  docs/EVALUATION_JSON.md has the
 * behaviours and their evidence.
 *
 * Invariants:
 *  1. Accumulators (confusion matrix, error sums, counts) are updated per
 *     row, in the order rows are added, with Weka's operation order, so
 *     the sums have Weka's bits for the same input order.
 *  2. Every row is also stored (actual, weight, distribution): the
 *     threshold curves need all of them, sorted per class.
 *  3. results/per_class are a cache, valid while `dirty` is 0; any add or
 *     set_priors sets dirty.  The curve buffer holds class curve_class's
 *     curve; any add resets curve_class to -1 (no curve).
 *  4. Inputs are validated on entry (finite, >= 0), so no NaN reaches the
 *     sums or the sorts.
 * Memory: 12 + 8 k bytes per stored row; computing the curves takes 48 n
 * bytes more (and 1 MiB of digit counters) for the duration of the call
 * (a (probability, row) pair per row, a buffer, and the radix sort's
 * probabilities and row indices), baiot_eval_roc() 64 bytes per curve
 * point.  Rows are sorted per class by a stable radix sort
 * (kernels/sort_keys.h), which gives the (probability, row) order; the
 * merge sort runs when its arrays cannot be had.
 * Not thread-safe per handle.
 */
#include "baiot/evaluation.h"

#include "engine/weka/weka_numfmt.h"
#include "io/text/json.h"
#include "kernels/sort_keys.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The terminal point of Weka's threshold curve sits this far above the
 * largest probability (ThresholdCurve: "+ 10e-6"). */
#define EVAL_CURVE_TERMINAL_STEP 10e-6
/* Weka prints "UnClassified Instances" only when their weight exceeds
 * Utils.SMALL (Utils.gr; 3.6.14 too: tests/golden probe-tinyunclassified). */
#define EVAL_WEKA_SMALL 1e-6

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

/* ------------------------------------------------------------------ */
/* creation and input                                                  */
/* ------------------------------------------------------------------ */

baiot_status baiot_eval_create(int n_classes, const char *const *class_names, baiot_eval **out)
{
    baiot_eval *e = NULL;
    if (!out)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_create: out is NULL");
    *out = NULL;
    if (n_classes < 1 || n_classes > 1000000)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_create: %d classes (need 1..1000000)",
                          n_classes);
    e = baiot_calloc(1, sizeof *e);
    if (!e)
        goto nomem;
    e->k = n_classes;
    e->curve_class = -1;
    e->dirty = 1;
    e->class_names = baiot_calloc((size_t)n_classes, sizeof *e->class_names);
    e->priors = baiot_calloc((size_t)n_classes, sizeof *e->priors);
    e->confusion = baiot_calloc((size_t)n_classes * (size_t)n_classes, sizeof *e->confusion);
    e->per_class = baiot_calloc((size_t)n_classes, sizeof *e->per_class);
    if (!e->class_names || !e->priors || !e->confusion || !e->per_class)
        goto nomem;
    for (int c = 0; c < n_classes; c++) {
        if (class_names && class_names[c]) {
            e->class_names[c] = baiot_strdup(class_names[c]);
        } else {
            char name[32];
            snprintf(name, sizeof name, "class%d", c);
            e->class_names[c] = baiot_strdup(name);
        }
        if (!e->class_names[c])
            goto nomem;
    }
    /* uniform priors, as Weka's for an empty training set */
    e->priors_sum = n_classes;
    for (int c = 0; c < n_classes; c++)
        e->priors[c] = 1;
    *out = e;
    return BAIOT_OK;
nomem:
    baiot_eval_free(e);
    return baiot_fail(BAIOT_ERR_MEMORY, "baiot_eval_create: out of memory");
}

void baiot_eval_free(baiot_eval *e)
{
    if (!e)
        return;
    if (e->class_names)
        for (int c = 0; c < e->k; c++)
            baiot_free(e->class_names[c]);
    baiot_free(e->class_names);
    baiot_free(e->priors);
    baiot_free(e->confusion);
    baiot_free(e->actual);
    baiot_free(e->weight);
    baiot_free(e->dist);
    baiot_free(e->per_class);
    baiot_free(e->curve);
    baiot_free(e);
}

/* Weka's setPriors for a training set with these class weights. */
baiot_status baiot_eval_set_priors(baiot_eval *e, const double *train_counts)
{
    if (!e || !train_counts)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_set_priors: NULL argument");
    for (int c = 0; c < e->k; c++)
        if (!isfinite(train_counts[c]) || train_counts[c] < 0)
            return baiot_fail(BAIOT_ERR_ARG,
                              "baiot_eval_set_priors: count of class %d is %g (need finite, >= 0)",
                              c, train_counts[c]);
    /* Weka (Evaluation.setPriors): every class starts at 1, the sum at the
     * number of classes, then the training weights are added */
    e->priors_sum = e->k;
    for (int c = 0; c < e->k; c++) {
        e->priors[c] = 1 + train_counts[c];
        e->priors_sum += train_counts[c];
    }
    e->dirty = 1;
    return BAIOT_OK;
}

/* Makes room for one more stored row. */
static baiot_status reserve_row(baiot_eval *e)
{
    if (e->n < e->cap)
        return BAIOT_OK;
    int64_t cap = e->cap ? e->cap * 2 : 256;
    if ((uint64_t)cap > SIZE_MAX / sizeof(double) / (uint64_t)e->k)
        return baiot_fail(BAIOT_ERR_MEMORY, "baiot_eval_add: too many rows");
    /* grow each array; an array grown before a later failure just stays
     * larger, cap only moves once all three succeeded */
    int *a = baiot_realloc(e->actual, (size_t)cap * sizeof *a);
    if (!a)
        goto nomem;
    e->actual = a;
    double *w = baiot_realloc(e->weight, (size_t)cap * sizeof *w);
    if (!w)
        goto nomem;
    e->weight = w;
    double *d = baiot_realloc(e->dist, (size_t)cap * (size_t)e->k * sizeof *d);
    if (!d)
        goto nomem;
    e->dist = d;
    e->cap = cap;
    return BAIOT_OK;
nomem:
    return baiot_fail(BAIOT_ERR_MEMORY, "baiot_eval_add: out of memory storing %lld rows",
                      (long long)cap);
}

/* Weka's updateStatsForClassifier for one row with a known class: the
 * predicted class is the first one of largest positive probability; with
 * none, the row is only counted as unclassified. */
static void accumulate(baiot_eval *e, int actual, const double *dist, double weight)
{
    int k = e->k;
    int predicted = -1;
    double best = 0;
    for (int c = 0; c < k; c++)
        if (dist[c] > best) {
            predicted = c;
            best = dist[c];
        }
    e->with_class += weight;
    if (predicted < 0) {
        e->unclassified += weight;
        return;
    }
    /* updateNumericScores: errors of the distribution against the 0/1
     * vector of the actual class, and of the priors against it */
    double s_err = 0, s_abs = 0, s_sqr = 0, s_pabs = 0, s_psqr = 0;
    for (int c = 0; c < k; c++) {
        double target = c == actual ? 1.0 : 0.0;
        double diff = dist[c] - target;
        s_err += diff;
        s_abs += fabs(diff);
        s_sqr += diff * diff;
        diff = (e->priors[c] / e->priors_sum) - target;
        s_pabs += fabs(diff);
        s_psqr += diff * diff;
    }
    e->sum_err += weight * s_err / k;
    e->sum_abs_err += weight * s_abs / k;
    e->sum_sqr_err += weight * s_sqr / k;
    e->sum_prior_abs_err += weight * s_pabs / k;
    e->sum_prior_sqr_err += weight * s_psqr / k;
    e->confusion[(size_t)actual * (size_t)k + (size_t)predicted] += weight;
    if (predicted != actual)
        e->incorrect += weight;
    else
        e->correct += weight;
}

baiot_status baiot_eval_add(baiot_eval *e, int actual, const double *dist, double weight)
{
    if (!e || !dist)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_add: NULL argument");
    if (actual < -1 || actual >= e->k)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_add: actual class %d out of range -1..%d",
                          actual, e->k - 1);
    if (!isfinite(weight) || weight < 0)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_add: weight %g (need finite, >= 0)", weight);
    for (int c = 0; c < e->k; c++)
        if (!isfinite(dist[c]) || dist[c] < 0)
            return baiot_fail(BAIOT_ERR_ARG,
                              "baiot_eval_add: probability of class %d is %g (need finite, >= 0)",
                              c, dist[c]);
    baiot_status st = reserve_row(e);
    if (st != BAIOT_OK)
        return st;
    e->actual[e->n] = actual;
    e->weight[e->n] = weight;
    memcpy(e->dist + (size_t)e->n * (size_t)e->k, dist, (size_t)e->k * sizeof *dist);
    e->n++;
    e->curve_class = -1;
    if (actual < 0)
        e->missing_class += weight;
    else
        accumulate(e, actual, dist, weight);
    e->dirty = 1;
    return BAIOT_OK;
}

baiot_status baiot_eval_add_batch(baiot_eval *e, int64_t n, const int *actual,
                                  const double *dist, const double *weights)
{
    if (!e || n < 0 || (n > 0 && (!actual || !dist)))
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_add_batch: bad argument");
    for (int64_t i = 0; i < n; i++) {
        baiot_status st = baiot_eval_add(e, actual[i], dist + (size_t)i * (size_t)e->k,
                                         weights ? weights[i] : 1.0);
        if (st != BAIOT_OK)
            return baiot_fail_context(st, "row %lld: ", (long long)i);
    }
    return BAIOT_OK;
}

/* ------------------------------------------------------------------ */
/* threshold curves                                                    */
/* ------------------------------------------------------------------ */

typedef struct eval_key {
    double p;     /* probability of the class */
    int64_t row;  /* position in the stored rows: ties keep row order */
} eval_key;

/* Slots of the scratch buffer: merge-sort space first, then the
 * (precision, recall) pairs of the curve points for the PRC area. */
typedef union eval_slot {
    eval_key key;
    double pr[2];
} eval_slot;

/* The sort scratch of the curves: keys and tmp (n + 1 slots), and for the
 * radix sort (kernels/sort_keys.h) the probabilities, row indices and
 * digit counters; its 2n 64-bit keys live in tmp. */
typedef struct sweep_scratch {
    eval_key *keys;
    eval_slot *tmp;
    double *p;
    int32_t *idx, *idx2;
    uint32_t *counts;
} sweep_scratch;

static int key_less(const eval_key *a, const eval_key *b)
{
    return a->p < b->p || (a->p == b->p && a->row < b->row);
}

/* Sorts keys[0..n) ascending by (p, row) with tmp[0..n) as scratch: a
 * bottom-up merge sort (deterministic, O(n log n)). */
static void sort_keys(eval_key *keys, eval_slot *tmp, int64_t n)
{
    eval_key *src = keys;
    int in_tmp = 0;
    for (int64_t width = 1; width < n; width *= 2) {
        eval_key *from = in_tmp ? &tmp[0].key : src;
        for (int64_t lo = 0; lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            int64_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi) {
                if (key_less(&from[j], &from[i]))
                    in_tmp ? (keys[o++] = from[j++]) : (tmp[o++].key = from[j++]);
                else
                    in_tmp ? (keys[o++] = from[i++]) : (tmp[o++].key = from[i++]);
            }
            while (i < mid)
                in_tmp ? (keys[o++] = from[i++]) : (tmp[o++].key = from[i++]);
            while (j < hi)
                in_tmp ? (keys[o++] = from[j++]) : (tmp[o++].key = from[j++]);
        }
        in_tmp = !in_tmp;
    }
    if (in_tmp)
        for (int64_t i = 0; i < n; i++)
            keys[i] = tmp[i].key;
}

/* Rates of a curve point as Weka 3.6.14's TwoClassStats gives them (0 when
 * the denominator is 0). */
static double ratio36(double num, double den)
{
    return den == 0 ? 0 : num / den;
}

/* Weka 3.8's TwoClassStats: NaN when the denominator is 0. */
static double ratio38(double num, double den)
{
    return den == 0 ? NAN : num / den;
}

typedef struct curve_out {
    double roc_area, prc_area;
    int64_t n_points;
} curve_out;

/* The running state of one sweep: the counts of the current point and the
 * ROC area summed point by point in getROCArea's order. */
typedef struct sweep_state {
    double tp, fn, fp, tn;
    baiot_eval_roc_point *points; /* NULL: areas only */
    eval_slot *pr;                /* (precision, recall) per point, 3.8 rules */
    int64_t m;                    /* points so far */
    double area, area_neg, prev_tp, prev_fp, total_pos, total_neg;
} sweep_state;

static void emit_point(sweep_state *s, double threshold)
{
    if (s->points) {
        baiot_eval_roc_point *pt = &s->points[s->m];
        pt->threshold = threshold;
        pt->tp = s->tp;
        pt->fn = s->fn;
        pt->fp = s->fp;
        pt->tn = s->tn;
        pt->tpr = ratio36(s->tp, s->tp + s->fn);
        pt->fpr = ratio36(s->fp, s->fp + s->tn);
        pt->precision = ratio36(s->tp, s->tp + s->fp);
    }
    s->pr[s->m].pr[0] = ratio38(s->tp, s->tp + s->fp);
    s->pr[s->m].pr[1] = ratio38(s->tp, s->tp + s->fn);
    if (s->m == 0) {
        s->total_pos = s->tp;
        s->total_neg = s->fp;
    } else {
        /* getROCArea: the rows between two points are positives cip and
         * negatives cin; each positive beats the negatives below it and
         * half of those tied with it */
        double cip = s->prev_tp - s->tp, cin = s->prev_fp - s->fp;
        s->area += cip * (s->area_neg + (0.5 * cin));
        s->area_neg += cin;
    }
    s->prev_tp = s->tp;
    s->prev_fp = s->fp;
    s->m++;
}

/* Weka's ThresholdCurve.getCurve for class c over all stored rows, and the
 * areas under it (ThresholdCurve.getROCArea; Weka 3.8's getPRCArea).
 * Rows whose class is not c - rows with a missing class included, as Weka
 * counts them - are negatives.  Rows are sorted by their probability of c;
 * a point is made at the first row of each distinct probability (the rows
 * from there up predicted positive); the loop stops at the last row
 * without counting it, and a final point at max + 1e-5 predicts nothing
 * when the counts are not exhausted by then.  keys[n] and tmp[n + 1] are
 * scratch; points (may be NULL) gets the points (n + 1 at most). */
static void sweep_class(const baiot_eval *e, int c, const sweep_scratch *w, baiot_eval_roc_point *points,
                        curve_out *out)
{
    int64_t n = e->n;
    int k = e->k;
    eval_key *keys = w->keys;
    eval_slot *tmp = w->tmp;
    double tot_pos = 0, tot_neg = 0;
    out->roc_area = NAN;
    out->prc_area = NAN;
    out->n_points = 0;
    if (n == 0)
        return;
    for (int64_t i = 0; i < n; i++) {
        if (e->actual[i] == c)
            tot_pos += e->weight[i];
        else
            tot_neg += e->weight[i];
    }
    if (w->p) {
        /* a stable radix sort by probability of rows 0..n-1 is the (p, row)
         * order; + 0.0 makes -0.0 equal to 0.0 as key_less has it */
        for (int64_t i = 0; i < n; i++) {
            w->p[i] = e->dist[(size_t)i * (size_t)k + (size_t)c] + 0.0;
            w->idx[i] = (int32_t)i;
        }
        sort_by_value(w->p, w->idx, n, (uint64_t *)(void *)tmp, w->idx2, w->counts);
        for (int64_t i = 0; i < n; i++) {
            keys[i].p = w->p[w->idx[i]];
            keys[i].row = w->idx[i];
        }
    } else {
        for (int64_t i = 0; i < n; i++) {
            keys[i].p = e->dist[(size_t)i * (size_t)k + (size_t)c];
            keys[i].row = i;
        }
        sort_keys(keys, tmp, n);
    }

    sweep_state s;
    memset(&s, 0, sizeof s);
    s.tp = tot_pos;
    s.fp = tot_neg;
    s.points = points;
    s.pr = tmp;
    double threshold = 0, cum_pos = 0, cum_neg = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i == 0 || keys[i].p > threshold) {
            s.tp -= cum_pos;
            s.fn += cum_pos;
            s.fp -= cum_neg;
            s.tn += cum_neg;
            threshold = keys[i].p;
            emit_point(&s, threshold);
            cum_pos = 0;
            cum_neg = 0;
            if (i == n - 1)
                break;
        }
        int64_t row = keys[i].row;
        if (e->actual[row] == c)
            cum_pos += e->weight[row];
        else
            cum_neg += e->weight[row];
    }
    if (s.fn != tot_pos || s.tn != tot_neg) {
        /* the point that predicts nothing */
        s.tp = 0;
        s.fp = 0;
        s.tn = tot_neg;
        s.fn = tot_pos;
        emit_point(&s, keys[n - 1].p + EVAL_CURVE_TERMINAL_STEP);
    }
    /* the last point's own term, then the normalisation */
    s.area += s.prev_tp * (s.area_neg + (0.5 * s.prev_fp));
    out->roc_area = s.area / (s.total_neg * s.total_pos);
    out->n_points = s.m;

    /* PRC area (Weka 3.8): from the last point back to the first, each step
     * adds precision * (increase of recall); exactly 0 means undefined */
    int64_t m = s.m;
    double prc = 0, xlast = tmp[m - 1].pr[1];
    for (int64_t i = m - 2; i >= 0; i--) {
        prc += tmp[i].pr[0] * (tmp[i].pr[1] - xlast);
        xlast = tmp[i].pr[1];
    }
    out->prc_area = prc == 0 ? NAN : prc;
}

/* Frees the radix sort's arrays (none: the merge sort runs). */
static void free_radix(sweep_scratch *w)
{
    baiot_free(w->p);
    baiot_free(w->idx);
    baiot_free(w->idx2);
    baiot_free(w->counts);
    w->p = NULL;
    w->idx = w->idx2 = NULL;
    w->counts = NULL;
}

static void free_scratch(sweep_scratch *w)
{
    baiot_free(w->keys);
    baiot_free(w->tmp);
    free_radix(w);
    memset(w, 0, sizeof *w);
}

/* Allocates the sort scratch for n rows (the radix sort's arrays when n
 * fits its 32-bit row indices and the memory is there; else the merge
 * sort runs). */
static baiot_status alloc_scratch(int64_t n, sweep_scratch *w)
{
    memset(w, 0, sizeof *w);
    w->keys = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof *w->keys);
    w->tmp = baiot_malloc((size_t)(n + 1) * sizeof *w->tmp);
    if (!w->keys || !w->tmp) {
        free_scratch(w);
        return baiot_fail(BAIOT_ERR_MEMORY, "evaluation: out of memory sorting %lld rows",
                          (long long)n);
    }
    if (n > 0 && n <= INT32_MAX) {
        w->p = baiot_malloc((size_t)n * sizeof *w->p);
        w->idx = baiot_malloc((size_t)n * sizeof *w->idx);
        w->idx2 = baiot_malloc((size_t)n * sizeof *w->idx2);
        w->counts = baiot_malloc(4 * 65536 * sizeof *w->counts);
        if (!w->p || !w->idx || !w->idx2 || !w->counts)
            free_radix(w);
    }
    return BAIOT_OK;
}

baiot_status baiot_eval_roc(baiot_eval *e, int class_index,
                            const baiot_eval_roc_point **out_points, int64_t *out_n)
{
    sweep_scratch w;
    if (!e || !out_points || !out_n)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_roc: NULL argument");
    *out_points = NULL;
    *out_n = 0;
    if (class_index < 0 || class_index >= e->k)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_roc: class %d out of range 0..%d",
                          class_index, e->k - 1);
    if (e->curve_class != class_index) {
        baiot_free(e->curve);
        e->curve = NULL;
        e->curve_n = 0;
        e->curve_class = -1;
        baiot_status st = alloc_scratch(e->n, &w);
        if (st != BAIOT_OK)
            return st;
        e->curve = baiot_malloc((size_t)(e->n + 1) * sizeof *e->curve);
        if (!e->curve) {
            free_scratch(&w);
            return baiot_fail(BAIOT_ERR_MEMORY, "baiot_eval_roc: out of memory");
        }
        curve_out co;
        sweep_class(e, class_index, &w, e->curve, &co);
        free_scratch(&w);
        e->curve_n = co.n_points;
        e->curve_class = class_index;
        /* results stay as they are: the curve does not change them */
    }
    *out_points = e->curve;
    *out_n = e->curve_n;
    return BAIOT_OK;
}

/* ------------------------------------------------------------------ */
/* figures                                                             */
/* ------------------------------------------------------------------ */

/* Java's (int) cast of a double: NaN -> 0, saturating, else truncation. */
static int java_int(double x)
{
    if (isnan(x))
        return 0;
    if (x >= (double)INT_MAX)
        return INT_MAX;
    if (x <= (double)INT_MIN)
        return INT_MIN;
    return (int)x;
}

/* The per-class figures from the confusion matrix, with Weka's loops (so
 * Weka's summation order); 3.6.14 values plus the 3.8 undefined bits. */
static void class_stats(const baiot_eval *e, int c, baiot_eval_class_stats *s)
{
    int k = e->k;
    const double *cm = e->confusion;
    double row = 0, col = 0, fp = 0, neg_total = 0, tn = 0, fn = 0;
    for (int j = 0; j < k; j++)
        row += cm[(size_t)c * k + j];
    for (int i = 0; i < k; i++)
        col += cm[(size_t)i * k + c];
    for (int i = 0; i < k; i++) {
        if (i == c)
            continue;
        fp += cm[(size_t)i * k + c];
        for (int j = 0; j < k; j++) {
            neg_total += cm[(size_t)i * k + j];
            if (j != c)
                tn += cm[(size_t)i * k + j];
        }
    }
    for (int j = 0; j < k; j++)
        if (j != c)
            fn += cm[(size_t)c * k + j];
    double tp = cm[(size_t)c * k + c];
    memset(s, 0, sizeof *s);
    s->tp = tp;
    s->fp = fp;
    s->tn = tn;
    s->fn = fn;
    s->tp_rate = row == 0 ? 0 : tp / row;
    s->fp_rate = neg_total == 0 ? 0 : fp / neg_total;
    s->precision = col == 0 ? 0 : tp / col;
    s->recall = s->tp_rate;
    double p = s->precision, r = s->recall;
    s->f_measure = p + r == 0 ? 0 : 2 * p * r / (p + r);
    if (row == 0)
        s->undefined |= BAIOT_EVAL_UNDEF_TP_RATE;
    if (neg_total == 0)
        s->undefined |= BAIOT_EVAL_UNDEF_FP_RATE;
    if (col == 0)
        s->undefined |= BAIOT_EVAL_UNDEF_PRECISION;
    /* 3.8: F is NaN when precision or recall is, 0 when both are 0 */
    if (s->undefined & (BAIOT_EVAL_UNDEF_TP_RATE | BAIOT_EVAL_UNDEF_PRECISION))
        s->undefined |= BAIOT_EVAL_UNDEF_F_MEASURE;
    /* 3.8's MCC: (TP TN - FP FN) / sqrt of the four margins' product */
    double num = (tp * tn) - (fp * fn);
    double den = sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
    s->mcc = num / den;
    if (isnan(s->mcc))
        s->undefined |= BAIOT_EVAL_UNDEF_MCC;
}

/* The 3.8 value of a per-class figure (NaN when undefined). */
static double value38(const baiot_eval_class_stats *s, double v, unsigned bit)
{
    return (s->undefined & bit) ? NAN : v;
}

/* Every figure of the results: the summary from the accumulators (Weka's
 * formulas: percentages over the known-class weight, errors over the
 * classified weight, prior errors over the known-class weight), the
 * per-class figures from the confusion matrix, each class's curve areas
 * from one sweep of the sorted rows, and the weighted averages.  Allocates
 * the sort scratch for the call only; caches the result until the next
 * add / set_priors. */
baiot_status baiot_eval_compute(baiot_eval *e, const baiot_eval_results **out)
{
    sweep_scratch sw;
    if (!e || !out)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_compute: NULL argument");
    *out = NULL;
    if (!e->dirty) {
        *out = &e->results;
        return BAIOT_OK;
    }
    int k = e->k;
    baiot_status st = alloc_scratch(e->n, &sw);
    if (st != BAIOT_OK)
        return st;

    baiot_eval_results *r = &e->results;
    memset(r, 0, sizeof *r);
    r->n_classes = k;
    r->n_predictions = e->n;
    r->num_instances = e->with_class;
    r->correct = e->correct;
    r->incorrect = e->incorrect;
    r->unclassified = e->unclassified;
    r->missing_class = e->missing_class;
    r->pct_correct = 100 * e->correct / e->with_class;
    r->pct_incorrect = 100 * e->incorrect / e->with_class;
    r->pct_unclassified = 100 * e->unclassified / e->with_class;

    /* kappa from the confusion matrix */
    {
        const double *cm = e->confusion;
        double sum_all = 0, chance = 0, agree = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                sum_all += cm[(size_t)i * k + j];
        for (int i = 0; i < k; i++) {
            double rs = 0, cs = 0;
            for (int j = 0; j < k; j++) {
                rs += cm[(size_t)i * k + j];
                cs += cm[(size_t)j * k + i];
            }
            chance += rs * cs;
            agree += cm[(size_t)i * k + i];
        }
        chance /= (sum_all * sum_all);
        agree /= sum_all;
        r->kappa = chance < 1 ? (agree - chance) / (1 - chance) : 1;
    }
    double classified = e->with_class - e->unclassified;
    r->mean_absolute_error = e->sum_abs_err / classified;
    r->root_mean_squared_error = sqrt(e->sum_sqr_err / classified);
    r->mean_prior_absolute_error = e->sum_prior_abs_err / e->with_class;
    r->root_mean_prior_squared_error = sqrt(e->sum_prior_sqr_err / e->with_class);
    r->relative_absolute_error = 100 * r->mean_absolute_error / r->mean_prior_absolute_error;
    r->root_relative_squared_error =
        100.0 * r->root_mean_squared_error / r->root_mean_prior_squared_error;
    r->confusion = e->confusion;
    r->per_class = e->per_class;

    for (int c = 0; c < k; c++) {
        baiot_eval_class_stats *s = &e->per_class[c];
        curve_out co;
        class_stats(e, c, s);
        sweep_class(e, c, &sw, NULL, &co);
        s->roc_area = co.roc_area;
        s->prc_area = co.prc_area;
        if (isnan(s->roc_area))
            s->undefined |= BAIOT_EVAL_UNDEF_ROC_AREA;
        if (isnan(s->prc_area))
            s->undefined |= BAIOT_EVAL_UNDEF_PRC_AREA;
    }
    free_scratch(&sw);

    /* weighted averages, weights = the actual class counts (matrix rows):
     * 3.6.14 adds value * count over all classes (its values are never
     * NaN) but leaves NaN ROC areas out; 3.8 adds over classes with a
     * positive count and lets NaN through - the bits record that */
    {
        baiot_eval_class_stats *w = &r->weighted;
        double count_sum = 0;
        double t_tpr = 0, t_fpr = 0, t_prec = 0, t_f = 0, t_roc = 0, t_mcc = 0, t_prc = 0;
        for (int c = 0; c < k; c++) {
            double count = 0;
            for (int j = 0; j < k; j++)
                count += e->confusion[(size_t)c * k + j];
            count_sum += count;
            const baiot_eval_class_stats *s = &e->per_class[c];
            t_tpr += s->tp_rate * count;
            t_fpr += s->fp_rate * count;
            t_prec += s->precision * count;
            t_f += s->f_measure * count;
            if (!isnan(s->roc_area))
                t_roc += s->roc_area * count;
            if (count > 0) {
                t_mcc += s->mcc * count;
                t_prc += s->prc_area * count;
                w->undefined |= s->undefined;
            }
        }
        w->tp = w->fp = w->tn = w->fn = NAN;
        w->tp_rate = t_tpr / count_sum;
        w->fp_rate = t_fpr / count_sum;
        w->precision = t_prec / count_sum;
        w->recall = w->tp_rate;
        w->f_measure = t_f / count_sum;
        w->roc_area = t_roc / count_sum;
        w->mcc = t_mcc / count_sum;
        w->prc_area = t_prc / count_sum;
        if (count_sum == 0) /* no rows: every average is 0 / 0 */
            w->undefined = BAIOT_EVAL_UNDEF_TP_RATE | BAIOT_EVAL_UNDEF_FP_RATE |
                           BAIOT_EVAL_UNDEF_PRECISION | BAIOT_EVAL_UNDEF_F_MEASURE |
                           BAIOT_EVAL_UNDEF_MCC | BAIOT_EVAL_UNDEF_ROC_AREA |
                           BAIOT_EVAL_UNDEF_PRC_AREA;
    }
    e->dirty = 0;
    *out = r;
    return BAIOT_OK;
}

/* ------------------------------------------------------------------ */
/* Weka's text blocks                                                  */
/* ------------------------------------------------------------------ */

/* Utils.doubleToString(v, width, dec) */
static const char *dts(double v, int width, int dec, char *buf)
{
    weka_numfmt_dts(v, width, dec, buf, WEKA_NUMFMT_MAX);
    return buf;
}

static baiot_status check_written(FILE *f, const char *what)
{
    if (ferror(f))
        return baiot_fail(BAIOT_ERR_IO, "%s: write error", what);
    return BAIOT_OK;
}

/* Evaluation.toSummaryString(): 35-character labels, numbers through
 * doubleToString(v, 12, 4); the accuracy lines only when some row has a
 * class. */
baiot_status baiot_eval_print_summary(baiot_eval *e, baiot_eval_layout layout, FILE *f)
{
    const baiot_eval_results *r;
    char a[WEKA_NUMFMT_MAX], b[WEKA_NUMFMT_MAX];
    if (!f)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_print_summary: NULL FILE");
    baiot_status st = baiot_eval_compute(e, &r);
    if (st != BAIOT_OK)
        return st;
    (void)layout; /* both versions print the same summary lines */
    fputs("=== Summary ===\n\n", f);
    if (r->num_instances > 0) {
        fprintf(f, "Correctly Classified Instances     %s     %s %%\n",
                dts(r->correct, 12, 4, a), dts(r->pct_correct, 12, 4, b));
        fprintf(f, "Incorrectly Classified Instances   %s     %s %%\n",
                dts(r->incorrect, 12, 4, a), dts(r->pct_incorrect, 12, 4, b));
        fprintf(f, "Kappa statistic                    %s\n", dts(r->kappa, 12, 4, a));
        fprintf(f, "Mean absolute error                %s\n",
                dts(r->mean_absolute_error, 12, 4, a));
        fprintf(f, "Root mean squared error            %s\n",
                dts(r->root_mean_squared_error, 12, 4, a));
        fprintf(f, "Relative absolute error            %s %%\n",
                dts(r->relative_absolute_error, 12, 4, a));
        fprintf(f, "Root relative squared error        %s %%\n",
                dts(r->root_relative_squared_error, 12, 4, a));
    }
    if (r->unclassified > EVAL_WEKA_SMALL)
        fprintf(f, "UnClassified Instances             %s     %s %%\n",
                dts(r->unclassified, 12, 4, a), dts(r->pct_unclassified, 12, 4, b));
    fprintf(f, "Total Number of Instances          %s\n", dts(r->num_instances, 12, 4, a));
    if (r->missing_class > 0)
        fprintf(f, "Ignored Class Unknown Instances            %s\n",
                dts(r->missing_class, 12, 4, a));
    return check_written(f, "baiot_eval_print_summary");
}

/* A 3.8 class-details cell: String.format("%-<w>.3f", v), or "?" padded. */
static void cell38(FILE *f, double v, int width)
{
    char s[WEKA_NUMFMT_MAX];
    if (isnan(v))
        snprintf(s, sizeof s, "?");
    else
        weka_numfmt_java_fixed(v, 3, s, sizeof s);
    fprintf(f, "%-*s", width, s);
}

/* One 3.8 row: the eight columns (values NaN where 3.8 has them NaN). */
static void row38(FILE *f, const baiot_eval_class_stats *s, double roc)
{
    cell38(f, value38(s, s->tp_rate, BAIOT_EVAL_UNDEF_TP_RATE), 9);
    cell38(f, value38(s, s->fp_rate, BAIOT_EVAL_UNDEF_FP_RATE), 9);
    cell38(f, value38(s, s->precision, BAIOT_EVAL_UNDEF_PRECISION), 11);
    cell38(f, value38(s, s->recall, BAIOT_EVAL_UNDEF_TP_RATE), 9);
    cell38(f, value38(s, s->f_measure, BAIOT_EVAL_UNDEF_F_MEASURE), 11);
    cell38(f, value38(s, s->mcc, BAIOT_EVAL_UNDEF_MCC), 9);
    cell38(f, value38(s, roc, BAIOT_EVAL_UNDEF_ROC_AREA), 10);
    cell38(f, value38(s, s->prc_area, BAIOT_EVAL_UNDEF_PRC_AREA), 10);
}

/* Evaluation.toClassDetailsString(): 3.6.14 right-aligns doubleToString(v,
 * 7, 3) cells with fixed gaps and prints a NaN ROC area as '?'; 3.8
 * left-aligns String.format cells and prints every NaN as '?'. */
baiot_status baiot_eval_print_class_details(baiot_eval *e, baiot_eval_layout layout, FILE *f)
{
    const baiot_eval_results *r;
    char a[WEKA_NUMFMT_MAX], b[WEKA_NUMFMT_MAX], c3[WEKA_NUMFMT_MAX], d[WEKA_NUMFMT_MAX];
    char g[WEKA_NUMFMT_MAX], h[WEKA_NUMFMT_MAX];
    if (!f)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_print_class_details: NULL FILE");
    baiot_status st = baiot_eval_compute(e, &r);
    if (st != BAIOT_OK)
        return st;
    fputs("=== Detailed Accuracy By Class ===\n\n", f);
    if (layout == BAIOT_EVAL_LAYOUT_WEKA38) {
        fputs("                 TP Rate  FP Rate  Precision  Recall   F-Measure  MCC      "
              "ROC Area  PRC Area  Class\n", f);
        for (int c = 0; c < r->n_classes; c++) {
            fputs("                 ", f);
            row38(f, &r->per_class[c], r->per_class[c].roc_area);
            fprintf(f, "%s\n", e->class_names[c]);
        }
        fputs("Weighted Avg.    ", f);
        row38(f, &r->weighted, r->weighted.roc_area);
        fputs("\n", f);
    } else {
        fputs("               TP Rate   FP Rate   Precision   Recall  F-Measure   ROC Area  Class\n",
              f);
        for (int c = 0; c < r->n_classes; c++) {
            const baiot_eval_class_stats *s = &r->per_class[c];
            fprintf(f, "               %s   %s    %s   %s   %s    %s    %s\n",
                    dts(s->tp_rate, 7, 3, a), dts(s->fp_rate, 7, 3, b),
                    dts(s->precision, 7, 3, c3), dts(s->recall, 7, 3, d),
                    dts(s->f_measure, 7, 3, g),
                    isnan(s->roc_area) ? "  ?    " : dts(s->roc_area, 7, 3, h),
                    e->class_names[c]);
        }
        const baiot_eval_class_stats *w = &r->weighted;
        fprintf(f, "Weighted Avg.  %s   %s    %s   %s   %s    %s\n", dts(w->tp_rate, 7, 3, a),
                dts(w->fp_rate, 7, 3, b), dts(w->precision, 7, 3, c3),
                dts(w->recall, 7, 3, d), dts(w->f_measure, 7, 3, g),
                dts(w->roc_area, 7, 3, h));
    }
    return check_written(f, "baiot_eval_print_class_details");
}

/* Weka's label of class num: letters a..z, then aa, ab, ... (a bijective
 * base 26), right-aligned in width characters. */
static void short_id(int num, int width, char *out)
{
    if (width <= 0) {
        out[0] = '\0';
        return;
    }
    int i;
    for (i = width - 1; i >= 0; i--) {
        out[i] = (char)('a' + num % 26);
        num = num / 26 - 1;
        if (num < 0)
            break;
    }
    for (i--; i >= 0; i--)
        out[i] = ' ';
    out[width] = '\0';
}

/* Evaluation.toMatrixString(): all cells in one width, from the largest
 * cell's decimal digits (+3 with two decimals when some cell's fraction
 * above its rounding is >= 0.01) and the letters the class count needs.
 * Writes nothing but the text; allocates nothing. */
baiot_status baiot_eval_print_matrix(baiot_eval *e, FILE *f)
{
    char num[WEKA_NUMFMT_MAX];
    char id[WEKA_NUMFMT_MAX];
    if (!e || !f)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_print_matrix: NULL argument");
    int k = e->k;
    /* the widest cell and whether any cell shows a fraction >= 0.01 */
    double maxval = 0;
    int fractional = 0;
    for (int i = 0; i < k * k; i++) {
        double cur = e->confusion[i];
        if (cur < 0)
            cur *= -10;
        if (cur > maxval)
            maxval = cur;
        double fract = cur - rint(cur);
        if (!fractional && (log(fract) / log(10)) >= -2)
            fractional = 1;
    }
    int w1 = java_int(log(maxval) / log(10) + (fractional ? 3 : 0));
    int w2 = java_int(log((double)k) / log(26));
    int id_width = 1 + (w1 > w2 ? w1 : w2);
    /* at most 1 + 308 + 3 for finite cells; the clamp only guards id[] */
    if (id_width > (int)sizeof id - 1)
        id_width = (int)sizeof id - 1;
    fputs("=== Confusion Matrix ===\n\n", f);
    for (int i = 0; i < k; i++) {
        if (fractional) {
            short_id(i, id_width - 3, id);
            fprintf(f, " %s   ", id);
        } else {
            short_id(i, id_width, id);
            fprintf(f, " %s", id);
        }
    }
    fputs("   <-- classified as\n", f);
    for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++)
            fprintf(f, " %s",
                    dts(e->confusion[(size_t)i * k + j], id_width, fractional ? 2 : 0, num));
        short_id(i, id_width, id);
        fprintf(f, " | %s = %s\n", id, e->class_names[i]);
    }
    return check_written(f, "baiot_eval_print_matrix");
}

baiot_status baiot_eval_print_report(baiot_eval *e, baiot_eval_layout layout,
                                     const char *title, FILE *f)
{
    const baiot_eval_results *r;
    if (!e || !f)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_print_report: NULL argument");
    /* compute first, so that a failure writes nothing */
    baiot_status st = baiot_eval_compute(e, &r);
    if (st != BAIOT_OK)
        return st;
    fprintf(f, "%s\n", title ? title : "=== Stratified cross-validation ===");
    st = baiot_eval_print_summary(e, layout, f);
    if (st == BAIOT_OK) {
        fputs("\n", f);
        st = baiot_eval_print_class_details(e, layout, f);
    }
    if (st == BAIOT_OK) {
        fputs("\n", f);
        st = baiot_eval_print_matrix(e, f);
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* JSON and CSV                                                        */
/* ------------------------------------------------------------------ */

static void json_field(FILE *f, const char *indent, const char *name, double v, int last)
{
    fprintf(f, "%s\"%s\": ", indent, name);
    json_write_number(f, v);
    fputs(last ? "\n" : ",\n", f);
}

static const char *const undef_names[] = {"tp_rate", "fp_rate", "precision", "f_measure",
                                          "mcc", "roc_area", "prc_area"};

static void json_class_stats(FILE *f, const baiot_eval_class_stats *s, int with_counts,
                             const char *indent)
{
    if (with_counts) {
        json_field(f, indent, "tp", s->tp, 0);
        json_field(f, indent, "fp", s->fp, 0);
        json_field(f, indent, "tn", s->tn, 0);
        json_field(f, indent, "fn", s->fn, 0);
    }
    json_field(f, indent, "tp_rate", s->tp_rate, 0);
    json_field(f, indent, "fp_rate", s->fp_rate, 0);
    json_field(f, indent, "precision", s->precision, 0);
    json_field(f, indent, "recall", s->recall, 0);
    json_field(f, indent, "f_measure", s->f_measure, 0);
    json_field(f, indent, "mcc", s->mcc, 0);
    json_field(f, indent, "roc_area", s->roc_area, 0);
    json_field(f, indent, "prc_area", s->prc_area, 0);
    fprintf(f, "%s\"undefined\": [", indent);
    int first = 1;
    for (unsigned b = 0; b < sizeof undef_names / sizeof *undef_names; b++)
        if (s->undefined & (1u << b)) {
            fprintf(f, "%s\"%s\"", first ? "" : ", ", undef_names[b]);
            first = 0;
        }
    fputs("]\n", f);
}

baiot_status baiot_eval_write_json(baiot_eval *e, FILE *f)
{
    const baiot_eval_results *r;
    if (!f)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_write_json: NULL FILE");
    baiot_status st = baiot_eval_compute(e, &r);
    if (st != BAIOT_OK)
        return st;
    int k = r->n_classes;
    fputs("{\n  \"format\": \"baiot-evaluation\",\n  \"version\": 1,\n", f);
    fputs("  \"reference\": \"Weka 3.6.14 Evaluation (MCC, PRC area: Weka 3.8)\",\n", f);
    fprintf(f, "  \"n_classes\": %d,\n  \"class_names\": [", k);
    for (int c = 0; c < k; c++) {
        if (c)
            fputs(", ", f);
        json_write_string(f, e->class_names[c]);
    }
    fprintf(f, "],\n  \"n_predictions\": %lld,\n  \"summary\": {\n", (long long)r->n_predictions);
    const char *in2 = "    ";
    json_field(f, in2, "correct", r->correct, 0);
    json_field(f, in2, "incorrect", r->incorrect, 0);
    json_field(f, in2, "unclassified", r->unclassified, 0);
    json_field(f, in2, "pct_correct", r->pct_correct, 0);
    json_field(f, in2, "pct_incorrect", r->pct_incorrect, 0);
    json_field(f, in2, "pct_unclassified", r->pct_unclassified, 0);
    json_field(f, in2, "kappa", r->kappa, 0);
    json_field(f, in2, "mean_absolute_error", r->mean_absolute_error, 0);
    json_field(f, in2, "root_mean_squared_error", r->root_mean_squared_error, 0);
    json_field(f, in2, "relative_absolute_error", r->relative_absolute_error, 0);
    json_field(f, in2, "root_relative_squared_error", r->root_relative_squared_error, 0);
    json_field(f, in2, "mean_prior_absolute_error", r->mean_prior_absolute_error, 0);
    json_field(f, in2, "root_mean_prior_squared_error", r->root_mean_prior_squared_error, 0);
    json_field(f, in2, "num_instances", r->num_instances, 0);
    json_field(f, in2, "missing_class", r->missing_class, 1);
    fputs("  },\n  \"confusion_matrix\": [\n", f);
    for (int i = 0; i < k; i++) {
        fputs("    [", f);
        for (int j = 0; j < k; j++) {
            if (j)
                fputs(", ", f);
            json_write_number(f, r->confusion[(size_t)i * k + j]);
        }
        fputs(i + 1 < k ? "],\n" : "]\n", f);
    }
    fputs("  ],\n  \"per_class\": [\n", f);
    for (int c = 0; c < k; c++) {
        fputs("    {\n      \"class\": ", f);
        json_write_string(f, e->class_names[c]);
        fprintf(f, ",\n      \"index\": %d,\n", c);
        json_class_stats(f, &r->per_class[c], 1, "      ");
        fputs(c + 1 < k ? "    },\n" : "    }\n", f);
    }
    fputs("  ],\n  \"weighted_avg\": {\n", f);
    json_class_stats(f, &r->weighted, 0, "    ");
    fputs("  }\n}\n", f);
    return check_written(f, "baiot_eval_write_json");
}

baiot_status baiot_eval_write_roc(baiot_eval *e, int class_index, FILE *csv, FILE *json)
{
    const baiot_eval_results *r;
    const baiot_eval_roc_point *pts;
    int64_t n;
    baiot_status st = baiot_eval_compute(e, &r);
    if (st != BAIOT_OK)
        return st;
    st = baiot_eval_roc(e, class_index, &pts, &n);
    if (st != BAIOT_OK)
        return st;
    if (csv) {
        fputs("threshold,tpr,fpr,tp,fn,fp,tn,precision\n", csv);
        for (int64_t i = 0; i < n; i++) {
            const double v[8] = {pts[i].threshold, pts[i].tpr, pts[i].fpr, pts[i].tp,
                                 pts[i].fn, pts[i].fp, pts[i].tn, pts[i].precision};
            for (int j = 0; j < 8; j++) {
                if (j)
                    fputc(',', csv);
                json_write_number(csv, v[j]);
            }
            fputc('\n', csv);
        }
        st = check_written(csv, "baiot_eval_write_roc (CSV)");
        if (st != BAIOT_OK)
            return st;
    }
    if (json) {
        const baiot_eval_class_stats *s = &r->per_class[class_index];
        fputs("{\n  \"format\": \"baiot-roc-curve\",\n  \"version\": 1,\n  \"class\": ", json);
        json_write_string(json, e->class_names[class_index]);
        fprintf(json, ",\n  \"class_index\": %d,\n  \"roc_area\": ", class_index);
        json_write_number(json, s->roc_area);
        fputs(",\n  \"prc_area\": ", json);
        json_write_number(json, s->prc_area);
        fprintf(json, ",\n  \"n_points\": %lld", (long long)n);
        static const char *const cols[] = {"threshold", "tpr", "fpr", "tp",
                                           "fn", "fp", "tn", "precision"};
        for (int j = 0; j < 8; j++) {
            fprintf(json, ",\n  \"%s\": [", cols[j]);
            for (int64_t i = 0; i < n; i++) {
                const double v[8] = {pts[i].threshold, pts[i].tpr, pts[i].fpr, pts[i].tp,
                                     pts[i].fn, pts[i].fp, pts[i].tn, pts[i].precision};
                if (i)
                    fputs(", ", json);
                json_write_number(json, v[j]);
            }
            fputc(']', json);
        }
        fputs("\n}\n", json);
        st = check_written(json, "baiot_eval_write_roc (JSON)");
    }
    return st;
}
