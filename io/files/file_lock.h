/*
 * file_lock.h - one writer at a time for a file that is updated by
 * copy-and-rename (a store under `ingest --append`, or created anew).
 *
 * The lock is an fcntl write lock on a companion file "<dir>/.<name>.lock"
 * (the store itself is replaced by rename while the lock is held, so it
 * cannot carry the lock).  A second writer fails at once, with a message
 * naming the process that holds the lock; it never waits and never loses
 * the first writer's rows.  The lock goes with the process (a SIGKILLed
 * writer holds nothing, and its empty lock file is reused).  The holder
 * removes the lock file before releasing; a writer that locked a removed
 * file notices (inode check) and tries again.  Covered by
 * tests/cli/test_outputs.py (two appends at once, both orders).
 */
#ifndef BAIOT_IO_FILES_FILE_LOCK_H
#define BAIOT_IO_FILES_FILE_LOCK_H

#include "baiot/baiot.h"

typedef struct baiot_file_lock {
    int fd;          /* -1: not held */
    char path[4200]; /* the lock file */
} baiot_file_lock;

/* Takes the write lock for path, or fails (BAIOT_ERR_IO) naming the holder. */
baiot_status baiot_file_lock_take(const char *path, baiot_file_lock *lk);
/* Releases it; a lock not held is a no-op. */
void baiot_file_lock_release(baiot_file_lock *lk);

#endif
