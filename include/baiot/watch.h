/*
 * watch.h - live detection (`baiot watch`, docs/WATCH.md): packets from a
 * capture file or stream, a folder of rotating captures or a live interface
 * go through the N-BaIoT feature extractor (the very one of `baiot
 * extract`: same decoding, same skip rules, one extractor over all packets
 * in arrival order, so row k is row k of `extract`), then through the
 * model of the packet's device: a detector (score, flag score > tr*, the
 * strict majority vote of the last ws flags of that device) or a J48
 * classifier (class and probability; flag: a class other than "benign").
 * A device whose window starts alarming gives an alert event, one whose
 * window stops alarming a "normal" event.
 *
 * Scoring runs on batches of rows (flushed when full, when a file ends and
 * when a live capture's buffer timeout expires), through the same calls as
 * `baiot predict`, so every score is bit-identical to predict's on the
 * extracted rows.  With params.threads 1 one thread does capture,
 * extraction and scoring; with 2, scoring, windows and callbacks run on a
 * second thread (a two-stage pipeline): the same rows, values and events
 * in the same order.
 * Memory is bounded by the extractor's stream table (max_streams,
 * idle_cutoff) and the batch.  Covered by tests/cli/test_watch.py.
 */
#ifndef BAIOT_WATCH_H
#define BAIOT_WATCH_H

#include "baiot/baiot.h"

#include <stdint.h>

BAIOT_BEGIN_DECLS

typedef struct baiot_watch baiot_watch;

typedef struct baiot_watch_params {
    const char *pcap;      /* a pcap/pcapng file, or "-": the standard input (streamed) */
    const char *follow;    /* a folder of rotating captures, read in name order */
    const char *interface; /* a live interface (libpcap) */
    const char *filter;    /* BPF filter (live only), or NULL */
    int snaplen;           /* live: bytes kept per packet (default 256: headers only) */
    int buffer_size;       /* live: kernel buffer bytes (default 32 MiB) */
    int promisc;           /* live: promiscuous mode (default 1) */
    double settle;         /* follow: seconds a file must stay unchanged to count as complete (default 2) */
    int window;            /* votes per device; 0: the detector's ws* (a classifier: 1) */
    double stats_every;    /* seconds between statistics events; 0: none */
    int64_t max_streams;   /* extractor bound (0: the default, 4 million) */
    double idle_cutoff;    /* seconds; streams idle longer are dropped beyond max_streams */
    int batch;             /* rows per scoring batch (default 128) */
    int threads;           /* 1 (default): one thread; 2 or more: capture and extraction on the calling
                              thread, scoring and events on a second one; the same rows and events */
    const volatile int *stop; /* when it becomes non-zero the run ends cleanly (signals) */
} baiot_watch_params;

baiot_watch_params baiot_watch_params_default(void);

typedef enum baiot_watch_event_kind {
    BAIOT_WATCH_ALERT = 1,   /* a device's window started alarming */
    BAIOT_WATCH_NORMAL = 2,  /* a device's window stopped alarming */
    BAIOT_WATCH_STATS = 3,   /* periodic statistics */
    BAIOT_WATCH_WARNING = 4  /* a damaged file of a followed folder, skipped records */
} baiot_watch_event_kind;

typedef struct baiot_watch_stats {
    int64_t packets;      /* records captured or read */
    int64_t rows;         /* decoded packets (= extractor rows) */
    int64_t skipped;      /* packets - rows (undecodable headers) */
    int64_t unmapped;     /* rows whose source is in no device-map entry (not scored) */
    int64_t flagged;      /* rows flagged */
    int64_t alerts, normals;
    int64_t dropped;      /* live: dropped by the kernel or interface (pcap_stats) */
    int64_t streams;      /* live streams of the extractor */
    int64_t max_streams;  /* its bound */
    int64_t files;        /* follow: files processed */
    double seconds;       /* wall time so far */
} baiot_watch_stats;

typedef struct baiot_watch_event {
    int kind;                /* baiot_watch_event_kind */
    int64_t row;             /* 1-based extractor row of the packet (alert, normal) */
    double time;             /* its capture time, Unix seconds */
    const char *device;      /* the device (device map, detector) or "all" */
    const char *model;       /* "detector" or "j48" */
    char src[48], dst[48];   /* addresses as text (IPv4, IPv6 or MAC) */
    char src_mac[18];
    const char *verdict;     /* "anomaly", a class name, or "benign" (normal) */
    double score, threshold; /* detector; NaN for a classifier */
    double probability;      /* classifier: the class's probability; NaN for a detector */
    int window, window_flags; /* window size and flagged rows in it */
    const char *message;     /* warning text */
    baiot_watch_stats stats; /* the counters at this event */
} baiot_watch_event;

/* Called for every event; the event and its strings are views valid for
 * the call.  Non-zero stops the run (BAIOT_ERR_IO). */
typedef int (*baiot_watch_event_fn)(void *ctx, const baiot_watch_event *e);

/* Called for every scored row, in row order: its device, score (NaN for a
 * classifier), flag, the class and probability (NULL/NaN for a detector),
 * window_alarm (1, 0, or -1 while the device has no whole window yet).
 * After each scored batch it is called once with row 0 and device NULL: a
 * moment to flush.  Non-zero stops the run. */
typedef int (*baiot_watch_row_fn)(void *ctx, int64_t row, const char *device, double score, int flag,
                                  const char *cls, double probability, int window_alarm);

/* Checks params (exactly one source, sane numbers); a message says what is wrong. */
baiot_status baiot_watch_check(const baiot_watch_params *params);

baiot_status baiot_watch_create(const baiot_watch_params *params, baiot_watch **out);
void baiot_watch_free(baiot_watch *w);

/* Adds a model file (a detector, or a J48 classifier) for device (NULL: the
 * detector's own device name, "all" for a classifier).  Its columns must be
 * the 115 N-BaIoT features in order; else BAIOT_ERR_FORMAT naming the
 * first column that differs. */
baiot_status baiot_watch_add_model(baiot_watch *w, const char *device, const char *path);

/* Reads a device map: lines "ADDRESS DEVICE" (a MAC aa:bb:cc:dd:ee:ff or
 * an IPv4/IPv6 address; '#' starts a comment).  A packet's device is the
 * entry of its source MAC, else of its source IP; rows of unmapped
 * sources are extracted (the streams need them) but not scored.  Without
 * a map there must be one model, applied to every packet. */
baiot_status baiot_watch_load_device_map(baiot_watch *w, const char *path);

/* Runs until the source ends (file), *params->stop becomes non-zero, or a
 * failure.  events and rows may be NULL.  final (may be NULL) gets the
 * counters, also on failure. */
baiot_status baiot_watch_run(baiot_watch *w, baiot_watch_event_fn events, void *events_ctx, baiot_watch_row_fn rows,
                             void *rows_ctx, baiot_watch_stats *final);

BAIOT_END_DECLS
#endif
