/*
 * test_ingest_view.c - the ingest pipeline and view loading, through the
 * library API, on CSV files the test writes itself.
 *
 * Covers: values and labels land in the store bit for bit; appends add
 * sources as new row runs; a view selects devices (runs that are not
 * adjacent), columns (by name, position, order) and the task's classes;
 * failing the k-th allocation, for every k, makes ingest return
 * BAIOT_ERR_MEMORY and leave no file (new store) or the old store
 * byte-identical (append); the same for view loading, without leaks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/nbaiot.h"
#include "kernels/base/alloc_testing.h"
#include "baiot/store.h"
#include "baiot/view.h"
#include "io/text/format_double.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

/* Value of (file f, row r, column j): distinct, with many digits. */
static double cell(int f, int r, int j)
{
    return (f + 1) * 1000.0 + r + j / 7.0 + 1e-9 * (r * 31 + j);
}

static void write_csv(const char *name, int f, int rows)
{
    char path[512], num[FORMAT_DOUBLE_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int j = 0; j < BAIOT_N_FEATURES; j++)
        fprintf(fp, "%s%s", j ? "," : "", baiot_feature_names[j]);
    fputs("\r\n", fp);
    for (int r = 0; r < rows; r++) {
        for (int j = 0; j < BAIOT_N_FEATURES; j++) {
            baiot_format_double(cell(f, r, j), num);
            fprintf(fp, "%s%s", j ? "," : "", num);
        }
        fputs("\r\n", fp);
    }
    fclose(fp);
}

static char *path_in(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static int count_files(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        n += de->d_name[0] != '.' || strstr(de->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *len = (size_t)ftell(fp);
    rewind(fp);
    unsigned char *b = malloc(*len + 1);
    assert_int_equal(fread(b, 1, *len, fp), *len);
    fclose(fp);
    return b;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/baiot-test-ingest-XXXXXX");
    assert_non_null(mkdtemp(dir));
    write_csv("1.benign.csv", 0, 50);     /* device 0 */
    write_csv("5.gafgyt.tcp.csv", 1, 70); /* device 4 */
    write_csv("1.mirai.syn.csv", 2, 30);  /* device 0 again, appended later */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static void test_ingest_values_and_views(void **state)
{
    (void)state;
    const char *srcs[2] = {path_in("1.benign.csv"), path_in("5.gafgyt.tcp.csv")};
    const char *more[1] = {path_in("1.mirai.syn.csv")};
    baiot_ingest_params p = baiot_ingest_params_default();
    baiot_ingest_result r;
    p.chunk_rows = 16; /* many chunks, a partial last one */
    p.block_bytes = 8192; /* many blocks */
    char *store = path_in("s.h5");
    assert_int_equal(baiot_ingest(store, srcs, 2, &p, &r), BAIOT_OK);
    assert_int_equal(r.rows, 120);
    p.append = 1;
    assert_int_equal(baiot_ingest(store, more, 1, &p, &r), BAIOT_OK);
    assert_int_equal(r.rows, 30);
    /* appending the same bytes again is refused */
    assert_int_equal(baiot_ingest(store, more, 1, &p, &r), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "already in the store"));

    baiot_store *s;
    assert_int_equal(baiot_store_open(store, &s), BAIOT_OK);
    assert_int_equal(baiot_store_rows(s), 150);
    assert_int_equal(baiot_store_n_sources(s), 3);
    assert_int_equal(baiot_store_source(s, 2)->first_row, 120);
    assert_int_equal(baiot_store_source(s, 2)->attack, 8); /* mirai syn */
    baiot_store_close(s);

    /* device 1 (index 0): rows 0..49 and 120..149, two runs */
    baiot_view_params vp = baiot_view_params_default();
    vp.devices = "Danmini_Doorbell";
    vp.columns = "MI_dir_L5_mean,1,115";
    baiot_view *v;
    assert_int_equal(baiot_view_load(store, &vp, &v), BAIOT_OK);
    assert_int_equal(v->n_rows, 80);
    assert_int_equal(v->n_cols, 3);
    assert_string_equal(v->attrs[0].name, "MI_dir_L5_mean");
    assert_string_equal(v->attrs[2].name, "HpHp_L0.01_pcc");
    for (int64_t i = 0; i < v->n_rows; i++) {
        int f = i < 50 ? 0 : 2, row = i < 50 ? (int)i : (int)i - 50;
        assert_true(v->cols[0][i] == cell(f, row, 1));
        assert_true(v->cols[1][i] == cell(f, row, 0));
        assert_true(v->cols[2][i] == cell(f, row, 114));
        assert_int_equal(v->y[i], f == 0 ? BAIOT_FAMILY_BENIGN : BAIOT_FAMILY_MIRAI);
    }
    assert_int_equal(v->n_classes, 3);
    baiot_view_free(v);

    vp.devices = NULL;
    vp.columns = NULL;
    vp.task = BAIOT_TASK_11CLASS;
    assert_int_equal(baiot_view_load(store, &vp, &v), BAIOT_OK);
    assert_int_equal(v->n_rows, 150);
    assert_int_equal(v->n_cols, 115);
    assert_int_equal(v->n_classes, 11);
    assert_int_equal(v->y[60], 4);  /* gafgyt tcp */
    assert_int_equal(v->y[149], 8); /* mirai syn */
    assert_true(v->cols[114][149] == cell(2, 29, 114));
    baiot_view_free(v);

    vp.task = BAIOT_TASK_BINARY;
    vp.devices = "5,1";
    assert_int_equal(baiot_view_load(store, &vp, &v), BAIOT_OK);
    assert_int_equal(v->n_rows, 150);
    assert_string_equal(v->class_names[1], "attack");
    assert_int_equal(v->y[0], 0);
    assert_int_equal(v->y[51], 1);
    baiot_view_free(v);

    vp.devices = "Ennio_Doorbell";
    assert_int_equal(baiot_view_load(store, &vp, &v), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "no rows"));
    vp.devices = "Nope";
    assert_int_equal(baiot_view_load(store, &vp, &v), BAIOT_ERR_ARG);
    vp.devices = NULL;
    vp.columns = "MI_dir_L5_mean,nope";
    assert_int_equal(baiot_view_load(store, &vp, &v), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "nope"));
}

