/*
 * baiot_ext.c - the CPython extension `baiot._ext`: the Python package's
 * one door into libbaiot, through the public API (include/baiot/) only.
 *
 * What it guarantees:
 *  1. No copy of the caller's data where the layout allows: a float64
 *     array whose rows are contiguous inside each column (Fortran order, a
 *     DataFrame's values, a column slice of those) is wrapped as a view
 *     (baiot_view_wrap); other layouts are converted once by numpy.
 *     Stores are read into one block that the returned array owns
 *     (no copy after the read).
 *  2. Every call into the library runs with the GIL released; a failure
 *     raises baiot.BaiotError with the library's message
 *     (baiot_last_error(), read on the thread that failed) and its status
 *     code (e.status).
 *  3. Results are the library's, hence the CLI's: the same training calls
 *     with the same parameters (engine/cli/cli_j48.c, cli_oner.c, cli_em.c,
 *     cli_rank.c, cli_detect.c are mirrored here).
 *  4. Progress (baiot/progress.h) and log lines (baiot_set_log) reach a
 *     Python callable, at most every 0.1 s per stage plus each stage's end,
 *     from whichever thread reports them (the GIL is taken for the call).
 *
 * Handles are PyCapsules freed by their destructors.  Thread-safety: calls
 * on distinct handles may run concurrently; the progress and log sinks are
 * process-wide.  Covered by tests/python/ (pytest, ctest python_package).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include "baiot/baiot.h"
#include "baiot/detect.h"
#include "baiot/em.h"
#include "baiot/folds.h"
#include "baiot/j48.h"
#include "baiot/model.h"
#include "baiot/oner.h"
#include "baiot/progress.h"
#include "baiot/rank.h"
#include "baiot/store.h"
#include "baiot/synth.h"
#include "baiot/view.h"

#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static PyObject *BaiotError;

/* Raises BaiotError(message) from this thread's library message, with the
 * status code as its `status` attribute. */
static PyObject *raise_status(baiot_status st)
{
    const char *msg = baiot_last_error();
    PyObject *e = PyObject_CallFunction(BaiotError, "s", msg && *msg ? msg : baiot_strerror(st));
    if (!e)
        return NULL;
    PyObject *code = PyLong_FromLong((long)st);
    if (code && PyObject_SetAttrString(e, "status", code) == 0)
        PyErr_SetObject(BaiotError, e);
    Py_XDECREF(code);
    Py_DECREF(e);
    return NULL;
}

/* ---- string lists ---- */

/* A C array of the UTF-8 strings of a Python sequence (NULL: none);
 * the strings borrow the sequence's items, which the caller keeps alive. */
static int strings_of(PyObject *seq, Py_ssize_t want, const char ***out)
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

static PyObject *list_of_strings(const char *const *s, int n)
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

/* A view over X (2-D float64, rows contiguous within each column: no copy)
 * and y (1-D intc or None).  *keep holds the arrays the view borrows; the
 * caller drops it after freeing the view. */
typedef struct wrapped {
    baiot_view *v;
    PyArrayObject *x, *y;
} wrapped;

static void wrapped_free(wrapped *w)
{
    baiot_view_free(w->v);
    Py_XDECREF(w->x);
    Py_XDECREF(w->y);
    memset(w, 0, sizeof *w);
}

static int wrap_arrays(PyObject *X, PyObject *Y, PyObject *names, PyObject *class_names, wrapped *w)
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
    if (strings_of(class_names, -1, &cn) || strings_of(names, d, &nm)) {
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
        raise_status(st);
        goto fail;
    }
    return 0;
fail:
    wrapped_free(w);
    return -1;
}

/* ---- handles ---- */

#define CAP_J48 "baiot.j48"
#define CAP_ONER "baiot.oner"
#define CAP_EM "baiot.em"
#define CAP_MODEL "baiot.model"
#define CAP_DETECT "baiot.detect_run"
#define CAP_DETECTOR "baiot.detector"

