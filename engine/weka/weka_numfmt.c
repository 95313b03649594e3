/*
 * weka_numfmt.c - the number texts of Weka's reports (Utils.doubleToString,
 * Java's String.format("%.nf") and Double.toString), reimplemented from
 * their observed behaviour; see weka_numfmt.h for the rules.
 *
 * Used by engine/evaluation/eval_text.c to print Weka's summary,
 * class-details and confusion-matrix blocks character for character (and
 * by the OneR, J48 and EM printers and `baiot rank`).  The shortest
 * round-trip digits come from a %.*e search (at most 17 tries), which is
 * fine for report-sized outputs.  Pure functions, thread-safe, no
 * allocation.
 * Covered by tests/unit/test_evaluation.c, tests/cli/test_oner_golden.py and
 * tests/cli/test_j48_golden.py.
 */
#include "engine/weka/weka_numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWO_POW_63 9223372036854775808.0

/* Copies text into buf[cap] (truncating) and returns its full length. */
static int put(const char *text, char *buf, size_t cap)
{
    size_t n = strlen(text);
    if (cap > 0) {
        size_t m = n < cap - 1 ? n : cap - 1;
        memcpy(buf, text, m);
        buf[m] = '\0';
    }
    return (int)n;
}

/* The shortest decimal digits that read back as v (v finite, non-zero):
 * digits[] gets them without sign or point (no trailing zeros) and *exp10
 * the exponent such that |v| = 0.d1d2d3... * 10^exp10. */
static void shortest_digits(double v, char *digits, int *exp10)
{
    char tmp[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, fabs(v));
        if (prec == 17 || strtod(tmp, NULL) == fabs(v))
            break;
    }
    /* tmp is "d.ddde[+-]x" or "de[+-]x" */
    int n = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    *exp10 = atoi(p + 1) + 1;
}

int baiot_weka_numfmt_java_double(double v, char *buf, size_t cap)
{
    char out[64], digits[32];
    int e, n, k = 0;
    if (isnan(v))
        return put("NaN", buf, cap);
    if (isinf(v))
        return put(v > 0 ? "Infinity" : "-Infinity", buf, cap);
    if (v == 0)
        return put(signbit(v) ? "-0.0" : "0.0", buf, cap);
    shortest_digits(v, digits, &e);
    n = (int)strlen(digits);
    if (v < 0)
        out[k++] = '-';
    if (fabs(v) >= 1e-3 && fabs(v) < 1e7) {
        /* plain: integer part, point, at least one fraction digit */
        if (e <= 0) {
            out[k++] = '0';
            out[k++] = '.';
            for (int i = 0; i < -e; i++)
                out[k++] = '0';
            for (int i = 0; i < n; i++)
                out[k++] = digits[i];
        } else {
            for (int i = 0; i < e; i++)
                out[k++] = i < n ? digits[i] : '0';
            out[k++] = '.';
            if (n > e)
                for (int i = e; i < n; i++)
                    out[k++] = digits[i];
            else
                out[k++] = '0';
        }
        out[k] = '\0';
    } else {
        /* computerized scientific: d.ddd...E<exp>, at least one fraction digit */
        out[k++] = digits[0];
        out[k++] = '.';
        if (n > 1)
            for (int i = 1; i < n; i++)
                out[k++] = digits[i];
        else
            out[k++] = '0';
        snprintf(out + k, sizeof out - (size_t)k, "E%d", e - 1);
    }
    return put(out, buf, cap);
}

