/*
 * file_lock.c - the writer's lock of file_lock.h: a POSIX record lock on
 * "<dir>/.<name>.lock", taken without waiting; F_GETLK names the holder.
 * The holder removes the file before it lets go; a taker that locked a
 * file removed meanwhile (its inode no longer at the path) tries again.
 * Covered by tests/cli/test_outputs.py.
 */
#include "io/files/file_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

baiot_status baiot_file_lock_take(const char *path, baiot_file_lock *lk)
{
    char lock_path[4200];
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    lk->fd = -1;
    if (snprintf(lock_path, sizeof lock_path, "%.*s.%s.lock", dirlen, path, slash ? slash + 1 : path) >=
        (int)sizeof lock_path)
        return baiot_fail(BAIOT_ERR_ARG, "path too long: %s", path);
    int fd;
    for (;;) {
        fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return baiot_fail(BAIOT_ERR_IO, "cannot lock '%s' (%s): %s", path, lock_path, strerror(errno));
        struct flock fl;
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        if (fcntl(fd, F_SETLK, &fl) != 0)
            break;
        /* Locked; but the holder before us may have removed the file
         * between our open and our lock: then retry on the new one. */
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(lock_path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            lk->fd = fd;
            snprintf(lk->path, sizeof lk->path, "%s", lock_path);
            return BAIOT_OK;
        }
        close(fd);
    }
    int e = errno;
    long holder = 0;
    if (e == EACCES || e == EAGAIN) {
        struct flock q;
        memset(&q, 0, sizeof q);
        q.l_type = F_WRLCK;
        q.l_whence = SEEK_SET;
        if (fcntl(fd, F_GETLK, &q) == 0 && q.l_type != F_UNLCK)
            holder = (long)q.l_pid;
        close(fd);
        if (holder > 0)
            return baiot_fail(BAIOT_ERR_IO, "'%s' is being written by process %ld: nothing was changed; run again "
                                            "when it has finished",
                              path, holder);
        return baiot_fail(BAIOT_ERR_IO, "'%s' is being written by another process: nothing was changed", path);
    }
    close(fd);
    return baiot_fail(BAIOT_ERR_IO, "cannot lock '%s': %s", path, strerror(e));
}

void baiot_file_lock_release(baiot_file_lock *lk)
{
    if (lk->fd >= 0) {
        unlink(lk->path); /* while still locked: a waiter re-checks the inode */
        close(lk->fd);
    }
    lk->fd = -1;
}
