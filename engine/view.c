/*
 * view.c - allocation, release and loading dispatch of data views.
 *
 * A view owns one block of n_rows * n_cols doubles; cols[j] points at
 * column j inside it, so columns are contiguous and adjacent in memory.
 * baiot_view_load tells a store from an ARFF file by the HDF5 signature.
 */
#include "baiot/view.h"
#include "baiot/arff.h"
#include "baiot/store.h"
#include "baiot/nbaiot.h"
#include "engine/columns.h"

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

static void free_strings(char **s, int n)
{
    if (!s)
        return;
    for (int i = 0; i < n; i++)
        baiot_free(s[i]);
    baiot_free(s);
}

void baiot_view_free(baiot_view *v)
{
    if (!v)
        return;
    if (v->attrs) {
        for (int j = 0; j < v->n_cols; j++) {
            baiot_free(v->attrs[j].name);
            free_strings(v->attrs[j].values, v->attrs[j].n_values);
        }
    }
    if (v->cols)
        baiot_free(v->cols[0]);
    baiot_free(v->cols);
    baiot_free(v->attrs);
    baiot_free(v->class_name);
    free_strings(v->class_names, v->n_classes);
    baiot_free(v->y);
    baiot_free(v->relation);
    baiot_free(v);
}

const char *baiot_data_kind(const char *path)
{
    size_t n = strlen(path);
    if (baiot_store_is_store(path))
        return "store";
    if (n > 4 && strcasecmp(path + n - 4, ".csv") == 0)
        return "csv";
    return "arff";
}

baiot_status baiot_view_load(const char *path, const baiot_view_params *params, baiot_view **out)
{
    baiot_view_params defaults = baiot_view_params_default();
    if (!params)
        params = &defaults;
    baiot_status st;
    const char *kind = baiot_data_kind(path);
    if (!strcmp(kind, "store"))
        return baiot_view_load_store(path, params, out);
    if (!strcmp(kind, "csv"))
        return baiot_view_load_csv(path, params, out);
    if (params->devices && *params->devices && strcmp(params->devices, "all") != 0)
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is not a store: --device selects devices of a store only", path);
    if ((st = baiot_arff_load_view(path, params, out)))
        return st;
    if (params->columns && (st = baiot_view_select_columns(*out, params->columns))) {
        baiot_view_free(*out);
        *out = NULL;
    }
    return st;
}

baiot_status baiot_view_select_columns(baiot_view *v, const char *spec)
{
    const char **names = baiot_malloc((size_t)(v->n_cols > 0 ? v->n_cols : 1) * sizeof *names);
    int *idx = NULL, n = 0;
    baiot_status st;
    if (!names)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int j = 0; j < v->n_cols; j++)
        names[j] = v->attrs[j].name;
    st = baiot_columns_resolve(spec, names, v->n_cols, &idx, &n);
    baiot_free(names);
    if (st)
        return st;
    /* Move selected columns to the front, in the order given. */
    double *block = baiot_malloc((size_t)v->n_rows * (size_t)(n > 0 ? n : 1) * sizeof(double));
    baiot_attr *attrs = baiot_calloc((size_t)(n > 0 ? n : 1), sizeof *attrs);
    double **cols = baiot_calloc((size_t)(n > 0 ? n : 1), sizeof *cols);
    if (!block || !attrs || !cols) {
        baiot_free(block);
        baiot_free(attrs);
        baiot_free(cols);
        baiot_free(idx);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory selecting columns");
    }
    for (int k = 0; k < n; k++) {
        cols[k] = block + (size_t)k * (size_t)v->n_rows;
        memcpy(cols[k], v->cols[idx[k]], (size_t)v->n_rows * sizeof(double));
        attrs[k] = v->attrs[idx[k]];
        memset(&v->attrs[idx[k]], 0, sizeof v->attrs[idx[k]]);
    }
    for (int j = 0; j < v->n_cols; j++) {
        baiot_free(v->attrs[j].name);
        free_strings(v->attrs[j].values, v->attrs[j].n_values);
    }
    baiot_free(v->attrs);
    baiot_free(v->cols[0]);
    baiot_free(v->cols);
    baiot_free(idx);
    v->attrs = attrs;
    v->cols = cols;
    v->n_cols = n;
    return BAIOT_OK;
}
