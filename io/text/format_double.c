/*
 * format_double.c - shortest round-trip formatting in Python repr layout.
 *
 * The digits come from the smallest printf precision (1..17) whose %e text
 * reads back to the same bits (searched from 15 digits, where most data
 * values sit; integers below 1e15 need no search); then they are laid out as repr does: plain
 * decimal when the decimal exponent is in [-4, 16), else d.ddde+XX with at
 * least two exponent digits; a plain integer value gets ".0".
 * Covered by tests/unit/test_format_double.c.
 */
#include "io/text/format_double.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At a power of two the next double below is twice as near as the next
 * one above, so the nearest k-digit decimal may miss v on the narrow side
 * while the k-digit decimal one unit above still reads back to v.  For such
 * v, tries those "one above" candidates at each length shorter than the
 * text found in tmp and keeps the shortest that round-trips. */
static void shorter_above_power_of_two(double v, char *tmp)
{
    int e2;
    if (frexp(fabs(v), &e2) != 0.5)
        return;
    int found_digits = 0;
    for (const char *q = tmp; *q && *q != 'e'; q++)
        found_digits += (*q >= '0' && *q <= '9');
    for (int prec = 0; prec + 1 < found_digits; prec++) {
        char t[40], cand[48];
        snprintf(t, sizeof t, "%.*e", prec, fabs(v));
        unsigned long long d = 0;
        const char *q = t;
        for (; *q != 'e'; q++)
            if (*q != '.')
                d = d * 10 + (unsigned long long)(*q - '0');
        int e10 = atoi(q + 1);
        char ds[24];
        int n = snprintf(ds, sizeof ds, "%llu", d + 1);
        if (n > prec + 1) { /* 9.99 + 1 unit = 10.0: one more decade */
            e10++;
            n = prec + 1;
        }
        snprintf(cand, sizeof cand, "%s%c%s%.*se%+03d", v < 0 ? "-" : "", ds[0], n > 1 ? "." : "", n - 1, ds + 1,
                 e10);
        if (strtod(cand, NULL) == v) {
            strcpy(tmp, cand);
            return;
        }
    }
}

int baiot_format_double(double v, char *buf)
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
    if (!(fabs(v) < 1e15 && v == (double)(long long)v))
        shorter_above_power_of_two(v, tmp);
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
