/*
 * view_load.c - loading a view from any data path: the dispatch between a
 * store (engine/data/view_store.c), an N-BaIoT CSV (view_csv.c) and an ARFF
 * file (io/sources/arff_read.c), and the column selection that follows.
 *
 * A store is told from the others by the HDF5 signature, a CSV by its
 * name; a failed load leaves *out NULL.  Covered by
 * tests/unit/test_ingest_view.c and tests/unit/test_columns.c.
 */
#include "baiot/view.h"
#include "baiot/arff.h"
#include "baiot/store.h"
#include "engine/data/columns.h"
#include "kernels/base/view_attrs.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

baiot_data_format baiot_data_format_of(const char *path)
{
    size_t n = strlen(path);
    if (baiot_store_is_store(path))
        return BAIOT_DATA_STORE;
    if (n > 4 && strcasecmp(path + n - 4, ".csv") == 0)
        return BAIOT_DATA_CSV;
    return BAIOT_DATA_ARFF;
}

const char *baiot_data_format_name(baiot_data_format format)
{
    switch (format) {
    case BAIOT_DATA_STORE: return "store";
    case BAIOT_DATA_CSV: return "csv";
    default: return "arff";
    }
}

baiot_status baiot_view_load(const char *path, const baiot_view_params *params, baiot_view **out)
{
    baiot_view_params defaults = baiot_view_params_default();
    if (!params)
        params = &defaults;
    baiot_status st;
    baiot_data_format format = baiot_data_format_of(path);
    /* options that would be silently ignored are refused (docs/CLI.md) */
    if (format != BAIOT_DATA_ARFF && params->class_attr)
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is a %s: --class names the class attribute of an ARFF file only "
                                         "(a %s's classes follow --task)", path, baiot_data_format_name(format),
                          baiot_data_format_name(format));
    if (format == BAIOT_DATA_ARFF && params->task != BAIOT_TASK_3CLASS)
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is an ARFF file: --task applies to stores and N-BaIoT CSV files "
                                         "(an ARFF file's classes are its class attribute)", path);
    if (format == BAIOT_DATA_STORE)
        return baiot_view_load_store(path, params, out);
    if (format == BAIOT_DATA_CSV)
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
    for (int j = 0; j < v->n_cols; j++)
        baiot_attr_clear(&v->attrs[j]);
    baiot_free(v->attrs);
    if (!(v->borrowed & BAIOT_VIEW_BORROWS_COLS))
        baiot_free(v->cols[0]);
    baiot_free(v->cols);
    baiot_free(idx);
    v->borrowed &= ~BAIOT_VIEW_BORROWS_COLS; /* the new block is the view's */
    v->attrs = attrs;
    v->cols = cols;
    v->n_cols = n;
    return BAIOT_OK;
}
