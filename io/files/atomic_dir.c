/*
 * atomic_dir.c - build a folder under a temporary name, then swap it in
 * whole (atomic_dir.h).
 *
 * Temporaries are "<parent>/.<name>.tmp-<pid>-<n>", the pattern of
 * atomic_file.c, so the next output to the same folder can tell a dead
 * process's leftovers (kill(pid, 0) says ESRCH) and remove them.  Report
 * folders are flat (files only) and a bulk output is a folder of report
 * folders, so removal goes two levels deep and no further.
 * The signal path removes the folders in flight with open, getdents64,
 * unlinkat and rmdir only.  Not for concurrent writers of one folder:
 * the last commit wins, each one whole.  Covered by
 * tests/cli/test_report_dir.py, tests/cli/test_signals.py,
 * tests/cli/test_kill.py and (trees) tests/cli/test_soak.py.
 */
#define _GNU_SOURCE /* renameat2 */
#include "io/files/atomic_dir.h"
#include "io/files/make_dir.h"
#include "io/files/temp_names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long dir_counter;

static baiot_temp_table live; /* folders in flight, for the signal handler */

/* Removes dirfd/name: its files, its subfolders of files when depth > 0
 * (a bulk folder: one report folder per device), then itself; system calls
 * only (a signal handler uses it).  What is deeper stays. */
static void remove_at(int dirfd, const char *name, int depth)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    char buf[4096];
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen); /* struct linux_dirent64: ino 8, off 8, reclen 2 */
            const char *entry = buf + off + 19;
            if (!(entry[0] == '.' && (entry[1] == '\0' || (entry[1] == '.' && entry[2] == '\0'))) &&
                unlinkat(fd, entry, 0) != 0 && errno == EISDIR && depth > 0)
                remove_at(fd, entry, depth - 1);
            off += reclen;
        }
    }
    close(fd);
    unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* Removes a temporary or replaced folder: files, and folders of files. */
static void remove_flat_raw(const char *path)
{
    remove_at(AT_FDCWD, path, 1);
}

void baiot_atomic_dir_remove_all_temporaries(void)
{
    baiot_temp_remove_all(&live, remove_flat_raw);
}

/* Splits path into parent ("." when none) and base; 0, or -1 when too long. */
static int split(const char *path, char *parent, size_t cap, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    size_t n = slash ? (size_t)(slash - path) : 1;
    if (slash && n == 0)
        n = 1; /* "/name" */
    if (n >= cap)
        return -1;
    if (slash)
        memcpy(parent, path, n);
    else
        parent[0] = '.';
    parent[n] = '\0';
    return 0;
}

/* The first subfolder of dir (a name into buf), or 0 when it holds files only. */
static int first_subfolder(const char *dir, char *buf, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char full[8192];
        struct stat sb;
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        if (lstat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            snprintf(buf, cap, "%s", e->d_name);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

/* A dead process's leftover temporary: a file, or a folder of files and
 * report folders (ours by its name). */
static void remove_leftover(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode))
        remove_flat_raw(path);
    else
        unlink(path);
}

static void remove_stale(const char *parent, const char *base)
{
    baiot_temp_remove_stale(parent, base, remove_leftover);
}

static baiot_status open_as(const char *path, const char *marker, atomic_dir *ad);

baiot_status baiot_atomic_dir_open(const char *path, atomic_dir *ad)
{
    return open_as(path, NULL, ad);
}

baiot_status baiot_atomic_dir_open_tree(const char *path, const char *marker, atomic_dir *ad)
{
    return open_as(path, marker, ad);
}

/* 1 when dir holds nothing, or holds the regular file marker. */
static int empty_or_marked(const char *dir, const char *marker)
{
    char full[8192];
    struct stat sb;
    snprintf(full, sizeof full, "%s/%s", dir, marker);
    if (lstat(full, &sb) == 0 && S_ISREG(sb.st_mode))
        return 1;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)) != NULL)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

static baiot_status open_as(const char *path, const char *marker, atomic_dir *ad)
{
    char parent[4096], sub[256];
    const char *base;
    struct stat sb;
    memset(ad, 0, sizeof *ad);
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (!(ad->final_path = baiot_malloc(len + 1)))
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    memcpy(ad->final_path, path, len);
    ad->final_path[len] = '\0';
    if (split(ad->final_path, parent, sizeof parent, &base) != 0) {
        baiot_atomic_dir_abort(ad);
        return baiot_fail(BAIOT_ERR_ARG, "output folder name too long: %s", path);
    }
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
        baiot_atomic_dir_abort(ad);
        return baiot_fail(BAIOT_ERR_ARG, "'%s': give the report folder by its name (not '.', '..' or '/'): the "
                                         "folder is replaced whole",
                          path);
    }
    if (lstat(ad->final_path, &sb) == 0) {
        const char *why = S_ISLNK(sb.st_mode) ? "(the report folder) is a symbolic link (give the folder it points to)"
                          : !S_ISDIR(sb.st_mode) ? "(the report folder) exists and is not a folder"
                                                 : NULL;
        char why_buf[600];
        if (!why && marker && !empty_or_marked(ad->final_path, marker)) {
            snprintf(why_buf, sizeof why_buf, "is a folder without %s: not an earlier output of this command, so "
                     "it is not replaced (choose another folder)", marker);
            why = why_buf;
        } else if (!why && !marker && first_subfolder(ad->final_path, sub, sizeof sub)) {
            snprintf(why_buf, sizeof why_buf, "holds the folder '%s', which is not part of a report: choose "
                     "another folder (a report folder is replaced whole)", sub);
            why = why_buf;
        }
        if (why) {
            baiot_status st = baiot_fail(BAIOT_ERR_ARG, "'%s' %s", ad->final_path, why);
            baiot_atomic_dir_abort(ad);
            return st;
        }
    }
    baiot_status st = strcmp(parent, ".") && strcmp(parent, "/") ? baiot_make_dir(parent) : BAIOT_OK;
    if (st) {
        baiot_atomic_dir_abort(ad);
        return st;
    }
    remove_stale(parent, base);
    size_t n = strlen(ad->final_path) + 64;
    if (!(ad->tmp_path = baiot_malloc(n))) {
        baiot_atomic_dir_abort(ad);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    unsigned long k = __atomic_add_fetch(&dir_counter, 1, __ATOMIC_RELAXED);
    snprintf(ad->tmp_path, n, "%.*s.%s.tmp-%ld-%lu", (int)(base - ad->final_path), ad->final_path, base,
             (long)getpid(), k);
    if (mkdir(ad->tmp_path, 0777) != 0) {
        int e = errno;
        baiot_free(ad->tmp_path);
        ad->tmp_path = NULL;
        baiot_atomic_dir_abort(ad);
        return baiot_fail(BAIOT_ERR_IO, "cannot create the report folder's temporary '%s': %s", path, strerror(e));
    }
    ad->tree = marker != NULL;
    baiot_temp_track(&live, ad->tmp_path);
    return BAIOT_OK;
}

