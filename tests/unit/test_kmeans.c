/*
 * test_kmeans.c - unit tests of EM's SimpleKMeans start
 * (engine/models/em/kmeans.c) and of the EM fit arrays (em_data.c), plus
 * baiot_em_train / baiot_em_cluster under allocation failures.
 *
 * Checked: two well-separated groups come out as the two clusters with
 * the hand-computed centroids, Weka's member std devs (sample variance) and
 * the squared error of the range-normalised distances; a nominal attribute's
 * centroid is the members' mode and its counts are the members' value
 * counts; duplicate rows leave fewer distinct initial centroids (k shrinks);
 * a fit whose distance loop runs in parallel gives the same bits on 1 and 2
 * threads; and every allocation of k-means, of the fit data and of a whole
 * EM training and clustering failing in turn gives BAIOT_ERR_MEMORY with
 * nothing returned (leaks show under AddressSanitizer, whose leak checker
 * reports at exit: configure with -DCMAKE_C_FLAGS=-fsanitize=address).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "baiot/em.h"
#include "engine/models/em/em_internal.h"
#include "engine/models/em/kmeans.h"

#include <math.h>
#include <string.h>

/* Fills f (n rows, d columns) from row-major x. */
static void load_rows(baiot_em_data *f, const double *x, int64_t n, int d, const int *nvals)
{
    assert_int_equal(baiot_em_data_alloc(f, n, d, nvals), BAIOT_OK);
    for (int j = 0; j < d; j++)
        for (int64_t i = 0; i < n; i++)
            f->cols[j][i] = x[i * d + j];
}

static void test_two_groups(void **state)
{
    (void)state;
    const double x[] = {0, 1, 2, 10, 11, 12};
    const int nvals[] = {0};
    baiot_em_data f;
    load_rows(&f, x, 6, 1, nvals);
    baiot_kmeans_work w;
    memset(&w, 0, sizeof w);
    assert_int_equal(baiot_kmeans_work_alloc(&w, 6, 1), BAIOT_OK);
    for (int32_t seed = 1; seed <= 5; seed++) {
        baiot_kmeans_result r;
        assert_int_equal(baiot_kmeans_run(&f, 2, seed, 1, &w, &r), BAIOT_OK);
        assert_int_equal(r.k, 2);
        int lo = r.centroid[0] < r.centroid[1] ? 0 : 1, hi = 1 - lo;
        assert_true(r.centroid[lo] == 1.0);
        assert_true(r.centroid[hi] == 11.0);
        assert_int_equal(r.size[lo], 3);
        assert_int_equal(r.size[hi], 3);
        /* sample variance of {0, 1, 2} is 1 */
        assert_true(fabs(r.sd[lo] - 1.0) < 1e-15);
        assert_true(fabs(r.sd[hi] - 1.0) < 1e-15);
        /* distances normalised by the range 12: 4 x (1/12)^2 */
        assert_true(fabs(r.sqerr - 4.0 / 144.0) < 1e-15);
        baiot_kmeans_result_free(&r);
        assert_null(r.centroid);
    }
    baiot_kmeans_work_free(&w);
    baiot_em_data_free(&f);
}

