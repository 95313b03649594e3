/*
 * test_view_wrap.c - unit tests of kernels/base/view_wrap.c
 * (baiot_view_wrap): a view over the caller's columns and classes trains
 * the same J48 tree as a copy of them in a view that owns its block;
 * baiot_view_free leaves borrowed memory alone (the columns and y stay
 * readable and unchanged; AddressSanitizer builds report a wrong free) and
 * frees what the view owns; names default to a1, a2, ...; bad arguments are
 * refused with a message; every allocation failed in turn gives
 * BAIOT_ERR_MEMORY and a NULL view.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "baiot/j48.h"
#include "baiot/view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 60
#define D 3

static const char *const classes[2] = {"no", "yes"};

/* Two separate column arrays (not adjacent) and their classes. */
static void make_data(double *c0, double *c1, double *c2, int *y)
{
    for (int i = 0; i < N; i++) {
        c0[i] = (double)(i % 7) + 0.25 * (i % 3);
        c1[i] = i % 11 == 0 ? NAN : (double)((i * 37) % 19);
        c2[i] = (double)i / 10.0;
        y[i] = (c0[i] > 3 && c2[i] > 2) || i % 13 == 0;
    }
}

static char *tree_text(const baiot_j48_model *m, const baiot_view *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(baiot_j48_print(m, v, f), BAIOT_OK);
    fclose(f);
    return buf;
}

static void test_same_tree_as_an_owned_view(void **state)
{
    (void)state;
    double *c0 = malloc(N * sizeof *c0), *c1 = malloc(N * sizeof *c1), *c2 = malloc(N * sizeof *c2);
    int *y = malloc(N * sizeof *y);
    make_data(c0, c1, c2, y);
    double *cols[D] = {c0, c1, c2};
    const char *names[D] = {"x", "y", "z"};
    baiot_view *w = NULL, *o = NULL;
    assert_int_equal(baiot_view_wrap(N, D, cols, names, y, 2, classes, "wrapped", &w), BAIOT_OK);
    assert_true(w->cols[1] == c1 && w->y == y);
    assert_string_equal(w->attrs[2].name, "z");
    assert_string_equal(w->class_names[1], "yes");
    /* the same rows in a view that owns one block */
    assert_int_equal(baiot_view_alloc(N, D, &o), BAIOT_OK);
    for (int j = 0; j < D; j++) {
        memcpy(o->cols[j], cols[j], N * sizeof(double));
        o->attrs[j].name = baiot_strdup(names[j]);
        o->attrs[j].kind = BAIOT_ATTR_NUMERIC;
    }
    memcpy(o->y, y, N * sizeof *y);
    assert_int_equal(baiot_view_set_task_classes(o, BAIOT_TASK_BINARY, "owned"), BAIOT_OK);
    baiot_free(o->class_names[0]);
    baiot_free(o->class_names[1]);
    o->class_names[0] = baiot_strdup("no");
    o->class_names[1] = baiot_strdup("yes");

    int64_t rows[N];
    for (int i = 0; i < N; i++)
        rows[i] = i;
    baiot_j48_params p = baiot_j48_params_default();
    baiot_j48_model *mw = NULL, *mo = NULL;
    assert_int_equal(baiot_j48_train(w, rows, N, NULL, &p, &mw), BAIOT_OK);
    assert_int_equal(baiot_j48_train(o, rows, N, NULL, &p, &mo), BAIOT_OK);
    char *tw = tree_text(mw, w), *to = tree_text(mo, o);
    assert_string_equal(tw, to);
    free(tw);
    free(to);
    baiot_j48_free(mw);
    baiot_j48_free(mo);
    baiot_view_free(o);
    baiot_view_free(w);
    /* the borrowed memory is intact after the free */
    double e0[N], e1[N], e2[N];
    int ey[N];
    make_data(e0, e1, e2, ey);
    assert_memory_equal(c0, e0, sizeof e0);
    assert_memory_equal(c2, e2, sizeof e2);
    assert_memory_equal(y, ey, sizeof ey);
    free(c0);
    free(c1);
    free(c2);
    free(y);
}

static void test_defaults_and_arguments(void **state)
{
    (void)state;
    double a[4] = {1, 2, 3, 4}, b[4] = {4, 3, 2, 1};
    double *cols[2] = {a, b};
    baiot_view *v = (baiot_view *)&v;
    assert_int_equal(baiot_view_wrap(4, 2, cols, NULL, NULL, 0, NULL, NULL, &v), BAIOT_OK);
    assert_string_equal(v->attrs[0].name, "a1");
    assert_string_equal(v->attrs[1].name, "a2");
    assert_string_equal(v->relation, "arrays");
    for (int i = 0; i < 4; i++)
        assert_int_equal(v->y[i], -1); /* owned: freed with the view */
    assert_int_equal(baiot_view_labelled_rows(v), 0);
    baiot_view_free(v);
    /* zero rows need no column data */
    double *none[2] = {NULL, NULL};
    assert_int_equal(baiot_view_wrap(0, 2, none, NULL, NULL, 0, NULL, NULL, &v), BAIOT_OK);
    baiot_view_free(v);
    assert_int_equal(baiot_view_wrap(4, 2, none, NULL, NULL, 0, NULL, NULL, &v), BAIOT_ERR_ARG);
    assert_null(v);
    assert_non_null(strstr(baiot_last_error(), "column 1"));
    assert_int_equal(baiot_view_wrap(-1, 2, cols, NULL, NULL, 0, NULL, NULL, &v), BAIOT_ERR_ARG);
    assert_int_equal(baiot_view_wrap(4, 2, cols, NULL, NULL, 2, NULL, NULL, &v), BAIOT_ERR_ARG);
}

static void test_select_columns_takes_ownership(void **state)
{
    (void)state;
    double a[3] = {1, 2, 3}, b[3] = {4, 5, 6};
    double *cols[2] = {a, b};
    const char *names[2] = {"p", "q"};
    baiot_view *v;
    assert_int_equal(baiot_view_wrap(3, 2, cols, names, NULL, 0, NULL, NULL, &v), BAIOT_OK);
    assert_int_equal(baiot_view_select_columns(v, "q"), BAIOT_OK);
    assert_int_equal(v->n_cols, 1);
    assert_true(v->cols[0] != b); /* a copy the view owns now */
    assert_true(v->cols[0][2] == 6.0);
    baiot_view_free(v);
    assert_true(b[0] == 4.0);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    double a[5] = {1, 2, 3, 4, 5};
    double *cols[1] = {a};
    uint64_t k;
    for (k = 1; k < 50; k++) {
        baiot_view *v = (baiot_view *)&v;
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_view_wrap(5, 1, cols, NULL, NULL, 2, classes, "r", &v);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) {
            baiot_view_free(v);
            break;
        }
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(v);
    }
    /* view, attrs, cols, class names, class, relation, y, 2 class names, 1 name */
    assert_int_equal(k, 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_tree_as_an_owned_view),
        cmocka_unit_test(test_defaults_and_arguments),
        cmocka_unit_test(test_select_columns_takes_ownership),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
