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

#endif