static void cap_j48(PyObject *c) { baiot_j48_free(PyCapsule_GetPointer(c, CAP_J48)); }
static void cap_oner(PyObject *c) { baiot_oner_free(PyCapsule_GetPointer(c, CAP_ONER)); }
static void cap_em(PyObject *c) { baiot_em_free(PyCapsule_GetPointer(c, CAP_EM)); }
static void cap_model(PyObject *c) { baiot_model_free(PyCapsule_GetPointer(c, CAP_MODEL)); }
static void cap_detect(PyObject *c) { baiot_detect_run_free(PyCapsule_GetPointer(c, CAP_DETECT)); }
static void cap_detector(PyObject *c) { baiot_detector_free(PyCapsule_GetPointer(c, CAP_DETECTOR)); }

/* Text a printer writes to a FILE, as a Python str. */
typedef baiot_status (*print_fn)(const void *model, const baiot_view *v, FILE *f);

static PyObject *text_of(print_fn fn, const void *model, const baiot_view *v)
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
    PyObject *r = st ? raise_status(st) : PyUnicode_FromStringAndSize(buf, (Py_ssize_t)len);
    free(buf);
    return r;
}

static baiot_status print_j48(const void *m, const baiot_view *v, FILE *f) { return baiot_j48_print(m, v, f); }
static baiot_status print_oner(const void *m, const baiot_view *v, FILE *f) { return baiot_oner_print(m, v, f); }

/* A view of no rows with these names (for printing and saving). */
static int names_view(PyObject *names, PyObject *class_names, wrapped *w)
{
    Py_ssize_t d = PySequence_Size(names);
    if (d < 0)
        return -1;
    npy_intp dims[2] = {0, d};
    PyObject *x = PyArray_ZEROS(2, dims, NPY_DOUBLE, 1);
    if (!x)
        return -1;
    int r = wrap_arrays(x, Py_None, names, class_names, w);
    Py_DECREF(x);
    return r;
}

/* ---- J48 ---- */

static PyObject *j48_train(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *X, *Y, *names, *class_names;
    baiot_j48_params p = baiot_j48_params_default();
    if (!PyArg_ParseTuple(args, "OOOOdiiiiiiiii", &X, &Y, &names, &class_names, &p.confidence, &p.min_obj,
                          &p.unpruned, &p.no_raise, &p.laplace, &p.no_collapse, &p.no_mdl, &p.binary, &p.weka36,
                          &p.n_threads))
        return NULL;
    const char *bad = baiot_j48_params_check(&p);
    if (bad)
        return PyErr_Format(PyExc_ValueError, "%s", bad);
    wrapped w;
    if (wrap_arrays(X, Y, names, class_names, &w))
        return NULL;
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
        st = baiot_j48_train(w.v, all, w.v->n_rows, NULL, &p, &m);
    }
    baiot_free(all);
    baiot_j48_presort_free(ps);
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st)
        return raise_status(st);
    return PyCapsule_New(m, CAP_J48, cap_j48);
}

/* Writes the n_classes distribution of every row (parallel over rows). */
static PyObject *j48_proba(PyObject *self, PyObject *args)
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
    if (wrap_arrays(X, Py_None, Py_None, Py_None, &w))
        return NULL;
    npy_intp dims[2] = {(npy_intp)w.v->n_rows, n_classes};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (!out) {
        wrapped_free(&w);
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
    wrapped_free(&w);
    return (PyObject *)out;
}

static PyObject *j48_text(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *names, *class_names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &names, &class_names))
        return NULL;
    baiot_j48_model *m = PyCapsule_GetPointer(cap, CAP_J48);
    wrapped w;
    if (!m || names_view(names, class_names, &w))
        return NULL;
    PyObject *r = text_of(print_j48, m, w.v);
    wrapped_free(&w);
    return r;
}

static PyObject *j48_size(PyObject *self, PyObject *cap)
{
    (void)self;
    baiot_j48_model *m = PyCapsule_GetPointer(cap, CAP_J48);
    if (!m)
        return NULL;
    return Py_BuildValue("(LL)", (long long)baiot_j48_num_leaves(m), (long long)baiot_j48_tree_size(m));
}

static PyObject *j48_save(PyObject *self, PyObject *args)
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
    if (!m || names_view(names, class_names, &w))
        return NULL;
    baiot_view_params vp = baiot_view_params_default();
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_model_save_j48(path, m, w.v, &vp, &p);
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st)
        return raise_status(st);
    Py_RETURN_NONE;
}

