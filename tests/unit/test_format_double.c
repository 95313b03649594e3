/*
 * test_format_double.c - unit tests of the shortest round-trip formatter
 * (io/text/format_double.c).
 *
 * For a million random finite doubles (random bit patterns and random
 * magnitudes) checks that baiot_parse_double reads the text back to the same
 * bits, that it has no more significant digits than the shortest of
 * %.15g, %.16g and %.17g that reads back (the ".0" of integers aside), that
 * it is laid out as Python's repr() lays it out (plain decimal for decimal
 * exponents in [-4, 16), else d.ddde+XX) and that the buffer is never
 * overrun.  Checks exact texts of chosen values (verified with Python's
 * repr), and compares whole runs of values, all powers of two among them,
 * with repr() itself through $PYTHON (skipped when Python is absent).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/text/format_double.h"
#include "io/text/parse_double.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ---- */

static uint64_t rng_state = 0xF0A7D0B1EULL;

static uint64_t splitmix64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static double random_finite_bits(void)
{
    for (;;) {
        double d = from_bits(splitmix64());
        if (isfinite(d))
            return d;
    }
}

/* Mantissa in [1, 10) times 10^k, k in [-30, 30], random sign; one in four
 * rounded to a few decimals like much of the data. */
static double random_magnitude(void)
{
    double m = 1.0 + 9.0 * ((double)(splitmix64() >> 11) * 0x1p-53);
    int k = (int)(splitmix64() % 61) - 30;
    if (splitmix64() % 4 == 0)
        m = round(m * 1e4) / 1e4;
    double d = m * pow(10.0, k);
    return splitmix64() & 1 ? -d : d;
}

/* Formats v into a guarded buffer, checks the return value and that
 * nothing past FORMAT_DOUBLE_MAX was written; the text goes to out. */
static int format_checked(double v, char *out)
{
    char buf[FORMAT_DOUBLE_MAX + 16];
    memset(buf, 0x5A, sizeof buf);
    int n = baiot_format_double(v, buf);
    for (size_t k = FORMAT_DOUBLE_MAX; k < sizeof buf; k++)
        assert_int_equal((unsigned char)buf[k], 0x5A);
    assert_true(n > 0 && n < FORMAT_DOUBLE_MAX);
    assert_int_equal((size_t)n, strlen(buf));
    memcpy(out, buf, (size_t)n + 1);
    return n;
}

/* Significant digits of a printf or repr text: the digits before any
 * exponent, leading and trailing zeros removed (at least 1). */
static int sig_digits(const char *t)
{
    char d[64];
    int n = 0;
    for (; *t && *t != 'e' && *t != 'E'; t++)
        if (*t >= '0' && *t <= '9')
            d[n++] = *t;
    int a = 0;
    while (a < n && d[a] == '0')
        a++;
    while (n > a && d[n - 1] == '0')
        n--;
    return n > a ? n - a : 1;
}

/* 1 when t is in repr layout: [-]int.frac with the decimal exponent in
 * [-4, 16), or [-]d[.ddd]e(+|-)XX with it outside; no superfluous zeros. */
static int repr_layout(const char *t)
{
    const char *p = t + (*t == '-');
    const char *e = strchr(p, 'e');
    if (!e) {
        const char *dot = strchr(p, '.');
        if (!dot || dot == p || !dot[1])
            return 0;
        size_t int_len = (size_t)(dot - p), frac_len = strlen(dot + 1);
        if (strspn(p, "0123456789") != int_len || strspn(dot + 1, "0123456789") != frac_len)
            return 0;
        if (int_len > 1 && p[0] == '0')
            return 0; /* leading zero */
        if (frac_len > 1 && dot[frac_len] == '0')
            return 0; /* trailing zero other than ".0" */
        int exp10;
        if (p[0] != '0') {
            exp10 = (int)int_len - 1;
        } else {
            size_t z = strspn(dot + 1, "0");
            if (z == frac_len)
                return strcmp(p, "0.0") == 0; /* zero */
            exp10 = -(int)z - 1;
        }
        return exp10 >= -4 && exp10 < 16;
    }
    if (p[0] < '1' || p[0] > '9')
        return 0;
    const char *m = p + 1;
    if (*m == '.') {
        m++;
        if (m == e || e[-1] == '0')
            return 0;
        while (m < e)
            if (*m < '0' || *m++ > '9')
                return 0;
    }
    if (m != e || (e[1] != '+' && e[1] != '-'))
        return 0;
    const char *x = e + 2;
    size_t xl = strlen(x);
    if (xl < 2 || strspn(x, "0123456789") != xl || (xl > 2 && x[0] == '0'))
        return 0;
    int exp10 = atoi(x) * (e[1] == '-' ? -1 : 1);
    return exp10 < -4 || exp10 >= 16;
}

