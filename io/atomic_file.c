/*
 * atomic_file.c - write to a temporary name, then rename (atomic_file.h).
 */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned long tmp_counter;

static baiot_status make_names(const char *path, atomic_file *af)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(path) + 64;
    memset(af, 0, sizeof *af);
    if (*base == '\0')
        return baiot_fail(BAIOT_ERR_ARG, "'%s' names a folder, not a file", path);
    af->final_path = baiot_strdup(path);
    af->tmp_path = baiot_malloc(n);
    if (!af->final_path || !af->tmp_path) {
        atomic_file_abort(af);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    unsigned long k = __atomic_add_fetch(&tmp_counter, 1, __ATOMIC_RELAXED);
    snprintf(af->tmp_path, n, "%.*s.%s.tmp-%ld-%lu", (int)dirlen, path, base, (long)getpid(), k);
    return BAIOT_OK;
}

baiot_status atomic_file_reserve(const char *path, atomic_file *af)
{
    return make_names(path, af);
}

baiot_status atomic_file_open(const char *path, atomic_file *af)
{
    baiot_status st = make_names(path, af);
    if (st)
        return st;
    af->fp = fopen(af->tmp_path, "wb");
    if (!af->fp) {
        int e = errno;
        atomic_file_abort(af);
        return baiot_fail(BAIOT_ERR_IO, "cannot create '%s': %s", path, strerror(e));
    }
    return BAIOT_OK;
}

baiot_status atomic_file_commit(atomic_file *af)
{
    baiot_status st = BAIOT_OK;
    if (af->fp) {
        int bad = fflush(af->fp) != 0 || ferror(af->fp) || fsync(fileno(af->fp)) != 0;
        int e = errno;
        bad |= fclose(af->fp) != 0;
        af->fp = NULL;
        if (bad) {
            st = baiot_fail(BAIOT_ERR_IO, "cannot write '%s': %s", af->final_path, strerror(e ? e : EIO));
            atomic_file_abort(af);
            return st;
        }
    } else {
        int fd = open(af->tmp_path, O_RDONLY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    if (rename(af->tmp_path, af->final_path) != 0) {
        st = baiot_fail(BAIOT_ERR_IO, "cannot rename '%s' to '%s': %s", af->tmp_path, af->final_path,
                        strerror(errno));
        atomic_file_abort(af);
        return st;
    }
    baiot_free(af->tmp_path);
    baiot_free(af->final_path);
    memset(af, 0, sizeof *af);
    return BAIOT_OK;
}

void atomic_file_abort(atomic_file *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp_path)
        unlink(af->tmp_path);
    baiot_free(af->tmp_path);
    baiot_free(af->final_path);
    memset(af, 0, sizeof *af);
}
