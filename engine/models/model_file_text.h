/*
 * model_file_text.h - a model file's text, read whole (model_file.c): the
 * one reader of model files (classifier and EM models, detectors of
 * engine/detect/).  The path is noted as an input of the run (no output
 * may replace it); a file over max_bytes or unreadable is refused naming
 * it.  Covered by tests/cli/test_predict.py, tests/cli/test_model_validation.py
 * and tests/cli/test_detect.py.
 */
#ifndef BAIOT_ENGINE_MODEL_FILE_TEXT_H
#define BAIOT_ENGINE_MODEL_FILE_TEXT_H

#include "baiot/baiot.h"

#include <stddef.h>

/* *text (NUL-terminated by the caller's parse; baiot_free it) and *len. */
baiot_status baiot_model_file_text(const char *path, long max_bytes, char **text, size_t *len);

#endif
