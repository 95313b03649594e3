/*
 * ext.h - what the files of the extension baiot._ext share
 * (python/src/ext_*.c; docs/PYTHON.md): numpy's C API set up once for
 * all of them, the exception and its raising, the wrapping of numpy arrays
 * as library views, the capsule names of the handles, and the functions of
 * the module's method table (ext_module.c).  Only PyInit__ext is exported
 * (the files are compiled with -fvisibility=hidden).
 * Covered by tests/python/ (ctest python_package).
 */
#ifndef BAIOT_PYTHON_EXT_H
#define BAIOT_PYTHON_EXT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL baiot_ext_numpy_api
#ifndef BAIOT_EXT_MODULE
#define NO_IMPORT_ARRAY /* import_array() runs once, in ext_module.c */
#endif
#include <numpy/arrayobject.h>

#include "baiot/baiot.h"
#include "baiot/view.h"

#include <stdio.h>

/* baiot.BaiotError (a RuntimeError), made by the module's init. */
extern PyObject *ext_BaiotError;

/* Raises BaiotError with this thread's library message (baiot_last_error,
 * read on the thread that failed) and e.status = st; returns NULL. */
PyObject *ext_raise(baiot_status st);

/* ---- ext_arrays.c: numpy arrays as library views ---- */

/* A view over X's memory and the arrays it borrows (kept alive until
 * ext_unwrap). */
typedef struct wrapped {
    baiot_view *v;
    PyArrayObject *x, *y;
} wrapped;

/* X: 2-D, converted to float64 once unless it already is; no copy when
 * its rows are contiguous inside each column (stride 8), else one
 * Fortran-order copy.  Y: None or 1-D class indices (intc).  names,
 * class_names: None or sequences of str.  0, or -1 with a Python error. */
int ext_wrap(PyObject *X, PyObject *Y, PyObject *names, PyObject *class_names, wrapped *w);
void ext_unwrap(wrapped *w);
/* A view of no rows with these names (printing and saving models). */
int ext_names_view(PyObject *names, PyObject *class_names, wrapped *w);
/* The UTF-8 strings of a sequence (None: NULL; want >= 0: its length must
 * be want); *out is malloc'ed, its strings borrowed from seq. */
int ext_strings(PyObject *seq, Py_ssize_t want, const char ***out);
PyObject *ext_string_list(const char *const *s, int n);
/* The text a library printer writes to a FILE, as a str (GIL released). */
typedef baiot_status (*print_fn)(const void *model, const baiot_view *v, FILE *f);
PyObject *ext_text_of(print_fn fn, const void *model, const baiot_view *v);

/* ---- capsule names of the handles ---- */
#define CAP_J48 "baiot.j48"
#define CAP_ONER "baiot.oner"
#define CAP_EM "baiot.em"
#define CAP_MODEL "baiot.model"
#define CAP_DETECT "baiot.detect_run"
#define CAP_DETECTOR "baiot.detector"
#define CAP_VIEW "baiot.view"

/* ---- the method table's functions ---- */
/* ext_classifiers.c */
PyObject *ext_j48_train(PyObject *self, PyObject *args);
PyObject *ext_j48_proba(PyObject *self, PyObject *args);
PyObject *ext_j48_text(PyObject *self, PyObject *args);
PyObject *ext_j48_size(PyObject *self, PyObject *arg);
PyObject *ext_j48_save(PyObject *self, PyObject *args);
PyObject *ext_oner_train(PyObject *self, PyObject *args);
PyObject *ext_oner_predict(PyObject *self, PyObject *args);
PyObject *ext_oner_info(PyObject *self, PyObject *args);
PyObject *ext_oner_save(PyObject *self, PyObject *args);
/* ext_em.c */
PyObject *ext_em_train(PyObject *self, PyObject *args);
PyObject *ext_em_cluster(PyObject *self, PyObject *args);
PyObject *ext_em_params(PyObject *self, PyObject *arg);
PyObject *ext_em_moments(PyObject *self, PyObject *args);
PyObject *ext_em_text(PyObject *self, PyObject *args);
PyObject *ext_em_save(PyObject *self, PyObject *args);
/* ext_data.c */
PyObject *ext_rank(PyObject *self, PyObject *args);
PyObject *ext_fold_rows(PyObject *self, PyObject *args);
PyObject *ext_fold_of(PyObject *self, PyObject *args);
PyObject *ext_read_store(PyObject *self, PyObject *args);
PyObject *ext_ingest(PyObject *self, PyObject *args);
PyObject *ext_synth(PyObject *self, PyObject *args);
/* ext_models.c */
PyObject *ext_model_load(PyObject *self, PyObject *args);
PyObject *ext_model_predict(PyObject *self, PyObject *args);
PyObject *ext_model_em(PyObject *self, PyObject *arg);
PyObject *ext_detect_fit(PyObject *self, PyObject *args);
PyObject *ext_detect_score(PyObject *self, PyObject *args);
PyObject *ext_detect_save(PyObject *self, PyObject *args);
PyObject *ext_detector_load(PyObject *self, PyObject *args);
PyObject *ext_detector_score(PyObject *self, PyObject *args);
/* ext_progress.c */
PyObject *ext_set_progress(PyObject *self, PyObject *arg);
PyObject *ext_set_log(PyObject *self, PyObject *arg);
PyObject *ext_version(PyObject *self, PyObject *noargs);

#endif
