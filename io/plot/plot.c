/*
 * plot.c - report figures with PLplot (see plot.h).
 *
 * Each figure is drawn twice, once by the pngcairo and once by the svgcairo
 * driver, each into a temporary file renamed into place once it is seen
 * whole (a PNG's IEND chunk, an SVG's </svg>); a short or empty file is
 * blamed on the file system when a write of our own there fails (full
 * disk, file size limit), else on the driver.  A
 * white background and a fixed palette of distinguishable colours (index 1
 * is black for axes and text) replace PLplot's default black background.
 * PLplot keeps global state: one figure is drawn at a time in the process
 * (a mutex around each), so callers on several threads (bulk --detect's
 * devices side by side) are safe.
 * Covered by tests/unit/test_plot.c.
 */
#include "io/plot/plot.h"
#include "io/files/atomic_file.h"

#include <errno.h>
#include <math.h>
#include <plplot.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_BARS 40

static const int palette[][3] = {
    {255, 255, 255}, {0, 0, 0},      {31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40},
    {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207},
    {174, 199, 232}, {255, 187, 120}, {152, 223, 138}, {255, 152, 150}};
#define N_COLOURS 14 /* series colours: palette[2 .. 15] */

typedef void (*draw_fn)(const void *ctx);

/* 1 when the file at path is a whole figure of its kind: a PNG ends with
 * its IEND chunk, an SVG with </svg> (PLplot's cairo drivers report no
 * write error, so a full disk shows only as a short file). */
static int whole_figure(const char *path, int svg)
{
    char tail[32];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    size_t n = size > (long)sizeof tail ? sizeof tail : (size_t)(size > 0 ? size : 0);
    int ok = size > 0 && fseek(f, size - (long)n, SEEK_SET) == 0 && fread(tail, 1, n, f) == n;
    fclose(f);
    if (!ok)
        return 0;
    if (!svg)
        return n >= 8 && memcmp(tail + n - 8, "IEND\xae\x42\x60\x82", 8) == 0;
    while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r' || tail[n - 1] == ' '))
        n--;
    return n >= 6 && memcmp(tail + n - 6, "</svg>", 6) == 0;
}

/* Why a figure came out empty or cut short: writing 1 MiB to the same
 * temporary file ourselves tells a file-system error (a full disk, a file
 * size limit) from a missing or failing driver. */
