/*
 * test_j48_model.c - J48's shortcuts give the trees of the plain
 * algorithm, bit for bit (engine/models/j48/: j48_grow.c against
 * j48_grow_fast.c and j48_prune.c's fast variants, j48_presort.c):
 *   - the fast path (all numeric, no value missing, unit weights: column
 *     segments, fast pruning) against the general path (instance lists);
 *   - a presort of the whole view (baiot_j48_presort), filtered per
 *     training, against each training sorting its own rows, on random
 *     "folds" in random row order, with many tied values and class noise
 *     (so that collapse, pruning and subtree raising all act);
 *   - 1, 2 and 4 threads for one tree (on 240,000 rows too, so that
 *     the columns of the large nodes are searched in parallel);
 *   - the general path (one weight not 1, or a value missing) still
 *     works with a presort given: the presort is then ignored;
 *   - with missing values (the general path in Weka's row order,
 *     j48_grow.c's weka_orders) 1, 2 and 4 threads give one tree, pruned,
 *     unpruned and without raising;
 *   - within a memory budget (column_memory, j48_grow_lean.c: the large
 *     nodes searched from the presort, subtrees laid out to fit, pruning
 *     from the view) the same trees, for budgets from one byte to just
 *     under the whole training's, every option set, 1, 2 and 4 threads;
 *   - a failed allocation anywhere gives BAIOT_ERR_MEMORY (missing values
 *     and the lean path too).
 * Trees are compared as their JSON model text (every distribution in
 * %.17g, every threshold).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/j48.h"
#include "baiot/view.h"
#include "kernels/base/alloc_testing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ROWS 6000
#define N_COLS 5

#define UNIT_RNG_SEED 88172645463325252ULL
#include "unit_testlib.h"

/* Three classes from two of five columns, 8% label noise; columns with
 * few distinct values (ties) and near-ties closer than 1e-5. */
static baiot_view *make_view_n(int64_t n_rows)
{
    baiot_view *v = NULL;
    assert_int_equal(baiot_view_alloc(n_rows, N_COLS, &v), BAIOT_OK);
    v->n_classes = 3;
    for (int j = 0; j < N_COLS; j++)
        v->attrs[j].kind = BAIOT_ATTR_NUMERIC;
    for (int64_t r = 0; r < n_rows; r++) {
        double a = floor(unif() * 40), b = unif() * 10, c = floor(unif() * 5) + (rnd() & 1) * 4e-6;
        v->cols[0][r] = a;
        v->cols[1][r] = b;
        v->cols[2][r] = c;
        v->cols[3][r] = a + floor(unif() * 3);
        v->cols[4][r] = (rnd() & 1) ? -0.0 : 0.0 + floor(unif() * 2);
        int y = a < 12 ? 0 : b < 4 + c / 2 ? 1 : 2;
        if (unif() < 0.08)
            y = (int)(rnd() % 3);
        v->y[r] = y;
    }
    return v;
}

static baiot_view *make_view(void) { return make_view_n(N_ROWS); }

static char *tree_json(const baiot_view *v, const int64_t *rows, int64_t n, const double *w,
                       const baiot_j48_params *p)
{
    baiot_j48_model *m = NULL;
    assert_int_equal(baiot_j48_train(v, rows, n, w, p, &m), BAIOT_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(baiot_j48_write_json(m, f), BAIOT_OK);
    fclose(f);
    baiot_j48_free(m);
    return buf;
}

static void shuffle(int64_t *a, int64_t n)
{
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t k = (int64_t)(rnd() % (uint64_t)(i + 1)), t = a[i];
        a[i] = a[k];
        a[k] = t;
    }
}

