/*
 * eval_text.c - Weka's text blocks of an evaluation: toSummaryString,
 * toClassDetailsString (3.6 and 3.8 layouts), toMatrixString and the
 * Explorer's report that strings them together.
 *
 * Guarantees: Weka 3.6.14's text character for character (numbers through
 * Utils.doubleToString, engine/weka/weka_numfmt.c); the 3.8 layout prints
 * '?' exactly where 3.8 leaves a figure undefined.  Every printer returns
 * BAIOT_ERR_IO when the stream reports a write error.
 * Covered by tests/unit/test_evaluation.c (Weka's own texts).
 */
#include "engine/evaluation/eval_internal.h"

#include "engine/weka/weka_numfmt.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Weka prints "UnClassified Instances" only when their weight exceeds
 * Utils.SMALL (Utils.gr; 3.6.14 too: tests/golden probe-tinyunclassified). */
#define EVAL_WEKA_SMALL 1e-6

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

/* The 3.8 value of a per-class figure (NaN when undefined). */
static double value38(const baiot_eval_class_stats *s, double v, unsigned bit)
{
    return (s->undefined & bit) ? NAN : v;
}

/* Utils.doubleToString(v, width, dec) */
static const char *dts(double v, int width, int dec, char *buf)
{
    baiot_weka_numfmt_dts(v, width, dec, buf, WEKA_NUMFMT_MAX);
    return buf;
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
    return baiot_eval_check_written(f, "baiot_eval_print_summary");
}

/* A 3.8 class-details cell: String.format("%-<w>.3f", v), or "?" padded. */
static void cell38(FILE *f, double v, int width)
{
    char s[WEKA_NUMFMT_MAX];
    if (isnan(v))
        snprintf(s, sizeof s, "?");
    else
        baiot_weka_numfmt_java_fixed(v, 3, s, sizeof s);
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
    return baiot_eval_check_written(f, "baiot_eval_print_class_details");
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
    return baiot_eval_check_written(f, "baiot_eval_print_matrix");
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
