/*
 * test_columns.c - unit tests of column selections (engine/data/columns.c).
 *
 * Resolves selections against the 115 N-BaIoT feature names and a small
 * list: NULL and "all" give every column in order; names, 1-based
 * positions and both mixed keep the order given, with spaces around items
 * ignored; @FILE reads names or positions one per line (with '#' comments
 * and blank lines) or comma-separated.  Unknown names, positions 0 and n+1,
 * duplicates (also a name and the position of the same column), empty
 * items and selections, a trailing comma and a missing @FILE are refused
 * with BAIOT_ERR_ARG or BAIOT_ERR_IO and a message naming the item.  Every
 * allocation is failed in turn for a clean BAIOT_ERR_MEMORY.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "baiot/nbaiot.h"
#include "engine/data/columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const small[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
#define N_SMALL 5

/* ---- helpers ---- */

/* Resolves spec against names and asserts the indices (-1 ends want). */
static void expect_cols(const char *spec, const char *const *names, int n, const int *want)
{
    int *idx = (int *)1, got_n = -1;
    baiot_status st = baiot_columns_resolve(spec, names, n, &idx, &got_n);
    if (st != BAIOT_OK)
        print_error("'%s': %s\n", spec ? spec : "(null)", baiot_last_error());
    assert_int_equal(st, BAIOT_OK);
    int want_n = 0;
    while (want[want_n] >= 0)
        want_n++;
    if (got_n != want_n)
        print_error("'%s': %d columns, expected %d\n", spec ? spec : "(null)", got_n, want_n);
    assert_int_equal(got_n, want_n);
    for (int k = 0; k < want_n; k++)
        assert_int_equal(idx[k], want[k]);
    baiot_free(idx);
}

/* Expects code, no output, and every string of the NULL-terminated list in
 * the message. */
static void expect_refused(const char *spec, const char *const *names, int n, baiot_status code, ...)
{
    int *idx = (int *)1, got_n = -1;
    baiot_status st = baiot_columns_resolve(spec, names, n, &idx, &got_n);
    const char *msg = baiot_last_error();
    if (st != code)
        print_error("'%s': status %d, expected %d (%s)\n", spec, (int)st, (int)code, msg);
    assert_int_equal(st, code);
    assert_null(idx);
    assert_int_equal(got_n, 0);
    va_list ap;
    va_start(ap, code);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        if (!strstr(msg, want)) {
            print_error("'%s': message '%s' lacks '%s'\n", spec, msg, want);
            va_end(ap);
            fail();
        }
    va_end(ap);
}

