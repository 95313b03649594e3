/*
 * nbaiot_reader.c - streaming of a CSV source through the parallel parser
 * as a pipeline of jobs (nbaiot_reader.h).
 *
 * The source is read in blocks of whole lines (the unparsed tail of a
 * block is carried to the front of the next); each block is cut into
 * pieces of about 1 MiB at line ends.  Three kinds of job:
 *   - read: the next block into a free slot, hashed (SHA-256) as it is
 *     read, cut into pieces; one at a time, in file order;
 *   - parse: one piece into its own column-major values; any number at
 *     once, any order;
 *   - sink: the next parsed piece handed to the sink; one at a time, in
 *     file order.
 * Every thread of one OpenMP team runs the same loop: take the first job
 * that can run (sink, then read, then the earliest piece to parse), run it
 * outside the lock, repeat; with nothing to do it sleeps on a condition
 * variable (no spinning, so a loaded machine loses no time to it).  There
 * are no per-block barriers: reading, hashing and writing overlap parsing
 * across block boundaries.  A slot is free again once every piece of its
 * block is sunk; SLOTS of them bound the memory (about SLOTS x (block +
 * 1.7 x block of doubles)).
 *
 * Invariants:
 *  1. The sink sees the pieces in file order, one call at a time, so the
 *     store's bytes do not depend on the thread count or the timing.
 *  2. Errors are reported in file order: the sink walks the pieces in
 *     order and stops at the first one that failed (a bad line, a read
 *     error, a line longer than a block, the sink's own error); line
 *     numbers are counted there, so a parse job needs none.
 *  3. At the end of the input trailing empty lines are dropped and the last
 *     line may lack its line end.
 * Covered by tests/unit/test_ingest_view.c, tests/cli/test_ingest_errors.py
 * and tests/cli/test_determinism.py (the store at 1-3 threads, two block
 * sizes).
 */
#include "io/sources/nbaiot_reader.h"

#include <omp.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 3                        /* blocks in flight: sunk, parsed, read */
#define PIECE_BYTES ((size_t)1 << 20) /* parse jobs' size */
#define FIRST_DATA_LINE 2             /* line 1 is the header */

typedef struct stage_error {
    baiot_status status;
    char message[1024];
} stage_error;

enum { PIECE_WAITING, PIECE_PARSING, PIECE_PARSED };
enum { SLOT_FREE, SLOT_READING, SLOT_READY };

typedef struct piece {
    size_t begin, end; /* whole lines of the slot's text */
    int state;
    csv_block values;
    baiot_status status;
    int64_t bad_row; /* row in the piece of a bad line */
    char why[512];
} piece;

typedef struct slot {
    char *text;
    size_t have;  /* bytes in text */
    size_t take;  /* bytes of whole lines */
    int64_t block;
    int state;
    int eof;      /* the input ended in this block */
    int too_long; /* a full block without a line end */
    stage_error read_error;
    piece *pieces;
    int n_pieces, next_parse;
} slot;

/* The buffers, kept from source to source (their pages are touched once). */
struct nbaiot_reader {
    size_t cap;
    int max_pieces;
    char *carry; /* the tail of the block read last */
    slot slots[SLOTS];
};

typedef struct pipeline {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    slot *slots;
    size_t cap;
    /* reading (one job at a time) */
    byte_stream *bs;
    EVP_MD_CTX *md;
    char *carry;
    size_t carry_len;
    int64_t bytes;
    int64_t read_block; /* next block to read */
    int reading, read_done;
    /* sinking (one job at a time) */
    nbaiot_sink sink;
    void *user;
    const char *display;
    int64_t sink_block; /* block whose pieces are being sunk */
    int sink_piece;
    int sinking;
    int64_t rows;
    int finished; /* every block sunk, or an error */
    stage_error error;
} pipeline;

enum { JOB_NONE, JOB_SINK, JOB_READ, JOB_PARSE };

typedef struct job {
    int kind;
    slot *s;
    piece *pc;
} job;

static void hex_digest(const unsigned char *md, unsigned n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
}

static void keep_error(stage_error *e, baiot_status st)
{
    e->status = st;
    if (st)
        snprintf(e->message, sizeof e->message, "%s", baiot_last_error());
}

