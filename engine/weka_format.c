/*
 * weka_format.c - Weka's number text (see weka_format.h).
 */
#include "weka_format.h"
#include "io/format_double.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
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
