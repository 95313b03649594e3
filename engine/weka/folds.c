/*
 * folds.c - Weka 3.6.14's cross-validation folds and percentage split, row
 * for row (see folds.h).
 *
 * Place in the flow: the engine makes the folds once, from the class column
 * alone, before any model is trained; each fold's training and test rows
 * are then plain index lists that any thread or MPI rank can use, and the
 * result equals Weka's Evaluation.crossValidateModel / -split-percentage
 * for the same seed.  The procedure is reimplemented from Weka's observed
 * behaviour and the description in WEKA_ALGORITHMS.md section 4.1; the
 * golden files in tests/golden/weka/folds/ (made by running Weka 3.6.14,
 * tests/tools/java/WekaFolds.java) pin every list, order included.
 *
 * Cross-validation with k folds and seed s, one java.util.Random(s) stream
 * used throughout, in this order:
 *   1. randomize: order = 0..n-1; for j = n-1 down to 1, swap order[j]
 *      with order[nextInt(j+1)].
 *   2. stratify (the class is always nominal here), in two steps:
 *      a. class grouping in place: index = 1; while index < n, take the
 *         class of order[index-1] as reference, scan j = index..n-1 and
 *         swap every row of that class to position index (index++ after
 *         each swap); then index++ once more, so the next reference is the
 *         first row after the group.  Rows end up grouped by class in order
 *         of first appearance, each group in the order the swaps leave it.
 *      b. every k-th: the new order is positions 0, k, 2k, ..., then
 *         1, k+1, ..., up to k-1, 2k-1, ....
 *   3. fold i's test rows: the contiguous block of n/k rows (one more for
 *      the first n%k folds) starting at i*(n/k) + min(i, n%k).
 *   4. fold i's training rows: the rows before the block, then the rows
 *      after it, then that list randomized as in step 1 with the same
 *      stream.  Folds are made in order 0..k-1, each drawing
 *      n - test_count[i] - 1 numbers, so fold i's shuffle depends on all
 *      folds before it.
 * A holdout split (-split-percentage P, -s seed) is step 1 with a fresh
 * Random(seed) (no stratification), then the first round(n * P / 100) rows
 * of that order train and the rest test, in that order.
 *
 * Missing classes (y = -1).  Observed in Weka 3.6.14 (make_fold_golden.sh
 * and the golden tests/golden/weka/folds/iris-missing-class.folds, an iris
 * with every third class replaced by '?'):
 *   - crossValidateModel removes nothing: rows with a missing class are
 *     shuffled, stratified, put into test blocks and training sets like any
 *     other row (the spy classifier of WekaFolds.java is handed them both
 *     in buildClassifier and in distributionForInstance);
 *   - stratify's grouping treats "missing" as one more class: a missing
 *     reference gathers every other missing row.  The other reading (a
 *     missing value equals nothing, as NaN comparisons go) gives the same
 *     order unless a missing row becomes a reference before the other
 *     groups are gathered; on that file seeds 3, 4 and 42 with k = 10 do
 *     that, and only this reading matches Weka there;
 *   - the percentage split likewise keeps them: the training size is
 *     round(n * P / 100) of all n rows, missing classes included
 *     (iris-missing-class.arff, 66%, seed 1: 99 training rows, 34 of them
 *     with a missing class);
 *   - it is the learners and the evaluation that drop them: J48 and OneR
 *     delete training rows with a missing class in buildClassifier (on
 *     iris-missing-class.arff J48's leaves hold 100 rows, OneR reports
 *     97/100 correct), and
 *     Evaluation counts test rows with a missing class under "Ignored Class
 *     Unknown Instances", not in the accuracy or the confusion matrix.
 * So the lists here contain every row; callers skip y = -1 rows when
 * training and scoring.
 *
 * Split size.  Observed: Math.round(n * P / 100) evaluated left to right in
 * double (ties up: 14 rows at 75% train 11, at 25% train 4; 57 rows at 66%
 * train 38, so not floor), and not n * (P / 100) or n / 100 * P, which
 * differ at 25 rows 58% (Weka: 15), 29 rows 50% (15), 45 rows 70% (32),
 * 100 rows 14.5% (15) and 28.5% (29): the split-rounding-*.folds goldens.
 * P may be fractional; Weka refuses P <= 0 and P >= 100 ("Percentage split
 * value needs be >0 and <100"), and so does this file.  A training or test
 * side may be empty (14 rows at 1%: 0 training rows), as in Weka.
 *
 * Limits: n <= INT32_MAX (java.util.Random's nextInt bound, and Weka's
 * instance count, are Java ints).
 *
 * Thread-safety: no globals; each call has its own Random.
 */