/* Fills t after its carried-over bytes; hashes what it read. */
static baiot_status fill(byte_stream *bs, EVP_MD_CTX *md, slot *t, size_t cap, int64_t *bytes)
{
    size_t got;
    baiot_status st = baiot_byte_stream_read(bs, t->text + t->have, cap - t->have, &got);
    if (st)
        return st;
    EVP_DigestUpdate(md, t->text + t->have, got);
    *bytes += (int64_t)got;
    t->have += got;
    t->eof = t->have < cap;
    return BAIOT_OK;
}

/* Sets t->take to the whole lines of t (all of it at the end of the
 * input); a full block without a line end sets t->too_long instead. */
static void find_lines(slot *t)
{
    if (t->eof) {
        while (t->have > 0 && (t->text[t->have - 1] == '\n' || t->text[t->have - 1] == '\r'))
            t->have--;
        t->take = t->have;
        return;
    }
    t->take = 0;
    for (size_t i = t->have; i > 0; i--)
        if (t->text[i - 1] == '\n') {
            t->take = i;
            return;
        }
    t->too_long = 1;
}

/* Cuts t's lines into pieces: a piece ends at the first line end at or
 * after PIECE_BYTES from its start (depends on the bytes only). */
static void cut_pieces(slot *t)
{
    size_t pos = 0;
    t->n_pieces = 0;
    t->next_parse = 0;
    while (pos < t->take) {
        size_t stop = pos + PIECE_BYTES;
        if (stop >= t->take) {
            stop = t->take;
        } else {
            const char *nl = memchr(t->text + stop, '\n', t->take - stop);
            stop = nl ? (size_t)(nl - t->text) + 1 : t->take;
        }
        piece *pc = &t->pieces[t->n_pieces++];
        pc->begin = pos;
        pc->end = stop;
        pc->state = PIECE_WAITING;
        pc->status = BAIOT_OK;
        pos = stop;
    }
}

/* After a block is read: keeps its tail for the next and cuts it. */
static void finish_read(pipeline *p, slot *t)
{
    find_lines(t);
    if (!t->eof && !t->too_long) {
        p->carry_len = t->have - t->take;
        memcpy(p->carry, t->text + t->take, p->carry_len);
    }
    if (!t->too_long)
        cut_pieces(t);
}

/* The read job: the next block into t. */
static void read_block(pipeline *p, slot *t)
{
    t->have = p->carry_len;
    memcpy(t->text, p->carry, p->carry_len);
    t->eof = t->too_long = 0;
    t->n_pieces = t->next_parse = 0;
    t->read_error.status = BAIOT_OK;
    baiot_status st = fill(p->bs, p->md, t, p->cap, &p->bytes);
    keep_error(&t->read_error, st);
    if (!st)
        finish_read(p, t);
}

/* Reads the header from the first block (slot 0) and checks it. */
static baiot_status read_header(pipeline *p, slot *t)
{
    baiot_status st = fill(p->bs, p->md, t, p->cap, &p->bytes);
    if (st)
        return st;
    if (t->have == 0)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the file is empty (expected the N-BaIoT header line)", p->display);
    const char *nl = memchr(t->text, '\n', t->have);
    if (!nl && !t->eof)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s:1: header line longer than %zu bytes", p->display, p->cap);
    size_t hlen = nl ? (size_t)(nl - t->text) : t->have;
    size_t skip = nl ? hlen + 1 : t->have;
    if (hlen > 0 && t->text[hlen - 1] == '\r')
        hlen--;
    if ((st = baiot_nbaiot_csv_check_header(t->text, hlen, p->display)))
        return st;
    memmove(t->text, t->text + skip, t->have - skip);
    t->have -= skip;
    if (!t->eof) /* top the block up after the header */
        return fill(p->bs, p->md, t, p->cap, &p->bytes);
    return BAIOT_OK;
}

static void set_error(pipeline *p, baiot_status st, const char *fmt_file, int64_t line, const char *what)
{
    p->error.status = st;
    snprintf(p->error.message, sizeof p->error.message, "%s:%lld: %s", fmt_file, (long long)line, what);
    p->finished = 1;
}

/* Under the lock: advances the sink over finished blocks and failures, and
 * returns the sink job when the next piece is parsed. */
