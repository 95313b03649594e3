/*
 * detect_plots.c - the detector report's figures through io/plot (PNG and
 * SVG): detect-scores (the distribution of the scores of DSopt's benign
 * rows and of each attack in DStst, as cumulative fractions, with tr*
 * marked) and detect-windows (each kind's window alarm rate on DStst
 * against the window size, with ws* marked) and, for a scorer with a
 * training curve (the autoencoder), detect-training (log10 of the DStrn
 * and DSopt MSE per epoch, the kept epoch marked).
 *
 * Axes: scores span many decades (an attack row can score 1e12) and a
 * minus log density can be negative, so the score axis is the signed
 * logarithm sign(s) log10(1 + |s|): monotone, a log axis for large scores,
 * defined for every score.  Window sizes are on a log10 axis.  Each
 * distribution is drawn through at most DETECT_PLOT_POINTS quantiles.
 * Covered by tests/cli/test_detect.py (the figures exist and are whole).
 */
#include "engine/detect/detect_internal.h"

#include "io/plot/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DETECT_PLOT_POINTS 400

static double slog(double s)
{
    return s >= 0 ? log10(1 + s) : -log10(1 - s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The quantile curve of s[0..n) (sorted here) in x/y (at most
 * DETECT_PLOT_POINTS points); returns the points. */
static int64_t quantiles(double *s, int64_t n, double *x, double *y)
{
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    int64_t m = n < DETECT_PLOT_POINTS ? n : DETECT_PLOT_POINTS;
    for (int64_t i = 0; i < m; i++) {
        int64_t k = m > 1 ? i * (n - 1) / (m - 1) : 0;
        x[i] = slog(s[k]);
        y[i] = (double)(k + 1) / (double)n;
    }
    return m;
}

/* detect-training: log10 MSE per epoch of DStrn (as met) and DSopt. */
static baiot_status training_plot(const baiot_detect_run *r, const char *dir)
{
    const double *trn, *opt;
    if (!r->scorer->ops->curve)
        return BAIOT_OK;
    int n = r->scorer->ops->curve(r->scorer, &trn, &opt);
    if (n < 1)
        return BAIOT_OK;
    double *buf = baiot_malloc((size_t)n * 3 * sizeof *buf);
    if (!buf)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    double *ex = buf, *lt = buf + n, *lo = buf + 2 * n;
    for (int e = 0; e < n; e++) {
        ex[e] = e + 1;
        lt[e] = trn[e] > 0 ? log10(trn[e]) : NAN;
        lo[e] = opt[e] > 0 ? log10(opt[e]) : NAN;
    }
    plot_series series[2] = {{"DStrn (loss as the rows were met)", ex, lt, n}, {"DSopt (after the epoch)", ex, lo, n}};
    char title[256], base[4096];
    snprintf(title, sizeof title, "%s: autoencoder training curve", r->device);
    snprintf(base, sizeof base, "%s/detect-training", dir);
    baiot_status st = baiot_plot_lines(base, title, "epoch", "log10 MSE", series, 2, 0, NAN, NULL);
    baiot_free(buf);
    return st;
}

baiot_status baiot_detect_write_plots(const baiot_detect_run *r, const char *dir)
{
    const detect_eval *ev = &r->eval;
    int ns = ev->n_kinds; /* DSopt benign + each attack */
    plot_series series[DETECT_MAX_KINDS];
    double *xs = baiot_malloc((size_t)ns * DETECT_PLOT_POINTS * sizeof(double));
    double *ys = baiot_malloc((size_t)ns * DETECT_PLOT_POINTS * sizeof(double));
    double *buf = baiot_malloc((size_t)(r->split.n_tst > r->split.n_opt ? r->split.n_tst : r->split.n_opt) *
                               sizeof(double));
    baiot_status st = BAIOT_OK;
    char base[4096], label[DETECT_MAX_KINDS][80];
    if (!xs || !ys || !buf) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    memcpy(buf, r->opt_score, (size_t)r->split.n_opt * sizeof(double));
    snprintf(label[0], sizeof label[0], "benign (DSopt)");
    series[0].label = label[0];
    series[0].x = xs;
    series[0].y = ys;
    series[0].n = quantiles(buf, r->split.n_opt, xs, ys);
    for (int k = 1; k < ns; k++) {
        int64_t m = 0;
        int c = -1;
        for (int cc = 0; cc < r->n_classes; cc++)
            if (strcmp(r->class_names[cc], ev->kind[k].name) == 0)
                c = cc;
        for (int64_t i = 0; i < r->split.n_tst; i++)
            if (r->tst_y[i] == c)
                buf[m++] = r->tst_score[i];
        snprintf(label[k], sizeof label[k], "%s", ev->kind[k].name);
        series[k].label = label[k];
        series[k].x = xs + (size_t)k * DETECT_PLOT_POINTS;
        series[k].y = ys + (size_t)k * DETECT_PLOT_POINTS;
        series[k].n = quantiles(buf, m, xs + (size_t)k * DETECT_PLOT_POINTS, ys + (size_t)k * DETECT_PLOT_POINTS);
    }
    char title[256];
    snprintf(title, sizeof title, "%s: anomaly scores (%s), tr* marked", r->device, r->scorer->ops->method);
    snprintf(base, sizeof base, "%s/detect-scores", dir);
    if ((st = baiot_plot_lines(base, title, "score, signed log: sign(s) log10(1+|s|)", "fraction of rows <= score",
                               series, ns, 1, slog(r->tr), "tr*")))
        goto done;
    /* detection rate against the window size */
    double gx[DETECT_N_WINDOW_GRID + 1];
    for (int w = 0; w < ev->n_grid; w++)
        gx[w] = log10((double)ev->grid[w]);
    for (int k = 0; k < ns; k++) {
        snprintf(label[k], sizeof label[k], "%s%s", ev->kind[k].name, ev->kind[k].benign ? " (DStst, FPR)" : "");
        series[k].label = label[k];
        series[k].x = gx;
        series[k].y = ev->kind[k].grid_rate;
        series[k].n = ev->n_grid;
    }
    snprintf(title, sizeof title, "%s: window alarm rate on DStst, ws* = %d marked", r->device, r->ws);
    snprintf(base, sizeof base, "%s/detect-windows", dir);
    if ((st = baiot_plot_lines(base, title, "log10 window size (rows)", "alarming windows (TPR; benign: FPR)", series,
                               ns, 1, log10((double)r->ws), "ws*")))
        goto done;
    st = training_plot(r, dir);
done:
    baiot_free(xs);
    baiot_free(ys);
    baiot_free(buf);
    return st;
}