/* Writes text to a new temporary file; its name goes to path[64]. */
static void temp_file(const char *text, char *path)
{
    strcpy(path, "/tmp/baiot_test_columns_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

/* ---- selections ---- */

static void test_all(void **state)
{
    int *idx = NULL, n = 0;
    assert_int_equal(baiot_columns_resolve(NULL, baiot_feature_names, BAIOT_N_FEATURES, &idx, &n), BAIOT_OK);
    assert_int_equal(n, BAIOT_N_FEATURES);
    for (int j = 0; j < n; j++)
        assert_int_equal(idx[j], j);
    baiot_free(idx);
    assert_int_equal(baiot_columns_resolve("all", baiot_feature_names, BAIOT_N_FEATURES, &idx, &n), BAIOT_OK);
    assert_int_equal(n, BAIOT_N_FEATURES);
    for (int j = 0; j < n; j++)
        assert_int_equal(idx[j], j);
    baiot_free(idx);
    expect_cols("all", small, N_SMALL, (const int[]){0, 1, 2, 3, 4, -1});
}

static void test_names_and_positions(void **state)
{
    expect_cols("gamma", small, N_SMALL, (const int[]){2, -1});
    expect_cols("epsilon,alpha,gamma", small, N_SMALL, (const int[]){4, 0, 2, -1});
    expect_cols("3", small, N_SMALL, (const int[]){2, -1});
    expect_cols("5,1", small, N_SMALL, (const int[]){4, 0, -1});
    expect_cols("beta,4,alpha,5", small, N_SMALL, (const int[]){1, 3, 0, 4, -1});
    expect_cols(" beta , 4 ,\talpha\t", small, N_SMALL, (const int[]){1, 3, 0, -1});
    expect_cols("  delta", small, N_SMALL, (const int[]){3, -1});
    /* the feature names, dots and all */
    expect_cols("MI_dir_L0.1_weight,HpHp_L0.01_pcc,1,H_L5_mean", baiot_feature_names, BAIOT_N_FEATURES,
                (const int[]){9, 114, 0, 16, -1});
    expect_cols("115,114", baiot_feature_names, BAIOT_N_FEATURES, (const int[]){114, 113, -1});
    /* every column, reversed, by position */
    char spec[1024] = "";
    int want[BAIOT_N_FEATURES + 1];
    for (int j = 0; j < BAIOT_N_FEATURES; j++) {
        char item[8];
        snprintf(item, sizeof item, "%s%d", j ? "," : "", BAIOT_N_FEATURES - j);
        strcat(spec, item);
        want[j] = BAIOT_N_FEATURES - 1 - j;
    }
    want[BAIOT_N_FEATURES] = -1;
    expect_cols(spec, baiot_feature_names, BAIOT_N_FEATURES, want);
}

static void test_selection_file(void **state)
{
    char path[64], spec[80];
    temp_file("# the columns I want\n"
              "gamma\n"
              "\n"
              "   \n"
              "  # an indented comment\n"
              "  alpha  \n"
              "5\r\n",
              path);
    snprintf(spec, sizeof spec, "@%s", path);
    expect_cols(spec, small, N_SMALL, (const int[]){2, 0, 4, -1});
    unlink(path);

    /* no line end at the end of the file */
    temp_file("beta\n4", path);
    snprintf(spec, sizeof spec, "@%s", path);
    expect_cols(spec, small, N_SMALL, (const int[]){1, 3, -1});
    unlink(path);
}

static void test_selection_file_commas(void **state)
{
    char path[64], spec[80];
    temp_file("delta, beta,1\nepsilon\n", path);
    snprintf(spec, sizeof spec, "@%s", path);
    expect_cols(spec, small, N_SMALL, (const int[]){3, 1, 0, 4, -1});
    unlink(path);

    temp_file("HH_L5_pcc,HH_L3_weight\n# 3 is MI_dir_L5_variance\n3\n", path);
    snprintf(spec, sizeof spec, "@%s", path);
    expect_cols(spec, baiot_feature_names, BAIOT_N_FEATURES, (const int[]){36, 37, 2, -1});
    unlink(path);
}

/* ---- refusals ---- */

static void test_refused(void **state)
{
    expect_refused("alpha,zeta", small, N_SMALL, BAIOT_ERR_ARG, "'zeta'", NULL);
    expect_refused("Alpha", small, N_SMALL, BAIOT_ERR_ARG, "'Alpha'", NULL);
    expect_refused("0", small, N_SMALL, BAIOT_ERR_ARG, "'0'", "1..5", NULL);
    expect_refused("6", small, N_SMALL, BAIOT_ERR_ARG, "'6'", "1..5", NULL);
    expect_refused("116", baiot_feature_names, BAIOT_N_FEATURES, BAIOT_ERR_ARG, "'116'", "1..115", NULL);
    expect_refused("-1", small, N_SMALL, BAIOT_ERR_ARG, "'-1'", NULL);
    expect_refused("2x", small, N_SMALL, BAIOT_ERR_ARG, "'2x'", NULL);
    expect_refused("beta,gamma,beta", small, N_SMALL, BAIOT_ERR_ARG, "'beta'", "twice", NULL);
    expect_refused("beta,2", small, N_SMALL, BAIOT_ERR_ARG, "'beta'", "twice", NULL);
    expect_refused("4, delta", small, N_SMALL, BAIOT_ERR_ARG, "'delta'", "twice", NULL);
    expect_refused("alpha,", small, N_SMALL, BAIOT_ERR_ARG, "empty", NULL);
    expect_refused("alpha,beta, ", small, N_SMALL, BAIOT_ERR_ARG, "''", NULL);
    expect_refused("alpha,,beta", small, N_SMALL, BAIOT_ERR_ARG, "''", NULL);
    expect_refused(",alpha", small, N_SMALL, BAIOT_ERR_ARG, "''", NULL);
    expect_refused(" ", small, N_SMALL, BAIOT_ERR_ARG, NULL);
    expect_refused(",", small, N_SMALL, BAIOT_ERR_ARG, NULL);

    /* @FILE: missing, names nothing, holds an unknown name */
    expect_refused("@/nonexistent/dir/cols.txt", small, N_SMALL, BAIOT_ERR_IO, "/nonexistent/dir/cols.txt", NULL);
    char path[64], spec[80];
    temp_file("# nothing but comments\n\n  \n# more\n", path);
    snprintf(spec, sizeof spec, "@%s", path);
    expect_refused(spec, small, N_SMALL, BAIOT_ERR_ARG, path, NULL);
    unlink(path);
    temp_file("", path);
    snprintf(spec, sizeof spec, "@%s", path);
    expect_refused(spec, small, N_SMALL, BAIOT_ERR_ARG, path, NULL);
    unlink(path);
    temp_file("alpha\nomega\n", path);
    snprintf(spec, sizeof spec, "@%s", path);
    expect_refused(spec, small, N_SMALL, BAIOT_ERR_ARG, "'omega'", NULL);
    unlink(path);
    temp_file("alpha\n1\n", path);
    snprintf(spec, sizeof spec, "@%s", path);
    expect_refused(spec, small, N_SMALL, BAIOT_ERR_ARG, "'alpha'", "twice", NULL);
    unlink(path);
}

/* ---- allocation failures ---- */

static void test_alloc_failures(void **state)
{
    char path[64], spec[80];
    /* a file longer than the first buffer, so it grows */
    char text[4096] = "";
    for (int j = 0; j < BAIOT_N_FEATURES; j++) {
        strcat(text, baiot_feature_names[BAIOT_N_FEATURES - 1 - j]);
        strcat(text, "\n");
    }
    temp_file(text, path);
    snprintf(spec, sizeof spec, "@%s", path);
    const char *specs[] = {"3,1,2", "all", spec};
    for (int s = 0; s < 3; s++) {
        uint64_t k;
        for (k = 1; k < 100; k++) {
            int *idx = (int *)1, n = -1;
            baiot_alloc_fail_at(k);
            baiot_status st = baiot_columns_resolve(specs[s], baiot_feature_names, BAIOT_N_FEATURES, &idx, &n);
            baiot_alloc_fail_at(0);
            if (st == BAIOT_OK) {
                assert_int_equal(n, s == 0 ? 3 : BAIOT_N_FEATURES);
                assert_int_equal(idx[0], s == 0 ? 2 : s == 1 ? 0 : BAIOT_N_FEATURES - 1);
                baiot_free(idx);
                break;
            }
            assert_int_equal(st, BAIOT_ERR_MEMORY);
            assert_null(idx);
        }
        assert_true(k > 1 && k < 100);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all),
        cmocka_unit_test(test_names_and_positions),
        cmocka_unit_test(test_selection_file),
        cmocka_unit_test(test_selection_file_commas),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
