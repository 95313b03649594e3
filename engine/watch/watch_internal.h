/*
 * watch_internal.h - the pieces of baiot watch (include/baiot/watch.h):
 * the packet sources (watch_source.c: a capture file or stream, a followed
 * folder, a live interface) behind one pull interface, used by the engine
 * (watch.c).  Covered by tests/cli/test_watch.py.
 */
#ifndef BAIOT_ENGINE_WATCH_INTERNAL_H
#define BAIOT_ENGINE_WATCH_INTERNAL_H

#include "baiot/watch.h"
#include "io/capture/pcap_io.h"

#include <stddef.h>

#define WATCH_IDLE_MS 100 /* a followed folder is looked at ten times a second */

typedef struct watch_source watch_source;

/* Opens the one source params names (a file's header and link type are
 * checked here: a bad --pcap fails before any packet). */
baiot_status baiot_watch_source_open(const baiot_watch_params *p, watch_source **out);

typedef struct watch_pull {
    int got;           /* 1: rec holds a packet */
    int idle;          /* 1: nothing for now (a live timeout, a folder waiting): a moment to flush */
    int eof;           /* 1: the source has ended (a file or stream) */
    int linktype;      /* of rec */
    char warning[400]; /* non-empty: something to report (a damaged followed file) */
} watch_pull;

/* The next record (a view valid until the next call) or a state. */
baiot_status baiot_watch_source_next(watch_source *s, pcap_record *rec, watch_pull *out);
int64_t baiot_watch_source_dropped(watch_source *s);
int64_t baiot_watch_source_files(const watch_source *s);
void baiot_watch_source_close(watch_source *s);

#endif
