/*
 * ingest.c - the ingest pipeline: sources -> parsed blocks -> store.
 *
 * Order of work: every source is found and labelled first (baiot_source_scan),
 * so a bad name fails before any row is parsed; then each source streams
 * through the parallel parser into a store file at a temporary name.  Only
 * when every source succeeded is that file renamed over the destination.
 * With append the temporary file starts as a byte copy of the existing
 * store, so a failed append leaves the original exactly as it was.
 * Covered by tests/unit/test_ingest_view.c, tests/cli/test_ingest_errors.py
 * and tests/cli/test_signals.py (interrupted --append).
 */
#include "baiot/store.h"
#include "io/files/output_policy.h"
#include "io/files/atomic_file.h"
#include "io/files/file_lock.h"
#include "io/sources/nbaiot_reader.h"
#include "io/store/store_write.h"

#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include "baiot/progress.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_AUTO_CHUNK_ROWS 65536
#define MIN_AUTO_CHUNK_ROWS 1024
#define BYTES_PER_ROW_GUESS 600 /* N-BaIoT rows are 400-1300 bytes */
#define DEFAULT_BLOCK_BYTES ((size_t)8 << 20)

baiot_ingest_params baiot_ingest_params_default(void)
{
    baiot_ingest_params p;
    memset(&p, 0, sizeof p);
    p.device = -1;
    p.family = -1;
    p.compress = 0;
    p.chunk_rows = 0; /* automatic: see auto_chunk_rows */
    p.block_bytes = DEFAULT_BLOCK_BYTES;
    return p;
}

static baiot_status copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), out = -1;
    baiot_status st = BAIOT_OK;
    char *buf = NULL;
    struct stat sb;
    if (in < 0)
        return baiot_fail(BAIOT_ERR_IO, "cannot open '%s': %s", from, strerror(errno));
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out >= 0 && fstat(in, &sb) == 0)
        fchmod(out, sb.st_mode & 07777); /* the copy keeps the store's permissions */
    buf = baiot_malloc(1 << 20);
    if (out < 0 || !buf) {
        st = out < 0 ? baiot_fail(BAIOT_ERR_IO, "cannot create '%s': %s", to, strerror(errno))
                     : baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    for (;;) {
        ssize_t n = read(in, buf, 1 << 20);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = baiot_fail(BAIOT_ERR_IO, "cannot read '%s': %s", from, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                st = baiot_fail(BAIOT_ERR_IO, "cannot write '%s': %s", to, strerror(errno));
                goto done;
            }
            off += w;
        }
    }
done:
    baiot_free(buf);
    if (out >= 0 && close(out) != 0 && !st)
        st = baiot_fail(BAIOT_ERR_IO, "cannot write '%s': %s", to, strerror(errno));
    close(in);
    return st;
}

typedef struct sink_state {
    store_writer *w;
    const source_labels *labels;
} sink_state;

static baiot_status append_block(void *user, const csv_block *blk)
{
    sink_state *s = user;
    baiot_status st = baiot_store_writer_append(s->w, blk->values, blk->cap, blk->rows, (uint8_t)s->labels->device,
                                          (uint8_t)s->labels->family, (uint8_t)s->labels->attack);
    baiot_progress("ingest", "rows", baiot_store_writer_rows(s->w), 0);
    return st;
}

/* Chunk length for a new store when none is asked for: 65536 rows (see
 * docs/STORE.md), or less for small inputs, so a small store is not padded
 * to 118 chunks of 65536 rows. */
static int64_t auto_chunk_rows(const source_list *list)
{
    double bytes = 0;
    for (int i = 0; i < list->n; i++) {
        if (list->items[i].size < 0)
            return MAX_AUTO_CHUNK_ROWS;
        bytes += (double)list->items[i].size;
    }
    int64_t rows = (int64_t)(bytes / BYTES_PER_ROW_GUESS) + 1, c = MIN_AUTO_CHUNK_ROWS;
    while (c < rows && c < MAX_AUTO_CHUNK_ROWS)
        c *= 2;
    return c;
}