static void test_presort_same_trees(void **state)
{
    (void)state;
    baiot_view *v = make_view();
    baiot_j48_presort *ps = NULL;
    assert_int_equal(baiot_j48_presort_create(v, 2, &ps), BAIOT_OK);
    int64_t *rows = malloc(N_ROWS * sizeof *rows);
    int64_t *train = malloc(N_ROWS * sizeof *train);
    for (int64_t r = 0; r < N_ROWS; r++)
        rows[r] = r;
    const char *opts[] = {"default", "-S", "-C 0.5", "-M 10"};
    for (int fold = 0; fold < 8; fold++) {
        shuffle(rows, N_ROWS);
        int64_t n = 0;
        for (int64_t i = 0; i < N_ROWS; i++)
            if (i % 5 != fold % 5 || fold >= 5)
                train[n++] = rows[i];
        baiot_j48_params p = baiot_j48_params_default();
        p.n_threads = 1;
        if (fold % 4 == 1)
            p.no_raise = 1;
        if (fold % 4 == 2)
            p.confidence = 0.5;
        if (fold % 4 == 3)
            p.min_obj = 10;
        if (fold == 7)
            p.weka36 = 1;
        char *plain = tree_json(v, train, n, NULL, &p);
        p.general = 1;
        char *general = tree_json(v, train, n, NULL, &p);
        p.general = 0;
        if (strcmp(plain, general) != 0)
            fail_msg("fold %d (%s): the fast path's tree differs from the general path's", fold, opts[fold % 4]);
        free(general);
        p.presort = ps;
        char *pre = tree_json(v, train, n, NULL, &p);
        if (strcmp(plain, pre) != 0)
            fail_msg("fold %d (%s): the presorted tree differs", fold, opts[fold % 4]);
        assert_true(strlen(plain) > 2000); /* a real tree, not a leaf */
        for (int t = 2; t <= 4; t += 2) {
            p.n_threads = t;
            char *par = tree_json(v, train, n, NULL, &p);
            if (strcmp(plain, par) != 0)
                fail_msg("fold %d: %d threads give another tree", fold, t);
            free(par);
        }
        free(plain);
        free(pre);
    }
    /* a weight not 1, then a row twice: no fast path, presort ignored */
    double *w = malloc(N_ROWS * sizeof *w);
    for (int64_t r = 0; r < N_ROWS; r++)
        w[r] = r == 17 ? 0.5 : 1.0;
    baiot_j48_params p = baiot_j48_params_default();
    p.n_threads = 1;
    char *plain = tree_json(v, rows, N_ROWS, w, &p);
    p.presort = ps;
    char *pre = tree_json(v, rows, N_ROWS, w, &p);
    assert_string_equal(plain, pre);
    free(plain);
    free(pre);
    rows[0] = rows[1];
    p.presort = NULL;
    plain = tree_json(v, rows, N_ROWS, NULL, &p);
    p.presort = ps;
    pre = tree_json(v, rows, N_ROWS, NULL, &p);
    assert_string_equal(plain, pre);
    free(plain);
    free(pre);
    free(w);
    baiot_j48_presort_free(ps);
    /* a missing value: the presort says so and is not used */
    v->cols[2][5] = NAN;
    assert_int_equal(baiot_j48_presort_create(v, 1, &ps), BAIOT_OK);
    for (int64_t r = 0; r < N_ROWS; r++)
        rows[r] = r;
    p.presort = NULL;
    plain = tree_json(v, rows, N_ROWS, NULL, &p);
    p.presort = ps;
    pre = tree_json(v, rows, N_ROWS, NULL, &p);
    assert_string_equal(plain, pre);
    free(plain);
    free(pre);
    baiot_j48_presort_free(ps);
    free(rows);
    free(train);
    baiot_view_free(v);
}

/* Large enough that the root's columns are searched and partitioned in
 * parallel (J48_PAR_MIN_WORK): 1, 2 and 4 threads, with and without a
 * presort, give one tree. */
