/*
 * model_file.c - saving and loading trained models (see include/baiot/model.h
 * and docs/MODEL_FORMAT.md) and applying them to a view.
 *
 * Layout of a file (one JSON object):
 *   {"format": "baiot-model", "version": 1, "kind": "oner",
 *    "columns": [{"name": ..., "kind": "numeric"|"nominal", "values": [...]}],
 *    "class": {"name": ..., "values": [...]}, "task": "3class"|"binary"|"11class"|null,
 *    "options": {...}, "model": {...}}
 * Numbers are written in their shortest round-trip text, so a loaded model
 * predicts exactly as the one saved.
 * Loading checks every field: the columns' kinds, a store task whose
 * classes are the class values, and every number of the model in its
 * range (the model readers: oner_model.c, j48_json.c, em_model_file.c);
 * each message names the file and the field.
 * Covered by tests/cli/test_predict.py, tests/cli/test_deep_model.py,
 * tests/cli/test_study.py and tests/cli/test_model_validation.py.
 */
#include "baiot/model.h"
#include "engine/models/model_file_text.h"
#include "io/files/output_policy.h"
#include "engine/models/j48/j48_json.h"
#include "engine/models/em/em_model_file.h"
#include "io/files/atomic_file.h"
#include "io/text/json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct baiot_model {
    char kind[32];
    int n_cols;
    char **col_names;
    int *col_nominal;
    int *col_n_values;
    char ***col_values;
    char *columns_spec;
    int n_classes;
    char **class_names;
    baiot_task task;
    baiot_oner_model *oner;
    baiot_j48_model *j48;
    baiot_em_model *em;
};

static void write_header(FILE *f, const char *kind, const baiot_view *v, const int *cols, int n_cols,
                         const baiot_view_params *vp, int from_store)
{
    fprintf(f, "{\"format\": \"%s\", \"version\": %d, \"kind\": \"%s\",\n \"columns\": [", BAIOT_MODEL_FORMAT,
            BAIOT_MODEL_FORMAT_VERSION, kind);
    for (int k = 0; k < n_cols; k++) {
        const baiot_attr *a = &v->attrs[cols[k]];
        fprintf(f, "%s{\"name\": ", k ? ", " : "");
        baiot_json_write_string(f, a->name);
        fprintf(f, ", \"kind\": \"%s\"", a->kind == BAIOT_ATTR_NOMINAL ? "nominal" : "numeric");
        if (a->kind == BAIOT_ATTR_NOMINAL) {
            fputs(", \"values\": [", f);
            for (int i = 0; i < a->n_values; i++) {
                if (i)
                    fputs(", ", f);
                baiot_json_write_string(f, a->values[i]);
            }
            fputc(']', f);
        }
        fputc('}', f);
    }
    fputs("],\n \"class\": {\"name\": ", f);
    baiot_json_write_string(f, v->class_name ? v->class_name : "class");
    fputs(", \"values\": [", f);
    for (int c = 0; c < v->n_classes; c++) {
        if (c)
            fputs(", ", f);
        baiot_json_write_string(f, v->class_names[c]);
    }
    fputs("]},\n \"task\": ", f);
    if (from_store)
        fprintf(f, "\"%s\"", baiot_task_name(vp->task));
    else
        fputs("null", f);
}

baiot_status baiot_model_save_oner(const char *path, const baiot_oner_model *m, const baiot_view *v,
                                   const baiot_view_params *vp, const baiot_oner_params *op)
{
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(path, &af);
    int col = baiot_oner_attribute(m);
    if (st)
        return st;
    write_header(af.fp, "oner", v, &col, 1, vp, v->format == BAIOT_DATA_STORE);
    fprintf(af.fp, ",\n \"options\": {\"min_bucket\": %d},\n \"model\": ", op->min_bucket);
    baiot_oner_write_json(m, af.fp);
    fputs("}\n", af.fp);
    return baiot_atomic_file_commit(&af);
}

/* Opens the model file and writes the header of a model that reads all of
 * v's columns (a tree's tests and a mixture's attributes refer to them by
 * position). */
