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
 * baiot_parse_double. */
const char *baiot_parse_double_short(const char *p, double *out);

#endif
