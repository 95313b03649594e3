/*
 * output_policy.h - the one rule for every output baiot writes: an output
 * never replaces an input of the same run (same device and inode, whatever
 * the names), never replaces something that is not a regular file (a
 * device node, a FIFO, a folder), and replaces an existing file only when
 * the run allows it (--force, or a file inside a report folder the command
 * owns).  A new output that appears while it is being written is not
 * clobbered either: the final rename refuses to replace it
 * (io/files/atomic_file.c).
 *
 * The policy is process-wide, like the log sink: the front end sets
 * --force once, and every reader notes its inputs as it opens them.
 * Thread-safe (a mutex around the table of inputs).  Covered by
 * tests/unit/test_output_policy.c and tests/cli/test_outputs.py.
 */
#ifndef BAIOT_IO_FILES_OUTPUT_POLICY_H
#define BAIOT_IO_FILES_OUTPUT_POLICY_H

#include "baiot/baiot.h"

/* How an output may treat a file already at its path. */
typedef enum baiot_replace {
    BAIOT_REPLACE_POLICY = 0, /* as the process-wide policy says (--force) */
    BAIOT_REPLACE_OWNED = 1   /* a file of a folder the command owns: may be replaced */
} baiot_replace;

/* Records that path is read by this run (its device and inode; a path that
 * does not exist or is not a regular file is ignored).  Never fails: a
 * full table only means a later check compares fewer inputs. */
void baiot_output_note_input(const char *path);

/* Forgets every noted input (tests; a long-lived front end between runs). */
void baiot_output_forget_inputs(void);

/* Checks that path may be written now: BAIOT_ERR_ARG naming the path and
 * the reason when it is not a regular file, is an input of this run (not
 * checked for BAIOT_REPLACE_OWNED: an in-place update such as ingest
 * --append reads the file it replaces), or exists while replacing is not
 * allowed. */
baiot_status baiot_output_check(const char *path, baiot_replace how);

/* 1 when an existing file at path may be replaced (how, --force). */
int baiot_output_may_replace(baiot_replace how);

#endif
