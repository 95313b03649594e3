/*
 * test_parse_double.c - unit tests of the exact decimal parser
 * (io/text/parse_double.c).
 *
 * Compares baiot_parse_double with glibc's strtod (C locale), bit for bit and in
 * the pointer returned, on several million generated literals: random
 * doubles (random magnitudes and random bit patterns, subnormals included)
 * printed in many printf layouts; strings of 1..25 random significant
 * digits with leading zeros, signs, ".5" and "5." forms and exponents from
 * -340 to 310; texts within a hair of a rounding boundary (the midpoint of
 * two neighbouring doubles, printed with 25 to 30 digits, and exactly); the
 * classic hard values; and literals of 100 to 4000 characters.  Every
 * literal is placed so that it ends at a PROT_NONE page, so a read at or
 * past `end` crashes the test; prefixes of literals check that `end` is
 * respected mid-number.  Also checks where
 * parsing stops and what is refused (NaN, Inf, hex, spaces, bare signs,
 * incomplete exponents, overflow), and that the short-decimal fast path
 * (baiot_parse_double_short) gives the same bits and end whenever it
 * answers, and answers where it should.  The generator is a fixed-seed
 * splitmix64, and a failure prints the literal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/text/parse_double.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- helpers ---- */

static uint64_t rng_state;

static uint64_t splitmix64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int rnd(int n) /* uniform in [0, n) */
{
    return (int)(splitmix64() % (uint64_t)n);
}

static double unit(void) /* uniform in [0, 1) */
{
    return (double)(splitmix64() >> 11) * 0x1p-53;
}

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static uint64_t to_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* A random finite double from a random bit pattern (subnormals, zeros and
 * both signs included). */
static double random_finite_bits(void)
{
    for (;;) {
        double d = from_bits(splitmix64());
        if (isfinite(d))
            return d;
    }
}

/* A random double of a "data-like" magnitude: mantissa in [1, 10) times
 * 10^k, k in [-30, 30], random sign. */
static double random_magnitude(void)
{
    double m = 1.0 + 9.0 * unit();
    double d = m * pow(10.0, rnd(61) - 30);
    return rnd(2) ? -d : d;
}

/* Two writable pages followed by a PROT_NONE page: literals are copied so
 * that they end right at the guard, and baiot_parse_double gets end = the guard. */
#define PAGE_SPAN (2 * 4096)
static char *guard_base;
static char *guard_end;
static size_t page_size;