/* ---- OneR ---- */

static PyObject *oner_train(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *X, *Y, *names, *class_names;
    baiot_oner_params p = baiot_oner_params_default();
    if (!PyArg_ParseTuple(args, "OOOOi", &X, &Y, &names, &class_names, &p.min_bucket))
        return NULL;
    if (p.min_bucket < 1)
        return PyErr_Format(PyExc_ValueError, "min_bucket must be >= 1 (got %d)", p.min_bucket);
    wrapped w;
    if (wrap_arrays(X, Y, names, class_names, &w))
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
    wrapped_free(&w);
    if (st)
        return raise_status(st);
    return PyCapsule_New(m, CAP_ONER, cap_oner);
}

static PyObject *oner_predict(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X;
    if (!PyArg_ParseTuple(args, "OO", &cap, &X))
        return NULL;
    baiot_oner_model *m = PyCapsule_GetPointer(cap, CAP_ONER);
    wrapped w;
    if (!m || wrap_arrays(X, Py_None, Py_None, Py_None, &w))
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
    wrapped_free(&w);
    return (PyObject *)out;
}

static PyObject *oner_info(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *names, *class_names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &names, &class_names))
        return NULL;
    baiot_oner_model *m = PyCapsule_GetPointer(cap, CAP_ONER);
    wrapped w;
    if (!m || names_view(names, class_names, &w))
        return NULL;
    PyObject *text = text_of(print_oner, m, w.v);
    wrapped_free(&w);
    if (!text)
        return NULL;
    return Py_BuildValue("(Ni)", text, baiot_oner_attribute(m));
}

static PyObject *oner_save(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *names, *class_names;
    const char *path;
    baiot_oner_params p = baiot_oner_params_default();
    if (!PyArg_ParseTuple(args, "OsOOi", &cap, &path, &names, &class_names, &p.min_bucket))
        return NULL;
    baiot_oner_model *m = PyCapsule_GetPointer(cap, CAP_ONER);
    wrapped w;
    if (!m || names_view(names, class_names, &w))
        return NULL;
    baiot_view_params vp = baiot_view_params_default();
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_model_save_oner(path, m, w.v, &vp, &p);
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st)
        return raise_status(st);
    Py_RETURN_NONE;
}

/* ---- EM ---- */

static int em_params_of(PyObject *args, int first, baiot_em_params *p)
{
    (void)first;
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

static PyObject *em_train(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *X, *names, *pargs;
    baiot_em_params p;
    if (!PyArg_ParseTuple(args, "OOO!", &X, &names, &PyTuple_Type, &pargs) || em_params_of(pargs, 0, &p))
        return NULL;
    wrapped w;
    if (wrap_arrays(X, Py_None, names, Py_None, &w))
        return NULL;
    baiot_em_model *m = NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_em_train(w.v, &p, &m);
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st)
        return raise_status(st);
    return PyCapsule_New(m, CAP_EM, cap_em);
}

/* (assign, mean log-likelihood) of X's rows, as `baiot em` evaluates. */
static PyObject *em_cluster(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X;
    if (!PyArg_ParseTuple(args, "OO", &cap, &X))
        return NULL;
    const baiot_em_model *m = PyCapsule_GetPointer(cap, CAP_EM);
    wrapped w;
    if (!m || wrap_arrays(X, Py_None, Py_None, Py_None, &w))
        return NULL;
    npy_intp dims[1] = {(npy_intp)w.v->n_rows};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_INT);
    if (!out) {
        wrapped_free(&w);
        return NULL;
    }
    double llk = 0;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_em_cluster(m, w.v, PyArray_DATA(out), &llk);
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st) {
        Py_DECREF(out);
        return raise_status(st);
    }
    return Py_BuildValue("(Nd)", out, llk);
}

/* The fitted mixture: (priors, means k x d, std devs k x d, covariances
 * k x d x d or None, iterations, selected_by_cv). */
static PyObject *em_params(PyObject *self, PyObject *cap)
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

