/*
 * test_detect.c - the detector's split, scaling, threshold and window
 * logic (engine/detect/): the split gives three equal benign parts in row
 * order and DStst = the last third + every attack row, refusing too few or
 * no benign rows; the scaling keeps full precision for columns near 1.5e9,
 * zeroes constant columns, clips extreme values and refuses NaN naming the
 * column; tr* is mean + population sd; the window search and the window
 * alarm count agree with a brute-force count on random flag sequences; the
 * evaluation's rates and detection times on a hand-made DStst; the
 * protocol on a caller's view (baiot_detect_view over baiot_view_wrap)
 * is the run baiot_detect makes from an ARFF file of the same rows (tr*,
 * ws*, scores of new rows through baiot_detect_run_score and through the
 * saved detector file).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/detect/detect_internal.h"

#include "baiot/detect.h"
#include "baiot/view.h"

#include <stdio.h>
#include <unistd.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_split(void **state)
{
    (void)state;
    int y[100];
    /* rows 0..39 benign, 40..59 class 1, 60..69 benign, 70..99 class 2 ; one unlabelled row */
    for (int i = 0; i < 100; i++)
        y[i] = i < 40 || (i >= 60 && i < 70) ? 0 : i < 60 ? 1 : 2;
    y[99] = -1;
    detect_split s;
    assert_int_equal(baiot_detect_split_make(y, 100, 0, "x", &s), BAIOT_OK);
    assert_int_equal(s.n_benign, 50);
    assert_int_equal(s.n_trn, 16);
    assert_int_equal(s.n_opt, 16);
    assert_int_equal(s.n_tst_benign, 16);
    assert_int_equal(s.n_dropped, 2);
    assert_int_equal(s.n_tst, 16 + 20 + 29);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(s.trn[i], i);
        assert_int_equal(s.opt[i], 16 + i);
    }
    /* benign rows 32..39 and 60..67 make the third; attacks in between, in row order */
    for (int64_t i = 1; i < s.n_tst; i++)
        assert_true(s.tst[i] > s.tst[i - 1]);
    assert_int_equal(s.tst[0], 32);
    int64_t benign_in_tst = 0;
    for (int64_t i = 0; i < s.n_tst; i++)
        benign_in_tst += y[s.tst[i]] == 0;
    assert_int_equal(benign_in_tst, 16);
    baiot_detect_split_free(&s);

    for (int i = 0; i < 100; i++)
        y[i] = i < 29 ? 0 : 1;
    assert_int_equal(baiot_detect_split_make(y, 100, 0, "few.h5", &s), BAIOT_ERR_FORMAT);
    assert_non_null(strstr(baiot_last_error(), "few.h5 has 29 benign rows"));
    for (int i = 0; i < 100; i++)
        y[i] = 1;
    assert_int_equal(baiot_detect_split_make(y, 100, 0, "none.h5", &s), BAIOT_ERR_FORMAT);
    assert_non_null(strstr(baiot_last_error(), "no benign rows"));
    for (int i = 0; i < 30; i++)
        y[i] = 0;
    assert_int_equal(baiot_detect_split_make(y, 100, 0, "ok", &s), BAIOT_OK);
    assert_int_equal(s.n_trn, 10);
    baiot_detect_split_free(&s);
}

/* A pool of two devices: each device's benign rows cut in thirds on their
 * own, the parts joined in row order. */
