/*
 * java_random.h - java.util.Random, reimplemented exactly (the algorithms
 * are normative in the Java SE documentation), so that folds, shuffles and
 * initial centroids equal Weka's for the same seed.
 * Covered by tests/unit/test_java_random.c.
 */
#ifndef BAIOT_ENGINE_JAVA_RANDOM_H
#define BAIOT_ENGINE_JAVA_RANDOM_H

#include <stdint.h>

typedef struct java_random {
    uint64_t seed; /* the 48-bit state */
} java_random;

/* new Random(seed): state = (seed ^ 0x5DEECE66D) mod 2^48. */
void baiot_java_random_init(java_random *r, int64_t seed);
/* next(bits), 1 <= bits <= 32 (as a signed 32-bit Java int). */
int32_t baiot_java_random_next(java_random *r, int bits);
/* nextInt() */
int32_t baiot_java_random_next_int(java_random *r);
/* nextInt(bound), bound > 0 (Java throws otherwise; this returns 0 without
 * drawing): the power-of-two fast path, else the rejection loop on next(31). */
int32_t baiot_java_random_next_int_bound(java_random *r, int32_t bound);
/* nextLong() */
int64_t baiot_java_random_next_long(java_random *r);
/* nextDouble(): (next(26) * 2^27 + next(27)) * 2^-53, in [0, 1). */
double baiot_java_random_next_double(java_random *r);

#endif
