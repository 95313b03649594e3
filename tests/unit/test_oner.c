/*
 * test_oner.c - OneR: kernels/oner_groups.c, kernels/oner.c and
 * engine/models/oner_model.c against a plain reference computation
 * (tests/unit/oner_reference.h) on small random data made to hit the
 * corners: few distinct values (ties), -0.0 next to +0.0, missing values,
 * rows without a class, 1 to 4 classes and minimum bucket sizes 1..7.
 *   - the grouping: rows, groups, class counts, missing counts and the
 *     per-fold (group, class) lists against qsort and direct counting;
 *   - the numeric rule (breaks, classes, missing branch, correct count) on
 *     all rows and on each fold's training rows (all minus the fold, given
 *     as left-out pairs), and the left-out rows it gets right;
 *   - the classifier: the chosen attribute (most training rows right, the
 *     first on ties), its predictions and its counts, numeric and nominal;
 *   - a failed allocation at every point of training gives
 *     BAIOT_ERR_MEMORY, no model and (under ASan) no leak.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "baiot/oner.h"
#include "baiot/view.h"
#include "kernels/oner.h"
#include "kernels/oner_groups.h"
#include "oner_reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_RNG_SEED 0x9E3779B97F4A7C15ULL
#include "unit_testlib.h"

/* A column of n values of kind: 0 few integers (-3..3, zeros of both
 * signs), 1 spread reals, 2 one value only; about 10% NaN when
 * with_missing. */
static void fill_column(double *x, int64_t n, int kind, int with_missing)
{
    for (int64_t i = 0; i < n; i++) {
        if (kind == 0) {
            x[i] = (double)(int)(rnd() % 7) - 3;
            if (x[i] == 0 && (rnd() & 1))
                x[i] = -0.0;
        } else if (kind == 1) {
            x[i] = (unif() - 0.3) * 100;
        } else {
            x[i] = 2.5;
        }
        if (with_missing && rnd() % 10 == 0)
            x[i] = NAN;
    }
}

/* Classes that follow x (so rules have several buckets) with noise; about
 * 5% without a class. */
static void fill_classes(const double *x, int *y, int64_t n, int nc)
{
    for (int64_t i = 0; i < n; i++) {
        double v = isnan(x[i]) ? 0 : x[i];
        y[i] = (int)(fabs(v) / 2) % nc;
        if (rnd() % 4 == 0)
            y[i] = (int)(rnd() % (uint64_t)nc);
        if (rnd() % 20 == 0)
            y[i] = -1;
    }
}

/* ---- the grouping ---- */

typedef struct spos {
    double v;
    int64_t pos; /* position in the row list */
    int32_t row;
} spos;

static int cmp_spos(const void *a, const void *b)
{
    const spos *p = a, *q = b;
    if (p->v < q->v || (p->v == q->v && signbit(p->v) > signbit(q->v)))
        return -1;
    if (p->v > q->v || (p->v == q->v && signbit(p->v) < signbit(q->v)))
        return 1;
    return (p->pos > q->pos) - (p->pos < q->pos);
}

