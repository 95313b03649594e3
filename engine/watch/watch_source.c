/*
 * watch_source.c - where baiot watch's packets come from (watch_internal.h):
 *   file    a pcap/pcapng file, or "-": the standard input read as a stream
 *           (io/capture/pcap_io; a damaged record fails the run, as extract)
 *   follow  a folder of rotating captures: regular files not starting with
 *           '.', in name (strcmp) order, each once.  A file is complete, and
 *           read whole, when a file of a later name exists or when its size
 *           and modification time stayed unchanged for `settle` seconds.  A
 *           file that is not a capture, has a link type the decoder does not
 *           know, or ends in a truncated record is reported as a warning
 *           (its good records are used) and the folder is followed on.  A
 *           file whose name sorts before the last one read is never read.
 *   live    an interface through io/capture/pcap_live.
 * Every source hands out records with their link type, so the engine
 * decodes them exactly as extract does.  Single-threaded.
 * Covered by tests/cli/test_watch.py.
 */
#define _POSIX_C_SOURCE 200809L
#include "engine/watch/watch_internal.h"
#include "io/capture/packet_decode.h"
#include "io/capture/pcap_live.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define NAME_MAX_LEN 1024

typedef enum { SRC_FILE, SRC_FOLLOW, SRC_LIVE } src_kind;

