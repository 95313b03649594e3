/*
 * nbaiot_reader.h - streams one N-BaIoT CSV source (file or archive member)
 * block by block through the parallel parser, hashing its bytes.
 *
 * Memory stays bounded by the block size whatever the file size: a few
 * blocks of whole lines are in flight (read, parsed, handed to the sink),
 * never the whole file.
 * Covered by tests/unit/test_ingest_view.c, tests/cli/test_ingest_errors.py
 * and tests/cli/test_determinism.py (block sizes).
 */
#ifndef BAIOT_IO_NBAIOT_READER_H
#define BAIOT_IO_NBAIOT_READER_H

#include "io/sources/nbaiot_csv.h"
#include "io/sources/source_scan.h"

/* Receives each parsed block; a non-OK status stops the read. */
typedef baiot_status (*nbaiot_sink)(void *user, const csv_block *blk);

typedef struct nbaiot_read_result {
    int64_t rows;
    int64_t bytes;
    char sha256[65]; /* hex digest of all bytes of the source */
} nbaiot_read_result;

/* A reader: the read and parse buffers of one block size, reused from
 * source to source (so a many-file ingest touches their pages once).  One
 * source at a time per reader. */
typedef struct nbaiot_reader nbaiot_reader;

baiot_status baiot_nbaiot_reader_new(size_t block_bytes, nbaiot_reader **out);
baiot_status baiot_nbaiot_reader_read(nbaiot_reader *r, const source_ref *src, nbaiot_sink sink, void *user,
                                      nbaiot_read_result *out);
void baiot_nbaiot_reader_free(nbaiot_reader *r);

/* One source with a reader of its own. */
baiot_status baiot_nbaiot_read_source(const source_ref *src, size_t block_bytes, nbaiot_sink sink, void *user,
                                nbaiot_read_result *out);

#endif