static PyObject *em_moments(PyObject *self, PyObject *args)
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
static PyObject *em_text(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X, *names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &X, &names))
        return NULL;
    const baiot_em_model *m = PyCapsule_GetPointer(cap, CAP_EM);
    wrapped w;
    if (!m || wrap_arrays(X, Py_None, names, Py_None, &w))
        return NULL;
    int *assign = malloc((size_t)(w.v->n_rows > 0 ? w.v->n_rows : 1) * sizeof *assign);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = assign ? open_memstream(&buf, &len) : NULL;
    if (!f) {
        free(assign);
        wrapped_free(&w);
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
    wrapped_free(&w);
    PyObject *r = st ? raise_status(st) : PyUnicode_FromStringAndSize(buf, (Py_ssize_t)len);
    free(buf);
    return r;
}

static PyObject *em_save(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *names, *pargs;
    const char *path;
    baiot_em_params p;
    if (!PyArg_ParseTuple(args, "OsOO!", &cap, &path, &names, &PyTuple_Type, &pargs) || em_params_of(pargs, 0, &p))
        return NULL;
    const baiot_em_model *m = PyCapsule_GetPointer(cap, CAP_EM);
    wrapped w;
    /* rows without a class: the file's class attribute gets one value, "?" */
    PyObject *no_class = Py_BuildValue("[s]", "?");
    int bad = !m || !no_class || names_view(names, no_class, &w);
    Py_XDECREF(no_class);
    if (bad)
        return NULL;
    baiot_view_params vp = baiot_view_params_default();
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_model_save_em(path, m, w.v, &vp, &p);
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st)
        return raise_status(st);
    Py_RETURN_NONE;
}

/* ---- ranking and folds ---- */

static PyObject *rank(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *X, *Y, *class_names;
    int n_threads;
    long long seed;
    baiot_rank_params p = baiot_rank_params_default();
    if (!PyArg_ParseTuple(args, "OOOiLii", &X, &Y, &class_names, &p.folds, &seed, &p.min_bucket, &n_threads))
        return NULL;
    p.seed = seed;
    wrapped w;
    if (wrap_arrays(X, Y, Py_None, class_names, &w))
        return NULL;
    baiot_ranking *r = NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    /* baiot_rank spreads columns over OpenMP's default team: n_jobs sets it
     * for this thread's parallel regions only */
    int saved = omp_get_max_threads();
    if (n_threads > 0)
        omp_set_num_threads(n_threads);
    if (!(st = baiot_view_check_labelled(w.v, "X", "the OneR ranking")))
        st = baiot_rank(w.v, &p, &r);
    omp_set_num_threads(saved);
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st)
        return raise_status(st);
    npy_intp dims[1] = {r->n};
    PyArrayObject *merit = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_DOUBLE);
    PyArrayObject *order = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_INT);
    if (merit && order) {
        memcpy(PyArray_DATA(merit), r->merit, (size_t)r->n * sizeof(double));
        memcpy(PyArray_DATA(order), r->order, (size_t)r->n * sizeof(int));
    }
    baiot_ranking_free(r);
    if (!merit || !order) {
        Py_XDECREF(merit);
        Py_XDECREF(order);
        return NULL;
    }
    return Py_BuildValue("(NN)", merit, order);
}

static PyObject *fold_rows(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *Y;
    int n_classes, k, q;
    long long seed;
    if (!PyArg_ParseTuple(args, "OiiLi", &Y, &n_classes, &k, &seed, &q))
        return NULL;
    PyArrayObject *y = (PyArrayObject *)PyArray_FROM_OTF(Y, NPY_INT, NPY_ARRAY_IN_ARRAY);
    if (!y)
        return NULL;
    npy_intp n = PyArray_SIZE(y), dims[1] = {n};
    PyArrayObject *tr = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_INT64);
    PyArrayObject *te = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_INT64);
    if (!tr || !te) {
        Py_XDECREF(tr);
        Py_XDECREF(te);
        Py_DECREF(y);
        return NULL;
    }
    int64_t ntr = 0, nte = 0;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_weka_fold_rows(PyArray_DATA(y), (int64_t)n, n_classes, k, seed, q, PyArray_DATA(tr), &ntr,
                              PyArray_DATA(te), &nte);
    Py_END_ALLOW_THREADS
    Py_DECREF(y);
    if (st) {
        Py_DECREF(tr);
        Py_DECREF(te);
        return raise_status(st);
    }
    return Py_BuildValue("(NLNL)", tr, (long long)ntr, te, (long long)nte);
}

