/*
 * view_attrs.h - internal helpers of the view type (kernels/base/view.c)
 * for the loaders that build and reshape views.
 */
#ifndef BAIOT_KERNELS_BASE_VIEW_ATTRS_H
#define BAIOT_KERNELS_BASE_VIEW_ATTRS_H

#include "baiot/view.h"

/* Frees an attribute's name and nominal values and zeroes it. */
void baiot_attr_clear(baiot_attr *a);

#endif