static void check_groups(int64_t n, int nc, int k, int use_rows, int kind)
{
    double *x = malloc((size_t)n * sizeof *x);
    int *y = malloc((size_t)n * sizeof *y);
    int8_t *fold_of = malloc((size_t)n);
    int64_t *rows = malloc((size_t)n * sizeof *rows), nr = 0;
    spos *s = malloc((size_t)n * sizeof *s);
    fill_column(x, n, kind, 1);
    fill_classes(x, y, n, nc);
    for (int64_t i = 0; i < n; i++)
        fold_of[i] = (int8_t)(k > 0 ? rnd() % (uint64_t)k : 0);
    if (use_rows) { /* every other row, in a shuffled order */
        for (int64_t i = 0; i < n; i += 2)
            rows[nr++] = i;
        for (int64_t i = nr - 1; i > 0; i--) {
            int64_t j = (int64_t)(rnd() % (uint64_t)(i + 1)), t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
    } else {
        for (int64_t i = 0; i < n; i++)
            rows[nr++] = i;
    }

    baiot_oner_groups g;
    assert_int_equal(baiot_oner_groups_alloc(&g, nr, nc, k), BAIOT_OK);
    baiot_oner_groups_build(&g, x, y, use_rows ? rows : NULL, nr, fold_of);

    /* reference: direct counts and a stable comparison sort */
    int64_t miss[(BAIOT_ONER_GROUPS_MAX_FOLDS + 1) * REF_MAX_CLASSES] = {0}, m = 0;
    for (int64_t i = 0; i < nr; i++) {
        int64_t r = rows[i];
        if (y[r] < 0)
            continue;
        if (isnan(x[r])) {
            miss[(int64_t)k * nc + y[r]]++;
            if (k > 0)
                miss[(int64_t)fold_of[r] * nc + y[r]]++;
        } else {
            s[m].v = x[r];
            s[m].pos = i;
            s[m++].row = (int32_t)r;
        }
    }
    qsort(s, (size_t)m, sizeof *s, cmp_spos);
    for (int64_t c = 0; c < (int64_t)(k + 1) * nc; c++)
        assert_int_equal(g.miss[c], miss[c]);
    assert_int_equal(g.n_rows, m);
    int64_t G = 0;
    int32_t *grp = malloc((size_t)(m + 1) * sizeof *grp);
    for (int64_t i = 0; i < m; i++) {
        assert_int_equal(g.row[i], s[i].row);
        if (i == 0 || s[i].v != s[i - 1].v) {
            assert_true(G < g.n_groups);
            assert_true(g.value[G] == s[i].v);
            if (G > 0)
                assert_true(g.value[G] > g.value[G - 1]);
            int32_t cnt[REF_MAX_CLASSES] = {0};
            for (int64_t j = i; j < m && s[j].v == s[i].v; j++)
                cnt[y[s[j].row]]++;
            for (int c = 0; c < nc; c++)
                assert_int_equal(g.total[G * nc + c], cnt[c]);
            G++;
        }
        grp[i] = (int32_t)(G - 1);
    }
    assert_int_equal(g.n_groups, G);
    if (k > 0) { /* fold f's pairs: the sorted rows of fold f, in order */
        int64_t at = 0;
        for (int f = 0; f < k; f++) {
            assert_int_equal(g.fold_start[f], at);
            for (int64_t i = 0; i < m; i++)
                if (fold_of[s[i].row] == f) {
                    assert_int_equal(g.test_group[at], grp[i]);
                    assert_int_equal(g.test_y[at], y[s[i].row]);
                    at++;
                }
        }
        assert_int_equal(g.fold_start[k], m);
    }
    baiot_oner_groups_free(&g);
    baiot_oner_groups_free(&g); /* emptied: a second free is safe */
    free(grp);
    free(x);
    free(y);
    free(fold_of);
    free(rows);
    free(s);
}

static void test_groups(void **state)
{
    (void)state;
    for (int kind = 0; kind < 3; kind++)
        for (int nc = 1; nc <= 4; nc++) {
            check_groups(400, nc, 0, 0, kind);
            check_groups(400, nc, 0, 1, kind);
            check_groups(400, nc, 5, 0, kind);
            check_groups(401, nc, 10, 1, kind);
        }
    check_groups(0, 2, 0, 0, 0);
    check_groups(0, 2, 3, 0, 0);
}

/* ---- the numeric rule ---- */

static void assert_rule_equal(const oner_rule *r, const ref_rule *e)
{
    assert_int_equal(r->n_buckets, e->nb);
    for (int b = 0; b < e->nb; b++) {
        assert_int_equal(r->classes[b], e->classes[b]);
        assert_true(r->breaks[b] == e->breaks[b]);
    }
    assert_int_equal(r->missing_class, e->missing_class);
    assert_int_equal(r->correct, e->correct);
}

/* One column, k folds: the rule on all rows, and each fold's rule (from
 * the left-out pairs) with the left-out rows it gets right. */
static void check_rule(int64_t n, int nc, int k, int min_bucket, int kind)
{
    double *x = malloc((size_t)n * sizeof *x);
    int *y = malloc((size_t)n * sizeof *y);
    int8_t *fold_of = malloc((size_t)n);
    int64_t *rows = malloc((size_t)n * sizeof *rows), *train = malloc((size_t)n * sizeof *train);
    int64_t scratch[3 * REF_MAX_CLASSES];
    double *breaks = malloc((size_t)(n + 1) * sizeof *breaks);
    int *classes = malloc((size_t)(n + 1) * sizeof *classes);
    fill_column(x, n, kind, 1);
    fill_classes(x, y, n, nc);
    for (int64_t i = 0; i < n; i++) {
        rows[i] = i;
        fold_of[i] = (int8_t)(rnd() % (uint64_t)k);
    }
    oner_rule rule = {.breaks = breaks, .classes = classes};
    ref_rule ref;

    baiot_oner_groups g;
    assert_int_equal(baiot_oner_groups_alloc(&g, n, nc, 0), BAIOT_OK);
    baiot_oner_groups_build(&g, x, y, NULL, n, NULL);
    baiot_oner_build_numeric_grouped(g.value, g.total, g.n_groups, NULL, NULL, 0, g.miss, nc, min_bucket, scratch, &rule);
    ref_column_rule(x, y, rows, n, 0, 0, nc, min_bucket, &ref);
    assert_rule_equal(&rule, &ref);
    int64_t right = 0; /* the rule's own count, recounted by predicting */
    for (int64_t i = 0; i < n; i++)
        right += y[i] >= 0 && baiot_oner_rule_predict(&rule, 0, x[i]) == y[i];
    assert_int_equal(right, rule.correct);
    for (int t = 0; t < 50; t++) { /* predictions anywhere */
        double v = (unif() - 0.5) * 300;
        assert_int_equal(baiot_oner_rule_predict(&rule, 0, v), ref_predict(&ref, 0, v));
    }
    assert_int_equal(baiot_oner_rule_predict(&rule, 0, NAN), ref_predict(&ref, 0, NAN));
    ref_rule_free(&ref);
    baiot_oner_groups_free(&g);

    assert_int_equal(baiot_oner_groups_alloc(&g, n, nc, k), BAIOT_OK);
    baiot_oner_groups_build(&g, x, y, NULL, n, fold_of);
    for (int f = 0; f < k; f++) {
        int64_t nt = 0, train_miss[REF_MAX_CLASSES];
        for (int64_t i = 0; i < n; i++)
            if (fold_of[i] != f)
                train[nt++] = i;
        for (int c = 0; c < nc; c++)
            train_miss[c] = g.miss[(int64_t)k * nc + c] - g.miss[(int64_t)f * nc + c];
        const int32_t *tg = g.test_group + g.fold_start[f], *ty = g.test_y + g.fold_start[f];
        int64_t n_left = g.fold_start[f + 1] - g.fold_start[f];
        baiot_oner_build_numeric_grouped(g.value, g.total, g.n_groups, tg, ty, n_left, train_miss, nc, min_bucket,
                                   scratch, &rule);
        ref_column_rule(x, y, train, nt, 0, 0, nc, min_bucket, &ref);
        assert_rule_equal(&rule, &ref);
        int64_t expect = 0;
        for (int64_t i = 0; i < n; i++)
            if (fold_of[i] == f && y[i] >= 0 && !isnan(x[i]))
                expect += ref_predict(&ref, 0, x[i]) == y[i];
        assert_int_equal(baiot_oner_count_correct_grouped(&rule, g.value, tg, ty, n_left), expect);
        ref_rule_free(&ref);
    }
    baiot_oner_groups_free(&g);
    free(x);
    free(y);
    free(fold_of);
    free(rows);
    free(train);
    free(breaks);
    free(classes);
}

static void test_numeric_rule(void **state)
{
    (void)state;
    for (int kind = 0; kind < 3; kind++)
        for (int nc = 1; nc <= 4; nc++)
            for (int mb = 1; mb <= 7; mb += 2) {
                check_rule(300, nc, 5, mb, kind);
                check_rule(37, nc, 3, mb, kind);
            }
}

/* ---- the classifier ---- */

#define N_COLS 5 /* four numeric, one nominal (column 4, 3 values) */

static baiot_view *make_view(int64_t n, int nc, int nominal_wins)
{
    baiot_view *v = NULL;
    assert_int_equal(baiot_view_alloc(n, N_COLS, &v), BAIOT_OK);
    v->n_classes = nc;
    for (int j = 0; j < N_COLS; j++)
        v->attrs[j].kind = BAIOT_ATTR_NUMERIC;
    v->attrs[4].kind = BAIOT_ATTR_NOMINAL;
    v->attrs[4].n_values = 3;
    fill_column(v->cols[0], n, 0, 1);
    fill_classes(v->cols[0], v->y, n, nc);
    fill_column(v->cols[1], n, 1, 1);
    fill_column(v->cols[2], n, 2, 0);
    for (int64_t r = 0; r < n; r++) { /* column 3: column 0 again, so it ties with it */
        v->cols[3][r] = v->cols[0][r];
        v->cols[4][r] = nominal_wins && v->y[r] >= 0 ? v->y[r] % 3 : (double)(rnd() % 3);
        if (rnd() % 15 == 0)
            v->cols[4][r] = NAN;
    }
    return v;
}

static char *model_json(const baiot_oner_model *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    baiot_oner_write_json(m, f);
    fclose(f);
    return buf;
}

static void check_model(int64_t n, int nc, int nominal_wins, int min_bucket)
{
    baiot_view *v = make_view(n, nc, nominal_wins);
    int64_t *rows = malloc((size_t)n * sizeof *rows), nr = 0, trained = 0;
    for (int64_t r = n - 1; r >= 0; r--) /* a subset, in reverse order */
        if (r % 3 != 1)
            rows[nr++] = r;
    for (int64_t i = 0; i < nr; i++)
        trained += v->y[rows[i]] >= 0;
    baiot_oner_params p = baiot_oner_params_default();
    p.min_bucket = min_bucket;
    baiot_oner_model *m = NULL;
    assert_int_equal(baiot_oner_train(v, rows, nr, &p, &m), BAIOT_OK);

    ref_rule ref[N_COLS];
    int best = 0;
    for (int j = 0; j < N_COLS; j++) {
        int nominal = v->attrs[j].kind == BAIOT_ATTR_NOMINAL;
        ref_column_rule(v->cols[j], v->y, rows, nr, nominal, v->attrs[j].n_values, nc, min_bucket, &ref[j]);
        if (ref[j].correct > ref[best].correct)
            best = j;
    }
    assert_int_equal(baiot_oner_attribute(m), best);
    assert_true(best != 3); /* column 3 equals column 0: the first wins */
    int nominal = best == 4;
    for (int64_t r = 0; r < n; r++)
        assert_int_equal(baiot_oner_predict(m, v, r), ref_predict(&ref[best], nominal, v->cols[best][r]));
    char *json = model_json(m), expect[96];
    snprintf(expect, sizeof expect, "\"correct\": %lld, \"trained\": %lld}", (long long)ref[best].correct,
             (long long)trained);
    assert_non_null(strstr(json, expect));
    snprintf(expect, sizeof expect, "\"missing_class\": %d,", ref[best].missing_class);
    assert_non_null(strstr(json, expect));
    free(json);
    for (int j = 0; j < N_COLS; j++)
        ref_rule_free(&ref[j]);
    baiot_oner_free(m);
    baiot_view_free(v);
    free(rows);
}

static void test_model(void **state)
{
    (void)state;
    for (int nc = 2; nc <= 4; nc++)
        for (int mb = 1; mb <= 7; mb += 3) {
            check_model(240, nc, 0, mb);
            check_model(240, nc, 1, mb);
        }
    check_model(9, 2, 0, 6);
}

static void test_model_arguments(void **state)
{
    (void)state;
    baiot_view *v = NULL;
    baiot_oner_model *m = (baiot_oner_model *)&m;
    assert_int_equal(baiot_view_alloc(4, 0, &v), BAIOT_OK);
    v->n_classes = 2;
    int64_t rows[4] = {0, 1, 2, 3};
    assert_int_equal(baiot_oner_train(v, rows, 4, NULL, &m), BAIOT_ERR_ARG);
    assert_null(m);
    baiot_view_free(v);
    baiot_oner_free(NULL);
}

/* ---- allocation failures ---- */

static void test_alloc_failure(void **state)
{
    (void)state;
    baiot_view *v = make_view(120, 3, 0);
    int64_t rows[120];
    for (int64_t r = 0; r < 120; r++)
        rows[r] = r;
    uint64_t k;
    for (k = 1;; k++) {
        baiot_oner_model *m = (baiot_oner_model *)&m;
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_oner_train(v, rows, 120, NULL, &m);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) {
            assert_non_null(m);
            baiot_oner_free(m);
            break;
        }
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(m);
        assert_true(k < 1000);
    }
    print_message("oner: training failed cleanly at each of its %llu allocation points\n", (unsigned long long)(k - 1));
    assert_true(k > 5);

    baiot_oner_groups g;
    for (k = 1;; k++) {
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_oner_groups_alloc(&g, 100, 3, 4);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK)
            break;
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(g.row);
        assert_null(g.sort.keys);
        baiot_oner_groups_free(&g);
    }
    print_message("oner_groups: allocation failed cleanly at each of its %llu points\n", (unsigned long long)(k - 1));
    assert_int_equal(k - 1, 10);
    baiot_oner_groups_free(&g);
    baiot_view_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_numeric_rule),
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_model_arguments),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