static void test_threads_large(void **state)
{
    (void)state;
    enum { N = 240000 };
    baiot_view *v = make_view_n(N);
    baiot_j48_presort *ps = NULL;
    assert_int_equal(baiot_j48_presort_create(v, 4, &ps), BAIOT_OK);
    int64_t *rows = malloc(N * sizeof *rows);
    int64_t n = 0;
    for (int64_t r = 0; r < N; r++)
        if (r % 10 != 3)
            rows[n++] = r;
    shuffle(rows, n);
    baiot_j48_params p = baiot_j48_params_default();
    p.n_threads = 1;
    char *one = tree_json(v, rows, n, NULL, &p);
    for (int t = 2; t <= 4; t += 2)
        for (int pre = 0; pre < 2; pre++) {
            p.n_threads = t;
            p.presort = pre ? ps : NULL;
            char *other = tree_json(v, rows, n, NULL, &p);
            if (strcmp(one, other) != 0)
                fail_msg("%d threads%s give another tree", t, pre ? " with a presort" : "");
            free(other);
        }
    free(one);
    free(rows);
    baiot_j48_presort_free(ps);
    baiot_view_free(v);
}

/* Within a memory budget (j48_grow_lean.c) the trees are those without
 * one: budgets of 1 byte (every node searched from the presort), of a
 * fifth, a third and just under the whole training's column arrays
 * (the top nodes searched from the presort, subtrees laid out); all
 * option sets; 1, 2 and 4 threads on 240,000 rows. */
static void test_lean_same_trees(void **state)
{
    (void)state;
    for (int big = 0; big < 2; big++) {
        int64_t n_rows = big ? 240000 : N_ROWS;
        baiot_view *v = make_view_n(n_rows);
        baiot_j48_presort *ps = NULL;
        assert_int_equal(baiot_j48_presort_create(v, 2, &ps), BAIOT_OK);
        int64_t *train = malloc((size_t)n_rows * sizeof *train);
        int64_t n = 0;
        for (int64_t r = 0; r < n_rows; r++)
            if (r % 10 != 7)
                train[n++] = r;
        shuffle(train, n);
        int64_t whole = baiot_j48_column_bytes(n, N_COLS);
        int64_t budgets[] = {1, whole / 5, whole / 3, whole - 1};
        for (int o = 0; o < (big ? 1 : 6); o++) {
            baiot_j48_params p = baiot_j48_params_default();
            p.n_threads = 1;
            p.presort = ps;
            p.no_raise = o == 1;
            p.confidence = o == 2 ? 0.5 : 0.25;
            p.min_obj = o == 3 ? 10 : 2;
            p.unpruned = o == 4;
            p.weka36 = o == 5;
            char *plain = tree_json(v, train, n, NULL, &p);
            assert_true(strlen(plain) > 2000);
            for (int b = 0; b < 4; b++)
                for (int t = 1; t <= 4; t *= 2) {
                    if (!big && t > 1 && b != 1)
                        continue;
                    p.column_memory = budgets[b];
                    p.n_threads = t;
                    char *lean = tree_json(v, train, n, NULL, &p);
                    if (strcmp(plain, lean) != 0)
                        fail_msg("%lld rows, options %d, budget %lld of %lld bytes, %d threads: another tree",
                                 (long long)n_rows, o, (long long)budgets[b], (long long)whole, t);
                    free(lean);
                }
            free(plain);
        }
        /* a budget is no reason to refuse: without a presort it is ignored */
        baiot_j48_params p = baiot_j48_params_default();
        p.column_memory = 1;
        baiot_j48_model *m = NULL;
        assert_int_equal(baiot_j48_train(v, train, n, NULL, &p, &m), BAIOT_OK);
        baiot_j48_free(m);
        p.column_memory = -1;
        assert_int_equal(baiot_j48_train(v, train, n, NULL, &p, &m), BAIOT_ERR_ARG);
        free(train);
        baiot_j48_presort_free(ps);
        baiot_view_free(v);
    }
}

/* Fault injection: failing the k-th allocation of a presort or of a
 * training with it (fast path, then general path) gives BAIOT_ERR_MEMORY,
 * never a crash, for every k until the call succeeds. */