struct watch_source {
    src_kind kind;
    pcap_reader *rd;
    int linktype;
    pcap_live *live;
    /* follow */
    char *dir;
    double settle;
    char last[NAME_MAX_LEN];     /* the last file read ("" none) */
    char current[2 * NAME_MAX_LEN + 2]; /* the file being read */
    char pending[NAME_MAX_LEN];  /* the candidate being watched for completion */
    int64_t pending_size;
    struct timespec pending_mtime;
    double pending_since;
    int64_t files;
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void nap(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static baiot_status check_linktype(pcap_reader *rd, const char *path)
{
    int lt = baiot_pcap_reader_linktype(rd);
    if (baiot_packet_decode_supported(lt))
        return BAIOT_OK;
    return baiot_fail(BAIOT_ERR_FORMAT,
                      "'%s': link type %d (%s) is not supported; baiot reads EN10MB (Ethernet), LINUX_SLL, "
                      "LINUX_SLL2 (Linux cooked) and RAW, IPV4, IPV6 (bare IP) captures",
                      path, lt, baiot_pcap_reader_linktype_name(rd));
}

baiot_status baiot_watch_source_open(const baiot_watch_params *p, watch_source **out)
{
    baiot_status st = BAIOT_OK;
    watch_source *s = baiot_calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if (p->pcap) {
        s->kind = SRC_FILE;
        const char *path = strcmp(p->pcap, "-") == 0 ? "/dev/stdin" : p->pcap;
        if ((st = baiot_pcap_reader_open(path, &s->rd)) || (st = check_linktype(s->rd, path)))
            goto fail;
        s->linktype = baiot_pcap_reader_linktype(s->rd);
    } else if (p->follow) {
        s->kind = SRC_FOLLOW;
        struct stat sb;
        if (stat(p->follow, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            st = baiot_fail(BAIOT_ERR_IO, "--follow '%s': not a folder%s%s", p->follow, errno ? ": " : "",
                            errno ? strerror(errno) : "");
            goto fail;
        }
        if (!(s->dir = baiot_strdup(p->follow))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto fail;
        }
        s->settle = p->settle;
    } else {
        s->kind = SRC_LIVE;
        if ((st = baiot_pcap_live_open(p->interface, p->filter, p->snaplen, p->buffer_size, p->promisc, &s->live)))
            goto fail;
        s->linktype = baiot_pcap_live_linktype(s->live);
        if (!baiot_packet_decode_supported(s->linktype)) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "interface '%s': link type %s is not supported", p->interface,
                            baiot_pcap_live_linktype_name(s->live));
            goto fail;
        }
    }
    *out = s;
    return BAIOT_OK;
fail:
    baiot_watch_source_close(s);
    return st;
}

/* ------------------------------------------------------ the folder */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first two regular files of the folder after s->last, in name order:
 * first[0] = '\0' when none; *more = 1 when a second one exists. */
static baiot_status scan_folder(watch_source *s, char *first, int *more)
{
    DIR *d = opendir(s->dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    baiot_status st = BAIOT_OK;
    first[0] = '\0';
    *more = 0;
    if (!d)
        return baiot_fail(BAIOT_ERR_IO, "cannot read the folder '%s': %s", s->dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strlen(e->d_name) >= NAME_MAX_LEN)
            continue;
        if (s->last[0] && strcmp(e->d_name, s->last) <= 0)
            continue;
        char path[2 * NAME_MAX_LEN + 2];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", s->dir, e->d_name);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            char **t = baiot_realloc(names, nc * sizeof *t);
            if (!t) {
                st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
                break;
            }
            names = t;
            cap = nc;
        }
        if (!(names[n] = baiot_strdup(e->d_name))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (!st && n > 0) {
        qsort(names, n, sizeof *names, name_cmp);
        snprintf(first, NAME_MAX_LEN, "%s", names[0]);
        *more = n > 1;
    }
    for (size_t i = 0; i < n; i++)
        baiot_free(names[i]);
    baiot_free(names);
    return st;
}

/* Looks for the next complete file and opens it (s->rd), or leaves s->rd
 * NULL when none is complete yet.  A file that cannot be opened is skipped
 * with a warning. */
static baiot_status follow_open_next(watch_source *s, watch_pull *out)
{
    char first[NAME_MAX_LEN], path[2 * NAME_MAX_LEN + 2];
    int more;
    baiot_status st = scan_folder(s, first, &more);
    if (st || !first[0])
        return st;
    snprintf(path, sizeof path, "%s/%s", s->dir, first);
    if (!more) {
        struct stat sb;
        if (stat(path, &sb) != 0)
            return BAIOT_OK;
        double t = now_s();
        if (strcmp(first, s->pending) != 0 || sb.st_size != s->pending_size ||
            sb.st_mtim.tv_sec != s->pending_mtime.tv_sec || sb.st_mtim.tv_nsec != s->pending_mtime.tv_nsec) {
            snprintf(s->pending, sizeof s->pending, "%s", first);
            s->pending_size = sb.st_size;
            s->pending_mtime = sb.st_mtim;
            s->pending_since = t;
            return BAIOT_OK;
        }
        if (t - s->pending_since < s->settle)
            return BAIOT_OK;
    }
    snprintf(s->last, sizeof s->last, "%s", first);
    snprintf(s->current, sizeof s->current, "%s", path);
    s->pending[0] = '\0';
    s->files++;
    if ((st = baiot_pcap_reader_open(path, &s->rd)) || (st = check_linktype(s->rd, path))) {
        snprintf(out->warning, sizeof out->warning, "%s; the file is skipped", baiot_last_error());
        baiot_pcap_reader_close(s->rd);
        s->rd = NULL;
        return BAIOT_OK;
    }
    s->linktype = baiot_pcap_reader_linktype(s->rd);
    baiot_log(BAIOT_LOG_INFO, "watch: reading %s", path);
    return BAIOT_OK;
}

/* ------------------------------------------------------ the interface */

baiot_status baiot_watch_source_next(watch_source *s, pcap_record *rec, watch_pull *out)
{
    baiot_status st;
    memset(out, 0, sizeof *out);
    switch (s->kind) {
    case SRC_LIVE:
        if ((st = baiot_pcap_live_next(s->live, rec, &out->got)))
            return st;
        out->idle = !out->got;
        out->linktype = s->linktype;
        return BAIOT_OK;
    case SRC_FILE:
        if ((st = baiot_pcap_reader_next(s->rd, rec, &out->got)))
            return st;
        out->eof = !out->got;
        out->linktype = s->linktype;
        return BAIOT_OK;
    case SRC_FOLLOW:
        if (!s->rd) {
            if ((st = follow_open_next(s, out)))
                return st;
            if (!s->rd) {
                if (!out->warning[0])
                    nap(WATCH_IDLE_MS);
                out->idle = 1;
                return BAIOT_OK;
            }
        }
        st = baiot_pcap_reader_next(s->rd, rec, &out->got);
        if (st) { /* a truncated or damaged record: the file ends there */
            snprintf(out->warning, sizeof out->warning, "%s; the rest of the file is skipped", baiot_last_error());
            out->got = 0;
        }
        if (!out->got) {
            baiot_pcap_reader_close(s->rd);
            s->rd = NULL;
            out->idle = 1; /* a file ended: flush */
        }
        out->linktype = s->linktype;
        return BAIOT_OK;
    }
    return BAIOT_OK;
}

int64_t baiot_watch_source_dropped(watch_source *s)
{
    return s && s->live ? baiot_pcap_live_dropped(s->live) : 0;
}

int64_t baiot_watch_source_files(const watch_source *s)
{
    return s ? (s->kind == SRC_FILE ? 1 : s->files) : 0;
}

void baiot_watch_source_close(watch_source *s)
{
    if (!s)
        return;
    baiot_pcap_reader_close(s->rd);
    baiot_pcap_live_close(s->live);
    baiot_free(s->dir);
    baiot_free(s);
}
