/*
 * extract.h - N-BaIoT features from a packet capture: pcap/pcapng in, one
 * 115-feature row per decoded packet out (docs: the Kitsune/N-BaIoT
 * damped statistics, computed by the engine's feature extractor).
 *
 * Output by the name's extension:
 *   .csv         the UCI N-BaIoT layout: the 115 feature names as header,
 *                shortest round-trip numbers, CRLF line ends, no labels
 *   .h5, .hdf5   a baiot store (docs/STORE.md) with one source, the
 *                capture; its rows need labels, so device and family (and,
 *                for gafgyt/mirai, attack) must be given
 * The output appears complete or not at all (temporary name, renamed on
 * success).  Frames whose headers cannot be decoded are skipped and
 * counted by reason; a damaged capture file (wrong magic, truncated header
 * or record, unsupported link type) fails the whole run.
 */
#ifndef BAIOT_EXTRACT_H
#define BAIOT_EXTRACT_H

#include "baiot/baiot.h"

#include <stdint.h>

BAIOT_BEGIN_DECLS

/* Why packets were skipped. */
typedef enum baiot_extract_skip {
    BAIOT_SKIP_TRUNCATED = 0,  /* a header cut short */
    BAIOT_SKIP_MALFORMED = 1,  /* an impossible header field */
    BAIOT_SKIP_UNSUPPORTED = 2,
    BAIOT_N_SKIP = 3
} baiot_extract_skip;

/* A static name of a skip reason ("truncated"). */
const char *baiot_extract_skip_name(int reason);

typedef struct baiot_extract_params {
    int device;             /* 0..8, or -1 (required for a store) */
    int family;             /* 0..2, or -1 (required for a store) */
    const char *attack;     /* short attack name ("tcp"), required for gafgyt/mirai stores; NULL */
    int64_t block_rows;     /* rows buffered per block (default 65536) */
    int compress;           /* store: deflate level 0..9 (default 0) */
    int64_t chunk_rows;     /* store: HDF5 chunk rows, 0 = automatic */
    /* Feature extractor memory bound (io/capture/afterimage.h): beyond
     * max_streams streams (0: the default, 4 million), streams idle for
     * idle_cutoff seconds are dropped; idle_cutoff 0 keeps all. */
    double idle_cutoff;
    int64_t max_streams;
} baiot_extract_params;

baiot_extract_params baiot_extract_params_default(void);

/* Checks params for output path out_path before any work; a message says
 * what is missing (e.g. the labels of a store). */
baiot_status baiot_extract_check(const char *out_path, const baiot_extract_params *params);

typedef struct baiot_extract_result {
    int64_t packets;                 /* records read from the capture */
    int64_t rows;                    /* rows written (= decoded packets) */
    int64_t skipped;                 /* packets - rows */
    int64_t skipped_by[BAIOT_N_SKIP];
    char first_skip[BAIOT_N_SKIP][192]; /* "packet 17: truncated TCP header: 8 of 20 bytes" */
    char linktype[48];               /* the capture's link type name ("EN10MB") */
    double capture_bytes;
    double seconds;                  /* wall time of the whole run */
} baiot_extract_result;

/* Extracts the features of every packet of capture into out_path (see
 * above).  params NULL: defaults (fine for .csv).  result may be NULL; it
 * is filled as far as the run got, also on failure. */
baiot_status baiot_extract(const char *capture, const char *out_path, const baiot_extract_params *params,
                           baiot_extract_result *result);

BAIOT_END_DECLS
#endif