static void test_ingest_fault_injection(void **state)
{
    (void)state;
    const char *srcs[2] = {path_in("1.benign.csv"), path_in("5.gafgyt.tcp.csv")};
    const char *more[1] = {path_in("1.mirai.syn.csv")};
    baiot_ingest_params p = baiot_ingest_params_default();
    char *store = path_in("f.h5");
    p.block_bytes = 1 << 20; /* one block per file: fewer allocations to walk */
    p.chunk_rows = 64;       /* a small file to copy on every append */
    unlink(store);
    int before = count_files();

    /* new store: every failing allocation leaves nothing behind */
    baiot_alloc_fail_at(0);
    assert_int_equal(baiot_ingest(store, srcs, 2, &p, NULL), BAIOT_OK);
    unlink(store);
    uint64_t n = baiot_alloc_fail_at(0);
    (void)n;
    int k;
    for (k = 1;; k++) {
        baiot_alloc_fail_at((uint64_t)k);
        baiot_status st = baiot_ingest(store, srcs, 2, &p, NULL);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK)
            break;
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_int_equal(count_files(), before);
    }
    assert_true(k > 5);
    print_message("ingest: failed each of the first %d allocations\n", k - 1);

    /* append: every failure leaves the store byte-identical */
    size_t len0, len1;
    unsigned char *orig = slurp(store, &len0);
    p.append = 1;
    for (k = 1;; k++) {
        baiot_alloc_fail_at((uint64_t)k);
        baiot_status st = baiot_ingest(store, more, 1, &p, NULL);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK)
            break;
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        unsigned char *now = slurp(store, &len1);
        assert_int_equal(len0, len1);
        assert_memory_equal(orig, now, len0);
        free(now);
        assert_int_equal(count_files(), before + 1);
    }
    free(orig);

    /* view loading */
    baiot_view_params vp = baiot_view_params_default();
    vp.columns = "2,3";
    for (k = 1;; k++) {
        baiot_view *v = NULL;
        baiot_alloc_fail_at((uint64_t)k);
        baiot_status st = baiot_view_load(store, &vp, &v);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) {
            assert_int_equal(v->n_rows, 150);
            baiot_view_free(v);
            break;
        }
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(v);
    }
}

static void test_ingest_refusals(void **state)
{
    (void)state;
    const char *srcs[1] = {path_in("1.benign.csv")};
    baiot_ingest_params p = baiot_ingest_params_default();
    p.append = 1;
    assert_int_equal(baiot_ingest(path_in("none.h5"), srcs, 1, &p, NULL), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "no store"));
    p.append = 0;
    const char *twice[2] = {path_in("1.benign.csv"), path_in("1.benign.csv")};
    assert_int_equal(baiot_ingest(path_in("t.h5"), twice, 2, &p, NULL), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "given twice"));
    p.chunk_rows = -1;
    assert_int_equal(baiot_ingest(path_in("t.h5"), srcs, 1, &p, NULL), BAIOT_ERR_ARG);
    assert_int_equal(access(path_in("t.h5"), F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ingest_values_and_views),
        cmocka_unit_test(test_ingest_fault_injection),
        cmocka_unit_test(test_ingest_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
