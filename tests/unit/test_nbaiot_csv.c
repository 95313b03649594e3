/*
 * test_nbaiot_csv.c - unit tests of the N-BaIoT CSV header check and the
 * parallel block parser (io/sources/nbaiot_csv.c).
 *
 * Checks the header against the 115 names of baiot_feature_names (with
 * and without a UTF-8 byte order mark) and that a renamed, missing or extra
 * field is refused with the file, line 1 and the position in the message.
 * Parses blocks of rows of random values written by baiot_format_double (LF and
 * CRLF, last line with and without its line end) and compares every value
 * bit for bit in the column-major layout values[j * cap + r]; blocks of
 * more than 3 MiB span several 1 MiB chunks, lines are placed to end right
 * at a chunk boundary, and 1 and 2 threads (and a call from inside a
 * parallel region) give the same bits.  Each bad line (wrong field count,
 * not a number, NaN, infinities, an empty field or line, out of range) is
 * refused with BAIOT_ERR_FORMAT and a message naming the file, the
 * absolute line, and the field number and feature name; of two bad lines
 * in different chunks the first is reported, whatever the thread count.
 * Every allocation of a parse is failed in turn: BAIOT_ERR_MEMORY, and no
 * leak.  The one-chunk parser of the streaming reader gives the same values
 * (rows of short decimals included, on both sides of the fast path's
 * limits) and, for a bad line, its row and the message's text.  Values come from a fixed-seed splitmix64.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "io/text/format_double.h"
#include "io/sources/nbaiot_csv.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NF BAIOT_N_FEATURES
#define MIB ((size_t)1 << 20)
#define FILE_NAME "/data/Danmini_Doorbell/benign_traffic.csv"

/* ---- helpers ---- */

static uint64_t mix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* The value of (row r, column j) of a block made with seed: zeros (both
 * signs), small integers, random bit patterns and data-like magnitudes. */
static double value_at(uint64_t seed, int64_t r, int j)
{
    uint64_t h = mix64(seed ^ mix64((uint64_t)r * 131 + (uint64_t)j));
    uint64_t g = mix64(h);
    switch (h % 10) {
    case 0:
        return (h >> 8) & 1 ? -0.0 : 0.0;
    case 1:
        return (double)((g >> 11) % 100000);
    case 2: {
        double d;
        memcpy(&d, &g, sizeof d);
        return isfinite(d) ? d : 1.0;
    }
    default: {
        double m = 1.0 + 9.0 * ((double)(g >> 11) * 0x1p-53);
        double d = m * pow(10.0, (int)(h % 41) - 20);
        return (h >> 9) & 1 ? -d : d;
    }
    }
}

