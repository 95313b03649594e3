/*
 * extract.c - capture -> N-BaIoT rows (include/baiot/extract.h).
 *
 * Flow: the capture is opened (io/capture/pcap_io: magic and header checked,
 * link type checked against io/capture/packet_decode), the output is opened
 * at a temporary name, then every record is decoded and, when its headers
 * decode, fed to ONE feature extractor (io/capture/afterimage) in capture
 * order; its 115 features are staged row-major in a small tile, and tiles
 * are copied into a column-major block (feature j of row r at
 * block[j * block_rows + r]).  A full block is flushed: to the store writer
 * as is, or formatted as CSV text in parallel sub-blocks that are written
 * in order (the file is the same for any thread count).  Only when the
 * whole capture went through is the output renamed into place; on any
 * failure the temporary file is removed.
 *
 * The extractor is sequential by nature (each packet updates state the
 * next one reads); only CSV formatting uses threads.  HDF5 and libpcap are
 * called from the calling thread only.
 * Covered by tests/cli/test_extract.py.
 */
#include "io/text/text_buf.h"
#include "baiot/extract.h"
#include "baiot/nbaiot.h"
#include "baiot/store.h"
#include "io/files/atomic_file.h"
#include "io/text/format_double.h"
#include "io/capture/packet_decode.h"
#include "io/capture/pcap_io.h"
#include "io/store/store_write.h"
#include "io/capture/afterimage.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define DEFAULT_BLOCK_ROWS 65536
#define MAX_BLOCK_ROWS (1 << 24)
#define CSV_SUB_ROWS 2048        /* rows formatted per parallel task */
#define MAX_AUTO_CHUNK_ROWS 65536 /* as ingest: docs/STORE.md */
#define MIN_AUTO_CHUNK_ROWS 1024
#define BYTES_PER_PACKET_GUESS 100 /* record header + a typical IoT frame */
#define LOGGED_SKIPS 10           /* skipped packets logged one by one (INFO) */
#define TILE_ROWS 64              /* rows staged row-major before the block */

_Static_assert(AI_N_FEATURES == BAIOT_N_FEATURES, "the extractor and the store agree on 115 features");
_Static_assert((int)PACKET_TRUNCATED - 1 == (int)BAIOT_SKIP_TRUNCATED &&
                   (int)PACKET_MALFORMED - 1 == (int)BAIOT_SKIP_MALFORMED &&
                   (int)PACKET_UNSUPPORTED - 1 == (int)BAIOT_SKIP_UNSUPPORTED &&
                   (int)PACKET_N_SKIP - 1 == (int)BAIOT_N_SKIP,
               "packet_skip and baiot_extract_skip line up");

const char *baiot_extract_skip_name(int reason)
{
    static const char *const names[BAIOT_N_SKIP] = {"truncated", "malformed", "unsupported"};
    return reason >= 0 && reason < BAIOT_N_SKIP ? names[reason] : "?";
}

baiot_extract_params baiot_extract_params_default(void)
{
    baiot_extract_params p;
    memset(&p, 0, sizeof p);
    p.device = -1;
    p.family = -1;
    p.attack = NULL;
    p.block_rows = DEFAULT_BLOCK_ROWS;
    p.compress = 0;
    p.chunk_rows = 0;
    p.idle_cutoff = baiot_ai_params_default().idle_cutoff;
    return p;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcasecmp(s + n - k, suffix) == 0;
}

typedef enum out_kind { OUT_CSV, OUT_STORE } out_kind;

