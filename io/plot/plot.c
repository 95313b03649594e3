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

/* ------------------------------------------------------------ axes, text */

#define LOG_SPAN 1e3       /* a log axis when the nonzero |values| span 3 decades or more */
#define LOG_SQUEEZE 0.02   /* ... and a fifth of the values lie in the lowest 2 % of a linear axis */
#define LOG_DECADES_MAX 8  /* the log axis's unit: at most 10^8 below the largest |value| */
#define ROC_LOG_BELOW 0.01 /* ROC: a log FPR axis when a curve has a point with 0 < FPR < 1 % */
#define ROC_FLOOR_MIN 1e-6 /* ... reaching down to the decade of the smallest FPR, at most 1e-6 */
#define MAX_LEGEND 64      /* legend entries shown (the first ones) */
#define CHUNK 512          /* points handed to PLplot per call */

/* The symmetric logarithm sign(u) log10(1 + |u|): monotone, defined at 0
 * and for negative values, log10 for large ones. */
static double slog(double u)
{
    return u >= 0 ? log10(1 + u) : -log10(1 - u);
}

int baiot_plot_choose_log(const double *v, int64_t n, double *unit)
{
    double hi = 0, lo = INFINITY;
    int64_t m = 0, small = 0;
    *unit = 1;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        double a = fabs(v[i]);
        m++;
        hi = fmax(hi, a);
        if (a > 0)
            lo = fmin(lo, a);
    }
    if (!(hi > 0) || !isfinite(lo) || hi / lo < LOG_SPAN)
        return 0;
    for (int64_t i = 0; i < n; i++)
        if (isfinite(v[i]) && fabs(v[i]) < LOG_SQUEEZE * hi)
            small++;
    if (5 * small < m)
        return 0;
    *unit = pow(10, floor(log10(fmax(lo, hi * pow(10, -LOG_DECADES_MAX)))));
    return 1;
}

double baiot_plot_roc_fpr_floor(const plot_series *series, int n_series)
{
    double lo = INFINITY;
    for (int s = 0; s < n_series; s++)
        for (int64_t i = 0; i < series[s].n; i++)
            if (isfinite(series[s].x[i]) && series[s].x[i] > 0)
                lo = fmin(lo, series[s].x[i]);
    if (!(lo < ROC_LOG_BELOW))
        return 0;
    double f = pow(10, floor(log10(lo)));
    return f < ROC_FLOOR_MIN ? ROC_FLOOR_MIN : f;
}

/* One axis: linear, or the symmetric log of v / unit; lo, hi is the
 * window in drawn coordinates. */
typedef struct axis {
    int log;
    double unit, lo, hi;
} axis;

static double axis_map(const axis *a, double v)
{
    return a->log ? slog(v / a->unit) : v;
}

/* Fits the axis to the finite values of v[0..n) with a margin of `margin`
 * of the span (a log scale when allowed and baiot_plot_choose_log says). */
static void axis_fit(axis *a, const double *v, int64_t n, int allow_log, double margin)
{
    a->unit = 1;
    a->log = allow_log && baiot_plot_choose_log(v, n, &a->unit);
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            double u = axis_map(a, v[i]);
            lo = fmin(lo, u);
            hi = fmax(hi, u);
        }
    if (!(hi > lo)) {
        lo = isfinite(lo) ? lo - 1 : 0;
        hi = lo + 2;
    }
    a->lo = lo - margin * (hi - lo);
    a->hi = hi + margin * (hi - lo);
}

/* Tick labels of linear axes: %g, so no "(x10^4)" exponent label is
 * placed outside the frame; a value within rounding of 0 is "0". */
static double label_zero[3];

static void label_g(PLINT ax, PLFLT value, char *label, PLINT length, PLPointer data)
{
    (void)data;
    if (fabs(value) < label_zero[ax == PL_Y_AXIS ? 2 : 1])
        value = 0;
    snprintf(label, (size_t)length, "%g", value);
}

