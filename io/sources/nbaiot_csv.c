/*
 * nbaiot_csv.c - header check and parallel block parsing of N-BaIoT CSV
 * (see nbaiot_csv.h).
 *
 * Invariants:
 *  1. Every value is baiot_parse_double's correctly rounded double of its text.
 *  2. A line is exactly 115 numeric fields separated by ',' and ended by
 *     "\n", "\r\n" or the end of the block; anything else is an error that
 *     names file, line, field number and feature name.
 *  3. Chunk boundaries depend only on the bytes; the reported error is the
 *     first bad line, whatever the thread count.
 * Covered by tests/unit/test_nbaiot_csv.c and
 * tests/cli/test_ingest_errors.py.
 */
#include "io/sources/nbaiot_csv.h"
#include "io/text/parse_double.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHUNK_BYTES ((size_t)1 << 20)
#define SHOW_MAX 40 /* characters of a bad field shown in a message */

void baiot_csv_block_free(csv_block *blk)
{
    baiot_free(blk->values);
    memset(blk, 0, sizeof *blk);
}

/* ------------------------------------------------------------------ header */

baiot_status baiot_nbaiot_csv_check_header(const char *line, size_t len, const char *file)
{
    const char *p = line, *end = line + len;
    if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3; /* UTF-8 byte order mark */
    for (int j = 0; j < BAIOT_N_FEATURES; j++) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        size_t n = (size_t)(stop - p);
        const char *want = baiot_feature_names[j];
        if (n != strlen(want) || memcmp(p, want, n) != 0)
            return baiot_fail(BAIOT_ERR_FORMAT,
                              "%s:1: header field %d is '%.*s', expected '%s' (the header must be the 115 "
                              "N-BaIoT feature names in file order)",
                              file, j + 1, (int)(n > SHOW_MAX ? SHOW_MAX : n), p, want);
        if (j < BAIOT_N_FEATURES - 1 && !comma)
            return baiot_fail(BAIOT_ERR_FORMAT, "%s:1: header has %d fields, expected %d: field %d (%s) is missing",
                              file, j + 1, BAIOT_N_FEATURES, j + 2, baiot_feature_names[j + 1]);
        p = stop + 1;
        if (j == BAIOT_N_FEATURES - 1 && comma) {
            int extra = 1;
            for (const char *c = p; c < end; c++)
                extra += (*c == ',');
            return baiot_fail(BAIOT_ERR_FORMAT, "%s:1: header has %d fields, expected %d: field %d is one too many",
                              file, BAIOT_N_FEATURES + extra, BAIOT_N_FEATURES, BAIOT_N_FEATURES + 1);
        }
    }
    return BAIOT_OK;
}

/* ------------------------------------------------------------------ lines */

typedef struct chunk {
    size_t begin, end;     /* byte range, whole lines */
    int64_t lines;         /* lines in the range */
    int64_t row0;          /* row index of its first line */
    baiot_status status;   /* first error in the chunk */
    int64_t bad_row;       /* row of that error */
    char message[512];
} chunk;

/* Explains why line [p, eol) failed: writes into msg the part of the
 * message that follows "file:line: ". */
