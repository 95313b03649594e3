/*
 * ext_data.c - data in and out: the OneR ranking (baiot_rank, threads from
 * n_jobs), Weka's folds (baiot/folds.h), store reads whose block the numpy
 * array owns (a capsule freeing the library's view is its base: no copy
 * after the read), ingest and synth.  The GIL is released around every
 * library call.  Covered by tests/python/test_store.py, test_cli_equal.py
 * and test_pipeline.py.
 */
#include "ext.h"

#include "baiot/folds.h"
#include "baiot/rank.h"
#include "baiot/store.h"
#include "baiot/synth.h"

#include <omp.h>
#include <string.h>

/* ---- ranking and folds ---- */

PyObject *ext_rank(PyObject *self, PyObject *args)
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
    if (ext_wrap(X, Y, Py_None, class_names, &w))
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
    ext_unwrap(&w);
    if (st)
        return ext_raise(st);
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

PyObject *ext_fold_rows(PyObject *self, PyObject *args)
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
        return ext_raise(st);
    }
    return Py_BuildValue("(NLNL)", tr, (long long)ntr, te, (long long)nte);
}

PyObject *ext_fold_of(PyObject *self, PyObject *args)
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
        return ext_raise(st);
    }
    return (PyObject *)out;
}

/* ---- stores ---- */

static void cap_view(PyObject *c) { baiot_view_free(PyCapsule_GetPointer(c, CAP_VIEW)); }

/* (X: n x d Fortran-order float64 owning the view's block, y: intc,
 * names, class names) of a store selection; one read, no copy after. */
PyObject *ext_read_store(PyObject *self, PyObject *args)
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
        return ext_raise(st);
    Py_BEGIN_ALLOW_THREADS
    if (!baiot_store_is_store(path))
        st = baiot_fail(BAIOT_ERR_IO, "'%s' is not a readable baiot HDF5 store", path);
    else
        st = baiot_view_load_store(path, &vp, &v);
    Py_END_ALLOW_THREADS
    if (st)
        return ext_raise(st);
    PyObject *owner = PyCapsule_New(v, CAP_VIEW, cap_view);
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
    /* (PyArray_SetBaseObject steals the reference, also when it fails) */
    Py_INCREF(owner);
    if (PyArray_SetBaseObject((PyArrayObject *)x, owner))
        goto fail;
    Py_INCREF(owner);
    if (PyArray_SetBaseObject((PyArrayObject *)y, owner))
        goto fail;
    names = PyList_New(v->n_cols);
    for (int j = 0; names && j < v->n_cols; j++)
        PyList_SET_ITEM(names, j, PyUnicode_FromString(v->attrs[j].name));
    classes = ext_string_list((const char *const *)v->class_names, v->n_classes);
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

PyObject *ext_ingest(PyObject *self, PyObject *args)
{
    (void)self;
    const char *store;
    PyObject *sources;
    baiot_ingest_params p = baiot_ingest_params_default();
    if (!PyArg_ParseTuple(args, "sOii", &store, &sources, &p.append, &p.compress))
        return NULL;
    const char **s;
    if (ext_strings(sources, -1, &s))
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
        return ext_raise(st);
    return Py_BuildValue("{s:i,s:L,s:d}", "sources", r.n_sources, "rows", (long long)r.rows, "csv_bytes",
                         r.csv_bytes);
}

PyObject *ext_synth(PyObject *self, PyObject *args)
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
        return ext_raise(st);
    return Py_BuildValue("{s:i,s:L,s:L}", "files", r.files, "rows", (long long)r.rows, "packets",
                         (long long)r.packets);
}
