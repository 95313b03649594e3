/*
 * bench/plot_series.c - draws the benchmark suite's scale series (bench/run)
 * with the reports' plotting code (io/plot/plot.h, PLplot cairo): time against
 * rows on log-log axes, one curve per workload, as PNG and SVG.
 * Input: a CSV with the header "series,rows,seconds" (one point a line).
 * Usage: build/bench_plot_series IN.csv OUT_BASE "title"
 * Writes OUT_BASE.png and OUT_BASE.svg.
 */
#include "io/plot/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 32
#define MAX_POINTS 64

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_plot_series IN.csv OUT_BASE TITLE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        fprintf(stderr, "bench_plot_series: cannot read %s\n", argv[1]);
        return 1;
    }
    static char names[MAX_SERIES][128];
    static double xs[MAX_SERIES][MAX_POINTS], ys[MAX_SERIES][MAX_POINTS];
    int counts[MAX_SERIES] = {0}, n_series = 0;
    char line[512];
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return 1;
    }
    while (fgets(line, sizeof line, f)) {
        char name[128];
        double rows, secs;
        if (sscanf(line, "%127[^,],%lf,%lf", name, &rows, &secs) != 3 || rows <= 0 || secs <= 0)
            continue;
        int s = 0;
        while (s < n_series && strcmp(names[s], name) != 0)
            s++;
        if (s == n_series) {
            if (n_series == MAX_SERIES)
                continue;
            snprintf(names[n_series++], sizeof names[0], "%s", name);
        }
        if (counts[s] < MAX_POINTS) {
            xs[s][counts[s]] = log10(rows);
            ys[s][counts[s]] = log10(secs);
            counts[s]++;
        }
    }
    fclose(f);
    /* baiot_plot_curves draws on [0,1]^2: map the logs onto it, say so in the labels */
    double xmin = 1e300, xmax = -1e300, ymin = 1e300, ymax = -1e300;
    for (int s = 0; s < n_series; s++)
        for (int i = 0; i < counts[s]; i++) {
            xmin = fmin(xmin, xs[s][i]);
            xmax = fmax(xmax, xs[s][i]);
            ymin = fmin(ymin, ys[s][i]);
            ymax = fmax(ymax, ys[s][i]);
        }
    xmin = floor(xmin);
    xmax = ceil(xmax);
    ymin = floor(ymin);
    ymax = ceil(ymax);
    if (xmax <= xmin)
        xmax = xmin + 1;
    if (ymax <= ymin)
        ymax = ymin + 1;
    plot_series series[MAX_SERIES];
    for (int s = 0; s < n_series; s++) {
        for (int i = 0; i < counts[s]; i++) {
            xs[s][i] = (xs[s][i] - xmin) / (xmax - xmin);
            ys[s][i] = (ys[s][i] - ymin) / (ymax - ymin);
        }
        series[s].label = names[s];
        series[s].x = xs[s];
        series[s].y = ys[s];
        series[s].n = counts[s];
    }
    char xl[128], yl[128];
    snprintf(xl, sizeof xl, "log10(rows), from %g to %g", xmin, xmax);
    snprintf(yl, sizeof yl, "log10(seconds), from %g to %g", ymin, ymax);
    baiot_status st = baiot_plot_curves(argv[2], argv[3], xl, yl, series, n_series);
    if (st) {
        fprintf(stderr, "bench_plot_series: %s\n", baiot_last_error());
        return 1;
    }
    return 0;
}
