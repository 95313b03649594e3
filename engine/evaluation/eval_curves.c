/*
 * eval_curves.c - Weka's threshold curves (ThresholdCurve) of an
 * evaluation: per class the rows sorted by that class's probability (ties
 * in row order), swept from the top to give the curve points and, in the
 * same pass, the ROC area (Mann-Whitney with ties as 1/2, getROCArea's
 * order) and the PRC area (Weka 3.8's rules); baiot_eval_roc caches one
 * class's curve in the handle.
 *
 * Guarantees: the (probability, row) order comes from a stable radix sort
 * (kernels/sort_keys.h); a bottom-up merge sort gives the same order when
 * the radix sort's arrays cannot be had, so results never depend on
 * memory.  Rows with a missing class count as negatives of every class
 * (Weka's curves do).  The scratch is held only for the call.
 * Covered by tests/unit/test_evaluation.c (Weka's curve points, brute-force
 * Mann-Whitney areas, allocation failures).
 */
#include "engine/evaluation/eval_internal.h"

#include "kernels/sort_keys.h"

#include <math.h>
#include <string.h>

/* The terminal point of Weka's threshold curve sits this far above the
 * largest probability (ThresholdCurve: "+ 10e-6"). */
#define EVAL_CURVE_TERMINAL_STEP 10e-6

static int key_less(const baiot_eval_key *a, const baiot_eval_key *b)
{
    return a->p < b->p || (a->p == b->p && a->row < b->row);
}

/* The fallback sort (when the radix sort's arrays cannot be had): sorts
 * keys[0..n) ascending by (p, row) with tmp[0..n) as scratch, a
 * bottom-up merge sort (deterministic, O(n log n)). */
static void sort_keys(baiot_eval_key *keys, baiot_eval_slot *tmp, int64_t n)
{
    baiot_eval_key *src = keys;
    int in_tmp = 0;
    for (int64_t width = 1; width < n; width *= 2) {
        baiot_eval_key *from = in_tmp ? &tmp[0].key : src;
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

/* The running state of one sweep: the counts of the current point and the
 * ROC area summed point by point in getROCArea's order. */
typedef struct sweep_state {
    double tp, fn, fp, tn;
    baiot_eval_roc_point *points; /* NULL: areas only */
    baiot_eval_slot *pr;                /* (precision, recall) per point, 3.8 rules */
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
void baiot_eval_sweep_class(const baiot_eval *e, int c, const baiot_eval_scratch *w, baiot_eval_roc_point *points,
                        baiot_eval_curve_out *out)
{
    int64_t n = e->n;
    int k = e->k;
    baiot_eval_key *keys = w->keys;
    baiot_eval_slot *tmp = w->tmp;
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
        baiot_sort_workspace_sort(&w->sort, w->p, w->idx, n);
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
static void free_radix(baiot_eval_scratch *w)
{
    baiot_free(w->p);
    baiot_free(w->idx);
    baiot_sort_workspace_free(&w->sort);
    w->p = NULL;
    w->idx = NULL;
}

void baiot_eval_scratch_free(baiot_eval_scratch *w)
{
    baiot_free(w->keys);
    baiot_free(w->tmp);
    free_radix(w);
    memset(w, 0, sizeof *w);
}

/* Allocates the sort scratch for n rows (the radix sort's arrays when n
 * fits its 32-bit row indices and the memory is there; else the merge
 * sort runs). */
baiot_status baiot_eval_scratch_alloc(int64_t n, baiot_eval_scratch *w)
{
    memset(w, 0, sizeof *w);
    w->keys = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof *w->keys);
    w->tmp = baiot_malloc((size_t)(n + 1) * sizeof *w->tmp);
    if (!w->keys || !w->tmp) {
        baiot_eval_scratch_free(w);
        return baiot_fail(BAIOT_ERR_MEMORY, "evaluation: out of memory sorting %lld rows",
                          (long long)n);
    }
    if (n > 0 && n <= INT32_MAX) {
        w->p = baiot_malloc((size_t)n * sizeof *w->p);
        w->idx = baiot_malloc((size_t)n * sizeof *w->idx);
        if (!w->p || !w->idx || baiot_sort_workspace_alloc(&w->sort, n) != BAIOT_OK)
            free_radix(w);
    }
    return BAIOT_OK;
}

baiot_status baiot_eval_roc(baiot_eval *e, int class_index,
                            const baiot_eval_roc_point **out_points, int64_t *out_n)
{
    baiot_eval_scratch w;
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
        baiot_status st = baiot_eval_scratch_alloc(e->n, &w);
        if (st != BAIOT_OK)
            return st;
        e->curve = baiot_malloc((size_t)(e->n + 1) * sizeof *e->curve);
        if (!e->curve) {
            baiot_eval_scratch_free(&w);
            return baiot_fail(BAIOT_ERR_MEMORY, "baiot_eval_roc: out of memory");
        }
        baiot_eval_curve_out co;
        baiot_eval_sweep_class(e, class_index, &w, e->curve, &co);
        baiot_eval_scratch_free(&w);
        e->curve_n = co.n_points;
        e->curve_class = class_index;
        /* results stay as they are: the curve does not change them */
    }
    *out_points = e->curve;
    *out_n = e->curve_n;
    return BAIOT_OK;
}
