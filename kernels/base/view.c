/*
 * view.c - the in-memory data set every layer shares: allocation and
 * release of views, tasks and their class names.
 *
 * A view owns one block of n_rows * n_cols doubles; cols[j] points at
 * column j inside it, so columns are contiguous and adjacent in memory.
 * Loading a view from a file is engine/data/view_load.c's job; this file
 * does no I/O.  Covered by tests/unit/test_ingest_view.c.
 */
#include "baiot/view.h"
#include "baiot/nbaiot.h"
#include "kernels/base/view_attrs.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

baiot_view_params baiot_view_params_default(void)
{
    baiot_view_params p;
    memset(&p, 0, sizeof p);
    p.task = BAIOT_TASK_3CLASS;
    return p;
}

baiot_status baiot_task_parse(const char *text, baiot_task *out)
{
    if (strcmp(text, "3class") == 0)
        *out = BAIOT_TASK_3CLASS;
    else if (strcmp(text, "binary") == 0)
        *out = BAIOT_TASK_BINARY;
    else if (strcmp(text, "11class") == 0)
        *out = BAIOT_TASK_11CLASS;
    else
        return baiot_fail(BAIOT_ERR_ARG, "unknown task '%s' (accepted: 3class, binary, 11class)", text);
    return BAIOT_OK;
}

const char *baiot_task_name(baiot_task task)
{
    switch (task) {
    case BAIOT_TASK_3CLASS: return "3class";
    case BAIOT_TASK_BINARY: return "binary";
    case BAIOT_TASK_11CLASS: return "11class";
    }
    return "?";
}

static const char *const binary_names[2] = {"benign", "attack"};

baiot_status baiot_view_set_task_classes(baiot_view *v, baiot_task task, const char *relation)
{
    const char *const *names = task == BAIOT_TASK_11CLASS ? baiot_attack_names
                               : task == BAIOT_TASK_BINARY ? binary_names
                                                           : baiot_family_names;
    int nc = task == BAIOT_TASK_11CLASS ? BAIOT_N_ATTACKS : task == BAIOT_TASK_BINARY ? 2 : BAIOT_N_FAMILIES;
    v->class_names = baiot_calloc((size_t)nc, sizeof *v->class_names);
    if (!v->class_names)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    v->n_classes = nc;
    for (int c = 0; c < nc; c++)
        if (!(v->class_names[c] = baiot_strdup(names[c])))
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    v->class_name = baiot_strdup("class");
    v->relation = baiot_strdup(relation);
    if (!v->class_name || !v->relation)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    return BAIOT_OK;
}

baiot_status baiot_view_alloc(int64_t n_rows, int n_cols, baiot_view **out)
{
    baiot_view *v = baiot_calloc(1, sizeof *v);
    *out = NULL;
    if (!v)
        goto oom;
    v->n_rows = n_rows;
    v->n_cols = n_cols;
    v->attrs = baiot_calloc((size_t)n_cols, sizeof *v->attrs);
    v->cols = baiot_calloc((size_t)n_cols, sizeof *v->cols);
    v->y = baiot_malloc((size_t)n_rows * sizeof *v->y);
    if (!v->attrs || !v->cols || !v->y)
        goto oom;
    if (n_cols > 0) {
        v->cols[0] = baiot_malloc((size_t)n_rows * (size_t)n_cols * sizeof(double));
        if (!v->cols[0])
            goto oom;
        for (int j = 1; j < n_cols; j++)
            v->cols[j] = v->cols[0] + (size_t)j * (size_t)n_rows;
    }
    *out = v;
    return BAIOT_OK;
oom:
    baiot_view_free(v);
    return baiot_fail(BAIOT_ERR_MEMORY, "out of memory allocating a view of %lld rows x %d columns (%.1f MB)",
                      (long long)n_rows, n_cols, (double)n_rows * n_cols * 8 / 1e6);
}

void baiot_strings_free(char **s, int n)
{
    if (!s)
        return;
    for (int i = 0; i < n; i++)
        baiot_free(s[i]);
    baiot_free(s);
}

void baiot_attr_clear(baiot_attr *a)
{
    baiot_free(a->name);
    baiot_strings_free(a->values, a->n_values);
    memset(a, 0, sizeof *a);
}

void baiot_view_free(baiot_view *v)
{
    if (!v)
        return;
    if (v->attrs) {
        for (int j = 0; j < v->n_cols; j++) {
            baiot_free(v->attrs[j].name);
            baiot_strings_free(v->attrs[j].values, v->attrs[j].n_values);
        }
    }
    if (v->cols && !(v->borrowed & BAIOT_VIEW_BORROWS_COLS))
        baiot_free(v->cols[0]);
    baiot_free(v->cols);
    baiot_free(v->attrs);
    baiot_free(v->class_name);
    baiot_strings_free(v->class_names, v->n_classes);
    if (!(v->borrowed & BAIOT_VIEW_BORROWS_Y))
        baiot_free(v->y);
    baiot_free(v->relation);
    baiot_free(v);
}

