/*
 * source_scan.c - discovering sources and streaming their bytes
 * (see source_scan.h).
 *
 * Archives are opened twice: once to list their CSV members (their data is
 * skipped, not decompressed), once per member to stream it.  libarchive
 * detects the format from the content; the extension only decides whether
 * a file is treated as an archive.
 * Covered by tests/cli/test_ingest_layouts.py and
 * tests/cli/test_ingest_errors.py.
 */
#include "io/sources/source_scan.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define ARCHIVE_READ_BLOCK 65536

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int is_archive_name(const char *name)
{
    static const char *const exts[] = {".zip", ".rar", ".7z", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2"};
    for (size_t k = 0; k < sizeof exts / sizeof *exts; k++)
        if (has_suffix(name, exts[k]))
            return 1;
    return 0;
}

static int is_uci_metadata(const char *base)
{
    return !strcmp(base, "demonstrate_structure.csv") || !strcmp(base, "features.csv") ||
           !strcmp(base, "device_info.csv");
}

static baiot_status add_source(source_list *list, const char *path, const char *member, int index, int64_t size,
                               const baiot_ingest_params *params)
{
    source_ref r;
    memset(&r, 0, sizeof r);
    baiot_status st = baiot_source_labels_infer(path, member, params, &r.labels);
    if (st)
        return st;
    if (list->n == list->cap) {
        int cap = list->cap ? 2 * list->cap : 16;
        source_ref *grown = baiot_realloc(list->items, (size_t)cap * sizeof *grown);
        if (!grown)
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        list->items = grown;
        list->cap = cap;
    }
    size_t n = strlen(path) + (member ? strlen(member) + 2 : 1);
    r.path = baiot_strdup(path);
    r.member = member ? baiot_strdup(member) : NULL;
    r.display = baiot_malloc(n);
    r.member_index = index;
    r.size = size;
    if (!r.path || (member && !r.member) || !r.display) {
        baiot_free(r.path);
        baiot_free(r.member);
        baiot_free(r.display);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    snprintf(r.display, n, "%s%s%s", path, member ? ":" : "", member ? member : "");
    list->items[list->n++] = r;
    return BAIOT_OK;
}

/* libarchive's last message without its trailing line end. */
static const char *archive_message(struct archive *a, const char *fallback_text)
{
    static _Thread_local char msg[512];
    const char *m = archive_error_string(a);
    if (!m)
        return fallback_text;
    snprintf(msg, sizeof msg, "%s", m);
    for (size_t n = strlen(msg); n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '); n--)
        msg[n - 1] = '\0';
    return msg;
}

static struct archive *archive_open(const char *path)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (archive_read_open_filename(a, path, ARCHIVE_READ_BLOCK) != ARCHIVE_OK)
        return a; /* caller reads archive_error_string */
    return a;
}

static baiot_status scan_archive(const char *path, const baiot_ingest_params *params, source_list *list)
{
    struct archive *a = archive_open(path);
    struct archive_entry *e;
    baiot_status st = BAIOT_OK;
    int index = 0, found = 0, r;
    if (!a)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory opening %s", path);
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        const char *name = archive_entry_pathname(e);
        if (archive_entry_filetype(e) == AE_IFREG && name && has_suffix(name, ".csv")) {
            const char *base = strrchr(name, '/');
            base = base ? base + 1 : name;
            if (!is_uci_metadata(base)) {
                st = add_source(list, path, name, index,
                                archive_entry_size_is_set(e) ? (int64_t)archive_entry_size(e) : -1, params);
                if (st)
                    goto done;
                found++;
            }
        }
        index++;
        if (archive_read_data_skip(a) != ARCHIVE_OK) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "%s: corrupt or truncated archive: %s", path,
                            archive_message(a, "unreadable entry"));
            goto done;
        }
    }
    if (r != ARCHIVE_EOF) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "%s: corrupt or truncated archive: %s", path,
                        archive_message(a, "unreadable"));
        goto done;
    }
    if (!found)
        st = baiot_fail(BAIOT_ERR_FORMAT, "%s: the archive holds no CSV file", path);
done:
    archive_read_free(a);
    return st;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static baiot_status scan_path(const char *path, int named, const baiot_ingest_params *params, source_list *list);