static baiot_status open_all_columns(const char *path, const char *kind, const baiot_view *v,
                                     const baiot_view_params *vp, atomic_file *af)
{
    baiot_status st = baiot_atomic_file_open(path, af);
    int *cols = baiot_malloc((size_t)(v->n_cols > 0 ? v->n_cols : 1) * sizeof *cols);
    if (st) {
        baiot_free(cols);
        return st;
    }
    if (!cols) {
        baiot_atomic_file_abort(af);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    for (int j = 0; j < v->n_cols; j++)
        cols[j] = j;
    write_header(af->fp, kind, v, cols, v->n_cols, vp, v->format == BAIOT_DATA_STORE);
    baiot_free(cols);
    return BAIOT_OK;
}

baiot_status baiot_model_save_j48(const char *path, const baiot_j48_model *m, const baiot_view *v,
                                  const baiot_view_params *vp, const baiot_j48_params *jp)
{
    atomic_file af;
    baiot_status st = open_all_columns(path, "j48", v, vp, &af);
    if (st)
        return st;
    fprintf(af.fp, ",\n \"options\": {\"C\": %.9g, \"M\": %d, \"unpruned\": %s, \"subtree_raising\": %s, "
                   "\"laplace\": %s, \"binary\": %s},\n \"model\": ",
            jp->confidence, jp->min_obj, jp->unpruned ? "true" : "false", jp->no_raise ? "false" : "true",
            jp->laplace ? "true" : "false", jp->binary ? "true" : "false");
    /* a write error stays in af.fp's error flag: the commit reports it
     * with the file's name */
    (void)baiot_j48_write_json(m, af.fp);
    fputs("}\n", af.fp);
    return baiot_atomic_file_commit(&af);
}

baiot_status baiot_model_save_em(const char *path, const baiot_em_model *m, const baiot_view *v,
                                 const baiot_view_params *vp, const baiot_em_params *ep)
{
    atomic_file af;
    baiot_status st = open_all_columns(path, "em", v, vp, &af);
    if (st)
        return st;
    fprintf(af.fp, ",\n \"options\": {\"clusters\": %d, \"seed\": %lld, \"max_iter\": %d, \"min_std_dev\": ",
            ep->n_clusters, (long long)ep->seed, ep->max_iter);
    baiot_json_write_number(af.fp, ep->min_std_dev);
    fputs("},\n \"model\": ", af.fp);
    baiot_em_write_model_json(m, af.fp);
    fputs("}\n", af.fp);
    return baiot_atomic_file_commit(&af);
}

const baiot_em_model *baiot_model_em(const baiot_model *m)
{
    return m->em;
}

void baiot_model_free(baiot_model *m)
{
    if (!m)
        return;
    for (int j = 0; j < m->n_cols; j++) {
        baiot_free(m->col_names[j]);
        if (m->col_values && m->col_values[j]) {
            for (int i = 0; i < m->col_n_values[j]; i++)
                baiot_free(m->col_values[j][i]);
            baiot_free(m->col_values[j]);
        }
    }
    baiot_free(m->col_names);
    baiot_free(m->col_nominal);
    baiot_free(m->col_n_values);
    baiot_free(m->col_values);
    baiot_free(m->columns_spec);
    for (int c = 0; c < m->n_classes && m->class_names; c++)
        baiot_free(m->class_names[c]);
    baiot_free(m->class_names);
    baiot_oner_free(m->oner);
    baiot_j48_free(m->j48);
    baiot_em_free(m->em);
    baiot_free(m);
}

baiot_status baiot_model_file_text(const char *path, long max_bytes, char **text, size_t *len)
{
    baiot_output_note_input(path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return baiot_fail(BAIOT_ERR_IO, "cannot open model '%s': %s", path, strerror(errno));
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    rewind(f);
    if (n < 0 || n > max_bytes) {
        fclose(f);
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s' is not a baiot model (size %ld)", path, n);
    }
    *text = baiot_malloc((size_t)n + 1);
    if (!*text) {
        fclose(f);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    *len = fread(*text, 1, (size_t)n, f);
    fclose(f);
    return BAIOT_OK;
}

/* Copies the strings of a JSON array of strings. */
static baiot_status strings_of(const json_value *arr, const char *what, const char *field, char ***out, int *n)
{
    if (!arr || arr->type != JSON_ARRAY)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: '%s' is not a list", what, field);
    *out = baiot_calloc((size_t)(arr->n > 0 ? arr->n : 1), sizeof **out);
    if (!*out)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    *n = arr->n;
    for (int i = 0; i < arr->n; i++) {
        if (arr->items[i]->type != JSON_STRING)
            return baiot_fail(BAIOT_ERR_FORMAT, "%s: '%s' item %d is not a string", what, field, i + 1);
        if (!((*out)[i] = baiot_strdup(arr->items[i]->string)))
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    return BAIOT_OK;
}

/* The task of a model trained on a store fixes its classes: their number
 * and names must be the task's (a "binary" task on a three-class model
 * would otherwise evaluate only the rows whose class names happen to
 * match).  null (ARFF and CSV data) fixes nothing. */
static baiot_status check_task(const char *path, const json_value *task, baiot_model *m)
{
    if (!task || task->type == JSON_NULL)
        return BAIOT_OK;
    if (task->type != JSON_STRING || baiot_task_parse(task->string, &m->task) != BAIOT_OK)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s': field 'task' is not one of \"3class\", \"binary\", \"11class\" "
                          "or null", path);
    baiot_view probe;
    memset(&probe, 0, sizeof probe);
    baiot_status st = baiot_view_set_task_classes(&probe, m->task, "task");
    int same = !st && probe.n_classes == m->n_classes;
    for (int c = 0; same && c < m->n_classes; c++)
        same = strcmp(probe.class_names[c], m->class_names[c]) == 0;
    if (!st && !same)
        st = baiot_fail(BAIOT_ERR_FORMAT, "'%s': field 'task' is \"%s\", whose %d classes are not the %d of field "
                        "'class' (a model is used with the task it was trained for)", path, task->string,
                        probe.n_classes, m->n_classes);
    for (int c = 0; probe.class_names && c < probe.n_classes; c++)
        baiot_free(probe.class_names[c]);
    baiot_free(probe.class_names);
    baiot_free(probe.class_name);
    baiot_free(probe.relation);
    return st;
}

baiot_status baiot_model_load(const char *path, baiot_model **out)
{
    char *text = NULL;
    size_t len = 0;
    json_value *doc = NULL;
    baiot_model *m = NULL;
    baiot_status st;
    *out = NULL;
    if ((st = baiot_model_file_text(path, 64L << 20, &text, &len)))
        return st;
    {
        size_t i = 0;
        while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
            i++;
        if (i == len || text[i] != '{') {
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' is not a baiot model file (it is not a JSON object)", path);
            goto done;
        }
    }
    if ((st = baiot_json_parse(text, len, path, &doc))) {
        baiot_fail_context(st, "broken model file: ");
        goto done;
    }
    const json_value *fmt = baiot_json_get(doc, "format"), *ver = baiot_json_get(doc, "version"), *kind = baiot_json_get(doc, "kind");
    if (!fmt || fmt->type != JSON_STRING || strcmp(fmt->string, BAIOT_MODEL_FORMAT) != 0) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' is not a baiot model file", path);
        goto done;
    }
    if (!ver || ver->type != JSON_NUMBER || ver->number != BAIOT_MODEL_FORMAT_VERSION) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' has model format version %g; this baiot reads version %d", path,
                        ver && ver->type == JSON_NUMBER ? ver->number : -1.0, BAIOT_MODEL_FORMAT_VERSION);
        goto done;
    }
    if (!(m = baiot_calloc(1, sizeof *m))) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    if (!kind || kind->type != JSON_STRING || strlen(kind->string) >= sizeof m->kind) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "%s: no model kind", path);
        goto done;
    }
    strcpy(m->kind, kind->string);
    const json_value *cols = baiot_json_get(doc, "columns"), *cls = baiot_json_get(doc, "class"), *task = baiot_json_get(doc, "task");
    if (!cols || cols->type != JSON_ARRAY || cols->n < 1) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "%s: no columns", path);
        goto done;
    }
    m->n_cols = cols->n;
    m->col_names = baiot_calloc((size_t)cols->n, sizeof *m->col_names);
    m->col_nominal = baiot_calloc((size_t)cols->n, sizeof *m->col_nominal);
    m->col_n_values = baiot_calloc((size_t)cols->n, sizeof *m->col_n_values);
    m->col_values = baiot_calloc((size_t)cols->n, sizeof *m->col_values);
    if (!m->col_names || !m->col_nominal || !m->col_n_values || !m->col_values) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    size_t spec_len = 1;
    for (int j = 0; j < cols->n; j++) {
        const json_value *c = cols->items[j], *name = baiot_json_get(c, "name"), *k = baiot_json_get(c, "kind");
        if (!name || name->type != JSON_STRING || !k || k->type != JSON_STRING) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "%s: column %d has no name or kind", path, j + 1);
            goto done;
        }
        if (!(m->col_names[j] = baiot_strdup(name->string))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto done;
        }
        m->col_nominal[j] = strcmp(k->string, "nominal") == 0;
        if (m->col_nominal[j] &&
            (st = strings_of(baiot_json_get(c, "values"), path, "values", &m->col_values[j], &m->col_n_values[j])))
            goto done;
        if (m->col_nominal[j] ? m->col_n_values[j] < 1 : strcmp(k->string, "numeric") != 0) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s': field 'columns' item %d ('%s'): %s", path, j + 1, name->string,
                            m->col_nominal[j] ? "a nominal column needs at least one value"
                                              : "'kind' is neither 'numeric' nor 'nominal'");
            goto done;
        }
        spec_len += strlen(name->string) + 1;
    }
    if (!(m->columns_spec = baiot_malloc(spec_len))) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    m->columns_spec[0] = '\0';
    for (int j = 0; j < m->n_cols; j++) {
        if (j)
            strcat(m->columns_spec, ",");
        strcat(m->columns_spec, m->col_names[j]);
    }
    if ((st = strings_of(baiot_json_get(cls, "values"), path, "class values", &m->class_names, &m->n_classes)))
        goto done;
    if (m->n_classes < 1) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "%s: the class has no values", path);
        goto done;
    }
    m->task = BAIOT_TASK_3CLASS;
    if ((st = check_task(path, task, m)))
        goto done;
    if (strcmp(m->kind, "oner") == 0) {
        if (m->n_cols != 1) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "%s: a OneR model reads one column", path);
            goto done;
        }
        st = baiot_oner_from_json(baiot_json_get(doc, "model"), m->n_classes, m->col_nominal[0], m->col_n_values[0], path,
                                  &m->oner);
    } else if (strcmp(m->kind, "em") == 0) {
        st = baiot_em_from_json(baiot_json_get(doc, "model"), m->n_cols, m->col_n_values, path, &m->em);
    } else if (strcmp(m->kind, "j48") == 0) {
        st = baiot_j48_from_json(baiot_json_get(doc, "model"), m->n_classes, m->n_cols, m->col_n_values, path,
                                 &m->j48);
    } else {
        st = baiot_fail(BAIOT_ERR_FORMAT, "%s: unknown model kind '%s'", path, m->kind);
    }
