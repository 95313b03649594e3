/*
 * atomic_dir.h - folders that appear complete or not at all (a report
 * folder).
 *
 * The folder is built under a hidden temporary name beside it
 * ("<parent>/.<name>.tmp-<pid>-<n>/"); commit swaps it with the existing
 * folder in one step (renameat2 RENAME_EXCHANGE; where the file system
 * lacks it: old aside, new in) and removes the old one, abort removes the
 * temporary.  The folder is the command's: on commit, the files of the old
 * folder that the caller does not own (a predicate on names: e.g. the
 * demo's simulated store beside its report) are carried into the new one
 * by hard link first, so nothing else is lost; a folder holding a
 * subfolder, a non-folder or a symbolic link at the path are refused
 * before anything is written.  A crash leaves the old folder or the new
 * one and at most a hidden temporary, which the next output to the same
 * path removes once its process is gone.  Covered by
 * tests/cli/test_report_dir.py, tests/cli/test_signals.py and
 * tests/cli/test_kill.py.
 */
#ifndef BAIOT_IO_ATOMIC_DIR_H
#define BAIOT_IO_ATOMIC_DIR_H

#include "baiot/baiot.h"

typedef struct atomic_dir {
    char *final_path; /* the folder as given, without trailing '/' */
    char *tmp_path;   /* the folder to write into until commit */
    int tree;         /* replaces a whole earlier output, subfolders included */
} atomic_dir;

/* Checks the destination (absent, or a folder of files only), creates
 * its parent folders, removes dead processes' temporaries of the same
 * destination and creates the empty temporary folder. */
baiot_status baiot_atomic_dir_open(const char *path, atomic_dir *ad);
/* The same for an output that is a tree of folders (bulk: a report folder
 * per device and a summary): an existing folder is replaced whole when it is
 * empty or holds the regular file marker (an earlier output of the same
 * command), and refused otherwise; nothing is carried over; the old tree
 * (files and folders of files) is removed after the swap. */
baiot_status baiot_atomic_dir_open_tree(const char *path, const char *marker, atomic_dir *ad);
/* Carries the old folder's files that owned(name) does not claim into the
 * temporary one (hard links), syncs, swaps it into place and removes the
 * old folder.  owned may be NULL (nothing is carried). */
baiot_status baiot_atomic_dir_commit(atomic_dir *ad, int (*owned)(const char *name));
/* Removes the temporary folder and its files; safe after a failed open. */
void baiot_atomic_dir_abort(atomic_dir *ad);

/* Removes the temporary folders still being built (from a signal handler:
 * async-signal-safe system calls only). */
void baiot_atomic_dir_remove_all_temporaries(void);

#endif
