/*
 * view_attrs.h - internal helpers of the view type (kernels/base/view.c)
 * for the loaders that build and reshape views.
 * Exercised only through baiot_view_select_columns (engine/data/view_load.c)
 * by tests/cli/test_study.py (--columns on an ARFF file); no unit test calls
 * it.
 */
#ifndef BAIOT_KERNELS_BASE_VIEW_ATTRS_H
#define BAIOT_KERNELS_BASE_VIEW_ATTRS_H

#include "baiot/view.h"

/* Frees an attribute's name and nominal values and zeroes it. */
void baiot_attr_clear(baiot_attr *a);

#endif
