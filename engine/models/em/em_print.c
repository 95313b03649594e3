/*
 * em_print.c - EM's text output: the model as Weka 3.6.14's EM.toString()
 * prints it (baiot_em_print; full covariance: per cluster the prior, the
 * means and the covariance matrix), and ClusterEvaluation's "Clustered
 * Instances", "Log likelihood" and classes-to-clusters blocks
 * (baiot_em_print_evaluation).
 *
 * Guarantees: Weka's layout character for character (numbers through
 * Utils.doubleToString, engine/weka/weka_numfmt.c); the printers return
 * BAIOT_ERR_IO when the stream reports a write error and BAIOT_ERR_MEMORY
 * when their scratch cannot be had.
 * Covered by tests/cli/test_em_golden.py (Weka's own text) and
 * tests/cli/test_em_full.py.
 */
#include "engine/models/em/em_internal.h"

#include "engine/weka/weka_numfmt.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void pad_left(FILE *f, const char *s, int width)
{
    int len = (int)strlen(s);
    for (int i = len; i < width; i++)
        fputc(' ', f);
    fputs(s, f);
}

static void pad_right(FILE *f, const char *s, int width)
{
    int len = (int)strlen(s);
    fputs(s, f);
    for (int i = len; i < width; i++)
        fputc(' ', f);
}

/* Utils.doubleToString(x, width, dec).trim() */
static const char *dts_trim(double x, int width, int dec, char *buf, size_t cap)
{
    baiot_weka_numfmt_dts(x, width, dec, buf, cap);
    char *s = buf;
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = 0;
    return s;
}

/* BAIOT_ERR_IO when f reports a write error. */
static baiot_status check_written(FILE *f)
{
    if (ferror(f))
        return baiot_fail(BAIOT_ERR_IO, "EM output: write error");
    return BAIOT_OK;
}

/* The full-covariance model as text: per cluster its prior, then one row
 * per attribute: the mean and that row of the covariance matrix. */
static void print_full(const baiot_em_model *m, const baiot_view *v, FILE *f)
{
    const int k = m->k, d = m->d;
    const int64_t dd = (int64_t)d * d;
    int attw = 9;
    for (int j = 0; j < d; j++) {
        int l = (int)strlen(v->attrs[j].name);
        if (l > attw)
            attw = l;
    }
    fprintf(f, "\nEM (full covariance)\n====================\n\n");
    if (m->by_cv)
        fprintf(f, "Number of clusters selected by cross validation: %d\n", k);
    else
        fprintf(f, "Number of clusters: %d\n", k);
    fprintf(f, "Iterations: %d\nCovariance regularisation: %g\n", m->iterations, m->reg_covar);
    for (int c = 0; c < k; c++) {
        fprintf(f, "\nCluster %d (prior %.4f)\n", c, m->fit.prior[c]);
        fprintf(f, "%-*s %13s   covariance\n", attw, "Attribute", "mean");
        for (int i = 0; i < d; i++) {
            fprintf(f, "%-*s %13.6g  ", attw, v->attrs[i].name, m->fit.mean[c * d + i]);
            for (int j = 0; j < d; j++)
                fprintf(f, " %13.6g", m->cov[c * dd + (int64_t)j * d + i]);
            fputc('\n', f);
        }
    }
    fputc('\n', f);
}

baiot_status baiot_em_print(const baiot_em_model *m, const baiot_view *v, FILE *f)
{
    if (m->cov) {
        print_full(m, v, f);
        return check_written(f);
    }
    const int k = m->k, d = m->d;
    char buf[WEKA_NUMFMT_MAX];
    int maxw = 0, attw = 0;
    for (int j = 0; j < d; j++) {
        int l = (int)strlen(v->attrs[j].name);
        if (l > attw)
            attw = l;
        if (m->nvals[j])
            for (int a = 0; a < v->attrs[j].n_values; a++) {
                l = (int)strlen(v->attrs[j].values[a]) + 2;
                if (l > attw)
                    attw = l;
            }
    }
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++) {
            if (!m->nvals[j]) {
                double mw = log(fabs(m->fit.mean[c * d + j])) / log(10.0);
                double sw = log(fabs(m->fit.sd[c * d + j])) / log(10.0);
                double w = mw > sw ? mw : sw;
                if (w < 0)
                    w = 1;
                w += 6.0;
                if ((int)w > maxw)
                    maxw = (int)w;
            } else {
                /* nominal: the printed count's own length (Weka 3.6.14:
                 * counts 1, 2, 4 give columns 2 wide; the priors never
                 * widen the columns: "(0.25)(0.5)(0.25)") */
                for (int a = 0; a <= m->nvals[j]; a++) {
                    int l = (int)strlen(dts_trim(baiot_em_count(m, c, j, a), 1, 4, buf, sizeof buf));
                    if (l > maxw)
                        maxw = l;
                }
            }
        }
    if (attw < 9)
        attw = 9;
    attw += 2;
    fprintf(f, "\nEM\n==\n\n");
    if (m->by_cv)
        fprintf(f, "Number of clusters selected by cross validation: %d\n", k);
    else
        fprintf(f, "Number of clusters: %d\n", k);
    fprintf(f, "\n\n");
    pad_left(f, "Cluster", attw + maxw + 1);
    fprintf(f, "\n");
    pad_right(f, "Attribute", attw);
    for (int c = 0; c < k; c++) {
        snprintf(buf, sizeof buf, "%d", c);
        pad_left(f, buf, maxw + 1);
    }
    fprintf(f, "\n");
    pad_right(f, "", attw);
    for (int c = 0; c < k; c++) {
        char p[WEKA_NUMFMT_MAX + 2];
        snprintf(p, sizeof p, "(%s)", dts_trim(m->fit.prior[c], maxw, 2, buf, sizeof buf));
        pad_left(f, p, maxw + 1);
    }
    fprintf(f, "\n");
    for (int i = 0; i < attw + (maxw + 1) * k + 1; i++)
        fputc('=', f);
    fprintf(f, "\n");
    for (int j = 0; j < d; j++) {
        fprintf(f, "%s\n", v->attrs[j].name);
        if (!m->nvals[j]) {
            pad_right(f, "  mean", attw + 1);
            for (int c = 0; c < k; c++)
                pad_left(f, dts_trim(m->fit.mean[c * d + j], maxw, 4, buf, sizeof buf), maxw + 1);
            fprintf(f, "\n");
            pad_right(f, "  std. dev.", attw + 1);
            for (int c = 0; c < k; c++)
                pad_left(f, dts_trim(m->fit.sd[c * d + j], maxw, 4, buf, sizeof buf), maxw + 1);
            fprintf(f, "\n\n");
        } else {
            for (int a = 0; a <= m->nvals[j]; a++) {
                char lab[1024];
                snprintf(lab, sizeof lab, "  %s", a < m->nvals[j] ? v->attrs[j].values[a] : "[total]");
                pad_right(f, lab, attw + 1);
                for (int c = 0; c < k; c++)
                    pad_left(f, dts_trim(baiot_em_count(m, c, j, a), maxw, 4, buf, sizeof buf), maxw + 1);
                fprintf(f, "\n");
            }
        }
    }
    return check_written(f);
}

