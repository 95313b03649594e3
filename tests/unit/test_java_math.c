/*
 * test_java_math.c - unit tests of kernels/java_math.c against Java's
 * StrictMath.exp and StrictMath.log, bit for bit.
 *
 * tests/data/java_math_vectors.txt (found through $BAIOT_SRC) was printed
 * by a real JVM (tests/tools/java/JavaMathVectors.java; the file's header
 * names the command and `java -version`): about 5,700 exp arguments (the
 * overflow and underflow thresholds and their neighbours, subnormal
 * results, the reduction's branch edges, multiples of ln2 and the half-way
 * points where k changes, powers of two, uniform samples of EM's range
 * [-40, 0] and of the whole finite range, random bit patterns, +-0, +-inf,
 * NaN) and about 5,500 log arguments (1 +- a few ulps, the short series'
 * edge |f| = 2^-20, the mantissa band edges, sqrt(2) and sqrt(2)/2, every
 * power of two, subnormals, uniform (0, 10] and [1, 8], random positive
 * bit patterns, zeros, negatives, infinities, NaN).  Every result must have
 * Java's bit pattern (any NaN for a NaN); EM's ln sqrt(2 pi) must be
 * Java's Math.log(Math.sqrt(2 * Math.PI)).  The large random comparison
 * (10^7 arguments) is run by hand: tests/tools/java_math_compare.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/gmm_diag.h"
#include "kernels/java_math.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bits_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static double double_of(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* Compares every line of the golden file of kind 'e' or 'l' with f;
 * returns the lines checked. */
static long check_file(char kind, double (*f)(double))
{
    char path[4096];
    const char *src = getenv("BAIOT_SRC");
    snprintf(path, sizeof path, "%s/tests/data/java_math_vectors.txt", src && *src ? src : "../..");
    FILE *in = fopen(path, "r");
    if (!in)
        fail_msg("cannot open %s", path);
    char line[256];
    long n = 0, bad = 0, lineno = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char k;
        uint64_t xb, yb;
        if (sscanf(line, "%c %" SCNx64 " %" SCNx64, &k, &xb, &yb) != 3 || (k != 'e' && k != 'l'))
            fail_msg("%s:%ld: bad line", path, lineno);
        if (k != kind)
            continue;
        n++;
        const double x = double_of(xb), want = double_of(yb), got = f(x);
        const int same = bits_of(got) == yb || (isnan(got) && isnan(want));
        if (!same && bad++ < 20)
            print_error("%s(%a = %016" PRIx64 "): got %016" PRIx64 " (%.17g), Java %016" PRIx64 " (%.17g)\n",
                        kind == 'e' ? "exp" : "log", x, xb, bits_of(got), got, yb, want);
    }
    fclose(in);
    if (bad)
        fail_msg("%ld of %ld %s results differ from Java's", bad, n, kind == 'e' ? "exp" : "log");
    return n;
}

static void test_exp_golden(void **state)
{
    (void)state;
    assert_true(check_file('e', baiot_java_exp) > 5000);
}

static void test_log_golden(void **state)
{
    (void)state;
    assert_true(check_file('l', baiot_java_log) > 5000);
}

/* The identities the E step leans on, whatever the file holds. */
static void test_exact_values(void **state)
{
    (void)state;
    assert_true(baiot_java_exp(0.0) == 1.0);
    assert_true(baiot_java_exp(-0.0) == 1.0);
    assert_true(baiot_java_exp(-746.0) == 0.0);
    assert_true(isinf(baiot_java_exp(710.0)));
    assert_true(baiot_java_log(1.0) == 0.0);
    assert_true(isinf(baiot_java_log(0.0)) && baiot_java_log(0.0) < 0);
    assert_true(isnan(baiot_java_log(-1.0)));
    assert_true(isnan(baiot_java_exp(NAN)) && isnan(baiot_java_log(NAN)));
    /* EM's ln sqrt(2 pi) (kernels/gmm_diag.c, libm's log) is Java's too */
    assert_true(baiot_java_log(sqrt(2 * M_PI)) == baiot_gmm_diag_norm_const());
    assert_true(baiot_gmm_diag_norm_const() == 0x1.d67f1c864beb4p-1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exp_golden),
        cmocka_unit_test(test_log_golden),
        cmocka_unit_test(test_exact_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