static void test_nominal_mode(void **state)
{
    (void)state;
    /* attribute 0 numeric (two groups), attribute 1 nominal with 3 values */
    const double x[] = {0, 2, 0.5, 2, 1, 1, 100, 0, 101, 0, 102, 0, 103, 0};
    const int nvals[] = {0, 3};
    baiot_em_data f;
    load_rows(&f, x, 7, 2, nvals);
    baiot_kmeans_work w;
    memset(&w, 0, sizeof w);
    assert_int_equal(baiot_kmeans_work_alloc(&w, 7, 2), BAIOT_OK);
    baiot_kmeans_result r;
    assert_int_equal(baiot_kmeans_run(&f, 2, 7, 1, &w, &r), BAIOT_OK);
    assert_int_equal(r.k, 2);
    int lo = r.centroid[0] < r.centroid[2] ? 0 : 1, hi = 1 - lo;
    assert_int_equal(r.size[lo], 3);
    assert_int_equal(r.size[hi], 4);
    assert_true(r.centroid[lo * 2 + 1] == 2.0); /* values 2, 2, 1: mode 2 */
    assert_true(r.centroid[hi * 2 + 1] == 0.0); /* values 0, 0, 0, 0: mode 0 */
    assert_true(r.ncount[lo * 3 + 0] == 0 && r.ncount[lo * 3 + 1] == 1 && r.ncount[lo * 3 + 2] == 2);
    assert_true(r.ncount[hi * 3 + 0] == 4 && r.ncount[hi * 3 + 1] == 0 && r.ncount[hi * 3 + 2] == 0);
    assert_true(isnan(r.sd[lo * 2 + 1]));
    baiot_kmeans_result_free(&r);
    baiot_kmeans_work_free(&w);
    baiot_em_data_free(&f);
}

static void test_duplicates_shrink_k(void **state)
{
    (void)state;
    const double x[] = {5, 5, 5, 5};
    const int nvals[] = {0};
    baiot_em_data f;
    load_rows(&f, x, 4, 1, nvals);
    baiot_kmeans_work w;
    memset(&w, 0, sizeof w);
    assert_int_equal(baiot_kmeans_work_alloc(&w, 4, 1), BAIOT_OK);
    baiot_kmeans_result r;
    assert_int_equal(baiot_kmeans_run(&f, 3, 42, 1, &w, &r), BAIOT_OK);
    assert_int_equal(r.k, 1);
    assert_int_equal(r.size[0], 4);
    assert_true(r.centroid[0] == 5.0);
    assert_true(r.sd[0] == 0.0);
    assert_true(r.sqerr == 0.0);
    baiot_kmeans_result_free(&r);
    baiot_kmeans_work_free(&w);
    baiot_em_data_free(&f);
}

/* Enough rows x attributes x clusters that the distance loop runs in
 * parallel (kmeans.c's KMEANS_PAR_MIN_WORK). */
static void test_thread_count(void **state)
{
    (void)state;
    const int64_t n = 150000;
    const int d = 10;
    int nvals[10] = {0};
    baiot_em_data f;
    assert_int_equal(baiot_em_data_alloc(&f, n, d, nvals), BAIOT_OK);
    uint64_t s = 12345;
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < d; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            f.cols[j][i] = (double)(i % 3) * 4.0 + (double)(s >> 11) / 9007199254740992.0;
        }
    baiot_kmeans_work w;
    memset(&w, 0, sizeof w);
    assert_int_equal(baiot_kmeans_work_alloc(&w, n, d), BAIOT_OK);
    baiot_kmeans_result a, b;
    assert_int_equal(baiot_kmeans_run(&f, 3, 100, 1, &w, &a), BAIOT_OK);
    assert_int_equal(baiot_kmeans_run(&f, 3, 100, 2, &w, &b), BAIOT_OK);
    assert_int_equal(a.k, b.k);
    assert_memory_equal(&a.sqerr, &b.sqerr, sizeof a.sqerr);
    assert_memory_equal(a.centroid, b.centroid, (size_t)a.k * d * sizeof *a.centroid);
    assert_memory_equal(a.sd, b.sd, (size_t)a.k * d * sizeof *a.sd);
    assert_memory_equal(a.size, b.size, (size_t)a.k * sizeof *a.size);
    baiot_kmeans_result_free(&a);
    baiot_kmeans_result_free(&b);
    baiot_kmeans_work_free(&w);
    baiot_em_data_free(&f);
}

