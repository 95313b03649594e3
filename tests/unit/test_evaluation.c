/*
 * test_evaluation.c - unit and conformance tests of the evaluation module
 * (engine/evaluation/evaluation.c, eval_curves.c, eval_text.c, eval_json.c;
 * include/baiot/evaluation.h) and of Weka's number texts
 * (engine/weka/weka_numfmt.c).
 *
 * Conformance: every run in tests/golden/weka/eval (Weka 3.6.14's 10-fold
 * cross-validations of OneR, J48, NaiveBayes, ZeroR on Weka's example
 * files and edge files, plus hand-made corner cases; made by
 * tests/tools/java/make_eval_golden.sh) is replayed: each fold's training
 * class counts go to baiot_eval_set_priors, its pooled predictions to
 * baiot_eval_add.  Then counts and the confusion matrix must equal Weka's
 * exactly, every other figure within 1e-9 relative (NaN where Weka has
 * NaN), MCC and PRC area the values Weka 3.8's definitions give on Weka's
 * own confusion matrix and threshold curve, the threshold-curve points
 * Weka's ThresholdCurve points, and the printed 3.6 blocks Weka's
 * toSummaryString / toClassDetailsString / toMatrixString texts character
 * for character.  The 3.8 layout is checked for its column grid and for
 * '?' exactly where 3.8 leaves a figure undefined.
 *
 * Also: the per-fold priors are needed (full-data or Laplace-free priors
 * miss Weka's relative errors), the ROC area equals a brute-force
 * Mann-Whitney statistic with ties as 1/2, the JSON and CSV writers, bad
 * arguments, and every allocation failing in turn (clean
 * BAIOT_ERR_MEMORY, and after a retry the same results bit for bit).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/evaluation.h"
#include "kernels/base/alloc_testing.h"
#include "engine/weka/weka_numfmt.h"
#include "io/text/format_double.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tolerance for figures Weka gives as raw doubles (the task's contract). */
#define REL_TOL 1e-9

/* ---- files ---- */

static void golden_path(const char *name, char *buf, size_t size)
{
    const char *src = getenv("BAIOT_SRC");
    snprintf(buf, size, "%s/tests/golden/weka/eval/%s", src && *src ? src : "../..", name);
}