static baiot_status scan_dir(const char *path, const baiot_ingest_params *params, source_list *list)
{
    DIR *d = opendir(path);
    struct dirent *de;
    char **names = NULL;
    int n = 0, cap = 0;
    baiot_status st = BAIOT_OK;
    if (!d)
        return baiot_fail(BAIOT_ERR_IO, "cannot open folder '%s': %s", path, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            char **grown = baiot_realloc(names, (size_t)cap * sizeof *names);
            if (!grown) {
                st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
                goto done;
            }
            names = grown;
        }
        if (!(names[n] = baiot_strdup(de->d_name))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto done;
        }
        n++;
    }
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    for (int i = 0; i < n && !st; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *child = baiot_malloc(len);
        if (!child) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            break;
        }
        snprintf(child, len, "%s%s%s", path, has_suffix(path, "/") ? "" : "/", names[i]);
        st = scan_path(child, 0, params, list);
        baiot_free(child);
    }
done:
    closedir(d);
    for (int i = 0; i < n; i++)
        baiot_free(names[i]);
    baiot_free(names);
    return st;
}

static baiot_status scan_path(const char *path, int named, const baiot_ingest_params *params, source_list *list)
{
    struct stat sb;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (stat(path, &sb) != 0)
        return baiot_fail(BAIOT_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return scan_dir(path, params, list);
    if (is_archive_name(path))
        return scan_archive(path, params, list);
    if (has_suffix(path, ".csv")) {
        if (!named && is_uci_metadata(base))
            return BAIOT_OK;
        return add_source(list, path, NULL, 0, (int64_t)sb.st_size, params);
    }
    if (named)
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is not a CSV file, an archive (.zip, .rar, .7z, .tar) or a folder",
                          path);
    return BAIOT_OK;
}

baiot_status baiot_source_scan(const char *const *args, int n_args, const baiot_ingest_params *params,
                         source_list *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n_args; i++) {
        int before = out->n;
        baiot_status st = scan_path(args[i], 1, params, out);
        if (!st && out->n == before)
            st = baiot_fail(BAIOT_ERR_ARG, "'%s' holds no N-BaIoT CSV file", args[i]);
        if (st) {
            baiot_source_list_free(out);
            return st;
        }
    }
    return BAIOT_OK;
}

void baiot_source_list_free(source_list *list)
{
    for (int i = 0; i < list->n; i++) {
        baiot_free(list->items[i].path);
        baiot_free(list->items[i].member);
        baiot_free(list->items[i].display);
    }
    baiot_free(list->items);
    memset(list, 0, sizeof *list);
}

/* ------------------------------------------------------------ byte streams */

baiot_status baiot_byte_stream_open(const source_ref *src, byte_stream *bs)
{
    memset(bs, 0, sizeof *bs);
    bs->fd = -1;
    bs->display = src->display;
    if (!src->member) {
        bs->fd = open(src->path, O_RDONLY);
        if (bs->fd < 0)
            return baiot_fail(BAIOT_ERR_IO, "cannot open '%s': %s", src->path, strerror(errno));
        return BAIOT_OK;
    }
    bs->ar = archive_open(src->path);
    if (!bs->ar)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory opening %s", src->path);
    struct archive_entry *e;
    for (int i = 0; i <= src->member_index; i++) {
        int r = archive_read_next_header(bs->ar, &e);
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            baiot_status st = baiot_fail(BAIOT_ERR_FORMAT, "%s: corrupt or truncated archive: %s", src->path,
                                         archive_message(bs->ar, "no entry"));
            baiot_byte_stream_close(bs);
            return st;
        }
    }
    return BAIOT_OK;
}

baiot_status baiot_byte_stream_read(byte_stream *bs, char *buf, size_t cap, size_t *got)
{
    *got = 0;
    while (*got < cap) {
        ssize_t n;
        if (bs->ar) {
            n = archive_read_data(bs->ar, buf + *got, cap - *got);
            if (n < 0)
                return baiot_fail(BAIOT_ERR_FORMAT, "%s: corrupt or truncated archive: %s", bs->display,
                                  archive_message(bs->ar, "read error"));
        } else {
            n = read(bs->fd, buf + *got, cap - *got);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return baiot_fail(BAIOT_ERR_IO, "%s: read error: %s", bs->display, strerror(errno));
            }
        }
        if (n == 0)
            break;
        *got += (size_t)n;
    }
    return BAIOT_OK;
}

void baiot_byte_stream_close(byte_stream *bs)
{
    if (bs->fd >= 0)
        close(bs->fd);
    if (bs->ar)
        archive_read_free(bs->ar);
    bs->fd = -1;
    bs->ar = NULL;
}
