/*
 * study_plots.c - the figures of a study report, each as PNG and SVG
 * (io/plot/plot.h, PLplot's cairo drivers):
 *   roc          J48's ROC curves from the cross-validation, every class
 *                with rows (a class absent from the data is left out; a
 *                log false-positive axis for near-perfect classifiers);
 *   roc_<class>  one class's curve with its area (the study's Figures 1-3;
 *                the class name with characters other than letters, digits,
 *                '-' and '_' replaced by '_');
 *   em_classes   the rows on the two best-ranked kept columns, coloured by
 *                true class (the study's Figure 4);
 *   em_clusters  the same rows coloured by EM cluster;
 *   oner_merits  the OneR merit of the best-ranked columns (up to 30);
 *   confusion    J48's cross-validation confusion matrix as a heat map.
 * Scatter plots show at most 20,000 rows, every n-th row in row order, so
 * the files stay small; the title says how many.  Axes, legends and draw
 * order are io/plot's (log axes for heavy-tailed columns).
 * Covered by tests/cli/test_study.py (every plot a valid PNG or SVG).
 */
#include "engine/study/study_facts.h"
#include "engine/study/study_report.h"
#include "io/plot/plot.h"

#include <stdio.h>
#include <string.h>

enum { SCATTER_MAX = 20000, MERIT_BARS = 30 };

static baiot_status base_path(char *buf, size_t cap, const char *dir, const char *name)
{
    if (snprintf(buf, cap, "%s/%s", dir, name) >= (int)cap)
        return baiot_fail(BAIOT_ERR_ARG, "output path too long: %s/%s", dir, name);
    return BAIOT_OK;
}

static baiot_status plot_roc(baiot_study *s, const char *dir)
{
    int k = s->view->n_classes;
    plot_series *series = baiot_calloc((size_t)k, sizeof *series);
    double **xy = baiot_calloc((size_t)k * 2, sizeof *xy);
    char path[4096];
    baiot_status st = BAIOT_OK;
    if (!series || !xy) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    for (int c = 0; c < k && !st; c++) {
        const baiot_eval_roc_point *pts;
        int64_t n;
        if ((st = baiot_eval_roc(s->j48_eval, c, &pts, &n)))
            break;
        xy[2 * c] = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        xy[2 * c + 1] = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        if (!xy[2 * c] || !xy[2 * c + 1]) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            break;
        }
        for (int64_t i = 0; i < n; i++) {
            xy[2 * c][i] = pts[i].fpr;
            xy[2 * c + 1][i] = pts[i].tpr;
        }
        series[c].label = s->view->class_names[c];
        series[c].x = xy[2 * c];
        series[c].y = xy[2 * c + 1];
        series[c].n = n;
    }
    const baiot_eval_results *r = NULL;
    if (!st)
        st = baiot_eval_compute(s->j48_eval, &r);
    for (int c = 0; c < k && !st; c++)
        if (r->per_class[c].roc_area != r->per_class[c].roc_area)
            series[c].n = 0; /* a class without rows: left out, not drawn flat */
    if (!st && !(st = base_path(path, sizeof path, dir, "roc")))
        st = baiot_plot_curves(path, "J48 ROC curves (cross-validation)", "False positive rate",
                         "True positive rate", series, k);
    for (int c = 0; c < k && !st; c++) {
        char name[160], title[256];
        baiot_study_roc_plot_name(s, c, name, sizeof name);
        double area = r->per_class[c].roc_area;
        if (area == area)
            snprintf(title, sizeof title, "J48 ROC curve, class %s (area %.4f)", s->view->class_names[c], area);
        else /* a class without rows has no curve */
            snprintf(title, sizeof title, "J48 ROC curve, class %s (area n/a: no rows)", s->view->class_names[c]);
        if (!(st = base_path(path, sizeof path, dir, name)))
            st = baiot_plot_curves(path, title, "False positive rate", "True positive rate", &series[c], 1);
    }
done:
    for (int i = 0; xy && i < 2 * k; i++)
        baiot_free(xy[i]);
    baiot_free(xy);
    baiot_free(series);
    return st;
}

