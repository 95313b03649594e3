/*
 * detect_model.c - the detector as a model file (kind "detector" of
 * docs/MODEL_FORMAT.md): the columns, the DStrn scaling, the scorer's
 * parameters, tr* and ws*; loading with every field validated, and
 * scoring a view with a loaded detector (baiot/detect.h).
 *
 * Guarantees: numbers are written in their shortest round-trip text, so a
 * loaded detector gives the very scores of the run that saved it; a file
 * whose fields are missing, of the wrong kind or inconsistent (a scaling or
 * a mixture or autoencoder for another number of columns, a negative standard deviation,
 * a window < 1) is refused naming the file and the field; data whose
 * columns differ from the detector's (names, order, kinds) is refused
 * naming the first column that differs.  Scoring runs over row blocks on
 * all threads and does not depend on their number.  Covered by
 * tests/cli/test_detect.py.
 */
#include "engine/detect/detect_internal.h"

#include "baiot/model.h"
#include "engine/models/model_file_text.h"
#include "io/files/atomic_file.h"
#include "io/files/output_policy.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define DETECT_SCORE_CHUNK 65536

struct baiot_detector {
    int d;
    char **names;
    char *columns_spec;
    char *device;
    detect_scale scale;
    detect_scorer *scorer;
    double tr;
    int ws;
};

baiot_status baiot_detect_model_save(const baiot_detect_run *r, const char *path)
{
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(path, &af);
    if (st)
        return st;
    FILE *f = af.fp;
    fprintf(f, "{\"format\": \"%s\", \"version\": %d, \"kind\": \"detector\",\n \"columns\": [", BAIOT_MODEL_FORMAT,
            BAIOT_MODEL_FORMAT_VERSION);
    for (int j = 0; j < r->d; j++) {
        fputs(j ? ", {\"name\": " : "{\"name\": ", f);
        baiot_json_write_string(f, r->col_names[j]);
        fputs(", \"kind\": \"numeric\"}", f);
    }
    fputs("],\n \"class\": {\"name\": \"class\", \"values\": [\"benign\", \"anomaly\"]},\n \"task\": ", f);
    fputs(r->format == BAIOT_DATA_ARFF ? "null" : "\"11class\"", f);
    fprintf(f, ",\n \"options\": {\"method\": \"%s\", \"clusters\": %d, \"covariance\": \"%s\", \"seed\": %lld, "
               "\"max_window\": %d, \"lr\": ",
            r->scorer->ops->method, r->params.clusters, r->params.covariance == BAIOT_EM_COV_FULL ? "full" : "diag",
            (long long)r->params.seed, r->params.max_window);
    baiot_json_write_number(f, r->params.lr);
    fprintf(f, ", \"epochs\": %d, \"batch\": %lld, \"warmup\": ", r->params.epochs, (long long)r->params.batch);
    if (r->params.warmup == BAIOT_DETECT_WARMUP_AUTO)
        fputs("\"auto\"", f);
    else
        fprintf(f, "%lld", (long long)r->params.warmup);
    fprintf(f, ", \"warmup_rows\": %lld},\n \"model\": {\"method\": \"%s\", \"device\": ",
            (long long)r->split.n_warmup, r->scorer->ops->method);
    baiot_json_write_string(f, r->device);
    fputs(",\n  \"scaling\": {\"mean\": ", f);
    baiot_json_write_numbers(f, r->scale.mean, r->d);
    fputs(",\n   \"sd\": ", f);
    baiot_json_write_numbers(f, r->scale.sd, r->d);
    fputs(", \"clip\": ", f);
    baiot_json_write_number(f, DETECT_CLIP);
    fputs("},\n  \"threshold\": ", f);
    baiot_json_write_number(f, r->tr);
    fprintf(f, ", \"window\": %d, \"window_qualified\": %s,\n  \"scorer\": ", r->ws,
            r->ws_qualified ? "true" : "false");
    r->scorer->ops->write_json(r->scorer, f);
    fputs("}}\n", f);
    return baiot_atomic_file_commit(&af);
}

static baiot_status parse(const char *path, json_value **doc)
{
    char *text = NULL;
    size_t len = 0;
    baiot_status st = baiot_model_file_text(path, 256L << 20, &text, &len);
    if (st)
        return st;
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    if (i == len || text[i] != '{')
        st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' is not a baiot model file (it is not a JSON object)", path);
    else if ((st = baiot_json_parse(text, len, path, doc)))
        baiot_fail_context(st, "broken model file: ");
    baiot_free(text);
    return st;
}

