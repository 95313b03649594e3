/*
 * test_synth.c - the traffic simulator (engine/traffic/synth.c,
 * include/baiot/synth.h) at a tiny scale (one device, about 1/5000 of the
 * published rows, well under a second):
 *   - each (device, attack) file gets max(1, round(published rows x
 *     scale)) rows, counted from the store's 11-class view; the result
 *     reports those files, rows and at least one packet per row;
 *   - the same seed gives bit-identical stores' views (115 columns, the
 *     classes), another seed different values;
 *   - only_attack keeps one situation;
 *   - a bad scale or device fails with BAIOT_ERR_ARG and leaves no file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/nbaiot.h"
#include "baiot/synth.h"
#include "baiot/view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCALE 2e-4
#define DEVICE 2 /* "3" (Ennio doorbell): no mirai files, so six situations */

#define UNIT_TMP_PREFIX "test_synth_"
#include "unit_testlib.h"

static baiot_view *load(const char *path)
{
    baiot_view_params vp = baiot_view_params_default();
    vp.task = BAIOT_TASK_11CLASS;
    baiot_view *v = NULL;
    assert_int_equal(baiot_view_load_store(path, &vp, &v), BAIOT_OK);
    return v;
}

static void simulate(const char *name, uint64_t seed, int only_attack, baiot_synth_result *res, char *path,
                     size_t cap)
{
    baiot_synth_params p = baiot_synth_params_default();
    p.devices = "3";
    p.scale = SCALE;
    p.seed = seed;
    p.only_attack = only_attack;
    snprintf(path, cap, "%s/%s", unit_tmp_dir, name);
    assert_int_equal(baiot_synth(path, &p, res), BAIOT_OK);
}

static void test_rows_and_repeat(void **state)
{
    (void)state;
    char pa[128], pb[128], pc[128];
    baiot_synth_result ra, rb, rc;
    simulate("a.h5", 7, -1, &ra, pa, sizeof pa);
    simulate("b.h5", 7, -1, &rb, pb, sizeof pb);
    simulate("c.h5", 8, -1, &rc, pc, sizeof pc);

    int64_t want[BAIOT_N_ATTACKS] = {0}, files = 0, total = 0;
    for (int a = 0; a < BAIOT_N_ATTACKS; a++) {
        int64_t pub = baiot_published_rows(DEVICE, a);
        if (pub == 0)
            continue;
        want[a] = llround((double)pub * SCALE);
        if (want[a] < 1)
            want[a] = 1;
        files++;
        total += want[a];
    }
    assert_int_equal(files, 6);
    assert_int_equal(ra.files, files);
    assert_int_equal(ra.rows, total);
    assert_true(ra.packets >= ra.rows);
    assert_int_equal(rb.rows, total);
    assert_int_equal(rb.packets, ra.packets);
    assert_int_equal(rc.rows, total);

    baiot_view *va = load(pa), *vb = load(pb), *vc = load(pc);
    assert_int_equal(va->n_rows, total);
    assert_int_equal(va->n_cols, BAIOT_N_FEATURES);
    int64_t got[BAIOT_N_ATTACKS] = {0};
    for (int64_t r = 0; r < va->n_rows; r++) {
        assert_true(va->y[r] >= 0 && va->y[r] < BAIOT_N_ATTACKS);
        got[va->y[r]]++;
    }
    for (int a = 0; a < BAIOT_N_ATTACKS; a++)
        assert_int_equal(got[a], want[a]);

    /* same seed: the same bits; another seed: other values */
    assert_int_equal(vb->n_rows, va->n_rows);
    assert_int_equal(vb->n_cols, va->n_cols);
    assert_memory_equal(va->y, vb->y, (size_t)va->n_rows * sizeof *va->y);
    int differ = 0;
    for (int j = 0; j < va->n_cols; j++) {
        assert_memory_equal(va->cols[j], vb->cols[j], (size_t)va->n_rows * sizeof(double));
        for (int64_t r = 0; r < va->n_rows; r++) {
            assert_true(isfinite(va->cols[j][r]));
            differ |= memcmp(&va->cols[j][r], &vc->cols[j][r], sizeof(double)) != 0;
        }
    }
    assert_true(differ);
    baiot_view_free(va);
    baiot_view_free(vb);
    baiot_view_free(vc);
}

static void test_only_attack(void **state)
{
    (void)state;
    char path[128];
    baiot_synth_result r;
    simulate("one.h5", 3, 2, &r, path, sizeof path);
    int64_t want = llround((double)baiot_published_rows(DEVICE, 2) * SCALE);
    assert_int_equal(r.files, 1);
    assert_int_equal(r.rows, want < 1 ? 1 : want);
    baiot_view *v = load(path);
    assert_int_equal(v->n_rows, r.rows);
    for (int64_t i = 0; i < v->n_rows; i++)
        assert_int_equal(v->y[i], 2);
    baiot_view_free(v);
}

static void test_arguments(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/bad.h5", unit_tmp_dir);
    baiot_synth_params p = baiot_synth_params_default();
    p.devices = "3";
    p.scale = 0;
    assert_int_equal(baiot_synth(path, &p, NULL), BAIOT_ERR_ARG);
    p.scale = 1001;
    assert_int_equal(baiot_synth(path, &p, NULL), BAIOT_ERR_ARG);
    p.scale = SCALE;
    p.devices = "no_such_device";
    assert_int_equal(baiot_synth(path, &p, NULL), BAIOT_ERR_ARG);
    p.devices = "3";
    p.only_attack = 9; /* a mirai attack: device 3 has none */
    assert_int_equal(baiot_synth(path, &p, NULL), BAIOT_ERR_ARG);
    assert_int_equal(access(path, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_and_repeat),
        cmocka_unit_test(test_only_attack),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, unit_tmp_setup, unit_tmp_teardown);
}
