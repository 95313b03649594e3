/*
 * test_folds.c - unit tests of engine/weka/folds.c against Weka 3.6.14.
 *
 * The golden files (tests/golden/weka/folds, every .folds file; found through
 * $BAIOT_SRC; made by tests/tools/java/make_fold_golden.sh, format in the
 * README.md there) list, for an ARFF file, every cross-validation fold's
 * test and training rows and every percentage split's training and test
 * rows exactly as Weka makes them, order included.  Each file's data set is
 * loaded with the project's ARFF reader and baiot_folds_make /
 * baiot_split_make must reproduce every list.  The files cover 2 to 19
 * classes, uneven folds (14 rows, k = 10), k = n, missing classes (y = -1)
 * and the rounding of the split size.
 *
 * Also: structural checks (every fold's test + train is a permutation of
 * the rows) for k = n and for k above the number of classes and above a
 * class's size; argument errors; and every allocation of both calls failed
 * in turn, expecting BAIOT_ERR_MEMORY and NULL outputs (leaks show when the
 * test runs under AddressSanitizer, whose leak checker reports at exit:
 * configure with -DCMAKE_C_FLAGS=-fsanitize=address).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "baiot/arff.h"
#include "baiot/view.h"
#include "engine/weka/folds.h"
#include "baiot/folds.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static const char *src_root(void)
{
    const char *src = getenv("BAIOT_SRC");
    return src && *src ? src : "../..";
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of the golden .folds files; *count gets their number. */
static char **golden_files(int *count)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/golden/weka/folds", src_root());
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    char **names = NULL;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 6 && strcmp(e->d_name + len - 6, ".folds") == 0) {
            names = realloc(names, (size_t)(n + 1) * sizeof *names);
            assert_non_null(names);
            names[n] = malloc(strlen(dir) + len + 2);
            assert_non_null(names[n]);
            sprintf(names[n], "%s/%s", dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

/* Parses the whitespace-separated integers of s into a new array. */
static int64_t *parse_rows(const char *s, int64_t *n)
{
    size_t cap = 64, m = 0;
    int64_t *rows = malloc(cap * sizeof *rows);
    assert_non_null(rows);
    for (;;) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (end == s)
            break;
        if (m == cap) {
            cap *= 2;
            rows = realloc(rows, cap * sizeof *rows);
            assert_non_null(rows);
        }
        rows[m++] = v;
        s = end;
    }
    *n = (int64_t)m;
    return rows;
}

/* Compares a list of ours with a golden line's list; reports the first
 * difference with the place it comes from. */
static void expect_rows(const int64_t *got, int64_t n_got, const char *want_text, const char *where, int line,
                        const char *what)
{
    int64_t n_want;
    int64_t *want = parse_rows(want_text, &n_want);
    if (n_got != n_want)
        fail_msg("%s:%d: %s: %" PRId64 " rows, Weka has %" PRId64, where, line, what, n_got, n_want);
    for (int64_t i = 0; i < n_got; i++)
        if (got[i] != want[i])
            fail_msg("%s:%d: %s: position %" PRId64 " is row %" PRId64 ", Weka has %" PRId64, where, line, what, i,
                     got[i], want[i]);
    free(want);
}

/* Asserts that fold i's test block + training rows are 0..n-1 once each,
 * and that the test blocks have Weka's sizes and tile the order. */
static void check_structure(const baiot_folds *f)
{
    char *seen = malloc((size_t)f->n);
    assert_non_null(seen);
    int64_t next_first = 0;
    for (int i = 0; i < f->k; i++) {
        assert_int_equal(f->test_first[i], next_first);
        assert_int_equal(f->test_count[i], f->n / f->k + (i < f->n % f->k));
        next_first += f->test_count[i];
        memset(seen, 0, (size_t)f->n);
        for (int64_t j = 0; j < f->test_count[i]; j++)
            seen[f->order[f->test_first[i] + j]]++;
        for (int64_t j = 0; j < f->n - f->test_count[i]; j++) {
            assert_true(f->train[i][j] >= 0 && f->train[i][j] < f->n);
            seen[f->train[i][j]]++;
        }
        for (int64_t j = 0; j < f->n; j++)
            assert_int_equal(seen[j], 1);
    }
    assert_int_equal(next_first, f->n);
    free(seen);
}

/* ---- the golden files ---- */

typedef struct golden_state {
    const char *file;
    baiot_view *view;   /* the data line's ARFF (NULL for "data -") */
    int64_t rows;
    baiot_folds *folds; /* the current cv section */
    int64_t *split_train, *split_test;
    int64_t n_split_train, n_split_test;
    int sections, lists;
} golden_state;

static void end_section(golden_state *g)
{
    if (g->folds)
        check_structure(g->folds);
    baiot_folds_free(g->folds);
    g->folds = NULL;
    baiot_free(g->split_train);
    baiot_free(g->split_test);
    g->split_train = g->split_test = NULL;
}

/* Handles one line of a golden file. */
static void golden_line(golden_state *g, char *text, int line)
{
    char *rest;
    if (text[0] == '#' || text[0] == '\0')
        return;
    if (strncmp(text, "data ", 5) == 0) {
        char rel[1024];
        long long rows;
        assert_int_equal(sscanf(text + 5, "%1023s %lld", rel, &rows), 2);
        g->rows = rows;
        if (strcmp(rel, "-") != 0) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", src_root(), rel);
            baiot_view_params p = baiot_view_params_default();
            baiot_status st = baiot_arff_load_view(path, &p, &g->view);
            if (st != BAIOT_OK)
                fail_msg("%s: %s", path, baiot_last_error());
            assert_int_equal(g->view->n_rows, g->rows);
        }
        return;
    }
    if (strncmp(text, "cv ", 3) == 0) {
        long long seed;
        int k;
        end_section(g);
        assert_int_equal(sscanf(text + 3, "%lld %d", &seed, &k), 2);
        assert_non_null(g->view);
        baiot_status st = baiot_folds_make(g->view->y, g->view->n_rows, g->view->n_classes, k, seed, &g->folds);
        if (st != BAIOT_OK)
            fail_msg("%s:%d: %s", g->file, line, baiot_last_error());
        g->sections++;
        return;
    }
    if (strncmp(text, "split ", 6) == 0) {
        long long seed;
        double percent;
        end_section(g);
        assert_int_equal(sscanf(text + 6, "%lld %lf", &seed, &percent), 2);
        baiot_status st = baiot_split_make(g->rows, percent, seed, &g->split_train, &g->n_split_train,
                                           &g->split_test, &g->n_split_test);
        if (st != BAIOT_OK)
            fail_msg("%s:%d: %s", g->file, line, baiot_last_error());
        g->sections++;
        return;
    }
    g->lists++;
    if (strncmp(text, "order", 5) == 0) {
        assert_non_null(g->folds);
        expect_rows(g->folds->order, g->folds->n, text + 5, g->file, line, "order");
    } else if (g->folds && strncmp(text, "test ", 5) == 0) {
        int i = (int)strtol(text + 5, &rest, 10);
        assert_true(i >= 0 && i < g->folds->k);
        expect_rows(g->folds->order + g->folds->test_first[i], g->folds->test_count[i], rest, g->file, line,
                    "test fold");
    } else if (g->folds && strncmp(text, "train ", 6) == 0) {
        int i = (int)strtol(text + 6, &rest, 10);
        assert_true(i >= 0 && i < g->folds->k);
        expect_rows(g->folds->train[i], g->folds->n - g->folds->test_count[i], rest, g->file, line,
                    "training fold");
    } else if (g->split_train && strncmp(text, "train", 5) == 0) {
        expect_rows(g->split_train, g->n_split_train, text + 5, g->file, line, "split training rows");
    } else if (g->split_train && strncmp(text, "test", 4) == 0) {
        expect_rows(g->split_test, g->n_split_test, text + 4, g->file, line, "split test rows");
    } else {
        fail_msg("%s:%d: unexpected line '%.40s'", g->file, line, text);
    }
}