/* A growing block of CSV text and the values expected from it, row-major. */
typedef struct text {
    char *p;
    size_t len, cap;
    double *vals;
    int64_t rows, vcap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = 2 * (t->len + n + 1) + 4096;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static double *new_row(text *t)
{
    if (t->rows == t->vcap) {
        t->vcap = 2 * t->vcap + 64;
        t->vals = realloc(t->vals, (size_t)t->vcap * NF * sizeof(double));
        assert_non_null(t->vals);
    }
    return t->vals + (t->rows++) * NF;
}

static void text_free(text *t)
{
    free(t->p);
    free(t->vals);
    memset(t, 0, sizeof *t);
}

/* Appends row r of seed's values, ended by eol ("" for none). */
static void add_row(text *t, uint64_t seed, const char *eol)
{
    char buf[FORMAT_DOUBLE_MAX];
    double *row = new_row(t);
    int64_t r = t->rows - 1;
    for (int j = 0; j < NF; j++) {
        row[j] = value_at(seed, r, j);
        if (j)
            put(t, ",", 1);
        put(t, buf, (size_t)baiot_format_double(row[j], buf));
    }
    put(t, eol, strlen(eol));
}

/* Appends a row of 0.5s padded with zeros to exactly total bytes, eol
 * included. */
static void add_padded_row(text *t, size_t total, const char *eol)
{
    size_t natural = NF * 4 - 1 + strlen(eol); /* "0.5," x 115 */
    assert_true(total >= natural);
    size_t pad = total - natural;
    double *row = new_row(t);
    for (int j = 0; j < NF; j++) {
        size_t z = pad / (size_t)(NF - j);
        row[j] = 0.5;
        if (j)
            put(t, ",", 1);
        put(t, "0.5", 3);
        for (size_t k = 0; k < z; k++)
            put(t, "0", 1);
        pad -= z;
    }
    put(t, eol, strlen(eol));
}

/* Appends a line of n_fields fields of row r's values, field bad (0-based;
 * -1: none) replaced by bad_text.  Counts as a row. */
static void add_bad_row(text *t, uint64_t seed, int n_fields, int bad, const char *bad_text, const char *eol)
{
    char buf[FORMAT_DOUBLE_MAX];
    double *row = new_row(t);
    int64_t r = t->rows - 1;
    for (int j = 0; j < n_fields; j++) {
        double v = value_at(seed, r, j % NF);
        if (j < NF)
            row[j] = v;
        if (j)
            put(t, ",", 1);
        if (j == bad)
            put(t, bad_text, strlen(bad_text));
        else
            put(t, buf, (size_t)baiot_format_double(v, buf));
    }
    put(t, eol, strlen(eol));
}

/* Asserts that blk holds t's values bit for bit, column-major with blk's
 * capacity. */
static void assert_block_equals(const csv_block *blk, const text *t)
{
    assert_int_equal(blk->rows, t->rows);
    assert_true(blk->cap >= blk->rows);
    for (int64_t r = 0; r < t->rows; r++)
        for (int j = 0; j < NF; j++) {
            double got = blk->values[(int64_t)j * blk->cap + r], want = t->vals[r * NF + j];
            if (!same_bits(got, want)) {
                print_error("row %lld column %d (%s): got %a, expected %a\n", (long long)r, j,
                            baiot_feature_names[j], got, want);
                fail();
            }
        }
}

static baiot_status parse_threads(csv_block *blk, const text *t, int64_t first_line, int threads)
{
    int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    baiot_status st = baiot_nbaiot_csv_parse_block(blk, t->p, t->len, first_line, FILE_NAME);
    omp_set_num_threads(saved);
    return st;
}

/* Asserts that msg holds every string of the NULL-terminated list. */
static void assert_message_has(const char *msg, ...)
{
    va_list ap;
    va_start(ap, msg);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        if (!strstr(msg, want)) {
            print_error("message '%s' lacks '%s'\n", msg, want);
            va_end(ap);
            fail();
        }
    va_end(ap);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

/* The header line: the 115 names joined with ','. */
static char *header_line(void)
{
    size_t n = 0;
    for (int j = 0; j < NF; j++)
        n += strlen(baiot_feature_names[j]) + 1;
    char *h = xmalloc(n + 64);
    h[0] = '\0';
    for (int j = 0; j < NF; j++) {
        if (j)
            strcat(h, ",");
        strcat(h, baiot_feature_names[j]);
    }
    return h;
}

/* ---- header ---- */

static void test_header_accepted(void **state)
{
    char *h = header_line();
    assert_int_equal(baiot_nbaiot_csv_check_header(h, strlen(h), FILE_NAME), BAIOT_OK);
    char *bom = xmalloc(strlen(h) + 4);
    memcpy(bom, "\xEF\xBB\xBF", 3);
    strcpy(bom + 3, h);
    assert_int_equal(baiot_nbaiot_csv_check_header(bom, strlen(bom), FILE_NAME), BAIOT_OK);
    /* len is respected: text after it is not looked at */
    strcat(h, ",extra");
    assert_int_equal(baiot_nbaiot_csv_check_header(h, strlen(h) - 6, FILE_NAME), BAIOT_OK);
    free(bom);
    free(h);
}

static void test_header_refused(void **state)
{
    char *h = header_line();
    const size_t bad_cap = strlen(h) + 64;
    char *bad = xmalloc(bad_cap);

    /* field 7 renamed */
    const char *seventh = strstr(h, "MI_dir_L1_weight");
    assert_non_null(seventh);
    snprintf(bad, bad_cap, "%.*sMI_dir_L1_weigth%s", (int)(seventh - h), h,
             seventh + strlen("MI_dir_L1_weight"));
    assert_int_equal(baiot_nbaiot_csv_check_header(bad, strlen(bad), FILE_NAME), BAIOT_ERR_FORMAT);
    assert_message_has(baiot_last_error(), FILE_NAME ":1:", "field 7", "MI_dir_L1_weigth", "MI_dir_L1_weight",
                       NULL);

    /* the same after a byte order mark */
    char *withbom = xmalloc(strlen(bad) + 4);
    memcpy(withbom, "\xEF\xBB\xBF", 3);
    strcpy(withbom + 3, bad);
    assert_int_equal(baiot_nbaiot_csv_check_header(withbom, strlen(withbom), FILE_NAME), BAIOT_ERR_FORMAT);
    assert_message_has(baiot_last_error(), FILE_NAME ":1:", "field 7", "MI_dir_L1_weight", NULL);
    free(withbom);

    /* 114 fields: the last one missing */
    const char *last = strrchr(h, ',');
    assert_int_equal(baiot_nbaiot_csv_check_header(h, (size_t)(last - h), FILE_NAME), BAIOT_ERR_FORMAT);
    assert_message_has(baiot_last_error(), FILE_NAME ":1:", "114", "115", NULL);

    /* 114 fields: one in the middle missing, so field 2 is not the expected name */
    const char *second = strchr(h, ',') + 1;
    const char *third = strchr(second, ',') + 1;
    snprintf(bad, bad_cap, "%.*s%s", (int)(second - h), h, third);
    assert_int_equal(baiot_nbaiot_csv_check_header(bad, strlen(bad), FILE_NAME), BAIOT_ERR_FORMAT);
    assert_message_has(baiot_last_error(), FILE_NAME ":1:", "field 2", "MI_dir_L5_mean", NULL);

    /* 116 fields */
    snprintf(bad, bad_cap, "%s,extra", h);
    assert_int_equal(baiot_nbaiot_csv_check_header(bad, strlen(bad), FILE_NAME), BAIOT_ERR_FORMAT);
    assert_message_has(baiot_last_error(), FILE_NAME ":1:", "116", "115", NULL);
    /* 116 with an empty last field */
    snprintf(bad, bad_cap, "%s,", h);
    assert_int_equal(baiot_nbaiot_csv_check_header(bad, strlen(bad), FILE_NAME), BAIOT_ERR_FORMAT);
    assert_message_has(baiot_last_error(), FILE_NAME ":1:", "116", NULL);

    /* empty, a data line, and a carriage return left on the line */
    assert_int_equal(baiot_nbaiot_csv_check_header("", 0, FILE_NAME), BAIOT_ERR_FORMAT);
    assert_message_has(baiot_last_error(), FILE_NAME ":1:", "field 1", "MI_dir_L5_weight", NULL);
    const char *data = "1.0,2.0,3.0";
    assert_int_equal(baiot_nbaiot_csv_check_header(data, strlen(data), FILE_NAME), BAIOT_ERR_FORMAT);
    assert_message_has(baiot_last_error(), FILE_NAME ":1:", "field 1", NULL);
    snprintf(bad, bad_cap, "%s\r", h);
    assert_int_equal(baiot_nbaiot_csv_check_header(bad, strlen(bad), FILE_NAME), BAIOT_ERR_FORMAT);
    assert_message_has(baiot_last_error(), FILE_NAME ":1:", "field 115", "HpHp_L0.01_pcc", NULL);
    free(bad);
    free(h);
}

/* ---- parsing good blocks ---- */

static void test_small_blocks(void **state)
{
    static const char *const eols[] = {"\n", "\r\n"};
    for (int e = 0; e < 2; e++)
        for (int last_eol = 0; last_eol < 2; last_eol++)
            for (int rows = 1; rows <= 7; rows += 3) {
                text t = {0};
                uint64_t seed = (uint64_t)(e * 100 + last_eol * 10 + rows);
                for (int r = 0; r < rows; r++)
                    add_row(&t, seed, r == rows - 1 && !last_eol ? "" : eols[e]);
                csv_block blk = {0};
                baiot_status st = baiot_nbaiot_csv_parse_block(&blk, t.p, t.len, 2, FILE_NAME);
                if (st)
                    print_error("%s\n", baiot_last_error());
                assert_int_equal(st, BAIOT_OK);
                assert_block_equals(&blk, &t);
                baiot_csv_block_free(&blk);
                assert_null(blk.values);
                text_free(&t);
            }

    /* an empty block holds no rows */
    csv_block blk = {0};
    assert_int_equal(baiot_nbaiot_csv_parse_block(&blk, "", 0, 2, FILE_NAME), BAIOT_OK);
    assert_int_equal(blk.rows, 0);
    baiot_csv_block_free(&blk);

    /* len is respected: a block cut after a line end ignores what follows */
    text t = {0};
    add_row(&t, 7, "\n");
    size_t first = t.len;
    add_row(&t, 7, "\n");
    t.rows = 1;
    assert_int_equal(baiot_nbaiot_csv_parse_block(&blk, t.p, first, 2, FILE_NAME), BAIOT_OK);
    assert_block_equals(&blk, &t);
    baiot_csv_block_free(&blk);
    text_free(&t);
}

/* A block of about bytes bytes of random rows. */
static void make_big(text *t, uint64_t seed, size_t bytes, const char *eol)
{
    while (t->len < bytes)
        add_row(t, seed, eol);
}

static void test_big_block_threads(void **state)
{
    text t = {0};
    make_big(&t, 42, 3 * MIB + MIB / 2, "\n");
    assert_true(t.len > 3 * MIB);
    csv_block one = {0}, two = {0};
    assert_int_equal(parse_threads(&one, &t, 2, 1), BAIOT_OK);
    assert_int_equal(parse_threads(&two, &t, 2, 2), BAIOT_OK);
    assert_block_equals(&one, &t);
    assert_block_equals(&two, &t);
    assert_int_equal(one.cap, two.cap);
    assert_memory_equal(one.values, two.values, (size_t)one.rows * NF * sizeof(double));

    /* called from inside a parallel region, as the ingest pipeline does */
    csv_block inner = {0};
    baiot_status st = BAIOT_OK;
#pragma omp parallel num_threads(2) default(none) shared(inner, t, st)
#pragma omp single
    st = baiot_nbaiot_csv_parse_block(&inner, t.p, t.len, 2, FILE_NAME);
    assert_int_equal(st, BAIOT_OK);
    assert_block_equals(&inner, &t);
    baiot_csv_block_free(&inner);

    /* reusing a larger block: rows shrink, cap stays, layout uses cap */
    text small = {0};
    for (int r = 0; r < 5; r++)
        add_row(&small, 9, "\r\n");
    int64_t cap = two.cap;
    assert_int_equal(parse_threads(&two, &small, 2, 2), BAIOT_OK);
    assert_int_equal(two.cap, cap);
    assert_block_equals(&two, &small);
    /* and growing again */
    assert_int_equal(parse_threads(&two, &t, 2, 1), BAIOT_OK);
    assert_block_equals(&two, &t);

    baiot_csv_block_free(&one);
    baiot_csv_block_free(&two);
    text_free(&small);
    text_free(&t);
}

/* Lines ending exactly at, just before and just after a chunk boundary,
 * with LF and CRLF (the CR before the boundary, the LF after it). */
static void test_chunk_boundaries(void **state)
{
    static const struct {
        size_t lf_at; /* offset of the boundary line's '\n' */
        const char *eol;
    } cases[] = {
        {MIB - 2, "\n"}, {MIB - 1, "\n"}, {MIB, "\n"}, {MIB + 1, "\n"}, {MIB, "\r\n"}, {MIB - 1, "\r\n"},
        {2 * MIB - 1, "\n"}, {2 * MIB, "\r\n"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        text t = {0};
        const size_t longest = NF * (FORMAT_DOUBLE_MAX + 1) + 2;
        const size_t natural = NF * 4 - 1 + strlen(cases[c].eol);
        while (t.len + longest + natural < cases[c].lf_at + 1)
            add_row(&t, 1000 + c, cases[c].eol);
        add_padded_row(&t, cases[c].lf_at + 1 - t.len, cases[c].eol);
        assert_int_equal(t.len, cases[c].lf_at + 1);
        assert_int_equal(t.p[cases[c].lf_at], '\n');
        make_big(&t, 1000 + c, cases[c].lf_at + MIB / 2, cases[c].eol);
        for (int threads = 1; threads <= 2; threads++) {
            csv_block blk = {0};
            baiot_status st = parse_threads(&blk, &t, 2, threads);
            if (st)
                print_error("case %zu: %s\n", c, baiot_last_error());
            assert_int_equal(st, BAIOT_OK);
            assert_block_equals(&blk, &t);
            baiot_csv_block_free(&blk);
        }
        text_free(&t);
    }
}

/* ---- bad lines ---- */

typedef struct bad_line {
    const char *what;
    int n_fields;        /* fields of the bad line */
    int field;           /* 0-based field replaced, or -1 */
    const char *field_text;
    const char *expect[4]; /* pieces of the message besides file:line */
} bad_line;

static const bad_line bad_lines[] = {
    {"114 fields", 114, -1, NULL, {"114 fields", "expected 115", NULL}},
    {"116 fields", 116, -1, NULL, {"116 fields", "expected 115", NULL}},
    {"not a number", NF, 6, "abc", {"field 7", "MI_dir_L1_weight", "'abc'", "not a number"}},
    {"number with junk", NF, 0, "1.5x", {"field 1", "MI_dir_L5_weight", "'1.5x'", "not a number"}},
    {"space", NF, 20, " 1.5", {"field 21", "H_L3_variance", "not a number", NULL}},
    {"nan", NF, 9, "nan", {"field 10", "MI_dir_L0.1_weight", "'nan'", "NaN or infinity"}},
    {"NaN", NF, 9, "NaN", {"field 10", "MI_dir_L0.1_weight", "NaN or infinity", NULL}},
    {"inf", NF, 50, "inf", {"field 51", "HH_L1_pcc", "'inf'", "NaN or infinity"}},
    {"-inf", NF, 114, "-inf", {"field 115", "HpHp_L0.01_pcc", "'-inf'", "NaN or infinity"}},
    {"empty field", NF, 33, "", {"field 34", "HH_L5_magnitude", "empty", NULL}},
    {"empty last field", NF, 114, "", {"field 115", "HpHp_L0.01_pcc", "empty", NULL}},
    {"out of range", NF, 2, "1e999", {"field 3", "MI_dir_L5_variance", "'1e999'", "out of the double range"}},
    {"out of range negative", NF, 2, "-1e999", {"field 3", "MI_dir_L5_variance", "out of the double range", NULL}},
    {"hex", NF, 4, "0x10", {"field 5", "MI_dir_L3_mean", "not a number", NULL}},
    {"incomplete exponent", NF, 4, "1e", {"field 5", "MI_dir_L3_mean", "not a number", NULL}},
};
#define N_BAD_LINES (sizeof bad_lines / sizeof bad_lines[0])

/* A 6-row block whose row bad_row is the bad line (or an empty line when
 * bl is NULL), the last line without its line end when last_eol is 0. */
static void make_bad_block(text *t, const bad_line *bl, int bad_row, const char *eol, int last_eol)
{
    for (int r = 0; r < 6; r++) {
        const char *end = r == 5 && !last_eol ? "" : eol;
        if (r != bad_row)
            add_row(t, 77, end);
        else if (bl)
            add_bad_row(t, 77, bl->n_fields, bl->field, bl->field_text, end);
        else {
            put(t, end, strlen(end)); /* an empty line */
            new_row(t);
        }
    }
}

static void test_bad_lines(void **state)
{
    static const char *const eols[] = {"\n", "\r\n"};
    static const int64_t first_lines[] = {2, 1, 100001, 7000000000LL};
    int k = 0;
    for (size_t c = 0; c < N_BAD_LINES; c++)
        for (int e = 0; e < 2; e++)
            for (int bad_row = 2; bad_row <= 5; bad_row += 3, k++) {
                const bad_line *bl = &bad_lines[c];
                int64_t first_line = first_lines[k % 4];
                text t = {0};
                make_bad_block(&t, bl, bad_row, eols[e], k % 3 != 0);
                csv_block blk = {0};
                char where[256];
                snprintf(where, sizeof where, "%s:%lld:", FILE_NAME, (long long)(first_line + bad_row));
                baiot_status st = baiot_nbaiot_csv_parse_block(&blk, t.p, t.len, first_line, FILE_NAME);
                const char *msg = baiot_last_error();
                if (st != BAIOT_ERR_FORMAT)
                    print_error("case '%s': status %d\n", bl->what, (int)st);
                assert_int_equal(st, BAIOT_ERR_FORMAT);
                assert_message_has(msg, where, NULL);
                for (int i = 0; i < 4 && bl->expect[i]; i++)
                    assert_message_has(msg, bl->expect[i], NULL);
                baiot_csv_block_free(&blk);
                text_free(&t);
            }

    /* an empty line in the middle, and one made of a lone CR */
    for (int e = 0; e < 2; e++) {
        text t = {0};
        make_bad_block(&t, NULL, 3, eols[e], 1);
        csv_block blk = {0};
        assert_int_equal(baiot_nbaiot_csv_parse_block(&blk, t.p, t.len, 2, FILE_NAME), BAIOT_ERR_FORMAT);
        assert_message_has(baiot_last_error(), FILE_NAME ":5:", "empty line", NULL);
        baiot_csv_block_free(&blk);
        text_free(&t);
    }
}

/* baiot_nbaiot_csv_parse_chunk (the streaming reader's parse job): the
 * same values as the block parser, rows of short decimals on both sides of
 * the fast path's limits, and for each bad line the row in the chunk and
 * the message without its "file:line: " (the reader adds it). */
static void test_parse_chunk(void **state)
{
    static const char *const shorts[] = {"0.0", "98.0", "1514.0", "12345.6", "123456.0", "0.001", "7.25e3",
                                         "1.5E-2", "99999.9", "3.14159", "10.0", "-1.0", "0.5"};
    (void)state;
    for (int e = 0; e < 2; e++) {
        const char *eol = e ? "\r\n" : "\n";
        text t = {0};
        for (int r = 0; r < 40; r++) {
            if (r % 3 == 0) {
                double *row = new_row(&t);
                for (int j = 0; j < NF; j++) {
                    const char *lit = shorts[(r + j) % (int)(sizeof shorts / sizeof shorts[0])];
                    row[j] = strtod(lit, NULL);
                    if (j)
                        put(&t, ",", 1);
                    put(&t, lit, strlen(lit));
                }
                put(&t, r == 39 ? "" : eol, r == 39 ? 0 : strlen(eol));
            } else {
                add_row(&t, 5, r == 39 ? "" : eol);
            }
        }
        csv_block blk = {0};
        int64_t bad_row = -1;
        char why[512] = "";
        assert_int_equal(baiot_nbaiot_csv_parse_chunk(&blk, t.p, t.len, &bad_row, why, sizeof why), BAIOT_OK);
        assert_block_equals(&blk, &t);
        baiot_csv_block_free(&blk);
        text_free(&t);
    }
    for (size_t c = 0; c < N_BAD_LINES; c++) {
        const bad_line *bl = &bad_lines[c];
        text t = {0};
        make_bad_block(&t, bl, 4, "\n", 1);
        csv_block blk = {0};
        int64_t bad_row = -1;
        char why[512] = "";
        assert_int_equal(baiot_nbaiot_csv_parse_chunk(&blk, t.p, t.len, &bad_row, why, sizeof why), BAIOT_ERR_FORMAT);
        assert_int_equal(bad_row, 4);
        assert_null(strstr(why, FILE_NAME));
        for (int i = 0; i < 4 && bl->expect[i]; i++)
            assert_message_has(why, bl->expect[i], NULL);
        baiot_csv_block_free(&blk);
        text_free(&t);
    }
}

/* The row index of the line holding byte offset. */
static int64_t row_at(const text *t, size_t offset)
{
    int64_t r = 0;
    for (size_t i = 0; i < offset && i < t->len; i++)
        r += t->p[i] == '\n';
    return r;
}

/* A >3 MiB block with bad lines at rows bad[0..n) (kinds kinds[]). */
static void make_big_bad(text *t, const int64_t *bad, const bad_line *const *kinds, int n)
{
    while (t->len < 3 * MIB + MIB / 2) {
        int which = -1;
        for (int i = 0; i < n; i++)
            if (bad[i] == t->rows)
                which = i;
        if (which < 0)
            add_row(t, 5, "\n");
        else if (kinds[which])
            add_bad_row(t, 5, kinds[which]->n_fields, kinds[which]->field, kinds[which]->field_text, "\n");
        else {
            put(t, "\n", 1); /* an empty line */
            new_row(t);
        }
    }
}

static void test_first_bad_line_reported(void **state)
{
    text probe = {0};
    make_big(&probe, 5, 3 * MIB + MIB / 2, "\n");
    int64_t in_chunk0 = row_at(&probe, MIB / 3);
    int64_t in_chunk1 = row_at(&probe, MIB + MIB / 5);
    int64_t in_chunk3 = row_at(&probe, 3 * MIB + MIB / 5);
    text_free(&probe);

    const bad_line *nan_line = &bad_lines[5], *short_line = &bad_lines[0], *range = &bad_lines[11];
    const struct {
        int64_t bad[2];
        const bad_line *kinds[2];
        int n;
        int64_t reported;
        const char *expect;
    } cases[] = {
        {{in_chunk1, in_chunk3}, {nan_line, short_line}, 2, in_chunk1, "NaN or infinity"},
        {{in_chunk3, in_chunk1}, {nan_line, short_line}, 2, in_chunk1, "114 fields"},
        {{in_chunk3, -1}, {range, NULL}, 1, in_chunk3, "out of the double range"},
        {{in_chunk0, in_chunk3}, {NULL, nan_line}, 2, in_chunk0, "empty line"},
        {{in_chunk1 + 1, in_chunk1}, {nan_line, range}, 2, in_chunk1, "out of the double range"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        text t = {0};
        make_big_bad(&t, cases[c].bad, cases[c].kinds, cases[c].n);
        char where[256], msg1[2048];
        snprintf(where, sizeof where, "%s:%lld:", FILE_NAME, (long long)(3 + cases[c].reported));
        for (int threads = 1; threads <= 2; threads++) {
            csv_block blk = {0};
            assert_int_equal(parse_threads(&blk, &t, 3, threads), BAIOT_ERR_FORMAT);
            const char *msg = baiot_last_error();
            assert_message_has(msg, where, cases[c].expect, NULL);
            if (threads == 1)
                snprintf(msg1, sizeof msg1, "%s", msg);
            else
                assert_string_equal(msg, msg1);
            baiot_csv_block_free(&blk);
        }
        text_free(&t);
    }
}

/* ---- allocation failures ---- */

static void test_alloc_failures(void **state)
{
    text small = {0}, big = {0};
    for (int r = 0; r < 4; r++)
        add_row(&small, 3, "\n");
    make_big(&big, 4, 3 * MIB + MIB / 2, "\r\n");
    const text *texts[] = {&small, &big};
    for (int i = 0; i < 2; i++)
        for (int threads = 1; threads <= 2; threads++) {
            uint64_t k;
            for (k = 1; k < 100; k++) {
                csv_block blk = {0};
                baiot_alloc_fail_at(k);
                baiot_status st = parse_threads(&blk, texts[i], 2, threads);
                baiot_alloc_fail_at(0);
                if (st == BAIOT_OK) {
                    assert_block_equals(&blk, texts[i]);
                    baiot_csv_block_free(&blk);
                    break;
                }
                assert_int_equal(st, BAIOT_ERR_MEMORY);
                assert_message_has(baiot_last_error(), FILE_NAME, NULL);
                baiot_csv_block_free(&blk);
            }
            assert_true(k > 1 && k < 100);
        }
    /* failures while reusing a block that holds values: it stays usable */
    csv_block blk = {0};
    const text *order[] = {&small, &big, &small};
    for (int i = 0; i < 3; i++) {
        uint64_t k;
        for (k = 1; k < 100; k++) {
            baiot_alloc_fail_at(k);
            baiot_status st = baiot_nbaiot_csv_parse_block(&blk, order[i]->p, order[i]->len, 2, FILE_NAME);
            baiot_alloc_fail_at(0);
            if (st == BAIOT_OK)
                break;
            assert_int_equal(st, BAIOT_ERR_MEMORY);
        }
        assert_true(k > 1 && k < 100);
        assert_block_equals(&blk, order[i]);
    }
    baiot_csv_block_free(&blk);
    text_free(&small);
    text_free(&big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_accepted),
        cmocka_unit_test(test_header_refused),
        cmocka_unit_test(test_small_blocks),
        cmocka_unit_test(test_big_block_threads),
        cmocka_unit_test(test_chunk_boundaries),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_first_bad_line_reported),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_parse_chunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