static PyObject *fold_of(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *Y;
    int n_classes, k;
    long long seed;
    if (!PyArg_ParseTuple(args, "OiiL", &Y, &n_classes, &k, &seed))
        return NULL;
    PyArrayObject *y = (PyArrayObject *)PyArray_FROM_OTF(Y, NPY_INT, NPY_ARRAY_IN_ARRAY);
    if (!y)
        return NULL;
    npy_intp dims[1] = {PyArray_SIZE(y)};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_INT);
    if (!out) {
        Py_DECREF(y);
        return NULL;
    }
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_weka_fold_of(PyArray_DATA(y), (int64_t)dims[0], n_classes, k, seed, PyArray_DATA(out));
    Py_END_ALLOW_THREADS
    Py_DECREF(y);
    if (st) {
        Py_DECREF(out);
        return raise_status(st);
    }
    return (PyObject *)out;
}

/* ---- stores ---- */

static void cap_view(PyObject *c) { baiot_view_free(PyCapsule_GetPointer(c, "baiot.view")); }

/* (X: n x d Fortran-order float64 owning the view's block, y: intc,
 * names, class names) of a store selection; one read, no copy after. */
static PyObject *read_store(PyObject *self, PyObject *args)
{
    (void)self;
    const char *path, *devices, *columns, *task;
    if (!PyArg_ParseTuple(args, "szzs", &path, &devices, &columns, &task))
        return NULL;
    baiot_view_params vp = baiot_view_params_default();
    vp.devices = devices;
    vp.columns = columns;
    baiot_view *v = NULL;
    baiot_status st = baiot_task_parse(task, &vp.task);
    if (st)
        return raise_status(st);
    Py_BEGIN_ALLOW_THREADS
    if (!baiot_store_is_store(path))
        st = baiot_fail(BAIOT_ERR_IO, "'%s' is not a readable baiot HDF5 store", path);
    else
        st = baiot_view_load_store(path, &vp, &v);
    Py_END_ALLOW_THREADS
    if (st)
        return raise_status(st);
    PyObject *owner = PyCapsule_New(v, "baiot.view", cap_view);
    if (!owner) {
        baiot_view_free(v);
        return NULL;
    }
    npy_intp dims[2] = {(npy_intp)v->n_rows, v->n_cols}, dy[1] = {(npy_intp)v->n_rows};
    npy_intp strides[2] = {sizeof(double), (npy_intp)(sizeof(double) * (size_t)v->n_rows)};
    PyObject *x = NULL, *y = NULL, *names = NULL, *classes = NULL;
    x = PyArray_New(&PyArray_Type, 2, dims, NPY_DOUBLE, strides, v->n_cols > 0 ? v->cols[0] : NULL, 0,
                    NPY_ARRAY_F_CONTIGUOUS | NPY_ARRAY_ALIGNED | NPY_ARRAY_WRITEABLE, NULL);
    y = PyArray_New(&PyArray_Type, 1, dy, NPY_INT, NULL, v->y, 0, NPY_ARRAY_CARRAY, NULL);
    if (!x || !y)
        goto fail;
    /* the arrays own the view (capsule as their base) */
    Py_INCREF(owner);
    if (PyArray_SetBaseObject((PyArrayObject *)x, owner)) {
        Py_DECREF(owner);
        goto fail;
    }
    Py_INCREF(owner);
    if (PyArray_SetBaseObject((PyArrayObject *)y, owner)) {
        Py_DECREF(owner);
        goto fail;
    }
    names = PyList_New(v->n_cols);
    for (int j = 0; names && j < v->n_cols; j++)
        PyList_SET_ITEM(names, j, PyUnicode_FromString(v->attrs[j].name));
    classes = list_of_strings((const char *const *)v->class_names, v->n_classes);
    if (!names || !classes)
        goto fail;
    Py_DECREF(owner);
    return Py_BuildValue("(NNNN)", x, y, names, classes);
fail:
    Py_XDECREF(x);
    Py_XDECREF(y);
    Py_XDECREF(names);
    Py_XDECREF(classes);
    Py_DECREF(owner);
    return NULL;
}

