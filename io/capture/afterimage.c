/*
 * afterimage.c - damped incremental statistics of N-BaIoT (afterimage.h).
 *
 * State, per stream key and per decay rate lambda in {5, 3, 1, 0.1, 0.01}:
 * weight w, linear sum LS, squared sum SS, and the time of the last update.
 * Inserting x at time t first decays the state by 2^(-lambda*(t - t_last))
 * (only when t is later), then adds 1, x and x^2.  A new stream starts at
 * w = 1e-20, LS = SS = 0, so its first outputs are weight 1, mean x and
 * variance 0.
 *
 * Five families, in the files' column order, each for the five lambdas:
 *   MI_dir  key srcMAC+srcIP       x = frame size   weight, mean, variance
 *   H       key srcIP              x = frame size   weight, mean, variance
 *   HH      key srcIP<->dstIP      x = frame size   2-D, see below
 *   HH_jit  key srcIP->dstIP       x = inter-arrival time; the first packet
 *           of a channel inserts its absolute time (its "previous" time is 0)
 *   HpHp    key srcIP:port<->dstIP:port             2-D
 * A 2-D stream holds both directions of a pair plus a residual-product
 * accumulator: a packet on side A decays B and the accumulator (CF3, w3 and
 * A's last residual) to t, then r = x - mean_A, CF3 += r * last residual
 * of B, w3 += 1.  Outputs: A's weight, mean, std; magnitude
 * sqrt(mean_A^2 + mean_B^2); radius sqrt(var_A^2 + var_B^2) (N-BaIoT's
 * radius uses squared variances); covariance CF3/w3; pcc =
 * covariance/(std_A std_B), 0 when that product is 0.  A side that never saw
 * a packet has weight 1e-20 decayed; its mean and variance are 0 (also when
 * that weight underflows to 0).
 *
 * Streams live in open-addressing hash tables keyed by fixed 48-byte keys:
 * the table probes 16-byte slots (hash, entry number) and the entries (key
 * and statistics) stay where they were first written, in chunks of
 * CHUNK_ENTRIES that are never moved, so growing a table rehashes only its
 * slots (a spoofed flood grows the tables to millions of streams; copying
 * 470-byte entries and faulting in their new pages at every doubling was
 * half of its extraction time).  Entries of dropped streams are reused.
 * Memory: nothing is dropped while the tables hold at most
 * params.max_streams streams (default 4 million, ~2.5 GB), so captures of
 * that size get Kitsune's exact semantics.  Beyond it, a periodic sweep
 * drops streams idle for longer than params.idle_cutoff (default 3600 s),
 * deleting in place (backward-shift deletion).  A sweep never changes the
 * state of the streams it keeps, so live streams' features are untouched
 * (tested).  A dropped stream that resumes starts as a new one: weight 1,
 * mean x, variance 0 (where keeping it would have kept its stale mean and
 * variance, which decay does not shrink), and for HH_jit the absolute-time
 * first value.
 * Covered by tests/unit/test_afterimage.c, tests/unit/test_packet.c and
 * tests/cli/test_extractor_invariants.py.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "io/capture/afterimage.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define KEY_BYTES 48
#define INITIAL_CAPACITY 1024 /* slots */
#define CHUNK_SHIFT 12        /* entries per chunk: 4,096 (1.9 MB of 2-D streams) */
#define CHUNK_ENTRIES ((uint32_t)1 << CHUNK_SHIFT)
#define NO_ENTRY UINT32_MAX
/* The per-stream updates are inlined into baiot_ai_process, so that its
 * AVX-512 and AVX2 clones run their loops over the lambdas in vector lanes. */
#if defined(__GNUC__)
#define HOT_INLINE inline __attribute__((always_inline))
#else
#define HOT_INLINE inline
#endif

static const double lambdas[AI_N_LAMBDAS] = {5.0, 3.0, 1.0, 0.1, 0.01};

typedef struct stat1d {
    double t_last;
    double w[AI_N_LAMBDAS], ls[AI_N_LAMBDAS], ss[AI_N_LAMBDAS];
} stat1d;

typedef struct stat2d {
    stat1d side[2];
    double t_cov;
    double cf3[AI_N_LAMBDAS], w3[AI_N_LAMBDAS], res[2][AI_N_LAMBDAS];
} stat2d;

