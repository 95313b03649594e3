/*
 * progress.h - progress of long steps, for a front end to show.
 *
 * The library reports (stage, done, total) through one process-wide sink
 * (none by default: silent).  Calls come from any thread, possibly
 * concurrently; the sink must be thread-safe and cheap (rate-limit on its
 * side).  done/total are in the stage's own unit (rows, columns, folds,
 * iterations, devices); total 0 means unknown.  Progress never changes
 * results.
 */
#ifndef BAIOT_PROGRESS_H
#define BAIOT_PROGRESS_H
#include <stdint.h>
#include "baiot/baiot.h"

BAIOT_BEGIN_DECLS

typedef void (*baiot_progress_fn)(const char *stage, const char *unit, int64_t done, int64_t total, void *user);

/* Installs the sink (NULL: silent); call before starting work. */
void baiot_set_progress(baiot_progress_fn fn, void *user);

/* Reports progress of stage (static strings). */
void baiot_progress(const char *stage, const char *unit, int64_t done, int64_t total);

/* A new stage begins (done 0, total unknown). */
void baiot_progress_stage(const char *stage);

BAIOT_END_DECLS
#endif