static void test_split_groups(void **state)
{
    (void)state;
    enum { N = 80 };
    int y[N], g[N];
    /* device 0: rows 0..29 benign (30), 30..39 attack; device 1: rows
     * 40..72 benign (33), 73..79 attack */
    for (int i = 0; i < N; i++) {
        g[i] = i < 40 ? 0 : 1;
        y[i] = (i < 30 || (i >= 40 && i < 73)) ? 0 : 1;
    }
    detect_split s;
    assert_int_equal(baiot_detect_split_make_groups(y, g, 2, N, 0, "pool", &s), BAIOT_OK);
    assert_int_equal(s.n_benign, 63);
    assert_int_equal(s.n_trn, 10 + 11);
    assert_int_equal(s.n_opt, 21);
    assert_int_equal(s.n_dropped, 0);
    assert_int_equal(s.n_tst, 21 + 10 + 7);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(s.trn[i], i);       /* device 0's first third */
        assert_int_equal(s.opt[i], 10 + i);  /* its second */
    }
    for (int i = 0; i < 11; i++) {
        assert_int_equal(s.trn[10 + i], 40 + i); /* device 1's first third */
        assert_int_equal(s.opt[10 + i], 51 + i);
    }
    for (int64_t i = 1; i < s.n_tst; i++)
        assert_true(s.tst[i] > s.tst[i - 1]);
    baiot_detect_split_free(&s);
    /* a device of the pool with too few benign rows is named */
    for (int i = 0; i < N; i++)
        y[i] = (i < 20 || (i >= 40 && i < 73)) ? 0 : 1;
    assert_int_equal(baiot_detect_split_make_groups(y, g, 2, N, 0, "pool", &s), BAIOT_ERR_FORMAT);
    assert_non_null(strstr(baiot_last_error(), "device 1 of the pool"));
}

static void test_scale(void **state)
{
    (void)state;
    enum { N = 6 };
    double c0[N] = {1.5e9 + 1, 1.5e9 + 2, 1.5e9 + 3, 1.5e9 + 4, 3e15, 1.5e9}, c1[N] = {7, 7, 7, 7, 9, 7},
           c2[N] = {1, 2, 3, 4, 5, NAN};
    const double *cols[3] = {c0, c1, c2};
    const char *names[3] = {"HH_jit_L5_mean", "const", "gap"};
    int64_t trn[4] = {0, 1, 2, 3}, all[5] = {0, 1, 2, 3, 4};
    detect_scale s;
    assert_int_equal(baiot_detect_scale_fit(cols, 3, trn, 4, &s), BAIOT_OK);
    assert_true(s.mean[0] == 1.5e9 + 2.5); /* exact: the two-pass mean */
    assert_true(fabs(s.sd[0] - sqrt(1.25)) < 1e-12);
    assert_true(s.sd[1] == 0);
    double x[3 * 5];
    assert_int_equal(baiot_detect_scale_apply(&s, cols, names, all, 5, x), BAIOT_OK);
    assert_true(fabs(x[0] + 1.5 / sqrt(1.25)) < 1e-12);
    assert_true(x[4] == DETECT_CLIP);       /* 3e15: clipped */
    for (int i = 0; i < 5; i++)
        assert_true(x[5 + i] == 0);        /* constant on DStrn: 0, even the 9 */
    int64_t bad[1] = {5};
    assert_int_equal(baiot_detect_scale_apply(&s, cols, names, bad, 1, x), BAIOT_ERR_FORMAT);
    assert_non_null(strstr(baiot_last_error(), "column 'gap' has a missing value in row 6"));
    baiot_detect_scale_free(&s);
}

static void test_threshold(void **state)
{
    (void)state;
    double s[4] = {1, 2, 3, 6};
    /* mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5 */
    assert_true(fabs(baiot_detect_threshold(s, 4) - (3 + sqrt(3.5))) < 1e-15);
    assert_true(isnan(baiot_detect_threshold(s, 0)));
}

static int64_t brute_alarms(const unsigned char *f, int64_t n, int ws)
{
    int64_t a = 0;
    for (int64_t e = ws - 1; e < n; e++) {
        int c = 0;
        for (int64_t i = e - ws + 1; i <= e; i++)
            c += f[i];
        a += 2 * c > ws;
    }
    return a;
}

