/*
 * alloc_testing.h - the allocation hook's test side (kernels/base/alloc.c):
 * fail the k-th allocation, so a unit test can walk every allocation of an
 * operation and check that each failure gives a clean status and no leak
 * (STYLE.md section 8).  Internal: not part of the public API; the tests
 * link the static library.  Used by tests/unit/test_*.c.
 */
#ifndef BAIOT_KERNELS_BASE_ALLOC_TESTING_H
#define BAIOT_KERNELS_BASE_ALLOC_TESTING_H

#include <stdint.h>

/* Makes the k-th allocation from now (1-based) and all later ones fail;
 * k = 0 disables.  Returns how many allocations were made since the last
 * call (so a test can loop k over every allocation of an operation). */
uint64_t baiot_alloc_fail_at(uint64_t k);

#endif
