/*
 * model.h - trained models in files (format: docs/MODEL_FORMAT.md).
 *
 * A model file is one JSON document: the format name and version, the kind
 * of model, the columns it reads (names, kinds, nominal values), the class
 * (name and values), the task it was trained for (stores), the training
 * options and the model itself.  Loading checks all of it; applying a model
 * to data checks that the data has the model's columns (by name) with the
 * same kinds and nominal values, and says which one does not fit.
 */
#ifndef BAIOT_MODEL_H
#define BAIOT_MODEL_H

#include "baiot/em.h"
#include "baiot/j48.h"
#include "baiot/oner.h"
#include "baiot/view.h"

BAIOT_BEGIN_DECLS

#define BAIOT_MODEL_FORMAT "baiot-model"
#define BAIOT_MODEL_FORMAT_VERSION 1

typedef struct baiot_model baiot_model;

/* Saves a OneR model trained on view v (loaded with vp) through a
 * temporary file renamed into place. */
baiot_status baiot_model_save_oner(const char *path, const baiot_oner_model *m, const baiot_view *v,
                                   const baiot_view_params *vp, const baiot_oner_params *op);

/* Saves a J48 tree trained on view v; the file lists all of v's columns
 * (the tree's tests refer to them by position). */
baiot_status baiot_model_save_j48(const char *path, const baiot_j48_model *m, const baiot_view *v,
                                  const baiot_view_params *vp, const baiot_j48_params *jp);

/* Saves an EM mixture fitted on view v (all of v's columns). */
baiot_status baiot_model_save_em(const char *path, const baiot_em_model *m, const baiot_view *v,
                                 const baiot_view_params *vp, const baiot_em_params *ep);

baiot_status baiot_model_load(const char *path, baiot_model **out);

/* A clusterer's mixture (kind "em"), else NULL; borrowed. */
const baiot_em_model *baiot_model_em(const baiot_model *m);

/* Checks that v has the model's columns (names, kinds, nominal values). */
baiot_status baiot_model_check_view(const baiot_model *m, const baiot_view *v);
void baiot_model_free(baiot_model *m);

const char *baiot_model_kind(const baiot_model *m);
/* The model's columns as a comma list (for baiot_view_params.columns);
 * borrowed. */
const char *baiot_model_columns(const baiot_model *m);
baiot_task baiot_model_task(const baiot_model *m);
int baiot_model_n_classes(const baiot_model *m);
const char *const *baiot_model_class_names(const baiot_model *m);

/* Checks v against the model (columns by name, kinds, nominal values) and
 * writes each row's class distribution to dist (n_rows x n_classes). */
baiot_status baiot_model_predict(const baiot_model *m, const baiot_view *v, double *dist);

BAIOT_END_DECLS
#endif