#include "baiot/folds.h"
#include "engine/weka/folds.h"

#include "engine/weka/java_random.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * The steps
 * ---------------------------------------------------------------------- */

/* Instances.randomize: Fisher-Yates from the end with nextInt(j+1). */
static void randomize(int64_t *rows, int64_t n, java_random *r)
{
    for (int64_t j = n - 1; j > 0; j--) {
        int64_t s = baiot_java_random_next_int_bound(r, (int32_t)(j + 1));
        int64_t t = rows[j];
        rows[j] = rows[s];
        rows[s] = t;
    }
}

/* Stratify step a: Weka's in-place class grouping of rows[0..n), with a
 * missing class (-1) grouping like a class of its own. */
static void group_by_class(int64_t *rows, int64_t n, const int *y)
{
    int64_t index = 1;
    while (index < n) {
        int ref = y[rows[index - 1]];
        for (int64_t j = index; j < n; j++) {
            if (y[rows[j]] == ref) {
                int64_t t = rows[j];
                rows[j] = rows[index];
                rows[index] = t;
                index++;
            }
        }
        index++;
    }
}

/* Stratify step b: out = rows 0, k, 2k, ..., 1, k+1, ..., k-1, 2k-1, .... */
static void every_kth(const int64_t *rows, int64_t n, int k, int64_t *out)
{
    int64_t m = 0;
    for (int s = 0; s < k; s++)
        for (int64_t j = s; j < n; j += k)
            out[m++] = rows[j];
}

/* Java's Math.round for x >= 0: the nearest integer, ties up.  x - floor(x)
 * is exact for such x below 2^52, so there is no floor(x + 0.5) error. */
static int64_t java_round(double x)
{
    double f = floor(x);
    return (int64_t)f + (x - f >= 0.5);
}

/* ------------------------------------------------------------------------
 * Cross-validation
 * ---------------------------------------------------------------------- */

void baiot_folds_free(baiot_folds *f)
{
    if (!f)
        return;
    if (f->train)
        for (int i = 0; i < f->k; i++)
            baiot_free(f->train[i]);
    baiot_free(f->train);
    baiot_free(f->test_first);
    baiot_free(f->test_count);
    baiot_free(f->order);
    baiot_free(f);
}

/* Builds the folds as described at the top of the file.  On failure *out is
 * NULL and nothing is left allocated. */
baiot_status baiot_folds_make(const int *y, int64_t n, int n_classes, int k, int64_t seed, baiot_folds **out)
{
    baiot_status st = BAIOT_OK;
    baiot_folds *f = NULL;
    int64_t *tmp = NULL;

    if (!out)
        return baiot_fail(BAIOT_ERR_ARG, "folds: no output pointer");
    *out = NULL;
    if (n < 1 || n > INT32_MAX)
        return baiot_fail(BAIOT_ERR_ARG, "folds: %lld rows (need 1 to %d)", (long long)n, INT32_MAX);
    if (!y)
        return baiot_fail(BAIOT_ERR_ARG, "folds: no class column");
    if (k < 2 || k > n)
        return baiot_fail(BAIOT_ERR_ARG, "folds: %d folds of %lld rows (need 2 <= k <= rows)", k, (long long)n);
    if (n_classes < 1)
        return baiot_fail(BAIOT_ERR_ARG, "folds: %d classes", n_classes);
    for (int64_t i = 0; i < n; i++)
        if (y[i] < -1 || y[i] >= n_classes)
            return baiot_fail(BAIOT_ERR_ARG, "folds: row %lld has class %d (need -1 to %d)", (long long)i, y[i],
                              n_classes - 1);

    f = baiot_calloc(1, sizeof *f);
    if (!f)
        goto oom;
    f->k = k;
    f->n = n;
    f->order = baiot_malloc((size_t)n * sizeof *f->order);
    f->test_first = baiot_malloc((size_t)k * sizeof *f->test_first);
    f->test_count = baiot_malloc((size_t)k * sizeof *f->test_count);
    f->train = baiot_calloc((size_t)k, sizeof *f->train);
    tmp = baiot_malloc((size_t)n * sizeof *tmp);
    if (!f->order || !f->test_first || !f->test_count || !f->train || !tmp)
        goto oom;

    java_random r;
    baiot_java_random_init(&r, seed);
    for (int64_t i = 0; i < n; i++)
        tmp[i] = i;
    randomize(tmp, n, &r);
    group_by_class(tmp, n, y);
    every_kth(tmp, n, k, f->order);

    int64_t base = n / k, extra = n % k;
    for (int i = 0; i < k; i++) {
        int64_t first = i * base + (i < extra ? i : extra);
        int64_t count = base + (i < extra);
        int64_t m = n - count;
        f->test_first[i] = first;
        f->test_count[i] = count;
        f->train[i] = baiot_malloc((size_t)m * sizeof **f->train);
        if (!f->train[i])
            goto oom;
        int64_t *t = f->train[i];
        for (int64_t j = 0; j < first; j++)
            t[j] = f->order[j];
        for (int64_t j = first + count; j < n; j++)
            t[j - count] = f->order[j];
        randomize(t, m, &r);
    }
    baiot_free(tmp);
    *out = f;
    return BAIOT_OK;

oom:
    st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory making %d folds of %lld rows", k, (long long)n);
    baiot_free(tmp);
    baiot_folds_free(f);
    return st;
}

