/*
 * ext_classifiers.c - J48 and OneR for baiot.J48Classifier and baiot.OneR:
 * training as `baiot j48` / `baiot oner` train on all rows
 * (engine/cli/cli_j48.c: presort, then baiot_j48_train), class
 * distributions (rows in parallel, n_jobs threads), Weka's text, model
 * files.  The GIL is released around every library call.  Covered by
 * tests/python/test_cli_equal.py and test_estimators.py.
 */
#include "ext.h"

#include "baiot/j48.h"
#include "baiot/model.h"
#include "baiot/oner.h"

#include <omp.h>
#include <string.h>

static void cap_j48(PyObject *c) { baiot_j48_free(PyCapsule_GetPointer(c, CAP_J48)); }
static void cap_oner(PyObject *c) { baiot_oner_free(PyCapsule_GetPointer(c, CAP_ONER)); }

static baiot_status print_j48(const void *m, const baiot_view *v, FILE *f) { return baiot_j48_print(m, v, f); }
static baiot_status print_oner(const void *m, const baiot_view *v, FILE *f) { return baiot_oner_print(m, v, f); }

/* ---- J48 ---- */

PyObject *ext_j48_train(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *X, *Y, *names, *class_names, *W;
    baiot_j48_params p = baiot_j48_params_default();
    if (!PyArg_ParseTuple(args, "OOOOOdiiiiiiiii", &X, &Y, &names, &class_names, &W, &p.confidence, &p.min_obj,
                          &p.unpruned, &p.no_raise, &p.laplace, &p.no_collapse, &p.no_mdl, &p.binary, &p.weka36,
                          &p.n_threads))
        return NULL;
    const char *bad = baiot_j48_params_check(&p);
    if (bad)
        return PyErr_Format(PyExc_ValueError, "%s", bad);
    wrapped w;
    if (ext_wrap(X, Y, names, class_names, &w))
        return NULL;
    /* instance weights (Weka's): None = all 1, else one per row */
    PyArrayObject *wt = NULL;
    if (W != Py_None) {
        wt = (PyArrayObject *)PyArray_FROM_OTF(W, NPY_DOUBLE, NPY_ARRAY_IN_ARRAY);
        if (!wt || PyArray_NDIM(wt) != 1 || PyArray_DIM(wt, 0) != (npy_intp)w.v->n_rows) {
            if (wt)
                PyErr_SetString(PyExc_ValueError, "sample_weight must give one weight per row of X");
            Py_XDECREF(wt);
            ext_unwrap(&w);
            return NULL;
        }
    }
    const double *weights = wt ? (const double *)PyArray_DATA(wt) : NULL;
    baiot_j48_model *m = NULL;
    baiot_j48_presort *ps = NULL;
    int64_t *all = NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    /* as `baiot j48`: every column sorted once, the tree on all rows */
    all = baiot_malloc((size_t)(w.v->n_rows > 0 ? w.v->n_rows : 1) * sizeof *all);
    if (!all) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    } else if (!(st = baiot_view_check_labelled(w.v, "X", "J48")) &&
               !(st = baiot_j48_presort_create(w.v, p.n_threads, &ps))) {
        p.presort = ps;
        for (int64_t i = 0; i < w.v->n_rows; i++)
            all[i] = i;
        st = baiot_j48_train(w.v, all, w.v->n_rows, weights, &p, &m);
    }
    baiot_free(all);
    baiot_j48_presort_free(ps);
    Py_END_ALLOW_THREADS
    Py_XDECREF(wt);
    ext_unwrap(&w);
    if (st)
        return ext_raise(st);
    return PyCapsule_New(m, CAP_J48, cap_j48);
}

/* Writes the n_classes distribution of every row (parallel over rows). */
PyObject *ext_j48_proba(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X;
    int n_classes, n_threads;
    if (!PyArg_ParseTuple(args, "OOii", &cap, &X, &n_classes, &n_threads))
        return NULL;
    baiot_j48_model *m = PyCapsule_GetPointer(cap, CAP_J48);
    if (!m)
        return NULL;
    wrapped w;
    if (ext_wrap(X, Py_None, Py_None, Py_None, &w))
        return NULL;
    npy_intp dims[2] = {(npy_intp)w.v->n_rows, n_classes};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (!out) {
        ext_unwrap(&w);
        return NULL;
    }
    double *dist = PyArray_DATA(out);
    const baiot_view *v = w.v;
    int nt = n_threads > 0 ? n_threads : omp_get_max_threads();
    Py_BEGIN_ALLOW_THREADS
#pragma omp parallel for schedule(static) num_threads(nt) default(none) shared(m, v, dist, n_classes)
    for (int64_t r = 0; r < v->n_rows; r++)
        baiot_j48_distribution(m, v, r, dist + r * n_classes);
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    return (PyObject *)out;
}