/* Utils.doubleToString(value, dec) - the unpadded text. */
static void dts_plain(double value, int dec, char *out, size_t cap)
{
    double t = value * pow(10.0, dec);
    long long pv;
    char digits[32];
    if (!(fabs(t) < TWO_POW_63)) {
        baiot_weka_numfmt_java_double(value, out, cap);
        return;
    }
    /* Java: (long)(t + 0.5) for t > 0, else -(long)(|t| + 0.5); the cast
     * truncates and saturates */
    double u = (t > 0 ? t : fabs(t)) + 0.5;
    long long m = u >= TWO_POW_63 ? 0x7fffffffffffffffLL : (long long)u;
    pv = t > 0 ? m : -m;
    if (pv == 0 || dec <= 0) {
        snprintf(out, cap, "%lld", pv);
        return;
    }
    /* |pv| with at least dec + 1 digits, point before the last dec */
    unsigned long long a = pv < 0 ? 0ULL - (unsigned long long)pv : (unsigned long long)pv;
    snprintf(digits, sizeof digits, "%llu", a);
    int n = (int)strlen(digits);
    char text[96];
    int k = 0;
    if (pv < 0)
        text[k++] = '-';
    int lead = dec + 1 - n; /* zeros to put in front */
    int total = lead > 0 ? dec + 1 : n;
    for (int i = 0; i < total; i++) {
        if (i == total - dec)
            text[k++] = '.';
        text[k++] = i < lead ? '0' : digits[i - (lead > 0 ? lead : 0)];
    }
    text[k] = '\0';
    /* cut trailing zeros, then a trailing point */
    while (k > 0 && text[k - 1] == '0')
        text[--k] = '\0';
    if (k > 0 && text[k - 1] == '.')
        text[--k] = '\0';
    snprintf(out, cap, "%s", text);
}

int baiot_weka_numfmt_dts(double value, int width, int dec, char *buf, size_t cap)
{
    char s[WEKA_NUMFMT_MAX];
    char r[WEKA_NUMFMT_MAX];
    dts_plain(value, dec, s, sizeof s);
    int len = (int)strlen(s);
    if (dec >= width || strchr(s, 'E') || width >= (int)sizeof r)
        return put(s, buf, cap);
    memset(r, ' ', (size_t)width);
    r[width] = '\0';
    int dot;
    if (dec > 0) {
        const char *pt = strchr(s, '.');
        if (pt) {
            dot = (int)(pt - s);
            r[width - dec - 1] = '.';
        } else {
            dot = len;
        }
    } else {
        dot = len;
    }
    int offset = width - dec - dot;
    if (dec > 0)
        offset--;
    if (offset < 0)
        return put(s, buf, cap);
    for (int i = 0; i < dot; i++)
        r[offset + i] = s[i];
    for (int i = dot + 1; i < len; i++)
        r[offset + i] = s[i];
    return put(r, buf, cap);
}

int baiot_weka_numfmt_java_fixed(double value, int dec, char *buf, size_t cap)
{
    char digits[40];
    char out[WEKA_NUMFMT_MAX];
    int e, n, k = 0;
    if (isnan(value))
        return put("NaN", buf, cap);
    if (isinf(value))
        return put(value > 0 ? "Infinity" : "-Infinity", buf, cap);
    if (dec < 0)
        dec = 0;
    if (value == 0) {
        digits[0] = '0';
        digits[1] = '\0';
        e = 1;
    } else {
        shortest_digits(value, digits, &e);
    }
    n = (int)strlen(digits);
    /* value = 0.digits * 10^e; keep the first e + dec digits, HALF_UP */
    int keep = e + dec;
    char kept[WEKA_NUMFMT_MAX];
    int nk;
    if (keep < 0) {
        nk = 0;
    } else if (keep >= n) {
        memcpy(kept, digits, (size_t)n);
        for (int i = n; i < keep; i++)
            kept[i] = '0';
        nk = keep;
    } else {
        memcpy(kept, digits, (size_t)keep);
        nk = keep;
        if (digits[keep] >= '5') {
            int i = nk - 1;
            while (i >= 0 && kept[i] == '9')
                kept[i--] = '0';
            if (i >= 0) {
                kept[i]++;
            } else {
                memmove(kept + 1, kept, (size_t)nk);
                kept[0] = '1';
                nk++;
                e++;
            }
        }
    }
    /* kept holds the digits of round(value * 10^dec), nk of them (may be 0) */
    if (signbit(value))
        out[k++] = '-';
    int int_digits = nk - dec; /* digits before the point */
    if (int_digits <= 0) {
        out[k++] = '0';
    } else {
        for (int i = 0; i < int_digits; i++)
            out[k++] = kept[i];
    }
    if (dec > 0) {
        out[k++] = '.';
        for (int i = 0; i < dec; i++) {
            int idx = int_digits + i;
            out[k++] = idx >= 0 && idx < nk ? kept[idx] : '0';
        }
    }
    out[k] = '\0';
    return put(out, buf, cap);
}