/* Checks that the store's folder exists, for a clear message up front. */
static baiot_status check_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    char folder[4096];
    struct stat sb;
    if (!slash)
        return BAIOT_OK;
    snprintf(folder, sizeof folder, "%.*s", (int)(slash - path), path);
    if (!*folder)
        return BAIOT_OK;
    if (stat(folder, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return baiot_fail(BAIOT_ERR_IO, "cannot write '%s': the folder '%s' does not exist", path, folder);
    if (access(folder, W_OK) != 0)
        return baiot_fail(BAIOT_ERR_IO, "cannot write '%s': the folder '%s' is not writable", path, folder);
    return BAIOT_OK;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

baiot_status baiot_ingest(const char *store_path, const char *const *sources, int n_sources,
                          const baiot_ingest_params *params, baiot_ingest_result *out)
{
    baiot_ingest_params defaults = baiot_ingest_params_default();
    source_list list = {0};
    atomic_file af = {0};
    baiot_file_lock lock = {.fd = -1};
    store_writer *w = NULL;
    nbaiot_reader *reader = NULL;
    baiot_status st;
    struct stat sb;
    int64_t total_rows = 0;
    double total_bytes = 0;

    if (!params)
        params = &defaults;
    if (out)
        memset(out, 0, sizeof *out);
    if (n_sources <= 0)
        return baiot_fail(BAIOT_ERR_ARG, "no source given");
    if (params->chunk_rows < 0 || params->chunk_rows > (1 << 24))
        return baiot_fail(BAIOT_ERR_ARG, "chunk rows must be 1..16777216 (or 0: automatic), not %lld",
                          (long long)params->chunk_rows);
    if (params->compress < 0 || params->compress > 9)
        return baiot_fail(BAIOT_ERR_ARG, "compression level must be 0..9, not %d", params->compress);
    if (params->block_bytes < 4096)
        return baiot_fail(BAIOT_ERR_ARG, "block size must be at least 4096 bytes");
    int exists = stat(store_path, &sb) == 0;
    if (params->append && !exists)
        return baiot_fail(BAIOT_ERR_ARG, "cannot append: there is no store at '%s'", store_path);
    if ((st = check_folder(store_path)))
        return st;

    /* One writer at a time: a second ingest to the same store fails here,
     * naming the first, before anything is read or written. */
    if ((st = baiot_file_lock_take(store_path, &lock)))
        return st;
    if ((st = baiot_source_scan(sources, n_sources, params, &list)))
        goto fail;
    for (int i = 0; i < list.n; i++)
        baiot_output_note_input(list.items[i].path); /* `ingest x.csv -o x.csv` must not eat x.csv */
    for (int i = 0; i < list.n; i++)
        for (int k = 0; k < i; k++)
            if (strcmp(list.items[i].display, list.items[k].display) == 0) {
                st = baiot_fail(BAIOT_ERR_ARG, "'%s' is given twice", list.items[i].display);
                goto fail;
            }
    /* --append updates the store in place (copy, append, rename over it). */
    if ((st = baiot_atomic_file_reserve_as(store_path, params->append ? BAIOT_REPLACE_OWNED : BAIOT_REPLACE_POLICY, &af)))
        goto fail;
    if (params->append) {
        if ((st = copy_file(store_path, af.tmp_path)))
            goto fail;
        st = baiot_store_writer_open(af.tmp_path, &w);
        if (st) {
            baiot_fail_context(st, "cannot append to '%s': ", store_path);
            goto fail;
        }
    } else {
        baiot_ingest_params create = *params;
        if (create.chunk_rows == 0)
            create.chunk_rows = auto_chunk_rows(&list);
        if ((st = baiot_store_writer_create(af.tmp_path, &create, &w)))
            goto fail;
    }

    if ((st = baiot_nbaiot_reader_new(params->block_bytes, &reader))) /* one for all sources */
        goto fail;
    for (int i = 0; i < list.n; i++) {
        const source_ref *src = &list.items[i];
        sink_state sink = {w, &src->labels};
        nbaiot_read_result rr;
        baiot_source_info info;
        double t0 = now_seconds();
        memset(&info, 0, sizeof info);
        info.first_row = baiot_store_writer_rows(w);
        if ((st = baiot_nbaiot_reader_read(reader, src, append_block, &sink, &rr)))
            goto fail;
        const baiot_source_info *dup = baiot_store_writer_find_sha(w, rr.sha256);
        if (dup) {
            st = baiot_fail(BAIOT_ERR_ARG, "%s is already in the store as '%s' (same SHA-256 %.16s...); nothing "
                                           "was changed",
                            src->display, dup->name, rr.sha256);
            goto fail;
        }
        if (strlen(src->display) >= BAIOT_SOURCE_NAME_MAX) {
            st = baiot_fail(BAIOT_ERR_ARG, "source name longer than %d characters: %s", BAIOT_SOURCE_NAME_MAX - 1,
                            src->display);
            goto fail;
        }
        snprintf(info.name, sizeof info.name, "%s", src->display);
        info.device = (uint8_t)src->labels.device;
        info.family = (uint8_t)src->labels.family;
        info.attack = (uint8_t)src->labels.attack;
        info.rows = rr.rows;
        memcpy(info.sha256, rr.sha256, sizeof info.sha256);
        if ((st = baiot_store_writer_add_source(w, &info)))
            goto fail;
        double dt = now_seconds() - t0;
        baiot_log(BAIOT_LOG_INFO, "%s: %lld rows, %.1f MB in %.2f s (%.0f MB/s)", src->display, (long long)rr.rows,
                  (double)rr.bytes / 1e6, dt, dt > 0 ? (double)rr.bytes / 1e6 / dt : 0.0);
        total_rows += rr.rows;
        total_bytes += (double)rr.bytes;
    }
    baiot_nbaiot_reader_free(reader);
    reader = NULL;
    st = baiot_store_writer_close(w);
    w = NULL;
    if (st)
        goto fail;
    if ((st = baiot_atomic_file_commit(&af)))
        goto fail;
    if (out) {
        out->n_sources = list.n;
        out->rows = total_rows;
        out->csv_bytes = total_bytes;
    }
    baiot_source_list_free(&list);
    baiot_file_lock_release(&lock);
    return BAIOT_OK;
fail:
    baiot_nbaiot_reader_free(reader);
    baiot_store_writer_discard(w);
    baiot_atomic_file_abort(&af);
    baiot_source_list_free(&list);
    baiot_file_lock_release(&lock);
    return st;
}
