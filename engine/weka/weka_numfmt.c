/*
 * weka_numfmt.c - the number texts of Weka's reports (Utils.doubleToString,
 * Java's String.format("%.nf") and Double.toString), reimplemented from
 * their observed behaviour; see weka_numfmt.h for the rules.
 *
 * Used by engine/evaluation/eval_text.c to print Weka's summary,
 * class-details and confusion-matrix blocks character for character (and
 * by the OneR, J48 and EM printers and `baiot rank`).  Java's digits are
 * those of OpenJDK 17's FloatingDecimal (the reference Weka runs on), which
 * are not always the shortest round-trip ones (section below); the big
 * numbers it needs live in a fixed array on the stack.  Pure functions,
 * thread-safe, no allocation.
 * Covered by tests/unit/test_evaluation.c (formats.tsv, java_double.tsv),
 * tests/cli/test_oner_golden.py and tests/cli/test_j48_golden.py.
 */
#include "engine/weka/weka_numfmt.h"

#include <math.h>
#include <stdint.h>
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

/* ---------------------------------------------------------------------
 * Java's digits (OpenJDK <= 18: FloatingDecimal's binary-to-decimal
 * conversion, which Double.toString and String.format("%.nf") use; OpenJDK
 * 19+ prints the shortest digits instead).  Reimplemented from the
 * documented algorithm and checked against Java 17's own texts
 * (tests/golden/weka/eval/java_double.tsv).  The rules:
 *  1. An integer value below 2^63 (no fraction bits) is written as its
 *     exact integer digits, trailing zeros dropped; the last
 *     floor(log10(2^(e-54))) digits (e the binary exponent; none below
 *     2^58) are first rounded away, half up.  So 47551523564893512.0 prints as
 *     "4.7551523564893512E16" (17 digits; the shortest is 16).
 *  2. Otherwise digits come from the Steele-White / dragon4 free-format
 *     loop: with d = B/S * 10^k and M half an ulp (scaled like B; a
 *     symmetric margin even at powers of two, where M is halved once),
 *     each step takes q = floor(B/S), B = 10 (B mod S), M = 10 M, and
 *     stops when B < M ("low") or B + M > 10 S ("high"; >= when the
 *     numbers need more than 63 bits, Java's big-integer branch); the last
 *     digit is rounded up when only high holds, or both hold and 2B > 10 S
 *     (ties to an even digit).  A zero first digit is dropped (k was one
 *     too high).  In Double.toString's E form (k < -3 or k >= 8) and in
 *     String.format the first digit never stops the loop.  In the 32- and
 *     64-bit branches Java's wrap-around of M * 10 is kept (a negative M
 *     stops with both flags).
 * ------------------------------------------------------------------- */

#define JD_LIMBS 96 /* 3,072 bits: B, M and 10 S stay below 2,300 bits */

typedef struct {
    uint32_t w[JD_LIMBS]; /* little-endian */
    int n;                /* limbs in use; 0 for zero */
} jd_big;

static void jd_set(jd_big *a, uint64_t v)
{
    a->n = 0;
    while (v) {
        a->w[a->n++] = (uint32_t)v;
        v >>= 32;
    }
}

static void jd_mul_small(jd_big *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->w[i] * m + carry;
        a->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry)
        a->w[a->n++] = (uint32_t)carry;
}

static void jd_mul_pow5(jd_big *a, int e)
{
    for (; e >= 13; e -= 13)
        jd_mul_small(a, 1220703125u); /* 5^13 */
    uint32_t p = 1;
    while (e-- > 0)
        p *= 5;
    if (p > 1)
        jd_mul_small(a, p);
}

static void jd_shl(jd_big *a, int bits)
{
    if (a->n == 0 || bits <= 0)
        return;
    int limbs = bits / 32, b = bits % 32;
    if (b) {
        uint32_t carry = 0;
        for (int i = 0; i < a->n; i++) {
            uint32_t w = a->w[i];
            a->w[i] = (w << b) | carry;
            carry = w >> (32 - b);
        }
        if (carry)
            a->w[a->n++] = carry;
    }
    if (limbs) {
        memmove(a->w + limbs, a->w, (size_t)a->n * sizeof a->w[0]);
        memset(a->w, 0, (size_t)limbs * sizeof a->w[0]);
        a->n += limbs;
    }
}

static int jd_cmp(const jd_big *a, const jd_big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

static void jd_add(jd_big *r, const jd_big *a, const jd_big *b)
{
    uint64_t carry = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        uint64_t t = carry + (i < a->n ? a->w[i] : 0) + (i < b->n ? b->w[i] : 0);
        r->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    r->n = n;
    if (carry)
        r->w[r->n++] = (uint32_t)carry;
}

/* a -= b (a >= b) */
static void jd_sub(jd_big *a, const jd_big *b)
{
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        borrow = t < 0;
        a->w[i] = (uint32_t)(t + (borrow ? 4294967296LL : 0));
    }
    while (a->n > 0 && a->w[a->n - 1] == 0)
        a->n--;
}