static void test_kmeans_alloc_failures(void **state)
{
    (void)state;
    const double x[] = {0, 2, 0.5, 2, 1, 1, 100, 0, 101, 0, 102, 0, 103, 1};
    const int nvals[] = {0, 3};
    uint64_t k;
    for (k = 1; k < 100; k++) {
        baiot_em_data f;
        baiot_kmeans_work w;
        baiot_kmeans_result r;
        memset(&w, 0, sizeof w);
        memset(&r, 0, sizeof r);
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_em_data_alloc(&f, 7, 2, nvals);
        if (!st) {
            for (int j = 0; j < 2; j++)
                for (int64_t i = 0; i < 7; i++)
                    f.cols[j][i] = x[i * 2 + j];
            st = baiot_kmeans_work_alloc(&w, 7, 2);
            if (!st) {
                st = baiot_kmeans_run(&f, 2, 7, 1, &w, &r);
                baiot_kmeans_work_free(&w);
            }
            baiot_em_data_free(&f);
        }
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) {
            assert_int_equal(r.k, 2);
            baiot_kmeans_result_free(&r);
            break;
        }
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(r.centroid);
        assert_null(r.size);
    }
    assert_true(k > 10 && k < 100);
}

/* A small view: one numeric and one nominal attribute, two groups. */
static void small_view(baiot_view *v, baiot_attr *attrs, double *block, double **cols, int *y, int64_t n)
{
    static char *values[] = {"a", "b"};
    memset(v, 0, sizeof *v);
    attrs[0] = (baiot_attr){"x", BAIOT_ATTR_NUMERIC, 0, NULL};
    attrs[1] = (baiot_attr){"c", BAIOT_ATTR_NOMINAL, 2, values};
    cols[0] = block;
    cols[1] = block + n;
    for (int64_t i = 0; i < n; i++) {
        int g = (int)(i % 2);
        cols[0][i] = g * 10.0 + (double)(i % 5) * 0.3;
        cols[1][i] = i == 3 ? NAN : (double)g;
        y[i] = g;
    }
    v->n_rows = n;
    v->n_cols = 2;
    v->attrs = attrs;
    v->cols = cols;
    v->n_classes = 2;
    v->y = y;
}

static void test_em_alloc_failures(void **state)
{
    (void)state;
    enum { N = 24 };
    baiot_view v;
    baiot_attr attrs[2];
    double block[2 * N], *cols[2];
    int y[N], assign[N];
    small_view(&v, attrs, block, cols, y, N);
    for (int cv = 0; cv < 2; cv++) {
        baiot_em_params p = baiot_em_params_default();
        p.n_clusters = cv ? -1 : 2;
        p.n_threads = 1;
        baiot_em_model *ref = NULL;
        assert_int_equal(baiot_em_train(&v, &p, &ref), BAIOT_OK);
        double ref_llk;
        assert_int_equal(baiot_em_cluster(ref, &v, NULL, &ref_llk), BAIOT_OK);
        uint64_t k;
        for (k = 1; k < 1000000; k++) {
            baiot_em_model *m = (baiot_em_model *)&m;
            double llk = 0;
            baiot_alloc_fail_at(k);
            baiot_status st = baiot_em_train(&v, &p, &m);
            if (st)
                assert_null(m);
            else {
                st = baiot_em_cluster(m, &v, assign, &llk);
                if (st)
                    baiot_em_free(m);
            }
            baiot_alloc_fail_at(0);
            if (st == BAIOT_OK) {
                assert_int_equal(baiot_em_n_clusters(m), baiot_em_n_clusters(ref));
                assert_memory_equal(&llk, &ref_llk, sizeof llk);
                baiot_em_free(m);
                break;
            }
            assert_int_equal(st, BAIOT_ERR_MEMORY);
        }
        assert_true(k < 1000000);
        baiot_em_free(ref);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_groups),
        cmocka_unit_test(test_nominal_mode),
        cmocka_unit_test(test_duplicates_shrink_k),
        cmocka_unit_test(test_thread_count),
        cmocka_unit_test(test_kmeans_alloc_failures),
        cmocka_unit_test(test_em_alloc_failures),
    };
    return cmocka_run_group_tests(tests, 0, NULL);
}
