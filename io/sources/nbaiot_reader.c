/*
 * nbaiot_reader.c - block-wise, pipelined streaming of a CSV source
 * (nbaiot_reader.h).
 *
 * Three stages run at once on consecutive blocks, as OpenMP tasks in one
 * parallel region per step: reading (and SHA-256 hashing) block k+1,
 * parsing block k (itself split into 1 MiB chunk tasks), and handing block
 * k-1 to the sink.  Two text buffers and two value blocks alternate.  Each
 * text block ends at its last line end; the unparsed tail is carried to the
 * front of the next one.  At the end of the input, trailing empty lines are
 * dropped and the last line may lack its line end.
 *
 * Errors are reported in file order (sink of k-1, then parse of k, then
 * read of k+1), so the message does not depend on timing.  The sink is
 * called from one task at a time, in block order.
 * Covered by tests/unit/test_ingest_view.c, tests/cli/test_ingest_errors.py
 * and tests/cli/test_determinism.py (block sizes).
 */
#include "io/sources/nbaiot_reader.h"

#include <omp.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

typedef struct text_block {
    char *buf;
    size_t have;   /* bytes in buf */
    size_t take;   /* bytes of whole lines to parse */
    int eof;       /* the input ended in this block */
    int too_long;  /* find_lines found no line end in a full block */
    int64_t first_line;
} text_block;

typedef struct stage_error {
    baiot_status status;
    char message[1024];
} stage_error;

static void keep_error(stage_error *e, baiot_status st)
{
    e->status = st;
    if (st)
        snprintf(e->message, sizeof e->message, "%s", baiot_last_error());
}