/* q = floor(B / S) (< 10 by the invariant), B = 10 (B mod S) */
static int jd_digit(jd_big *b, const jd_big *s)
{
    int q = 0;
    while (jd_cmp(b, s) >= 0) {
        jd_sub(b, s);
        q++;
    }
    jd_mul_small(b, 10);
    return q;
}

/* ceil(log2(5^i)) for i < 27, the bound Java sizes its branches by */
static const int JD_5_BITS[27] = {0,  3,  5,  7,  10, 12, 14, 17, 19, 21, 24, 26, 28, 31,
                                  33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61};

static int jd_5_bits(int i)
{
    return i < 27 ? JD_5_BITS[i] : i * 3;
}

static int64_t jd_pow5(int i)
{
    int64_t p = 1;
    while (i-- > 0)
        p *= 5;
    return p;
}

/* Java's estimate of floor(log10(d)) from the mantissa and binary exponent
 * (a linear fit of log10 on [1, 2), then floor) */
static int jd_estimate_exp10(uint64_t fract, int bin_exp)
{
    uint64_t bits = 0x3ff0000000000000ULL | (fract & 0x000fffffffffffffULL);
    double d2;
    memcpy(&d2, &bits, sizeof d2);
    volatile double t1 = (d2 - 1.5) * 0.289529654;
    volatile double t2 = t1 + 0.176091259;
    volatile double t3 = (double)bin_exp * 0.301029995663981;
    double d = t2 + t3;
    return (int)floor(d);
}

/* Appends one to the last digit, carrying; a carry out of the first digit
 * gives "1" and one more decimal exponent (the other digits stay). */
static void jd_roundup(char *digits, int n, int *exp10)
{
    int i = n - 1;
    while (i > 0 && digits[i] == '9')
        digits[i--] = '0';
    if (digits[i] == '9') {
        digits[0] = '1';
        (*exp10)++;
        return;
    }
    digits[i]++;
}

/* The digits Java 17 develops for v (finite, non-zero): digits[] gets them
 * (NUL-terminated, possibly with trailing zeros, as Java keeps them) and
 * *exp10 the exponent with |v| = 0.d1d2d3... * 10^exp10.  compat: the
 * Double.toString flavour (else String.format's). */
