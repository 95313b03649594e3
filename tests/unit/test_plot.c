/*
 * test_plot.c - the report figures: each function writes a valid PNG
 * (signature, IHDR 900x650) and a valid SVG (an <svg> document), leaves no
 * temporary file, and refuses an unwritable folder with a message.
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

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/baiot-test-plot-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_figures)};
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
