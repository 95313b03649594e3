/*
 * baiot.h - the library's common ground: version, status codes, error
 * messages, the allocation hook and the logging callback.
 *
 * Every fallible call returns a baiot_status; BAIOT_OK is 0.  The message
 * that explains a failure is kept in a thread-local buffer read with
 * baiot_last_error(), so worker threads never overwrite each other's
 * messages.  The library never exits, aborts on bad input, or prints.
 */
#ifndef BAIOT_BAIOT_H
#define BAIOT_BAIOT_H

#include <stddef.h>
#include <stdint.h>

/* Every public header wraps its declarations in BAIOT_BEGIN_DECLS /
 * BAIOT_END_DECLS: C linkage under C++, and default visibility, so that
 * the shared library (built with -fvisibility=hidden) exports exactly the
 * functions declared in include/baiot/ (tests/arch/check_exports.sh). */
#ifdef __cplusplus
#define BAIOT_BEGIN_DECLS extern "C" { _Pragma("GCC visibility push(default)")
#define BAIOT_END_DECLS _Pragma("GCC visibility pop") }
#else
#define BAIOT_BEGIN_DECLS _Pragma("GCC visibility push(default)")
#define BAIOT_END_DECLS _Pragma("GCC visibility pop")
#endif

BAIOT_BEGIN_DECLS

#define BAIOT_VERSION_MAJOR 0
#define BAIOT_VERSION_MINOR 1
#define BAIOT_VERSION_PATCH 0
#define BAIOT_VERSION_STRING "0.1.0"

/* The library's version ("0.1.0") and the git commit it was built from
 * ("unknown" outside a git tree); static strings, from the version source
 * generated at build time (scripts/version.cmake). */
const char *baiot_version(void);
const char *baiot_git_commit(void);

typedef enum baiot_status {
    BAIOT_OK = 0,
    BAIOT_ERR_MEMORY,   /* an allocation failed */
    BAIOT_ERR_ARG,      /* a bad argument or option */
    BAIOT_ERR_IO,       /* a file could not be read or written */
    BAIOT_ERR_FORMAT,   /* input text or archive is malformed */
    BAIOT_ERR_HDF5,     /* the HDF5 library reported an error */
    BAIOT_ERR_NUMERIC,  /* a numeric failure (non-finite, singular) */
    BAIOT_ERR_MPI       /* an MPI failure */
} baiot_status;

/* A static English name of the code; needs no handle. */
const char *baiot_strerror(baiot_status code);

/* The message of this thread's last failure (empty when none).  Borrowed:
 * valid until the next failing call on this thread. */
const char *baiot_last_error(void);

/* Sets this thread's message and returns code, so callers can write
 * `return baiot_fail(BAIOT_ERR_ARG, "...", ...)`. */
baiot_status baiot_fail(baiot_status code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prepends context ("while reading X: ") to this thread's message. */
baiot_status baiot_fail_context(baiot_status code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- allocation: every allocation of the library goes through these ---- */
void *baiot_malloc(size_t size);
void *baiot_calloc(size_t count, size_t size);
void *baiot_realloc(void *ptr, size_t size);
void baiot_free(void *ptr);
char *baiot_strdup(const char *s);

/* The memory this machine can give a job now, in bytes (MemAvailable,
 * within the process's cgroup limit); -1 when unknown. */
int64_t baiot_memory_available(void);

/* Frees a string list the library handed over (the first n strings, then
 * the array: e.g. baiot_rank_spread's names, baiot_store_verify's
 * problems); NULL is a no-op. */
void baiot_strings_free(char **strings, int n);

/* ---- outputs ---- */
/* Allows (1, the default) or forbids (0) outputs to replace existing
 * files (a command's --force); when forbidden, a new output that appears
 * while it is written is not replaced either.  Whatever this says, an output never replaces an
 * input of the same run nor anything but a regular file. */
void baiot_set_output_force(int force);

/* ---- logging ---- */
typedef enum baiot_log_level { BAIOT_LOG_ERROR, BAIOT_LOG_INFO, BAIOT_LOG_DEBUG } baiot_log_level;
typedef void (*baiot_log_fn)(baiot_log_level level, const char *message, void *user);

/* Installs the process-wide log sink (NULL: silent, the default).  Call it
 * before starting work; the sink itself must be thread-safe. */
void baiot_set_log(baiot_log_fn fn, void *user);
void baiot_log(baiot_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

BAIOT_END_DECLS
#endif