/* Ticks, dotted grid lines and labels of a symmetric-log axis, at 0 and
 * +-unit 10^k (every step-th decade, so at most 6 (x) or 10 (y) decades
 * show); a label closer than an eighth (x) or a twelfth (y) of the axis to
 * the one before is left out; 10^k from 10^5 up and 10^-4 down. */
static void log_ticks(const axis *a, const axis *o, int is_x)
{
    double vals[2 * 40 + 1];
    int nv = 0;
    int kmax = (int)ceil(fmax(fabs(a->lo), fabs(a->hi))) + 1, most = is_x ? 6 : 10;
    int step = kmax > most ? (kmax + most - 1) / most : 1;
    for (int k = (kmax / step) * step; k >= 0 && nv < 40; k -= step)
        vals[nv++] = -a->unit * pow(10, k);
    vals[nv++] = 0;
    for (int k = 0; k <= kmax && nv < 2 * 40 + 1; k += step)
        vals[nv++] = a->unit * pow(10, k);
    double last = -INFINITY, span = a->hi - a->lo, tl = 0.015 * (o->hi - o->lo);
    for (int i = 0; i < nv; i++) {
        double u = axis_map(a, vals[i]);
        if (u < a->lo || u > a->hi)
            continue;
        double gx[2] = {u, u}, gy[2] = {o->lo, o->hi}, t1[2] = {o->lo, o->lo + tl}, t2[2] = {o->hi - tl, o->hi};
        plcol0(9);
        pllsty(3);
        if (is_x)
            plline(2, gx, gy);
        else
            plline(2, gy, gx);
        pllsty(1);
        plcol0(1);
        if (is_x) {
            plline(2, gx, t1);
            plline(2, gx, t2);
        } else {
            plline(2, t1, gx);
            plline(2, t2, gx);
        }
        if (u - last < span / (is_x ? 8 : 12))
            continue;
        char txt[32];
        double e = vals[i] != 0 ? log10(fabs(vals[i])) : 0;
        if (vals[i] != 0 && (e >= 5 || e <= -4))
            snprintf(txt, sizeof txt, "%s10#u%d#d", vals[i] < 0 ? "-" : "", (int)lround(e));
        else
            snprintf(txt, sizeof txt, "%g", vals[i]);
        if (is_x)
            plmtex("b", 1.6, (u - a->lo) / span, 0.5, txt);
        else
            plmtex("lv", 0.8, (u - a->lo) / span, 1.0, txt);
        last = u;
    }
}

/* The title above the frame, smaller when long so it stays in the image. */
static void draw_title(const char *title)
{
    size_t n = strlen(title);
    double scale = n > 62 ? 62.0 / (double)n : 1.0;
    plschr(0, scale < 0.6 ? 0.6 : scale);
    plcol0(1);
    plmtex("t", 1.5, 0.5, 0.5, title);
    plschr(0, 1.0);
}

/* The window, grid, frame, tick labels and axis labels of x and y (a log
 * axis says so in its label); with grid, dotted grid lines. */
static void draw_frame(const axis *x, const axis *y, const char *xlabel, const char *ylabel, int grid)
{
    char lab[512];
    plwind(x->lo, x->hi, y->lo, y->hi);
    plschr(0, 0.9);
    if (grid) {
        plcol0(9);
        pllsty(3);
        plbox(x->log ? "" : "g", 0, 0, y->log ? "" : "g", 0, 0);
        pllsty(1);
    }
    plcol0(1);
    label_zero[1] = 1e-9 * (x->hi - x->lo);
    label_zero[2] = 1e-9 * (y->hi - y->lo);
    plslabelfunc(label_g, NULL);
    plbox(x->log ? "bc" : "bcnsto", 0, 0, y->log ? "bc" : "bcnstvo", 0, 0);
    plslabelfunc(NULL, NULL);
    if (x->log)
        log_ticks(x, y, 1);
    if (y->log)
        log_ticks(y, x, 0);
    plschr(0, 1.0);
    snprintf(lab, sizeof lab, "%s%s", xlabel, x->log ? " (log scale)" : "");
    plmtex("b", 3.4, 0.5, 0.5, lab);
    snprintf(lab, sizeof lab, "%s%s", ylabel, y->log ? " (log scale)" : "");
    plmtex("l", 5.4, 0.5, 0.5, lab);
}