typedef struct key48 {
    uint8_t b[KEY_BYTES];
} key48;

/* One hash table of fixed-size values: a compact array of slots to probe
 * (the hash, 0 = empty, and the number of the entry) and the entries, each
 * the key followed by its value, in chunks that never move. */
typedef struct tslot {
    uint64_t hash;
    uint32_t entry;
} tslot;

typedef struct table {
    size_t val_size;
    size_t entry_size; /* KEY_BYTES + val_size */
    size_t cap;        /* slots, a power of two */
    size_t used;       /* streams */
    tslot *slots;
    unsigned char **chunks;
    uint32_t n_chunks, chunks_cap;
    uint32_t n_entries; /* entries ever handed out (the high-water mark) */
    uint32_t free_head; /* entries of removed streams, linked through their first bytes */
} table;

static inline unsigned char *entry_at(const table *t, uint32_t e)
{
    return t->chunks[e >> CHUNK_SHIFT] + (size_t)(e & (CHUNK_ENTRIES - 1)) * t->entry_size;
}

#define ENTRY_KEY(t, e) ((key48 *)entry_at((t), (e)))
#define ENTRY_VAL(t, e) (entry_at((t), (e)) + KEY_BYTES)

/* The decay factors 2^(-lambda dt) of the last few gaps dt: a packet's
 * streams often share a gap (MI and H see the same packets; a 2-D stream's
 * accumulator was last touched with one of its sides; HH_jit with HH's
 * sending side), and exp2 of the same double is the same double, so a
 * repeated gap reuses its factors instead of five more exp2 calls. */
#define MEMO_SLOTS 4
typedef struct decay_memo {
    double dt[MEMO_SLOTS];
    double f[MEMO_SLOTS][AI_N_LAMBDAS];
    int next;
} decay_memo;

struct ai_extractor {
    ai_params params;
    decay_memo memo;
    table mi, h, hh, jit, hphp;
    int64_t packets;
    int64_t since_sweep;
};

ai_params baiot_ai_params_default(void)
{
    ai_params p;
    p.max_streams = 4000000; /* ~2.5 GB of stream state */
    p.idle_cutoff = 3600.0;
    p.sweep_every = 1 << 16;
    return p;
}

/* ------------------------------------------------------------- tables */

static uint64_t hash_key(const key48 *k)
{
    uint64_t w[6], h = 0x243F6A8885A308D3ULL;
    memcpy(w, k->b, sizeof w);
    for (int i = 0; i < 6; i++) {
        h ^= w[i];
        h *= 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    return h | 1; /* never 0: 0 marks an empty slot */
}

static int table_init(table *t, size_t val_size, size_t cap)
{
    memset(t, 0, sizeof *t);
    t->val_size = val_size;
    t->entry_size = KEY_BYTES + val_size;
    t->cap = cap;
    t->free_head = NO_ENTRY;
    t->slots = baiot_calloc(cap, sizeof *t->slots);
    return t->slots != NULL;
}

static void table_free(table *t)
{
    baiot_free(t->slots);
    for (uint32_t c = 0; c < t->n_chunks; c++)
        baiot_free(t->chunks[c]);
    baiot_free(t->chunks);
    memset(t, 0, sizeof *t);
}

/* Rehashes the slots into cap slots (the entries stay).  Returns 0 on
 * allocation failure (t unchanged). */
static int table_grow(table *t, size_t cap)
{
    tslot *n = baiot_calloc(cap, sizeof *n);
    if (!n)
        return 0;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].hash)
            continue;
        size_t j = t->slots[i].hash & (cap - 1);
        while (n[j].hash)
            j = (j + 1) & (cap - 1);
        n[j] = t->slots[i];
    }
    baiot_free(t->slots);
    t->slots = n;
    t->cap = cap;
    return 1;
}

/* Faults in the whole pages of a new chunk in one call (its entries are
 * about to be written one after another; a page fault apiece was a
 * quarter of a spoofed flood's time).  Best effort: an older kernel
 * without MADV_POPULATE_WRITE leaves them to fault one by one. */
static void populate(unsigned char *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t page = 4096, a = ((uintptr_t)p + page - 1) & ~(page - 1), e = ((uintptr_t)p + n) & ~(page - 1);
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)n;
#endif
}

