/*
 * weka_format.h - numbers printed as Weka prints them, so that output in
 * Weka's layout can be compared with Weka's text.
 *
 * weka_number(x, d): x * 10^d rounded half up to a whole number (when it
 * fits a Java long), its digits with the point put back d places from the
 * right, trailing zeros and a bare point removed; otherwise Java's
 * Double.toString(x) (the shortest digits that read back to x).
 */
#ifndef BAIOT_ENGINE_WEKA_FORMAT_H
#define BAIOT_ENGINE_WEKA_FORMAT_H

#include <stddef.h>

#define WEKA_NUMBER_MAX 48

/* Writes the text of x with at most `decimals` decimals to buf
 * (WEKA_NUMBER_MAX bytes); returns its length. */
int weka_number(double x, int decimals, char *buf);

#endif

#ifndef BAIOT_ENGINE_WEKA_FORMAT_JAVA
#define BAIOT_ENGINE_WEKA_FORMAT_JAVA
/* Java's Double.toString(x) (what Weka prints for "" + x): the shortest
 * digits, plain in [1e-3, 1e7) with at least one decimal, else
 * d.dddE<exp>.  Returns the length. */
int java_double_string(double x, char *buf);
#endif
