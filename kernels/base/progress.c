/*
 * progress.c - the process-wide progress sink (include/baiot/progress.h).
 * Without a sink every call is one load and a branch.
 * No test checks the reports themselves; tests/cli/test_study.py runs it
 * with the CLI's sink on a non-terminal stderr (which must stay silent).
 */
#include "baiot/progress.h"

#include <stddef.h>

static baiot_progress_fn sink;
static void *sink_user;

void baiot_set_progress(baiot_progress_fn fn, void *user)
{
    sink = fn;
    sink_user = user;
}

void baiot_progress(const char *stage, const char *unit, int64_t done, int64_t total)
{
    if (sink)
        sink(stage, unit, done, total, sink_user);
}

void baiot_progress_stage(const char *stage)
{
    baiot_progress(stage, NULL, 0, 0);
}