int baiot_detector_file(const char *path)
{
    json_value *doc = NULL;
    if (parse(path, &doc)) {
        return 0;
    }
    const json_value *k = baiot_json_get(doc, "kind");
    int yes = k && k->type == JSON_STRING && strcmp(k->string, "detector") == 0;
    baiot_json_free(doc);
    return yes;
}

static int get_doubles(const json_value *o, const char *name, double *out, int n)
{
    const json_value *a = baiot_json_get(o, name);
    if (!a || a->type != JSON_ARRAY || a->n != n)
        return 0;
    for (int i = 0; i < n; i++) {
        if (a->items[i]->type != JSON_NUMBER || !isfinite(a->items[i]->number))
            return 0;
        out[i] = a->items[i]->number;
    }
    return 1;
}

void baiot_detector_free(baiot_detector *d)
{
    if (!d)
        return;
    for (int j = 0; d->names && j < d->d; j++)
        baiot_free(d->names[j]);
    baiot_free(d->names);
    baiot_free(d->columns_spec);
    baiot_free(d->device);
    baiot_detect_scale_free(&d->scale);
    baiot_detect_scorer_free(d->scorer);
    baiot_free(d);
}

static baiot_status load_doc(const json_value *doc, const char *path, baiot_detector *d)
{
    const json_value *fmt = baiot_json_get(doc, "format"), *ver = baiot_json_get(doc, "version"),
                     *kind = baiot_json_get(doc, "kind"), *cols = baiot_json_get(doc, "columns"),
                     *m = baiot_json_get(doc, "model");
    if (!fmt || fmt->type != JSON_STRING || strcmp(fmt->string, BAIOT_MODEL_FORMAT) != 0)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s' is not a baiot model file", path);
    if (!ver || ver->type != JSON_NUMBER || ver->number != BAIOT_MODEL_FORMAT_VERSION)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s' has another model format version; this baiot reads version %d", path,
                          BAIOT_MODEL_FORMAT_VERSION);
    if (!kind || kind->type != JSON_STRING || strcmp(kind->string, "detector") != 0)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the model's kind is not \"detector\"", path);
    if (!cols || cols->type != JSON_ARRAY || cols->n < 1 || cols->n > 100000)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: 'columns' is missing or empty", path);
    d->d = cols->n;
    size_t spec = 1;
    if (!(d->names = baiot_calloc((size_t)d->d, sizeof *d->names)))
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int j = 0; j < d->d; j++) {
        const json_value *n = baiot_json_get(cols->items[j], "name"), *k = baiot_json_get(cols->items[j], "kind");
        if (!n || n->type != JSON_STRING || !*n->string || !k || k->type != JSON_STRING ||
            strcmp(k->string, "numeric") != 0)
            return baiot_fail(BAIOT_ERR_FORMAT, "%s: column %d has no name or is not numeric", path, j + 1);
        if (strchr(n->string, ','))
            return baiot_fail(BAIOT_ERR_FORMAT, "%s: column %d's name holds a comma", path, j + 1);
        if (!(d->names[j] = baiot_strdup(n->string)))
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        spec += strlen(n->string) + 1;
    }
    if (!(d->columns_spec = baiot_malloc(spec)))
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    d->columns_spec[0] = 0;
    for (int j = 0; j < d->d; j++) {
        if (j)
            strcat(d->columns_spec, ",");
        strcat(d->columns_spec, d->names[j]);
    }
    if (!m || m->type != JSON_OBJECT)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: no 'model' object", path);
    const json_value *method = baiot_json_get(m, "method"), *dev = baiot_json_get(m, "device"),
                     *sc = baiot_json_get(m, "scaling"), *tr = baiot_json_get(m, "threshold"),
                     *ws = baiot_json_get(m, "window"), *scorer = baiot_json_get(m, "scorer");
    if (!method || method->type != JSON_STRING)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: model.method is missing", path);
    if (!(d->device = baiot_strdup(dev && dev->type == JSON_STRING ? dev->string : "unknown")))
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    d->scale.d = d->d;
    d->scale.mean = baiot_malloc((size_t)d->d * sizeof(double));
    d->scale.sd = baiot_malloc((size_t)d->d * sizeof(double));
    if (!d->scale.mean || !d->scale.sd)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if (!sc || !get_doubles(sc, "mean", d->scale.mean, d->d) || !get_doubles(sc, "sd", d->scale.sd, d->d))
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: model.scaling's mean and sd are not %d finite numbers each", path,
                          d->d);
    for (int j = 0; j < d->d; j++)
        if (d->scale.sd[j] < 0)
            return baiot_fail(BAIOT_ERR_FORMAT, "%s: model.scaling.sd of column '%s' is negative", path, d->names[j]);
    if (!tr || tr->type != JSON_NUMBER || !isfinite(tr->number))
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: model.threshold is not a finite number", path);
    if (!ws || ws->type != JSON_NUMBER || ws->number < 1 || ws->number > 1e6 || ws->number != (int)ws->number)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: model.window is not a whole number of rows in 1..1000000", path);
    d->tr = tr->number;
    d->ws = (int)ws->number;
    if (!scorer || scorer->type != JSON_OBJECT)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: no model.scorer object", path);
    if (strcmp(method->string, "gmm") == 0)
        return baiot_detect_gmm_from_json(scorer, d->d, path, &d->scorer);
    if (strcmp(method->string, "autoencoder") == 0)
        return baiot_detect_ae_from_json(scorer, d->d, path, &d->scorer);
    return baiot_fail(BAIOT_ERR_FORMAT, "%s: model.method '%s' is not one this baiot scores with (gmm, autoencoder)",
                      path, method->string);
}

