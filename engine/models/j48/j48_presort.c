/*
 * j48_presort.c - every numeric column of a view sorted once
 * (baiot_j48_presort): per column the rows with a known value in value
 * order (ties in row order), their values, class bytes and the tie rule
 * of c45_split_next_cut.  Shared read-only by any number of concurrent
 * trainings on row subsets of the view (the folds of a cross-validation
 * and the tree on all rows); a fast-path training then filters this order
 * (kernels/row_compact.c) instead of sorting.  Memory: 9 bytes per known
 * value (row int32, class byte, tie rule int32): the sorted values are
 * not copied, a training reads them through the order from the view's
 * column (value at position q = column[row[q]]).
 *
 * Guarantees: the trees trained with a presort are those trained without
 * it, bit for bit; columns are sorted in parallel, each by one thread, so
 * the result does not depend on the thread count.  Covered by
 * tests/unit/test_j48_model.c (presort against plain trainings, fault
 * injection).
 */
#include "engine/models/j48/j48_internal.h"
#include "kernels/sort_keys.h"

#include <omp.h>

void baiot_j48_presort_free(baiot_j48_presort *ps)
{
    if (!ps)
        return;
    for (int j = 0; j < ps->v->n_cols; j++) {
        if (ps->row)
            baiot_free(ps->row[j]);
        if (ps->cls)
            baiot_free(ps->cls[j]);
        if (ps->nxt)
            baiot_free(ps->nxt[j]);
    }
    baiot_free(ps->row);
    baiot_free(ps->cls);
    baiot_free(ps->nxt);
    baiot_free(ps->known);
    baiot_free(ps);
}

baiot_status baiot_j48_presort_create(const baiot_view *v, int n_threads, baiot_j48_presort **out)
{
    *out = NULL;
    if (v->n_rows > INT32_MAX)
        return baiot_fail(BAIOT_ERR_ARG, "J48: at most 2^31-1 rows to presort");
    int ncols = v->n_cols, threads = n_threads > 0 ? n_threads : omp_get_max_threads(), failed = 0;
    if (threads > ncols)
        threads = ncols > 0 ? ncols : 1;
    int64_t n = v->n_rows;
    size_t nn = (size_t)(n > 0 ? n : 1), nv = (size_t)(ncols > 0 ? ncols : 1);
    baiot_j48_presort *ps = baiot_calloc(1, sizeof *ps);
    if (!ps)
        return baiot_fail(BAIOT_ERR_MEMORY, "J48: out of memory presorting %lld rows", (long long)n);
    ps->v = v;
    ps->n = n;
    ps->row = baiot_calloc(nv, sizeof *ps->row);
    ps->cls = baiot_calloc(nv, sizeof *ps->cls);
    ps->nxt = baiot_calloc(nv, sizeof *ps->nxt);
    ps->known = baiot_calloc(nv, sizeof *ps->known);
    if (!ps->row || !ps->cls || !ps->nxt || !ps->known) {
        baiot_j48_presort_free(ps);
        return baiot_fail(BAIOT_ERR_MEMORY, "J48: out of memory presorting %lld rows", (long long)n);
    }
    /* one radix-sort workspace per thread; columns in parallel */
#pragma omp parallel num_threads(threads) default(none) shared(v, ps, ncols, n, nn, failed)
    {
        baiot_sort_workspace sw;
        double *val = baiot_malloc(nn * sizeof *val);
        int ok = baiot_sort_workspace_alloc(&sw, (int64_t)nn) == BAIOT_OK && val;
#pragma omp for schedule(dynamic, 1)
        for (int j = 0; j < ncols; j++) {
            if (!ok || v->attrs[j].kind != BAIOT_ATTR_NUMERIC)
                continue;
            const double *x = v->cols[j];
            int32_t *o = baiot_malloc(nn * sizeof *o);
            uint8_t *cls = baiot_malloc(nn);
            int32_t *nxt = baiot_malloc(nn * sizeof *nxt);
            ps->row[j] = o;
            ps->cls[j] = cls;
            ps->nxt[j] = nxt;
            if (!o || !cls || !nxt) {
                ok = 0;
                continue;
            }
            int64_t k = 0;
            for (int64_t r = 0; r < n; r++)
                if (!isnan(x[r]))
                    o[k++] = (int32_t)r;
            baiot_sort_workspace_sort(&sw, x, o, k); /* stable: ties in row order */
            for (int64_t q = 0; q < k; q++) {
                int y = v->y[o[q]];
                cls[q] = (uint8_t)(y >= 0 && y < J48_PRESORT_NO_CLASS ? y : J48_PRESORT_NO_CLASS);
            }
            /* the tie rule on the sorted values, gathered into this
             * thread's buffer */
            for (int64_t q = 0; q < k; q++)
                val[q] = x[o[q]];
            baiot_c45_split_next_cut(val, k, nxt);
            ps->known[j] = k;
        }
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
        baiot_sort_workspace_free(&sw);
        baiot_free(val);
    }
    for (int j = 0; j < ncols; j++)
        if (v->attrs[j].kind == BAIOT_ATTR_NUMERIC && ps->known[j] < n)
            ps->any_missing = 1;
    if (failed) {
        baiot_j48_presort_free(ps);
        return baiot_fail(BAIOT_ERR_MEMORY, "J48: out of memory presorting %lld rows", (long long)n);
    }
    *out = ps;
    return BAIOT_OK;
}