/* A legend right of the frame, outside the data: lines (symbol 0) or
 * filled dots (symbol 1) in the given colours. */
static void draw_legend(int n, const char *const *text, const int *colour, int symbol)
{
    PLINT opt[MAX_LEGEND], tcol[MAX_LEGEND], col[MAX_LEGEND], sty[MAX_LEGEND], num[MAX_LEGEND];
    PLFLT wid[MAX_LEGEND], scl[MAX_LEGEND];
    const char *sym[MAX_LEGEND];
    PLFLT w, h;
    if (n > MAX_LEGEND)
        n = MAX_LEGEND;
    if (n <= 0)
        return;
    for (int i = 0; i < n; i++) {
        opt[i] = symbol ? PL_LEGEND_SYMBOL : PL_LEGEND_LINE;
        tcol[i] = 1;
        col[i] = colour[i];
        sty[i] = 1;
        wid[i] = 3.0;
        scl[i] = 0.9;
        num[i] = 1;
        sym[i] = "\xe2\x97\x8f"; /* U+25CF BLACK CIRCLE */
    }
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, PL_POSITION_RIGHT | PL_POSITION_OUTSIDE | PL_POSITION_VIEWPORT,
             0.02, 0.0, 0.04, 0, 1, 1, 0, 0, n, opt, 0.8, 0.9, 2.0, 0.0, tcol, text, NULL, NULL, NULL, NULL, col, sty,
             wid, col, scl, num, sym);
}

/* The viewport of a figure with a legend on its right. */
static void viewport_with_legend(void)
{
    plvpor(0.12, 0.72, 0.13, 0.9);
}

