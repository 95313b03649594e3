/*
 * crc32.c - zlib's CRC-32 (the checksum of the store's columns, docs/
 * STORE.md), about four times faster on x86-64 CPUs with PCLMULQDQ, so
 * that checking every column read costs little beside the read.
 *
 * Method (Gopal et al., "Fast CRC Computation for Generic Polynomials
 * Using PCLMULQDQ Instruction", Intel, 2009): the message is cut into
 * 16-byte blocks held as 128-bit values, bit-reflected like the CRC
 * itself.  A block followed by d more bits is congruent, modulo the CRC
 * polynomial P, to its low 64 bits times x^(d+64) mod P plus its high 64
 * bits times x^d mod P (in the reflected order, with the 33-bit constants
 * below), so four running blocks are "folded" 64 bytes forward at a time
 * with two carry-less multiplications each, then into one block, and the
 * last 16 bytes of the running value are reduced by zlib's own crc32 (the
 * CRC of the whole equals zlib's CRC of that value started from
 * 0xFFFFFFFF), as are the bytes short of a block.  The four constants
 * reflect(x^k mod P) for k = 544, 480 (64-byte fold) and 160, 96
 * (16-byte fold) were computed for this file from P (and checked against
 * zlib by brute force over k); tests/unit/test_crc32.c compares every
 * length and alignment with zlib.  Without PCLMULQDQ (checked at run
 * time) or for fewer than 64 bytes, zlib's crc32 does it all.
 *
 * Pure: no state, any number of threads.
 */
#include "kernels/crc32.h"

#include <zlib.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define K_FOLD64_LO 0x154442bd4ULL /* reflect33(x^544 mod P) */
#define K_FOLD64_HI 0x1c6e41596ULL /* reflect33(x^480 mod P) */
#define K_FOLD16_LO 0x1751997d0ULL /* reflect33(x^160 mod P) */
#define K_FOLD16_HI 0x0ccaa009eULL /* reflect33(x^96 mod P) */

__attribute__((target("pclmul,sse2"))) static inline __m128i fold(__m128i x, __m128i k, __m128i next)
{
    return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next);
}

/* n >= 64. */
__attribute__((target("pclmul,sse2"))) static uint32_t crc32_clmul(uint32_t crc, const unsigned char *p, size_t n)
{
    const __m128i k64 = _mm_set_epi64x((long long)K_FOLD64_HI, (long long)K_FOLD64_LO);
    const __m128i k16 = _mm_set_epi64x((long long)K_FOLD16_HI, (long long)K_FOLD16_LO);
    __m128i x0 = _mm_loadu_si128((const __m128i *)p), x1 = _mm_loadu_si128((const __m128i *)(p + 16)),
            x2 = _mm_loadu_si128((const __m128i *)(p + 32)), x3 = _mm_loadu_si128((const __m128i *)(p + 48));
    x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int)~crc)); /* zlib's register starts inverted */
    p += 64;
    n -= 64;
    while (n >= 64) {
        x0 = fold(x0, k64, _mm_loadu_si128((const __m128i *)p));
        x1 = fold(x1, k64, _mm_loadu_si128((const __m128i *)(p + 16)));
        x2 = fold(x2, k64, _mm_loadu_si128((const __m128i *)(p + 32)));
        x3 = fold(x3, k64, _mm_loadu_si128((const __m128i *)(p + 48)));
        p += 64;
        n -= 64;
    }
    __m128i x = fold(fold(fold(x0, k16, x1), k16, x2), k16, x3);
    while (n >= 16) {
        x = fold(x, k16, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        n -= 16;
    }
    unsigned char last[16];
    _mm_storeu_si128((__m128i *)last, x);
    uint32_t c = (uint32_t)crc32(0xFFFFFFFFul, last, 16);
    return n ? (uint32_t)crc32(c, p, (uInt)n) : c;
}

static int have_clmul(void)
{
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2");
}
#endif

uint32_t baiot_crc32(uint32_t crc, const void *data, size_t n)
{
    const unsigned char *p = data;
#if defined(__x86_64__) && defined(__GNUC__)
    if (n >= 64 && have_clmul())
        return crc32_clmul(crc, p, n);
#endif
    while (n > 0) {
        size_t piece = n > (1u << 30) ? (1u << 30) : n;
        crc = (uint32_t)crc32(crc, p, (uInt)piece);
        p += piece;
        n -= piece;
    }
    return crc;
}
