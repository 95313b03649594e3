/*
 * crc32.h - the CRC-32 of the store's columns (zlib's: polynomial
 * 0x04C11DB7, reflected, inverted in and out), fast (kernels/crc32.c).
 * Covered by tests/unit/test_crc32.c.
 */
#ifndef BAIOT_KERNELS_CRC32_H
#define BAIOT_KERNELS_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* The CRC-32 of n bytes at p continuing crc (0 to start): the same value
 * as zlib's crc32(crc, p, n), for any n and alignment. */
uint32_t baiot_crc32(uint32_t crc, const void *p, size_t n);

#endif