static PyObject *ingest(PyObject *self, PyObject *args)
{
    (void)self;
    const char *store;
    PyObject *sources;
    baiot_ingest_params p = baiot_ingest_params_default();
    if (!PyArg_ParseTuple(args, "sOii", &store, &sources, &p.append, &p.compress))
        return NULL;
    const char **s;
    if (strings_of(sources, -1, &s))
        return NULL;
    int n = (int)PySequence_Size(sources);
    baiot_ingest_result r;
    memset(&r, 0, sizeof r);
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_ingest(store, s, n, &p, &r);
    Py_END_ALLOW_THREADS
    free(s);
    if (st)
        return raise_status(st);
    return Py_BuildValue("{s:i,s:L,s:d}", "sources", r.n_sources, "rows", (long long)r.rows, "csv_bytes",
                         r.csv_bytes);
}

static PyObject *synth(PyObject *self, PyObject *args)
{
    (void)self;
    const char *store;
    unsigned long long seed;
    baiot_synth_params p = baiot_synth_params_default();
    if (!PyArg_ParseTuple(args, "szdKzz", &store, &p.devices, &p.scale, &seed, &p.csv_dir, &p.pcap_dir))
        return NULL;
    p.seed = seed;
    baiot_synth_result r;
    memset(&r, 0, sizeof r);
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_synth(store, &p, &r);
    Py_END_ALLOW_THREADS
    if (st)
        return raise_status(st);
    return Py_BuildValue("{s:i,s:L,s:L}", "files", r.files, "rows", (long long)r.rows, "packets",
                         (long long)r.packets);
}

/* ---- saved models (baiot predict's files) ---- */

static PyObject *model_load(PyObject *self, PyObject *args)
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
        return raise_status(st);
    PyObject *cap = PyCapsule_New(m, CAP_MODEL, cap_model);
    if (!cap) {
        baiot_model_free(m);
        return NULL;
    }
    return Py_BuildValue("(NssN)", cap, baiot_model_kind(m), baiot_model_columns(m),
                         list_of_strings(baiot_model_class_names(m), baiot_model_n_classes(m)));
}

static PyObject *model_predict(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X, *names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &X, &names))
        return NULL;
    const baiot_model *m = PyCapsule_GetPointer(cap, CAP_MODEL);
    wrapped w;
    if (!m || wrap_arrays(X, Py_None, names, Py_None, &w))
        return NULL;
    int k = baiot_model_n_classes(m);
    npy_intp dims[2] = {(npy_intp)w.v->n_rows, k};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (!out) {
        wrapped_free(&w);
        return NULL;
    }
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_model_predict(m, w.v, PyArray_DATA(out));
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st) {
        Py_DECREF(out);
        return raise_status(st);
    }
    return (PyObject *)out;
}

/* The EM mixture of a loaded model file, as a borrowed capsule that keeps
 * the model alive (its context). */
static void cap_em_borrowed(PyObject *c) { Py_XDECREF((PyObject *)PyCapsule_GetContext(c)); }

static PyObject *model_em(PyObject *self, PyObject *cap)
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

static PyObject *detect_fit(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *X, *Y, *names, *class_names;
    const char *device;
    long long seed, batch;
    baiot_detect_params p = baiot_detect_params_default();
    if (!PyArg_ParseTuple(args, "OOOOziiiLdiLii", &X, &Y, &names, &class_names, &device, &p.method, &p.clusters,
                          &p.covariance, &seed, &p.lr, &p.epochs, &batch, &p.n_threads, &p.max_window))
        return NULL;
    p.seed = seed;
    p.batch = batch;
    const char *bad = baiot_detect_params_check(&p);
    if (bad)
        return PyErr_Format(PyExc_ValueError, "%s", bad);
    wrapped w;
    if (wrap_arrays(X, Y, names, class_names, &w))
        return NULL;
    baiot_detect_run *r = NULL;
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_detect_view(w.v, "X", device, &p, &r);
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st)
        return raise_status(st);
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

