/*
 * ext_arrays.c - numpy arrays as library views and back: the wrapping of
 * the caller's X and y (baiot_view_wrap, no copy for column-contiguous
 * float64 data: Fortran order, a DataFrame's values, column slices of
 * those), views of no rows carrying names (printing, saving), string lists
 * and printed text.  Thread-safety: called with the GIL held.  Covered by
 * tests/python/test_store.py (no copy) and every estimator test.
 */
#include "ext.h"

#include <stdlib.h>
#include <string.h>

/* ---- string lists ---- */

/* A C array of the UTF-8 strings of a Python sequence (NULL: none);
 * the strings borrow the sequence's items, which the caller keeps alive. */
int ext_strings(PyObject *seq, Py_ssize_t want, const char ***out)
{
    *out = NULL;
    if (seq == Py_None)
        return 0;
    PyObject *fast = PySequence_Fast(seq, "expected a sequence of strings");
    if (!fast)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (want >= 0 && n != want) {
        PyErr_Format(PyExc_ValueError, "expected %zd names, got %zd", want, n);
        Py_DECREF(fast);
        return -1;
    }
    const char **s = calloc((size_t)(n > 0 ? n : 1), sizeof *s);
    if (!s) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *it = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(it) || !(s[i] = PyUnicode_AsUTF8(it))) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "names must be strings");
            free(s);
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast); /* items stay alive through seq */
    *out = s;
    return 0;
}

PyObject *ext_string_list(const char *const *s, int n)
{
    PyObject *l = PyList_New(n);
    for (int i = 0; l && i < n; i++) {
        PyObject *u = PyUnicode_FromString(s[i] ? s[i] : "");
        if (!u) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, i, u);
    }
    return l;
}

/* ---- views over numpy arrays ---- */

void ext_unwrap(wrapped *w)
{
    baiot_view_free(w->v);
    Py_XDECREF(w->x);
    Py_XDECREF(w->y);
    memset(w, 0, sizeof *w);
}

int ext_wrap(PyObject *X, PyObject *Y, PyObject *names, PyObject *class_names, wrapped *w)
{
    memset(w, 0, sizeof *w);
    PyArrayObject *x = (PyArrayObject *)PyArray_FROM_OTF(X, NPY_DOUBLE, NPY_ARRAY_ALIGNED);
    if (!x)
        return -1;
    if (PyArray_NDIM(x) != 2) {
        Py_DECREF(x);
        PyErr_SetString(PyExc_ValueError, "X must be a 2-D array");
        return -1;
    }
    npy_intp n = PyArray_DIM(x, 0), d = PyArray_DIM(x, 1);
    if (n > 1 && PyArray_STRIDE(x, 0) != (npy_intp)sizeof(double)) {
        /* rows are not contiguous inside columns: one Fortran-order copy */
        PyArrayObject *f = (PyArrayObject *)PyArray_FromArray(x, NULL, NPY_ARRAY_F_CONTIGUOUS | NPY_ARRAY_ALIGNED);
        Py_DECREF(x);
        if (!(x = f))
            return -1;
    }
    w->x = x;
    if (Y != Py_None) {
        w->y = (PyArrayObject *)PyArray_FROM_OTF(Y, NPY_INT, NPY_ARRAY_IN_ARRAY);
        if (!w->y)
            goto fail;
        if (PyArray_NDIM(w->y) != 1 || PyArray_DIM(w->y, 0) != n) {
            PyErr_SetString(PyExc_ValueError, "y must be a 1-D array with one class per row of X");
            goto fail;
        }
    }
    const char **cn = NULL, **nm = NULL;
    Py_ssize_t n_classes = 0;
    if (class_names != Py_None && (n_classes = PySequence_Size(class_names)) < 0)
        goto fail;
    if (ext_strings(class_names, -1, &cn) || ext_strings(names, d, &nm)) {
        free(cn);
        goto fail;
    }
    double **cols = calloc((size_t)(d > 0 ? d : 1), sizeof *cols);
    if (!cols) {
        free(cn);
        free(nm);
        PyErr_NoMemory();
        goto fail;
    }
    char *base = PyArray_BYTES(x);
    for (npy_intp j = 0; j < d; j++)
        cols[j] = (double *)(base + j * PyArray_STRIDE(x, 1));
    baiot_status st = baiot_view_wrap((int64_t)n, (int)d, cols, nm, w->y ? (int *)PyArray_DATA(w->y) : NULL,
                                      (int)n_classes, cn, "arrays", &w->v);
    free(cols);
    free(cn);
    free(nm);
    if (st) {
        ext_raise(st);
        goto fail;
    }
    return 0;
fail:
    ext_unwrap(w);
    return -1;
}


/* Text a printer writes to a FILE, as a Python str. */
PyObject *ext_text_of(print_fn fn, const void *model, const baiot_view *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return PyErr_NoMemory();
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = fn(model, v, f);
    Py_END_ALLOW_THREADS
    fclose(f);
    PyObject *r = st ? ext_raise(st) : PyUnicode_FromStringAndSize(buf, (Py_ssize_t)len);
    free(buf);
    return r;
}

/* A view of no rows with these names (for printing and saving). */
int ext_names_view(PyObject *names, PyObject *class_names, wrapped *w)
{
    Py_ssize_t d = PySequence_Size(names);
    if (d < 0)
        return -1;
    npy_intp dims[2] = {0, d};
    PyObject *x = PyArray_ZEROS(2, dims, NPY_DOUBLE, 1);
    if (!x)
        return -1;
    int r = ext_wrap(x, Py_None, names, class_names, w);
    Py_DECREF(x);
    return r;
}
