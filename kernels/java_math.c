/*
 * java_math.c - e^x and ln x exactly as Java's StrictMath computes them
 * (see java_math.h): the methods of fdlibm 5.3 (Sun, 1993), which the Java
 * specification names for StrictMath, rewritten here from their published
 * description.  Weka's EM takes Math.exp / Math.log of its log densities;
 * glibc rounds about 0.2% of those arguments to the other neighbouring
 * double, and on ill-conditioned variances one such bit changes Weka's
 * model (docs/WEKA_COMPAT.md, EM rule 5).  These give Weka's doubles on a
 * JVM whose Math.exp / Math.log are StrictMath's (-XX:-UseLibmIntrinsic);
 * HotSpot's default x86_64 intrinsics differ from them on ~8% of
 * arguments (glibc's on ~0.2%), so the EM uses them only when asked
 * (`baiot em --math strict`, kernels/gmm_diag.c).
 *
 * Method, exp:  x = k ln2 + r with |r| <= ln2/2, k = round(x / ln2), and
 * ln2 split in a head (its 32 leading bits, so k * head is exact for every
 * k that occurs) and a tail: r = (x - k head) - k tail, carried as the pair
 * hi = x - k head, lo = k tail.  On [-ln2/2, ln2/2], e^r is written
 * through R(r) = r (e^r + 1) / (e^r - 1), an even function approximated by
 * a degree-5 minimax polynomial in r^2 (error below 2^-59):
 *   c(r) = r - (P1 r^2 + P2 r^4 + ... + P5 r^10)  (= r - (R(r) - 2)),
 *   e^r = 1 + r + r c / (2 - c)   (and, with the pair, 1 - ((lo - r c /
 *   (2 - c)) - hi), which keeps the tail's bits),
 * then e^x = 2^k e^r by adding k to the exponent field (for k < -1021 by
 * adding k + 1000 and multiplying by 2^-1000, so that a subnormal result
 * is rounded once).  Thresholds: above 709.782712893384 (ln of the largest
 * double, rounded) the result is +inf, below -745.1332191019411 it is +0;
 * for |x| < 2^-28 it is 1 + x.
 *
 * Method, log:  x = 2^k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)) (a
 * subnormal x is first scaled by 2^54); with s = f / (2 + f),
 * ln(1 + f) = 2s + 2s^3/3 + ... = f - s (f - R(s^2)), where R is a degree-7
 * minimax polynomial in s^2 (coefficients Lg1..Lg7, error below 2^-58),
 * evaluated as an even part and an odd part in w = s^4; for f in the
 * band where 1 + f is near 1.4 (or its half) ln(1+f) is taken as f -
 * (f^2/2 - s (f^2/2 + R)) to keep the error low; for |f| < 2^-20 a short
 * series f - f^2 (1/2 - f/3) suffices; finally k ln2 is added with ln2 in
 * the same head and tail as exp's, the tail first.
 *
 * Exactness: every operation below is an IEEE double operation in the
 * order fdlibm makes it (the file is compiled with -ffp-contract=off: no
 * fused multiply-add), the constants are given by their bit patterns (as
 * hexadecimal floating constants), and the branch structure reproduces
 * fdlibm's where it changes a result; where two of fdlibm's branches give
 * the same doubles (k = +-1 of exp and its general case), they are one
 * branch here.  Pure functions: thread-safe, no globals, no allocation.
 * Covered by tests/unit/test_java_math.c, which compares the bit patterns
 * of a few thousand edge and random arguments with a JVM's
 * (tests/data/java_math_vectors.txt, tests/tools/java/JavaMathVectors.java).
 */
#include "kernels/java_math.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* bit access                                                          */

