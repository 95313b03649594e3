/*
 * test_j48_memory.c - J48's memory plan (engine/models/j48/j48_memory.c)
 * and the memory available (kernels/base/memory_available.c):
 *   - no limit, or a generous one: folds side by side, one per thread, no
 *     column budget;
 *   - tighter limits step down: fewer folds at once, then one fold at a
 *     time with a column budget below its column arrays; the planned peak
 *     never exceeds the limit, and the budgets shrink with the limit;
 *   - the tree on all rows gets its own budget when its arrays do not fit;
 *   - a limit the data and presort alone exceed fails with
 *     BAIOT_ERR_MEMORY and a message with the figures;
 *   - the presort is built by fewer threads when their buffers do not fit;
 *   - this machine reports a positive available memory.
 * The trees under a budget are checked in test_j48_model.c, the CLI in
 * tests/cli/test_j48_memory.py.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/j48.h"
#include "baiot/view.h"

#include <string.h>

static baiot_view *sized_view(int64_t n, int c)
{
    baiot_view *v = NULL;
    assert_int_equal(baiot_view_alloc(n, c, &v), BAIOT_OK);
    v->n_classes = 3;
    return v;
}

static void test_no_limit(void **state)
{
    (void)state;
    baiot_view *v = sized_view(100000, 20);
    baiot_j48_memory_plan p;
    assert_int_equal(baiot_j48_memory_plan_make(v, 10, 1, 4, 0, &p), BAIOT_OK);
    assert_int_equal(p.concurrency, 4);
    assert_int_equal(p.presort_threads, 4);
    assert_true(p.fold_column_memory == 0 && p.tree_column_memory == 0);
    int64_t cells = 100000LL * 20 * 8 + 100000LL * 4;
    assert_true(p.data == cells + cells / 32 + (96LL << 20) && p.presort == 100000LL * 20 * 9);
    assert_true(p.fold_columns == baiot_j48_column_bytes(90000, 20));
    assert_int_equal(baiot_j48_memory_plan_make(v, 10, 1, 4, (int64_t)1 << 40, &p), BAIOT_OK);
    assert_int_equal(p.concurrency, 4);
    assert_true(p.fold_column_memory == 0 && p.tree_column_memory == 0 && p.peak <= (int64_t)1 << 40);
    assert_int_equal(baiot_j48_memory_plan_make(v, 3, 0, 8, (int64_t)1 << 40, &p), BAIOT_OK);
    assert_int_equal(p.concurrency, 3); /* never more than the folds */
    baiot_view_free(v);
}

static void test_steps_down(void **state)
{
    (void)state;
    baiot_view *v = sized_view(1000000, 115);
    baiot_j48_memory_plan big, p;
    assert_int_equal(baiot_j48_memory_plan_make(v, 10, 1, 2, 0, &big), BAIOT_OK);
    int64_t base = big.data + big.presort + big.eval;
    int seen_two = 0, seen_one = 0, seen_lean = 0;
    int64_t last_budget = INT64_MAX;
    /* from the unlimited peak down to just over the data */
    for (int64_t limit = big.peak + 1000; limit > base; limit -= big.fold_columns / 16) {
        baiot_status st = baiot_j48_memory_plan_make(v, 10, 1, 2, limit, &p);
        if (st) {
            assert_int_equal(st, BAIOT_ERR_MEMORY);
            assert_non_null(strstr(baiot_last_error(), "over the memory limit"));
            break;
        }
        assert_true(p.peak <= limit);
        assert_true(p.concurrency >= 1 && p.concurrency <= 2);
        seen_two |= p.concurrency == 2;
        seen_one |= p.concurrency == 1 && p.fold_column_memory == 0;
        if (p.fold_column_memory > 0) {
            assert_int_equal(p.concurrency, 1);
            assert_true(p.fold_column_memory < p.fold_columns);
            assert_true(p.fold_column_memory < last_budget); /* shrinks with the limit */
            last_budget = p.fold_column_memory;
            assert_true(p.tree_column_memory > 0 && p.tree_column_memory < p.tree_columns);
            seen_lean = 1;
        }
    }
    assert_true(seen_two && seen_one && seen_lean);
    /* the data alone over the limit */
    assert_int_equal(baiot_j48_memory_plan_make(v, 10, 1, 2, big.data, &p), BAIOT_ERR_MEMORY);
    assert_non_null(strstr(baiot_last_error(), "GiB"));
    /* the presort's build by fewer threads */
    assert_int_equal(baiot_j48_memory_plan_make(v, 0, 0, 8, big.data + big.presort + 3 * 36 * 1000000LL, &p),
                     BAIOT_OK);
    assert_int_equal(p.presort_threads, 3);
    baiot_view_free(v);
}

static void test_available(void **state)
{
    (void)state;
    int64_t a = baiot_memory_available();
    assert_true(a > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_limit),
        cmocka_unit_test(test_steps_down),
        cmocka_unit_test(test_available),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
