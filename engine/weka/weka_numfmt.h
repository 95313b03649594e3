/*
 * weka_numfmt.h - the number texts of Weka's printed reports, reimplemented
 * from their observed behaviour (tests/golden/weka/eval/formats.tsv holds
 * Weka 3.6.14's / Java 17's own texts for ~500 values, java_double.tsv
 * Java 17's Double.toString / String.format for ~7,000 more;
 * test_evaluation.c checks every one).
 *
 *  - baiot_weka_numfmt_dts(): weka.core.Utils.doubleToString(value, width, dec):
 *    value * 10^dec rounded half away from zero to an integer, written with
 *    dec decimals, trailing zeros and a trailing point cut; "0" for zero
 *    (no sign); then laid out in width characters with the decimal point at
 *    column width-dec-1 (an integer ends just before it), blank-padded.
 *    The plain text is returned when it does not fit, when dec >= width,
 *    and when |value * 10^dec| >= 2^63 (then Java's Double.toString text,
 *    e.g. "1.0E20").  NaN gives "NaN", infinities "Infinity"/"-Infinity".
 *  - baiot_weka_numfmt_java_fixed(): Java's String.format("%.<dec>f"): the
 *    decimal digits Java develops for the value (FloatingDecimal's, as for
 *    Double.toString, without its E-form rule) rounded HALF_UP at dec
 *    decimals (so 0.1235 -> "0.124" although the double is below 0.1235;
 *    C's printf gives "0.123").
 *  - baiot_weka_numfmt_java_double(): Java's Double.toString ("0.5", "144.0",
 *    "1.0E-5", "1.2345E20") as OpenJDK 17 prints it: mostly the shortest
 *    round-trip digits, but not always: integers from 2^53 up are written
 *    exactly ("4.7551523564893512E16"), and a few other values get one
 *    more digit (weka_numfmt.c lists the rules; java_double.tsv holds
 *    Java 17's texts for ~7,000 values).  OpenJDK 19+ prints the shortest
 *    digits; Weka's reference texts here are Java 17's.
 *
 * All write a NUL-terminated text into buf[cap] (truncated if cap is too
 * small; WEKA_NUMFMT_MAX always suffices for width <= 64) and return its
 * length.  Pure functions: thread-safe, no allocation.
 */
#ifndef BAIOT_ENGINE_WEKA_NUMFMT_H
#define BAIOT_ENGINE_WEKA_NUMFMT_H

#include <stddef.h>

#define WEKA_NUMFMT_MAX 400

int baiot_weka_numfmt_dts(double value, int width, int dec, char *buf, size_t cap);
int baiot_weka_numfmt_java_fixed(double value, int dec, char *buf, size_t cap);
int baiot_weka_numfmt_java_double(double value, char *buf, size_t cap);

#endif