static PyObject *detect_score(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X, *names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &X, &names))
        return NULL;
    const baiot_detect_run *r = PyCapsule_GetPointer(cap, CAP_DETECT);
    wrapped w;
    if (!r || wrap_arrays(X, Py_None, names, Py_None, &w))
        return NULL;
    npy_intp dims[1] = {(npy_intp)w.v->n_rows};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_DOUBLE);
    if (!out) {
        wrapped_free(&w);
        return NULL;
    }
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_detect_run_score(r, w.v, PyArray_DATA(out));
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st) {
        Py_DECREF(out);
        return raise_status(st);
    }
    return (PyObject *)out;
}

static PyObject *detect_save(PyObject *self, PyObject *args)
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
        return raise_status(st);
    Py_RETURN_NONE;
}

static PyObject *detector_load(PyObject *self, PyObject *args)
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
        return raise_status(st);
    PyObject *cap = PyCapsule_New(d, CAP_DETECTOR, cap_detector);
    if (!cap) {
        baiot_detector_free(d);
        return NULL;
    }
    return Py_BuildValue("(Nsdis)", cap, baiot_detector_columns(d), baiot_detector_threshold(d),
                         baiot_detector_window(d), baiot_detector_device(d));
}

static PyObject *detector_score(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *cap, *X, *names;
    if (!PyArg_ParseTuple(args, "OOO", &cap, &X, &names))
        return NULL;
    const baiot_detector *d = PyCapsule_GetPointer(cap, CAP_DETECTOR);
    wrapped w;
    if (!d || wrap_arrays(X, Py_None, names, Py_None, &w))
        return NULL;
    npy_intp dims[1] = {(npy_intp)w.v->n_rows};
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, dims, NPY_DOUBLE);
    if (!out) {
        wrapped_free(&w);
        return NULL;
    }
    baiot_status st;
    Py_BEGIN_ALLOW_THREADS
    st = baiot_detector_score(d, w.v, PyArray_DATA(out));
    Py_END_ALLOW_THREADS
    wrapped_free(&w);
    if (st) {
        Py_DECREF(out);
        return raise_status(st);
    }
    return (PyObject *)out;
}

/* ---- progress and log lines ---- */

static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;
static PyObject *progress_cb, *log_cb; /* owned references; changed with the GIL held */
static const char *last_stage;
static double last_call;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs on any thread that reports; calls the Python callable at most
 * every 0.1 s per stage, plus at a stage's change and its end. */
static void progress_sink(const char *stage, const char *unit, int64_t done, int64_t total, void *user)
{
    (void)user;
    double t = now();
    int call;
    pthread_mutex_lock(&sink_lock);
    int changed = stage != last_stage && (!last_stage || !stage || strcmp(stage, last_stage) != 0);
    call = changed || (total > 0 && done >= total) || t - last_call >= 0.1;
    if (call) {
        last_stage = stage;
        last_call = t;
    }
    pthread_mutex_unlock(&sink_lock);
    if (!call)
        return;
    PyGILState_STATE g = PyGILState_Ensure();
    if (progress_cb) {
        PyObject *r = PyObject_CallFunction(progress_cb, "szLL", stage ? stage : "", unit, (long long)done,
                                            (long long)total);
        if (!r)
            PyErr_WriteUnraisable(progress_cb);
        Py_XDECREF(r);
    }
    PyGILState_Release(g);
}

static void log_sink(baiot_log_level level, const char *message, void *user)
{
    (void)user;
    PyGILState_STATE g = PyGILState_Ensure();
    if (log_cb) {
        PyObject *r = PyObject_CallFunction(log_cb, "is", (int)level, message);
        if (!r)
            PyErr_WriteUnraisable(log_cb);
        Py_XDECREF(r);
    }
    PyGILState_Release(g);
}