static void hex_digest(const unsigned char *md, unsigned n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Fills t after its carried-over bytes; hashes what it read; decides how
 * much of it is whole lines. */
static baiot_status fill(byte_stream *bs, EVP_MD_CTX *md, text_block *t, size_t cap, int64_t *bytes)
{
    size_t got;
    baiot_status st = baiot_byte_stream_read(bs, t->buf + t->have, cap - t->have, &got);
    if (st)
        return st;
    EVP_DigestUpdate(md, t->buf + t->have, got);
    *bytes += (int64_t)got;
    t->have += got;
    t->eof = t->have < cap;
    return BAIOT_OK;
}

/* Sets t->take to the whole lines of t (all of it at the end of the
 * input); a full block without a line end sets t->too_long instead (the
 * caller names the line: long_line). */
static void find_lines(text_block *t)
{
    if (t->eof) {
        while (t->have > 0 && (t->buf[t->have - 1] == '\n' || t->buf[t->have - 1] == '\r'))
            t->have--;
        t->take = t->have;
        return;
    }
    t->take = 0;
    for (size_t i = t->have; i > 0; i--)
        if (t->buf[i - 1] == '\n') {
            t->take = i;
            return;
        }
    t->too_long = 1; /* its first line may not be known yet: the block before is parsed meanwhile */
}

static baiot_status long_line(const char *display, int64_t line, size_t cap)
{
    return baiot_fail(BAIOT_ERR_FORMAT, "%s:%lld: line longer than %zu bytes (--block-mb sets the limit)", display,
                      (long long)line, cap);
}

/* Reads the header from the first block and checks it. */
static baiot_status read_header(byte_stream *bs, EVP_MD_CTX *md, text_block *t, size_t cap, const char *display,
                                int64_t *bytes)
{
    baiot_status st = fill(bs, md, t, cap, bytes);
    if (st)
        return st;
    if (t->have == 0)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the file is empty (expected the N-BaIoT header line)", display);
    const char *nl = memchr(t->buf, '\n', t->have);
    if (!nl && !t->eof)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s:1: header line longer than %zu bytes", display, cap);
    size_t hlen = nl ? (size_t)(nl - t->buf) : t->have;
    size_t skip = nl ? hlen + 1 : t->have;
    if (hlen > 0 && t->buf[hlen - 1] == '\r')
        hlen--;
    if ((st = baiot_nbaiot_csv_check_header(t->buf, hlen, display)))
        return st;
    memmove(t->buf, t->buf + skip, t->have - skip);
    t->have -= skip;
    t->first_line = 2;
    if (!t->eof) /* top the block up after the header */
        return fill(bs, md, t, cap, bytes);
    return BAIOT_OK;
}

baiot_status baiot_nbaiot_read_source(const source_ref *src, size_t cap, nbaiot_sink sink, void *user,
                                nbaiot_read_result *out)
{
    byte_stream bs;
    csv_block blk[2];
    text_block text[2];
    baiot_status st;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    int64_t bytes = 0, rows = 0;

    memset(out, 0, sizeof *out);
    memset(blk, 0, sizeof blk);
    memset(text, 0, sizeof text);
    if (!md)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if ((st = baiot_byte_stream_open(src, &bs))) {
        EVP_MD_CTX_free(md);
        return st;
    }
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    text[0].buf = baiot_malloc(cap);
    text[1].buf = baiot_malloc(cap);
    if (!text[0].buf || !text[1].buf) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for %zu-byte read blocks", cap);
        goto done;
    }
    if ((st = read_header(&bs, md, &text[0], cap, src->display, &bytes)))
        goto done;
    find_lines(&text[0]);
    if (text[0].too_long) {
        st = long_line(src->display, text[0].first_line, cap);
        goto done;
    }

    /* Step k: parse text[cur] into blk[cur]; read text[nxt]; sink blk[nxt]
     * (the block parsed in step k-1). */
    int cur = 0, pending = 0; /* pending: blk[1-cur] awaits its sink */
    for (;;) {
        int nxt = 1 - cur;
        text_block *tc = &text[cur], *tn = &text[nxt];
        int more = !tc->eof;
        stage_error e_sink = {0, ""}, e_parse = {0, ""}, e_read = {0, ""};
        int64_t parsed_rows = 0;
        if (more) { /* carry the tail of the current block */
            tn->have = tc->have - tc->take;
            memcpy(tn->buf, tc->buf + tc->take, tn->have);
            tn->eof = 0;
        }
#pragma omp parallel default(none) \
    shared(bs, md, tc, tn, blk, cur, nxt, more, pending, sink, user, cap, src, e_sink, e_parse, e_read, bytes)
#pragma omp single
        {
            if (more) {
#pragma omp task default(none) shared(bs, md, tn, cap, e_read, bytes, src)
                {
                    baiot_status s = fill(&bs, md, tn, cap, &bytes);
                    if (!s)
                        find_lines(tn);
                    keep_error(&e_read, s);
                }
            }
            if (pending) {
#pragma omp task default(none) shared(blk, nxt, sink, user, e_sink)
                keep_error(&e_sink, sink(user, &blk[nxt]));
            }
            if (tc->take > 0)
                keep_error(&e_parse, baiot_nbaiot_csv_parse_block(&blk[cur], tc->buf, tc->take, tc->first_line,
                                                            src->display));
            else
                blk[cur].rows = 0;
#pragma omp taskwait
        }
        stage_error *first = e_sink.status ? &e_sink : e_parse.status ? &e_parse : e_read.status ? &e_read : NULL;
        if (first) {
            st = baiot_fail(first->status, "%s", first->message);
            goto done;
        }
        if (more && tn->too_long) { /* the next block starts after this one's rows */
            st = long_line(src->display, tc->first_line + blk[cur].rows, cap);
            goto done;
        }
        if (pending)
            rows += blk[nxt].rows;
        parsed_rows = blk[cur].rows;
        pending = 1;
        if (!more)
            break;
        tn->first_line = tc->first_line + parsed_rows;
        cur = nxt;
    }
    if ((st = sink(user, &blk[cur])))
        goto done;
    rows += blk[cur].rows;
    if (rows == 0) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "%s: no data rows after the header", src->display);
        goto done;
    }
    EVP_DigestFinal_ex(md, digest, &dlen);
    hex_digest(digest, dlen, out->sha256);
    out->rows = rows;
    out->bytes = bytes;
done:
    baiot_byte_stream_close(&bs);
    baiot_csv_block_free(&blk[0]);
    baiot_csv_block_free(&blk[1]);
    baiot_free(text[0].buf);
    baiot_free(text[1].buf);
    EVP_MD_CTX_free(md);
    return st;
}
