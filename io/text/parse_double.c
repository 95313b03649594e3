/*
 * parse_double.c - correctly rounded decimal parsing (see parse_double.h).
 *
 * A literal is read as an integer significand w (up to 19 significant
 * digits) and a decimal exponent q, value = w * 10^q.  Three paths, each
 * exact:
 *   1. w < 2^53 and |q| <= 22: w and 10^|q| are exact doubles, so one IEEE
 *      multiplication or division rounds correctly (Clinger's fast path).
 *   2. |q| <= 54 on x87 (64-bit long double significand): w is exact, and
 *      the value is formed with one (|q| <= 27) or two long double
 *      operations.  The error is at most one unit in the 64-bit last place,
 *      so rounding that result to 53 bits is correct unless its 11 dropped
 *      bits lie within two units of the halfway pattern 0x400; those rare
 *      cases (about 1 in 400) go to path 3.
 *   3. everything else (more than 19 significant digits, large exponents,
 *      near-halfway cases): strtod on a NUL-terminated copy.  glibc's strtod
 *      is correctly rounded.
 * baiot_parse_double_short (inline, in parse_double.h) is path 1 alone for
 * the short plain decimals most N-BaIoT fields are ("0.0", "98.0").
 * Covered by tests/unit/test_parse_double.c and
 * tests/unit/test_format_double.c.
 */
#include "io/text/parse_double.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIG_DIGITS 19
#define FALLBACK_MAX_LEN 1100 /* longest literal handed to strtod */

static const double pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
#define HAVE_X87_PATH 1
static const long double pow10_ld[28] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
};

/* The low 11 bits of r's 64-bit significand: the bits rounding to double
 * drops (r is a normal number in double range here). */
static unsigned dropped_bits(long double r)
{
    uint64_t mant;
    memcpy(&mant, &r, sizeof mant);
    return (unsigned)(mant & 0x7FF);
}

/* Path 2: returns 1 and sets *out when the x87 result is safely rounded. */
static int x87_path(uint64_t w, int q, double *out)
{
    long double r = (long double)w;
    unsigned slack;
    if (q >= 0) {
        if (q > 27)
            return 0;
        r *= pow10_ld[q];
        slack = 1;
    } else if (q >= -27) {
        r /= pow10_ld[-q];
        slack = 1;
    } else if (q >= -54) {
        r /= pow10_ld[27];
        r /= pow10_ld[-q - 27];
        slack = 2;
    } else {
        return 0;
    }
    unsigned low = dropped_bits(r);
    if (low + slack >= 0x400 && low <= 0x400 + slack)
        return 0;
    *out = (double)r;
    return 1;
}
#else
#define HAVE_X87_PATH 0
#endif

/* 1 when the 8 bytes at p are all ASCII digits. */
static inline int eight_digits(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return (((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
            0x3333333333333333ULL);
}

/* The value of 8 ASCII digits (first digit most significant), combining
 * neighbouring digits, then pairs, then quads with multiplications. */
static inline uint64_t eight_digit_value(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    v -= 0x3030303030303030ULL;                /* bytes d0..d7, d0 lowest */
    v = (v * 10) + (v >> 8);                   /* byte 2i: 10*d(2i) + d(2i+1) */
    uint64_t pairs_lo = v & 0x000000FF000000FFULL;          /* pairs 0 and 2 */
    uint64_t pairs_hi = (v >> 16) & 0x000000FF000000FFULL;  /* pairs 1 and 3 */
    return ((pairs_lo * (100 + (1000000ULL << 32))) + (pairs_hi * (1 + (10000ULL << 32)))) >> 32;
}

static const char *fallback(const char *start, const char *stop, double *out)
{
    char local[FALLBACK_MAX_LEN + 1];
    size_t n = (size_t)(stop - start);
    char *buf = n <= FALLBACK_MAX_LEN ? local : malloc(n + 1); /* rare: literals of over 1100 characters */
    char *tail;
    if (!buf)
        return NULL;
    memcpy(buf, start, n);
    buf[n] = '\0';
    errno = 0;
    double v = strtod(buf, &tail);
    int ok = tail == buf + n && !isinf(v);
    if (buf != local)
        free(buf);
    if (!ok)
        return NULL;
    *out = v;
    return stop;
}

const char *baiot_parse_double(const char *p, const char *end, double *out)
{
    const char *start = p;
    int negative = 0;
    uint64_t w = 0;
    int sig = 0;          /* significant digits kept in w */
    int dropped = 0;      /* nonzero digits beyond MAX_SIG_DIGITS */
    int exp10 = 0;        /* adjustment from dropped integer / kept fraction digits */
    int ndigits = 0;

    if (p < end && (*p == '-' || *p == '+')) {
        negative = (*p == '-');
        p++;
    }
    for (;;) {
        /* eight digits at once while they fit in w's 19 significant digits */
        while (sig > 0 && sig <= MAX_SIG_DIGITS - 8 && end - p >= 8 && eight_digits(p)) {
            w = w * 100000000ULL + eight_digit_value(p);
            sig += 8;
            p += 8;
            ndigits += 8;
        }
        if (p >= end || (unsigned)(*p - '0') >= 10)
            break;
        unsigned d = (unsigned)(*p - '0');
        if (sig < MAX_SIG_DIGITS) {
            w = w * 10 + d;
            sig += (w != 0);
        } else {
            exp10++;
            dropped |= (d != 0);
        }
        p++;
        ndigits++;
    }
    if (p < end && *p == '.') {
        p++;
        while (sig > 0 && sig <= MAX_SIG_DIGITS - 8 && end - p >= 8 && eight_digits(p)) {
            w = w * 100000000ULL + eight_digit_value(p);
            sig += 8;
            exp10 -= 8;
            p += 8;
            ndigits += 8;
        }
        for (; p < end && (unsigned)(*p - '0') < 10; p++, ndigits++) {
            unsigned d = (unsigned)(*p - '0');
            if (sig < MAX_SIG_DIGITS) {
                w = w * 10 + d;
                sig += (w != 0);
                exp10--;
            } else {
                dropped |= (d != 0);
            }
        }
    }
    if (ndigits == 0)
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *e = p + 1;
        int eneg = 0;
        int ev = 0;
        if (e < end && (*e == '-' || *e == '+')) {
            eneg = (*e == '-');
            e++;
        }
        if (e >= end || (unsigned)(*e - '0') >= 10)
            return NULL;
        for (; e < end && (unsigned)(*e - '0') < 10; e++)
            if (ev < 100000)
                ev = ev * 10 + (*e - '0');
        exp10 += eneg ? -ev : ev;
        p = e;
    }
    if (w == 0 && !dropped) {
        *out = negative ? -0.0 : 0.0;
        return p;
    }
    if (!dropped) {
        double v;
        if (w < ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
            v = (double)w;
            v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
            *out = negative ? -v : v;
            return p;
        }
#if HAVE_X87_PATH
        if (x87_path(w, exp10, &v)) {
            *out = negative ? -v : v;
            return p;
        }
#endif
    }
    return fallback(start, p, out);
}
