/*
 * fuzz_model.c - libFuzzer harness for model files (engine/models/model_file.c
 * over io/text/json.c): the bytes as a model file loaded and checked; a model
 * that loads is applied to a small view of its own columns (all zeros, and
 * NaN for missing), so the tree walk and the mixture's densities run on
 * whatever structure the file described.
 */
#include "baiot/model.h"
#include "fuzz_input.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size, ".model");
    baiot_model *m = NULL;
    if (baiot_model_load(path, &m) != BAIOT_OK)
        return 0;
    /* a two-row view with the model's columns, when they are all numeric */
    const char *cols = baiot_model_columns(m);
    int n = 1;
    for (const char *c = cols; *c; c++)
        n += *c == ',';
    baiot_view *v = NULL;
    if (n <= 200 && baiot_view_alloc(2, n, &v) == BAIOT_OK) {
        const char *c = cols;
        for (int j = 0; j < n; j++) {
            const char *e = strchr(c, ',');
            size_t len = e ? (size_t)(e - c) : strlen(c);
            v->attrs[j].name = baiot_malloc(len + 1);
            if (v->attrs[j].name) {
                memcpy(v->attrs[j].name, c, len);
                v->attrs[j].name[len] = 0;
            }
            v->cols[j][0] = 0.0;
            v->cols[j][1] = NAN;
            c = e ? e + 1 : c + len;
        }
        int k = baiot_model_n_classes(m);
        double *dist = baiot_calloc((size_t)(k > 0 ? k : 1) * 2, sizeof *dist);
        if (dist && baiot_model_check_view(m, v) == BAIOT_OK)
            (void)baiot_model_predict(m, v, dist);
        baiot_free(dist);
        baiot_view_free(v);
    }
    baiot_model_free(m);
    return 0;
}
