/*
 * nbaiot_reader.c - block-wise streaming of a CSV source (nbaiot_reader.h).
 *
 * The buffer holds the unparsed tail of the previous read followed by new
 * bytes.  Each round parses everything up to the last line end and keeps
 * the rest; at the end of the input, trailing empty lines are dropped and
 * the last line may lack its line end.  SHA-256 (libcrypto) covers every
 * byte read.
 */
#include "nbaiot_reader.h"

#include <openssl/evp.h>
#include <string.h>

static void hex_digest(const unsigned char *md, unsigned n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
}

static const char *find_last_newline(const char *buf, size_t len)
{
    for (size_t i = len; i > 0; i--)
        if (buf[i - 1] == '\n')
            return buf + i - 1;
    return NULL;
}

baiot_status nbaiot_read_source(const source_ref *src, size_t block_bytes, nbaiot_sink sink, void *user,
                                nbaiot_read_result *out)
{
    byte_stream bs;
    csv_block blk = {0};
    char *buf = NULL;
    size_t have = 0;          /* bytes in buf not yet parsed */
    int64_t next_line = 1;    /* line number of buf[0] */
    int header_done = 0, eof = 0;
    baiot_status st;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;

    memset(out, 0, sizeof *out);
    if (!md)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    st = byte_stream_open(src, &bs);
    if (st) {
        EVP_MD_CTX_free(md);
        return st;
    }
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    buf = baiot_malloc(block_bytes);
    if (!buf) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for a %zu-byte read block", block_bytes);
        goto done;
    }
    while (!eof) {
        size_t got;
        st = byte_stream_read(&bs, buf + have, block_bytes - have, &got);
        if (st)
            goto done;
        EVP_DigestUpdate(md, buf + have, got);
        out->bytes += (int64_t)got;
        have += got;
        eof = (got == 0 || have < block_bytes);

        if (!header_done) {
            if (have == 0) {
                st = baiot_fail(BAIOT_ERR_FORMAT, "%s: the file is empty (expected the N-BaIoT header line)",
                                src->display);
                goto done;
            }
            const char *nl = memchr(buf, '\n', have);
            if (!nl && !eof) {
                st = baiot_fail(BAIOT_ERR_FORMAT, "%s:1: header line longer than %zu bytes", src->display,
                                block_bytes);
                goto done;
            }
            size_t hlen = nl ? (size_t)(nl - buf) : have;
            size_t skip = nl ? hlen + 1 : have;
            if (hlen > 0 && buf[hlen - 1] == '\r')
                hlen--;
            st = nbaiot_csv_check_header(buf, hlen, src->display);
            if (st)
                goto done;
            memmove(buf, buf + skip, have - skip);
            have -= skip;
            next_line = 2;
            header_done = 1;
        }

        size_t take;
        if (eof) {
            while (have > 0 && (buf[have - 1] == '\n' || buf[have - 1] == '\r'))
                have--;
            take = have;
        } else {
            const char *nl = find_last_newline(buf, have);
            if (!nl) {
                st = baiot_fail(BAIOT_ERR_FORMAT, "%s:%lld: line longer than %zu bytes", src->display,
                                (long long)next_line, block_bytes);
                goto done;
            }
            take = (size_t)(nl - buf) + 1;
        }
        if (take > 0) {
            st = nbaiot_csv_parse_block(&blk, buf, take, next_line, src->display);
            if (st)
                goto done;
            st = sink(user, &blk);
            if (st)
                goto done;
            next_line += blk.rows;
            out->rows += blk.rows;
        }
        memmove(buf, buf + take, have - take);
        have -= take;
    }
    if (out->rows == 0) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "%s: no data rows after the header", src->display);
        goto done;
    }
    EVP_DigestFinal_ex(md, digest, &dlen);
    hex_digest(digest, dlen, out->sha256);
done:
    byte_stream_close(&bs);
    csv_block_free(&blk);
    baiot_free(buf);
    EVP_MD_CTX_free(md);
    return st;
}