baiot_status baiot_em_print_evaluation(const baiot_em_model *m, const baiot_view *v, const int *assign,
                                       double mean_loglik, const baiot_eval_c2c *c2c, FILE *f)
{
    const int k = m->k;
    char buf[WEKA_NUMFMT_MAX], buf2[WEKA_NUMFMT_MAX], buf3[WEKA_NUMFMT_MAX];
    int64_t *stats = baiot_calloc((size_t)k, sizeof *stats);
    if (!stats)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int64_t i = 0; i < v->n_rows; i++)
        stats[assign[i]]++;
    int cw = (int)(log((double)k) / log(10.0) + 1), nw = (int)(log((double)v->n_rows) / log(10.0) + 1);
    fprintf(f, "Clustered Instances\n\n");
    for (int c = 0; c < k; c++)
        if (stats[c] > 0) {
            baiot_weka_numfmt_dts(c, cw, 0, buf, sizeof buf);
            baiot_weka_numfmt_dts((double)stats[c], nw, 0, buf2, sizeof buf2);
            baiot_weka_numfmt_dts((double)stats[c] / (double)v->n_rows * 100.0, 3, 0, buf3, sizeof buf3);
            fprintf(f, "%s      %s (%s%%)\n", buf, buf2, buf3);
        }
    baiot_weka_numfmt_dts(mean_loglik, 1, 5, buf, sizeof buf);
    fprintf(f, "\n\nLog likelihood: %s\n\n", buf);
    baiot_free(stats);
    if (!c2c)
        return check_written(f);
    fprintf(f, "\nClass attribute: %s\nClasses to Clusters:\n\n", v->class_name ? v->class_name : "class");
    int64_t maxval = 0;
    for (int64_t i = 0; i < (int64_t)c2c->k * c2c->n_classes; i++)
        if (c2c->counts[i] > maxval)
            maxval = c2c->counts[i];
    int a = (int)(log((double)maxval) / log(10.0)), b = (int)(log((double)k) / log(10.0));
    if (maxval == 0)
        a = INT32_MIN;
    int w = 1 + (a > b ? a : b);
    for (int c = 0; c < k; c++)
        if (c2c->totals[c] > 0) {
            baiot_weka_numfmt_dts(c, w, 0, buf, sizeof buf);
            fprintf(f, " %s", buf);
        }
    fprintf(f, "  <-- assigned to cluster\n");
    for (int y = 0; y < c2c->n_classes; y++) {
        for (int c = 0; c < k; c++)
            if (c2c->totals[c] > 0) {
                baiot_weka_numfmt_dts((double)c2c->counts[(int64_t)c * c2c->n_classes + y], w, 0, buf, sizeof buf);
                fprintf(f, " %s", buf);
            }
        fprintf(f, " | %s\n", v->class_names[y]);
    }
    fprintf(f, "\n");
    for (int c = 0; c < k; c++)
        if (c2c->totals[c] > 0) /* Weka lists only the clusters that got rows */
            fprintf(f, "Cluster %*d <-- %s\n", (int)(log((double)k) / log(10.0)) + 1, c,
                    c2c->cluster_class[c] < 0 ? "No class" : v->class_names[c2c->cluster_class[c]]);
    baiot_weka_numfmt_java_double((double)c2c->incorrect, buf, sizeof buf);
    baiot_weka_numfmt_dts((double)c2c->incorrect / (double)c2c->n * 100.0, 8, 4, buf2, sizeof buf2);
    fprintf(f, "\nIncorrectly clustered instances :\t%s\t%s %%\n\n", buf, buf2);
    return check_written(f);
}
