/*
 * oner.h - Weka's OneR classifier (weka.classifiers.rules.OneR, -B 6):
 * one rule per attribute (numeric: value buckets; nominal: one class per
 * value; missing values: their own branch), the attribute whose rule gets
 * the most training rows right wins (the first on ties).
 */
#ifndef BAIOT_ONER_H
#define BAIOT_ONER_H

#include "baiot/cv.h"
#include "baiot/view.h"

#include <stdio.h>

BAIOT_BEGIN_DECLS

typedef struct baiot_oner_params {
    int min_bucket; /* default 6 */
} baiot_oner_params;

baiot_oner_params baiot_oner_params_default(void);

typedef struct baiot_oner_model baiot_oner_model;

/* Trains on rows[0..n) of v (rows with a missing class are left out, as
 * Weka does). */
baiot_status baiot_oner_train(const baiot_view *v, const int64_t *rows, int64_t n, const baiot_oner_params *p,
                              baiot_oner_model **out);
void baiot_oner_free(baiot_oner_model *m);

/* The predicted class of row r, and its distribution (one-hot, as Weka). */
int baiot_oner_predict(const baiot_oner_model *m, const baiot_view *v, int64_t r);

/* Prints the rule as Weka's OneR.toString() does; BAIOT_ERR_IO when the
 * stream reports a write error. */
baiot_status baiot_oner_print(const baiot_oner_model *m, const baiot_view *v, FILE *f);

/* The column the rule reads (an index into the training view's columns). */
int baiot_oner_attribute(const baiot_oner_model *m);

/* Writes the rule as a JSON object (the "model" member of a model file). */
baiot_status baiot_oner_write_json(const baiot_oner_model *m, FILE *f);

/* Rebuilds a rule from that JSON object for a view whose column 0 is the
 * rule's attribute; what names the file in messages. */
struct json_value;
baiot_status baiot_oner_from_json(const struct json_value *obj, int n_classes, int nominal, int n_values,
                                  const char *what, baiot_oner_model **out);

/* The learner for baiot_cross_validate / baiot_holdout (params: a
 * baiot_oner_params). */
baiot_learner baiot_oner_learner(const baiot_oner_params *p);

BAIOT_END_DECLS
#endif
