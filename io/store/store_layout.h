/*
 * store_layout.h - names and HDF5 types shared by the store's writer and
 * reader (the format itself is documented in docs/STORE.md).
 * Covered by tests/cli/test_store_client.py and
 * tests/cli/test_store_versions.py.
 */
#ifndef BAIOT_IO_STORE_LAYOUT_H
#define BAIOT_IO_STORE_LAYOUT_H

#include "baiot/store.h"

#include <hdf5.h>

#define STORE_FEATURES_GROUP "/features"
#define STORE_LABELS_GROUP "/labels"
#define STORE_SOURCES "/sources"
#define STORE_ATTR_FORMAT "format"
#define STORE_ATTR_VERSION "format_version"
#define STORE_ATTR_FEATURES "feature_names"
#define STORE_ATTR_DEVICES "device_names"
#define STORE_ATTR_FAMILIES "family_names"
#define STORE_ATTR_ATTACKS "attack_names"
#define STORE_ATTR_CREATOR "created_by"
#define STORE_ATTR_CRC "crc32" /* on each column: zlib CRC-32 of its values' little-endian bytes */

extern const char *const baiot_store_label_names[3]; /* "device", "family", "attack" */

/* The in-file compound type of a source row (caller closes it). */
hid_t baiot_store_source_type(void);

/* Reads / writes (creating or replacing) a column's crc32 attribute.
 * read returns 0 when the column has none. */
int baiot_store_read_crc(hid_t dataset, uint32_t *crc);
int baiot_store_write_crc(hid_t dataset, uint32_t crc);

/* Silences HDF5's own error printing (our messages say what failed). */
void baiot_store_quiet_hdf5(void);

#endif