/* Checks params and works out the output kind and the attack code. */
static baiot_status check(const char *out_path, const baiot_extract_params *p, out_kind *kind, int *attack_code)
{
    if (ends_with(out_path, ".csv") || !strcmp(out_path, "-")) /* "-": CSV on the standard output */
        *kind = OUT_CSV;
    else if (ends_with(out_path, ".h5") || ends_with(out_path, ".hdf5"))
        *kind = OUT_STORE;
    else
        return baiot_fail(BAIOT_ERR_ARG, "cannot tell the output format of '%s': name it .csv (N-BaIoT CSV) or .h5 "
                                         "(baiot store)",
                          out_path);
    if (p->block_rows < 1 || p->block_rows > MAX_BLOCK_ROWS)
        return baiot_fail(BAIOT_ERR_ARG, "block rows must be 1..%d, not %lld", MAX_BLOCK_ROWS,
                          (long long)p->block_rows);
    if (p->compress < 0 || p->compress > 9)
        return baiot_fail(BAIOT_ERR_ARG, "compression level must be 0..9, not %d", p->compress);
    if (p->chunk_rows < 0 || p->chunk_rows > MAX_BLOCK_ROWS)
        return baiot_fail(BAIOT_ERR_ARG, "chunk rows must be 1..%d (or 0: automatic), not %lld", MAX_BLOCK_ROWS,
                          (long long)p->chunk_rows);
    if (!(p->idle_cutoff >= 0))
        return baiot_fail(BAIOT_ERR_ARG, "the idle cutoff must be >= 0 seconds");
    *attack_code = 0;
    if (*kind == OUT_CSV)
        return BAIOT_OK; /* the UCI CSV layout has no label columns: labels are not needed */
    if (p->device < 0 || p->device >= BAIOT_N_DEVICES || p->family < 0 || p->family >= BAIOT_N_FAMILIES)
        return baiot_fail(BAIOT_ERR_ARG, "a store's rows carry labels: give --device D and --family F (and --attack A "
                                         "for gafgyt or mirai) to write '%s', or write a .csv",
                          out_path);
    if (p->family == BAIOT_FAMILY_BENIGN) {
        if (p->attack && strcmp(p->attack, "benign") != 0)
            return baiot_fail(BAIOT_ERR_ARG, "benign traffic has no attack, but --attack %s was given", p->attack);
        return BAIOT_OK;
    }
    if (!p->attack)
        return baiot_fail(BAIOT_ERR_ARG, "a %s store needs --attack A (%s) to write '%s'",
                          baiot_family_names[p->family],
                          p->family == BAIOT_FAMILY_GAFGYT ? "combo, junk, scan, tcp, udp" : "ack, scan, syn, udp, udpplain",
                          out_path);
    *attack_code = baiot_attack_code(p->family, p->attack);
    if (*attack_code < 0)
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is not a %s attack (%s)", p->attack, baiot_family_names[p->family],
                          p->family == BAIOT_FAMILY_GAFGYT ? "combo, junk, scan, tcp, udp" : "ack, scan, syn, udp, udpplain");
    return BAIOT_OK;
}

baiot_status baiot_extract_check(const char *out_path, const baiot_extract_params *params)
{
    baiot_extract_params d = baiot_extract_params_default();
    out_kind kind;
    int code;
    return check(out_path, params ? params : &d, &kind, &code);
}

/* ----------------------------------------------------------- CSV text */

/* Rows r0..r1 of a column-major block as UCI CSV lines. */
static void format_rows(const double *block, int64_t stride, int64_t r0, int64_t r1, text_buf *b)
{
    char num[FORMAT_DOUBLE_MAX];
    for (int64_t r = r0; r < r1; r++) {
        for (int j = 0; j < BAIOT_N_FEATURES; j++) {
            if (j)
                text_buf_put(b, ",", 1);
            text_buf_put(b, num, (size_t)baiot_format_double(block[(int64_t)j * stride + r], num));
        }
        text_buf_put(b, "\r\n", 2);
    }
}

/* ---------------------------------------------------------- the sink */

typedef struct sink {
    out_kind kind;
    const char *path;
    atomic_file af;
    store_writer *w;
    text_buf *bufs; /* CSV: one per sub-block */
    int n_bufs;
    uint8_t device, family, attack;
} sink;

static baiot_status sink_flush(sink *s, const double *block, int64_t stride, int64_t rows)
{
    if (rows == 0)
        return BAIOT_OK;
    if (s->kind == OUT_STORE)
        return baiot_store_writer_append(s->w, block, stride, rows, s->device, s->family, s->attack);
    int nb = (int)((rows + CSV_SUB_ROWS - 1) / CSV_SUB_ROWS);
    text_buf *bufs = s->bufs;
#pragma omp parallel for schedule(dynamic, 1) default(none) shared(bufs, block, stride, rows, nb)
    for (int k = 0; k < nb; k++) {
        int64_t r0 = (int64_t)k * CSV_SUB_ROWS;
        int64_t r1 = r0 + CSV_SUB_ROWS < rows ? r0 + CSV_SUB_ROWS : rows;
        bufs[k].len = 0;
        format_rows(block, stride, r0, r1, &bufs[k]);
    }
    for (int k = 0; k < nb; k++) {
        if (bufs[k].oom)
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory writing '%s'", s->path);
        if (fwrite(bufs[k].data, 1, bufs[k].len, s->af.fp) != bufs[k].len)
            return baiot_fail(BAIOT_ERR_IO, "cannot write '%s' (disk full?)", s->path);
    }
    return BAIOT_OK;
}

static void sink_discard(sink *s)
{
    baiot_store_writer_discard(s->w);
    s->w = NULL;
    baiot_atomic_file_abort(&s->af);
    for (int k = 0; k < s->n_bufs; k++)
        baiot_free(s->bufs[k].data);
    baiot_free(s->bufs);
    s->bufs = NULL;
}