/* plline over n points of (x, y) mapped through the axes, in chunks. */
static void mapped_line(const axis *ax, const axis *ay, const double *x, const double *y, int64_t n)
{
    double bx[CHUNK], by[CHUNK];
    for (int64_t i = 0; i + 1 < n; i += CHUNK - 1) {
        int m = (int)(n - i < CHUNK ? n - i : CHUNK);
        for (int k = 0; k < m; k++) {
            bx[k] = axis_map(ax, x[i + k]);
            by[k] = axis_map(ay, y[i + k]);
        }
        plline(m, bx, by);
    }
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
    double floor_fpr = baiot_plot_roc_fpr_floor(c->series, c->n);
    const char *text[MAX_LEGEND];
    int colour[MAX_LEGEND], nl = 0;
    viewport_with_legend();
    plschr(0, 0.9);
    if (floor_fpr > 0) {
        /* log FPR: the region where a 99.9 % classifier's curves differ;
         * FPR 0 is drawn at the floor, the left edge */
        double x0 = log10(floor_fpr), m = 0.02 * -x0;
        plwind(x0 - m, m, -0.02, 1.02);
        plcol0(9);
        pllsty(3);
        plbox("gl", 1, 0, "g", 0.1, 0);
        pllsty(1);
        plcol0(1);
        plbox("bcnstl", 1, 0, "bcnstv", 0.1, 0);
        char lab[512];
        snprintf(lab, sizeof lab, "%s (log scale; 0 drawn at %g)", c->xlabel, floor_fpr);
        plschr(0, 1.0);
        plmtex("b", 3.4, 0.5, 0.5, lab);
        plmtex("l", 5.4, 0.5, 0.5, c->ylabel);
        double dx[65], dy[65];
        for (int i = 0; i <= 64; i++) {
            dx[i] = x0 * (1 - i / 64.0);
            dy[i] = pow(10, dx[i]);
        }
        plcol0(9);
        pllsty(2);
        plline(65, dx, dy);
        pllsty(1);
    } else {
        axis ax = {0, 1, -0.02, 1.02}, ay = {0, 1, -0.02, 1.02};
        draw_frame(&ax, &ay, c->xlabel, c->ylabel, 1);
        double dx[2] = {0, 1}, dy[2] = {0, 1};
        plcol0(9);
        pllsty(2);
        plline(2, dx, dy);
        pllsty(1);
    }
    draw_title(c->title);
    plwidth(2.0);
    for (int s = 0; s < c->n; s++) {
        const plot_series *ps = &c->series[s];
        if (ps->n <= 0)
            continue; /* an absent class: no curve, no legend entry */
        plcol0(2 + s % N_COLOURS);
        if (floor_fpr > 0) {
            double bx[CHUNK], by[CHUNK];
            for (int64_t i = 0; i < ps->n; i += CHUNK - 1) {
                int m = (int)(ps->n - i < CHUNK ? ps->n - i : CHUNK);
                for (int k = 0; k < m; k++) {
                    bx[k] = log10(fmax(ps->x[i + k], floor_fpr));
                    by[k] = ps->y[i + k];
                }
                plline(m, bx, by);
                if (i + m >= ps->n)
                    break;
            }
        } else {
            axis lin = {0, 1, 0, 1};
            mapped_line(&lin, &lin, ps->x, ps->y, ps->n);
        }
        if (nl < MAX_LEGEND) {
            text[nl] = ps->label;
            colour[nl++] = 2 + s % N_COLOURS;
        }
    }
    plwidth(1.0);
    draw_legend(nl, text, colour, 0);
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
    axis ax = {0, 1, x0 - mx, x1 + mx}, ay = {0, 1, y0 - my, y1 + my};
    const char *text[MAX_LEGEND];
    int colour[MAX_LEGEND], nl = 0;
    viewport_with_legend();
    draw_frame(&ax, &ay, c->xlabel, c->ylabel, 1);
    draw_title(c->title);
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
        if (nl < MAX_LEGEND) {
            text[nl] = c->series[s].label;
            colour[nl++] = 2 + s % N_COLOURS;
        }
    }
    plwidth(1.0);
    draw_legend(nl, text, colour, 0);
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
    plvpor(0.12, 0.97, 0.35, 0.9);
    axis ax = {0, 1, -0.5, n - 0.5}, ay = {0, 1, lo, hi * 1.05};
    plwind(ax.lo, ax.hi, ay.lo, ay.hi);
    plcol0(9);
    pllsty(3);
    plbox("", 0, 0, "g", 0, 0);
    pllsty(1);
    plcol0(1);
    plschr(0, 0.9);
    label_zero[2] = 1e-9 * (ay.hi - ay.lo);
    plslabelfunc(label_g, NULL);
    plbox("bc", 0, 0, "bcnstvo", 0, 0);
    plslabelfunc(NULL, NULL);
    plschr(0, 1.0);
    plmtex("l", 5.4, 0.5, 0.5, c->ylabel);
    draw_title(c->title);
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

/* White to blue by t in [0, 1] into colour 15. */
static void heat_colour(double t)
{
    plscol0(15, (int)(255 - 224 * t), (int)(255 - 136 * t), (int)(255 - 75 * t));
    plcol0(15);
}

/* The colour bar right of the cells: the scale log(1 + count), ticks at
 * 0 and the powers of ten up to the largest count. */
static void draw_colour_bar(double hi)
{
    enum { STEPS = 64 };
    plvpor(0.86, 0.885, 0.28, 0.9);
    plwind(0, 1, 0, 1);
    for (int i = 0; i < STEPS; i++) {
        double x[4] = {0, 0, 1, 1}, y[4] = {(double)i / STEPS, (i + 1.0) / STEPS, (i + 1.0) / STEPS, (double)i / STEPS};
        heat_colour((i + 0.5) / STEPS);
        plfill(4, x, y);
    }
    plcol0(1);
    plbox("bc", 0, 0, "bc", 0, 0);
    plschr(0, 0.7);
    double last = -1;
    for (double v = 0; hi > 0 && v <= hi; v = v == 0 ? 1 : v * 10) {
        double t = log1p(v) / log1p(hi), tx[2] = {0.6, 1}, ty[2] = {t, t};
        plline(2, tx, ty);
        if (t - last < 0.07)
            continue;
        char txt[32];
        snprintf(txt, sizeof txt, "%g", v);
        plmtex("rv", 0.6, t, 0.0, txt);
        last = t;
    }
    plschr(0, 0.8);
    plmtex("r", 5.2, 0.5, 0.5, "rows (log scale)");
    plschr(0, 1.0);
}

