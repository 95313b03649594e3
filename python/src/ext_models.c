/*
 * ext_models.c - saved models and the anomaly detectors: model files of
 * any kind as `baiot predict` reads them (baiot_model_load /
 * baiot_model_predict), the EM mixture inside one, and the protocol of
 * `baiot detect` on the caller's rows (baiot_detect_view), their scores
 * and detector files.  The GIL is released around every library call.
 * Covered by tests/python/test_cli_equal.py and test_detect.py.
 */
#include "ext.h"

#include "baiot/detect.h"
#include "baiot/model.h"

#include <string.h>

static void cap_model(PyObject *c) { baiot_model_free(PyCapsule_GetPointer(c, CAP_MODEL)); }
static void cap_detect(PyObject *c) { baiot_detect_run_free(PyCapsule_GetPointer(c, CAP_DETECT)); }
static void cap_detector(PyObject *c) { baiot_detector_free(PyCapsule_GetPointer(c, CAP_DETECTOR)); }

/* ---- saved models (baiot predict's files) ---- */

PyObject *ext_model_load(PyObject *self, PyObject *args)
{
    (void)self;
    const char *path;
    if (!PyArg_ParseTuple(args, "s", &path))
        return NULL;
    baiot_model *m = NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_model_load(path, &m);
    Py_END_ALLOW_THREADS
    if (st)
        return ext_raise(st);
    PyObject *cap = PyCapsule_New(m, CAP_MODEL, cap_model);
    if (!cap) {
        baiot_model_free(m);
        return NULL;
    }
    return Py_BuildValue("(NssN)", cap, baiot_model_kind(m), baiot_model_columns(m),
                         ext_string_list(baiot_model_class_names(m), baiot_model_n_classes(m)));
}

PyObject *ext_model_predict(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X, *names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &X, &names))
        return NULL;
    const baiot_model *m = PyCapsule_GetPointer(cap, CAP_MODEL);
    wrapped w;
    if (!m || ext_wrap(X, Py_None, names, Py_None, &w))
        return NULL;
    int k = baiot_model_n_classes(m);
    npy_intp dims[2] = {(npy_intp)w.v->n_rows, k};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (!out) {
        ext_unwrap(&w);
        return NULL;
    }
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_model_predict(m, w.v, PyArray_DATA(out));
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    if (st) {
        Py_DECREF(out);
        return ext_raise(st);
    }
    return (PyObject *)out;
}

/* The EM mixture of a loaded model file, as a borrowed capsule that keeps
 * the model alive (its context). */
static void cap_em_borrowed(PyObject *c) { Py_XDECREF((PyObject *)PyCapsule_GetContext(c)); }

PyObject *ext_model_em(PyObject *self, PyObject *cap)
{
    (void)self;
    const baiot_model *m = PyCapsule_GetPointer(cap, CAP_MODEL);
    if (!m)
        return NULL;
    const baiot_em_model *em = baiot_model_em(m);
    if (!em)
        return PyErr_Format(PyExc_ValueError, "the model is a %s, not an EM mixture", baiot_model_kind(m));
    PyObject *c = PyCapsule_New((void *)em, CAP_EM, cap_em_borrowed);
    if (!c)
        return NULL;
    Py_INCREF(cap);
    PyCapsule_SetContext(c, cap);
    return c;
}

/* ---- the anomaly detectors of baiot detect ---- */