/* Makes room for one more stream: a free slot (load factor <= 1/2) and a
 * free entry.  Returns 0 on allocation failure. */
static int table_reserve(table *t)
{
    if (2 * (t->used + 1) > t->cap && !table_grow(t, 2 * t->cap))
        return 0;
    if (t->free_head != NO_ENTRY || t->n_entries < t->n_chunks * CHUNK_ENTRIES)
        return 1;
    if (t->n_chunks == NO_ENTRY >> CHUNK_SHIFT)
        return 0; /* 2^32 - 1 entries */
    if (t->n_chunks == t->chunks_cap) {
        uint32_t c = t->chunks_cap ? 2 * t->chunks_cap : 16;
        unsigned char **nc = baiot_realloc(t->chunks, (size_t)c * sizeof *nc);
        if (!nc)
            return 0;
        t->chunks = nc;
        t->chunks_cap = c;
    }
    size_t bytes = (size_t)CHUNK_ENTRIES * t->entry_size;
    unsigned char *c = baiot_malloc(bytes);
    if (!c)
        return 0;
    populate(c, bytes);
    t->chunks[t->n_chunks++] = c;
    return 1;
}

/* Starts loading the cache line of the slot hash h probes first. */
static inline void table_prefetch(const table *t, uint64_t h)
{
    __builtin_prefetch(&t->slots[h & (t->cap - 1)], 1);
}

/* Then, once that line is in, the entry it names when its hash is h (the
 * key to compare and the value to update): the five tables' loads overlap. */
static inline void table_prefetch_entry(const table *t, uint64_t h)
{
    const tslot *sl = &t->slots[h & (t->cap - 1)];
    if (sl->hash == h) {
        const unsigned char *e = entry_at(t, sl->entry);
        __builtin_prefetch(e, 1);
        __builtin_prefetch(e + 64, 1);
    }
}

/* Finds key (hash h); inserts it (value left for the caller to
 * initialise, *fresh = 1) when absent.  Needs table_reserve first. */
static void *table_get(table *t, const key48 *k, uint64_t h, int *fresh)
{
    size_t i = h & (t->cap - 1);
    while (t->slots[i].hash) {
        if (t->slots[i].hash == h && memcmp(ENTRY_KEY(t, t->slots[i].entry)->b, k->b, KEY_BYTES) == 0) {
            *fresh = 0;
            return ENTRY_VAL(t, t->slots[i].entry);
        }
        i = (i + 1) & (t->cap - 1);
    }
    uint32_t e = t->free_head;
    if (e != NO_ENTRY)
        memcpy(&t->free_head, entry_at(t, e), sizeof t->free_head);
    else
        e = t->n_entries++;
    t->slots[i].hash = h;
    t->slots[i].entry = e;
    *ENTRY_KEY(t, e) = *k;
    t->used++;
    *fresh = 1;
    return ENTRY_VAL(t, e);
}

/* ------------------------------------------------------------ streams */

static HOT_INLINE void stat1d_init(stat1d *s, double t)
{
    s->t_last = t;
    for (int l = 0; l < AI_N_LAMBDAS; l++) {
        s->w[l] = 1e-20;
        s->ls[l] = 0;
        s->ss[l] = 0;
    }
}

static const double *decay_factors(decay_memo *m, double dt)
{
    for (int k = 0; k < MEMO_SLOTS; k++)
        if (m->dt[k] == dt)
            return m->f[k];
    int k = m->next;
    m->next = (k + 1) % MEMO_SLOTS;
    m->dt[k] = dt;
    for (int l = 0; l < AI_N_LAMBDAS; l++)
        m->f[k][l] = exp2(-lambdas[l] * dt);
    return m->f[k];
}

static HOT_INLINE void stat1d_decay(stat1d *s, double t, decay_memo *m)
{
    double dt = t - s->t_last;
    if (dt <= 0)
        return;
    const double *f = decay_factors(m, dt);
    for (int l = 0; l < AI_N_LAMBDAS; l++) {
        s->w[l] *= f[l];
        s->ls[l] *= f[l];
        s->ss[l] *= f[l];
    }
    s->t_last = t;
}

static HOT_INLINE void stat1d_insert(stat1d *s, double t, double x, decay_memo *m)
{
    stat1d_decay(s, t, m);
    for (int l = 0; l < AI_N_LAMBDAS; l++) {
        s->w[l] += 1.0;
        s->ls[l] += x;
        s->ss[l] += x * x;
    }
}

