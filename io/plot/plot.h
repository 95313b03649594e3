/*
 * plot.h - the report's figures, drawn with PLplot's cairo drivers as PNG
 * and SVG (<base>.png and <base>.svg, each written to a temporary name and
 * renamed): ROC curves per class, a bar chart, a heat map of a matrix, and
 * a scatter of points coloured by class.  PLplot keeps global state; the
 * functions draw one figure at a time (a process-wide mutex), so they may
 * be called from several threads.
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

/* Curves on [0,1] x [0,1] with the diagonal, e.g. ROC curves. */
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