static uint64_t n_values;

/* The checks every finite value gets (the sign check, every 8th). */
static void check_value(double x)
{
    char text[FORMAT_DOUBLE_MAX], neg[FORMAT_DOUBLE_MAX];
    int n = format_checked(x, text);
    double y = 12345.0;
    const char *q = baiot_parse_double(text, text + n, &y);
    if (q != text + n || !same_bits(x, y) || !repr_layout(text)) {
        print_error("%a (%.17g) formatted as '%s', which reads back as %a\n", x, x, text, y);
        fail();
    }
    /* no more digits than the shortest of %.15g, %.16g, %.17g reading back */
    char g[64];
    int shortest = 17;
    for (int prec = 15; prec <= 16; prec++) {
        snprintf(g, sizeof g, "%.*g", prec, x);
        if (same_bits(strtod(g, NULL), x)) {
            shortest = sig_digits(g);
            break;
        }
    }
    if (sig_digits(text) > shortest) {
        print_error("%a: '%s' has %d digits, %%.%dg reads back with %d\n", x, text, sig_digits(text), shortest,
                    shortest);
        fail();
    }
    /* a negative value is its magnitude's text with '-' */
    if (n_values++ % 8 != 0)
        return;
    format_checked(-x, neg);
    if (neg[0] == '-' ? strcmp(neg + 1, text) != 0 : strcmp(text + 1, neg) != 0) {
        print_error("%a: '%s' but its negation gives '%s'\n", x, text, neg);
        fail();
    }
}

/* ---- tests ---- */

