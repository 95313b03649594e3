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
 * the smaller part.
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