/* Mean ls/w and variance |ss/w - mean^2| for each lambda; both 0 where the
 * weight is not > 0 (decayed to 0).  Written without branches (both
 * quotients computed, then selected) so the lambdas run in vector lanes;
 * the selected values are those of the branching form. */
static HOT_INLINE void moments(const stat1d *s, double *restrict mean, double *restrict var)
{
#pragma GCC unroll 1
    for (int l = 0; l < AI_N_LAMBDAS; l++) {
        double w = s->w[l], m = s->ls[l] / w, v = fabs(s->ss[l] / w - m * m);
        mean[l] = w > 0 ? m : 0.0;
        var[l] = w > 0 ? v : 0.0;
    }
}

/* weight, mean, variance for each lambda, at out[3 * l]. */
static HOT_INLINE void emit1d(const stat1d *s, double *out)
{
    double mean[AI_N_LAMBDAS], var[AI_N_LAMBDAS];
    moments(s, mean, var);
    for (int l = 0; l < AI_N_LAMBDAS; l++) {
        out[3 * l] = s->w[l];
        out[3 * l + 1] = mean[l];
        out[3 * l + 2] = var[l];
    }
}

static HOT_INLINE void stat2d_init(stat2d *p, double t)
{
    stat1d_init(&p->side[0], t);
    stat1d_init(&p->side[1], t);
    p->t_cov = t;
    for (int l = 0; l < AI_N_LAMBDAS; l++) {
        p->cf3[l] = 0;
        p->w3[l] = 1e-20;
        p->res[0][l] = 0;
        p->res[1][l] = 0;
    }
}

/* Inserts x on side a and writes the 7 x 5 outputs. */
static HOT_INLINE void stat2d_insert(stat2d *p, int a, double t, double x, double *out, decay_memo *m)
{
    stat1d *A = &p->side[a], *B = &p->side[1 - a];
    stat1d_insert(A, t, x, m);
    stat1d_decay(B, t, m);
    double dt = t - p->t_cov;
    if (dt > 0) {
        const double *f = decay_factors(m, dt);
        for (int l = 0; l < AI_N_LAMBDAS; l++) {
            p->cf3[l] *= f[l];
            p->w3[l] *= f[l];
            p->res[a][l] *= f[l];
        }
        p->t_cov = t;
    }
    double ma[AI_N_LAMBDAS], va[AI_N_LAMBDAS], mb[AI_N_LAMBDAS], vb[AI_N_LAMBDAS];
    double o[7][AI_N_LAMBDAS];
    moments(A, ma, va);
    moments(B, mb, vb);
    double *ra = p->res[a];
    const double *rb = p->res[1 - a];
#pragma GCC unroll 1
    for (int l = 0; l < AI_N_LAMBDAS; l++) {
        double r = x - ma[l];
        double cf3 = p->cf3[l] + r * rb[l], w3 = p->w3[l] + 1.0;
        p->cf3[l] = cf3;
        p->w3[l] = w3;
        ra[l] = r;
        double sa = sqrt(va[l]), sb = sqrt(vb[l]);
        double cov = cf3 / w3, sab = sa * sb, pcc = cov / sab;
        o[0][l] = A->w[l];
        o[1][l] = ma[l];
        o[2][l] = sa;
        o[3][l] = sqrt(ma[l] * ma[l] + mb[l] * mb[l]);
        o[4][l] = sqrt(va[l] * va[l] + vb[l] * vb[l]);
        o[5][l] = cov;
        o[6][l] = sab != 0 ? pcc : 0.0;
    }
    for (int l = 0; l < AI_N_LAMBDAS; l++)
        for (int k = 0; k < 7; k++)
            out[7 * l + k] = o[k][l];
}

/* --------------------------------------------------------------- keys */

static void put_addr(uint8_t *dst, const ai_addr *a)
{
    dst[0] = a->kind;
    memcpy(dst + 1, a->bytes, 16);
}

/* 1 when endpoint x sorts before endpoint y (so a pair has one key). */
static int endpoint_less(const uint8_t *x, const uint8_t *y, size_t n)
{
    return memcmp(x, y, n) < 0;
}

/* ------------------------------------------------------------ sweeping */