static void test_golden(void **state)
{
    (void)state;
    int n_files, sections = 0, lists = 0;
    char **files = golden_files(&n_files);
    assert_true(n_files >= 12);
    for (int f = 0; f < n_files; f++) {
        FILE *fp = fopen(files[f], "r");
        if (!fp)
            fail_msg("cannot open %s", files[f]);
        golden_state g;
        memset(&g, 0, sizeof g);
        g.file = files[f];
        char *text = NULL;
        size_t cap = 0;
        ssize_t len;
        int line = 0;
        while ((len = getline(&text, &cap, fp)) > 0) {
            line++;
            if (text[len - 1] == '\n')
                text[len - 1] = '\0';
            golden_line(&g, text, line);
        }
        end_section(&g);
        free(text);
        fclose(fp);
        baiot_view_free(g.view);
        assert_true(g.sections > 0);
        sections += g.sections;
        lists += g.lists;
        free(files[f]);
    }
    free(files);
    print_message("matched Weka in %d sections, %d row lists of %d files\n", sections, lists, n_files);
    assert_true(sections >= 90);
}

/* The missing-class golden really has missing classes (y = -1). */
static void test_missing_class_input(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/golden/weka/folds/iris-missing-class.arff", src_root());
    baiot_view *v = NULL;
    baiot_view_params p = baiot_view_params_default();
    assert_int_equal(baiot_arff_load_view(path, &p, &v), BAIOT_OK);
    int missing = 0;
    for (int64_t i = 0; i < v->n_rows; i++)
        missing += v->y[i] == -1;
    assert_int_equal(v->n_rows, 150);
    assert_int_equal(missing, 50);
    baiot_view_free(v);
}