static int setup_guard(void **state)
{
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    size_t writable = (PAGE_SPAN + page_size - 1) / page_size * page_size;
    guard_base = mmap(NULL, writable + page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (guard_base == MAP_FAILED)
        return -1;
    if (mprotect(guard_base + writable, page_size, PROT_NONE) != 0)
        return -1;
    guard_end = guard_base + writable;
    rng_state = 0x5EED0000BA107ULL;
    return 0;
}

static int teardown_guard(void **state)
{
    size_t writable = (size_t)(guard_end - guard_base);
    munmap(guard_base, writable + page_size);
    return 0;
}

/* Copies s[0, n) so it ends at the guard page; returns its copy. */
static const char *place(const char *s, size_t n)
{
    assert_true(n <= PAGE_SPAN);
    char *dst = guard_end - n;
    memcpy(dst, s, n);
    return dst;
}

static int same_bits(double a, double b)
{
    return to_bits(a) == to_bits(b);
}

/* The expected outcome of parsing text[0, n): strtod on a NUL-terminated
 * copy, except that baiot_parse_double refuses what strtod would read as a
 * number followed by an incomplete exponent ("1e", "1e+") and overflow.
 * Returns the number of characters read, or -1 for "refused". */
static long expected_parse(const char *text, size_t n, double *value)
{
    char stack[1200];
    char *z = n < sizeof stack ? stack : malloc(n + 1);
    char *e;
    assert_non_null(z);
    memcpy(z, text, n);
    z[n] = '\0';
    errno = 0;
    double v = strtod(z, &e);
    long used = (long)(e - z);
    if (used == 0 || isinf(v))
        used = -1;
    else if (*e == 'e' || *e == 'E') {
        const char *x = e + 1;
        if (*x == '+' || *x == '-')
            x++;
        if (!(*x >= '0' && *x <= '9'))
            used = -1; /* "1e", "1e+": an incomplete exponent is refused */
    }
    if (z != stack)
        free(z);
    *value = v;
    return used;
}

static uint64_t n_checked;

/* Parses text[0, n) placed at the guard and compares with expected_parse. */
static void check_n(const char *text, size_t n)
{
    double want = 0, got = -12345.0;
    long used = expected_parse(text, n, &want);
    const char *p = place(text, n);
    const char *q = baiot_parse_double(p, p + n, &got);
    long got_used = q ? (long)(q - p) : -1;
    n_checked++;
    if (got_used != used || (used >= 0 && !same_bits(got, want))) {
        int head = n > 80 ? 40 : (int)n, tail = n > 80 ? 20 : 0; /* long literals: both ends */
        print_error("literal '%.*s%s%.*s' (%zu chars): baiot_parse_double read %ld chars, value %a (%.17g); strtod "
                    "read %ld, value %a (%.17g)\n",
                    head, text, tail ? "..." : "", tail, text + n - (size_t)tail, n, got_used, got, got, used, want,
                    want);
        fail();
    }
}

static void check(const char *text)
{
    check_n(text, strlen(text));
}

/* Checks text and, with end placed after each of its characters, every
 * prefix of it. */
static void check_prefixes(const char *text)
{
    size_t n = strlen(text);
    for (size_t k = 0; k <= n; k++)
        check_n(text, k);
}

/* ---- generated literals ---- */

/* Random doubles in printf layouts: at least 2 million values. */
static void test_random_printf_layouts(void **state)
{
    static const char *const formats[] = {"%.17g", "%.16g", "%.15g", "%.6e", "%.17E", "%+.16g",
                                          "%.1e",  "%.12g", "%.25e", "%.3f", "%.20f"};
    const int n_formats = (int)(sizeof formats / sizeof formats[0]);
    const int n_general = n_formats - 2; /* the %f layouts are for moderate magnitudes */
    char text[512];
    for (int i = 0; i < 2000000; i++) {
        double x = (i & 1) ? random_finite_bits() : random_magnitude();
        int moderate = fabs(x) < 1e22;
        for (int k = 0; k < 1 + (i % 4 == 0); k++) {
            int f = moderate ? rnd(n_formats) : rnd(n_general);
            snprintf(text, sizeof text, formats[f], x);
            check(text);
        }
        /* the text that reads back as x reads back as x here too */
        if (i % 8 == 0) {
            double y;
            snprintf(text, sizeof text, "%.17g", x);
            const char *p = place(text, strlen(text));
            assert_non_null(baiot_parse_double(p, p + strlen(text), &y));
            assert_true(same_bits(x, y));
        }
    }
}

/* Random bit patterns over all finite doubles, each printed with a random
 * number of digits (1..17) so that many texts are rounded. */
static void test_random_bit_patterns(void **state)
{
    char text[64];
    for (int i = 0; i < 500000; i++) {
        double x = random_finite_bits();
        snprintf(text, sizeof text, "%.*e", rnd(17), x);
        check(text);
    }
    /* subnormals specifically */
    for (int i = 0; i < 200000; i++) {
        double x = from_bits(splitmix64() & 0x800FFFFFFFFFFFFFULL);
        if (i & 1)
            snprintf(text, sizeof text, "%.17g", x);
        else
            snprintf(text, sizeof text, "%.*e", rnd(17), x);
        check(text);
    }
}

/* Writes a random decimal literal: optional sign, leading zeros, 1..25
 * significant digits with the point anywhere (or absent), and an optional
 * exponent in [-340, 310] written with 'e' or 'E', an optional sign and
 * optional leading zeros. */
static size_t random_literal(char *out)
{
    size_t n = 0;
    int r = rnd(4);
    if (r == 1)
        out[n++] = '-';
    else if (r == 2)
        out[n++] = '+';
    int nsig = 1 + rnd(25);
    char digits[32];
    digits[0] = (char)('1' + rnd(9));
    for (int k = 1; k < nsig; k++)
        digits[k] = (char)('0' + rnd(10));
    if (rnd(4) == 0) /* trailing zeros among the significant digits */
        for (int k = nsig - rnd(nsig); k < nsig; k++)
            if (k > 0)
                digits[k] = '0';
    int point = rnd(6) == 0 ? -1 : rnd(nsig + 1); /* -1: no point */
    int lead = rnd(3) == 0 ? rnd(5) : 0;          /* leading zeros */
    if (point == 0 && rnd(2)) {
        /* ".000123" or "0.000123" */
        if (rnd(2))
            out[n++] = '0';
        out[n++] = '.';
        for (int k = 0; k < lead; k++)
            out[n++] = '0';
        memcpy(out + n, digits, (size_t)nsig);
        n += (size_t)nsig;
    } else {
        for (int k = 0; k < lead; k++)
            out[n++] = '0';
        for (int k = 0; k < nsig; k++) {
            if (k == point)
                out[n++] = '.';
            out[n++] = digits[k];
        }
        if (point == nsig)
            out[n++] = '.';
    }
    if (rnd(10) < 7) {
        int e = rnd(651) - 340;
        out[n++] = rnd(2) ? 'e' : 'E';
        if (e < 0)
            out[n++] = '-';
        else if (rnd(2))
            out[n++] = '+';
        n += (size_t)sprintf(out + n, rnd(8) == 0 ? "%03d" : "%d", abs(e));
    }
    out[n] = '\0';
    return n;
}

static void test_random_digit_strings(void **state)
{
    char text[128];
    for (int i = 0; i < 1000000; i++) {
        size_t n = random_literal(text);
        check_n(text, n);
    }
}

/* The midpoint m of a double d and its successor, computed exactly in long
 * double, printed with 25 and 30 digits (a hair above or below the
 * boundary) and its long double neighbours likewise. */
static void check_near_half(double d)
{
    char text[128];
    double up = nextafter(d, INFINITY);
    if (!isfinite(d) || !isfinite(up))
        return;
    long double mid = ((long double)d + (long double)up) / 2;
    snprintf(text, sizeof text, "%.25Le", mid);
    check(text);
    snprintf(text, sizeof text, "%.30Le", mid);
    check(text);
    snprintf(text, sizeof text, "%.30Le", nextafterl(mid, INFINITY));
    check(text);
    snprintf(text, sizeof text, "%.30Le", nextafterl(mid, -INFINITY));
    check(text);
    snprintf(text, sizeof text, "%.19Le", mid);
    check(text);
}

static void test_near_halfway(void **state)
{
    assert_true(LDBL_MANT_DIG >= 54); /* the midpoints below are exact */
    for (int i = 0; i < 100000; i++) {
        check_near_half(random_finite_bits());
        check_near_half(random_magnitude());
        /* data-like: few digits, so the fast paths are taken */
        double d = (double)(splitmix64() % 100000000ULL) / pow(10.0, rnd(20));
        check_near_half(rnd(2) ? -d : d);
    }
    /* exact midpoints, all digits: ties go to the even neighbour */
    char *text = malloc(1100);
    assert_non_null(text);
    for (int i = 0; i < 3000; i++) {
        double d = i % 3 == 0 ? random_finite_bits() : random_magnitude();
        double up = nextafter(d, INFINITY);
        if (!isfinite(up))
            continue;
        long double mid = ((long double)d + (long double)up) / 2;
        snprintf(text, 1100, "%.800Le", mid);
        check(text);
    }
    /* the midpoints between the subnormals near 0 and 2^-1022 */
    for (uint64_t b = 0; b < 4; b++) {
        double d = from_bits(b);
        long double mid = ((long double)d + (long double)nextafter(d, 1.0)) / 2;
        snprintf(text, 1100, "%.800Le", mid);
        check(text);
        d = from_bits(0x0010000000000000ULL - 2 + b);
        mid = ((long double)d + (long double)nextafter(d, 1.0)) / 2;
        snprintf(text, 1100, "%.800Le", mid);
        check(text);
    }
    free(text);
}

/* ---- the classic hard values ---- */

static void test_hard_values(void **state)
{
    static const char *const values[] = {
        "1e23", "8e22", "9e22", "1e22", "1.0e23", "100000000000000000000000",
        "9007199254740993", "9007199254740992", "9007199254740994", "9007199254740995",
        "9007199254740993.0000000001", "18014398509481985", "18014398509481986",
        "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
        "2.225073858507201136057409796709131975934819546351645648e-308",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623158079e308",
        "1.797693134862315807937289714053034150799e308", "1.7976931348623159e308",
        "4.9e-324", "5e-324", "4.9406564584124654e-324", "2.4703282292062327e-324",
        "2.4703282292062328e-324", "2.47032822920623272e-324", "3e-324", "7e-324", "1e-323",
        "0.1", "0.2", "0.3", "0.7", "1.1", "3.14159265358979323846", "2.718281828459045",
        "7.038531e-26", "8.589973e9", "1.448997445238699", "9.109e-31", "6.02214076e23",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "0.500000000000000166533453693773481063544750213623046875",
        "3.0000000000000004", "123456789012345678901234567890", "1234567890123456789",
        "12345678901234567890", "9999999999999999999", "10000000000000000000", "18446744073709551615",
        "18446744073709551616", "0.000000000000000000000000000000000000001",
        "1505913529.3009179", "1.8189894035458565e-12", "98.0", "1e16", "1e-05",
        "0", "-0", "0.0", "-0.0", "+0", "0e0", "-0e-400", "0e400", "0.0000000000e99999",
        "000000000000000000000000000001", "00000.00000000000000000000000000001",
        "1e-400", "-1e-400", "1e400", "-1e400", "1e99999999999", "1e-99999999999", "1e+0309", "1e-0330",
        ".5", "5.", "-.5", "+5.", "0.000123", "5.e3", ".5E-3", "+.1e+1", "1E5", "1e+5", "1e-5",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        check_prefixes(values[i]);

    /* spot values stated outright, not only through strtod */
    double v;
    const char *s = "9007199254740993";
    assert_ptr_equal(baiot_parse_double(s, s + strlen(s), &v), s + strlen(s));
    assert_true(v == 9007199254740992.0);
    s = "1e23";
    assert_non_null(baiot_parse_double(s, s + 4, &v));
    assert_true(same_bits(v, 0x1.52d02c7e14af6p+76));
    s = "4.9e-324";
    assert_non_null(baiot_parse_double(s, s + strlen(s), &v));
    assert_true(same_bits(v, 0x0.0000000000001p-1022));
    s = "1.7976931348623157e308";
    assert_non_null(baiot_parse_double(s, s + strlen(s), &v));
    assert_true(v == DBL_MAX);
    s = "2.2250738585072011e-308";
    assert_non_null(baiot_parse_double(s, s + strlen(s), &v));
    assert_true(same_bits(v, 0x0.fffffffffffffp-1022));
    s = "-0.0";
    assert_non_null(baiot_parse_double(s, s + 4, &v));
    assert_true(v == 0.0 && signbit(v));
}

/* Literals of hundreds or thousands of characters: the header puts no
 * limit on a literal's length. */
static void test_long_literals(void **state)
{
    char *text = malloc(PAGE_SPAN + 1);
    assert_non_null(text);
    static const size_t lengths[] = {100, 400, 780, 1099, 1100, 1101, 1500, 4000};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t n = lengths[i];
        /* 0.111...1: many nonzero digits past the 19th */
        memset(text, '1', n);
        text[0] = '0';
        text[1] = '.';
        check_n(text, n);
        /* 1000...0001e-(n-3): the last digit decides nothing, but counts */
        memset(text, '0', n);
        text[0] = '1';
        size_t m = n - 8;
        text[m - 1] = '1';
        m += (size_t)sprintf(text + m, "e-%zu", n - 12);
        check_n(text, m);
        /* 0.000...0001234: leading zeros only */
        memset(text, '0', n);
        text[1] = '.';
        memcpy(text + n - 4, "1234", 4);
        check_n(text, n);
        /* 5000...0 (many trailing zeros) with a compensating exponent */
        memset(text, '0', n);
        text[0] = '5';
        m = n - 8;
        m += (size_t)sprintf(text + m, "e-%zu", n - 9);
        check_n(text, m);
    }
    free(text);
}

/* Prefixes of random literals: end falls anywhere inside a number. */
static void test_end_respected(void **state)
{
    char text[128];
    for (int i = 0; i < 40000; i++) {
        random_literal(text);
        check_prefixes(text);
    }
    /* long runs of digits, so that the 8-digit steps meet the end */
    for (int i = 0; i < 2000; i++) {
        size_t n = 0;
        int ndig = 1 + rnd(40), point = rnd(ndig + 1);
        for (int k = 0; k < ndig; k++) {
            if (k == point)
                text[n++] = '.';
            text[n++] = (char)('0' + rnd(10));
        }
        text[n] = '\0';
        check_prefixes(text);
    }
    /* end before the literal's own end, in a longer buffer */
    const char *s = "123.456e+78,9";
    double v;
    for (size_t k = 0; k <= strlen(s); k++) {
        char want_text[32];
        double want;
        snprintf(want_text, sizeof want_text, "%.*s", (int)k, s);
        long used = expected_parse(want_text, k, &want);
        const char *q = baiot_parse_double(s, s + k, &v);
        assert_int_equal(q ? (long)(q - s) : -1, used);
        if (q)
            assert_true(same_bits(v, want));
    }
}

/* ---- where parsing stops, and what is refused ---- */

static void test_stop_pointer(void **state)
{
    static const struct {
        const char *text;
        int stop;   /* characters read */
        double value;
    } cases[] = {
        {"1.5,2", 3, 1.5},        {"-2.25\n", 5, -2.25},  {"7\r\n", 1, 7.0},      {"12abc", 2, 12.0},
        {"0x1p3", 1, 0.0},        {"1.5e3x", 5, 1500.0},  {"1..5", 2, 1.0},       {"1.5.1", 3, 1.5},
        {"5. ", 2, 5.0},          {".5,", 2, 0.5},        {"1e5e5", 3, 1e5},      {"1E-2,", 4, 0.01},
        {"00012,", 5, 12.0},      {"1 ", 1, 1.0},         {"-0,", 2, -0.0},       {"3,", 1, 3.0},
        {"123456789012345678901234567890,1", 30, 123456789012345678901234567890.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *t = cases[i].text;
        size_t n = strlen(t);
        const char *p = place(t, n);
        double v = 99.0;
        const char *q = baiot_parse_double(p, p + n, &v);
        if (q != p + cases[i].stop || !same_bits(v, cases[i].value)) {
            print_error("'%s': read %ld chars, value %.17g\n", t, q ? (long)(q - p) : -1L, v);
            fail();
        }
    }
    /* "0x1p3": the header accepts no hex, so only "0" is read and x stops it */
    const char *s = "0x1p3";
    double v;
    assert_ptr_equal(baiot_parse_double(s, s + 5, &v), s + 1);
    assert_true(same_bits(v, 0.0));
}

/* The short-decimal fast path: every layout of up to 7 integer and 7
 * fraction digits (random digits, leading zeros included) followed by a
 * delimiter, a line end, an exponent, another point, a digit or a sign,
 * with random bytes after it in the 8 read.  Whenever it answers, its value
 * and end are baiot_parse_double's; it must answer for 1-5 integer digits,
 * 1-5 fraction digits (6 in all) and a non-digit after them. */
static void test_short_path(void **state)
{
    static const char after[] = ",\n\re.-5";
    long answered = 0;
    (void)state;
    rng_state = 2026;
    for (int i = 0; i <= 7; i++)
        for (int f = 0; f <= 7; f++)
            for (int rep = 0; rep < 400; rep++) {
                char buf[32];
                int n = 0;
                for (int k = 0; k < i; k++)
                    buf[n++] = (char)('0' + rnd(10));
                if (f > 0 || rep % 2)
                    buf[n++] = '.';
                for (int k = 0; k < f; k++)
                    buf[n++] = (char)('0' + rnd(10));
                buf[n] = after[rnd((int)sizeof after - 1)];
                for (int k = n + 1; k < (int)sizeof buf; k++)
                    buf[k] = (char)rnd(256);
                double fast = 42.0, full = 43.0;
                const char *q = baiot_parse_double_short(buf, &fast);
                int must = i >= 1 && i <= 5 && f >= 1 && i + f <= 6 && (unsigned)(buf[n] - '0') >= 10 && buf[n] != '.';
                if (must && q == NULL) {
                    print_error("'%.*s' (then '%c') not answered\n", n, buf, buf[n]);
                    fail();
                }
                if (q == NULL)
                    continue;
                answered++;
                /* it answers up to a non-digit, with the general parser's value of that range */
                const char *r = baiot_parse_double(buf, q, &full);
                int ends_here = (unsigned)(buf[n] - '0') >= 10 && buf[n] != '.';
                if ((ends_here && q != buf + n) || (unsigned)(*q - '0') < 10 || r != q || !same_bits(fast, full)) {
                    print_error("'%.*s': fast %.17g (%ld chars), full %.17g\n", n, buf, fast, (long)(q - buf), full);
                    fail();
                }
            }
    assert_true(answered > 5000);
    /* never answered: signs, no integer digit, no fraction digit, 6+ integer digits */
    static const char *const no[] = {"-1.0,xxxx", "+1.0,xxxx", ".5,xxxxxx", "5.,xxxxxx", "123456.0,",
                                     "12345678,", "1e5,xxxxx", "0x10,xxxx", "1.2345678"};
    for (size_t k = 0; k < sizeof no / sizeof no[0]; k++) {
        double v;
        if (baiot_parse_double_short(no[k], &v) != NULL) {
            print_error("'%s' answered\n", no[k]);
            fail();
        }
    }
}

static void test_refused(void **state)
{
    static const char *const refused[] = {
        "",     "-",    "+",    ".",        "e5",        "1e",   "1e+",   "1e-",  "1E",      "-.",  "+.",
        ".e5",  "-e5",  "nan",  "NaN",      "-nan",      "inf",  "-inf",  "INF",  "-Infinity", "Infinity",
        " 1",   "\t1",  ",1",   "1e400",    "-1e400",    "1e309", "2e308", "1.7976931348623159e308",
        "x1",   "--1",  "+-1",  "1e+-5",    "1e99999999999999999999",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        size_t n = strlen(refused[i]);
        const char *p = place(refused[i], n);
        double v = 42.0;
        if (baiot_parse_double(p, p + n, &v) != NULL) {
            print_error("'%s' was accepted as %.17g\n", refused[i], v);
            fail();
        }
    }
    /* underflow is not an error: 0 like strtod, with the sign */
    double v = 1.0;
    const char *s = "1e-400";
    assert_ptr_equal(baiot_parse_double(s, s + 6, &v), s + 6);
    assert_true(same_bits(v, 0.0));
    s = "-1e-400";
    assert_ptr_equal(baiot_parse_double(s, s + 7, &v), s + 7);
    assert_true(same_bits(v, -0.0));
    /* an empty range at the start of a number is refused too */
    s = "123";
    assert_null(baiot_parse_double(s, s, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_pointer),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_short_path),
        cmocka_unit_test(test_hard_values),
        cmocka_unit_test(test_end_respected),
        cmocka_unit_test(test_long_literals),
        cmocka_unit_test(test_random_printf_layouts),
        cmocka_unit_test(test_random_bit_patterns),
        cmocka_unit_test(test_random_digit_strings),
        cmocka_unit_test(test_near_halfway),
    };
    int failed = cmocka_run_group_tests(tests, setup_guard, teardown_guard);
    if (!failed)
        printf("# %llu literals compared with strtod\n", (unsigned long long)n_checked);
    return failed;
}
