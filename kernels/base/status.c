/*
 * status.c - status codes, the per-thread error message and the log sink.
 *
 * Messages live in a thread-local buffer so parallel workers cannot clobber
 * each other; the engine copies a worker's message to the caller's thread
 * when it reports the failure.  The log sink is set once, before work.
 * Covered by tests/unit/test_arff.c and tests/unit/test_nbaiot_csv.c
 * (messages through baiot_last_error) and tests/cli/test_ingest_errors.py.
 */
#include "baiot/baiot.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BAIOT_ERRMSG_SIZE 2048

static _Thread_local char errmsg[BAIOT_ERRMSG_SIZE];
static baiot_log_fn log_fn;
static void *log_user;

const char *baiot_strerror(baiot_status code)
{
    switch (code) {
    case BAIOT_OK: return "success";
    case BAIOT_ERR_MEMORY: return "out of memory";
    case BAIOT_ERR_ARG: return "invalid argument";
    case BAIOT_ERR_IO: return "input/output error";
    case BAIOT_ERR_FORMAT: return "malformed input";
    case BAIOT_ERR_HDF5: return "HDF5 error";
    case BAIOT_ERR_NUMERIC: return "numeric error";
    case BAIOT_ERR_MPI: return "MPI error";
    }
    return "unknown status";
}

const char *baiot_last_error(void)
{
    return errmsg;
}

baiot_status baiot_fail(baiot_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errmsg, sizeof errmsg, fmt, ap);
    va_end(ap);
    return code;
}

baiot_status baiot_fail_context(baiot_status code, const char *fmt, ...)
{
    char prefix[BAIOT_ERRMSG_SIZE];
    char old[BAIOT_ERRMSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, errmsg, sizeof old);
    size_t n = strlen(prefix);
    size_t m = strnlen(old, sizeof old - 1);
    if (n > sizeof errmsg - 1)
        n = sizeof errmsg - 1;
    if (m > sizeof errmsg - 1 - n)
        m = sizeof errmsg - 1 - n;
    memcpy(errmsg, prefix, n);
    memcpy(errmsg + n, old, m);
    errmsg[n + m] = '\0';
    return code;
}

void baiot_set_log(baiot_log_fn fn, void *user)
{
    log_fn = fn;
    log_user = user;
}

void baiot_log(baiot_log_level level, const char *fmt, ...)
{
    char line[BAIOT_ERRMSG_SIZE];
    va_list ap;
    if (!log_fn)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    log_fn(level, line, log_user);
}
