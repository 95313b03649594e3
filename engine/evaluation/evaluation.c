/*
 * evaluation.c - Weka's evaluation of a nominal-class classifier from its
 * pooled test predictions (include/baiot/evaluation.h): the handle, the
 * priors, the per-row accumulators and the figures computed from them.
 * The threshold curves are in eval_curves.c, Weka's text in eval_text.c,
 * JSON and CSV in eval_json.c (eval_internal.h lists the files).
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
 * Covered by tests/unit/test_evaluation.c.
 */
#include "engine/evaluation/eval_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
/* figures                                                             */
/* ------------------------------------------------------------------ */


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


/* Every figure of the results: the summary from the accumulators (Weka's
 * formulas: percentages over the known-class weight, errors over the
 * classified weight, prior errors over the known-class weight), the
 * per-class figures from the confusion matrix, each class's curve areas
 * from one sweep of the sorted rows, and the weighted averages.  Allocates
 * the sort scratch for the call only; caches the result until the next
 * add / set_priors. */
baiot_status baiot_eval_compute(baiot_eval *e, const baiot_eval_results **out)
{
    baiot_eval_scratch sw;
    if (!e || !out)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_compute: NULL argument");
    *out = NULL;
    if (!e->dirty) {
        *out = &e->results;
        return BAIOT_OK;
    }
    int k = e->k;
    baiot_status st = baiot_eval_scratch_alloc(e->n, &sw);
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
        baiot_eval_curve_out co;
        class_stats(e, c, s);
        baiot_eval_sweep_class(e, c, &sw, NULL, &co);
        s->roc_area = co.roc_area;
        s->prc_area = co.prc_area;
        if (isnan(s->roc_area))
            s->undefined |= BAIOT_EVAL_UNDEF_ROC_AREA;
        if (isnan(s->prc_area))
            s->undefined |= BAIOT_EVAL_UNDEF_PRC_AREA;
    }
    baiot_eval_scratch_free(&sw);

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
