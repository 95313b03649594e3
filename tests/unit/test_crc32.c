/*
 * test_crc32.c - unit tests of kernels/crc32.c: baiot_crc32 gives zlib's
 * crc32 for every length 0..600 at every alignment 0..15, for long random
 * buffers, for all-zero and all-one bytes, and when a buffer is fed in
 * pieces of any size (the reader's blocks).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#define UNIT_RNG_SEED 0x5eed17ULL
#include "unit_testlib.h"

#include "kernels/crc32.h"

#include <string.h>
#include <zlib.h>

static unsigned char *random_bytes(size_t n)
{
    unsigned char *b = malloc(n + 16);
    assert_non_null(b);
    for (size_t i = 0; i < n + 16; i++)
        b[i] = (unsigned char)(rnd() >> 32);
    return b;
}

static void every_length_and_alignment(void **state)
{
    (void)state;
    unsigned char *b = random_bytes(600);
    for (size_t off = 0; off < 16; off++)
        for (size_t n = 0; n <= 600 - 16; n++) {
            uint32_t want = (uint32_t)crc32(0, b + off, (uInt)n);
            assert_int_equal(baiot_crc32(0, b + off, n), want);
            /* continuing a CRC already started */
            assert_int_equal(baiot_crc32(0x12345678u, b + off, n), (uint32_t)crc32(0x12345678u, b + off, (uInt)n));
        }
    free(b);
}

static void long_buffers(void **state)
{
    (void)state;
    size_t n = (size_t)3 << 20;
    unsigned char *b = random_bytes(n);
    assert_int_equal(baiot_crc32(0, b, n), (uint32_t)crc32(0, b, (uInt)n));
    memset(b, 0, n);
    assert_int_equal(baiot_crc32(0, b, n), (uint32_t)crc32(0, b, (uInt)n));
    memset(b, 0xff, n);
    assert_int_equal(baiot_crc32(0, b, n), (uint32_t)crc32(0, b, (uInt)n));
    free(b);
}

static void in_pieces(void **state)
{
    (void)state;
    size_t n = 100000;
    unsigned char *b = random_bytes(n);
    uint32_t want = (uint32_t)crc32(0, b, (uInt)n);
    for (int trial = 0; trial < 50; trial++) {
        uint32_t c = 0;
        size_t at = 0;
        while (at < n) {
            size_t piece = 1 + (size_t)(rnd() % 5000);
            if (piece > n - at)
                piece = n - at;
            c = baiot_crc32(c, b + at, piece);
            at += piece;
        }
        assert_int_equal(c, want);
    }
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_length_and_alignment),
        cmocka_unit_test(long_buffers),
        cmocka_unit_test(in_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