static void test_exact_texts(void **state)
{
    static const struct {
        double v;
        const char *text;
    } cases[] = {
        {98.0, "98.0"},
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {1e-05, "1e-05"},
        {0.0001, "0.0001"},
        {1e16, "1e+16"},
        {1505913529.3009179, "1505913529.3009179"},
        {1.8189894035458565e-12, "1.8189894035458565e-12"},
        {123456789012345678.0, "1.2345678901234568e+17"},
        {5e-324, "5e-324"},
        {1.5, "1.5"},
        {100.0, "100.0"},
        /* more, each as Python 3.11's repr() prints it */
        {1e15, "1000000000000000.0"},
        {999999999999999.9, "999999999999999.9"},
        {9999999999999998.0, "9999999999999998.0"},
        {0.1, "0.1"},
        {0.30000000000000004, "0.30000000000000004"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {2.2250738585072014e-308, "2.2250738585072014e-308"},
        {9007199254740993.0, "9007199254740992.0"},
        {-2.5e-7, "-2.5e-07"},
        {0.00012345, "0.00012345"},
        {123456.789, "123456.789"},
        {1e22, "1e+22"},
        {9.900000000000001e-05, "9.900000000000001e-05"},
        {1.5e-323, "1.5e-323"},
        {1e100, "1e+100"},
        {12345678901234567890.0, "1.2345678901234567e+19"},
        {-1.0, "-1.0"},
        {0.5, "0.5"},
        {0.001, "0.001"},
        {9.223372036854776e+18, "9.223372036854776e+18"},
    };
    char text[FORMAT_DOUBLE_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        format_checked(cases[i].v, text);
        if (strcmp(text, cases[i].text) != 0) {
            print_error("%.17g: got '%s', expected '%s'\n", cases[i].v, text, cases[i].text);
            fail();
        }
    }
    /* the non-finite texts the header promises */
    format_checked(NAN, text);
    assert_string_equal(text, "nan");
    format_checked(INFINITY, text);
    assert_string_equal(text, "inf");
    format_checked(-INFINITY, text);
    assert_string_equal(text, "-inf");
}

static void test_random_round_trip(void **state)
{
    for (int i = 0; i < 500000; i++) {
        check_value(random_finite_bits());
        check_value(random_magnitude());
    }
}

static void test_edges(void **state)
{
    /* subnormals, the normal boundary, the largest values, integers near
     * 1e15 and 2^53, and the [-4, 16) layout boundaries */
    static const double edges[] = {
        5e-324, 1e-323, 2.225073858507201e-308, 2.2250738585072014e-308, 1.7976931348623157e308,
        1e15 - 1, 1e15, 1e15 + 1, 1e15 + 0.5, 9007199254740991.0, 9007199254740992.0, 9.999999999999998e15,
        1e16, 1e-4, 9.999999999999999e-05, 0.00010000000000000002, 1e-5, 4503599627370495.5,
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        check_value(edges[i]);
    for (uint64_t b = 1; b < 5000; b++) {
        check_value(from_bits(b));                           /* smallest subnormals */
        check_value(from_bits(0x0010000000000000ULL - b));  /* largest subnormals */
        check_value(from_bits(0x7FF0000000000000ULL - b));  /* largest normals */
    }
    for (int e = -1074; e <= 1023; e++)
        check_value(ldexp(1.0, e));
    for (int k = -30; k <= 30; k++) {
        double p = pow(10.0, k);
        check_value(p);
        check_value(nextafter(p, 0));
        check_value(nextafter(p, INFINITY));
    }
    for (long long i = 0; i < 100000; i++)
        check_value((double)i);
}

/* Formats every value of xs and compares with repr() through $PYTHON. */
static void compare_with_python(const double *xs, size_t n)
{
    const char *py = getenv("PYTHON");
    char in[] = "/tmp/baiot_test_format_in_XXXXXX";
    char out[] = "/tmp/baiot_test_format_out_XXXXXX";
    int fd_in = mkstemp(in), fd_out = mkstemp(out);
    assert_true(fd_in >= 0 && fd_out >= 0);
    close(fd_out);
    FILE *f = fdopen(fd_in, "w");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%a\n", xs[i]);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "'%s' -c 'import sys; sys.stdout.write(\"\".join(repr(float.fromhex(l)) + chr(10) for l in sys.stdin))' "
             "< %s > %s 2>/dev/null",
             py && *py ? py : "python3", in, out);
    int rc = system(cmd);
    unlink(in);
    if (rc != 0) {
        unlink(out);
        skip(); /* no Python */
    }
    f = fopen(out, "r");
    assert_non_null(f);
    char line[64], text[FORMAT_DOUBLE_MAX];
    int bad = 0;
    size_t i = 0;
    for (; i < n && fgets(line, sizeof line, f); i++) {
        line[strcspn(line, "\n")] = '\0';
        format_checked(xs[i], text);
        if (strcmp(line, text) != 0 && bad++ < 10)
            print_error("%a: baiot_format_double gives '%s', repr() gives '%s'\n", xs[i], text, line);
    }
    fclose(f);
    unlink(out);
    assert_int_equal(i, n);
    if (bad)
        print_error("%d of %zu values differ from repr()\n", bad, n);
    assert_int_equal(bad, 0);
}

static void test_python_repr_random(void **state)
{
    size_t n = 200000;
    double *xs = malloc(n * sizeof *xs);
    assert_non_null(xs);
    for (size_t i = 0; i < n; i++)
        xs[i] = i % 2 ? random_finite_bits() : random_magnitude();
    compare_with_python(xs, n);
    free(xs);
}

/* Powers of two: the only values whose rounding interval is lopsided, so
 * the correctly rounded 15- or 16-digit text can miss it while another
 * text of that length is inside (repr picks that one). */
static void test_python_repr_powers_of_two(void **state)
{
    size_t n = 0;
    double *xs = malloc(5 * 2100 * sizeof *xs);
    assert_non_null(xs);
    for (int e = -1074; e <= 1023; e++) {
        double p = ldexp(1.0, e);
        xs[n++] = p;
        xs[n++] = nextafter(p, 0);
        if (e < 1023)
            xs[n++] = nextafter(p, INFINITY);
    }
    compare_with_python(xs, n);
    free(xs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_texts),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_random_round_trip),
        cmocka_unit_test(test_python_repr_random),
        cmocka_unit_test(test_python_repr_powers_of_two),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
