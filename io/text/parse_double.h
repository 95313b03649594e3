/*
 * parse_double.h - exact decimal-to-double conversion for the CSV parsers.
 *
 * baiot_parse_double() returns the correctly rounded (round-half-even) double of
 * a decimal literal, the same bits strtod gives in the C locale, but without
 * needing a NUL terminator and several times faster on the 17-digit values
 * of N-BaIoT.  It accepts [+-]digits[.digits][(e|E)[+-]digits] (either side
 * of the point may be empty, not both) and nothing else: no NaN, Inf, hex or
 * spaces.  Thread-safe; allocates only for literals of over 1100 characters
 * (a temporary copy for strtod).
 * Covered by tests/unit/test_parse_double.c and
 * tests/unit/test_format_double.c.
 */
#ifndef BAIOT_IO_PARSE_DOUBLE_H
#define BAIOT_IO_PARSE_DOUBLE_H

#include <stdint.h>
#include <string.h>

/* Parses the literal starting at p (never reading at or past end).  On
 * success stores the value in *out and returns the first unread character;
 * returns NULL when no literal starts at p or its value overflows a double. */
const char *baiot_parse_double(const char *p, const char *end, double *out);

/* A fast path for short plain decimals, for callers that may read 8 bytes
 * at p: when they hold 1-5 digits, '.', 1-5 digits (at most 6 in all),
 * then a non-digit, stores the literal's value (the same bits as
 * baiot_parse_double) and returns that non-digit's address; otherwise
 * returns NULL.  The caller checks that the literal ends there (e.g. at
 * its delimiter: "1.5e3" returns the address of 'e') and else calls
 * baiot_parse_double.  Inline: it runs once per field of the CSV parsers'
 * inner loop.  One 8-byte load; a zero byte of
 * nd marks an ASCII digit (the test of parse_double.c's eight_digits; a
 * carry from a byte >= 0xFA can only turn a digit into a non-digit, which
 * ends the literal early and so fails a check below or the caller's
 * delimiter test).  At most 6 digits: a short loop beat a branch-free SWAR
 * sum here.  w < 10^6 and at most 5 fraction digits: one correctly rounded
 * division of exact doubles, as baiot_parse_double's path 1 does. */
static inline const char *baiot_parse_double_short(const char *p, double *out)
{
    static const double pow10_short[6] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5};
    uint64_t v;
    memcpy(&v, p, 8);
    uint64_t nd = ((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ^
                  0x3333333333333333ULL;
    if (nd == 0)
        return 0;
    int dot = __builtin_ctzll(nd) >> 3; /* first non-digit */
    if (dot == 0 || dot > 5 || p[dot] != '.')
        return 0;
    uint64_t after = nd & (~0ULL << (8 * (dot + 1)));
    if (after == 0)
        return 0;
    int stop = __builtin_ctzll(after) >> 3, frac = stop - dot - 1;
    if (frac < 1)
        return 0;
    uint64_t w = 0;
    for (int k = 0; k < stop; k++)
        if (k != dot)
            w = w * 10 + (uint64_t)(p[k] - '0');
    *out = (double)w / pow10_short[frac];
    return p + stop;
}

#endif
