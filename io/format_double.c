/*
 * format_double.c - shortest round-trip formatting in Python repr layout.
 *
 * The digits come from the smallest printf precision (1..17) whose %e text
 * reads back to the same bits (searched from 15 digits, where most data
 * values sit; integers below 1e15 need no search); then they are laid out as repr does: plain
 * decimal when the decimal exponent is in [-4, 16), else d.ddde+XX with at
 * least two exponent digits; a plain integer value gets ".0".
 */
#include "format_double.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int format_double(double v, char *buf)
{
    char tmp[40];
    char digits[20];
    int nd = 0, exp10 = 0, prec;
    int len = 0;

    if (isnan(v))
        return (int)(strcpy(buf, "nan"), 3);
    if (isinf(v))
        return v < 0 ? (int)(strcpy(buf, "-inf"), 4) : (int)(strcpy(buf, "inf"), 3);
    if (v == 0) {
        strcpy(buf, signbit(v) ? "-0.0" : "0.0");
        return (int)strlen(buf);
    }
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        /* integers: exact digits, no search */
        snprintf(tmp, sizeof tmp, "%.*e", 16, v);
    } else {
        /* Most data values need 15 to 17 digits: start at 15, go down only
         * while shorter text still reads back to v. */
        prec = 14;
        snprintf(tmp, sizeof tmp, "%.*e", prec, v);
        if (strtod(tmp, NULL) == v) {
            char shorter[40];
            while (prec > 0) {
                snprintf(shorter, sizeof shorter, "%.*e", prec - 1, v);
                if (strtod(shorter, NULL) != v)
                    break;
                memcpy(tmp, shorter, sizeof shorter);
                prec--;
            }
        } else {
            for (prec = 15; prec < 17; prec++) {
                snprintf(tmp, sizeof tmp, "%.*e", prec, v);
                if (strtod(tmp, NULL) == v)
                    break;
            }
        }
    }
    /* tmp = [-]d[.ddd]e[+-]XX */
    const char *p = tmp;
    if (*p == '-') {
        buf[len++] = '-';
        p++;
    }
    for (; *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    exp10 = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;

    if (exp10 >= -4 && exp10 < 16) {
        if (exp10 < 0) {
            buf[len++] = '0';
            buf[len++] = '.';
            for (int i = -1; i > exp10; i--)
                buf[len++] = '0';
            for (int i = 0; i < nd; i++)
                buf[len++] = digits[i];
        } else {
            for (int i = 0; i <= exp10; i++)
                buf[len++] = i < nd ? digits[i] : '0';
            buf[len++] = '.';
            if (nd > exp10 + 1)
                for (int i = exp10 + 1; i < nd; i++)
                    buf[len++] = digits[i];
            else
                buf[len++] = '0';
        }
        buf[len] = '\0';
        return len;
    }
    buf[len++] = digits[0];
    if (nd > 1) {
        buf[len++] = '.';
        for (int i = 1; i < nd; i++)
            buf[len++] = digits[i];
    }
    len += snprintf(buf + len, FORMAT_DOUBLE_MAX - (size_t)len, "e%c%02d", exp10 < 0 ? '-' : '+',
                    exp10 < 0 ? -exp10 : exp10);
    return len;
}