static int keep1d(const void *val, double now, double cutoff)
{
    return now - ((const stat1d *)val)->t_last <= cutoff;
}

static int keep2d(const void *val, double now, double cutoff)
{
    const stat2d *p = val;
    double last = p->t_cov;
    if (p->side[0].t_last > last)
        last = p->side[0].t_last;
    if (p->side[1].t_last > last)
        last = p->side[1].t_last;
    return now - last <= cutoff;
}

/* Removes slot i from a linear-probing table, shifting later members of
 * its probe run back so every remaining key stays reachable. */
static void table_remove_at(table *t, size_t i)
{
    size_t mask = t->cap - 1, j = i;
    uint32_t e = t->slots[i].entry; /* its entry joins the free list */
    memcpy(entry_at(t, e), &t->free_head, sizeof t->free_head);
    t->free_head = e;
    for (;;) {
        j = (j + 1) & mask;
        if (!t->slots[j].hash)
            break;
        size_t home = t->slots[j].hash & mask;
        /* Slot j may move to the hole i unless its home lies in (i, j]. */
        int stays = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
        if (stays)
            continue;
        t->slots[i] = t->slots[j];
        i = j;
    }
    t->slots[i].hash = 0;
    t->used--;
}

static void table_sweep(table *t, int (*keep)(const void *val, double now, double cutoff), double now, double cutoff)
{
    for (size_t i = 0; i < t->cap;) {
        if (t->slots[i].hash && !keep(ENTRY_VAL(t, t->slots[i].entry), now, cutoff))
            table_remove_at(t, i); /* slot i now holds a shifted entry (or is empty): look again */
        else
            i++;
    }
}

static void sweep(ai_extractor *ai, double now)
{
    double c = ai->params.idle_cutoff;
    table_sweep(&ai->mi, keep1d, now, c);
    table_sweep(&ai->h, keep1d, now, c);
    table_sweep(&ai->hh, keep2d, now, c);
    table_sweep(&ai->jit, keep1d, now, c);
    table_sweep(&ai->hphp, keep2d, now, c);
}

/* ---------------------------------------------------------------- API */

baiot_status baiot_ai_create(const ai_params *params, ai_extractor **out)
{
    ai_extractor *ai = baiot_calloc(1, sizeof *ai);
    *out = NULL;
    if (!ai)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for the feature extractor");
    ai->params = params ? *params : baiot_ai_params_default();
    if (!table_init(&ai->mi, sizeof(stat1d), INITIAL_CAPACITY) ||
        !table_init(&ai->h, sizeof(stat1d), INITIAL_CAPACITY) ||
        !table_init(&ai->hh, sizeof(stat2d), INITIAL_CAPACITY) ||
        !table_init(&ai->jit, sizeof(stat1d), INITIAL_CAPACITY) ||
        !table_init(&ai->hphp, sizeof(stat2d), INITIAL_CAPACITY)) {
        baiot_ai_free(ai);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for the feature extractor");
    }
    *out = ai;
    return BAIOT_OK;
}

void baiot_ai_free(ai_extractor *ai)
{
    if (!ai)
        return;
    table_free(&ai->mi);
    table_free(&ai->h);
    table_free(&ai->hh);
    table_free(&ai->jit);
    table_free(&ai->hphp);
    baiot_free(ai);
}

int64_t baiot_ai_live_streams(const ai_extractor *ai)
{
    return (int64_t)(ai->mi.used + ai->h.used + ai->hh.used + ai->jit.used + ai->hphp.used);
}

