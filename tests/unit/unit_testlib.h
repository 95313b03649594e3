/*
 * unit_testlib.h - small helpers shared by the cmocka unit tests: a
 * seeded xorshift64 generator (each test defines UNIT_RNG_SEED before the
 * include, so its data stay those it was written with) and a temporary
 * folder made before each test and removed after (unit_tmp_setup /
 * unit_tmp_teardown, the folder in unit_tmp_dir).  Header-only: every
 * function is static, one copy per test executable.  Used by
 * tests/unit/test_{oner,rank,cv,weka_sort,gmm_full,j48_model,synth,extract}.c.
 */
#ifndef BAIOT_TESTS_UNIT_TESTLIB_H
#define BAIOT_TESTS_UNIT_TESTLIB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef UNIT_RNG_SEED
static uint64_t rng_state = UNIT_RNG_SEED;
/* Marsaglia's xorshift64 (13, 7, 17). */
static inline uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
/* Uniform in [0, 1) with 53 random bits. */
static inline double unif(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }
#endif

#ifdef UNIT_TMP_PREFIX
static char unit_tmp_dir[64];

static int unit_tmp_setup(void **state)
{
    (void)state;
    snprintf(unit_tmp_dir, sizeof unit_tmp_dir, "/tmp/%sXXXXXX", UNIT_TMP_PREFIX);
    return mkdtemp(unit_tmp_dir) ? 0 : -1;
}

static int unit_tmp_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", unit_tmp_dir);
    return system(cmd) == 0 ? 0 : -1;
}
#endif

#endif
