/*
 * nbaiot_csv.h - the N-BaIoT CSV row parser: header check and parallel
 * parsing of blocks of complete lines into column-major doubles.
 *
 * A block is split into fixed 1 MiB chunks at line boundaries (the split
 * depends only on the bytes, never on the thread count); the chunks' lines
 * are counted, then parsed concurrently, each chunk writing its own rows.
 * When several lines are bad, the first one in the file is reported, so
 * the message is the same for any thread count.
 * Covered by tests/unit/test_nbaiot_csv.c and
 * tests/cli/test_ingest_errors.py.
 */
#ifndef BAIOT_IO_NBAIOT_CSV_H
#define BAIOT_IO_NBAIOT_CSV_H

#include "baiot/baiot.h"
#include "baiot/nbaiot.h"

#include <stddef.h>

/* Column-major values of one parsed block: value (row r, column j) is
 * values[j * cap + r]. */
typedef struct csv_block {
    double *values;
    int64_t cap;
    int64_t rows;
} csv_block;

void baiot_csv_block_free(csv_block *blk);

/* Checks that the header line (without its line end) is the 115 N-BaIoT
 * names in file order; file names the source in the message. */
baiot_status baiot_nbaiot_csv_check_header(const char *line, size_t len, const char *file);

/* Parses buf[0, len), which holds whole lines (the last may lack its line
 * end), into blk (grown as needed; blk->rows is set).  first_line is the
 * 1-based line number of buf's first line, for messages.  Empty lines are
 * errors. */
baiot_status baiot_nbaiot_csv_parse_block(csv_block *blk, const char *buf, size_t len, int64_t first_line,
                                    const char *file);

/* Parses buf[0, len), whole lines (the last may lack its line end), into
 * blk on the calling thread (values grown as needed, to the most rows len
 * bytes of valid lines can hold; blk->rows is set).  On a bad line returns
 * BAIOT_ERR_FORMAT, sets *bad_row to its 0-based row in buf and writes into
 * why what is wrong with it: the message without its leading "file:line: ",
 * which the caller adds once it knows the line's number (the streaming
 * reader parses chunks before it has counted the lines before them).
 * Returns BAIOT_ERR_MEMORY (nothing written to why) when blk cannot grow. */
baiot_status baiot_nbaiot_csv_parse_chunk(csv_block *blk, const char *buf, size_t len, int64_t *bad_row, char *why,
                                          size_t why_cap);

#endif
