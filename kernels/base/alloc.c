/*
 * alloc.c - the single allocation hook of the library.
 *
 * All library allocations pass through here so that tests can make the
 * k-th allocation fail (fault injection) and check that every caller
 * returns BAIOT_ERR_MEMORY cleanly and frees what it took.  The counter is
 * atomic, so the hook is safe to use from OpenMP workers.
 * Covered by the fault-injection tests (baiot_alloc_fail_at), e.g.
 * tests/unit/test_arff.c, tests/unit/test_j48_model.c and
 * tests/unit/test_ingest_view.c.
 */
#include "baiot/baiot.h"
#include "kernels/base/alloc_testing.h"

#include <stdlib.h>
#include <string.h>

static uint64_t alloc_count;   /* allocations since the last baiot_alloc_fail_at */
static uint64_t fail_at;       /* 0: never fail */

static int should_fail(void)
{
    uint64_t n = __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED);
    uint64_t k = __atomic_load_n(&fail_at, __ATOMIC_RELAXED);
    return k != 0 && n >= k;
}

uint64_t baiot_alloc_fail_at(uint64_t k)
{
    uint64_t n = __atomic_exchange_n(&alloc_count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&fail_at, k, __ATOMIC_RELAXED);
    return n;
}

void *baiot_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *baiot_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *baiot_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void baiot_free(void *ptr)
{
    free(ptr);
}

char *baiot_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = baiot_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}