static baiot_status figure_failure(const char *tmp, const char *path)
{
    static const char zeros[65536];
    int e = 0;
    FILE *f = fopen(tmp, "wb");
    if (!f)
        e = errno;
    for (int i = 0; f && !e && i < 16; i++)
        if (fwrite(zeros, 1, sizeof zeros, f) != sizeof zeros)
            e = errno ? errno : EIO;
    if (f && !e && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        e = errno ? errno : EIO;
    if (f)
        fclose(f);
    if (e)
        return baiot_fail(BAIOT_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    return baiot_fail(BAIOT_ERR_IO, "PLplot wrote no whole figure '%s' (is plplot-driver-cairo installed?)", path);
}

static pthread_mutex_t plot_lock = PTHREAD_MUTEX_INITIALIZER;

static baiot_status render_locked(const char *base, draw_fn draw, const void *ctx)
{
    static const char *const devices[2] = {"pngcairo", "svgcairo"};
    static const char *const exts[2] = {"png", "svg"};
    for (int k = 0; k < 2; k++) {
        char path[4096];
        atomic_file af;
        baiot_status st;
        snprintf(path, sizeof path, "%s.%s", base, exts[k]);
        if ((st = baiot_atomic_file_open(path, &af)))
            return st; /* the folder must be writable before PLplot sees the name (it exits otherwise) */
        fclose(af.fp);
        af.fp = NULL;
        plsdev(devices[k]);
        plsfnam(af.tmp_path);
        plsetopt("geometry", "900x650");
        int r[16], g[16], b[16];
        for (int i = 0; i < 16; i++) {
            r[i] = palette[i][0];
            g[i] = palette[i][1];
            b[i] = palette[i][2];
        }
        plscmap0(r, g, b, 16);
        plinit();
        pladv(0);
        draw(ctx);
        plend();
        if (!whole_figure(af.tmp_path, k == 1)) {
            st = figure_failure(af.tmp_path, path);
            baiot_atomic_file_abort(&af);
            return st;
        }
        if ((st = baiot_atomic_file_commit(&af)))
            return st;
    }
    return BAIOT_OK;
}

static baiot_status render(const char *base, draw_fn draw, const void *ctx)
{
    pthread_mutex_lock(&plot_lock);
    baiot_status st = render_locked(base, draw, ctx);
    pthread_mutex_unlock(&plot_lock);
    return st;
}

/* ---------------------------------------------------------------- curves */

typedef struct curves_ctx {
    const char *title, *xlabel, *ylabel;
    const plot_series *series;
    int n;
} curves_ctx;

static void draw_curves(const void *p)
{
    const curves_ctx *c = p;
    plvpor(0.1, 0.95, 0.1, 0.9);
    plwind(-0.02, 1.02, -0.02, 1.02); /* a margin, so curves on the axes stay visible */
    plschr(0, 1.0);
    plcol0(9);
    pllsty(3);
    plbox("g", 0.1, 0, "g", 0.1, 0); /* a light dotted grid, then the black frame */
    pllsty(1);
    plcol0(1);
    plbox("bcnst", 0.1, 0, "bcnstv", 0.1, 0);
    pllab(c->xlabel, c->ylabel, c->title);
    double dx[2] = {0, 1}, dy[2] = {0, 1};
    plcol0(9);
    pllsty(2);
    plline(2, dx, dy);
    pllsty(1);
    plwidth(2.0);
    for (int s = 0; s < c->n; s++) {
        plcol0(2 + s % N_COLOURS);
        if (c->series[s].n > 0)
            plline((PLINT)c->series[s].n, (PLFLT *)c->series[s].x, (PLFLT *)c->series[s].y);
        /* legend entry, bottom right */
        double ly = 0.05 + 0.06 * (c->n - 1 - s), lx[2] = {0.55, 0.62}, lyy[2] = {ly, ly};
        plline(2, lx, lyy);
        plcol0(1);
        plptex(0.64, ly, 1, 0, 0, c->series[s].label);
    }
    plwidth(1.0);
}

baiot_status baiot_plot_curves(const char *base, const char *title, const char *xlabel, const char *ylabel,
                         const plot_series *series, int n_series)
{
    curves_ctx c = {title, xlabel, ylabel, series, n_series};
    return render(base, draw_curves, &c);
}

/* ----------------------------------------------------------------- lines */

typedef struct lines_ctx {
    const char *title, *xlabel, *ylabel, *mark_label;
    const plot_series *series;
    int n, y_unit;
    double x_mark;
} lines_ctx;

static void draw_lines(const void *p)
{
    const lines_ctx *c = p;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int s = 0; s < c->n; s++)
        for (int64_t i = 0; i < c->series[s].n; i++) {
            double x = c->series[s].x[i], y = c->series[s].y[i];
            if (!isfinite(x) || !isfinite(y))
                continue;
            x0 = fmin(x0, x);
            x1 = fmax(x1, x);
            y0 = fmin(y0, y);
            y1 = fmax(y1, y);
        }
    if (isfinite(c->x_mark)) {
        x0 = fmin(x0, c->x_mark);
        x1 = fmax(x1, c->x_mark);
    }
    if (!(x1 > x0)) {
        x0 = isfinite(x0) ? x0 - 1 : 0;
        x1 = x0 + 2;
    }
    if (c->y_unit) {
        y0 = 0;
        y1 = 1;
    } else if (!(y1 > y0)) {
        y0 = isfinite(y0) ? y0 - 1 : 0;
        y1 = y0 + 2;
    }
    double mx = 0.02 * (x1 - x0), my = 0.02 * (y1 - y0);
    plvpor(0.1, 0.95, 0.1, 0.9);
    plwind(x0 - mx, x1 + mx, y0 - my, y1 + my);
    plschr(0, 1.0);
    plcol0(9);
    pllsty(3);
    plbox("g", 0, 0, "g", 0, 0);
    pllsty(1);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    pllab(c->xlabel, c->ylabel, c->title);
    if (isfinite(c->x_mark)) {
        double mxs[2] = {c->x_mark, c->x_mark}, mys[2] = {y0, y1};
        plcol0(5);
        pllsty(2);
        plline(2, mxs, mys);
        pllsty(1);
        if (c->mark_label)
            plptex(c->x_mark + mx, y1 - 2 * my, 1, 0, 0, c->mark_label);
    }
    plwidth(2.0);
    for (int s = 0; s < c->n; s++) {
        plcol0(2 + s % N_COLOURS);
        int64_t m = 0;
        for (int64_t i = 0; i < c->series[s].n; i++) { /* draw runs of finite points */
            int ok = isfinite(c->series[s].x[i]) && isfinite(c->series[s].y[i]);
            if (ok)
                m++;
            if ((!ok || i == c->series[s].n - 1) && m > 0) {
                int64_t end = ok ? i + 1 : i;
                if (m > 1)
                    plline((PLINT)m, (PLFLT *)c->series[s].x + end - m, (PLFLT *)c->series[s].y + end - m);
                else
                    plpoin(1, (PLFLT *)c->series[s].x + end - 1, (PLFLT *)c->series[s].y + end - 1, 17);
                m = 0;
            }
        }
        double ly = y0 + (0.05 + 0.055 * (c->n - 1 - s)) * (y1 - y0), lx[2] = {x0 + 0.72 * (x1 - x0), x0 + 0.77 * (x1 - x0)},
               lyy[2] = {ly, ly};
        plline(2, lx, lyy);
        plcol0(1);
        plschr(0, 0.8);
        plptex(lx[1] + 0.01 * (x1 - x0), ly, 1, 0, 0, c->series[s].label);
        plschr(0, 1.0);
    }
    plwidth(1.0);
}

baiot_status baiot_plot_lines(const char *base, const char *title, const char *xlabel, const char *ylabel,
                              const plot_series *series, int n_series, int y_unit, double x_mark,
                              const char *mark_label)
{
    lines_ctx c = {title, xlabel, ylabel, mark_label, series, n_series, y_unit, x_mark};
    return render(base, draw_lines, &c);
}

/* ------------------------------------------------------------------ bars */

typedef struct bars_ctx {
    const char *title, *ylabel;
    const char *const *labels;
    const double *values;
    int n;
} bars_ctx;

static void draw_bars(const void *p)
{
    const bars_ctx *c = p;
    int n = c->n < MAX_BARS ? c->n : MAX_BARS;
    double lo = 0, hi = 0;
    for (int i = 0; i < n; i++) {
        if (c->values[i] > hi)
            hi = c->values[i];
        if (c->values[i] < lo)
            lo = c->values[i];
    }
    if (hi <= lo)
        hi = lo + 1;
    plvpor(0.1, 0.97, 0.35, 0.92);
    plwind(-0.5, n - 0.5, lo, hi * 1.05);
    plcol0(1);
    plschr(0, 0.9);
    plbox("bc", 0, 0, "bcgnstv", 0, 0);
    pllab("", c->ylabel, c->title);
    for (int i = 0; i < n; i++) {
        double x[4] = {i - 0.4, i - 0.4, i + 0.4, i + 0.4}, y[4] = {lo, c->values[i], c->values[i], lo};
        plcol0(2);
        plfill(4, x, y);
        plcol0(1);
        plschr(0, 0.6);
        /* the label, vertical, below the axis */
        plmtex("bv", 0.5, (i + 0.5) / n, 1.0, c->labels[i]);
    }
    plschr(0, 1.0);
}

baiot_status baiot_plot_bars(const char *base, const char *title, const char *ylabel, const char *const *labels,
                       const double *values, int n)
{
    bars_ctx c = {title, ylabel, labels, values, n};
    return render(base, draw_bars, &c);
}

/* --------------------------------------------------------------- heatmap */

typedef struct heat_ctx {
    const char *title;
    const char *const *rl, *const *cl;
    const double *m;
    int rows, cols;
} heat_ctx;

static void draw_heatmap(const void *p)
{
    const heat_ctx *c = p;
    double hi = 0;
    for (int i = 0; i < c->rows * c->cols; i++)
        if (c->m[i] > hi)
            hi = c->m[i];
    plvpor(0.27, 0.95, 0.28, 0.9);
    plwind(0, c->cols, 0, c->rows);
    plschr(0, 0.8);
    /* cells: white to blue by log of the count, so small cells show */
    for (int r = 0; r < c->rows; r++)
        for (int k = 0; k < c->cols; k++) {
            double v = c->m[r * c->cols + k];
            double t = hi > 0 && v > 0 ? log1p(v) / log1p(hi) : 0;
            plscol0(15, (int)(255 - 224 * t), (int)(255 - 136 * t), (int)(255 - 75 * t));
            plcol0(15);
            double y0 = c->rows - r - 1;
            double x[4] = {k, k, k + 1, k + 1}, y[4] = {y0, y0 + 1, y0 + 1, y0};
            plfill(4, x, y);
            char txt[32];
            snprintf(txt, sizeof txt, "%.0f", v);
            plcol0(t > 0.6 ? 0 : 1);
            plptex(k + 0.5, y0 + 0.5, 1, 0, 0.5, txt);
        }
    plcol0(1);
    plbox("bc", 1, 0, "bc", 1, 0);
    /* labels outside the cells, placed relative to the viewport's sides */
    for (int r = 0; r < c->rows; r++)
        plmtex("lv", 0.8, 1.0 - (r + 0.5) / c->rows, 1.0, c->rl[r]);
    for (int k = 0; k < c->cols; k++)
        plmtex("bv", 0.8, (k + 0.5) / c->cols, 1.0, c->cl[k]);
    plschr(0, 1.0);
    pllab("", "", c->title);
    plmtex("l", 12.0, 0.5, 0.5, "actual class");
    plmtex("b", 9.0, 0.5, 0.5, "predicted class");
}

baiot_status baiot_plot_heatmap(const char *base, const char *title, const char *const *row_labels,
                          const char *const *col_labels, const double *matrix, int rows, int cols)
{
    heat_ctx c = {title, row_labels, col_labels, matrix, rows, cols};
    return render(base, draw_heatmap, &c);
}

/* --------------------------------------------------------------- scatter */

typedef struct scatter_ctx {
    const char *title, *xlabel, *ylabel;
    const double *x, *y;
    const int *g;
    int64_t n;
    const char *const *names;
    int ng;
} scatter_ctx;

static void draw_scatter(const void *p)
{
    const scatter_ctx *c = p;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int64_t i = 0; i < c->n; i++) {
        if (!isfinite(c->x[i]) || !isfinite(c->y[i]))
            continue;
        x0 = fmin(x0, c->x[i]);
        x1 = fmax(x1, c->x[i]);
        y0 = fmin(y0, c->y[i]);
        y1 = fmax(y1, c->y[i]);
    }
    if (!(x1 > x0)) {
        x0 -= 1;
        x1 += 1;
    }
    if (!(y1 > y0)) {
        y0 -= 1;
        y1 += 1;
    }
    double mx = 0.03 * (x1 - x0), my = 0.03 * (y1 - y0);
    plvpor(0.12, 0.95, 0.1, 0.9);
    plwind(x0 - mx, x1 + mx, y0 - my, y1 + my);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    pllab(c->xlabel, c->ylabel, c->title);
    for (int g = 0; g < c->ng; g++) {
        plcol0(2 + g % N_COLOURS);
        for (int64_t i = 0; i < c->n; i++)
            if (c->g[i] == g && isfinite(c->x[i]) && isfinite(c->y[i])) {
                double px = c->x[i], py = c->y[i];
                plpoin(1, &px, &py, 17);
            }
        double lx = x1 - 0.25 * (x1 - x0), ly = y1 - (0.06 * g) * (y1 - y0);
        plpoin(1, &lx, &ly, 17);
        plcol0(1);
        plptex(lx + 0.02 * (x1 - x0), ly, 1, 0, 0, c->names[g]);
    }
}

baiot_status baiot_plot_scatter(const char *base, const char *title, const char *xlabel, const char *ylabel,
                          const double *x, const double *y, const int *group, int64_t n,
                          const char *const *group_names, int n_groups)
{
    scatter_ctx c = {title, xlabel, ylabel, x, y, group, n, group_names, n_groups};
    return render(base, draw_scatter, &c);
}
