/*
 * format_double.h - the shortest text that reads back as the same double,
 * in Python's repr() layout ("98.0", "1505913529.3009179",
 * "1.8189894035458565e-12", "1e+16"), the layout of the UCI N-BaIoT files.
 * Exporting a store therefore reproduces the original CSV text.
 * Covered by tests/unit/test_format_double.c.
 */
#ifndef BAIOT_IO_FORMAT_DOUBLE_H
#define BAIOT_IO_FORMAT_DOUBLE_H

#include <stddef.h>

#define FORMAT_DOUBLE_MAX 32

/* Writes v's text (NUL-terminated) to buf[FORMAT_DOUBLE_MAX]; returns its
 * length.  NaN is written "nan", infinities "inf"/"-inf". */
int baiot_format_double(double v, char *buf);

#endif
