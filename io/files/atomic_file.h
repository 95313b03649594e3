/*
 * atomic_file.h - files that appear complete or not at all.
 *
 * Output goes to a temporary name in the destination's folder
 * ("<dir>/.<name>.tmp-<pid>-<n>"); commit flushes, fsyncs and renames it over
 * the destination, abort removes it.  A crash leaves at most a stray
 * temporary file, never a half-written destination, and the next output to
 * the same path removes the temporaries of dead processes.  Every output
 * follows io/files/output_policy.h: checked before the temporary is made,
 * and renamed without replacing a file that appeared meanwhile unless
 * replacing is allowed.  Covered by tests/unit/test_output_policy.c,
 * tests/cli/test_outputs.py and tests/cli/test_kill.py.
 */
#ifndef BAIOT_IO_ATOMIC_FILE_H
#define BAIOT_IO_ATOMIC_FILE_H

#include "baiot/baiot.h"
#include "io/files/output_policy.h"

#include <stdio.h>

typedef struct atomic_file {
    char *final_path;
    char *tmp_path;
    FILE *fp;          /* NULL for baiot_atomic_file_reserve (caller writes tmp_path itself) */
    baiot_replace how; /* may an existing file at final_path be replaced */
    int to_stdout;     /* the path "-": fp is stdout, nothing temporary */
} atomic_file;

/* Checks the output policy, then creates the temporary file and opens it
 * for writing ("wb").  The path "-" is the standard output (docs/CLI.md):
 * fp is stdout, commit flushes it and reports a write error, abort leaves
 * it open; reserve refuses "-" (a store needs a file). */
baiot_status baiot_atomic_file_open(const char *path, atomic_file *af);
/* The same with an explicit replace rule: BAIOT_REPLACE_OWNED for a file
 * of a folder the command owns, or a store the command updates in place. */
baiot_status baiot_atomic_file_open_as(const char *path, baiot_replace how, atomic_file *af);
/* Only chooses the temporary name (for writers such as HDF5 that create the
 * file themselves), after the same check; commit/abort work the same. */
baiot_status baiot_atomic_file_reserve(const char *path, atomic_file *af);
baiot_status baiot_atomic_file_reserve_as(const char *path, baiot_replace how, atomic_file *af);
/* Flushes, syncs, closes and renames into place. */
baiot_status baiot_atomic_file_commit(atomic_file *af);
/* Closes and removes the temporary file; safe after a failed open. */
void baiot_atomic_file_abort(atomic_file *af);

/* Removes every temporary file still open (from a signal handler: only
 * async-signal-safe calls).  The temporary names are kept in a fixed
 * process-wide table from open/reserve until commit/abort. */
void baiot_atomic_file_remove_all_temporaries(void);

#endif
