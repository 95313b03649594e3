/*
 * source_labels.h - device, family and attack of a source from its names.
 *
 * N-BaIoT files carry no label column; the labels are in the names users
 * download: UCI folders (Danmini_Doorbell/gafgyt_attacks/tcp.csv,
 * .../benign_traffic.csv, gafgyt_attacks.rar holding tcp.csv) and the flat
 * copy (<i>.benign.csv, <i>.gafgyt.<attack>.csv, <i>.mirai.<attack>.csv).
 * The CSV's own name must consist of known tokens; the folders and archive
 * names around it fill in what it does not say, nearest first.
 * Covered by tests/unit/test_source_labels.c and
 * tests/cli/test_ingest_layouts.py.
 */
#ifndef BAIOT_IO_SOURCE_LABELS_H
#define BAIOT_IO_SOURCE_LABELS_H

#include "baiot/store.h"

typedef struct source_labels {
    int device, family, attack; /* attack is the 0..10 code */
} source_labels;

/* Labels of CSV `member` inside archive `path`, or of CSV file `path` when
 * member is NULL.  params' forced labels win.  On failure the message
 * names the source and lists the accepted names. */
baiot_status baiot_source_labels_infer(const char *path, const char *member, const baiot_ingest_params *params,
                                 source_labels *out);


#endif
