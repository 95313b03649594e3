/*
 * store.h - the HDF5 columnar store of N-BaIoT rows (format in docs/STORE.md).
 *
 * A store holds one 1-D float64 dataset per feature, three uint8 label
 * columns (device, family, attack), and a table of the source files the
 * rows came from.  Each source is one contiguous run of rows, so a device
 * selection is a list of row runs and loading reads only the columns asked
 * for.  HDF5 calls happen on the calling thread only.
 */
#ifndef BAIOT_STORE_H
#define BAIOT_STORE_H

#include "baiot/view.h"

BAIOT_BEGIN_DECLS

#define BAIOT_STORE_FORMAT "baiot-store"
#define BAIOT_STORE_FORMAT_VERSION 2     /* written; 1 (no metadata checksums) is still read */
#define BAIOT_STORE_FORMAT_VERSION_MIN 1
/* Version 1 stores are opened only when this environment variable is 1:
 * libhdf5 can hang on their damaged variable-length strings (found by
 * tests/fuzz; input in tests/fuzz/regressions/store/). */
#define BAIOT_TRUST_V1_ENV "BAIOT_TRUST_V1_STORES"
#define BAIOT_SOURCE_NAME_MAX 512
/* Column reads are checked against the columns' CRC-32s unless this
 * environment variable is 1 (or baiot_store_set_verify(0) was called). */
#define BAIOT_NO_VERIFY_ENV "BAIOT_NO_VERIFY"

typedef struct baiot_store baiot_store;

/* One row of the source table. */
typedef struct baiot_source_info {
    char name[BAIOT_SOURCE_NAME_MAX]; /* path as given, "archive:member" inside archives */
    uint8_t device, family, attack;
    int64_t first_row;
    int64_t rows;
    char sha256[65];                  /* hex digest of the CSV bytes */
} baiot_source_info;

/* ---- ingest ---- */
typedef struct baiot_ingest_params {
    int append;             /* add to an existing store */
    int device;             /* -1: from the names; else forces the device */
    int family;             /* -1 or forced */
    const char *attack;     /* NULL or forced short attack name ("tcp") */
    int compress;           /* 0: none, else deflate level 1..9 with shuffle */
    int64_t chunk_rows;     /* HDF5 chunk length in rows */
    size_t block_bytes;     /* CSV bytes parsed per parallel block */
} baiot_ingest_params;

baiot_ingest_params baiot_ingest_params_default(void);

/* Summary of an ingest. */
typedef struct baiot_ingest_result {
    int n_sources;
    int64_t rows;
    double csv_bytes;
} baiot_ingest_result;

/* Ingests the sources (files, folders, zip/rar/7z archives) into the store
 * at path.  The store appears complete or not at all; with append an
 * existing store is left exactly as it was on any failure.  out may be NULL. */
baiot_status baiot_ingest(const char *store_path, const char *const *sources, int n_sources,
                          const baiot_ingest_params *params, baiot_ingest_result *out);

/* ---- checking ---- */
/* Checks the store at path: its structure (format, version, every column
 * present with the same length, the source runs tiling the rows) and every
 * column's values against the CRC-32 written at ingest.  *problems (owned
 * by the caller: free with baiot_strings_free) lists what is wrong;
 * *n_problems = 0 means sound.  *n_checked counts the columns checksummed.
 * A store that cannot be opened at all is one problem, not a failure. */
baiot_status baiot_store_verify(const char *path, char ***problems, int *n_problems, int *n_checked);

/* ---- reading ---- */
/* 1 when path is a readable HDF5 file, else 0 (no message). */
int baiot_store_is_store(const char *path);

baiot_status baiot_store_open(const char *path, baiot_store **out);
void baiot_store_close(baiot_store *store);

int64_t baiot_store_rows(const baiot_store *store);
int baiot_store_n_features(const baiot_store *store);
/* Borrowed, valid while the store is open. */
const char *baiot_store_feature_name(const baiot_store *store, int j);
int baiot_store_n_sources(const baiot_store *store);
const baiot_source_info *baiot_store_source(const baiot_store *store, int i);
int baiot_store_format_version(const baiot_store *store);
/* The program that created the store ("baiot 0.1.0"; "" when unknown). */
const char *baiot_store_creator(const baiot_store *store);

/* Turns the CRC-32 check of column reads on (1, the default) or off (0)
 * for the stores opened from now on, process-wide (`--no-verify`), and
 * forgets which columns were checked already (a column is checked at its
 * first read in a process; later reads of the same unchanged file read
 * only their rows).  Call it before starting work, like baiot_set_log. */
void baiot_store_set_verify(int on);

/* Reads feature column j for the row runs (start, length pairs) into out,
 * runs concatenated in order.  Unless the check is off, the whole column
 * is read and its CRC-32 compared with the one stored at ingest (a read
 * of some rows costs a read of the column); a mismatch is
 * BAIOT_ERR_FORMAT naming the store and the column, out's content then
 * undefined.  A column without a stored CRC-32 is read unchecked. */
baiot_status baiot_store_read_column(baiot_store *store, int j, const int64_t *runs, int n_runs, double *out);
/* Reads a label column ("device", "family" or "attack") likewise, checked
 * likewise. */
baiot_status baiot_store_read_labels(baiot_store *store, const char *which, const int64_t *runs, int n_runs,
                                     uint8_t *out);


BAIOT_END_DECLS
#endif