static int take_sink(pipeline *p, job *j)
{
    while (!p->sinking && !p->finished) {
        slot *s = &p->slots[p->sink_block % SLOTS];
        if (s->state != SLOT_READY || s->block != p->sink_block)
            return 0;
        int64_t line = FIRST_DATA_LINE + p->rows;
        if (s->read_error.status) {
            p->error = s->read_error;
            p->finished = 1;
            return 0;
        }
        if (s->too_long) {
            char what[128];
            snprintf(what, sizeof what, "line longer than %zu bytes (--block-mb sets the limit)", p->cap);
            set_error(p, BAIOT_ERR_FORMAT, p->display, line, what);
            return 0;
        }
        if (p->sink_piece < s->n_pieces) {
            piece *pc = &s->pieces[p->sink_piece];
            if (pc->state != PIECE_PARSED)
                return 0;
            if (pc->status == BAIOT_ERR_MEMORY) {
                p->error.status = BAIOT_ERR_MEMORY;
                snprintf(p->error.message, sizeof p->error.message, "out of memory parsing %s", p->display);
                p->finished = 1;
                return 0;
            }
            if (pc->status) {
                set_error(p, pc->status, p->display, line + pc->bad_row, pc->why);
                return 0;
            }
            j->kind = JOB_SINK;
            j->s = s;
            j->pc = pc;
            p->sinking = 1;
            return 1;
        }
        /* every piece of the block is sunk */
        s->state = SLOT_FREE;
        p->sink_block++;
        p->sink_piece = 0;
        if (s->eof)
            p->finished = 1;
    }
    return 0;
}

/* Under the lock: the first job that can run, or JOB_NONE. */
static void take_job(pipeline *p, job *j)
{
    j->kind = JOB_NONE;
    if (p->finished || take_sink(p, j) || p->finished)
        return;
    slot *r = &p->slots[p->read_block % SLOTS];
    if (!p->reading && !p->read_done && r->state == SLOT_FREE) {
        r->state = SLOT_READING;
        r->block = p->read_block;
        p->reading = 1;
        j->kind = JOB_READ;
        j->s = r;
        return;
    }
    for (int64_t b = p->sink_block; b < p->read_block; b++) {
        slot *s = &p->slots[b % SLOTS];
        if (s->state == SLOT_READY && s->block == b && s->next_parse < s->n_pieces) {
            piece *pc = &s->pieces[s->next_parse++];
            pc->state = PIECE_PARSING;
            j->kind = JOB_PARSE;
            j->s = s;
            j->pc = pc;
            return;
        }
    }
}

/* Runs j outside the lock. */
static void run_job(pipeline *p, const job *j, baiot_status *sink_status, stage_error *sink_error)
{
    if (j->kind == JOB_READ) {
        read_block(p, j->s);
    } else if (j->kind == JOB_PARSE) {
        piece *pc = j->pc;
        pc->status = baiot_nbaiot_csv_parse_chunk(&pc->values, j->s->text + pc->begin, pc->end - pc->begin,
                                                  &pc->bad_row, pc->why, sizeof pc->why);
    } else {
        *sink_status = p->sink(p->user, &j->pc->values);
        keep_error(sink_error, *sink_status);
    }
}

/* Under the lock: records a finished job. */
static void job_done(pipeline *p, const job *j, baiot_status sink_status, const stage_error *sink_error)
{
    if (j->kind == JOB_READ) {
        slot *s = j->s;
        s->state = SLOT_READY;
        p->reading = 0;
        p->read_block++;
        if (s->eof || s->too_long || s->read_error.status)
            p->read_done = 1;
    } else if (j->kind == JOB_PARSE) {
        j->pc->state = PIECE_PARSED;
    } else {
        p->sinking = 0;
        if (sink_status) {
            if (!p->finished)
                p->error = *sink_error;
            p->finished = 1;
        } else {
            p->rows += j->pc->values.rows;
            p->sink_piece++;
        }
    }
}

/* Every thread of the team: take a job, run it, until the pipeline ends. */
static void work(pipeline *p)
{
    stage_error sink_error;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        job j;
        take_job(p, &j);
        if (p->finished)
            break;
        if (j.kind == JOB_NONE) {
            pthread_cond_wait(&p->wake, &p->lock);
            continue;
        }
        baiot_status sink_status = BAIOT_OK;
        pthread_mutex_unlock(&p->lock);
        run_job(p, &j, &sink_status, &sink_error);
        pthread_mutex_lock(&p->lock);
        job_done(p, &j, sink_status, &sink_error);
        pthread_cond_broadcast(&p->wake);
    }
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
}

