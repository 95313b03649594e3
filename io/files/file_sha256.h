/*
 * file_sha256.h - the SHA-256 of a whole file, as 64 lowercase hex digits
 * (for the provenance of reports: which bytes a run read).
 * Covered by tests/cli/test_study.py (the report's provenance digest).
 */
#ifndef BAIOT_IO_FILE_SHA256_H
#define BAIOT_IO_FILE_SHA256_H
#include "baiot/baiot.h"

/* Reads path to its end; hex receives 64 digits and a NUL. */
baiot_status baiot_file_sha256(const char *path, char hex[65]);

#endif
