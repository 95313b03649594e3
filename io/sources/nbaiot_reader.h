/*
 * nbaiot_reader.h - streams one N-BaIoT CSV source (file or archive member)
 * block by block through the parallel parser, hashing its bytes.
 *
 * Memory stays bounded by the block size whatever the file size: each block
 * of whole lines is parsed and handed to the sink before the next is read.
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

baiot_status baiot_nbaiot_read_source(const source_ref *src, size_t block_bytes, nbaiot_sink sink, void *user,
                                nbaiot_read_result *out);

#endif