/* ---- structure, edge cases, arguments ---- */

static void test_k_equals_n_and_k_above_classes(void **state)
{
    (void)state;
    /* k = n: leave-one-out, every test block one row. */
    int y[40];
    for (int i = 0; i < 40; i++)
        y[i] = (i * 7) % 3 == 0 ? 0 : (i % 5 == 0 ? -1 : 1);
    baiot_folds *f = NULL;
    assert_int_equal(baiot_folds_make(y, 40, 2, 40, 1, &f), BAIOT_OK);
    check_structure(f);
    for (int i = 0; i < 40; i++)
        assert_int_equal(f->test_count[i], 1);
    baiot_folds_free(f);

    /* k above the number of classes and above a class's size: 3 classes,
     * the last with 2 rows, 9 folds of 23 rows (uneven). */
    int z[23];
    for (int i = 0; i < 23; i++)
        z[i] = i < 12 ? 0 : (i < 21 ? 1 : 2);
    for (int64_t seed = -3; seed <= 3; seed++) {
        assert_int_equal(baiot_folds_make(z, 23, 3, 9, seed, &f), BAIOT_OK);
        check_structure(f);
        baiot_folds_free(f);
    }

    /* One class only, and every class missing. */
    int one[5] = {0, 0, 0, 0, 0}, none[5] = {-1, -1, -1, -1, -1};
    assert_int_equal(baiot_folds_make(one, 5, 1, 5, 42, &f), BAIOT_OK);
    check_structure(f);
    baiot_folds_free(f);
    assert_int_equal(baiot_folds_make(none, 5, 1, 2, 42, &f), BAIOT_OK);
    check_structure(f);
    baiot_folds_free(f);

    /* Same seed, same folds; another seed, another order. */
    baiot_folds *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(baiot_folds_make(z, 23, 3, 4, 9, &a), BAIOT_OK);
    assert_int_equal(baiot_folds_make(z, 23, 3, 4, 9, &b), BAIOT_OK);
    assert_int_equal(baiot_folds_make(z, 23, 3, 4, 10, &c), BAIOT_OK);
    assert_memory_equal(a->order, b->order, 23 * sizeof(int64_t));
    for (int i = 0; i < 4; i++)
        assert_memory_equal(a->train[i], b->train[i], (size_t)(23 - a->test_count[i]) * sizeof(int64_t));
    assert_memory_not_equal(a->order, c->order, 23 * sizeof(int64_t));
    baiot_folds_free(a);
    baiot_folds_free(b);
    baiot_folds_free(c);
    baiot_folds_free(NULL);
}

static void test_split_edges(void **state)
{
    (void)state;
    int64_t *tr = NULL, *te = NULL, ntr = -1, nte = -1;
    /* 14 rows at 1%: no training rows (Weka builds on 0 rows too). */
    assert_int_equal(baiot_split_make(14, 1, 1, &tr, &ntr, &te, &nte), BAIOT_OK);
    assert_int_equal(ntr, 0);
    assert_int_equal(nte, 14);
    baiot_free(tr);
    baiot_free(te);
    /* 14 rows at 99%: no test rows. */
    assert_int_equal(baiot_split_make(14, 99, 1, &tr, &ntr, &te, &nte), BAIOT_OK);
    assert_int_equal(ntr, 14);
    assert_int_equal(nte, 0);
    baiot_free(tr);
    baiot_free(te);
    /* Ties round up (Java's Math.round): 14 * 75% = 10.5 -> 11. */
    assert_int_equal(baiot_split_make(14, 75, 1, &tr, &ntr, &te, &nte), BAIOT_OK);
    assert_int_equal(ntr, 11);
    baiot_free(tr);
    baiot_free(te);
    /* One row. */
    assert_int_equal(baiot_split_make(1, 66, 5, &tr, &ntr, &te, &nte), BAIOT_OK);
    assert_int_equal(ntr, 1);
    assert_int_equal(tr[0], 0);
    assert_int_equal(nte, 0);
    baiot_free(tr);
    baiot_free(te);
}

