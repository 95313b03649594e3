/*
 * java_random.c - java.util.Random, bit for bit (see java_random.h).
 *
 * Weka draws every random choice the study depends on (the CV shuffle, the
 * training-fold reshuffles, the percentage split, EM's k-means seeds) from
 * java.util.Random, so the engine's Weka-compatible mode needs the same
 * stream.  The generator is the 48-bit linear congruential generator whose
 * algorithms the Java SE documentation of java.util.Random specifies
 * normatively; this file implements that description, and
 * tests/unit/test_java_random.c checks it against vectors printed by a real
 * JVM (tests/data/java_random_vectors.txt).
 *
 * Invariants: r->seed < 2^48 after every call.  All arithmetic is on
 * uint64_t (wrapping, as Java's long arithmetic wraps), and results are
 * converted to Java's signed types by two's-complement reinterpretation.
 *
 * Thread-safety: a java_random is plain state; one per thread or fold (the
 * engine gives each fold its own).  No globals.
 */
#include "engine/weka/java_random.h"

#include <string.h>

#define JR_MULTIPLIER UINT64_C(0x5DEECE66D)
#define JR_ADDEND UINT64_C(0xB)
#define JR_MASK ((UINT64_C(1) << 48) - 1)

/* Java's (int) cast of a long: the low 32 bits as two's complement. */
static int32_t low_int(uint64_t v)
{
    uint32_t u = (uint32_t)v;
    int32_t s;
    memcpy(&s, &u, sizeof s);
    return s;
}

/* Two's-complement reinterpretation of 64 bits as a Java long. */
static int64_t as_long(uint64_t v)
{
    int64_t s;
    memcpy(&s, &v, sizeof s);
    return s;
}

/* new Random(seed): the seed's bits XOR the multiplier, low 48 bits kept. */
void baiot_java_random_init(java_random *r, int64_t seed)
{
    r->seed = ((uint64_t)seed ^ JR_MULTIPLIER) & JR_MASK;
}

/* next(bits): one LCG step, then the top `bits` of the 48-bit state,
 * returned as Java's (int) of the shifted state (so next(32) can be
 * negative; next(b) for b < 32 is in [0, 2^b)). */
int32_t baiot_java_random_next(java_random *r, int bits)
{
    r->seed = (r->seed * JR_MULTIPLIER + JR_ADDEND) & JR_MASK;
    return low_int(r->seed >> (48 - bits));
}

int32_t baiot_java_random_next_int(java_random *r)
{
    return baiot_java_random_next(r, 32);
}

/* nextInt(bound): for a power of two, the top bits of next(31) scaled by
 * bound (bound * next(31) >> 31); otherwise next(31) % bound, drawing
 * again while the draw falls in the incomplete last block of size bound
 * below 2^31 (Java detects that as int overflow of bits - val +
 * (bound - 1); here the sum is formed in 64 bits and compared with
 * INT32_MAX).  bound <= 0 is the caller's error (Java throws); it returns
 * 0 here without drawing. */
int32_t baiot_java_random_next_int_bound(java_random *r, int32_t bound)
{
    if (bound <= 0)
        return 0;
    if ((bound & -bound) == bound)
        return (int32_t)(((int64_t)bound * (int64_t)baiot_java_random_next(r, 31)) >> 31);
    for (;;) {
        int32_t bits = baiot_java_random_next(r, 31);
        int32_t val = bits % bound;
        if ((int64_t)bits - val + (bound - 1) <= INT32_MAX)
            return val;
    }
}

/* nextLong(): next(32) shifted up 32 bits plus a second next(32), both
 * sign-extended first (so the low word's sign borrows from the high word,
 * as in Java). */
int64_t baiot_java_random_next_long(java_random *r)
{
    int64_t hi = baiot_java_random_next(r, 32);
    int64_t lo = baiot_java_random_next(r, 32);
    return as_long(((uint64_t)hi << 32) + (uint64_t)lo);
}

/* nextDouble(): a 53-bit integer from next(26) and next(27), times 2^-53;
 * exact, in [0, 1). */
double baiot_java_random_next_double(java_random *r)
{
    uint64_t hi = (uint64_t)baiot_java_random_next(r, 26);
    uint64_t lo = (uint64_t)baiot_java_random_next(r, 27);
    return (double)((hi << 27) + lo) * 0x1.0p-53;
}