PyObject *ext_detect_fit(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *X, *Y, *names, *class_names;
    const char *device;
    long long seed, batch, warmup;
    baiot_detect_params p = baiot_detect_params_default();
    if (!PyArg_ParseTuple(args, "OOOOziiiLdiLiiL", &X, &Y, &names, &class_names, &device, &p.method, &p.clusters,
                          &p.covariance, &seed, &p.lr, &p.epochs, &batch, &p.n_threads, &p.max_window, &warmup))
        return NULL;
    p.seed = seed;
    p.batch = batch;
    p.warmup = warmup;
    const char *bad = baiot_detect_params_check(&p);
    if (bad)
        return PyErr_Format(PyExc_ValueError, "%s", bad);
    wrapped w;
    if (ext_wrap(X, Y, names, class_names, &w))
        return NULL;
    baiot_detect_run *r = NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_detect_view(w.v, "X", device, &p, &r);
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    if (st)
        return ext_raise(st);
    PyObject *cap = PyCapsule_New(r, CAP_DETECT, cap_detect);
    if (!cap) {
        baiot_detect_run_free(r);
        return NULL;
    }
    baiot_detect_figures f;
    baiot_detect_get_figures(r, &f);
    return Py_BuildValue("(N{s:d,s:i,s:L,s:L,s:L,s:d,s:d,s:d,s:i,s:i,s:d,s:d,s:d,s:d})", cap, "threshold",
                         f.threshold, "window", f.window, "dstrn", (long long)f.dstrn, "dsopt", (long long)f.dsopt,
                         "dstst_benign", (long long)f.dstst_benign, "seconds_train", f.seconds_train,
                         "learning_rate", f.learning_rate, "row_fpr", f.row_fpr, "epochs", f.epochs, "clusters",
                         f.clusters, "window_fpr", f.window_fpr, "min_row_tpr", f.min_row_tpr, "min_window_tpr",
                         f.min_window_tpr, "seconds_score", f.seconds_score);
}

/* Scores the rows of X (named columns) with fn(obj, view, out) into a new
 * float64 array, the GIL released meanwhile: the body of detect_score and
 * detector_score. */
typedef baiot_status (*score_fn)(const void *obj, const baiot_view *v, double *out);

static baiot_status score_run(const void *obj, const baiot_view *v, double *out)
{
    return baiot_detect_run_score(obj, v, out);
}

static baiot_status score_detector(const void *obj, const baiot_view *v, double *out)
{
    return baiot_detector_score(obj, v, out);
}

static PyObject *score_rows(score_fn fn, const void *obj, PyObject *X, PyObject *names)
{
    wrapped w;
    if (!obj || ext_wrap(X, Py_None, names, Py_None, &w))
        return NULL;
    npy_intp dims[1] = {(npy_intp)w.v->n_rows};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_DOUBLE);
    if (!out) {
        ext_unwrap(&w);
        return NULL;
    }
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = fn(obj, w.v, PyArray_DATA(out));
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    if (st) {
        Py_DECREF(out);
        return ext_raise(st);
    }
    return (PyObject *)out;
}

PyObject *ext_detect_score(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X, *names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &X, &names))
        return NULL;
    return score_rows(score_run, PyCapsule_GetPointer(cap, CAP_DETECT), X, names);
}

PyObject *ext_detect_save(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap;
    const char *path;
    if (!PyArg_ParseTuple(args, "Os", &cap, &path))
        return NULL;
    const baiot_detect_run *r = PyCapsule_GetPointer(cap, CAP_DETECT);
    if (!r)
        return NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_detect_run_save(r, path);
    Py_END_ALLOW_THREADS
    if (st)
        return ext_raise(st);
    Py_RETURN_NONE;
}

PyObject *ext_detector_load(PyObject *self, PyObject *args)
{
    (void)self;
    const char *path;
    if (!PyArg_ParseTuple(args, "s", &path))
        return NULL;
    baiot_detector *d = NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_detector_load(path, &d);
    Py_END_ALLOW_THREADS
    if (st)
        return ext_raise(st);
    PyObject *cap = PyCapsule_New(d, CAP_DETECTOR, cap_detector);
    if (!cap) {
        baiot_detector_free(d);
        return NULL;
    }
    return Py_BuildValue("(Nsdis)", cap, baiot_detector_columns(d), baiot_detector_threshold(d),
                         baiot_detector_window(d), baiot_detector_device(d));
}

PyObject *ext_detector_score(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X, *names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &X, &names))
        return NULL;
    return score_rows(score_detector, PyCapsule_GetPointer(cap, CAP_DETECTOR), X, names);
}