static void test_arguments(void **state)
{
    (void)state;
    int y[10] = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    baiot_folds *f = (baiot_folds *)&f;
    assert_int_equal(baiot_folds_make(y, 10, 2, 1, 1, &f), BAIOT_ERR_ARG);
    assert_null(f);
    assert_int_equal(baiot_folds_make(y, 10, 2, 11, 1, &f), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "11 folds"));
    assert_int_equal(baiot_folds_make(y, 0, 2, 2, 1, &f), BAIOT_ERR_ARG);
    assert_int_equal(baiot_folds_make(NULL, 10, 2, 2, 1, &f), BAIOT_ERR_ARG);
    assert_int_equal(baiot_folds_make(y, 10, 2, 2, 1, NULL), BAIOT_ERR_ARG);
    y[3] = 2;
    assert_int_equal(baiot_folds_make(y, 10, 2, 2, 1, &f), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "row 3"));
    y[3] = -2;
    assert_int_equal(baiot_folds_make(y, 10, 2, 2, 1, &f), BAIOT_ERR_ARG);
    assert_null(f);

    int64_t *tr = (int64_t *)&tr, *te = (int64_t *)&te, ntr = 5, nte = 5;
    assert_int_equal(baiot_split_make(10, 0, 1, &tr, &ntr, &te, &nte), BAIOT_ERR_ARG);
    assert_null(tr);
    assert_null(te);
    assert_int_equal(ntr, 0);
    assert_int_equal(nte, 0);
    assert_int_equal(baiot_split_make(10, 100, 1, &tr, &ntr, &te, &nte), BAIOT_ERR_ARG);
    assert_int_equal(baiot_split_make(10, -5, 1, &tr, &ntr, &te, &nte), BAIOT_ERR_ARG);
    assert_int_equal(baiot_split_make(10, 0.0 / 0.0, 1, &tr, &ntr, &te, &nte), BAIOT_ERR_ARG);
    assert_int_equal(baiot_split_make(0, 50, 1, &tr, &ntr, &te, &nte), BAIOT_ERR_ARG);
    assert_int_equal(baiot_split_make(10, 50, 1, NULL, &ntr, &te, &nte), BAIOT_ERR_ARG);
}

/* ---- the public view (include/baiot/folds.h) ---- */

/* baiot_weka_fold_rows / baiot_weka_fold_of give what baiot_folds_make
 * gives: fold q's test block in order, its trainCV list, every row's fold. */
static void test_public_fold_rows(void **state)
{
    (void)state;
    enum { n = 57, k = 10 };
    int y[n], fold_of[n];
    for (int i = 0; i < n; i++)
        y[i] = i % 4 == 3 ? -1 : i % 3;
    baiot_folds *f;
    assert_int_equal(baiot_folds_make(y, n, 3, k, 7, &f), BAIOT_OK);
    assert_int_equal(baiot_weka_fold_of(y, n, 3, k, 7, fold_of), BAIOT_OK);
    for (int q = 0; q < k; q++) {
        int64_t train[n], test[n], ntr = -1, nte = -1;
        assert_int_equal(baiot_weka_fold_rows(y, n, 3, k, 7, q, train, &ntr, test, &nte), BAIOT_OK);
        assert_int_equal(nte, f->test_count[q]);
        assert_int_equal(ntr, n - f->test_count[q]);
        assert_memory_equal(test, f->order + f->test_first[q], (size_t)nte * sizeof *test);
        assert_memory_equal(train, f->train[q], (size_t)ntr * sizeof *train);
        for (int64_t i = 0; i < nte; i++)
            assert_int_equal(fold_of[test[i]], q);
    }
    baiot_folds_free(f);
    int64_t tr[n], te[n], a, b;
    assert_int_equal(baiot_weka_fold_rows(y, n, 3, k, 7, k, tr, &a, te, &b), BAIOT_ERR_ARG);
    assert_int_equal(baiot_weka_fold_of(y, n, 3, n + 1, 7, fold_of), BAIOT_ERR_ARG);
}

/* ---- fault injection ---- */

static void test_alloc_failures(void **state)
{
    (void)state;
    int y[57];
    for (int i = 0; i < 57; i++)
        y[i] = i % 4 == 3 ? -1 : i % 3;
    uint64_t k;
    for (k = 1; k < 100; k++) {
        baiot_folds *f = (baiot_folds *)&f;
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_folds_make(y, 57, 3, 10, 1, &f);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) {
            check_structure(f);
            baiot_folds_free(f);
            break;
        }
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(f);
    }
    /* struct, order, test_first, test_count, train, scratch, 10 folds */
    assert_int_equal(k, 17);

    for (k = 1; k < 100; k++) {
        int64_t *tr = (int64_t *)&tr, *te = (int64_t *)&te, ntr = 5, nte = 5;
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_split_make(57, 66, 1, &tr, &ntr, &te, &nte);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) {
            assert_int_equal(ntr, 38);
            assert_int_equal(nte, 19);
            baiot_free(tr);
            baiot_free(te);
            break;
        }
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(tr);
        assert_null(te);
        assert_int_equal(ntr, 0);
        assert_int_equal(nte, 0);
    }
    assert_int_equal(k, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_missing_class_input),
        cmocka_unit_test(test_k_equals_n_and_k_above_classes),
        cmocka_unit_test(test_split_edges),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_public_fold_rows),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
