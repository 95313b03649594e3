/*
 * em_model_file.h - the EM member of model files (docs/MODEL_FORMAT.md;
 * diagonal models only), for engine/models/model_file.c.  Internal: it
 * speaks io/text/json.h's json_value, which the public headers do not.
 * Covered by tests/cli/test_predict.py.
 */
#ifndef BAIOT_ENGINE_EM_MODEL_FILE_H
#define BAIOT_ENGINE_EM_MODEL_FILE_H

#include "baiot/em.h"
#include "io/text/json.h"

#include <stdio.h>

/* Writes the fitted mixture as one JSON object (the "model" member). */
void baiot_em_write_model_json(const baiot_em_model *m, FILE *f);

/* Reads a model written by baiot_em_write_model_json for a view of n_cols
 * attributes, col_values[j] being column j's nominal value count (0:
 * numeric; NULL: not checked); every number is range-checked; what names
 * the file in messages.  On success *out is owned
 * by the caller (baiot_em_free). */
baiot_status baiot_em_from_json(const json_value *obj, int n_cols, const int *col_values, const char *what,
                                baiot_em_model **out);

#endif