static void test_window(void **state)
{
    (void)state;
    unsigned char f[300];
    unsigned int seed = 7;
    for (int trial = 0; trial < 200; trial++) {
        int n = 1 + rand_r(&seed) % 300, p = rand_r(&seed) % 40;
        for (int i = 0; i < n; i++)
            f[i] = (unsigned)(rand_r(&seed) % 100) < (unsigned)p;
        for (int ws = 1; ws <= 12; ws++)
            assert_int_equal(baiot_detect_window_alarms(f, n, ws, NULL), brute_alarms(f, n, ws));
        int q, ws = baiot_detect_window(f, n, 50, &q);
        if (q) {
            assert_int_equal(brute_alarms(f, n, ws), 0);
            for (int w = 1; w < ws; w++)
                assert_true(brute_alarms(f, n, w) > 0);
        } else {
            for (int w = 1; w <= (n < 50 ? n : 50); w++) /* the smallest alarm fraction */
                assert_true(brute_alarms(f, n, w) * (n - ws + 1) >= brute_alarms(f, n, ws) * (n - w + 1));
        }
    }
    /* an even window split half and half does not alarm */
    unsigned char h[4] = {1, 0, 1, 0};
    assert_int_equal(baiot_detect_window_alarms(h, 4, 2, NULL), 0);
    assert_int_equal(baiot_detect_window_alarms(h, 4, 3, NULL), 1);
    int q;
    unsigned char all[5] = {1, 1, 1, 1, 1};
    assert_int_equal(baiot_detect_window(all, 5, 1000, &q), 1);
    assert_int_equal(q, 0);
    int64_t first;
    unsigned char g[6] = {0, 0, 1, 1, 0, 1};
    assert_int_equal(baiot_detect_window_alarms(g, 6, 3, &first), 3); /* 011, 110, 101 */
    assert_int_equal(first, 3);
}

static void test_eval(void **state)
{
    (void)state;
    /* DStst: 4 benign rows, 5 rows of attack 1 (alarm from its 3rd row at ws 3), 2 of attack 2 */
    int y[11] = {0, 1, 0, 1, 1, 1, 1, 0, 0, 2, 2};
    double sc[11] = {0, 0, 5, 9, 9, 9, 0, 0, 0, 9, 9};
    int64_t tst[11];
    for (int i = 0; i < 11; i++)
        tst[i] = i;
    const char *names[3] = {"benign", "a1", "a2"};
    detect_eval e;
    assert_int_equal(baiot_detect_eval_run(tst, sc, 11, y, names, 3, 0, 1.0, 3, &e), BAIOT_OK);
    assert_int_equal(e.n_kinds, 3);
    assert_string_equal(e.kind[0].name, "benign");
    assert_int_equal(e.kind[0].rows, 4);
    assert_int_equal(e.kind[0].flagged, 1);
    assert_int_equal(e.kind[0].windows, 2);
    assert_int_equal(e.kind[0].alarms, 0);
    assert_int_equal(e.kind[1].rows, 5);
    assert_int_equal(e.kind[1].flagged, 3);     /* 9, 9, 9 of 0 9 9 9 0 */
    assert_int_equal(e.kind[1].alarms, 3);      /* windows 099, 999, 990 */
    assert_int_equal(e.kind[1].detect_rows, 3);
    assert_int_equal(e.kind[2].windows, 0);     /* 2 rows < ws: no window */
    assert_int_equal(e.kind[2].detect_rows, -1);
    assert_int_equal(e.grid[0], 1);
    assert_int_equal(e.grid[2], 3);             /* ws* 3 is in the grid already */
    assert_true(e.kind[1].grid_rate[0] == 3.0 / 5);
    baiot_detect_eval_free(&e);
}

/* ---- the protocol on a caller's view ---- */

#define VN 240
#define VD 3

static double vrow(int i, int j)
{
    double base = i < 180 ? 0.0 : 6.0; /* rows 180.. are attacks */
    return base + sin(1.7 * i + 0.9 * j) + 0.1 * j + (double)((i * 7 + j * 3) % 5) * 0.05;
}

