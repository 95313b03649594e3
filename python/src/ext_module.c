/*
 * ext_module.c - the module baiot._ext: its method table, its init (numpy's
 * C API imported once for every file of the extension; baiot.BaiotError
 * made), the exception's raising and the library's version.
 *
 * The extension is the Python package's one door into libbaiot, through
 * the public API (include/baiot/) only; its guarantees (docs/PYTHON.md):
 *  1. no copy of the caller's data where the layout allows (ext_arrays.c);
 *  2. every library call runs with the GIL released, and a failure raises
 *     baiot.BaiotError with the library's message and status (ext_raise);
 *  3. results are the library's, hence the CLI's: the same calls with the
 *     same parameters as engine/cli/ (ext_classifiers.c, ext_em.c,
 *     ext_data.c, ext_models.c);
 *  4. progress and log lines reach Python callables (ext_progress.c).
 * Covered by tests/python/ (ctest python_package).
 */
#define BAIOT_EXT_MODULE /* this file imports numpy's C API */
#include "ext.h"


PyObject *ext_BaiotError;

/* Raises baiot.BaiotError(message) from this thread's library message, with the
 * status code as its `status` attribute. */
PyObject *ext_raise(baiot_status st)
{
    const char *msg = baiot_last_error();
    PyObject *e = PyObject_CallFunction(ext_BaiotError, "s", msg && *msg ? msg : baiot_strerror(st));
    if (!e)
        return NULL;
    PyObject *code = PyLong_FromLong((long)st);
    if (code && PyObject_SetAttrString(e, "status", code) == 0)
        PyErr_SetObject(ext_BaiotError, e);
    Py_XDECREF(code);
    Py_DECREF(e);
    return NULL;
}

PyObject *ext_version(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    return Py_BuildValue("(ss)", baiot_version(), baiot_git_commit());
}

static PyMethodDef methods[] = {
    {"j48_train", ext_j48_train, METH_VARARGS, "J48 on X, y (as `baiot j48`)"},
    {"j48_proba", ext_j48_proba, METH_VARARGS, "class distributions of X's rows"},
    {"j48_text", ext_j48_text, METH_VARARGS, "Weka's tree text"},
    {"j48_size", ext_j48_size, METH_O, "(leaves, size)"},
    {"j48_save", ext_j48_save, METH_VARARGS, "model file"},
    {"oner_train", ext_oner_train, METH_VARARGS, "OneR on X, y"},
    {"oner_predict", ext_oner_predict, METH_VARARGS, "classes of X's rows"},
    {"oner_info", ext_oner_info, METH_VARARGS, "(rule text, attribute)"},
    {"oner_save", ext_oner_save, METH_VARARGS, "model file"},
    {"em_train", ext_em_train, METH_VARARGS, "Weka's EM on X"},
    {"em_cluster", ext_em_cluster, METH_VARARGS, "(assign, mean log-likelihood)"},
    {"em_params", ext_em_params, METH_O, "(priors, k, iterations, selected_by_cv)"},
    {"em_moments", ext_em_moments, METH_VARARGS, "(means, std devs, covariances)"},
    {"em_text", ext_em_text, METH_VARARGS, "Weka's EM text and evaluation"},
    {"em_save", ext_em_save, METH_VARARGS, "model file"},
    {"rank", ext_rank, METH_VARARGS, "OneRAttributeEval merits and order"},
    {"fold_rows", ext_fold_rows, METH_VARARGS, "Weka's fold q: (train, n_train, test, n_test)"},
    {"fold_of", ext_fold_of, METH_VARARGS, "Weka's fold of every row"},
    {"read_store", ext_read_store, METH_VARARGS, "(X, y, names, classes) of a store selection"},
    {"ingest", ext_ingest, METH_VARARGS, "CSV sources into a store"},
    {"synth", ext_synth, METH_VARARGS, "simulated traffic into a store"},
    {"model_load", ext_model_load, METH_VARARGS, "(model, kind, columns, classes)"},
    {"model_predict", ext_model_predict, METH_VARARGS, "class distributions"},
    {"model_em", ext_model_em, METH_O, "the EM mixture of a loaded model"},
    {"detect_fit", ext_detect_fit, METH_VARARGS, "the detector protocol on X, y"},
    {"detect_score", ext_detect_score, METH_VARARGS, "anomaly scores"},
    {"detect_save", ext_detect_save, METH_VARARGS, "detector model file"},
    {"detector_load", ext_detector_load, METH_VARARGS, "(detector, columns, threshold, window, device)"},
    {"detector_score", ext_detector_score, METH_VARARGS, "anomaly scores"},
    {"set_progress", ext_set_progress, METH_O, "progress callback (stage, unit, done, total) or None"},
    {"set_log", ext_set_log, METH_O, "log callback (level, message) or None"},
    {"version", ext_version, METH_NOARGS, "(version, git commit)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "baiot._ext", "libbaiot's public API for Python", -1,
                                    methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__ext(void)
{
    import_array();
    PyObject *m = PyModule_Create(&module);
    if (!m)
        return NULL;
    ext_BaiotError = PyErr_NewExceptionWithDoc("baiot.BaiotError",
                                               "A failure of libbaiot: its message; .status is the status code.",
                                               PyExc_RuntimeError, NULL);
    if (!ext_BaiotError || PyModule_AddObject(m, "BaiotError", ext_BaiotError)) {
        Py_XDECREF(ext_BaiotError);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(ext_BaiotError);
    return m;
}
