/*
 * atomic_file.c - write to a temporary name, then rename (atomic_file.h).
 * Covered by tests/cli/test_kill.py, tests/cli/test_signals.py and
 * tests/cli/test_ingest_errors.py.
 */
#include "io/files/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned long tmp_counter;

/* Temporary names in flight, for baiot_atomic_file_remove_all_temporaries().
 * Slots are claimed and released with atomic exchanges; a full table only
 * means a temporary file may survive an interrupted run. */
#define MAX_LIVE_TEMPORARIES 256
static char *live[MAX_LIVE_TEMPORARIES];

static void track(char *path)
{
    for (int i = 0; i < MAX_LIVE_TEMPORARIES; i++) {
        char *expected = NULL;
        if (__atomic_compare_exchange_n(&live[i], &expected, path, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
    }
}

static void untrack(const char *path)
{
    for (int i = 0; i < MAX_LIVE_TEMPORARIES; i++) {
        char *expected = (char *)path;
        if (__atomic_compare_exchange_n(&live[i], &expected, NULL, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
    }
}

void baiot_atomic_file_remove_all_temporaries(void)
{
    for (int i = 0; i < MAX_LIVE_TEMPORARIES; i++) {
        char *p = __atomic_load_n(&live[i], __ATOMIC_SEQ_CST);
        if (p)
            unlink(p);
    }
}

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
        baiot_atomic_file_abort(af);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    unsigned long k = __atomic_add_fetch(&tmp_counter, 1, __ATOMIC_RELAXED);
    snprintf(af->tmp_path, n, "%.*s.%s.tmp-%ld-%lu", (int)dirlen, path, base, (long)getpid(), k);
    track(af->tmp_path);
    return BAIOT_OK;
}

baiot_status baiot_atomic_file_reserve(const char *path, atomic_file *af)
{
    return make_names(path, af);
}

baiot_status baiot_atomic_file_open(const char *path, atomic_file *af)
{
    baiot_status st = make_names(path, af);
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

baiot_status baiot_atomic_file_commit(atomic_file *af)
{
    baiot_status st = BAIOT_OK;
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
    if (rename(af->tmp_path, af->final_path) != 0) {
        st = baiot_fail(BAIOT_ERR_IO, "cannot rename '%s' to '%s': %s", af->tmp_path, af->final_path,
                        strerror(errno));
        baiot_atomic_file_abort(af);
        return st;
    }
    untrack(af->tmp_path);
    baiot_free(af->tmp_path);
    baiot_free(af->final_path);
    memset(af, 0, sizeof *af);
    return BAIOT_OK;
}

void baiot_atomic_file_abort(atomic_file *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp_path) {
        unlink(af->tmp_path);
        untrack(af->tmp_path);
    }
    baiot_free(af->tmp_path);
    baiot_free(af->final_path);
    memset(af, 0, sizeof *af);
}