static baiot_status plot_em(baiot_study *s, const char *dir)
{
    const baiot_view *v = s->view;
    /* the two best-ranked numeric kept columns; the row number stands in
     * for a missing one (ARFF data with nominal attributes) */
    int axis[2] = {-1, -1}, na = 0;
    for (int j = 0; j < v->n_cols && na < 2; j++)
        if (v->attrs[j].kind == BAIOT_ATTR_NUMERIC)
            axis[na++] = j;
    const char *xname = na == 2 ? v->attrs[axis[0]].name : "row";
    const char *yname = na == 2 ? v->attrs[axis[1]].name : na == 1 ? v->attrs[axis[0]].name : "cluster";
    int64_t step = (v->n_rows + SCATTER_MAX - 1) / SCATTER_MAX, n = 0;
    if (step < 1)
        step = 1;
    int64_t cap = v->n_rows / step + 1;
    double *x = baiot_malloc((size_t)cap * sizeof *x), *y = baiot_malloc((size_t)cap * sizeof *y);
    int *cls = baiot_malloc((size_t)cap * sizeof *cls), *clu = baiot_malloc((size_t)cap * sizeof *clu);
    int k = baiot_em_n_clusters(s->em);
    char **cluster_names = baiot_calloc((size_t)k, sizeof *cluster_names);
    char path[4096], title[256];
    baiot_status st = BAIOT_OK;
    if (!x || !y || !cls || !clu || !cluster_names) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    for (int64_t i = 0; i < v->n_rows; i += step) {
        double xv = na == 2 ? v->cols[axis[0]][i] : (double)i;
        double yv = na == 2 ? v->cols[axis[1]][i] : na == 1 ? v->cols[axis[0]][i] : (double)s->assign[i];
        if (v->y[i] < 0 || xv != xv || yv != yv)
            continue;
        x[n] = xv;
        y[n] = yv;
        cls[n] = v->y[i];
        clu[n] = s->assign[i];
        n++;
    }
    for (int c = 0; c < k; c++) {
        char name[64];
        int mapped = s->c2c.cluster_class ? s->c2c.cluster_class[c] : -1;
        if (mapped >= 0)
            snprintf(name, sizeof name, "cluster %d (%s)", c, v->class_names[mapped]);
        else
            snprintf(name, sizeof name, "cluster %d", c);
        if (!(cluster_names[c] = baiot_strdup(name))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto done;
        }
    }
    snprintf(title, sizeof title, "True classes (%lld of %lld rows shown)", (long long)n, (long long)v->n_rows);
    if ((st = base_path(path, sizeof path, dir, "em_classes")) ||
        (st = baiot_plot_scatter(path, title, xname, yname, x, y, cls, n,
                           (const char *const *)v->class_names, v->n_classes)))
        goto done;
    snprintf(title, sizeof title, "EM clusters (%lld of %lld rows shown)", (long long)n, (long long)v->n_rows);
    if ((st = base_path(path, sizeof path, dir, "em_clusters")))
        goto done;
    st = baiot_plot_scatter(path, title, xname, yname, x, y, clu, n,
                      (const char *const *)cluster_names, k);
done:
    for (int c = 0; cluster_names && c < k; c++)
        baiot_free(cluster_names[c]);
    baiot_free(cluster_names);
    baiot_free(x);
    baiot_free(y);
    baiot_free(cls);
    baiot_free(clu);
    return st;
}

static baiot_status plot_merits(baiot_study *s, const char *dir)
{
    int n = s->ranking->n < MERIT_BARS ? s->ranking->n : MERIT_BARS;
    const char **labels = baiot_calloc((size_t)(n > 0 ? n : 1), sizeof *labels);
    double *values = baiot_calloc((size_t)(n > 0 ? n : 1), sizeof *values);
    char path[4096], title[128], ylabel[64];
    baiot_status st;
    snprintf(ylabel, sizeof ylabel, "Merit (%% correct, %d-fold CV)", s->params.folds);
    if (!labels || !values) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    } else {
        for (int i = 0; i < n; i++) {
            labels[i] = s->all_col_names[s->ranking->order[i]];
            values[i] = s->ranking->merit[s->ranking->order[i]];
        }
        snprintf(title, sizeof title, "OneR merit of the %d best of %d columns", n, s->ranking->n);
        if (!(st = base_path(path, sizeof path, dir, "oner_merits")))
            st = baiot_plot_bars(path, title, ylabel, labels, values, n);
    }
    baiot_free(labels);
    baiot_free(values);
    return st;
}

static baiot_status plot_confusion(baiot_study *s, const char *dir)
{
    const baiot_eval_results *r;
    char path[4096];
    baiot_status st = baiot_eval_compute(s->j48_eval, &r);
    if (st || (st = base_path(path, sizeof path, dir, "confusion")))
        return st;
    return baiot_plot_heatmap(path, "J48 confusion matrix (rows: actual, columns: predicted)",
                        (const char *const *)s->view->class_names, (const char *const *)s->view->class_names,
                        r->confusion, r->n_classes, r->n_classes);
}

baiot_status baiot_study_write_plots(baiot_study *s, const char *dir)
{
    baiot_status st;
    if ((st = plot_roc(s, dir)) || (st = plot_em(s, dir)) || (st = plot_merits(s, dir)) ||
        (st = plot_confusion(s, dir)))
        return st;
    return BAIOT_OK;
}