static inline uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline double double_of(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* x with its upper 32 bits (sign, exponent, 20 mantissa bits) replaced. */
static inline double with_upper(double x, uint32_t upper)
{
    return double_of(((uint64_t)upper << 32) | (bits_of(x) & 0xffffffffu));
}

/* ------------------------------------------------------------------ */
/* constants (fdlibm 5.3's, bit for bit)                               */

/* ln 2 = LN2_HEAD + LN2_TAIL; the head has 32 significant bits */
static const double LN2_HEAD = 0x1.62e42fee00000p-1;
static const double LN2_TAIL = 0x1.a39ef35793c76p-33;
static const double INV_LN2 = 0x1.71547652b82fep+0;

/* exp: the minimax polynomial of R(r) - 2 in t = r^2 */
static const double EP1 = 0x1.555555555553ep-3;
static const double EP2 = -0x1.6c16c16bebd93p-9;
static const double EP3 = 0x1.1566aaf25de2cp-14;
static const double EP4 = -0x1.bbd41c5d26bf1p-20;
static const double EP5 = 0x1.6376972bea4d0p-25;
static const double EXP_MAX_ARG = 0x1.62e42fefa39efp+9;  /* 709.782712893384 */
static const double EXP_MIN_ARG = -0x1.74910d52d3051p+9; /* -745.1332191019411 */
static const double TWO_M1000 = 0x1p-1000;

/* log: the minimax polynomial R(z) in z = s^2 */
static const double LG1 = 0x1.5555555555593p-1;
static const double LG2 = 0x1.999999997fa04p-2;
static const double LG3 = 0x1.2492494229359p-2;
static const double LG4 = 0x1.c71c51d8e78afp-3;
static const double LG5 = 0x1.7466496cb03dep-3;
static const double LG6 = 0x1.39a09d078c69fp-3;
static const double LG7 = 0x1.2f112df3e5244p-3;
static const double ONE_THIRD = 0x1.5555555555555p-2; /* 0.33333333333333333 rounded */
static const double TWO_54 = 0x1p54;

/* ------------------------------------------------------------------ */
/* exp                                                                 */

double baiot_java_exp(double x)
{
    const uint64_t u = bits_of(x);
    const uint32_t top = (uint32_t)(u >> 32) & 0x7fffffffu; /* |x|'s upper word */
    const int negative = (int)(u >> 63);

    /* |x| >= 709.78...: not finite, or past a threshold */
    if (top >= 0x40862e42u) {
        if (top >= 0x7ff00000u) {
            if (isnan(x))
                return x + x;
            return negative ? 0.0 : x; /* e^-inf = 0, e^inf = inf */
        }
        if (x > EXP_MAX_ARG)
            return HUGE_VAL;
        if (x < EXP_MIN_ARG)
            return 0.0;
    }

    int k;
    double hi, lo, r;
    if (top > 0x3fd62e42u) {
        /* |x| > ln2/2: k = +-1 below 1.5 ln2, else x / ln2 rounded half
         * away from zero by truncation */
        if (top < 0x3ff0a2b2u)
            k = negative ? -1 : 1;
        else
            k = (int)(INV_LN2 * x + (negative ? -0.5 : 0.5));
        const double dk = (double)k;
        hi = x - dk * LN2_HEAD;
        lo = dk * LN2_TAIL;
        r = hi - lo;
    } else if (top < 0x3e300000u) {
        /* |x| < 2^-28: e^x rounds to 1 + x */
        return 1.0 + x;
    } else {
        k = 0;
        hi = lo = 0.0; /* unused */
        r = x;
    }

    const double t = r * r;
    const double c = r - t * (EP1 + t * (EP2 + t * (EP3 + t * (EP4 + t * EP5))));
    if (k == 0)
        return 1.0 - ((r * c) / (c - 2.0) - r);
    const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);

    /* times 2^k: k into the exponent field (y is in [1/2, 2], so the
     * field stays in range except for the deepest k, scaled twice) */
    if (k >= -1021)
        return double_of(bits_of(y) + ((uint64_t)(int64_t)k << 52));
    return double_of(bits_of(y) + ((uint64_t)(int64_t)(k + 1000) << 52)) * TWO_M1000;
}

/* ------------------------------------------------------------------ */
/* log                                                                 */

double baiot_java_log(double x)
{
    int32_t upper = (int32_t)(bits_of(x) >> 32);
    int k = 0;

    /* below the smallest normal: zero, negative (sign bit set, so the
     * signed word is negative) or subnormal */
    if (upper < 0x00100000) {
        if ((bits_of(x) & 0x7fffffffffffffffu) == 0)
            return -HUGE_VAL; /* ln +-0 = -inf */
        if (upper < 0)
            return NAN; /* negative, -inf, or NaN with the sign bit */
        x *= TWO_54;   /* subnormal: scale into the normal range */
        k = -54;
        upper = (int32_t)(bits_of(x) >> 32);
    }
    if (upper >= 0x7ff00000)
        return x + x; /* +inf or NaN */

    /* x = 2^k m, m in [1, 2); m's 20 leading fraction bits in frac20.
     * From m = sqrt(2) (frac20 >= 0x6a09c: adding 0x95f64 carries into
     * bit 20) on, m / 2 and k + 1 instead, so that 1 + f lands in
     * [sqrt(2)/2, sqrt(2)). */
    k += (upper >> 20) - 1023;
    const int32_t frac20 = upper & 0x000fffff;
    const int32_t halve = (frac20 + 0x95f64) & 0x100000;
    x = with_upper(x, (uint32_t)(frac20 | (halve ^ 0x3ff00000)));
    k += halve >> 20;
    const double f = x - 1.0;
    const double dk = (double)k;

    /* |f| < 2^-20 (frac20 within 2 of 0 or of 2^20): a short series */
    if ((0x000fffff & (2 + frac20)) < 3) {
        if (f == 0.0) {
            if (k == 0)
                return 0.0;
            return dk * LN2_HEAD + dk * LN2_TAIL;
        }
        const double q = f * f * (0.5 - ONE_THIRD * f);
        if (k == 0)
            return f - q;
        return dk * LN2_HEAD - ((q - dk * LN2_TAIL) - f);
    }

    const double s = f / (2.0 + f);
    const double z = s * s;
    const double w = z * z;
    const double even = w * (LG2 + w * (LG4 + w * LG6));
    const double odd = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    const double R = odd + even;

    /* m's fraction bits in [0x6147a, 0x6b851] (1 + f near 1.4, or near
     * 0.7 after halving): through f^2/2 */
    if (frac20 >= 0x6147a && frac20 <= 0x6b851) {
        const double half_f2 = 0.5 * f * f;
        if (k == 0)
            return f - (half_f2 - s * (half_f2 + R));
        return dk * LN2_HEAD - ((half_f2 - (s * (half_f2 + R) + dk * LN2_TAIL)) - f);
    }
    if (k == 0)
        return f - s * (f - R);
    return dk * LN2_HEAD - ((s * (f - R) - dk * LN2_TAIL) - f);
}
