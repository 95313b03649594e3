/*
 * test_java_random.c - unit tests of engine/weka/java_random.c against
 * java.util.Random.
 *
 * tests/data/java_random_vectors.txt (found through $BAIOT_SRC) was printed
 * by a real JVM (tests/tools/java/JavaRandomVectors.java; the file's header
 * names the command and `java -version`).  For each seed it holds twelve
 * draws of next(1..32), nextInt(), nextInt(bound) for bounds that take the
 * power-of-two path, the rejection loop (bounds just above 2^30, where
 * about half of the draws are rejected, and 2^31-1) and small bounds,
 * nextLong(), nextDouble() (as IEEE bits), each from a fresh Random(seed),
 * and one stream of mixed calls.  Every value must match exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/weka/java_random.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void vectors_path(char *buf, size_t size)
{
    const char *src = getenv("BAIOT_SRC");
    snprintf(buf, size, "%s/tests/data/java_random_vectors.txt", src && *src ? src : "../..");
}

static uint64_t double_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* Parses one decimal token (whole token) or fails the test. */
static int64_t parse_i64(const char *tok, int line)
{
    char *end;
    long long v = strtoll(tok, &end, 10);
    if (end == tok || *end != '\0')
        fail_msg("line %d: bad number '%s'", line, tok);
    return (int64_t)v;
}

static uint64_t parse_hex(const char *tok, int line)
{
    char *end;
    unsigned long long v = strtoull(tok, &end, 16);
    if (end == tok || *end != '\0')
        fail_msg("line %d: bad hex '%s'", line, tok);
    return (uint64_t)v;
}

/* Checks one token of a "mixed" line against the stream r. */
static void check_mixed(java_random *r, char *tok, int line)
{
    char *colon = strchr(tok, ':');
    if (!colon)
        fail_msg("line %d: bad mixed token '%s'", line, tok);
    *colon = '\0';
    const char *val = colon + 1;
    switch (tok[0]) {
    case 'i':
        assert_int_equal(baiot_java_random_next_int(r), parse_i64(val, line));
        break;
    case 'b':
        assert_int_equal(baiot_java_random_next_int_bound(r, (int32_t)parse_i64(tok + 1, line)), parse_i64(val, line));
        break;
    case 'l':
        assert_true(baiot_java_random_next_long(r) == parse_i64(val, line));
        break;
    case 'd':
        assert_true(double_bits(baiot_java_random_next_double(r)) == parse_hex(val, line));
        break;
    case 'n':
        assert_int_equal(baiot_java_random_next(r, (int)parse_i64(tok + 1, line)), parse_i64(val, line));
        break;
    default:
        fail_msg("line %d: bad mixed token '%s'", line, tok);
    }
}

/* Every record of the vectors file; counts what it checked. */
static void test_vectors(void **state)
{
    (void)state;
    char path[4096], buf[16384];
    vectors_path(path, sizeof path);
    FILE *fp = fopen(path, "r");
    if (!fp)
        fail_msg("cannot open %s", path);
    int64_t seed = 0;
    int line = 0, seeds = 0, records = 0;
    long values = 0;
    while (fgets(buf, sizeof buf, fp)) {
        line++;
        size_t len = strlen(buf);
        assert_true(len > 0 && buf[len - 1] == '\n');
        buf[len - 1] = '\0';
        if (buf[0] == '#' || buf[0] == '\0')
            continue;
        char *save = NULL;
        char *kind = strtok_r(buf, " ", &save);
        if (strcmp(kind, "seed") == 0) {
            seed = parse_i64(strtok_r(NULL, " ", &save), line);
            seeds++;
            continue;
        }
        java_random r;
        baiot_java_random_init(&r, seed);
        records++;
        int param = 0;
        if (strcmp(kind, "next") == 0 || strcmp(kind, "bound") == 0)
            param = (int)parse_i64(strtok_r(NULL, " ", &save), line);
        char *tok;
        int count = 0;
        while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
            count++;
            if (strcmp(kind, "next") == 0) {
                int32_t got = baiot_java_random_next(&r, param);
                if (got != parse_i64(tok, line))
                    fail_msg("line %d: seed %" PRId64 " next(%d) #%d: got %" PRId32 ", want %s", line, seed, param,
                             count, got, tok);
            } else if (strcmp(kind, "int") == 0) {
                assert_int_equal(baiot_java_random_next_int(&r), parse_i64(tok, line));
            } else if (strcmp(kind, "bound") == 0) {
                int32_t got = baiot_java_random_next_int_bound(&r, param);
                if (got != parse_i64(tok, line))
                    fail_msg("line %d: seed %" PRId64 " nextInt(%d) #%d: got %" PRId32 ", want %s", line, seed,
                             param, count, got, tok);
            } else if (strcmp(kind, "long") == 0) {
                assert_true(baiot_java_random_next_long(&r) == parse_i64(tok, line));
            } else if (strcmp(kind, "double") == 0) {
                assert_true(double_bits(baiot_java_random_next_double(&r)) == parse_hex(tok, line));
            } else if (strcmp(kind, "mixed") == 0) {
                check_mixed(&r, tok, line);
            } else {
                fail_msg("line %d: unknown record '%s'", line, kind);
            }
        }
        assert_true(count >= 12);
        values += count;
    }
    fclose(fp);
    /* 11 seeds x (32 next + int + 25 bounds + long + double + mixed) */
    assert_int_equal(seeds, 11);
    assert_int_equal(records, 11 * 61);
    print_message("checked %ld values of %d records\n", values, records);
}

/* The scrambled state and a few properties that need no vectors. */
static void test_state_and_ranges(void **state)
{
    (void)state;
    java_random r;
    baiot_java_random_init(&r, 0);
    assert_true(r.seed == UINT64_C(0x5DEECE66D));
    baiot_java_random_init(&r, -1);
    assert_true(r.seed == ((~UINT64_C(0x5DEECE66D)) & ((UINT64_C(1) << 48) - 1)));
    /* Seeds equal modulo 2^48 give the same stream. */
    java_random a, b;
    baiot_java_random_init(&a, 12345);
    baiot_java_random_init(&b, 12345 + ((int64_t)1 << 48));
    for (int i = 0; i < 100; i++)
        assert_int_equal(baiot_java_random_next_int(&a), baiot_java_random_next_int(&b));
    /* Ranges, and the state stays below 2^48. */
    baiot_java_random_init(&r, 7);
    for (int i = 0; i < 100000; i++) {
        int32_t bound = 1 + (i * 7919) % 1000003;
        int32_t v = baiot_java_random_next_int_bound(&r, bound);
        assert_true(v >= 0 && v < bound);
        double d = baiot_java_random_next_double(&r);
        assert_true(d >= 0.0 && d < 1.0);
        int nb = 1 + i % 31;
        int64_t bits = baiot_java_random_next(&r, nb);
        assert_true(bits >= 0 && bits < (INT64_C(1) << nb));
        assert_true(r.seed < (UINT64_C(1) << 48));
    }
    /* A bad bound draws nothing and returns 0. */
    baiot_java_random_init(&a, 3);
    baiot_java_random_init(&b, 3);
    assert_int_equal(baiot_java_random_next_int_bound(&a, 0), 0);
    assert_int_equal(baiot_java_random_next_int_bound(&a, -5), 0);
    assert_int_equal(baiot_java_random_next_int(&a), baiot_java_random_next_int(&b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_state_and_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