static void test_detect_view(void **state)
{
    (void)state;
    double *cols[VD];
    int y[VN];
    static const char *const names[VD] = {"f1", "f2", "f3"};
    static const char *const classes[2] = {"attack", "benign"};
    for (int j = 0; j < VD; j++) {
        cols[j] = malloc(VN * sizeof(double));
        for (int i = 0; i < VN; i++)
            cols[j][i] = vrow(i, j);
    }
    for (int i = 0; i < VN; i++)
        y[i] = i < 180 ? 1 : 0;
    /* the same rows as an ARFF file */
    char arff[] = "/tmp/baiot_test_detect_XXXXXX";
    int fd = mkstemp(arff);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "@relation r\n@attribute f1 numeric\n@attribute f2 numeric\n@attribute f3 numeric\n"
               "@attribute class {attack,benign}\n@data\n");
    for (int i = 0; i < VN; i++)
        fprintf(f, "%.17g,%.17g,%.17g,%s\n", vrow(i, 0), vrow(i, 1), vrow(i, 2), classes[y[i]]);
    fclose(f);

    baiot_detect_params p = baiot_detect_params_default();
    p.clusters = 2;
    baiot_view_params vp = baiot_view_params_default();
    baiot_detect_run *from_file = NULL, *from_view = NULL;
    assert_int_equal(baiot_detect(arff, &vp, &p, &from_file), BAIOT_OK);
    baiot_view *v = NULL;
    assert_int_equal(baiot_view_wrap(VN, VD, cols, names, y, 2, classes, "t", &v), BAIOT_OK);
    assert_int_equal(baiot_detect_view(v, "t", NULL, &p, &from_view), BAIOT_OK);
    baiot_detect_figures a, b;
    baiot_detect_get_figures(from_file, &a);
    baiot_detect_get_figures(from_view, &b);
    assert_true(a.threshold == b.threshold);
    assert_int_equal(a.window, b.window);
    assert_int_equal(a.dstrn, b.dstrn);
    assert_true(a.row_fpr == b.row_fpr && a.min_row_tpr == b.min_row_tpr);
    /* scores of the rows, live and through the saved file */
    double s1[VN], s2[VN];
    assert_int_equal(baiot_detect_run_score(from_view, v, s1), BAIOT_OK);
    char model[] = "/tmp/baiot_test_detect_model_XXXXXX";
    close(mkstemp(model));
    assert_int_equal(baiot_detect_run_save(from_view, model), BAIOT_OK);
    baiot_detector *d = NULL;
    assert_int_equal(baiot_detector_load(model, &d), BAIOT_OK);
    assert_int_equal(baiot_detector_score(d, v, s2), BAIOT_OK);
    assert_memory_equal(s1, s2, sizeof s1);
    assert_true(baiot_detector_threshold(d) == b.threshold);
    /* a view without benign rows, and a pooled request, are refused */
    int none[VN];
    for (int i = 0; i < VN; i++)
        none[i] = 0;
    baiot_view *w = NULL;
    baiot_detect_run *r = NULL;
    assert_int_equal(baiot_view_wrap(VN, VD, cols, names, none, 1, classes, "t", &w), BAIOT_OK);
    assert_int_not_equal(baiot_detect_view(w, "t", NULL, &p, &r), BAIOT_OK);
    assert_null(r);
    p.pooled = 1;
    assert_int_equal(baiot_detect_view(v, "t", NULL, &p, &r), BAIOT_ERR_ARG);
    baiot_view_free(w);
    baiot_detector_free(d);
    baiot_view_free(v);
    baiot_detect_run_free(from_file);
    baiot_detect_run_free(from_view);
    unlink(arff);
    unlink(model);
    for (int j = 0; j < VD; j++)
        free(cols[j]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_split), cmocka_unit_test(test_split_groups), cmocka_unit_test(test_scale),
                                       cmocka_unit_test(test_threshold), cmocka_unit_test(test_window),
                                       cmocka_unit_test(test_eval), cmocka_unit_test(test_detect_view)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
