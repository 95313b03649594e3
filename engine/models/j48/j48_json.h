/*
 * j48_json.h - reading a J48 tree from a parsed model file (engine
 * internal: it takes io/text/json.h's json_value, which the public header
 * include/baiot/j48.h must not expose).  Used by
 * engine/models/model_file.c; the writer, baiot_j48_write_json, is public.
 * Covered by tests/cli/test_predict.py and tests/fuzz/fuzz_model.c.
 */
#ifndef BAIOT_J48_JSON_H
#define BAIOT_J48_JSON_H

#include "baiot/j48.h"
#include "io/text/json.h"

/* The tree of a model file's "model" object (docs/MODEL_FORMAT.md) for a
 * model of n_classes classes over n_cols columns, col_values[j] being
 * column j's nominal value count (0: numeric; NULL: all numeric); what
 * names the file in messages.  Every number is range-checked (weights
 * finite and >= 0, thresholds finite, splits fitting their columns).
 * *out is owned by the caller (baiot_j48_free). */
baiot_status baiot_j48_from_json(const json_value *obj, int n_classes, int n_cols, const int *col_values,
                                 const char *what, baiot_j48_model **out);

#endif
