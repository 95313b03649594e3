/*
 * atomic_file.c - write to a temporary name, then rename (atomic_file.h).
 *
 * Temporaries are named "<dir>/.<name>.tmp-<pid>-<n>", so the next output
 * to the same path can tell a dead process's leftovers (kill(pid, 0) says
 * ESRCH) and remove them.  Without permission to replace, the final rename
 * is renameat2(RENAME_NOREPLACE) (link + unlink where the file system
 * lacks it), so two runs creating the same new file cannot both win.
 * Covered by tests/unit/test_output_policy.c, tests/cli/test_outputs.py and
 * tests/cli/test_kill.py.
 */
#define _GNU_SOURCE /* renameat2 */
#include "io/files/atomic_file.h"
#include "io/files/temp_names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long tmp_counter;

/* Temporary names in flight, for baiot_atomic_file_remove_all_temporaries(). */
static baiot_temp_table live;

static void unlink_path(const char *path)
{
    unlink(path);
}

void baiot_atomic_file_remove_all_temporaries(void)
{
    baiot_temp_remove_all(&live, unlink_path);
}

/* Removes "<dir>/.<base>.tmp-<pid>-<n>" files of processes that no longer
 * exist (a SIGKILLed run's leftovers).  Best effort: errors are ignored. */
static void remove_stale_temporaries(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char dir[4096];
    if (slash) {
        size_t n = (size_t)(slash - path);
        if (n == 0)
            n = 1; /* "/name" */
        if (n >= sizeof dir)
            return;
        memcpy(dir, path, n);
        dir[n] = '\0';
    } else {
        strcpy(dir, ".");
    }
    baiot_temp_remove_stale(dir, base, unlink_path);
}

static baiot_status make_names(const char *path, baiot_replace how, atomic_file *af)
{
    if (!strcmp(path, "-")) {
        memset(af, 0, sizeof *af);
        return baiot_fail(BAIOT_ERR_ARG, "this output cannot go to the standard output ('-'): give a file name");
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(path) + 64;
    memset(af, 0, sizeof *af);
    if (*base == '\0')
        return baiot_fail(BAIOT_ERR_ARG, "'%s' names a folder, not a file", path);
    baiot_status st = baiot_output_check(path, how);
    if (st)
        return st;
    remove_stale_temporaries(path);
    af->how = how;
    af->final_path = baiot_strdup(path);
    af->tmp_path = baiot_malloc(n);
    if (!af->final_path || !af->tmp_path) {
        baiot_atomic_file_abort(af);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    unsigned long k = __atomic_add_fetch(&tmp_counter, 1, __ATOMIC_RELAXED);
    snprintf(af->tmp_path, n, "%.*s.%s.tmp-%ld-%lu", (int)dirlen, path, base, (long)getpid(), k);
    baiot_temp_track(&live, af->tmp_path);
    return BAIOT_OK;
}

baiot_status baiot_atomic_file_reserve(const char *path, atomic_file *af)
{
    return make_names(path, BAIOT_REPLACE_POLICY, af);
}

baiot_status baiot_atomic_file_reserve_as(const char *path, baiot_replace how, atomic_file *af)
{
    return make_names(path, how, af);
}

static baiot_status open_as(const char *path, baiot_replace how, atomic_file *af)
{
    if (!strcmp(path, "-")) {
        memset(af, 0, sizeof *af);
        af->to_stdout = 1;
        af->fp = stdout;
        return BAIOT_OK;
    }
    baiot_status st = make_names(path, how, af);
    if (st)
        return st;
    af->fp = fopen(af->tmp_path, "wb");
    if (!af->fp) {
        int e = errno;
        baiot_atomic_file_abort(af);
        return baiot_fail(BAIOT_ERR_IO, "cannot create '%s': %s", path, strerror(e));
    }
    return BAIOT_OK;
}

baiot_status baiot_atomic_file_open(const char *path, atomic_file *af)
{
    return open_as(path, BAIOT_REPLACE_POLICY, af);
}

baiot_status baiot_atomic_file_open_as(const char *path, baiot_replace how, atomic_file *af)
{
    return open_as(path, how, af);
}

/* Renames tmp to final without replacing an existing final: 0, or -1 with
 * errno (EEXIST when final exists). */
static int rename_noreplace(const char *tmp, const char *final)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (link(tmp, final) != 0)
        return -1;
    unlink(tmp);
    return 0;
}

baiot_status baiot_atomic_file_commit(atomic_file *af)
{
    baiot_status st = BAIOT_OK;
    if (af->to_stdout) {
        errno = 0;
        int bad = fflush(stdout) != 0 || ferror(stdout);
        int e = errno ? errno : EIO;
        memset(af, 0, sizeof *af);
        return bad ? baiot_fail(BAIOT_ERR_IO, "cannot write the standard output: %s", strerror(e)) : BAIOT_OK;
    }
    if (af->fp) {
        int bad = fflush(af->fp) != 0 || ferror(af->fp) || fsync(fileno(af->fp)) != 0;
        int e = errno;
        bad |= fclose(af->fp) != 0;
        af->fp = NULL;
        if (bad) {
            st = baiot_fail(BAIOT_ERR_IO, "cannot write '%s': %s", af->final_path, strerror(e ? e : EIO));
            baiot_atomic_file_abort(af);
            return st;
        }
    } else {
        int fd = open(af->tmp_path, O_RDONLY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    int may_replace = baiot_output_may_replace(af->how);
    if (may_replace && (st = baiot_output_check(af->final_path, af->how))) {
        baiot_atomic_file_abort(af); /* it became an input or a non-file meanwhile */
        return st;
    }
    if ((may_replace ? rename(af->tmp_path, af->final_path) : rename_noreplace(af->tmp_path, af->final_path)) != 0) {
        if (errno == EEXIST)
            st = baiot_fail(BAIOT_ERR_ARG, "'%s' appeared while it was being written: use --force to replace it",
                            af->final_path);
        else
            st = baiot_fail(BAIOT_ERR_IO, "cannot rename '%s' to '%s': %s", af->tmp_path, af->final_path,
                            strerror(errno));
        baiot_atomic_file_abort(af);
        return st;
    }
    baiot_temp_untrack(&live, af->tmp_path);
    baiot_free(af->tmp_path);
    baiot_free(af->final_path);
    memset(af, 0, sizeof *af);
    return BAIOT_OK;
}

void baiot_atomic_file_abort(atomic_file *af)
{
    if (af->to_stdout) {
        fflush(stdout);
        memset(af, 0, sizeof *af);
        return;
    }
    if (af->fp)
        fclose(af->fp);
    if (af->tmp_path) {
        unlink(af->tmp_path);
        baiot_temp_untrack(&live, af->tmp_path);
    }
    baiot_free(af->tmp_path);
    baiot_free(af->final_path);
    memset(af, 0, sizeof *af);
}
