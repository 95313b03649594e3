/*
 * test_class_clusters.c - unit tests of classes-to-clusters
 * (engine/evaluation/class_clusters.c, baiot_eval_classes_to_clusters in
 * include/baiot/evaluation.h).
 *
 * Checked on hand-worked cases: the class x cluster counts, the mapping of
 * least errors and its error count; more clusters than classes (a cluster
 * maps to no class); a tie between classes resolved as Weka's search order
 * finds it first (the lower class); rows with a missing class counted as
 * class 0 (Weka 3.6.14); an empty cluster mapped to no class; argument errors; and every
 * allocation failing in turn (BAIOT_ERR_MEMORY, nothing held; leaks show
 * under AddressSanitizer or valgrind).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "baiot/evaluation.h"

#include <string.h>

static void test_basic(void **state)
{
    (void)state;
    const int y[] = {0, 0, 0, 1, 1, 2};
    const int assign[] = {0, 0, 1, 1, 1, 2};
    baiot_eval_c2c c;
    assert_int_equal(baiot_eval_classes_to_clusters(y, 6, 3, assign, 3, &c), BAIOT_OK);
    const int64_t counts[] = {2, 0, 0, 1, 2, 0, 0, 0, 1};
    assert_memory_equal(c.counts, counts, sizeof counts);
    assert_int_equal(c.totals[0], 2);
    assert_int_equal(c.totals[1], 3);
    assert_int_equal(c.totals[2], 1);
    assert_int_equal(c.cluster_class[0], 0);
    assert_int_equal(c.cluster_class[1], 1);
    assert_int_equal(c.cluster_class[2], 2);
    assert_int_equal(c.incorrect, 1);
    assert_int_equal(c.n, 6);
    baiot_eval_c2c_free(&c);
    assert_null(c.counts);
    baiot_eval_c2c_free(&c); /* zeroed: a no-op */
    baiot_eval_c2c_free(NULL);
}

static void test_more_clusters_than_classes(void **state)
{
    (void)state;
    const int y[] = {0, 0, 1, 1, 1, 0};
    const int assign[] = {0, 0, 1, 1, 2, 2};
    baiot_eval_c2c c;
    assert_int_equal(baiot_eval_classes_to_clusters(y, 6, 2, assign, 3, &c), BAIOT_OK);
    assert_int_equal(c.cluster_class[0], 0);
    assert_int_equal(c.cluster_class[1], 1);
    assert_int_equal(c.cluster_class[2], -1);
    assert_int_equal(c.incorrect, 2);
    baiot_eval_c2c_free(&c);
}

static void test_tie_lower_class(void **state)
{
    (void)state;
    const int y[] = {1, 0};
    const int assign[] = {0, 0};
    baiot_eval_c2c c;
    assert_int_equal(baiot_eval_classes_to_clusters(y, 2, 2, assign, 1, &c), BAIOT_OK);
    assert_int_equal(c.cluster_class[0], 0);
    assert_int_equal(c.incorrect, 1);
    baiot_eval_c2c_free(&c);
}

static void test_missing_class_and_empty_cluster(void **state)
{
    (void)state;
    /* Weka 3.6.14 counts a missing class as class 0: cluster 1 holds two
     * rows with a missing class and one of class 1, so it maps to class 0
     * (one error) and cluster 0 to class 1 */
    const int y[] = {-1, 1, 1, -1, 1};
    const int assign[] = {1, 0, 0, 1, 1};
    baiot_eval_c2c c;
    assert_int_equal(baiot_eval_classes_to_clusters(y, 5, 2, assign, 3, &c), BAIOT_OK);
    assert_int_equal(c.counts[0 * 2 + 1], 2);
    assert_int_equal(c.counts[1 * 2 + 0], 2);
    assert_int_equal(c.counts[1 * 2 + 1], 1);
    assert_int_equal(c.totals[0], 2);
    assert_int_equal(c.totals[1], 3);
    assert_int_equal(c.totals[2], 0);
    assert_int_equal(c.cluster_class[0], 1);
    assert_int_equal(c.cluster_class[1], 0);
    assert_int_equal(c.cluster_class[2], -1);
    assert_int_equal(c.incorrect, 1);
    assert_int_equal(c.n, 5);
    baiot_eval_c2c_free(&c);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    const int y[] = {0};
    const int assign[] = {0};
    baiot_eval_c2c c;
    assert_int_equal(baiot_eval_classes_to_clusters(y, 1, 0, assign, 1, &c), BAIOT_ERR_ARG);
    assert_null(c.counts);
    assert_int_equal(baiot_eval_classes_to_clusters(y, 1, 1, assign, 0, &c), BAIOT_ERR_ARG);
    assert_null(c.counts);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    const int y[] = {0, 0, 0, 1, 1, 2};
    const int assign[] = {0, 0, 1, 1, 1, 2};
    uint64_t k;
    for (k = 1; k < 100; k++) {
        baiot_eval_c2c c;
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_eval_classes_to_clusters(y, 6, 3, assign, 3, &c);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK) {
            assert_int_equal(c.incorrect, 1);
            baiot_eval_c2c_free(&c);
            break;
        }
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        assert_null(c.counts);
        assert_null(c.totals);
        assert_null(c.cluster_class);
    }
    /* counts, totals, cluster_class, the search's scratch */
    assert_int_equal(k, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_more_clusters_than_classes),
        cmocka_unit_test(test_tie_lower_class),
        cmocka_unit_test(test_missing_class_and_empty_cluster),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, 0, NULL);
}