/* ------------------------------------------------------------------------
 * Percentage split
 * ---------------------------------------------------------------------- */

/* Shuffles 0..n-1 with Random(seed) and cuts after round(n * percent / 100)
 * rows.  Both outputs are allocated (possibly for 0 rows); on failure they
 * are NULL and 0. */
baiot_status baiot_split_make(int64_t n, double percent, int64_t seed, int64_t **train, int64_t *n_train,
                              int64_t **test, int64_t *n_test)
{
    int64_t *order = NULL, *tr = NULL, *te = NULL;

    if (!train || !n_train || !test || !n_test)
        return baiot_fail(BAIOT_ERR_ARG, "split: no output pointer");
    *train = *test = NULL;
    *n_train = *n_test = 0;
    if (n < 1 || n > INT32_MAX)
        return baiot_fail(BAIOT_ERR_ARG, "split: %lld rows (need 1 to %d)", (long long)n, INT32_MAX);
    if (!(percent > 0 && percent < 100))
        return baiot_fail(BAIOT_ERR_ARG, "split: percentage %g (need > 0 and < 100, as Weka)", percent);

    int64_t m = java_round((double)n * percent / 100);
    order = baiot_malloc((size_t)n * sizeof *order);
    tr = baiot_malloc((size_t)m * sizeof *tr);
    te = baiot_malloc((size_t)(n - m) * sizeof *te);
    if (!order || !tr || !te) {
        baiot_free(order);
        baiot_free(tr);
        baiot_free(te);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory splitting %lld rows", (long long)n);
    }
    java_random r;
    baiot_java_random_init(&r, seed);
    for (int64_t i = 0; i < n; i++)
        order[i] = i;
    randomize(order, n, &r);
    for (int64_t i = 0; i < m; i++)
        tr[i] = order[i];
    for (int64_t i = m; i < n; i++)
        te[i - m] = order[i];
    baiot_free(order);
    *train = tr;
    *n_train = m;
    *test = te;
    *n_test = n - m;
    return BAIOT_OK;
}

/* ---- the public view of the folds (include/baiot/folds.h) ---- */

baiot_status baiot_weka_fold_rows(const int *y, int64_t n, int n_classes, int k, int64_t seed, int q, int64_t *train,
                                  int64_t *n_train, int64_t *test, int64_t *n_test)
{
    if (q < 0 || q >= k)
        return baiot_fail(BAIOT_ERR_ARG, "fold %d does not exist (folds are 0..%d)", q, k - 1);
    baiot_folds *f;
    baiot_status st = baiot_folds_make(y, n, n_classes, k, seed, &f);
    if (st)
        return st;
    *n_test = f->test_count[q];
    *n_train = n - f->test_count[q];
    memcpy(test, f->order + f->test_first[q], (size_t)*n_test * sizeof *test);
    memcpy(train, f->train[q], (size_t)*n_train * sizeof *train);
    baiot_folds_free(f);
    return BAIOT_OK;
}

baiot_status baiot_weka_fold_of(const int *y, int64_t n, int n_classes, int k, int64_t seed, int *fold_of)
{
    baiot_folds *f;
    baiot_status st = baiot_folds_make(y, n, n_classes, k, seed, &f);
    if (st)
        return st;
    for (int q = 0; q < f->k; q++)
        for (int64_t i = 0; i < f->test_count[q]; i++)
            fold_of[f->order[f->test_first[q] + i]] = q;
    baiot_folds_free(f);
    return BAIOT_OK;
}