/* The whole file (NUL-terminated, malloc'd) or NULL. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static char *slurp_golden(const char *prefix, const char *ext)
{
    char name[512], path[4096];
    snprintf(name, sizeof name, "%s%s", prefix, ext);
    golden_path(name, path, sizeof path);
    char *s = slurp(path);
    if (!s)
        print_error("cannot read %s\n", path);
    assert_non_null(s);
    return s;
}

/* Splits text into lines in place; returns the count, lines in *out. */
static int split_lines(char *text, char ***out)
{
    int n = 0, cap = 64;
    char **lines = malloc((size_t)cap * sizeof *lines);
    char *p = text;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (n == cap) {
            cap *= 2;
            lines = realloc(lines, (size_t)cap * sizeof *lines);
        }
        lines[n++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
    *out = lines;
    return n;
}

/* Splits a line at tabs in place; returns the field count. */
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *t = strchr(p, '\t');
        if (!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

/* Java's Double.toString texts: strtod reads them, "NaN"/"Infinity" too. */
static double num(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    assert_true(end != s);
    return v;
}

/* ---- comparisons ---- */

static int n_exact, n_close; /* figures equal bit for bit / only within REL_TOL */

static int close_enough(double want, double got, double rel)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    if (want == got)
        return 1;
    double scale = fmax(fabs(want), fabs(got));
    return fabs(want - got) <= rel * fmax(scale, 1e-3);
}

static void check_close(const char *run, const char *what, double want, double got)
{
    if (!close_enough(want, got, REL_TOL)) {
        print_error("%s: %s: Weka %.17g, ours %.17g\n", run, what, want, got);
        fail();
    }
    if (want == got || (isnan(want) && isnan(got))) {
        n_exact++;
    } else {
        n_close++;
        /* EVAL_SHOW_INEXACT=1 lists them (only fractional-weight runs have
         * any: their sums depend on the order of the additions) */
        if (getenv("EVAL_SHOW_INEXACT"))
            fprintf(stderr, "inexact %s: %s %.17g %.17g\n", run, what, want, got);
    }
}

static void check_exact(const char *run, const char *what, double want, double got)
{
    if (!(want == got || (isnan(want) && isnan(got)))) {
        print_error("%s: %s: Weka %.17g, ours %.17g (must be exact)\n", run, what, want, got);
        fail();
    }
    n_exact++;
}

static void check_text(const char *run, const char *what, const char *want, const char *got)
{
    if (strcmp(want, got) != 0) {
        print_error("%s: %s differs.\n--- Weka:\n%s--- ours:\n%s---\n", run, what, want, got);
        fail();
    }
}

/* ---- a golden run ---- */

typedef struct stats_kv {
    char *text;
    char **lines;
    int n;
} stats_kv;

static const char *kv_get(const stats_kv *kv, const char *key)
{
    size_t len = strlen(key);
    for (int i = 0; i < kv->n; i++)
        if (strncmp(kv->lines[i], key, len) == 0 && kv->lines[i][len] == '\t')
            return kv->lines[i] + len + 1;
    print_error("stats key %s missing\n", key);
    fail();
    return NULL;
}

static double kv_num(const stats_kv *kv, const char *fmt, ...)
{
    char key[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    return num(kv_get(kv, key));
}

typedef struct golden_run {
    char prefix[256];
    stats_kv kv;
    int k;
    char **names;
    int64_t n;
    int *fold, *actual;
    double *weight, *dist;
    int nfolds;
    int *first, *count;
    double *counts, *priors; /* nfolds x k */
} golden_run;

static void load_run(const char *prefix, golden_run *g)
{
    memset(g, 0, sizeof *g);
    snprintf(g->prefix, sizeof g->prefix, "%s", prefix);
    g->kv.text = slurp_golden(prefix, ".stats.tsv");
    g->kv.n = split_lines(g->kv.text, &g->kv.lines);
    g->k = (int)kv_num(&g->kv, "num_classes");
    g->names = calloc((size_t)g->k, sizeof *g->names);
    for (int c = 0; c < g->k; c++) {
        char key[64];
        snprintf(key, sizeof key, "class_name.%d", c);
        g->names[c] = (char *)kv_get(&g->kv, key);
    }
    int64_t npred = (int64_t)kv_num(&g->kv, "num_predictions");

    char *text = slurp_golden(prefix, ".pred.tsv");
    char **lines;
    int nl = split_lines(text, &lines);
    g->fold = calloc((size_t)npred + 1, sizeof *g->fold);
    g->actual = calloc((size_t)npred + 1, sizeof *g->actual);
    g->weight = calloc((size_t)npred + 1, sizeof *g->weight);
    g->dist = calloc(((size_t)npred + 1) * (size_t)g->k, sizeof *g->dist);
    char *fields[1100];
    for (int i = 0; i < nl; i++) {
        if (lines[i][0] == '#' || lines[i][0] == '\0')
            continue;
        int nf = split_tabs(lines[i], fields, 1100);
        assert_int_equal(nf, 3 + g->k);
        assert_true(g->n < npred);
        g->fold[g->n] = atoi(fields[0]);
        g->actual[g->n] = atoi(fields[1]);
        g->weight[g->n] = num(fields[2]);
        for (int c = 0; c < g->k; c++)
            g->dist[(size_t)g->n * g->k + c] = num(fields[3 + c]);
        g->n++;
    }
    assert_int_equal(g->n, npred);
    free(lines);
    free(text);

    text = slurp_golden(prefix, ".folds.tsv");
    nl = split_lines(text, &lines);
    g->first = calloc((size_t)nl, sizeof *g->first);
    g->count = calloc((size_t)nl, sizeof *g->count);
    g->counts = calloc((size_t)nl * g->k, sizeof *g->counts);
    g->priors = calloc((size_t)nl * g->k, sizeof *g->priors);
    for (int i = 0; i < nl; i++) {
        if (lines[i][0] == '#' || lines[i][0] == '\0')
            continue;
        int nf = split_tabs(lines[i], fields, 1100);
        assert_int_equal(nf, 3 + 2 * g->k);
        int f = g->nfolds++;
        assert_int_equal(atoi(fields[0]), f);
        g->first[f] = atoi(fields[1]);
        g->count[f] = atoi(fields[2]);
        for (int c = 0; c < g->k; c++) {
            g->counts[(size_t)f * g->k + c] = num(fields[3 + c]);
            g->priors[(size_t)f * g->k + c] = num(fields[3 + g->k + c]);
        }
    }
    free(lines);
    free(text);
    /* folds tile the predictions in order */
    int64_t next = 0;
    for (int f = 0; f < g->nfolds; f++) {
        assert_int_equal(g->first[f], next);
        for (int i = 0; i < g->count[f]; i++)
            assert_int_equal(g->fold[next + i], f);
        next += g->count[f];
    }
    assert_int_equal(next, g->n);
}

static void free_run(golden_run *g)
{
    free(g->kv.text);
    free(g->kv.lines);
    free(g->names);
    free(g->fold);
    free(g->actual);
    free(g->weight);
    free(g->dist);
    free(g->first);
    free(g->count);
    free(g->counts);
    free(g->priors);
}

/* Replays the run: per fold, priors from `counts` (or from
 * `override_counts`, the same for every fold, when not NULL), then the
 * fold's predictions. */
static baiot_eval *replay(const golden_run *g, const double *override_counts)
{
    baiot_eval *e = NULL;
    assert_int_equal(baiot_eval_create(g->k, (const char *const *)g->names, &e), BAIOT_OK);
    for (int f = 0; f < g->nfolds; f++) {
        const double *cnt = override_counts ? override_counts : g->counts + (size_t)f * g->k;
        assert_int_equal(baiot_eval_set_priors(e, cnt), BAIOT_OK);
        for (int i = g->first[f]; i < g->first[f] + g->count[f]; i++)
            assert_int_equal(baiot_eval_add(e, g->actual[i], g->dist + (size_t)i * g->k,
                                            g->weight[i]),
                             BAIOT_OK);
    }
    return e;
}

/* A printing function's output as a malloc'd string. */
typedef baiot_status (*print_fn)(baiot_eval *, baiot_eval_layout, FILE *);

static char *capture(baiot_eval *e, baiot_eval_layout layout, print_fn fn)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(fn(e, layout, f), BAIOT_OK);
    fclose(f);
    return buf;
}

static baiot_status print_matrix_any(baiot_eval *e, baiot_eval_layout layout, FILE *f)
{
    (void)layout;
    return baiot_eval_print_matrix(e, f);
}

static baiot_status print_json_any(baiot_eval *e, baiot_eval_layout layout, FILE *f)
{
    (void)layout;
    return baiot_eval_write_json(e, f);
}

/* Weka 3.8's PRC area over Weka's curve points of class c (tp, fp per
 * point; precision NaN when tp + fp = 0, recall NaN when there are no
 * positives), from the last point back. */
static double prc38_from_points(const double *tp, const double *fp, int m, double tot_pos)
{
    (void)fp;
    double area = 0, xlast = tot_pos == 0 ? NAN : tp[m - 1] / tot_pos;
    for (int i = m - 2; i >= 0; i--) {
        double p = tp[i] + fp[i] == 0 ? NAN : tp[i] / (tp[i] + fp[i]);
        double r = tot_pos == 0 ? NAN : tp[i] / tot_pos;
        area += p * (r - xlast);
        xlast = r;
    }
    return area == 0 ? NAN : area;
}

/* The 3.8 value of a figure: NaN where 3.8 has it undefined. */
static double v38(const baiot_eval_class_stats *s, double v, unsigned bit)
{
    return (s->undefined & bit) ? NAN : v;
}

/* Checks one printed 3.8 row (after its 17-character lead) against the
 * figures: eight cells of widths 9 9 11 9 11 9 10 10, each "?" exactly
 * where 3.8 has NaN, else the value to 3 decimals. */
static void check_row38(const char *run, const char *row, const baiot_eval_class_stats *s,
                        const char *name)
{
    static const int widths[8] = {9, 9, 11, 9, 11, 9, 10, 10};
    const double want[8] = {
        v38(s, s->tp_rate, BAIOT_EVAL_UNDEF_TP_RATE),
        v38(s, s->fp_rate, BAIOT_EVAL_UNDEF_FP_RATE),
        v38(s, s->precision, BAIOT_EVAL_UNDEF_PRECISION),
        v38(s, s->recall, BAIOT_EVAL_UNDEF_TP_RATE),
        v38(s, s->f_measure, BAIOT_EVAL_UNDEF_F_MEASURE),
        v38(s, s->mcc, BAIOT_EVAL_UNDEF_MCC),
        v38(s, s->roc_area, BAIOT_EVAL_UNDEF_ROC_AREA),
        v38(s, s->prc_area, BAIOT_EVAL_UNDEF_PRC_AREA)};
    const char *p = row;
    for (int i = 0; i < 8; i++) {
        char cell[32];
        assert_true(strlen(p) >= (size_t)widths[i]);
        memcpy(cell, p, (size_t)widths[i]);
        cell[widths[i]] = '\0';
        p += widths[i];
        if (isnan(want[i])) {
            if (strncmp(cell, "?", 1) != 0 || strspn(cell + 1, " ") != strlen(cell + 1)) {
                print_error("%s: 3.8 cell %d of '%s' is '%s', want '?'\n", run, i, row, cell);
                fail();
            }
        } else {
            char *end;
            double v = strtod(cell, &end);
            if (end == cell || fabs(v - want[i]) > 0.0005 + 1e-12 || cell[0] == ' ') {
                print_error("%s: 3.8 cell %d of '%s' is '%s', want %.6f\n", run, i, row, cell,
                            want[i]);
                fail();
            }
        }
    }
    assert_string_equal(p, name);
}

static void check_layout38(const golden_run *g, baiot_eval *e, const baiot_eval_results *r)
{
    char *text = capture(e, BAIOT_EVAL_LAYOUT_WEKA38, baiot_eval_print_class_details);
    char **lines;
    int n = split_lines(text, &lines);
    assert_true(n >= 4 + g->k);
    assert_string_equal(lines[0], "=== Detailed Accuracy By Class ===");
    assert_string_equal(lines[1], "");
    assert_string_equal(lines[2], "                 TP Rate  FP Rate  Precision  Recall   "
                                  "F-Measure  MCC      ROC Area  PRC Area  Class");
    for (int c = 0; c < g->k; c++) {
        assert_true(strncmp(lines[3 + c], "                 ", 17) == 0);
        check_row38(g->prefix, lines[3 + c] + 17, &r->per_class[c], g->names[c]);
    }
    assert_true(strncmp(lines[3 + g->k], "Weighted Avg.    ", 17) == 0);
    check_row38(g->prefix, lines[3 + g->k] + 17, &r->weighted, "");
    free(lines);
    free(text);
    /* the 3.8 summary has the 3.6.14 lines */
    char *s36 = capture(e, BAIOT_EVAL_LAYOUT_WEKA36, baiot_eval_print_summary);
    char *s38 = capture(e, BAIOT_EVAL_LAYOUT_WEKA38, baiot_eval_print_summary);
    assert_string_equal(s36, s38);
    free(s36);
    free(s38);
}

/* Compares the threshold curves: every class's point count with Weka's,
 * and the points of the classes in .roc.tsv one by one; also returns (in
 * prc_want[c], for those classes) the 3.8 PRC area over Weka's points. */
static void check_curves(const golden_run *g, baiot_eval *e, double *prc_want)
{
    char *text = slurp_golden(g->prefix, ".roc.tsv");
    char **lines;
    int nl = split_lines(text, &lines);
    for (int c = 0; c < g->k; c++) {
        const baiot_eval_roc_point *pts;
        int64_t m;
        char what[96];
        prc_want[c] = NAN;
        assert_int_equal(baiot_eval_roc(e, c, &pts, &m), BAIOT_OK);
        assert_int_equal(m, (int64_t)kv_num(&g->kv, "curve_points.%d", c));
        int64_t j = 0;
        double *tp = calloc((size_t)m + 1, sizeof *tp), *fp = calloc((size_t)m + 1, sizeof *fp);
        double tot_pos = 0;
        int seen = 0;
        for (int i = 0; i < nl; i++) {
            char *fields[8];
            char copy[1024];
            if (lines[i][0] == '#' || lines[i][0] == '\0')
                continue;
            snprintf(copy, sizeof copy, "%s", lines[i]);
            int nf = split_tabs(copy, fields, 8);
            assert_int_equal(nf, 7);
            if (atoi(fields[0]) != c)
                continue;
            seen = 1;
            assert_true(j < m);
            snprintf(what, sizeof what, "curve %d point %lld threshold", c, (long long)j);
            check_exact(g->prefix, what, num(fields[1]), pts[j].threshold);
            snprintf(what, sizeof what, "curve %d point %lld tp", c, (long long)j);
            check_close(g->prefix, what, num(fields[2]), pts[j].tp);
            snprintf(what, sizeof what, "curve %d point %lld fp", c, (long long)j);
            check_close(g->prefix, what, num(fields[3]), pts[j].fp);
            snprintf(what, sizeof what, "curve %d point %lld tpr", c, (long long)j);
            check_close(g->prefix, what, num(fields[4]), pts[j].tpr);
            snprintf(what, sizeof what, "curve %d point %lld fpr", c, (long long)j);
            check_close(g->prefix, what, num(fields[5]), pts[j].fpr);
            snprintf(what, sizeof what, "curve %d point %lld precision", c, (long long)j);
            check_close(g->prefix, what, num(fields[6]), pts[j].precision);
            tp[j] = num(fields[2]);
            fp[j] = num(fields[3]);
            if (j == 0)
                tot_pos = tp[0];
            j++;
        }
        if (seen) {
            assert_int_equal(j, m);
            prc_want[c] = m > 0 ? prc38_from_points(tp, fp, (int)m, tot_pos) : NAN;
        } else {
            prc_want[c] = kv_num(&g->kv, "derived.prc_area.%d", c);
        }
        free(tp);
        free(fp);
    }
    free(lines);
    free(text);
}

static void check_run(const char *prefix)
{
    golden_run g;
    char what[96];
    load_run(prefix, &g);
    baiot_eval *e = replay(&g, NULL);
    const baiot_eval_results *r;
    assert_int_equal(baiot_eval_compute(e, &r), BAIOT_OK);

    /* Weka's priors are the fold's training counts plus one */
    for (int f = 0; f < g.nfolds; f++)
        for (int c = 0; c < g.k; c++)
            check_close(prefix, "prior", g.priors[(size_t)f * g.k + c],
                        1 + g.counts[(size_t)f * g.k + c]);

    const stats_kv *kv = &g.kv;
    assert_int_equal(r->n_predictions, g.n);
    check_exact(prefix, "correct", kv_num(kv, "correct"), r->correct);
    check_exact(prefix, "incorrect", kv_num(kv, "incorrect"), r->incorrect);
    check_exact(prefix, "unclassified", kv_num(kv, "unclassified"), r->unclassified);
    check_exact(prefix, "num_instances", kv_num(kv, "num_instances"), r->num_instances);
    check_exact(prefix, "missing_class", kv_num(kv, "missing_class"), r->missing_class);
    check_close(prefix, "pct_correct", kv_num(kv, "pct_correct"), r->pct_correct);
    check_close(prefix, "pct_incorrect", kv_num(kv, "pct_incorrect"), r->pct_incorrect);
    check_close(prefix, "pct_unclassified", kv_num(kv, "pct_unclassified"), r->pct_unclassified);
    check_close(prefix, "kappa", kv_num(kv, "kappa"), r->kappa);
    check_close(prefix, "mae", kv_num(kv, "mean_absolute_error"), r->mean_absolute_error);
    check_close(prefix, "rmse", kv_num(kv, "root_mean_squared_error"),
                r->root_mean_squared_error);
    check_close(prefix, "rae", kv_num(kv, "relative_absolute_error"),
                r->relative_absolute_error);
    check_close(prefix, "rrse", kv_num(kv, "root_relative_squared_error"),
                r->root_relative_squared_error);
    check_close(prefix, "mpae", kv_num(kv, "mean_prior_absolute_error"),
                r->mean_prior_absolute_error);
    check_close(prefix, "rmpse", kv_num(kv, "root_mean_prior_squared_error"),
                r->root_mean_prior_squared_error);
    for (int i = 0; i < g.k; i++)
        for (int j = 0; j < g.k; j++) {
            snprintf(what, sizeof what, "confusion %d %d", i, j);
            check_exact(prefix, what, kv_num(kv, "confusion.%d.%d", i, j),
                        r->confusion[(size_t)i * g.k + j]);
        }
    double *prc_want = calloc((size_t)g.k, sizeof *prc_want);
    check_curves(&g, e, prc_want);
    for (int c = 0; c < g.k; c++) {
        const baiot_eval_class_stats *s = &r->per_class[c];
#define PC(key, field, fn)                                                                      \
    do {                                                                                        \
        snprintf(what, sizeof what, "%s class %d", key, c);                                    \
        fn(prefix, what, kv_num(kv, key ".%d", c), s->field);                                  \
    } while (0)
        PC("num_tp", tp, check_exact);
        PC("num_fp", fp, check_exact);
        PC("num_tn", tn, check_exact);
        PC("num_fn", fn, check_exact);
        PC("tp_rate", tp_rate, check_close);
        PC("fp_rate", fp_rate, check_close);
        PC("precision", precision, check_close);
        PC("recall", recall, check_close);
        PC("f_measure", f_measure, check_close);
        PC("roc_area", roc_area, check_close);
        PC("derived.mcc", mcc, check_close);
#undef PC
        snprintf(what, sizeof what, "prc_area class %d", c);
        check_close(prefix, what, prc_want[c], s->prc_area);
    }
    free(prc_want);
    check_close(prefix, "weighted tp_rate", kv_num(kv, "weighted_tp_rate"), r->weighted.tp_rate);
    check_close(prefix, "weighted fp_rate", kv_num(kv, "weighted_fp_rate"), r->weighted.fp_rate);
    check_close(prefix, "weighted precision", kv_num(kv, "weighted_precision"),
                r->weighted.precision);
    check_close(prefix, "weighted recall", kv_num(kv, "weighted_recall"), r->weighted.recall);
    check_close(prefix, "weighted f_measure", kv_num(kv, "weighted_f_measure"),
                r->weighted.f_measure);
    check_close(prefix, "weighted roc_area", kv_num(kv, "weighted_roc_area"),
                r->weighted.roc_area);

    /* Weka's texts, character for character (3.6.14 layout) */
    char *want = slurp_golden(prefix, ".summary.txt");
    char *got = capture(e, BAIOT_EVAL_LAYOUT_WEKA36, baiot_eval_print_summary);
    check_text(prefix, "summary", want, got);
    free(want);
    free(got);
    want = slurp_golden(prefix, ".details.txt");
    got = capture(e, BAIOT_EVAL_LAYOUT_WEKA36, baiot_eval_print_class_details);
    check_text(prefix, "class details", want, got);
    free(want);
    free(got);
    want = slurp_golden(prefix, ".matrix.txt");
    got = capture(e, BAIOT_EVAL_LAYOUT_WEKA36, print_matrix_any);
    check_text(prefix, "confusion matrix", want, got);
    free(want);
    free(got);

    check_layout38(&g, e, r);
    baiot_eval_free(e);
    free_run(&g);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The prefixes of all golden runs (sorted). */
static int list_runs(char ***out)
{
    char dir[4096];
    golden_path("", dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d)
        print_error("cannot open %s\n", dir);
    assert_non_null(d);
    int n = 0;
    char **names = malloc(1024 * sizeof *names);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        const char *ext = ".stats.tsv";
        if (len > strlen(ext) && strcmp(de->d_name + len - strlen(ext), ext) == 0) {
            assert_true(n < 1024);
            names[n] = strdup(de->d_name);
            names[n][len - strlen(ext)] = '\0';
            n++;
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    *out = names;
    return n;
}

static void test_golden_runs(void **state)
{
    (void)state;
    char **runs;
    int n = list_runs(&runs);
    assert_true(n >= 35);
    n_exact = n_close = 0;
    for (int i = 0; i < n; i++) {
        check_run(runs[i]);
        free(runs[i]);
    }
    free(runs);
    print_message("%d golden runs: %d figures equal bit for bit, %d within %g relative\n", n,
                  n_exact, n_close, REL_TOL);
}

/* Weka's relative errors need each fold's own training priors, with the
 * +1 of each class: full-data priors or Laplace-free ones miss them. */
static void test_priors_per_fold(void **state)
{
    (void)state;
    const char *const runs[] = {"iris-edge.ZeroR", "diabetes.J48", "soybean.OneR",
                                "credit-g.NaiveBayes"};
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        golden_run g;
        const baiot_eval_results *r;
        load_run(runs[i], &g);
        double rae = kv_num(&g.kv, "relative_absolute_error");
        double rrse = kv_num(&g.kv, "root_relative_squared_error");
        /* per fold: Weka's figures */
        baiot_eval *e = replay(&g, NULL);
        assert_int_equal(baiot_eval_compute(e, &r), BAIOT_OK);
        assert_true(close_enough(rae, r->relative_absolute_error, REL_TOL));
        assert_true(close_enough(rrse, r->root_relative_squared_error, REL_TOL));
        baiot_eval_free(e);
        /* the full data's class counts for every fold: wrong */
        double *full = calloc((size_t)g.k, sizeof *full);
        for (int64_t j = 0; j < g.n; j++)
            if (g.actual[j] >= 0)
                full[g.actual[j]] += g.weight[j];
        e = replay(&g, full);
        assert_int_equal(baiot_eval_compute(e, &r), BAIOT_OK);
        assert_false(close_enough(rae, r->relative_absolute_error, 1e-6));
        baiot_eval_free(e);
        /* per fold without Weka's +1: emulate by subtracting 1 from the
         * counts... counts - 1 + 1 = counts as priors (Laplace-free) */
        golden_run g2 = g;
        double *minus = calloc((size_t)g.nfolds * g.k, sizeof *minus);
        int ok = 1;
        for (int f = 0; f < g.nfolds * g.k; f++) {
            minus[f] = g.counts[f] - 1;
            ok &= minus[f] >= 0;
        }
        if (ok) {
            g2.counts = minus;
            e = replay(&g2, NULL);
            assert_int_equal(baiot_eval_compute(e, &r), BAIOT_OK);
            assert_false(close_enough(rae, r->relative_absolute_error, 1e-6));
            baiot_eval_free(e);
        }
        free(minus);
        free(full);
        free_run(&g);
    }
}

/* ---- number texts ---- */

static double from_hex(const char *s)
{
    unsigned long long bits = strtoull(s, NULL, 16);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Checks one golden of number texts (dts / fmt / jstr lines, HEXBITS the
 * double's bits): every text must equal Java's, character for character.
 * Returns the number of lines checked. */
static int check_number_texts(const char *prefix)
{
    char *text = slurp_golden(prefix, ".tsv");
    char **lines;
    int n = split_lines(text, &lines), checked = 0;
    for (int i = 0; i < n; i++) {
        char *f[6];
        char got[WEKA_NUMFMT_MAX];
        if (lines[i][0] == '#' || lines[i][0] == '\0')
            continue;
        int nf = split_tabs(lines[i], f, 6);
        double v = from_hex(f[1]);
        const char *want = "";
        if (strcmp(f[0], "dts") == 0) {
            assert_int_equal(nf, 5);
            baiot_weka_numfmt_dts(v, atoi(f[2]), atoi(f[3]), got, sizeof got);
            want = f[4];
        } else if (strcmp(f[0], "fmt") == 0) {
            assert_int_equal(nf, 4);
            baiot_weka_numfmt_java_fixed(v, atoi(f[2]), got, sizeof got);
            want = f[3];
        } else if (strcmp(f[0], "jstr") == 0) {
            assert_int_equal(nf, 3);
            baiot_weka_numfmt_java_double(v, got, sizeof got);
            want = f[2];
        } else {
            fail();
        }
        if (strcmp(got, want) != 0) {
            print_error("%s line %d: %s of %.17g (%s): Java [%s], ours [%s]\n", prefix, i + 1, f[0], v, f[1],
                        want, got);
            fail();
        }
        checked++;
    }
    free(lines);
    free(text);
    return checked;
}

/* Weka's doubleToString and Java's texts for ~500 values (formats.tsv). */
static void test_number_texts(void **state)
{
    (void)state;
    int checked = check_number_texts("formats");
    assert_true(checked > 4000);
    print_message("%d number texts checked\n", checked);
}

/* Java 17's Double.toString and String.format("%.nf") where they are not
 * the shortest round-trip text (integers beyond 2^53, powers of two,
 * subnormals, N-BaIoT's 1e12..1e19 variances: java_double.tsv, made by
 * tests/tools/java/JavaDoubleTexts.java). */
static void test_java_double_texts(void **state)
{
    (void)state;
    int checked = check_number_texts("java_double");
    assert_true(checked > 10000);
    print_message("%d Java number texts checked\n", checked);
}

/* ---- hand-made checks ---- */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Random rows with many ties, zero and fractional weights, missing classes. */
static baiot_eval *random_eval(int k, int n, int **actual_out, double **dist_out,
                               double **w_out)
{
    baiot_eval *e = NULL;
    int *actual = malloc((size_t)n * sizeof *actual);
    double *dist = malloc((size_t)n * k * sizeof *dist);
    double *w = malloc((size_t)n * sizeof *w);
    static const double weights[] = {0, 0.5, 1, 1, 1, 2, 0.3};
    assert_int_equal(baiot_eval_create(k, NULL, &e), BAIOT_OK);
    for (int i = 0; i < n; i++) {
        actual[i] = (int)(next_rand() % (uint64_t)(k + 1)) - 1; /* -1: missing */
        w[i] = weights[next_rand() % 7];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            dist[(size_t)i * k + c] = (double)(next_rand() % 5);
            sum += dist[(size_t)i * k + c];
        }
        for (int c = 0; c < k; c++)
            dist[(size_t)i * k + c] = sum > 0 ? dist[(size_t)i * k + c] / sum : 0;
        if (i % 50 == 0) {
            double counts[8] = {0};
            for (int c = 0; c < k; c++)
                counts[c] = (double)(next_rand() % 100);
            assert_int_equal(baiot_eval_set_priors(e, counts), BAIOT_OK);
        }
        assert_int_equal(baiot_eval_add(e, actual[i], dist + (size_t)i * k, w[i]), BAIOT_OK);
    }
    *actual_out = actual;
    *dist_out = dist;
    *w_out = w;
    return e;
}

/* The ROC area is the Mann-Whitney statistic with ties counted 1/2, rows
 * of other classes - and of a missing class - being the negatives. */
static void test_roc_is_mann_whitney(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        int k = 2 + round % 3, n = 30 + round * 17;
        int *actual;
        double *dist, *w;
        baiot_eval *e = random_eval(k, n, &actual, &dist, &w);
        const baiot_eval_results *r;
        assert_int_equal(baiot_eval_compute(e, &r), BAIOT_OK);
        for (int c = 0; c < k; c++) {
            double num_ = 0, wp = 0, wn = 0;
            for (int i = 0; i < n; i++) {
                if (actual[i] == c)
                    wp += w[i];
                else
                    wn += w[i];
                if (actual[i] != c)
                    continue;
                for (int j = 0; j < n; j++) {
                    if (actual[j] == c)
                        continue;
                    double si = dist[(size_t)i * k + c], sj = dist[(size_t)j * k + c];
                    num_ += w[i] * w[j] * (si > sj ? 1.0 : si == sj ? 0.5 : 0.0);
                }
            }
            double want = num_ / (wp * wn);
            assert_true(close_enough(want, r->per_class[c].roc_area, 1e-12));
            /* the curve: thresholds rise, the first point has everything */
            const baiot_eval_roc_point *pts;
            int64_t m;
            assert_int_equal(baiot_eval_roc(e, c, &pts, &m), BAIOT_OK);
            assert_true(m >= 1);
            assert_true(close_enough(wp, pts[0].tp, 1e-12));
            assert_true(close_enough(wn, pts[0].fp, 1e-12));
            for (int64_t i = 1; i < m; i++) {
                assert_true(pts[i].threshold > pts[i - 1].threshold);
                assert_true(pts[i].tp <= pts[i - 1].tp + 1e-12);
                assert_true(pts[i].fp <= pts[i - 1].fp + 1e-12);
            }
        }
        baiot_eval_free(e);
        free(actual);
        free(dist);
        free(w);
    }
}

/* A tiny example worked by hand: the points of class 0. */
static void test_roc_points_by_hand(void **state)
{
    (void)state;
    baiot_eval *e = NULL;
    const char *names[] = {"yes", "no"};
    assert_int_equal(baiot_eval_create(2, names, &e), BAIOT_OK);
    /* p(yes), actual: 0.9 yes, 0.8 no, 0.8 yes, 0.3 no, 0.3 (missing) */
    const double d[5][2] = {{0.9, 0.1}, {0.8, 0.2}, {0.8, 0.2}, {0.3, 0.7}, {0.3, 0.7}};
    const int a[5] = {0, 1, 0, 1, -1};
    for (int i = 0; i < 5; i++)
        assert_int_equal(baiot_eval_add(e, a[i], d[i], 1), BAIOT_OK);
    const baiot_eval_roc_point *p;
    int64_t m;
    assert_int_equal(baiot_eval_roc(e, 0, &p, &m), BAIOT_OK);
    /* thresholds 0.3, 0.8, 0.9 and the terminal 0.9 + 1e-5; the missing
     * row is a negative: 2 positives, 3 negatives */
    assert_int_equal(m, 4);
    const double thr[4] = {0.3, 0.8, 0.9, 0.9 + 10e-6};
    const double tp[4] = {2, 2, 1, 0}, fp[4] = {3, 1, 0, 0};
    for (int i = 0; i < 4; i++) {
        assert_true(p[i].threshold == thr[i]);
        assert_true(p[i].tp == tp[i]);
        assert_true(p[i].fp == fp[i]);
        assert_true(p[i].fn == 2 - tp[i]);
        assert_true(p[i].tn == 3 - fp[i]);
        assert_true(p[i].tpr == tp[i] / 2);
        assert_true(p[i].fpr == fp[i] / 3);
    }
    assert_true(p[3].precision == 0); /* 3.6.14: 0 when nothing is predicted */
    const baiot_eval_results *r;
    assert_int_equal(baiot_eval_compute(e, &r), BAIOT_OK);
    /* Mann-Whitney: 0.9 beats 3 negatives; 0.8 beats 2 and ties 1 -> 5.5/6 */
    assert_true(fabs(r->per_class[0].roc_area - 5.5 / 6) < 1e-15);
    /* CSV and JSON of the curve */
    char *csv = NULL, *json = NULL;
    size_t lc, lj;
    FILE *fc = open_memstream(&csv, &lc), *fj = open_memstream(&json, &lj);
    assert_int_equal(baiot_eval_write_roc(e, 0, fc, fj), BAIOT_OK);
    fclose(fc);
    fclose(fj);
    assert_string_equal(csv, "threshold,tpr,fpr,tp,fn,fp,tn,precision\n"
                             "0.3,1.0,1.0,2.0,0.0,3.0,0.0,0.4\n"
                             "0.8,1.0,0.3333333333333333,2.0,0.0,1.0,2.0,0.6666666666666666\n"
                             "0.9,0.5,0.0,1.0,1.0,0.0,3.0,1.0\n"
                             "0.90001,0.0,0.0,0.0,2.0,0.0,3.0,0.0\n");
    assert_non_null(strstr(json, "\"format\": \"baiot-roc-curve\""));
    assert_non_null(strstr(json, "\"class\": \"yes\""));
    assert_non_null(strstr(json, "\"n_points\": 4"));
    assert_non_null(strstr(json, "\"threshold\": [0.3, 0.8, 0.9, 0.90001]"));
    assert_non_null(strstr(json, "\"tpr\": [1.0, 1.0, 0.5, 0.0]"));
    assert_non_null(strstr(json, "\"fpr\": [1.0, 0.3333333333333333, 0.0, 0.0]"));
    free(csv);
    free(json);
    /* a row added after the curve was made: the next curve has it */
    const double top[2] = {0.95, 0.05};
    assert_int_equal(baiot_eval_add(e, 1, top, 1), BAIOT_OK);
    assert_int_equal(baiot_eval_compute(e, &r), BAIOT_OK);
    assert_int_equal(baiot_eval_roc(e, 0, &p, &m), BAIOT_OK);
    assert_int_equal(m, 5);
    assert_true(p[0].fp == 4 && p[3].threshold == 0.95 && p[3].fp == 1);
    assert_true(fabs(r->per_class[0].roc_area - 5.5 / 8) < 1e-15);
    baiot_eval_free(e);
}

/* The JSON document of a golden run holds Weka's figures; undefined ones
 * are null. */
static void test_json(void **state)
{
    (void)state;
    golden_run g;
    load_run("iris-edge.OneR", &g);
    baiot_eval *e = replay(&g, NULL);
    const baiot_eval_results *r;
    assert_int_equal(baiot_eval_compute(e, &r), BAIOT_OK);
    char *json = capture(e, BAIOT_EVAL_LAYOUT_WEKA36, print_json_any);
    char want[256], numtext[FORMAT_DOUBLE_MAX];
    baiot_format_double(r->pct_correct, numtext);
    snprintf(want, sizeof want, "\"pct_correct\": %s,", numtext);
    assert_non_null(strstr(json, want));
    baiot_format_double(r->kappa, numtext);
    snprintf(want, sizeof want, "\"kappa\": %s,", numtext);
    assert_non_null(strstr(json, want));
    assert_non_null(strstr(json, "\"class_names\": [\"Iris-setosa\", \"Iris-versicolor\", "
                                 "\"Iris-virginica\", \"Iris-unseen\"]"));
    assert_non_null(strstr(json, "\"missing_class\": 6.0"));
    assert_non_null(strstr(json, "\"roc_area\": null,"));
    assert_non_null(strstr(json, "\"undefined\": [\"tp_rate\", \"precision\", \"f_measure\", "
                                 "\"mcc\", \"roc_area\", \"prc_area\"]"));
    /* braces and brackets balance */
    int depth = 0;
    for (const char *p = json; *p; p++) {
        depth += (*p == '{' || *p == '[') - (*p == '}' || *p == ']');
        assert_true(depth >= 0);
    }
    assert_int_equal(depth, 0);
    /* the report is the three blocks under the title */
    char *rep = NULL;
    size_t len;
    FILE *f = open_memstream(&rep, &len);
    assert_int_equal(baiot_eval_print_report(e, BAIOT_EVAL_LAYOUT_WEKA36, NULL, f), BAIOT_OK);
    fclose(f);
    char *s = slurp_golden("iris-edge.OneR", ".summary.txt");
    char *d = slurp_golden("iris-edge.OneR", ".details.txt");
    char *m = slurp_golden("iris-edge.OneR", ".matrix.txt");
    char *whole = malloc(strlen(s) + strlen(d) + strlen(m) + 64);
    sprintf(whole, "=== Stratified cross-validation ===\n%s\n%s\n%s", s, d, m);
    assert_string_equal(rep, whole);
    free(whole);
    free(s);
    free(d);
    free(m);
    free(rep);
    free(json);
    baiot_eval_free(e);
    free_run(&g);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    baiot_eval *e = NULL;
    const double ok[2] = {0.5, 0.5}, neg[2] = {-0.1, 1.1}, nan2[2] = {NAN, 1};
    assert_int_equal(baiot_eval_create(0, NULL, &e), BAIOT_ERR_ARG);
    assert_null(e);
    assert_int_equal(baiot_eval_create(2, NULL, NULL), BAIOT_ERR_ARG);
    assert_int_equal(baiot_eval_create(2, NULL, &e), BAIOT_OK);
    assert_int_equal(baiot_eval_add(e, 2, ok, 1), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "out of range"));
    assert_int_equal(baiot_eval_add(e, -2, ok, 1), BAIOT_ERR_ARG);
    assert_int_equal(baiot_eval_add(e, 0, neg, 1), BAIOT_ERR_ARG);
    assert_int_equal(baiot_eval_add(e, 0, nan2, 1), BAIOT_ERR_ARG);
    assert_int_equal(baiot_eval_add(e, 0, ok, -1), BAIOT_ERR_ARG);
    assert_int_equal(baiot_eval_add(e, 0, ok, INFINITY), BAIOT_ERR_ARG);
    assert_int_equal(baiot_eval_set_priors(e, neg), BAIOT_ERR_ARG);
    assert_int_equal(baiot_eval_add(e, 0, NULL, 1), BAIOT_ERR_ARG);
    const int acts[2] = {0, 5};
    const double dd[4] = {1, 0, 0, 1};
    assert_int_equal(baiot_eval_add_batch(e, 2, acts, dd, NULL), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "row 1"));
    const baiot_eval_roc_point *p;
    int64_t m;
    assert_int_equal(baiot_eval_roc(e, 2, &p, &m), BAIOT_ERR_ARG);
    const baiot_eval_results *r;
    assert_int_equal(baiot_eval_compute(e, &r), BAIOT_OK);
    assert_int_equal(r->n_predictions, 1); /* the batch's first row */
    /* names default to class0, class1 */
    char *mat = capture(e, BAIOT_EVAL_LAYOUT_WEKA36, print_matrix_any);
    assert_non_null(strstr(mat, "a = class0\n"));
    free(mat);
    baiot_eval_free(e);
    baiot_eval_free(NULL);
}

