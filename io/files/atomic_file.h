/*
 * atomic_file.h - files that appear complete or not at all.
 *
 * Output goes to a temporary name in the destination's folder
 * ("<dir>/.<name>.tmp-<pid>-<n>"); commit flushes, fsyncs and renames it over
 * the destination, abort removes it.  A crash leaves at most a stray
 * temporary file, never a half-written destination.
 * Covered by tests/cli/test_kill.py, tests/cli/test_signals.py and
 * tests/cli/test_ingest_errors.py.
 */
#ifndef BAIOT_IO_ATOMIC_FILE_H
#define BAIOT_IO_ATOMIC_FILE_H

#include "baiot/baiot.h"

#include <stdio.h>

typedef struct atomic_file {
    char *final_path;
    char *tmp_path;
    FILE *fp;          /* NULL for baiot_atomic_file_reserve (caller writes tmp_path itself) */
} atomic_file;

/* Creates the temporary file and opens it for writing ("wb"). */
baiot_status baiot_atomic_file_open(const char *path, atomic_file *af);
/* Only chooses the temporary name (for writers such as HDF5 that create the
 * file themselves); commit/abort work the same. */
baiot_status baiot_atomic_file_reserve(const char *path, atomic_file *af);
/* Flushes, syncs, closes and renames into place. */
baiot_status baiot_atomic_file_commit(atomic_file *af);
/* Closes and removes the temporary file; safe after a failed open. */
void baiot_atomic_file_abort(atomic_file *af);

/* Removes every temporary file still open (from a signal handler: only
 * async-signal-safe calls).  The temporary names are kept in a fixed
 * process-wide table from open/reserve until commit/abort. */
void baiot_atomic_file_remove_all_temporaries(void);

#endif
