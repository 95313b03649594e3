/*
 * view_wrap.c - a view over the caller's arrays (baiot_view_wrap): the
 * Python package (python/baiot) trains and predicts on numpy arrays
 * through it without copying them.
 *
 * The view owns its descriptions (attribute names, class names, relation,
 * the column pointer array) and, when y is not given, a y of -1s; the
 * column values and a given y stay the caller's (baiot_view.borrowed), so
 * baiot_view_free releases only the former.  No I/O; thread-safe (no
 * shared state).  Covered by tests/unit/test_view_wrap.c.
 */
#include "baiot/view.h"

#include <stdio.h>
#include <string.h>

baiot_status baiot_view_wrap(int64_t n_rows, int n_cols, double *const *cols, const char *const *names, int *y,
                             int n_classes, const char *const *class_names, const char *relation, baiot_view **out)
{
    *out = NULL;
    if (n_rows < 0 || n_cols < 0 || n_classes < 0 || (n_cols > 0 && !cols) || (n_classes > 0 && !class_names))
        return baiot_fail(BAIOT_ERR_ARG, "baiot_view_wrap: bad arguments (%lld rows, %d columns, %d classes)",
                          (long long)n_rows, n_cols, n_classes);
    for (int j = 0; j < n_cols; j++)
        if (!cols[j] && n_rows > 0)
            return baiot_fail(BAIOT_ERR_ARG, "baiot_view_wrap: column %d has no data", j + 1);
    baiot_view *v = baiot_calloc(1, sizeof *v);
    if (!v)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    v->borrowed = BAIOT_VIEW_BORROWS_COLS | (y ? BAIOT_VIEW_BORROWS_Y : 0u);
    v->n_rows = n_rows;
    v->n_cols = n_cols;
    v->format = BAIOT_DATA_ARFF;
    v->attrs = baiot_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *v->attrs);
    v->cols = baiot_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *v->cols);
    v->class_names = baiot_calloc((size_t)(n_classes > 0 ? n_classes : 1), sizeof *v->class_names);
    v->class_name = baiot_strdup("class");
    v->relation = baiot_strdup(relation ? relation : "arrays");
    v->y = y ? y : baiot_malloc((size_t)(n_rows > 0 ? n_rows : 1) * sizeof *v->y);
    if (!v->attrs || !v->cols || !v->class_names || !v->class_name || !v->relation || !v->y)
        goto oom;
    v->n_classes = n_classes;
    for (int c = 0; c < n_classes; c++)
        if (!(v->class_names[c] = baiot_strdup(class_names[c] ? class_names[c] : "?")))
            goto oom;
    for (int j = 0; j < n_cols; j++) {
        char name[32];
        snprintf(name, sizeof name, "a%d", j + 1);
        v->cols[j] = cols[j];
        v->attrs[j].kind = BAIOT_ATTR_NUMERIC;
        if (!(v->attrs[j].name = baiot_strdup(names && names[j] ? names[j] : name)))
            goto oom;
    }
    if (!y)
        for (int64_t i = 0; i < n_rows; i++)
            v->y[i] = -1;
    *out = v;
    return BAIOT_OK;
oom:
    baiot_view_free(v);
    return baiot_fail(BAIOT_ERR_MEMORY, "out of memory wrapping %lld rows x %d columns", (long long)n_rows, n_cols);
}
