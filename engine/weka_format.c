/*
 * weka_format.c - Weka's number text (see weka_format.h).
 */
#include "weka_format.h"
#include "io/format_double.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int weka_number(double x, int decimals, char *buf)
{
    double scaled = x * pow(10.0, decimals);
    if (!(fabs(scaled) < 9223372036854775807.0)) {
        /* too large for a long: Java's Double.toString, plain in [1e-3, 1e7) */
        return format_double(x, buf);
    }
    long long whole = scaled > 0 ? (long long)(scaled + 0.5) : -(long long)(fabs(scaled) + 0.5);
    char digits[32];
    int neg = whole < 0;
    unsigned long long mag = neg ? (unsigned long long)(-(whole + 1)) + 1 : (unsigned long long)whole;
    int n = snprintf(digits, sizeof digits, "%llu", mag);
    if (decimals == 0 || mag == 0) {
        return snprintf(buf, WEKA_NUMBER_MAX, "%s%s", neg && mag ? "-" : "", mag ? digits : "0");
    }
    char tmp[WEKA_NUMBER_MAX];
    int len = 0;
    if (neg)
        tmp[len++] = '-';
    if (n <= decimals) {
        tmp[len++] = '0';
        tmp[len++] = '.';
        for (int i = n; i < decimals; i++)
            tmp[len++] = '0';
        memcpy(tmp + len, digits, (size_t)n);
        len += n;
    } else {
        memcpy(tmp + len, digits, (size_t)(n - decimals));
        len += n - decimals;
        tmp[len++] = '.';
        memcpy(tmp + len, digits + n - decimals, (size_t)decimals);
        len += decimals;
    }
    while (tmp[len - 1] == '0')
        len--;
    if (tmp[len - 1] == '.')
        len--;
    tmp[len] = '\0';
    memcpy(buf, tmp, (size_t)len + 1);
    return len;
}

int java_double_string(double x, char *buf)
{
    char shortest[FORMAT_DOUBLE_MAX];
    double a = fabs(x);
    if (x == 0 || isnan(x) || isinf(x) || (a >= 1e-3 && a < 1e7)) {
        if (isnan(x))
            return (int)(strcpy(buf, "NaN"), 3);
        if (isinf(x))
            return x > 0 ? (int)(strcpy(buf, "Infinity"), 8) : (int)(strcpy(buf, "-Infinity"), 9);
        return format_double(x, buf); /* plain: same text as Python's repr here */
    }
    /* scientific: the shortest digits of x, then d.ddd and E<exp> */
    format_double(x, shortest);
    char digits[32];
    int nd = 0, exp10 = 0, neg = x < 0, seen_point = 0, int_digits = 0, lead_zeros = 0, started = 0;
    const char *p = shortest + neg;
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') {
            seen_point = 1;
            continue;
        }
        if (!started && *p == '0') {
            if (seen_point)
                lead_zeros++;
            continue;
        }
        started = 1;
        digits[nd++] = *p;
        if (!seen_point)
            int_digits++;
    }
    if (*p == 'e')
        exp10 = atoi(p + 1);
    /* value = 0.d1d2... * 10^(int_digits + exp10) when there were integer digits */
    int e = int_digits > 0 ? int_digits - 1 + exp10 : -lead_zeros - 1 + exp10;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    int len = 0;
    if (neg)
        buf[len++] = '-';
    buf[len++] = digits[0];
    buf[len++] = '.';
    if (nd > 1) {
        memcpy(buf + len, digits + 1, (size_t)(nd - 1));
        len += nd - 1;
    } else {
        buf[len++] = '0';
    }
    len += snprintf(buf + len, 16, "E%d", e);
    return len;
}