static void sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Hard-links into ad->tmp_path the files of the old folder that owned()
 * does not claim and the new folder does not hold. */
static baiot_status carry_over(const atomic_dir *ad, int (*owned)(const char *name))
{
    DIR *d = opendir(ad->final_path);
    if (!d)
        return BAIOT_OK;
    struct dirent *e;
    baiot_status st = BAIOT_OK;
    while (!st && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (owned && owned(e->d_name)))
            continue;
        char from[8192], to[8192];
        struct stat sb;
        snprintf(from, sizeof from, "%s/%s", ad->final_path, e->d_name);
        snprintf(to, sizeof to, "%s/%s", ad->tmp_path, e->d_name);
        if (lstat(from, &sb) != 0)
            continue; /* gone meanwhile */
        if (S_ISDIR(sb.st_mode))
            st = baiot_fail(BAIOT_ERR_ARG, "'%s' holds the folder '%s', which is not part of a report: choose "
                                           "another folder (a report folder is replaced whole)",
                            ad->final_path, e->d_name);
        else if (linkat(AT_FDCWD, from, AT_FDCWD, to, 0) != 0 && errno != EEXIST)
            st = baiot_fail(BAIOT_ERR_IO, "cannot keep '%s' in the new report folder: %s", from, strerror(errno));
    }
    closedir(d);
    return st;
}

baiot_status baiot_atomic_dir_commit(atomic_dir *ad, int (*owned)(const char *name))
{
    struct stat sb;
    baiot_status st = BAIOT_OK;
    char parent[4096];
    const char *base;
    if (!ad->tree && (st = carry_over(ad, owned))) {
        baiot_atomic_dir_abort(ad);
        return st;
    }
    sync_dir(ad->tmp_path);
    int done = 0;
    if (lstat(ad->final_path, &sb) != 0) { /* a new folder */
        if (renameat2(AT_FDCWD, ad->tmp_path, AT_FDCWD, ad->final_path, RENAME_NOREPLACE) == 0)
            done = 1;
        else if ((errno == EINVAL || errno == ENOSYS) && rename(ad->tmp_path, ad->final_path) == 0)
            done = 1; /* no RENAME_NOREPLACE on this file system */
        else if (errno != EEXIST && errno != ENOTEMPTY)
            st = baiot_fail(BAIOT_ERR_IO, "cannot rename '%s' to '%s': %s", ad->tmp_path, ad->final_path,
                            strerror(errno));
    }
    if (!done && !st) { /* replace the existing folder */
        if (renameat2(AT_FDCWD, ad->tmp_path, AT_FDCWD, ad->final_path, RENAME_EXCHANGE) == 0) {
            remove_flat_raw(ad->tmp_path); /* now the old folder */
        } else if (errno == EINVAL || errno == ENOSYS) {
            /* no atomic exchange: the old folder aside, the new one in, the old one removed */
            size_t n = strlen(ad->tmp_path) + 8;
            char *aside = baiot_malloc(n);
            if (!aside) {
                st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            } else {
                snprintf(aside, n, "%s-old", ad->tmp_path);
                if (rename(ad->final_path, aside) != 0 || rename(ad->tmp_path, ad->final_path) != 0)
                    st = baiot_fail(BAIOT_ERR_IO, "cannot replace the report folder '%s': %s", ad->final_path,
                                    strerror(errno));
                else
                    remove_flat_raw(aside);
                baiot_free(aside);
            }
        } else {
            st = baiot_fail(BAIOT_ERR_IO, "cannot replace the report folder '%s': %s", ad->final_path,
                            strerror(errno));
        }
    }
    if (st) {
        baiot_atomic_dir_abort(ad);
        return st;
    }
    if (split(ad->final_path, parent, sizeof parent, &base) == 0)
        sync_dir(parent);
    baiot_temp_untrack(&live, ad->tmp_path);
    baiot_free(ad->tmp_path);
    baiot_free(ad->final_path);
    memset(ad, 0, sizeof *ad);
    return BAIOT_OK;
}

void baiot_atomic_dir_abort(atomic_dir *ad)
{
    if (ad->tmp_path) {
        remove_flat_raw(ad->tmp_path);
        baiot_temp_untrack(&live, ad->tmp_path);
    }
    baiot_free(ad->tmp_path);
    baiot_free(ad->final_path);
    memset(ad, 0, sizeof *ad);
}