/* Chunk rows of a new store when none is asked for: about one chunk per
 * 65536 packets, fewer rows for small captures (as ingest does). */
static int64_t auto_chunk_rows(double capture_bytes)
{
    int64_t rows = (int64_t)(capture_bytes / BYTES_PER_PACKET_GUESS) + 1, c = MIN_AUTO_CHUNK_ROWS;
    while (c < rows && c < MAX_AUTO_CHUNK_ROWS)
        c *= 2;
    return c;
}

static baiot_status sink_open(sink *s, const char *path, out_kind kind, const baiot_extract_params *p, int attack,
                              double capture_bytes, int64_t block_rows)
{
    baiot_status st;
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->path = path;
    if (kind == OUT_STORE) {
        baiot_ingest_params ip = baiot_ingest_params_default();
        ip.compress = p->compress;
        ip.chunk_rows = p->chunk_rows ? p->chunk_rows : auto_chunk_rows(capture_bytes);
        s->device = (uint8_t)p->device;
        s->family = (uint8_t)p->family;
        s->attack = (uint8_t)attack;
        if ((st = baiot_atomic_file_reserve(path, &s->af)))
            return st;
        if ((st = baiot_store_writer_create(s->af.tmp_path, &ip, &s->w))) {
            baiot_fail_context(st, "cannot create '%s': ", path);
            sink_discard(s);
            return st;
        }
        return BAIOT_OK;
    }
    s->n_bufs = (int)((block_rows + CSV_SUB_ROWS - 1) / CSV_SUB_ROWS);
    s->bufs = baiot_calloc((size_t)s->n_bufs, sizeof *s->bufs);
    if (!s->bufs) {
        s->n_bufs = 0;
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    if ((st = baiot_atomic_file_open(path, &s->af))) {
        sink_discard(s);
        return st;
    }
    for (int j = 0; j < BAIOT_N_FEATURES; j++)
        fprintf(s->af.fp, "%s%s", j ? "," : "", baiot_feature_names[j]);
    fputs("\r\n", s->af.fp);
    return BAIOT_OK;
}

/* Finishes the output: the store gets its source row; then rename. */
static baiot_status sink_commit(sink *s, const char *capture, int64_t rows, const char *sha256)
{
    baiot_status st;
    if (s->kind == OUT_STORE) {
        baiot_source_info info;
        memset(&info, 0, sizeof info);
        if (strlen(capture) >= sizeof info.name) {
            sink_discard(s);
            return baiot_fail(BAIOT_ERR_ARG, "capture name longer than %d characters: %s",
                              BAIOT_SOURCE_NAME_MAX - 1, capture);
        }
        snprintf(info.name, sizeof info.name, "%s", capture);
        info.device = s->device;
        info.family = s->family;
        info.attack = s->attack;
        info.first_row = 0;
        info.rows = rows;
        memcpy(info.sha256, sha256, sizeof info.sha256);
        if ((st = baiot_store_writer_add_source(s->w, &info))) {
            sink_discard(s);
            return st;
        }
        st = baiot_store_writer_close(s->w);
        s->w = NULL;
        if (st) {
            sink_discard(s);
            return st;
        }
    }
    st = baiot_atomic_file_commit(&s->af); /* removes the temporary file on failure */
    s->af.fp = NULL;
    sink_discard(s);
    return st;
}

/* ------------------------------------------------------------ the run */

/* Copies n row-major rows of the tile into the column-major block at row
 * `at`: each feature's n values are one contiguous run of the block, so the
 * block's 115 columns (far apart in memory) are each touched once per tile
 * instead of once per row. */
static void tile_to_block(const double *tile, int n, double *block, int64_t stride, int64_t at)
{
    for (int j = 0; j < AI_N_FEATURES; j++) {
        double *dst = block + (int64_t)j * stride + at;
        for (int i = 0; i < n; i++)
            dst[i] = tile[(size_t)i * AI_N_FEATURES + j];
    }
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

baiot_status baiot_extract(const char *capture, const char *out_path, const baiot_extract_params *params,
                           baiot_extract_result *result)
{
    baiot_extract_params defaults = baiot_extract_params_default();
    baiot_extract_result local;
    baiot_extract_result *r = result ? result : &local;
    pcap_reader *rd = NULL;
    ai_extractor *ai = NULL;
    double *block = NULL;
    double tile[TILE_ROWS * AI_N_FEATURES]; /* 58 KB: the extractor's rows, row-major */
    sink out;
    out_kind kind;
    int attack = 0, sink_open_ok = 0;
    baiot_status st;
    double t0 = now_seconds();
    char sha[65];

    memset(r, 0, sizeof *r);
    if (!params)
        params = &defaults;
    if ((st = check(out_path, params, &kind, &attack)))
        return st;
    if ((st = baiot_pcap_reader_open(capture, &rd)))
        return st;
    int linktype = baiot_pcap_reader_linktype(rd);
    snprintf(r->linktype, sizeof r->linktype, "%s", baiot_pcap_reader_linktype_name(rd));
    if (!baiot_packet_decode_supported(linktype)) {
        const char *text = baiot_pcap_reader_linktype_text(rd);
        st = baiot_fail(BAIOT_ERR_FORMAT,
                        "'%s': link type %d (%s%s%s) is not supported; baiot reads EN10MB (Ethernet), "
                        "LINUX_SLL, LINUX_SLL2 (Linux cooked) and RAW, IPV4, IPV6 (bare IP) captures",
                        capture, linktype, baiot_pcap_reader_linktype_name(rd), *text ? ", " : "", text);
        goto done;
    }
    struct stat sb;
    r->capture_bytes = stat(capture, &sb) == 0 ? (double)sb.st_size : 0;

    ai_params ap = baiot_ai_params_default();
    ap.idle_cutoff = params->idle_cutoff;
    if (params->max_streams > 0)
        ap.max_streams = params->max_streams;
    if ((st = baiot_ai_create(&ap, &ai)))
        goto done;
    int64_t cap = params->block_rows;
    block = baiot_malloc((size_t)cap * BAIOT_N_FEATURES * sizeof *block);
    if (!block) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for a block of %lld rows", (long long)cap);
        goto done;
    }
    if ((st = sink_open(&out, out_path, kind, params, attack, r->capture_bytes, cap)))
        goto done;
    sink_open_ok = 1;

    int64_t filled = 0; /* rows in block */
    int tiled = 0;      /* rows in tile */
    for (;;) {
        pcap_record rec;
        ai_packet pkt;
        packet_skip why_kind;
        char why[PACKET_WHY_MAX];
        int got;
        if ((st = baiot_pcap_reader_next(rd, &rec, &got)))
            goto done;
        if (!got)
            break;
        r->packets++;
        if (baiot_packet_decode(linktype, rec.data, rec.caplen, rec.wirelen, baiot_pcap_time(rec.sec, rec.nsec), &pkt, &why_kind,
                          why, sizeof why) != BAIOT_OK) {
            int k = (int)why_kind - 1;
            if (k < 0 || k >= BAIOT_N_SKIP)
                k = BAIOT_SKIP_MALFORMED;
            if (r->skipped_by[k]++ == 0)
                snprintf(r->first_skip[k], sizeof r->first_skip[k], "packet %lld: %s", (long long)rec.number, why);
            if (++r->skipped <= LOGGED_SKIPS)
                baiot_log(BAIOT_LOG_INFO, "%s: packet %lld skipped: %s", capture, (long long)rec.number, why);
            continue;
        }
        if ((st = baiot_ai_process(ai, &pkt, tile + (size_t)tiled * AI_N_FEATURES)))
            goto done;
        r->rows++;
        if (++tiled == TILE_ROWS || filled + tiled == cap) {
            tile_to_block(tile, tiled, block, cap, filled);
            filled += tiled;
            tiled = 0;
            if (filled == cap) {
                if ((st = sink_flush(&out, block, cap, filled)))
                    goto done;
                filled = 0;
            }
        }
    }
    tile_to_block(tile, tiled, block, cap, filled);
    filled += tiled;
    if ((st = sink_flush(&out, block, cap, filled)))
        goto done;
    if ((st = baiot_pcap_reader_sha256(rd, sha)))
        goto done;
    sink_open_ok = 0; /* commit frees the sink, also when it fails */
    if ((st = sink_commit(&out, capture, r->rows, sha)))
        goto done;
    r->seconds = now_seconds() - t0;
    if (r->skipped > LOGGED_SKIPS)
        baiot_log(BAIOT_LOG_INFO, "%s: %lld more packets skipped", capture, (long long)(r->skipped - LOGGED_SKIPS));
    baiot_log(BAIOT_LOG_INFO, "%s: %lld packets, %lld rows in %.2f s (%.0f packets/s)", capture,
              (long long)r->packets, (long long)r->rows, r->seconds,
              r->seconds > 0 ? (double)r->packets / r->seconds : 0.0);
done:
    if (sink_open_ok)
        sink_discard(&out);
    baiot_free(block);
    baiot_ai_free(ai);
    baiot_pcap_reader_close(rd);
    if (st)
        r->seconds = now_seconds() - t0;
    return st;
}
