/*
 * store_write.h - creating a store and appending rows and sources to it.
 *
 * The writer works on a file that is not yet at its final name (the ingest
 * pipeline renames it when everything succeeded), so a failure at any
 * point leaves the destination untouched.
 * Covered by tests/unit/test_ingest_view.c, tests/cli/test_store_client.py
 * and tests/cli/test_store_versions.py.
 */
#ifndef BAIOT_IO_STORE_WRITE_H
#define BAIOT_IO_STORE_WRITE_H

#include "baiot/store.h"
#include "io/store/store_layout.h"

typedef struct store_writer store_writer;

/* Creates a new, empty store file at path. */
baiot_status baiot_store_writer_create(const char *path, const baiot_ingest_params *params, store_writer **out);
/* Opens an existing store file (a private copy) for appending. */
baiot_status baiot_store_writer_open(const char *path, store_writer **out);

int64_t baiot_store_writer_rows(const store_writer *w);
/* The source already holding these bytes, or NULL. */
const baiot_source_info *baiot_store_writer_find_sha(const store_writer *w, const char *sha256);

/* Appends rows: feature j of row r at values[j * stride + r]; every row
 * gets the same three labels. */
baiot_status baiot_store_writer_append(store_writer *w, const double *values, int64_t stride, int64_t rows,
                                 uint8_t device, uint8_t family, uint8_t attack);
baiot_status baiot_store_writer_add_source(store_writer *w, const baiot_source_info *src);

/* Closes the file (flushing everything); frees w. */
baiot_status baiot_store_writer_close(store_writer *w);
/* Closes without caring for errors (the file will be removed); frees w. */
void baiot_store_writer_discard(store_writer *w);

#endif