static void java_digits(double v, int compat, char *digits, int *exp10)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t fract = bits & 0x000fffffffffffffULL;
    int bin_exp = (int)((bits >> 52) & 0x7ff), nsig;
    if (bin_exp == 0) { /* subnormal: normalise */
        int lz = __builtin_clzll(fract);
        int shift = lz - 11;
        fract <<= shift;
        bin_exp = 1 - shift;
        nsig = 64 - lz;
    } else {
        fract |= 1ULL << 52;
        nsig = 53;
    }
    bin_exp -= 1023;
    int tail = __builtin_ctzll(fract);
    int nfract = 53 - tail;
    int ntiny = nfract - bin_exp - 1 > 0 ? nfract - bin_exp - 1 : 0;
    int nd = 0;

    /* rule 1: integers below 2^63 */
    if (bin_exp <= 62 && bin_exp >= -21 && ntiny == 0) {
        int insig = 0;
        if (bin_exp > nsig && bin_exp - nsig - 1 > 1) {
            for (uint64_t p = 1ULL << (bin_exp - nsig - 1); p >= 10; p /= 10)
                insig++;
        }
        uint64_t lv = bin_exp >= 52 ? fract << (bin_exp - 52) : fract >> (52 - bin_exp);
        int e = insig;
        if (insig) {
            uint64_t p10 = 1;
            for (int i = 0; i < insig; i++)
                p10 *= 10;
            uint64_t res = lv % p10;
            lv /= p10;
            if (res >= p10 / 2)
                lv++;
        }
        char tmp[24];
        int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)lv);
        e += n;
        while (n > 1 && tmp[n - 1] == '0')
            n--;
        memcpy(digits, tmp, (size_t)n);
        digits[n] = '\0';
        *exp10 = e;
        return;
    }

    /* rule 2 */
    int dexp = jd_estimate_exp10(fract, bin_exp);
    int b5 = dexp < 0 ? -dexp : 0;
    int b2 = b5 + ntiny + bin_exp;
    int s5 = dexp > 0 ? dexp : 0;
    int s2 = s5 + ntiny;
    int m5 = b5;
    int m2 = b2 - nsig;
    fract >>= tail;
    b2 -= nfract - 1;
    int common = b2 < s2 ? b2 : s2;
    b2 -= common;
    s2 -= common;
    m2 -= common;
    if (nfract == 1)
        m2 -= 1;
    if (m2 < 0) {
        b2 -= m2;
        s2 -= m2;
        m2 = 0;
    }
    int low, high, q;
    int64_t low_diff = 0;
    int b_bits = nfract + b2 + jd_5_bits(b5);
    int tens_bits = s2 + 1 + jd_5_bits(s5 + 1);
    if (b_bits < 64 && tens_bits < 64) {
        /* Java's int (< 32 bits) and long branches: the same steps in
         * 32- or 64-bit two's-complement arithmetic */
        int w32 = b_bits < 32 && tens_bits < 32;
#define JD_WRAP(x) (w32 ? (int64_t)(int32_t)(uint32_t)(uint64_t)(x) : (int64_t)(x))
        int64_t b = JD_WRAP((uint64_t)((uint64_t)fract * (uint64_t)jd_pow5(b5)) << b2);
        int64_t s = JD_WRAP((uint64_t)jd_pow5(s5) << s2);
        int64_t m = JD_WRAP((uint64_t)jd_pow5(m5) << m2);
        int64_t tens = JD_WRAP((uint64_t)s * 10u);
        q = (int)(b / s);
        b = JD_WRAP((uint64_t)(b % s) * 10u);
        m = JD_WRAP((uint64_t)m * 10u);
        low = b < m;
        high = JD_WRAP((uint64_t)b + (uint64_t)m) > tens;
        if (q == 0 && !high)
            dexp--;
        else
            digits[nd++] = (char)('0' + q);
        if (!compat || dexp < -3 || dexp >= 8)
            high = low = 0;
        while (!low && !high) {
            q = (int)(b / s);
            b = JD_WRAP((uint64_t)(b % s) * 10u);
            m = JD_WRAP((uint64_t)m * 10u);
            if (m > 0) {
                low = b < m;
                high = JD_WRAP((uint64_t)b + (uint64_t)m) > tens;
            } else {
                low = high = 1;
            }
            digits[nd++] = (char)('0' + q);
        }
        low_diff = JD_WRAP(((uint64_t)b << 1) - (uint64_t)tens);
#undef JD_WRAP
    } else {
        jd_big B, S, M, T, BM;
        jd_set(&S, 1);
        jd_mul_pow5(&S, s5);
        jd_shl(&S, s2);
        jd_set(&B, fract);
        jd_mul_pow5(&B, b5);
        jd_shl(&B, b2);
        jd_set(&M, 1);
        jd_mul_pow5(&M, m5);
        jd_shl(&M, m2);
        jd_mul_small(&M, 10);
        T = S;
        jd_mul_small(&T, 10);
        q = jd_digit(&B, &S);
        low = jd_cmp(&B, &M) < 0;
        jd_add(&BM, &B, &M);
        high = jd_cmp(&T, &BM) <= 0;
        if (q == 0 && !high)
            dexp--;
        else
            digits[nd++] = (char)('0' + q);
        if (!compat || dexp < -3 || dexp >= 8)
            high = low = 0;
        while (!low && !high) {
            q = jd_digit(&B, &S);
            jd_mul_small(&M, 10);
            low = jd_cmp(&B, &M) < 0;
            jd_add(&BM, &B, &M);
            high = jd_cmp(&T, &BM) <= 0;
            digits[nd++] = (char)('0' + q);
        }
        if (high && low) {
            jd_shl(&B, 1);
            low_diff = jd_cmp(&B, &T);
        }
    }
    digits[nd] = '\0';
    *exp10 = dexp + 1;
    if (high) {
        if (low) {
            if (low_diff == 0) {
                if ((digits[nd - 1] - '0') & 1)
                    jd_roundup(digits, nd, exp10);
            } else if (low_diff > 0) {
                jd_roundup(digits, nd, exp10);
            }
        } else {
            jd_roundup(digits, nd, exp10);
        }
    }
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
    java_digits(v, 1, digits, &e);
    n = (int)strlen(digits);
    if (v < 0)
        out[k++] = '-';
    if (e > 0 && e < 8) {
        /* plain: the digits, the point after e of them, at least one
         * fraction digit */
        for (int i = 0; i < e; i++)
            out[k++] = i < n ? digits[i] : '0';
        out[k++] = '.';
        if (n > e)
            for (int i = e; i < n; i++)
                out[k++] = digits[i];
        else
            out[k++] = '0';
        out[k] = '\0';
    } else if (e <= 0 && e > -3) {
        out[k++] = '0';
        out[k++] = '.';
        for (int i = 0; i < -e; i++)
            out[k++] = '0';
        for (int i = 0; i < n; i++)
            out[k++] = digits[i];
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
        java_digits(value, 0, digits, &e);
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
