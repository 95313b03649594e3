/*
 * ext_progress.c - the library's progress (baiot/progress.h) and log lines
 * (baiot_set_log) to Python callables: the sinks run on whichever thread
 * reports, call the callable at most every 0.1 s per stage plus at a
 * stage's change and end, and take the GIL for the call only
 * (PyGILState_Ensure); a callable's exception is reported as unraisable,
 * the work goes on.  Covered by tests/python/test_progress.py.
 */
#include "ext.h"

#include "baiot/progress.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

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

PyObject *ext_set_progress(PyObject *self, PyObject *fn)
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

PyObject *ext_set_log(PyObject *self, PyObject *fn)
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