done:
    baiot_json_free(doc);
    baiot_free(text);
    if (st) {
        baiot_model_free(m);
        return st;
    }
    *out = m;
    return BAIOT_OK;
}

const char *baiot_model_kind(const baiot_model *m) { return m->kind; }
const char *baiot_model_columns(const baiot_model *m) { return m->columns_spec; }
baiot_task baiot_model_task(const baiot_model *m) { return m->task; }
int baiot_model_n_classes(const baiot_model *m) { return m->n_classes; }
const char *const *baiot_model_class_names(const baiot_model *m) { return (const char *const *)m->class_names; }

baiot_status baiot_model_check_view(const baiot_model *m, const baiot_view *v)
{
    if (v->n_cols != m->n_cols)
        return baiot_fail(BAIOT_ERR_ARG, "the model reads %d columns, the data gives %d", m->n_cols, v->n_cols);
    for (int j = 0; j < m->n_cols; j++) {
        const baiot_attr *a = &v->attrs[j];
        if (strcmp(a->name, m->col_names[j]) != 0)
            return baiot_fail(BAIOT_ERR_ARG, "the model's column %d is '%s', the data's is '%s'", j + 1,
                              m->col_names[j], a->name);
        if ((a->kind == BAIOT_ATTR_NOMINAL) != m->col_nominal[j])
            return baiot_fail(BAIOT_ERR_ARG, "column '%s' is %s in the model but %s in the data", a->name,
                              m->col_nominal[j] ? "nominal" : "numeric",
                              a->kind == BAIOT_ATTR_NOMINAL ? "nominal" : "numeric");
        if (m->col_nominal[j]) {
            int same = a->n_values == m->col_n_values[j];
            for (int i = 0; same && i < a->n_values; i++)
                same = strcmp(a->values[i], m->col_values[j][i]) == 0;
            if (!same)
                return baiot_fail(BAIOT_ERR_ARG, "column '%s' has other nominal values in the data than in the model",
                                  a->name);
        }
    }
    return BAIOT_OK;
}

baiot_status baiot_model_predict(const baiot_model *m, const baiot_view *v, double *dist)
{
    baiot_status st = baiot_model_check_view(m, v);
    if (st)
        return st;
    if (m->em)
        return baiot_fail(BAIOT_ERR_ARG, "an EM model clusters rows; it gives no class distribution");
    if (m->j48) {
#pragma omp parallel for schedule(static) default(none) shared(m, v, dist)
        for (int64_t r = 0; r < v->n_rows; r++)
            baiot_j48_distribution(m->j48, v, r, dist + r * m->n_classes);
        return BAIOT_OK;
    }
    for (int64_t r = 0; r < v->n_rows; r++) {
        double *d = dist + r * m->n_classes;
        memset(d, 0, (size_t)m->n_classes * sizeof *d);
        d[baiot_oner_predict(m->oner, v, r)] = 1.0;
    }
    return BAIOT_OK;
}