static PyObject *set_progress(PyObject *self, PyObject *fn)
{
    (void)self;
    if (fn != Py_None && !PyCallable_Check(fn))
        return PyErr_Format(PyExc_TypeError, "the progress callback must be callable or None");
    PyObject *old = progress_cb;
    progress_cb = fn == Py_None ? NULL : (Py_INCREF(fn), fn);
    baiot_set_progress(progress_cb ? progress_sink : NULL, NULL);
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

static PyObject *set_log(PyObject *self, PyObject *fn)
{
    (void)self;
    if (fn != Py_None && !PyCallable_Check(fn))
        return PyErr_Format(PyExc_TypeError, "the log callback must be callable or None");
    PyObject *old = log_cb;
    log_cb = fn == Py_None ? NULL : (Py_INCREF(fn), fn);
    baiot_set_log(log_cb ? log_sink : NULL, NULL);
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

static PyObject *version(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    return Py_BuildValue("(ss)", baiot_version(), baiot_git_commit());
}

static PyMethodDef methods[] = {
    {"j48_train", j48_train, METH_VARARGS, "J48 on X, y (as `baiot j48`)"},
    {"j48_proba", j48_proba, METH_VARARGS, "class distributions of X's rows"},
    {"j48_text", j48_text, METH_VARARGS, "Weka's tree text"},
    {"j48_size", j48_size, METH_O, "(leaves, size)"},
    {"j48_save", j48_save, METH_VARARGS, "model file"},
    {"oner_train", oner_train, METH_VARARGS, "OneR on X, y"},
    {"oner_predict", oner_predict, METH_VARARGS, "classes of X's rows"},
    {"oner_info", oner_info, METH_VARARGS, "(rule text, attribute)"},
    {"oner_save", oner_save, METH_VARARGS, "model file"},
    {"em_train", em_train, METH_VARARGS, "Weka's EM on X"},
    {"em_cluster", em_cluster, METH_VARARGS, "(assign, mean log-likelihood)"},
    {"em_params", em_params, METH_O, "(priors, k, iterations, selected_by_cv)"},
    {"em_moments", em_moments, METH_VARARGS, "(means, std devs, covariances)"},
    {"em_text", em_text, METH_VARARGS, "Weka's EM text and evaluation"},
    {"em_save", em_save, METH_VARARGS, "model file"},
    {"rank", rank, METH_VARARGS, "OneRAttributeEval merits and order"},
    {"fold_rows", fold_rows, METH_VARARGS, "Weka's fold q: (train, n_train, test, n_test)"},
    {"fold_of", fold_of, METH_VARARGS, "Weka's fold of every row"},
    {"read_store", read_store, METH_VARARGS, "(X, y, names, classes) of a store selection"},
    {"ingest", ingest, METH_VARARGS, "CSV sources into a store"},
    {"synth", synth, METH_VARARGS, "simulated traffic into a store"},
    {"model_load", model_load, METH_VARARGS, "(model, kind, columns, classes)"},
    {"model_predict", model_predict, METH_VARARGS, "class distributions"},
    {"model_em", model_em, METH_O, "the EM mixture of a loaded model"},
    {"detect_fit", detect_fit, METH_VARARGS, "the detector protocol on X, y"},
    {"detect_score", detect_score, METH_VARARGS, "anomaly scores"},
    {"detect_save", detect_save, METH_VARARGS, "detector model file"},
    {"detector_load", detector_load, METH_VARARGS, "(detector, columns, threshold, window, device)"},
    {"detector_score", detector_score, METH_VARARGS, "anomaly scores"},
    {"set_progress", set_progress, METH_O, "progress callback (stage, unit, done, total) or None"},
    {"set_log", set_log, METH_O, "log callback (level, message) or None"},
    {"version", version, METH_NOARGS, "(version, git commit)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "baiot._ext", "libbaiot's public API for Python", -1,
                                    methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__ext(void)
{
    import_array();
    PyObject *m = PyModule_Create(&module);
    if (!m)
        return NULL;
    BaiotError = PyErr_NewExceptionWithDoc("baiot.BaiotError",
                                           "A failure of libbaiot: its message; .status is the status code.",
                                           PyExc_RuntimeError, NULL);
    if (!BaiotError || PyModule_AddObject(m, "BaiotError", BaiotError)) {
        Py_XDECREF(BaiotError);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(BaiotError);
    return m;
}
