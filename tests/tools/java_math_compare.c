/*
 * java_math_compare.c - the large comparison of kernels/java_math.c with a
 * JVM (run by hand, not in CI): reads the records that
 * `java JavaMathVectors --stream N SEED` writes (five little-endian
 * doubles: x, StrictMath.exp, StrictMath.log, Math.exp, Math.log) and
 * counts, per argument class, where baiot_java_exp / baiot_java_log differ
 * from StrictMath's bits (any NaN equals any NaN), and, for information,
 * where glibc's exp / log and the JVM's Math.exp / Math.log do, and where
 * glibc's differ from Math's; last, over all records, how the three exps
 * (and logs) agree: which of glibc's and StrictMath's is Math's when they
 * differ.
 *
 * Usage: java -cp /tmp/jmv JavaMathVectors --stream N SEED |
 *            build/tests/java_math_compare N
 * Exit status 1 when any baiot result differs; the first differences are
 * printed.  The unit test of the same functions is tests/unit/test_java_math.c.
 */
#include "kernels/java_math.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KINDS 8

static const char *const KIND_NAMES[KINDS] = {
    "random bits", "uniform [-750, 710]", "uniform [-40, 0]", "uniform [-1, 1]",
    "uniform (0, 10]", "1 + uniform [-1e-3, 1e-3]", "uniform [1, 8]", "random positive bits"};

static uint64_t bits_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static int same(double a, double b)
{
    return bits_of(a) == bits_of(b) || (isnan(a) && isnan(b));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: java JavaMathVectors --stream N SEED | %s N\n", argv[0]);
        return 2;
    }
    const long long n = atoll(argv[1]);
    long long count[KINDS] = {0}, exp_bad[KINDS] = {0}, log_bad[KINDS] = {0};
    long long glibc_exp[KINDS] = {0}, glibc_log[KINDS] = {0}, hs_exp[KINDS] = {0}, hs_log[KINDS] = {0};
    long long gh_exp[KINDS] = {0}, gh_log[KINDS] = {0};
    /* agreement of glibc (g), StrictMath (s) and Math (m): g=s=m, g=s!=m,
     * g=m!=s, s=m!=g, all three differ; [0] exp, [1] log */
    long long agree[2][5] = {{0}};
    long long i = 0, shown = 0;
    double r[5];
    while (fread(r, sizeof r[0], 5, stdin) == 5) { /* x86-64: little-endian, as written */
        const int kind = n > 0 ? (int)(i * KINDS / n) : 0;
        const int kk = kind < KINDS ? kind : KINDS - 1;
        const double x = r[0], e = baiot_java_exp(x), l = baiot_java_log(x);
        count[kk]++;
        if (!same(e, r[1])) {
            exp_bad[kk]++;
            if (shown++ < 20)
                printf("exp(%a): baiot %016" PRIx64 ", StrictMath %016" PRIx64 "\n", x, bits_of(e), bits_of(r[1]));
        }
        if (!same(l, r[2])) {
            log_bad[kk]++;
            if (shown++ < 20)
                printf("log(%a): baiot %016" PRIx64 ", StrictMath %016" PRIx64 "\n", x, bits_of(l), bits_of(r[2]));
        }
        glibc_exp[kk] += !same(exp(x), r[1]);
        glibc_log[kk] += !same(log(x), r[2]);
        hs_exp[kk] += !same(r[3], r[1]);
        hs_log[kk] += !same(r[4], r[2]);
        gh_exp[kk] += !same(exp(x), r[3]);
        gh_log[kk] += !same(log(x), r[4]);
        for (int f = 0; f < 2; f++) {
            const double g = f ? log(x) : exp(x), st = r[1 + f], m = r[3 + f];
            const int gs = same(g, st), gm = same(g, m), sm = same(st, m);
            agree[f][gs && gm ? 0 : gs ? 1 : gm ? 2 : sm ? 3 : 4]++;
        }
        i++;
    }
    long long bad = 0;
    printf("%-28s %10s %9s %9s %10s %10s %10s %10s %10s %10s\n", "arguments", "count", "exp diff", "log diff",
           "glibc exp", "glibc log", "Math.exp", "Math.log", "g/M exp", "g/M log");
    for (int k = 0; k < KINDS; k++) {
        printf("%-28s %10lld %9lld %9lld %10lld %10lld %10lld %10lld %10lld %10lld\n", KIND_NAMES[k], count[k],
               exp_bad[k], log_bad[k], glibc_exp[k], glibc_log[k], hs_exp[k], hs_log[k], gh_exp[k], gh_log[k]);
        bad += exp_bad[k] + log_bad[k];
    }
    printf("%lld records; baiot_java_exp/log differ from StrictMath on %lld results\n"
           "(for information: glibc exp/log and Math.exp/log: results that differ from StrictMath's;\n"
           " g/M: glibc's that differ from Math's)\n",
           i, bad);
    for (int f = 0; f < 2; f++)
        printf("%s, all records: glibc = StrictMath = Math %lld; glibc = StrictMath != Math %lld; "
               "glibc = Math != StrictMath %lld; StrictMath = Math != glibc %lld; all differ %lld\n",
               f ? "log" : "exp", agree[f][0], agree[f][1], agree[f][2], agree[f][3], agree[f][4]);
    return bad ? 1 : 0;
}