static void explain_why(const char *p, const char *eol, char *msg, size_t cap)
{
    int fields = 1;
    if (p == eol) {
        snprintf(msg, cap, "empty line (expected %d fields, from field 1 %s)", BAIOT_N_FEATURES,
                 baiot_feature_names[0]);
        return;
    }
    for (const char *c = p; c < eol; c++)
        fields += (*c == ',');
    if (fields < BAIOT_N_FEATURES) {
        snprintf(msg, cap, "line has %d fields, expected %d: field %d (%s) and after are missing", fields,
                 BAIOT_N_FEATURES, fields + 1, baiot_feature_names[fields]);
        return;
    }
    if (fields > BAIOT_N_FEATURES) {
        snprintf(msg, cap, "line has %d fields, expected %d: field %d is one too many (after field %d, %s)", fields,
                 BAIOT_N_FEATURES, BAIOT_N_FEATURES + 1, BAIOT_N_FEATURES, baiot_feature_names[BAIOT_N_FEATURES - 1]);
        return;
    }
    for (int j = 0; j < BAIOT_N_FEATURES; j++) {
        const char *comma = memchr(p, ',', (size_t)(eol - p));
        const char *stop = comma ? comma : eol;
        double v;
        const char *q = baiot_parse_double(p, stop, &v);
        if (q != stop) {
            int n = (int)(stop - p);
            const char *what = "is not a number";
            char lower[8] = {0};
            const char *t = p + (n > 0 && (*p == '-' || *p == '+'));
            for (int k = 0; k < 7 && t + k < stop; k++)
                lower[k] = (char)(t[k] | 0x20);
            if (n == 0)
                what = "is empty";
            else if (memchr(p, '\r', (size_t)n))
                what = "contains a stray carriage return (\\r)";
            else if (strncmp(lower, "nan", 3) == 0 || strncmp(lower, "inf", 3) == 0)
                what = "is NaN or infinity, which N-BaIoT data never holds";
            else if (q == NULL && n < 64) {
                char tmp[64];
                char *tail;
                memcpy(tmp, p, (size_t)n);
                tmp[n] = '\0';
                double x = strtod(tmp, &tail);
                if (*tail == '\0' && isinf(x))
                    what = "is out of the double range";
            }
            snprintf(msg, cap, "field %d (%s) '%.*s' %s", j + 1, baiot_feature_names[j], n > SHOW_MAX ? SHOW_MAX : n,
                     p, what);
            return;
        }
        p = stop + 1;
    }
    snprintf(msg, cap, "malformed line");
}

/* The whole message for line [p, eol), numbered line in file. */
static void explain_line(const char *p, const char *eol, int64_t line, const char *file, char *msg, size_t cap)
{
    char why[400];
    explain_why(p, eol, why, sizeof why);
    snprintf(msg, cap, "%s:%lld: %s", file, (long long)line, why);
}

/* Parses one line [p, eol) (eol excludes "\r\n") into row r; the text may
 * be read up to limit.  Returns 0 on success. */
static int parse_line(const char *p, const char *eol, const char *limit, double *values, int64_t cap, int64_t r)
{
    for (int j = 0; j < BAIOT_N_FEATURES; j++) {
        double v;
        /* short decimals by the 8-byte fast path (limit: the end of the
         * readable text), the rest by the general parser */
        const char *q = limit - p >= 8 ? baiot_parse_double_short(p, &v) : NULL;
        if (!q || (q != eol && *q != ','))
            q = baiot_parse_double(p, eol, &v);
        if (!q)
            return -1;
        values[(int64_t)j * cap + r] = v;
        if (j < BAIOT_N_FEATURES - 1) {
            if (q >= eol || *q != ',')
                return -1;
            p = q + 1;
        } else if (q != eol) {
            return -1;
        }
    }
    return 0;
}

/* The line starting at p (before end): returns where the next one starts
 * and sets *eol to its end, a CR before the LF left out. */
static inline const char *next_line(const char *p, const char *end, const char **eol)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    if (e > p && e[-1] == '\r')
        e--;
    *eol = e;
    return nl ? nl + 1 : end;
}

static void parse_chunk(chunk *c, const char *buf, double *values, int64_t cap, int64_t first_line,
                        const char *file)
{
    const char *p = buf + c->begin, *end = buf + c->end;
    int64_t r = c->row0;
    c->status = BAIOT_OK;
    while (p < end) {
        const char *eol, *next = next_line(p, end, &eol);
        if (p == eol || parse_line(p, eol, end, values, cap, r) != 0) {
            c->status = BAIOT_ERR_FORMAT;
            c->bad_row = r;
            explain_line(p, eol, first_line + r, file, c->message, sizeof c->message);
            return;
        }
        r++;
        p = next;
    }
}

static int64_t count_lines(const char *p, const char *end)
{
    int64_t n = 0;
    const char *nl;
    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p = nl + 1;
    }
    return n + (p < end); /* a last line without its line end */
}

/* Counts and parses the chunks as OpenMP tasks; runs inside a parallel
 * region (the caller's, or one of its own). */