baiot_status baiot_detector_load(const char *path, baiot_detector **out)
{
    json_value *doc = NULL;
    baiot_status st;
    *out = NULL;
    if ((st = parse(path, &doc)))
        return st;
    baiot_detector *d = baiot_calloc(1, sizeof *d);
    if (!d) {
        baiot_json_free(doc);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    st = load_doc(doc, path, d);
    baiot_json_free(doc);
    if (st) {
        baiot_detector_free(d);
        return st;
    }
    *out = d;
    return BAIOT_OK;
}

baiot_status baiot_detector_score_rows(const baiot_detector *d, const double *rows, int64_t stride, const int64_t *which,
                                       int64_t n, double *score)
{
    int64_t cap = n < DETECT_SCORE_CHUNK ? n : DETECT_SCORE_CHUNK;
    double *x = baiot_malloc((size_t)(cap > 0 ? cap : 1) * (size_t)d->d * sizeof *x);
    baiot_status st = x ? BAIOT_OK : baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int64_t a = 0; a < n && !st; a += cap) {
        int64_t m = n - a < cap ? n - a : cap;
        if (!(st = baiot_detect_scale_rows(&d->scale, which ? rows : rows + a * stride, stride, which ? which + a : NULL,
                                           (const char *const *)d->names, m, x)))
            st = baiot_detect_scorer_score_all(d->scorer, x, m, m, 0, score + a);
    }
    baiot_free(x);
    return st;
}

const char *baiot_detector_columns(const baiot_detector *d) { return d->columns_spec; }
double baiot_detector_threshold(const baiot_detector *d) { return d->tr; }
int baiot_detector_window(const baiot_detector *d) { return d->ws; }
const char *baiot_detector_device(const baiot_detector *d) { return d->device; }

baiot_status baiot_detector_score(const baiot_detector *d, const baiot_view *v, double *score)
{
    if (v->n_cols != d->d)
        return baiot_fail(BAIOT_ERR_FORMAT, "the detector reads %d columns, the data gives %d", d->d, v->n_cols);
    for (int j = 0; j < d->d; j++) {
        if (strcmp(v->attrs[j].name, d->names[j]) != 0)
            return baiot_fail(BAIOT_ERR_FORMAT, "the detector's column %d is '%s', the data's is '%s'", j + 1, d->names[j],
                              v->attrs[j].name);
        if (v->attrs[j].kind != BAIOT_ATTR_NUMERIC)
            return baiot_fail(BAIOT_ERR_FORMAT, "column '%s' is nominal in the data; the detector reads it as numeric",
                              d->names[j]);
    }
    int64_t n = v->n_rows, cap = n < DETECT_SCORE_CHUNK ? n : DETECT_SCORE_CHUNK;
    double *x = baiot_malloc((size_t)(cap > 0 ? cap : 1) * (size_t)d->d * sizeof *x);
    int64_t *idx = baiot_malloc((size_t)(cap > 0 ? cap : 1) * sizeof *idx);
    baiot_status st = BAIOT_OK;
    if (!x || !idx)
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int64_t a = 0; a < n && !st; a += cap) {
        int64_t m = n - a < cap ? n - a : cap;
        for (int64_t i = 0; i < m; i++)
            idx[i] = a + i;
        if (!(st = baiot_detect_scale_apply(&d->scale, (const double *const *)v->cols, (const char *const *)d->names, idx, m,
                                      x)))
            st = baiot_detect_scorer_score_all(d->scorer, x, m, m, 0, score + a);
    }
    baiot_free(x);
    baiot_free(idx);
    return st;
}