static void test_alloc_failures(void **state)
{
    (void)state;
    baiot_view *v = make_view_n(400);
    int64_t rows[400];
    for (int64_t r = 0; r < 400; r++)
        rows[r] = (r * 7) % 400;
    baiot_j48_presort *ps = NULL;
    int k;
    for (k = 1;; k++) {
        baiot_alloc_fail_at((uint64_t)k);
        baiot_status st = baiot_j48_presort_create(v, 1, &ps);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK)
            break;
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(ps);
    }
    assert_true(k > 3);
    for (int general = 0; general < 3; general++) {
        baiot_j48_params p = baiot_j48_params_default();
        p.n_threads = 1;
        p.presort = ps;
        p.general = general == 1;
        p.column_memory = general == 2 ? baiot_j48_column_bytes(100, N_COLS) : 0; /* the lean path */
        for (k = 1;; k++) {
            baiot_j48_model *m = NULL;
            baiot_alloc_fail_at((uint64_t)k);
            baiot_status st = baiot_j48_train(v, rows, 360, NULL, &p, &m);
            baiot_alloc_fail_at(0);
            if (st == BAIOT_OK) {
                assert_true(baiot_j48_num_leaves(m) > 1);
                baiot_j48_free(m);
                break;
            }
            assert_int_equal(st, BAIOT_ERR_MEMORY);
            assert_null(m);
        }
        assert_true(k > 20);
    }
    baiot_j48_presort_free(ps);
    baiot_view_free(v);
}

/* Sets about one value in twenty of columns 1..3 missing. */
static void punch_holes(baiot_view *v)
{
    for (int64_t r = 0; r < v->n_rows; r++)
        for (int j = 1; j <= 3; j++)
            if (unif() < 0.05)
                v->cols[j][r] = NAN;
}

/* Whether a node of the tree's JSON has a fractional "total" weight. */
static int has_fractional_total(const char *json)
{
    for (const char *q = strstr(json, "\"total\": "); q; q = strstr(q + 1, "\"total\": ")) {
        double t = strtod(q + 9, NULL);
        if (t != floor(t))
            return 1;
    }
    return 0;
}

/* Missing values: the nodes sort their rows as Weka does (one order for
 * all threads); 1, 2 and 4 threads give one tree under three option sets,
 * and the rows with a missing value spread over the branches (the tree
 * holds fractional leaf weights). */
static void test_missing_threads(void **state)
{
    (void)state;
    baiot_view *v = make_view_n(N_ROWS);
    punch_holes(v);
    int64_t *rows = malloc(N_ROWS * sizeof *rows);
    for (int64_t r = 0; r < N_ROWS; r++)
        rows[r] = r;
    shuffle(rows, N_ROWS);
    for (int opt = 0; opt < 3; opt++) {
        baiot_j48_params p = baiot_j48_params_default();
        p.unpruned = opt == 1;
        p.no_raise = opt == 2;
        p.n_threads = 1;
        char *one = tree_json(v, rows, N_ROWS, NULL, &p);
        assert_true(has_fractional_total(one));
        for (int t = 2; t <= 4; t += 2) {
            p.n_threads = t;
            char *other = tree_json(v, rows, N_ROWS, NULL, &p);
            if (strcmp(one, other) != 0)
                fail_msg("options %d: %d threads give another tree with missing values", opt, t);
            free(other);
        }
        free(one);
    }
    free(rows);
    baiot_view_free(v);
}

/* Fault injection with missing values (Weka's row order): every k-th
 * allocation failing gives BAIOT_ERR_MEMORY, never a crash or a tree. */
static void test_missing_alloc_failures(void **state)
{
    (void)state;
    baiot_view *v = make_view_n(400);
    punch_holes(v);
    int64_t rows[400];
    for (int64_t r = 0; r < 400; r++)
        rows[r] = (r * 7) % 400;
    baiot_j48_params p = baiot_j48_params_default();
    p.n_threads = 1;
    int k;
    for (k = 1;; k++) {
        baiot_j48_model *m = NULL;
        baiot_alloc_fail_at((uint64_t)k);
        baiot_status st = baiot_j48_train(v, rows, 360, NULL, &p, &m);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) {
            assert_true(baiot_j48_num_leaves(m) > 1);
            baiot_j48_free(m);
            break;
        }
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(m);
    }
    assert_true(k > 20);
    baiot_view_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presort_same_trees),
        cmocka_unit_test(test_threads_large),
        cmocka_unit_test(test_lean_same_trees),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_missing_threads),
        cmocka_unit_test(test_missing_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