/* Everything the module does once, with its texts, for the fault loop. */
typedef struct fault_out {
    char *text;
    size_t len;
} fault_out;

/* Runs the whole sequence; on a failing step retries it with allocation
 * failures off (so later steps run too).  Returns the number of steps that
 * failed; every failure must be a clean BAIOT_ERR_MEMORY. */
static int fault_sequence(const golden_run *g, fault_out *out)
{
    int failed = 0;
    baiot_eval *e = NULL;
    baiot_status st;
#define STEP(call)                                                                              \
    do {                                                                                        \
        st = (call);                                                                            \
        if (st != BAIOT_OK) {                                                                   \
            assert_int_equal(st, BAIOT_ERR_MEMORY);                                             \
            failed++;                                                                           \
            baiot_alloc_fail_at(0);                                                             \
            st = (call);                                                                        \
        }                                                                                       \
        assert_int_equal(st, BAIOT_OK);                                                         \
    } while (0)
    st = baiot_eval_create(g->k, (const char *const *)g->names, &e);
    if (st != BAIOT_OK) {
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(e);
        failed++;
        baiot_alloc_fail_at(0);
        assert_int_equal(baiot_eval_create(g->k, (const char *const *)g->names, &e), BAIOT_OK);
    }
    for (int rep = 0; rep < 3; rep++) /* 3 x the rows: the store grows twice */
        for (int f = 0; f < g->nfolds; f++) {
            STEP(baiot_eval_set_priors(e, g->counts + (size_t)f * g->k));
            for (int i = g->first[f]; i < g->first[f] + g->count[f]; i++)
                STEP(baiot_eval_add(e, g->actual[i], g->dist + (size_t)i * g->k, g->weight[i]));
        }
    FILE *f = open_memstream(&out->text, &out->len);
    assert_non_null(f);
    const baiot_eval_results *r;
    STEP(baiot_eval_compute(e, &r));
    STEP(baiot_eval_print_report(e, BAIOT_EVAL_LAYOUT_WEKA36, NULL, f));
    STEP(baiot_eval_print_class_details(e, BAIOT_EVAL_LAYOUT_WEKA38, f));
    STEP(baiot_eval_write_json(e, f));
    STEP(baiot_eval_write_roc(e, 1, f, f));
    fclose(f);
#undef STEP
    baiot_eval_free(e);
    return failed;
}

static void test_alloc_failures(void **state)
{
    (void)state;
    golden_run g;
    load_run("iris-edge.J48", &g);
    fault_out ref = {0};
    baiot_alloc_fail_at(0);
    assert_int_equal(fault_sequence(&g, &ref), 0);
    uint64_t total = baiot_alloc_fail_at(0);
    assert_true(total > 5);
    for (uint64_t k = 1; k <= total; k++) {
        fault_out got = {0};
        baiot_alloc_fail_at(k);
        int failed = fault_sequence(&g, &got);
        baiot_alloc_fail_at(0);
        assert_true(failed >= 1);
        /* after the retries, the same texts bit for bit */
        assert_int_equal(got.len, ref.len);
        assert_memory_equal(got.text, ref.text, ref.len);
        free(got.text);
    }
    free(ref.text);
    free_run(&g);
    print_message("fault injection: %llu allocations, each failed once\n",
                  (unsigned long long)total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_texts),
        cmocka_unit_test(test_java_double_texts),
        cmocka_unit_test(test_golden_runs),
        cmocka_unit_test(test_priors_per_fold),
        cmocka_unit_test(test_roc_is_mann_whitney),
        cmocka_unit_test(test_roc_points_by_hand),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
