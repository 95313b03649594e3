/*
 * test_plot.c - the report figures: each function writes a valid PNG
 * (signature, IHDR 900x650) and a valid SVG (an <svg> document), leaves no
 * temporary file, and refuses an unwritable folder with a message; the
 * axis choices: a log axis for heavy-tailed values (three decades or more,
 * many of them squeezed at one end), not for an even spread nor a small
 * span; a log false-positive axis for near-perfect ROC curves, down to the
 * decade of the smallest positive FPR (floored at 1e-6), and a linear one
 * otherwise; a scatter on heavy-tailed columns with an absent group and a
 * ROC figure with an empty series are drawn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/plot/plot.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static void check_files(const char *base)
{
    char path[512];
    unsigned char head[24];
    snprintf(path, sizeof path, "%s.png", base);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(head, 1, 24, f), 24);
    fclose(f);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assert_memory_equal(head, sig, 8);
    assert_memory_equal(head + 12, "IHDR", 4);
    unsigned w = (unsigned)head[16] << 24 | (unsigned)head[17] << 16 | (unsigned)head[18] << 8 | head[19];
    assert_true(w >= 300);
    snprintf(path, sizeof path, "%s.svg", base);
    f = fopen(path, "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "<svg"));
}

static void no_temporaries(void)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        assert_null(strstr(de->d_name, ".tmp-"));
    closedir(d);
}

static void test_figures(void **state)
{
    (void)state;
    char base[400];
    double x[5] = {0, 0.1, 0.4, 0.8, 1}, y[5] = {0, 0.6, 0.9, 0.97, 1};
    plot_series s[2] = {{"benign", x, y, 5}, {"gafgyt", y, x, 5}};
    snprintf(base, sizeof base, "%s/roc", dir);
    assert_int_equal(baiot_plot_curves(base, "ROC", "false positive rate", "true positive rate", s, 2), BAIOT_OK);
    check_files(base);

    const char *labels[3] = {"MI_dir_L5_mean", "H_L5_mean", "HH_jit_L5_mean"};
    double merits[3] = {97.7, 96.2, 91.3};
    snprintf(base, sizeof base, "%s/bars", dir);
    assert_int_equal(baiot_plot_bars(base, "OneR merits", "accuracy (%)", labels, merits, 3), BAIOT_OK);
    check_files(base);

    const char *cls[3] = {"benign", "gafgyt", "mirai"};
    double m[9] = {62000, 100, 54, 3, 330000, 93, 0, 12, 436000};
    snprintf(base, sizeof base, "%s/heat", dir);
    assert_int_equal(baiot_plot_heatmap(base, "confusion matrix", cls, cls, m, 3, 3), BAIOT_OK);
    check_files(base);

    double px[300], py[300];
    int g[300];
    for (int i = 0; i < 300; i++) {
        g[i] = i % 3;
        px[i] = g[i] * 10 + (i * 7919 % 100) / 10.0;
        py[i] = g[i] * 5 + (i * 104729 % 100) / 20.0;
    }
    snprintf(base, sizeof base, "%s/scatter", dir);
    assert_int_equal(baiot_plot_scatter(base, "clusters", "x", "y", px, py, g, 300, cls, 3), BAIOT_OK);
    check_files(base);
    double lx[4] = {-1, 0.5, NAN, 3}, ly[4] = {0, 0.3, 0.5, 1};
    plot_series ls[2] = {{"benign", lx, ly, 4}, {"gafgyt_tcp", ly, lx, 4}};
    snprintf(base, sizeof base, "%s/lines", dir);
    assert_int_equal(baiot_plot_lines(base, "scores", "score", "fraction", ls, 2, 1, 0.7, "tr*"), BAIOT_OK);
    check_files(base);
    no_temporaries();

    assert_int_not_equal(baiot_plot_bars("/nonexistent-folder/x", "t", "y", labels, merits, 3), BAIOT_OK);
    assert_true(strlen(baiot_last_error()) > 0);
}

static void test_axis_choice(void **state)
{
    (void)state;
    enum { N = 1000 };
    static double heavy[N], even[N], narrow[N];
    double unit;
    for (int i = 0; i < N; i++) {
        heavy[i] = i % 10 == 0 ? 1.5e9 : (i % 7) * 3.0; /* counts and a few huge values, zeros too */
        even[i] = i * 1.5e6;                           /* 0 .. 1.5e9 evenly */
        narrow[i] = 60 + i % 1400;                     /* packet sizes */
    }
    assert_int_equal(baiot_plot_choose_log(heavy, N, &unit), 1);
    assert_true(unit == 10.0 /* 10^-8 of the largest, rounded down to a decade */);
    assert_int_equal(baiot_plot_choose_log(even, N, &unit), 0);
    assert_true(unit == 1.0);
    assert_int_equal(baiot_plot_choose_log(narrow, N, &unit), 0);
    double tiny[4] = {1e-7, 2e-7, 0, 1e-3};
    assert_int_equal(baiot_plot_choose_log(tiny, 4, &unit), 1);
    assert_true(unit == 1e-7);
    double nan4[4] = {NAN, INFINITY, NAN, NAN};
    assert_int_equal(baiot_plot_choose_log(nan4, 4, &unit), 0);

    /* ROC: a 99.9 % classifier's curves differ below FPR 1e-3 */
    double fx[4] = {0, 2.5e-5, 4e-4, 1}, fy[4] = {0, 0.9, 0.999, 1};
    double gx[3] = {0, 0.2, 1}, gy[3] = {0, 0.7, 1};
    plot_series good[2] = {{"benign", fx, fy, 4}, {"absent", NULL, NULL, 0}};
    plot_series fair[1] = {{"benign", gx, gy, 3}};
    assert_true(baiot_plot_roc_fpr_floor(good, 2) == 1e-5);
    assert_true(baiot_plot_roc_fpr_floor(fair, 1) == 0);
    double ux[3] = {0, 1e-9, 1};
    plot_series ultra[1] = {{"x", ux, gy, 3}};
    assert_true(baiot_plot_roc_fpr_floor(ultra, 1) == 1e-6);

    char base[400];
    snprintf(base, sizeof base, "%s/roc_log", dir);
    assert_int_equal(baiot_plot_curves(base, "ROC", "false positive rate", "true positive rate", good, 2), BAIOT_OK);
    check_files(base);
    int g[N];
    for (int i = 0; i < N; i++)
        g[i] = i % 10 == 0 ? 2 : 0; /* group 1 has no points: no legend entry */
    const char *names[3] = {"benign", "gafgyt", "mirai"};
    snprintf(base, sizeof base, "%s/scatter_log", dir);
    assert_int_equal(baiot_plot_scatter(base, "heavy tails", "x", "y", heavy, narrow, g, N, names, 3), BAIOT_OK);
    check_files(base);
    no_temporaries();
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/baiot-test-plot-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_figures), cmocka_unit_test(test_axis_choice)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    if (getenv("BAIOT_KEEP_PLOTS"))
        printf("figures kept in %s\n", dir);
    else {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return rc;
}
