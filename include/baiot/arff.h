/*
 * arff.h - Weka's ARFF format: read into a view, write a view out.
 *
 * The reader takes what Weka's example files use: @relation, @attribute
 * with numeric/real/integer or {nominal, values} types, @data with dense
 * comma-separated rows, '?' for missing, quoted names and values ('..' or
 * ".." with backslash escapes), % comments, any letter case of keywords.
 * String, date, relational and sparse data are refused with a message.
 * The class is the last attribute unless params->class_attr names one; it
 * must be nominal.
 */
#ifndef BAIOT_ARFF_H
#define BAIOT_ARFF_H

#include "baiot/view.h"

BAIOT_BEGIN_DECLS

/* Reads an ARFF file into a new view (owned by the caller).  Errors name
 * the file, the line and the attribute. */
baiot_status baiot_arff_load_view(const char *path, const baiot_view_params *params, baiot_view **out);

/* Writes a view as ARFF (attributes, then the class as the last, nominal
 * attribute) to path, through a temporary file renamed into place. */
baiot_status baiot_arff_write_view(const char *path, const baiot_view *view);

BAIOT_END_DECLS
#endif