PyObject *ext_j48_text(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *names, *class_names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &names, &class_names))
        return NULL;
    baiot_j48_model *m = PyCapsule_GetPointer(cap, CAP_J48);
    wrapped w;
    if (!m || ext_names_view(names, class_names, &w))
        return NULL;
    PyObject *r = ext_text_of(print_j48, m, w.v);
    ext_unwrap(&w);
    return r;
}

PyObject *ext_j48_size(PyObject *self, PyObject *cap)
{
    (void)self;
    baiot_j48_model *m = PyCapsule_GetPointer(cap, CAP_J48);
    if (!m)
        return NULL;
    return Py_BuildValue("(LL)", (long long)baiot_j48_num_leaves(m), (long long)baiot_j48_tree_size(m));
}

PyObject *ext_j48_save(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *names, *class_names;
    const char *path;
    baiot_j48_params p = baiot_j48_params_default();
    if (!PyArg_ParseTuple(args, "OsOOdiiiiiiii", &cap, &path, &names, &class_names, &p.confidence, &p.min_obj,
                          &p.unpruned, &p.no_raise, &p.laplace, &p.no_collapse, &p.no_mdl, &p.binary, &p.weka36))
        return NULL;
    baiot_j48_model *m = PyCapsule_GetPointer(cap, CAP_J48);
    wrapped w;
    if (!m || ext_names_view(names, class_names, &w))
        return NULL;
    baiot_view_params vp = baiot_view_params_default();
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_model_save_j48(path, m, w.v, &vp, &p);
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    if (st)
        return ext_raise(st);
    Py_RETURN_NONE;
}

/* ---- OneR ---- */

PyObject *ext_oner_train(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *X, *Y, *names, *class_names;
    baiot_oner_params p = baiot_oner_params_default();
    if (!PyArg_ParseTuple(args, "OOOOi", &X, &Y, &names, &class_names, &p.min_bucket))
        return NULL;
    if (p.min_bucket < 1)
        return PyErr_Format(PyExc_ValueError, "min_bucket must be >= 1 (got %d)", p.min_bucket);
    wrapped w;
    if (ext_wrap(X, Y, names, class_names, &w))
        return NULL;
    baiot_oner_model *m = NULL;
    int64_t *all = NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    all = baiot_malloc((size_t)(w.v->n_rows > 0 ? w.v->n_rows : 1) * sizeof *all);
    if (!all) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    } else if (!(st = baiot_view_check_labelled(w.v, "X", "OneR"))) {
        for (int64_t i = 0; i < w.v->n_rows; i++)
            all[i] = i;
        st = baiot_oner_train(w.v, all, w.v->n_rows, &p, &m);
    }
    baiot_free(all);
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    if (st)
        return ext_raise(st);
    return PyCapsule_New(m, CAP_ONER, cap_oner);
}

PyObject *ext_oner_predict(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X;
    if (!PyArg_ParseTuple(args, "OO", &cap, &X))
        return NULL;
    baiot_oner_model *m = PyCapsule_GetPointer(cap, CAP_ONER);
    wrapped w;
    if (!m || ext_wrap(X, Py_None, Py_None, Py_None, &w))
        return NULL;
    npy_intp dims[1] = {(npy_intp)w.v->n_rows};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_INT);
    if (out) {
        int *o = PyArray_DATA(out);
        Py_BEGIN_ALLOW_THREADS
        for (int64_t r = 0; r < w.v->n_rows; r++)
            o[r] = baiot_oner_predict(m, w.v, r);
        Py_END_ALLOW_THREADS
    }
    ext_unwrap(&w);
    return (PyObject *)out;
}

PyObject *ext_oner_info(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *names, *class_names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &names, &class_names))
        return NULL;
    baiot_oner_model *m = PyCapsule_GetPointer(cap, CAP_ONER);
    wrapped w;
    if (!m || ext_names_view(names, class_names, &w))
        return NULL;
    PyObject *text = ext_text_of(print_oner, m, w.v);
    ext_unwrap(&w);
    if (!text)
        return NULL;
    return Py_BuildValue("(Ni)", text, baiot_oner_attribute(m));
}

PyObject *ext_oner_save(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *names, *class_names;
    const char *path;
    baiot_oner_params p = baiot_oner_params_default();
    if (!PyArg_ParseTuple(args, "OsOOi", &cap, &path, &names, &class_names, &p.min_bucket))
        return NULL;
    baiot_oner_model *m = PyCapsule_GetPointer(cap, CAP_ONER);
    wrapped w;
    if (!m || ext_names_view(names, class_names, &w))
        return NULL;
    baiot_view_params vp = baiot_view_params_default();
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_model_save_oner(path, m, w.v, &vp, &p);
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    if (st)
        return ext_raise(st);
    Py_RETURN_NONE;
}