/* Cloned for AVX-512 / AVX2: the divisions, square roots, products and
 * sums over the five lambdas are IEEE operations, the same doubles in any
 * lane, and this file is built without FMA contraction (CMakeLists.txt),
 * so every clone gives the same features. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
baiot_status baiot_ai_process(ai_extractor *ai, const ai_packet *p, double *out)
{
    key48 kmi, kh, khh, kjit, khp;
    uint8_t src[20], dst[20];
    int fresh;
    double t = p->t, x = p->size;

    /* Sweep every sweep_every packets, or less often while the tables are
     * larger, so the scan costs O(1) per packet. */
    if (ai->params.idle_cutoff > 0 && ai->params.sweep_every > 0 &&
        ++ai->since_sweep >= ai->params.sweep_every && ai->since_sweep >= baiot_ai_live_streams(ai) &&
        baiot_ai_live_streams(ai) > ai->params.max_streams) {
        sweep(ai, t);
        ai->since_sweep = 0;
    }
    ai->packets++;
    if (!table_reserve(&ai->mi) || !table_reserve(&ai->h) || !table_reserve(&ai->hh) ||
        !table_reserve(&ai->jit) || !table_reserve(&ai->hphp))
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for the extractor's stream tables");

    /* The five keys: MI srcMAC+srcIP; H srcIP; HH the srcIP/dstIP pair (side
     * 0 = the smaller address); HH_jit srcIP->dstIP; HpHp the socket pair. */
    memset(&kmi, 0, sizeof kmi);
    memcpy(kmi.b, p->src_mac, 6);
    put_addr(kmi.b + 6, &p->src_ip);
    memset(&kh, 0, sizeof kh);
    put_addr(kh.b, &p->src_ip);
    memset(src, 0, sizeof src);
    memset(dst, 0, sizeof dst);
    put_addr(src, &p->src_ip);
    put_addr(dst, &p->dst_ip);
    int a_hh = endpoint_less(src, dst, 17) || memcmp(src, dst, 17) == 0 ? 0 : 1;
    memset(&khh, 0, sizeof khh);
    memcpy(khh.b, a_hh == 0 ? src : dst, 17);
    memcpy(khh.b + 17, a_hh == 0 ? dst : src, 17);
    memset(&kjit, 0, sizeof kjit);
    memcpy(kjit.b, src, 17);
    memcpy(kjit.b + 17, dst, 17);
    src[17] = (uint8_t)(p->src_port >> 8);
    src[18] = (uint8_t)p->src_port;
    src[19] = p->port_kind;
    dst[17] = (uint8_t)(p->dst_port >> 8);
    dst[18] = (uint8_t)p->dst_port;
    dst[19] = p->port_kind;
    int a_hp = endpoint_less(src, dst, 20) || memcmp(src, dst, 20) == 0 ? 0 : 1;
    memset(&khp, 0, sizeof khp);
    memcpy(khp.b, a_hp == 0 ? src : dst, 20);
    memcpy(khp.b + 20, a_hp == 0 ? dst : src, 20);

    uint64_t hmi = hash_key(&kmi), hh = hash_key(&kh), hhh = hash_key(&khh), hjit = hash_key(&kjit),
             hhp = hash_key(&khp);
    table_prefetch(&ai->mi, hmi);
    table_prefetch(&ai->h, hh);
    table_prefetch(&ai->hh, hhh);
    table_prefetch(&ai->jit, hjit);
    table_prefetch(&ai->hphp, hhp);
    table_prefetch_entry(&ai->mi, hmi);
    table_prefetch_entry(&ai->h, hh);
    table_prefetch_entry(&ai->hh, hhh);
    table_prefetch_entry(&ai->jit, hjit);
    table_prefetch_entry(&ai->hphp, hhp);

    stat1d *mi = table_get(&ai->mi, &kmi, hmi, &fresh);
    if (fresh)
        stat1d_init(mi, t);
    stat1d_insert(mi, t, x, &ai->memo);
    emit1d(mi, out);

    stat1d *h = table_get(&ai->h, &kh, hh, &fresh);
    if (fresh)
        stat1d_init(h, t);
    stat1d_insert(h, t, x, &ai->memo);
    emit1d(h, out + 15);

    stat2d *hhs = table_get(&ai->hh, &khh, hhh, &fresh);
    if (fresh)
        stat2d_init(hhs, t);
    stat2d_insert(hhs, a_hh, t, x, out + 30, &ai->memo);

    /* HH_jit: x = time since the channel's previous packet */
    stat1d *jit = table_get(&ai->jit, &kjit, hjit, &fresh);
    if (fresh)
        stat1d_init(jit, 0.0); /* the quirk: the first gap is measured from time 0 */
    double gap = t - jit->t_last;
    stat1d_insert(jit, t, gap > 0 ? gap : 0.0, &ai->memo);
    emit1d(jit, out + 65);

    stat2d *hp = table_get(&ai->hphp, &khp, hhp, &fresh);
    if (fresh)
        stat2d_init(hp, t);
    stat2d_insert(hp, a_hp, t, x, out + 80, &ai->memo);
    return BAIOT_OK;
}
