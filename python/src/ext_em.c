/*
 * ext_em.c - Weka's EM for baiot.WekaEM: training (baiot_em_train with
 * `baiot em`'s parameters), clustering and the mean log-likelihood
 * (baiot_em_cluster), the fitted mixture's numbers, Weka's text and
 * evaluation lines as `baiot em` prints them, model files.  The GIL is
 * released around every library call.  Covered by
 * tests/python/test_cli_equal.py and test_estimators.py.
 */
#include "ext.h"

#include "baiot/em.h"
#include "baiot/model.h"

#include <stdlib.h>
#include <string.h>

static void cap_em(PyObject *c) { baiot_em_free(PyCapsule_GetPointer(c, CAP_EM)); }

/* ---- EM ---- */

static int em_params_of(PyObject *args, baiot_em_params *p)
{
    long long seed;
    *p = baiot_em_params_default();
    if (!PyArg_ParseTuple(args, "iLidiid", &p->n_clusters, &seed, &p->max_iter, &p->min_std_dev, &p->n_threads,
                          &p->covariance, &p->reg_covar))
        return -1;
    p->seed = seed;
    const char *bad = baiot_em_params_check(p);
    if (bad) {
        PyErr_Format(PyExc_ValueError, "%s", bad);
        return -1;
    }
    return 0;
}

PyObject *ext_em_train(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *X, *names, *pargs;
    baiot_em_params p;
    if (!PyArg_ParseTuple(args, "OOO!", &X, &names, &PyTuple_Type, &pargs) || em_params_of(pargs, &p))
        return NULL;
    wrapped w;
    if (ext_wrap(X, Py_None, names, Py_None, &w))
        return NULL;
    baiot_em_model *m = NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_em_train(w.v, &p, &m);
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    if (st)
        return ext_raise(st);
    return PyCapsule_New(m, CAP_EM, cap_em);
}

/* (assign, mean log-likelihood) of X's rows, as `baiot em` evaluates. */
PyObject *ext_em_cluster(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X;
    if (!PyArg_ParseTuple(args, "OO", &cap, &X))
        return NULL;
    const baiot_em_model *m = PyCapsule_GetPointer(cap, CAP_EM);
    wrapped w;
    if (!m || ext_wrap(X, Py_None, Py_None, Py_None, &w))
        return NULL;
    npy_intp dims[1] = {(npy_intp)w.v->n_rows};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_INT);
    if (!out) {
        ext_unwrap(&w);
        return NULL;
    }
    double llk = 0;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_em_cluster(m, w.v, PyArray_DATA(out), &llk);
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    if (st) {
        Py_DECREF(out);
        return ext_raise(st);
    }
    return Py_BuildValue("(Nd)", out, llk);
}

/* The fitted mixture: (priors, means k x d, std devs k x d, covariances
 * k x d x d or None, iterations, selected_by_cv). */
PyObject *ext_em_params(PyObject *self, PyObject *cap)
{
    (void)self;
    const baiot_em_model *m = PyCapsule_GetPointer(cap, CAP_EM);
    if (!m)
        return NULL;
    int k = baiot_em_n_clusters(m);
    npy_intp dk[1] = {k};
    PyArrayObject *pri = (PyArrayObject *)PyArray_SimpleNew(1, dk, NPY_DOUBLE);
    if (!pri)
        return NULL;
    memcpy(PyArray_DATA(pri), baiot_em_priors(m), (size_t)k * sizeof(double));
    return Py_BuildValue("(Niii)", pri, k, baiot_em_iterations(m), baiot_em_selected_by_cv(m));
}

PyObject *ext_em_moments(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap;
    int d;
    if (!PyArg_ParseTuple(args, "Oi", &cap, &d))
        return NULL;
    const baiot_em_model *m = PyCapsule_GetPointer(cap, CAP_EM);
    if (!m)
        return NULL;
    int k = baiot_em_n_clusters(m);
    npy_intp dims[2] = {k, d}, d3[3] = {k, d, d};
    PyArrayObject *mu = (PyArrayObject *)PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    PyArrayObject *sd = (PyArrayObject *)PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (!mu || !sd) {
        Py_XDECREF(mu);
        Py_XDECREF(sd);
        return NULL;
    }
    double *a = PyArray_DATA(mu), *b = PyArray_DATA(sd);
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++) {
            a[c * d + j] = baiot_em_mean(m, c, j);
            b[c * d + j] = baiot_em_std_dev(m, c, j);
        }
    const double *cov = baiot_em_covariance(m);
    PyObject *cv = Py_None;
    if (cov) {
        cv = PyArray_SimpleNew(3, d3, NPY_DOUBLE);
        if (!cv) {
            Py_DECREF(mu);
            Py_DECREF(sd);
            return NULL;
        }
        memcpy(PyArray_DATA((PyArrayObject *)cv), cov, (size_t)k * d * d * sizeof(double));
    } else {
        Py_INCREF(cv);
    }
    return Py_BuildValue("(NNN)", mu, sd, cv);
}

/* Weka's model text and the evaluation lines `baiot em` prints. */
PyObject *ext_em_text(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X, *names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &X, &names))
        return NULL;
    const baiot_em_model *m = PyCapsule_GetPointer(cap, CAP_EM);
    wrapped w;
    if (!m || ext_wrap(X, Py_None, names, Py_None, &w))
        return NULL;
    int *assign = malloc((size_t)(w.v->n_rows > 0 ? w.v->n_rows : 1) * sizeof *assign);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = assign ? open_memstream(&buf, &len) : NULL;
    if (!f) {
        free(assign);
        ext_unwrap(&w);
        return PyErr_NoMemory();
    }
    double llk = 0;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    if (!(st = baiot_em_cluster(m, w.v, assign, &llk)) && !(st = baiot_em_print(m, w.v, f)))
        st = baiot_em_print_evaluation(m, w.v, assign, llk, NULL, f);
    Py_END_ALLOW_THREADS
    fclose(f);
    free(assign);
    ext_unwrap(&w);
    PyObject *r = st ? ext_raise(st) : PyUnicode_FromStringAndSize(buf, (Py_ssize_t)len);
    free(buf);
    return r;
}

PyObject *ext_em_save(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *names, *pargs;
    const char *path;
    baiot_em_params p;
    if (!PyArg_ParseTuple(args, "OsOO!", &cap, &path, &names, &PyTuple_Type, &pargs) || em_params_of(pargs, &p))
        return NULL;
    const baiot_em_model *m = PyCapsule_GetPointer(cap, CAP_EM);
    wrapped w;
    /* rows without a class: the file's class attribute gets one value, "?" */
    PyObject *no_class = Py_BuildValue("[s]", "?");
    int bad = !m || !no_class || ext_names_view(names, no_class, &w);
    Py_XDECREF(no_class);
    if (bad)
        return NULL;
    baiot_view_params vp = baiot_view_params_default();
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_model_save_em(path, m, w.v, &vp, &p);
    Py_END_ALLOW_THREADS
    ext_unwrap(&w);
    if (st)
        return ext_raise(st);
    Py_RETURN_NONE;
}
