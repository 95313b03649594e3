/*
 * weka_sort.c - Weka's index quicksort order (see weka_sort.h).
 *
 * A median-of-three quicksort: ranges of two or three are ordered by
 * compare-exchanges; larger ranges order (left, centre, right), park the
 * centre (the pivot) at right - 1, partition the inside with scans that stop
 * at values equal to the pivot, and put the pivot back between the parts.
 * The order of equal values follows from exactly these exchanges; it was
 * checked against Weka's Ranker output on attributes with tied merits
 * (the rank goldens, tests/cli/test_rank_golden.py; unit test
 * tests/unit/test_weka_sort.c).  Recursion depth is bounded by recursing into
 * the smaller part.  baiot_weka_sort_pairs makes the same comparisons and
 * exchanges on (key, payload) pairs held side by side (no indirection:
 * J48 sorts every node's rows with it), so it gives the same order
 * (tests/unit/test_weka_sort.c compares the two).
 */
#include "engine/weka/weka_sort.h"
#include "baiot/baiot.h"

#include <float.h>
#include <math.h>

static inline void swap_idx(int *index, int i, int j)
{
    int t = index[i];
    index[i] = index[j];
    index[j] = t;
}

/* Puts index[i], index[j] in order when the values are out of order. */
static inline void order_pair(const double *a, int *index, int i, int j)
{
    if (a[index[i]] > a[index[j]])
        swap_idx(index, i, j);
}

/* Sedgewick's partition around pivot with sentinels at both ends: the
 * scans stop on values equal to the pivot, so ties are exchanged. */
static int partition(const double *a, int *index, int l, int r, double pivot)
{
    r--;
    for (;;) {
        while (a[index[++l]] < pivot)
            ;
        while (a[index[--r]] > pivot)
            ;
        if (l >= r)
            return l;
        swap_idx(index, l, r);
    }
}

static void quicksort(const double *a, int *index, int left, int right)
{
    while (right - left >= 3) {
        /* median of three: order left, centre, right; pivot = centre */
        int c = (left + right) / 2;
        order_pair(a, index, left, c);
        order_pair(a, index, left, right);
        order_pair(a, index, c, right);
        swap_idx(index, c, right - 1);
        int centre = partition(a, index, left, right, a[index[right - 1]]);
        swap_idx(index, centre, right - 1);
        if (centre - left < right - centre) {
            quicksort(a, index, left, centre - 1);
            left = centre + 1;
        } else {
            quicksort(a, index, centre + 1, right);
            right = centre - 1;
        }
    }
    if (right - left == 1) {
        order_pair(a, index, left, right);
    } else if (right - left == 2) {
        order_pair(a, index, left, left + 1);
        order_pair(a, index, left, right);
        order_pair(a, index, left + 1, right);
    }
}

void baiot_weka_sort_indices(const double *values, int n, int *index)
{
    /* NaN counts as the largest double, as Weka maps it to MAX_VALUE */
    double stack_copy[256];
    double *a = n <= 256 ? stack_copy : NULL;
    for (int i = 0; i < n; i++)
        index[i] = i;
    if (!a) {
        /* large inputs: compare through the values, NaN handled in place */
        for (int i = 0; i < n; i++)
            if (isnan(values[i]))
                goto copy_needed;
        quicksort(values, index, 0, n - 1);
        return;
    copy_needed:;
    }
    if (a) {
        for (int i = 0; i < n; i++)
            a[i] = isnan(values[i]) ? DBL_MAX : values[i];
        quicksort(a, index, 0, n - 1);
        return;
    }
    /* > 256 values with NaN: replace in a temporary copy on the heap */
    double *h = baiot_malloc((size_t)n * sizeof *h);
    if (!h) { /* fall back: NaN compares false both ways; order is still a permutation */
        quicksort(values, index, 0, n - 1);
        return;
    }
    for (int i = 0; i < n; i++)
        h[i] = isnan(values[i]) ? DBL_MAX : values[i];
    quicksort(h, index, 0, n - 1);
    baiot_free(h);
}

/* ---------------------------------------------------------------------- */
/* The same quicksort on (key, payload) pairs                              */

static inline void swap_pair(double *k, int32_t *v, int64_t i, int64_t j)
{
    double tk = k[i];
    k[i] = k[j];
    k[j] = tk;
    int32_t tv = v[i];
    v[i] = v[j];
    v[j] = tv;
}

static inline void order_pair2(double *k, int32_t *v, int64_t i, int64_t j)
{
    if (k[i] > k[j])
        swap_pair(k, v, i, j);
}

static int64_t partition2(double *k, int32_t *v, int64_t l, int64_t r, double pivot)
{
    r--;
    for (;;) {
        while (k[++l] < pivot)
            ;
        while (k[--r] > pivot)
            ;
        if (l >= r)
            return l;
        swap_pair(k, v, l, r);
    }
}

static void quicksort2(double *k, int32_t *v, int64_t left, int64_t right)
{
    while (right - left >= 3) {
        int64_t c = (left + right) / 2;
        order_pair2(k, v, left, c);
        order_pair2(k, v, left, right);
        order_pair2(k, v, c, right);
        swap_pair(k, v, c, right - 1);
        int64_t centre = partition2(k, v, left, right, k[right - 1]);
        swap_pair(k, v, centre, right - 1);
        if (centre - left < right - centre) {
            quicksort2(k, v, left, centre - 1);
            left = centre + 1;
        } else {
            quicksort2(k, v, centre + 1, right);
            right = centre - 1;
        }
    }
    if (right - left == 1) {
        order_pair2(k, v, left, right);
    } else if (right - left == 2) {
        order_pair2(k, v, left, left + 1);
        order_pair2(k, v, left, right);
        order_pair2(k, v, left + 1, right);
    }
}

void baiot_weka_sort_pairs(double *key, int32_t *val, int64_t n)
{
    if (n > 1)
        quicksort2(key, val, 0, n - 1);
}