static void run_chunks(chunk *chunks, int n_chunks, const char *buf, csv_block *blk, int64_t first_line,
                       const char *file, int *oom)
{
#pragma omp taskloop grainsize(1) default(none) shared(chunks, n_chunks, buf)
    for (int k = 0; k < n_chunks; k++)
        chunks[k].lines = count_lines(buf + chunks[k].begin, buf + chunks[k].end);

    int64_t rows = 0;
    for (int k = 0; k < n_chunks; k++) {
        chunks[k].row0 = rows;
        rows += chunks[k].lines;
    }
    if (rows > blk->cap) {
        double *grown = baiot_realloc(blk->values, (size_t)rows * BAIOT_N_FEATURES * sizeof(double));
        if (!grown) {
            *oom = 1;
            return;
        }
        blk->values = grown;
        blk->cap = rows;
    }
    blk->rows = rows;
    double *values = blk->values;
    int64_t cap = blk->cap;
#pragma omp taskloop grainsize(1) default(none) shared(chunks, n_chunks, buf, values, cap, first_line, file)
    for (int k = 0; k < n_chunks; k++)
        parse_chunk(&chunks[k], buf, values, cap, first_line, file);
}

/* Rows a text of len bytes can hold: a valid line has 115 fields of at
 * least one character and 114 commas, plus its line end except the last. */
static int64_t max_rows(size_t len)
{
    return (int64_t)((len + 1) / (2 * BAIOT_N_FEATURES)) + 1;
}

baiot_status baiot_nbaiot_csv_parse_chunk(csv_block *blk, const char *buf, size_t len, int64_t *bad_row, char *why,
                                          size_t why_cap)
{
    int64_t cap = max_rows(len), r = 0;
    const char *p = buf, *end = buf + len;
    if (cap > blk->cap) { /* nothing to keep: a fresh buffer, not a realloc's copy */
        baiot_free(blk->values);
        blk->cap = 0;
        blk->rows = 0;
        blk->values = baiot_malloc((size_t)cap * BAIOT_N_FEATURES * sizeof(double));
        if (!blk->values)
            return BAIOT_ERR_MEMORY;
        blk->cap = cap;
    }
    while (p < end) {
        const char *eol, *next = next_line(p, end, &eol);
        /* r < cap holds for valid lines (max_rows); a short line fails first */
        if (p == eol || r >= blk->cap || parse_line(p, eol, end, blk->values, blk->cap, r) != 0) {
            *bad_row = r;
            explain_why(p, eol, why, why_cap);
            blk->rows = r;
            return BAIOT_ERR_FORMAT;
        }
        r++;
        p = next;
    }
    blk->rows = r;
    return BAIOT_OK;
}

baiot_status baiot_nbaiot_csv_parse_block(csv_block *blk, const char *buf, size_t len, int64_t first_line,
                                    const char *file)
{
    size_t max_chunks = len / CHUNK_BYTES + 1;
    chunk *chunks = baiot_calloc(max_chunks, sizeof *chunks);
    int n_chunks = 0, oom = 0;
    baiot_status st = BAIOT_OK;
    if (!chunks)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory parsing %s", file);

    /* Fixed chunk boundaries: the first line start at or after k * CHUNK_BYTES. */
    size_t pos = 0;
    while (pos < len) {
        size_t stop = pos + CHUNK_BYTES;
        if (stop >= len) {
            stop = len;
        } else {
            const char *nl = memchr(buf + stop, '\n', len - stop);
            stop = nl ? (size_t)(nl - buf) + 1 : len;
        }
        chunks[n_chunks].begin = pos;
        chunks[n_chunks].end = stop;
        n_chunks++;
        pos = stop;
    }

    if (omp_in_parallel()) {
        run_chunks(chunks, n_chunks, buf, blk, first_line, file, &oom);
    } else {
#pragma omp parallel default(none) shared(chunks, n_chunks, buf, blk, first_line, file, oom)
#pragma omp single
        run_chunks(chunks, n_chunks, buf, blk, first_line, file, &oom);
    }
    if (oom) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory parsing %s", file);
        goto done;
    }
    for (int k = 0; k < n_chunks; k++) {
        if (chunks[k].status != BAIOT_OK) {
            st = baiot_fail(chunks[k].status, "%s", chunks[k].message);
            break;
        }
    }
done:
    baiot_free(chunks);
    return st;
}