static void draw_heatmap(const void *p)
{
    const heat_ctx *c = p;
    double hi = 0;
    for (int i = 0; i < c->rows * c->cols; i++)
        if (c->m[i] > hi)
            hi = c->m[i];
    plvpor(0.24, 0.8, 0.28, 0.9);
    plwind(0, c->cols, 0, c->rows);
    plschr(0, 0.8);
    /* cells: white to blue by log of the count, so small cells show */
    for (int r = 0; r < c->rows; r++)
        for (int k = 0; k < c->cols; k++) {
            double v = c->m[r * c->cols + k];
            double t = hi > 0 && v > 0 ? log1p(v) / log1p(hi) : 0;
            heat_colour(t);
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
    draw_title(c->title);
    plmtex("l", 11.0, 0.5, 0.5, "actual class");
    plmtex("b", 9.0, 0.5, 0.5, "predicted class");
    draw_colour_bar(hi);
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

/* The points of group g, mapped through the axes, in chunks. */
static void scatter_group(const scatter_ctx *c, const axis *ax, const axis *ay, int g)
{
    double bx[CHUNK], by[CHUNK];
    int m = 0;
    for (int64_t i = 0; i <= c->n; i++) {
        if (i < c->n && c->g[i] == g && isfinite(c->x[i]) && isfinite(c->y[i])) {
            bx[m] = axis_map(ax, c->x[i]);
            by[m++] = axis_map(ay, c->y[i]);
        }
        if (m > 0 && (m == CHUNK || i == c->n)) {
            plpoin(m, bx, by, 17);
            m = 0;
        }
    }
}

static void draw_scatter(const void *p)
{
    const scatter_ctx *c = p;
    enum { MAX_GROUPS = 256 };
    int64_t count[MAX_GROUPS] = {0};
    int order[MAX_GROUPS], ng = c->ng < MAX_GROUPS ? c->ng : MAX_GROUPS;
    axis ax, ay;
    axis_fit(&ax, c->x, c->n, 1, 0.03);
    axis_fit(&ay, c->y, c->n, 1, 0.03);
    for (int64_t i = 0; i < c->n; i++)
        if (c->g[i] >= 0 && c->g[i] < ng && isfinite(c->x[i]) && isfinite(c->y[i]))
            count[c->g[i]]++;
    /* the largest group first, the smallest last (ties: by index), so a
     * small class is drawn over a large one */
    for (int g = 0; g < ng; g++) {
        int k = g;
        while (k > 0 && count[order[k - 1]] < count[g]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = g;
    }
    viewport_with_legend();
    draw_frame(&ax, &ay, c->xlabel, c->ylabel, 1);
    draw_title(c->title);
    for (int i = 0; i < ng; i++) {
        int g = order[i], col = 2 + g % N_COLOURS;
        if (!count[g])
            continue;
        plscol0a(col, palette[col][0], palette[col][1], palette[col][2], 0.55);
        plcol0(col);
        scatter_group(c, &ax, &ay, g);
        plscol0a(col, palette[col][0], palette[col][1], palette[col][2], 1.0);
    }
    /* the legend names the groups with points, in group order */
    const char *text[MAX_LEGEND];
    int colour[MAX_LEGEND], nl = 0;
    for (int g = 0; g < ng && nl < MAX_LEGEND; g++)
        if (count[g]) {
            text[nl] = c->names[g];
            colour[nl++] = 2 + g % N_COLOURS;
        }
    draw_legend(nl, text, colour, 1);
}

baiot_status baiot_plot_scatter(const char *base, const char *title, const char *xlabel, const char *ylabel,
                          const double *x, const double *y, const int *group, int64_t n,
                          const char *const *group_names, int n_groups)
{
    scatter_ctx c = {title, xlabel, ylabel, x, y, group, n, group_names, n_groups};
    return render(base, draw_scatter, &c);
}
