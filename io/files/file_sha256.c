/*
 * file_sha256.c - the SHA-256 of a file, read in 1 MiB pieces through
 * OpenSSL's EVP digest.  Fails with the file's name on any read error.
 * Covered by tests/cli/test_study.py (the report's provenance digest).
 */
#include "io/files/file_sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

baiot_status baiot_file_sha256(const char *path, char hex[65])
{
    enum { PIECE = 1 << 20 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return baiot_fail(BAIOT_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    unsigned char *buf = baiot_malloc(PIECE);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    baiot_status st = BAIOT_OK;
    if (!buf || !md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory hashing '%s'", path);
        goto done;
    }
    size_t got;
    while ((got = fread(buf, 1, PIECE, f)) > 0)
        EVP_DigestUpdate(md, buf, got);
    if (ferror(f)) {
        st = baiot_fail(BAIOT_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
        goto done;
    }
    unsigned char digest[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(md, digest, &len);
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
done:
    EVP_MD_CTX_free(md);
    baiot_free(buf);
    fclose(f);
    return st;
}
