/*
 * temp_names.h - the temporaries of outputs in progress: how they are
 * named, the process-wide tables of those in flight (for the signal
 * handler), and the leftovers of dead processes.
 *
 * A temporary of output "<dir>/<name>" is "<dir>/.<name>.tmp-<pid>-<n>"
 * (atomic_file.c for files, atomic_dir.c for folders).  The tables hold at
 * most BAIOT_TEMP_SLOTS names, claimed and released with atomic exchanges
 * (a full table only means a temporary may survive an interrupted run).
 * Covered by tests/cli/test_outputs.py, tests/cli/test_report_dir.py and
 * tests/cli/test_kill.py.
 */
#ifndef BAIOT_IO_TEMP_NAMES_H
#define BAIOT_IO_TEMP_NAMES_H

#define BAIOT_TEMP_SLOTS 256

typedef struct baiot_temp_table {
    char *slot[BAIOT_TEMP_SLOTS];
} baiot_temp_table;

/* Records / forgets path (the caller keeps it alive while recorded). */
void baiot_temp_track(baiot_temp_table *t, char *path);
void baiot_temp_untrack(baiot_temp_table *t, const char *path);
/* Calls remove(path) for every recorded name: async-signal-safe as long
 * as remove is. */
void baiot_temp_remove_all(baiot_temp_table *t, void (*remove)(const char *path));

/* For each entry of folder dir named ".<base>.tmp-<pid>-<n>" whose process
 * no longer exists (kill(pid, 0) says ESRCH; never this process), calls
 * remove(full path).  Best effort: errors are ignored. */
void baiot_temp_remove_stale(const char *dir, const char *base, void (*remove)(const char *path));

#endif
