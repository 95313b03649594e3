/*
 * source_scan.h - finds the CSV sources behind ingest's arguments.
 *
 * An argument is a CSV file, an archive (zip, rar, 7z, tar; read with
 * libarchive, never unpacked to disk) or a folder, walked recursively in
 * name order.  Every CSV found gets its labels (source_labels.h) before any
 * row is read, so a bad name fails at once.  Inside folders, the UCI
 * metadata files (demonstrate_structure.csv, features.csv, device_info.csv)
 * and files of other types are passed over; named files never are.
 * Covered by tests/cli/test_ingest_layouts.py and
 * tests/cli/test_ingest_errors.py.
 */
#ifndef BAIOT_IO_SOURCE_SCAN_H
#define BAIOT_IO_SOURCE_SCAN_H

#include "io/sources/source_labels.h"

#include <stdio.h>
#include <sys/types.h>

typedef struct source_ref {
    char *path;        /* the file on disk */
    char *member;      /* CSV member inside the archive, or NULL */
    int member_index;  /* position among the archive's entries */
    char *display;     /* "path" or "path:member", for messages and the store */
    int64_t size;      /* bytes of CSV, or -1 when the archive does not say */
    source_labels labels;
} source_ref;

typedef struct source_list {
    source_ref *items;
    int n, cap;
} source_list;

baiot_status baiot_source_scan(const char *const *args, int n_args, const baiot_ingest_params *params,
                         source_list *out);
void baiot_source_list_free(source_list *list);

/* A readable byte stream over one source (a file, or an archive member). */
typedef struct byte_stream {
    int fd;
    struct archive *ar;
    const char *display;
} byte_stream;

baiot_status baiot_byte_stream_open(const source_ref *src, byte_stream *bs);
/* Reads up to cap bytes; *got = 0 at the end.  Errors name the source. */
baiot_status baiot_byte_stream_read(byte_stream *bs, char *buf, size_t cap, size_t *got);
void baiot_byte_stream_close(byte_stream *bs);

#endif