baiot_status baiot_nbaiot_reader_new(size_t block_bytes, nbaiot_reader **out)
{
    nbaiot_reader *r = baiot_calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    r->cap = block_bytes;
    r->max_pieces = (int)(block_bytes / PIECE_BYTES) + 1;
    r->carry = baiot_malloc(block_bytes);
    int ok = r->carry != NULL;
    for (int i = 0; i < SLOTS; i++) {
        r->slots[i].text = baiot_malloc(block_bytes);
        r->slots[i].pieces = baiot_calloc((size_t)r->max_pieces, sizeof(piece));
        ok = ok && r->slots[i].text && r->slots[i].pieces;
    }
    if (!ok) {
        baiot_nbaiot_reader_free(r);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for %zu-byte read blocks", block_bytes);
    }
    *out = r;
    return BAIOT_OK;
}

void baiot_nbaiot_reader_free(nbaiot_reader *r)
{
    if (!r)
        return;
    for (int i = 0; i < SLOTS; i++) {
        for (int k = 0; r->slots[i].pieces && k < r->max_pieces; k++)
            baiot_csv_block_free(&r->slots[i].pieces[k].values);
        baiot_free(r->slots[i].pieces);
        baiot_free(r->slots[i].text);
    }
    baiot_free(r->carry);
    baiot_free(r);
}

baiot_status baiot_nbaiot_reader_read(nbaiot_reader *r, const source_ref *src, nbaiot_sink sink, void *user,
                                      nbaiot_read_result *out)
{
    byte_stream bs;
    pipeline p;
    baiot_status st;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;

    memset(out, 0, sizeof *out);
    memset(&p, 0, sizeof p);
    for (int i = 0; i < SLOTS; i++) { /* a new source: every slot free, the buffers kept */
        slot *s = &r->slots[i];
        s->have = s->take = 0;
        s->block = 0;
        s->state = SLOT_FREE;
        s->eof = s->too_long = 0;
        s->read_error.status = BAIOT_OK;
        s->n_pieces = s->next_parse = 0;
    }
    p.slots = r->slots;
    p.carry = r->carry;
    p.cap = r->cap;
    p.sink = sink;
    p.user = user;
    p.display = src->display;
    p.bs = &bs;
    if (!(p.md = EVP_MD_CTX_new()))
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if ((st = baiot_byte_stream_open(src, &bs))) {
        EVP_MD_CTX_free(p.md);
        return st;
    }
    EVP_DigestInit_ex(p.md, EVP_sha256(), NULL);
    /* block 0: the header, checked before any job runs */
    if ((st = read_header(&p, &p.slots[0])))
        goto done;
    finish_read(&p, &p.slots[0]);
    p.slots[0].state = SLOT_READY;
    p.slots[0].block = 0;
    p.read_block = 1;
    p.read_done = p.slots[0].eof || p.slots[0].too_long;

    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.wake, NULL);
#pragma omp parallel default(none) shared(p)
    work(&p);
    pthread_cond_destroy(&p.wake);
    pthread_mutex_destroy(&p.lock);

    if (p.error.status) {
        st = baiot_fail(p.error.status, "%s", p.error.message);
        goto done;
    }
    if (p.rows == 0) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "%s: no data rows after the header", src->display);
        goto done;
    }
    EVP_DigestFinal_ex(p.md, digest, &dlen);
    hex_digest(digest, dlen, out->sha256);
    out->rows = p.rows;
    out->bytes = p.bytes;
done:
    baiot_byte_stream_close(&bs);
    EVP_MD_CTX_free(p.md);
    return st;
}

baiot_status baiot_nbaiot_read_source(const source_ref *src, size_t cap, nbaiot_sink sink, void *user,
                                      nbaiot_read_result *out)
{
    nbaiot_reader *r;
    baiot_status st = baiot_nbaiot_reader_new(cap, &r);
    memset(out, 0, sizeof *out);
    if (st)
        return st;
    st = baiot_nbaiot_reader_read(r, src, sink, user, out);
    baiot_nbaiot_reader_free(r);
    return st;
}
