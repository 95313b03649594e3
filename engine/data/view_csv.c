/*
 * view_csv.c - a view straight from N-BaIoT CSV files (no store): the file
 * is streamed through the same parallel exact parser as ingest, and its
 * class comes from its name when the name tells it (UCI or flat naming),
 * else every row's class is missing (-1).  Used by `baiot predict` so a
 * trained model can be applied to a CSV a user has (e.g. from `extract`).
 * Covered by tests/cli/test_predict.py (N-BaIoT CSV input).
 */
#include "baiot/nbaiot.h"
#include "baiot/view.h"
#include "engine/data/columns.h"
#include "io/sources/nbaiot_reader.h"
#include "io/sources/source_scan.h"

#include <string.h>

typedef struct grow {
    double *values; /* BAIOT_N_FEATURES x cap, column-major */
    int64_t rows, cap;
} grow;

static baiot_status append(void *user, const csv_block *blk)
{
    grow *g = user;
    if (g->rows + blk->rows > g->cap) {
        int64_t cap = g->cap ? 2 * g->cap : 65536;
        while (cap < g->rows + blk->rows)
            cap *= 2;
        double *nv = baiot_malloc((size_t)cap * BAIOT_N_FEATURES * sizeof *nv);
        if (!nv)
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory reading CSV rows");
        for (int j = 0; j < BAIOT_N_FEATURES && g->values; j++)
            memcpy(nv + (int64_t)j * cap, g->values + (int64_t)j * g->cap, (size_t)g->rows * sizeof *nv);
        baiot_free(g->values);
        g->values = nv;
        g->cap = cap;
    }
    for (int j = 0; j < BAIOT_N_FEATURES; j++)
        memcpy(g->values + (int64_t)j * g->cap + g->rows, blk->values + (int64_t)j * blk->cap,
               (size_t)blk->rows * sizeof(double));
    g->rows += blk->rows;
    return BAIOT_OK;
}

baiot_status baiot_view_load_csv(const char *path, const baiot_view_params *params, baiot_view **out)
{
    source_ref src;
    grow g = {0};
    nbaiot_read_result rr;
    baiot_view *v = NULL;
    baiot_status st;
    int *cols = NULL, n_cols = 0, label = -1;
    source_labels lab;
    baiot_ingest_params ip = baiot_ingest_params_default();

    *out = NULL;
    memset(&src, 0, sizeof src);
    src.path = (char *)path;
    src.display = (char *)path;
    if (baiot_source_labels_infer(path, NULL, &ip, &lab) == BAIOT_OK)
        label = params->task == BAIOT_TASK_11CLASS ? lab.attack
                : params->task == BAIOT_TASK_BINARY ? lab.family != BAIOT_FAMILY_BENIGN
                                                    : lab.family;
    if ((st = baiot_nbaiot_read_source(&src, (size_t)8 << 20, append, &g, &rr)))
        goto done;
    if ((st = baiot_columns_resolve(params->columns, baiot_feature_names, BAIOT_N_FEATURES, &cols, &n_cols)))
        goto done;
    if ((st = baiot_view_alloc(g.rows, n_cols, &v)))
        goto done;
    for (int j = 0; j < n_cols; j++) {
        memcpy(v->cols[j], g.values + (int64_t)cols[j] * g.cap, (size_t)g.rows * sizeof(double));
        if (!(v->attrs[j].name = baiot_strdup(baiot_feature_names[cols[j]]))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto done;
        }
    }
    for (int64_t i = 0; i < g.rows; i++)
        v->y[i] = label;
    if ((st = baiot_view_set_task_classes(v, params->task, path)))
        goto done;
    v->format = BAIOT_DATA_CSV;
    *out = v;
    v = NULL;
done:
    baiot_view_free(v);
    baiot_free(cols);
    baiot_free(g.values);
    return st;
}
