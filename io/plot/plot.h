/*
 * plot.h - the report's figures, drawn with PLplot's cairo drivers as PNG
 * and SVG (<base>.png and <base>.svg, each written to a temporary name and
 * renamed): ROC curves per class, a bar chart, a heat map of a matrix, and
 * a scatter of points coloured by class.  PLplot keeps global state; the
 * functions draw one figure at a time (a process-wide mutex), so they may
 * be called from several threads.
 *
 * Readable on heavy-tailed data: a scatter axis whose values span three
 * decades or more, many of them squeezed at one end, is a symmetric log
 * axis (baiot_plot_choose_log); ROC curves of near-perfect classifiers get
 * a log false-positive axis (baiot_plot_roc_fpr_floor); legends sit right
 * of the frame, outside the data; tick labels are %g (no exponent label
 * outside the frame); a long title is set smaller; scatter groups are
 * drawn largest first, half transparent, and a group or series without
 * points has no legend entry; the heat map has a colour bar.
 * Covered by tests/unit/test_plot.c.
 */
#ifndef BAIOT_IO_PLOT_H
#define BAIOT_IO_PLOT_H

#include "baiot/baiot.h"

/* One curve of a line plot. */
typedef struct plot_series {
    const char *label;
    const double *x, *y;
    int64_t n;
} plot_series;

/* 1 when the finite values v[0..n) want a log axis: their nonzero |v|
 * span LOG_SPAN (1e3) or more and a fifth of them lie in the lowest 2 % of
 * a linear axis; *unit (a power of ten, 1 when linear) is then the scale of
 * the axis sign(v) log10(1 + |v| / unit). */
int baiot_plot_choose_log(const double *v, int64_t n, double *unit);

/* The left edge of a log false-positive axis for ROC curves (x = FPR):
 * the decade of the smallest positive FPR (at least 1e-6) when one is below
 * 1 %, else 0 for a linear axis. */
double baiot_plot_roc_fpr_floor(const plot_series *series, int n_series);

/* Curves on [0,1] x [0,1] with the diagonal, e.g. ROC curves; the x axis
 * is logarithmic from baiot_plot_roc_fpr_floor when that is not 0 (x = 0
 * drawn at the floor).  A series with no points is left out. */
baiot_status baiot_plot_curves(const char *base, const char *title, const char *xlabel, const char *ylabel,
                         const plot_series *series, int n_series);

/* Curves on axes fitted to the data (y fixed to [0,1] when y_unit), with
 * a dashed vertical line at x_mark labelled mark_label (x_mark NaN: none);
 * non-finite points are skipped.  Covered by tests/unit/test_plot.c. */
baiot_status baiot_plot_lines(const char *base, const char *title, const char *xlabel, const char *ylabel,
                              const plot_series *series, int n_series, int y_unit, double x_mark,
                              const char *mark_label);
/* Vertical bars with their labels (at most 40 shown, the first ones). */
baiot_status baiot_plot_bars(const char *base, const char *title, const char *ylabel, const char *const *labels,
                       const double *values, int n);

/* A heat map of matrix[rows x cols] (row-major) with the counts written in
 * the cells; row labels on the left (actual), column labels below. */
baiot_status baiot_plot_heatmap(const char *base, const char *title, const char *const *row_labels,
                          const char *const *col_labels, const double *matrix, int rows, int cols);

/* Points (x[i], y[i]) coloured by group[i] (0..n_groups-1), with a legend. */
baiot_status baiot_plot_scatter(const char *base, const char *title, const char *xlabel, const char *ylabel,
                          const double *x, const double *y, const int *group, int64_t n,
                          const char *const *group_names, int n_groups);

#endif
