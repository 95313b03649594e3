/*
 * view_store.c - loading a view (device, column and task selection) from a
 * store.
 *
 * The selected devices become a list of row runs (each source is one run;
 * adjacent runs merge), and only the selected columns are read, each with
 * one HDF5 read.  Classes follow the task: 3class = family, binary =
 * family != benign, 11class = attack code.
 * Covered by tests/unit/test_ingest_view.c and
 * tests/cli/test_export_roundtrip.py (--device, the three tasks).
 */
#include "baiot/store.h"
#include "baiot/nbaiot.h"
#include "engine/data/columns.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ views */

baiot_status baiot_view_load_store(const char *path, const baiot_view_params *params, baiot_view **out)
{
    baiot_store *s = NULL;
    baiot_view *v = NULL;
    int64_t *runs = NULL;
    int *cols = NULL;
    uint8_t *lab = NULL;
    int n_runs = 0, n_cols = 0;
    int mask[BAIOT_N_DEVICES];
    int64_t rows = 0;
    baiot_status st;
    char desc[512];

    *out = NULL;
    if ((st = baiot_devices_parse(params->devices, mask)))
        return st;
    if ((st = baiot_store_open(path, &s)))
        return st;
    if ((st = baiot_columns_resolve_store(params->columns, s, &cols,
                                    &n_cols)))
        goto done;
    runs = baiot_malloc(2 * (size_t)(baiot_store_n_sources(s) + 1) * sizeof *runs);
    if (!runs) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    for (int i = 0; i < baiot_store_n_sources(s); i++) {
        const baiot_source_info *si = baiot_store_source(s, i);
        if (!mask[si->device] || si->rows == 0)
            continue;
        if (n_runs > 0 && runs[2 * n_runs - 2] + runs[2 * n_runs - 1] == si->first_row) {
            runs[2 * n_runs - 1] += si->rows;
        } else {
            runs[2 * n_runs] = si->first_row;
            runs[2 * n_runs + 1] = si->rows;
            n_runs++;
        }
        rows += si->rows;
    }
    if (rows == 0) {
        st = baiot_fail(BAIOT_ERR_ARG, "'%s' has no rows for the devices asked for (%s)", path,
                        params->devices ? params->devices : "all");
        goto done;
    }
    if ((st = baiot_view_alloc(rows, n_cols, &v)))
        goto done;
    for (int j = 0; j < n_cols; j++) {
        if (!(v->attrs[j].name = baiot_strdup(baiot_store_feature_name(s, cols[j])))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto done;
        }
        v->attrs[j].kind = BAIOT_ATTR_NUMERIC;
        if ((st = baiot_store_read_column(s, cols[j], runs, n_runs, v->cols[j])))
            goto done;
    }
    lab = baiot_malloc((size_t)rows);
    if (!lab) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    switch (params->task) {
    case BAIOT_TASK_BINARY:
        st = baiot_store_read_labels(s, "family", runs, n_runs, lab);
        for (int64_t i = 0; i < rows; i++)
            v->y[i] = lab[i] != BAIOT_FAMILY_BENIGN;
        break;
    case BAIOT_TASK_11CLASS:
        st = baiot_store_read_labels(s, "attack", runs, n_runs, lab);
        for (int64_t i = 0; i < rows; i++)
            v->y[i] = lab[i];
        break;
    default:
        st = baiot_store_read_labels(s, "family", runs, n_runs, lab);
        for (int64_t i = 0; i < rows; i++)
            v->y[i] = lab[i];
        break;
    }
    if (st)
        goto done;
    snprintf(desc, sizeof desc, "%s devices=%s task=%s", path, params->devices ? params->devices : "all",
             baiot_task_name(params->task));
    if ((st = baiot_view_set_task_classes(v, params->task, desc)))
        goto done;
    v->format = BAIOT_DATA_STORE;
    *out = v;
    v = NULL;
done:
    baiot_view_free(v);
    baiot_free(lab);
    baiot_free(cols);
    baiot_free(runs);
    baiot_store_close(s);
    return st;
}
