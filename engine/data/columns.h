/*
 * columns.h - column selections: "all", a comma list of names or 1-based
 * positions, or @FILE (names or positions one per line or comma-separated;
 * blank lines and lines starting with '#' are skipped).  A selection keeps
 * the order given and refuses duplicates and unknown names.
 * Covered by tests/unit/test_columns.c and
 * tests/cli/test_export_roundtrip.py (--columns, @FILE).
 */
#ifndef BAIOT_ENGINE_COLUMNS_H
#define BAIOT_ENGINE_COLUMNS_H

#include "baiot/store.h"

/* Resolves spec against names[0..n): *out_idx (owned by the caller) gets
 * the selected indices, *out_n their count.  spec NULL or "all": every
 * column in order. */
baiot_status baiot_columns_resolve(const char *spec, const char *const *names, int n, int **out_idx, int *out_n);

/* The same against a store's feature names. */
baiot_status baiot_columns_resolve_store(const char *spec, const baiot_store *store, int **out_idx, int *out_n);

#endif
