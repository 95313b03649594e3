/*
 * watch.c - the engine of baiot watch (include/baiot/watch.h).
 *
 * Flow: a record from the source (watch_source.c) is decoded by
 * io/capture/packet_decode exactly as engine/traffic/extract.c does (same
 * link types, same skips) and fed to ONE AfterImage extractor in arrival
 * order, so the k-th decoded packet gets row k of `baiot extract`.  The
 * row (115 features, row-major) and its packet go into a slot of `batch`
 * rows.  A slot is handed on when it is full, when a file ends or the
 * source idles (a live buffer timeout, a folder waiting), before a
 * warning, at a statistics moment and at the end.  Handing on a slot
 * (slot_process) scores each model's rows of the slot (a detector through
 * baiot_detector_score_rows, straight from the slot's rows: the scaling
 * and scoring of baiot_detector_score, which `baiot predict` calls; a
 * classifier through baiot_model_predict on a view its rows are scattered
 * into; both score a row alone, so the numbers are bit-identical to
 * predict's on the extracted rows whatever the batching), then walks the
 * rows in order: each device keeps a ring of its
 * last `window` flags; a window alarms on a strict majority (count * 2 >
 * window, predict's window_alarm), and the alarm's rising and falling
 * edges are the alert and normal events.
 *
 * Threads (params.threads): with 1, slots are processed on the capturing
 * thread as they are handed on.  With 2 or more, a pipeline of two stages:
 * the calling thread captures, decodes and extracts (the extractor is
 * sequential: every packet updates the streams the next one reads), a
 * second thread scores and runs the windows and callbacks; slots go
 * through a FIFO of WATCH_SLOTS, so rows and events come out in exactly the
 * order and with exactly the values of one thread (a device's packets are
 * scored in arrival order).  A full FIFO makes the capturing stage wait:
 * live, the kernel's ring keeps capturing meanwhile and its overflow is
 * pcap_stats' drop count.
 *
 * Invariants: (1) rows reach the row callback in extractor order, from one
 * thread at a time; (2) memory is the extractor's stream table (bounded by
 * max_streams and idle_cutoff), the slots, the batches and the device
 * rings, whatever the input's length; (3) the library prints nothing:
 * events go to the caller's callbacks.  One run per handle at a time.
 * Covered by tests/cli/test_watch.py (one and two threads compared).
 */
#define _POSIX_C_SOURCE 200809L
#include "engine/watch/watch_internal.h"

#include "baiot/detect.h"
#include "baiot/model.h"
#include "baiot/nbaiot.h"
#include "baiot/view.h"
#include "io/capture/afterimage.h"
#include "io/capture/packet_decode.h"

#include <arpa/inet.h>
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DEFAULT_BATCH 128 /* its 115 columns stay in L2 as rows are scattered in (docs/WATCH.md) */
#define MAX_BATCH (1 << 20)
#define MAX_MODELS 64
#define MAX_WINDOW 100000
#define STATS_CHECK_EVERY 1024 /* packets between looks at the clock */
#define WATCH_SLOTS 8          /* slots between the two stages: about 1,000 rows in flight at batch 128 */

_Static_assert(AI_N_FEATURES == BAIOT_N_FEATURES, "the extractor gives the 115 N-BaIoT features");

typedef struct wmodel {
    char *device;           /* the device it is for ("all": every packet) */
    baiot_detector *det;    /* a detector, or */
    baiot_model *cls;       /* a classifier */
    double tr;
    int ws;
    int nc, benign;         /* classifier: classes, index of "benign" (-1 none) */
    const char *const *names;
    baiot_view *v;          /* a classifier's batch: capacity rows, 115 columns */
    int64_t *which;         /* a detector's batch: the rows' places in the slot */
    int64_t n;
    double *score, *dist;
} wmodel;

typedef struct wdevice {
    char *name;
    int model;
    unsigned char *ring;
    int ws, pos, count, alarm;
    int64_t seen;
} wdevice;

typedef struct mapent {
    uint8_t kind;       /* AI_ADDR_MAC, _IPV4, _IPV6 */
    uint8_t bytes[16];
    int device;
} mapent;

typedef struct pending {
    int64_t row;
    int device;
    ai_packet pkt;
} pending;

/* What the capturing stage hands on: rows in extractor order (their
 * features row-major in feat), a warning to report before them, and
 * whether a statistics event follows them.  snap: the capturing stage's
 * counters when the slot was handed on. */
typedef struct wslot {
    int64_t n;
    pending *rows;
    double *feat;
    char warning[400];
    int stats, end;
    baiot_watch_stats snap;
} wslot;

struct baiot_watch {
    baiot_watch_params p;
    wmodel models[MAX_MODELS];
    int n_models;
    wdevice *devices;
    int n_devices;
    mapent *map;
    int n_map, have_map;
    int threads;          /* 1: one thread; 2: the two-stage pipeline */
    wslot slots[WATCH_SLOTS];
    baiot_watch_stats st; /* the capturing stage's counters */
    int64_t flagged, alerts, normals; /* the scoring stage's */
    /* the pipeline's FIFO: slots[head .. head+filled) wait to be scored */
    pthread_mutex_t mu;
    pthread_cond_t cv_filled, cv_free;
    int head, filled;
    atomic_int failed;    /* the scoring stage failed: the capturing stage stops */
    baiot_status b_status;
    char b_error[512];
    baiot_watch_event_fn events;
    void *ectx;
    baiot_watch_row_fn rowfn;
    void *rctx;
};

baiot_watch_params baiot_watch_params_default(void)
{
    baiot_watch_params p;
    memset(&p, 0, sizeof p);
    p.snaplen = 256;
    p.buffer_size = 32 << 20;
    p.promisc = 1;
    p.settle = 2.0;
    p.idle_cutoff = baiot_ai_params_default().idle_cutoff;
    p.batch = DEFAULT_BATCH;
    p.threads = 1;
    return p;
}

baiot_status baiot_watch_check(const baiot_watch_params *p)
{
    int sources = !!p->pcap + !!p->follow + !!p->interface;
    if (sources != 1)
        return baiot_fail(BAIOT_ERR_ARG, "give exactly one source: --interface IF, --pcap FILE|- or --follow DIR");
    if (p->filter && !p->interface)
        return baiot_fail(BAIOT_ERR_ARG, "--filter applies to a live --interface (filter a file with tcpdump -r)");
    if (p->snaplen < 64 || p->snaplen > 262144)
        return baiot_fail(BAIOT_ERR_ARG, "the snap length must be 64..262144 bytes, not %d", p->snaplen);
    if (p->buffer_size < 65536)
        return baiot_fail(BAIOT_ERR_ARG, "the buffer size must be at least 65536 bytes, not %d", p->buffer_size);
    if (!(p->settle >= 0) || !(p->stats_every >= 0) || !(p->idle_cutoff >= 0))
        return baiot_fail(BAIOT_ERR_ARG, "settle, stats and idle-cutoff seconds must be >= 0");
    if (p->window < 0 || p->window > MAX_WINDOW)
        return baiot_fail(BAIOT_ERR_ARG, "the window must be 1..%d (0: the model's)", MAX_WINDOW);
    if (p->batch < 1 || p->batch > MAX_BATCH)
        return baiot_fail(BAIOT_ERR_ARG, "the batch must be 1..%d rows", MAX_BATCH);
    if (p->max_streams < 0)
        return baiot_fail(BAIOT_ERR_ARG, "max streams must be >= 0");
    if (p->threads < 1)
        return baiot_fail(BAIOT_ERR_ARG, "the threads must be >= 1, not %d", p->threads);
    return BAIOT_OK;
}

baiot_status baiot_watch_create(const baiot_watch_params *params, baiot_watch **out)
{
    baiot_status st;
    *out = NULL;
    if ((st = baiot_watch_check(params)))
        return st;
    baiot_watch *w = baiot_calloc(1, sizeof *w);
    if (!w)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    w->p = *params;
    w->threads = params->threads > 1 ? 2 : 1;
    for (int i = 0; i < (w->threads > 1 ? WATCH_SLOTS : 1); i++) {
        wslot *sl = &w->slots[i];
        sl->rows = baiot_malloc((size_t)params->batch * sizeof *sl->rows);
        sl->feat = baiot_malloc((size_t)params->batch * AI_N_FEATURES * sizeof *sl->feat);
        if (!sl->rows || !sl->feat) {
            baiot_watch_free(w);
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        }
    }
    *out = w;
    return BAIOT_OK;
}

static void model_clear(wmodel *m)
{
    baiot_free(m->device);
    baiot_detector_free(m->det);
    baiot_model_free(m->cls);
    baiot_view_free(m->v);
    baiot_free(m->which);
    baiot_free(m->score);
    baiot_free(m->dist);
    memset(m, 0, sizeof *m);
}

void baiot_watch_free(baiot_watch *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->n_models; i++)
        model_clear(&w->models[i]);
    for (int i = 0; i < w->n_devices; i++) {
        baiot_free(w->devices[i].name);
        baiot_free(w->devices[i].ring);
    }
    baiot_free(w->devices);
    baiot_free(w->map);
    for (int i = 0; i < WATCH_SLOTS; i++) {
        baiot_free(w->slots[i].rows);
        baiot_free(w->slots[i].feat);
    }
    baiot_free(w);
}

/* ------------------------------------------------------------ models */

/* The model's comma list of columns against the 115 feature names. */
static baiot_status check_columns(const char *path, const char *list)
{
    const char *s = list;
    for (int j = 0; j < BAIOT_N_FEATURES; j++) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (!*s && !e)
            return baiot_fail(BAIOT_ERR_FORMAT, "the model %s reads %d columns; watch gives the 115 N-BaIoT features "
                                                "(the first missing is '%s')",
                              path, j, baiot_feature_names[j]);
        if (len != strlen(baiot_feature_names[j]) || strncmp(s, baiot_feature_names[j], len) != 0)
            return baiot_fail(BAIOT_ERR_FORMAT, "the model %s does not read the 115 N-BaIoT features in order: its "
                                                "column %d is '%.*s', the extractor's is '%s'",
                              path, j + 1, (int)len, s, baiot_feature_names[j]);
        s = e ? e + 1 : s + len;
    }
    if (*s)
        return baiot_fail(BAIOT_ERR_FORMAT, "the model %s reads more than the 115 N-BaIoT features (column 116 is '%s')",
                          path, s);
    return BAIOT_OK;
}

baiot_status baiot_watch_add_model(baiot_watch *w, const char *device, const char *path)
{
    baiot_status st;
    if (w->n_models == MAX_MODELS)
        return baiot_fail(BAIOT_ERR_ARG, "at most %d models", MAX_MODELS);
    wmodel *m = &w->models[w->n_models];
    memset(m, 0, sizeof *m);
    m->benign = -1;
    const char *columns;
    if (baiot_detector_file(path)) {
        if ((st = baiot_detector_load(path, &m->det)))
            goto fail;
        columns = baiot_detector_columns(m->det);
        m->tr = baiot_detector_threshold(m->det);
        m->ws = baiot_detector_window(m->det);
        if (!device)
            device = baiot_detector_device(m->det);
    } else {
        if ((st = baiot_model_load(path, &m->cls)))
            goto fail;
        if (baiot_model_em(m->cls)) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "%s is an EM clusterer: watch applies detectors (baiot detect) and "
                                              "classifiers (j48, oner)",
                            path);
            goto fail;
        }
        columns = baiot_model_columns(m->cls);
        m->nc = baiot_model_n_classes(m->cls);
        m->names = baiot_model_class_names(m->cls);
        for (int k = 0; k < m->nc; k++)
            if (strcmp(m->names[k], "benign") == 0)
                m->benign = k;
        m->ws = 1;
        m->tr = NAN;
        if (!device)
            device = "all";
    }
    if ((st = check_columns(path, columns)))
        goto fail;
    if (w->p.window > 0)
        m->ws = w->p.window;
    for (int i = 0; i < w->n_models; i++)
        if (strcmp(w->models[i].device, device) == 0) {
            st = baiot_fail(BAIOT_ERR_ARG, "two models for device '%s' (%s and an earlier one)", device, path);
            goto fail;
        }
    int64_t cap = w->p.batch;
    if (!(m->device = baiot_strdup(device)) || (!m->det && (st = baiot_view_alloc(cap, BAIOT_N_FEATURES, &m->v))) ||
        !(m->which = baiot_malloc((size_t)cap * sizeof *m->which)) ||
        !(m->score = baiot_malloc((size_t)cap * sizeof *m->score)) ||
        (m->nc && !(m->dist = baiot_malloc((size_t)cap * (size_t)m->nc * sizeof *m->dist)))) {
        st = st ? st : baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    for (int j = 0; m->v && j < BAIOT_N_FEATURES; j++) { /* a classifier's batch view */
        m->v->attrs[j].kind = BAIOT_ATTR_NUMERIC;
        if (!(m->v->attrs[j].name = baiot_strdup(baiot_feature_names[j]))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto fail;
        }
    }
    for (int64_t r = 0; m->v && r < cap; r++)
        m->v->y[r] = -1;
    w->n_models++;
    return BAIOT_OK;
fail:
    model_clear(m);
    return st;
}

/* ------------------------------------------------------------ devices */

static int device_index(baiot_watch *w, const char *name, baiot_status *st)
{
    for (int i = 0; i < w->n_devices; i++)
        if (strcmp(w->devices[i].name, name) == 0)
            return i;
    int mi = -1;
    for (int i = 0; i < w->n_models; i++)
        if (strcmp(w->models[i].device, name) == 0)
            mi = i;
    for (int i = 0; mi < 0 && i < w->n_models; i++)
        if (strcmp(w->models[i].device, "all") == 0)
            mi = i;
    if (mi < 0) {
        *st = baiot_fail(BAIOT_ERR_ARG, "device '%s' has no model: give --model %s=MODEL (or one model for all)", name,
                         name);
        return -1;
    }
    wdevice *t = baiot_realloc(w->devices, (size_t)(w->n_devices + 1) * sizeof *t);
    if (!t) {
        *st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        return -1;
    }
    w->devices = t;
    wdevice *d = &w->devices[w->n_devices];
    memset(d, 0, sizeof *d);
    d->model = mi;
    d->ws = w->models[mi].ws;
    d->name = baiot_strdup(name);
    d->ring = baiot_calloc((size_t)d->ws, 1);
    if (!d->name || !d->ring) {
        baiot_free(d->name);
        baiot_free(d->ring);
        *st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        return -1;
    }
    return w->n_devices++;
}

static int parse_mac(const char *s, uint8_t *b)
{
    unsigned v[6];
    char tail;
    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
        return 0;
    for (int i = 0; i < 6; i++)
        b[i] = (uint8_t)v[i];
    return 1;
}

baiot_status baiot_watch_load_device_map(baiot_watch *w, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int lineno = 0;
    baiot_status st = BAIOT_OK;
    if (!f)
        return baiot_fail(BAIOT_ERR_IO, "cannot open the device map '%s'", path);
    while (!st && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char addr[128], dev[256], extra[8];
        int k = sscanf(line, "%127s %255s %7s", addr, dev, extra);
        if (k <= 0)
            continue;
        if (k != 2) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "%s:%d: expected 'ADDRESS DEVICE'", path, lineno);
            break;
        }
        mapent e;
        memset(&e, 0, sizeof e);
        if (parse_mac(addr, e.bytes))
            e.kind = AI_ADDR_MAC;
        else if (inet_pton(AF_INET, addr, e.bytes) == 1)
            e.kind = AI_ADDR_IPV4;
        else if (inet_pton(AF_INET6, addr, e.bytes) == 1)
            e.kind = AI_ADDR_IPV6;
        else {
            st = baiot_fail(BAIOT_ERR_FORMAT, "%s:%d: '%s' is neither a MAC (aa:bb:cc:dd:ee:ff) nor an IP address", path,
                            lineno, addr);
            break;
        }
        if ((e.device = device_index(w, dev, &st)) < 0) {
            baiot_fail_context(st, "%s:%d: ", path, lineno);
            break;
        }
        mapent *t = baiot_realloc(w->map, (size_t)(w->n_map + 1) * sizeof *t);
        if (!t) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            break;
        }
        w->map = t;
        w->map[w->n_map++] = e;
    }
    fclose(f);
    if (!st && w->n_map == 0)
        st = baiot_fail(BAIOT_ERR_FORMAT, "the device map '%s' has no entry", path);
    w->have_map = 1;
    return st;
}

/* The device of a packet: its source MAC's entry, else its source IP's; -1 unmapped. */
static int device_of(const baiot_watch *w, const ai_packet *p)
{
    if (!w->have_map)
        return 0;
    for (int i = 0; i < w->n_map; i++)
        if (w->map[i].kind == AI_ADDR_MAC && memcmp(w->map[i].bytes, p->src_mac, 6) == 0)
            return w->map[i].device;
    for (int i = 0; i < w->n_map; i++)
        if (w->map[i].kind == p->src_ip.kind && w->map[i].kind != AI_ADDR_MAC &&
            memcmp(w->map[i].bytes, p->src_ip.bytes, w->map[i].kind == AI_ADDR_IPV4 ? 4 : 16) == 0)
            return w->map[i].device;
    return -1;
}

/* ------------------------------------------------------------ events */

static void addr_text(const ai_addr *a, char *out, size_t n)
{
    if (a->kind == AI_ADDR_IPV4)
        inet_ntop(AF_INET, a->bytes, out, (socklen_t)n);
    else if (a->kind == AI_ADDR_IPV6)
        inet_ntop(AF_INET6, a->bytes, out, (socklen_t)n);
    else
        snprintf(out, n, "%02x:%02x:%02x:%02x:%02x:%02x", a->bytes[0], a->bytes[1], a->bytes[2], a->bytes[3],
                 a->bytes[4], a->bytes[5]);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void event_init(baiot_watch_event *e, int kind, const baiot_watch *w, const baiot_watch_stats *snap)
{
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->score = e->threshold = e->probability = NAN;
    e->device = e->model = e->verdict = e->message = "";
    e->stats = *snap;
    e->stats.flagged = w->flagged;
    e->stats.alerts = w->alerts;
    e->stats.normals = w->normals;
}

/* The scoring stage's work on one slot: its warning, its rows scattered
 * into their models' batches and scored, then walked in row order
 * (windows, row callback, alert and normal events), then its statistics
 * event.  Runs on one thread at a time, slots in the order handed on. */
static baiot_status slot_process(baiot_watch *w, wslot *sl)
{
    baiot_status st;
    baiot_watch_event e;
    if (sl->warning[0] && w->events) {
        event_init(&e, BAIOT_WATCH_WARNING, w, &sl->snap);
        e.message = sl->warning;
        if (w->events(w->ectx, &e))
            return baiot_fail(BAIOT_ERR_IO, "cannot write a warning");
    }
    if (sl->n > 0) {
        /* a detector scales its rows straight from the slot; a classifier
         * reads a view: its rows are scattered into the batch's columns */
        for (int64_t i = 0; i < sl->n; i++) {
            wmodel *m = &w->models[w->devices[sl->rows[i].device].model];
            if (m->det) {
                m->which[m->n++] = i;
                continue;
            }
            const double *f = sl->feat + i * AI_N_FEATURES;
            for (int j = 0; j < AI_N_FEATURES; j++)
                m->v->cols[j][m->n] = f[j];
            m->n++;
        }
        for (int i = 0; i < w->n_models; i++) {
            wmodel *m = &w->models[i];
            if (m->n == 0)
                continue;
            if (m->det) {
                st = baiot_detector_score_rows(m->det, sl->feat, AI_N_FEATURES, m->n == sl->n ? NULL : m->which, m->n,
                                               m->score);
            } else {
                m->v->n_rows = m->n;
                st = baiot_model_predict(m->cls, m->v, m->dist);
                m->v->n_rows = w->p.batch;
            }
            if (st)
                return st;
            m->n = 0; /* from here on: the next row of the model to walk */
        }
    }
    for (int64_t i = 0; i < sl->n; i++) {
        const pending *pr = &sl->rows[i];
        wdevice *d = &w->devices[pr->device];
        wmodel *m = &w->models[d->model];
        int64_t pos = m->n++;
        double score = NAN, prob = NAN;
        const char *cls = NULL;
        int flag;
        if (m->det) {
            score = m->score[pos];
            flag = score > m->tr;
        } else {
            const double *dist = m->dist + pos * m->nc;
            int best = 0;
            for (int k = 1; k < m->nc; k++)
                if (dist[k] > dist[best])
                    best = k;
            cls = m->names[best];
            prob = dist[best];
            flag = best != m->benign;
        }
        if (d->seen >= d->ws)
            d->count -= d->ring[d->pos];
        d->ring[d->pos] = (unsigned char)flag;
        d->pos = d->pos + 1 == d->ws ? 0 : d->pos + 1;
        d->count += flag;
        d->seen++;
        w->flagged += flag;
        int alarm = d->seen >= d->ws ? (2 * d->count > d->ws) : -1;
        if (w->rowfn && w->rowfn(w->rctx, pr->row, d->name, score, flag, cls, prob, alarm))
            return baiot_fail(BAIOT_ERR_IO, "cannot write the rows");
        if (alarm < 0 || alarm == d->alarm)
            continue;
        d->alarm = alarm;
        if (alarm)
            w->alerts++;
        else
            w->normals++;
        if (!w->events)
            continue;
        event_init(&e, alarm ? BAIOT_WATCH_ALERT : BAIOT_WATCH_NORMAL, w, &sl->snap);
        e.row = pr->row;
        e.time = pr->pkt.t;
        e.device = d->name;
        e.model = m->det ? "detector" : baiot_model_kind(m->cls);
        addr_text(&pr->pkt.src_ip, e.src, sizeof e.src);
        addr_text(&pr->pkt.dst_ip, e.dst, sizeof e.dst);
        const uint8_t *mac = pr->pkt.src_mac;
        snprintf(e.src_mac, sizeof e.src_mac, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
                 mac[5]);
        e.verdict = !alarm ? "benign" : m->det ? "anomaly" : cls;
        e.score = score;
        e.threshold = m->tr;
        e.probability = prob;
        e.window = d->ws;
        e.window_flags = d->count;
        if (w->events(w->ectx, &e))
            return baiot_fail(BAIOT_ERR_IO, "cannot write an alert");
    }
    for (int i = 0; i < w->n_models; i++)
        w->models[i].n = 0;
    if (sl->n > 0 && w->rowfn && w->rowfn(w->rctx, 0, NULL, NAN, 0, NULL, NAN, -1)) /* a moment to flush */
        return baiot_fail(BAIOT_ERR_IO, "cannot write the rows");
    if (sl->stats && w->events) {
        event_init(&e, BAIOT_WATCH_STATS, w, &sl->snap);
        if (w->events(w->ectx, &e))
            return baiot_fail(BAIOT_ERR_IO, "cannot write statistics");
    }
    return BAIOT_OK;
}

/* ------------------------------------------------------------ the pipeline */

/* The scoring stage's thread: slots in FIFO order until the end slot.
 * After a failure it keeps taking slots (so the capturing stage never
 * waits for good) but processes none. */
static void *scoring_stage(void *arg)
{
    baiot_watch *w = arg;
    omp_set_num_threads(1); /* a new thread starts from OpenMP's default team */
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->filled == 0)
            pthread_cond_wait(&w->cv_filled, &w->mu);
        wslot *sl = &w->slots[w->head];
        pthread_mutex_unlock(&w->mu);
        int end = sl->end;
        if (!atomic_load(&w->failed)) {
            baiot_status st = slot_process(w, sl);
            if (st) {
                w->b_status = st;
                snprintf(w->b_error, sizeof w->b_error, "%s", baiot_last_error());
                atomic_store(&w->failed, 1);
            }
        }
        pthread_mutex_lock(&w->mu);
        w->head = (w->head + 1) % WATCH_SLOTS;
        w->filled--;
        pthread_cond_signal(&w->cv_free);
        pthread_mutex_unlock(&w->mu);
        if (end)
            return NULL;
    }
}

/* Hands the current slot on and returns the next one to fill: processed
 * at once on one thread (its status returned), queued (waiting for a free
 * slot) on two, where a failure of the scoring stage shows in w->failed. */
static baiot_status hand_on(baiot_watch *w, wslot **cur, int end)
{
    wslot *sl = *cur;
    sl->end = end;
    sl->snap = w->st;
    baiot_status st = BAIOT_OK;
    if (w->threads == 1) {
        st = slot_process(w, sl);
    } else {
        pthread_mutex_lock(&w->mu);
        w->filled++;
        pthread_cond_signal(&w->cv_filled);
        while (!end && w->filled == WATCH_SLOTS)
            pthread_cond_wait(&w->cv_free, &w->mu);
        sl = &w->slots[(w->head + w->filled) % WATCH_SLOTS];
        pthread_mutex_unlock(&w->mu);
        if (end)
            return BAIOT_OK; /* the scoring stage's status is read after the join */
    }
    sl->n = 0;
    sl->warning[0] = '\0';
    sl->stats = sl->end = 0;
    *cur = sl;
    return st;
}

/* ------------------------------------------------------------ the run */

baiot_status baiot_watch_run(baiot_watch *w, baiot_watch_event_fn events, void *ectx, baiot_watch_row_fn rows,
                             void *rctx, baiot_watch_stats *final)
{
    watch_source *src = NULL;
    ai_extractor *ai = NULL;
    baiot_status st = BAIOT_OK;
    double scratch[AI_N_FEATURES];
    double t0 = now_s(), next_stats = t0 + w->p.stats_every;
    int started = 0;
    pthread_t scorer;
    memset(&w->st, 0, sizeof w->st);
    w->flagged = w->alerts = w->normals = 0;
    w->events = events;
    w->ectx = ectx;
    w->rowfn = rows;
    w->rctx = rctx;
    w->head = w->filled = 0;
    w->b_status = BAIOT_OK;
    atomic_store(&w->failed, 0);
    wslot *cur = &w->slots[0];
    cur->n = 0;
    cur->warning[0] = '\0';
    cur->stats = cur->end = 0;
    if (w->n_models == 0) {
        st = baiot_fail(BAIOT_ERR_ARG, "no model: give --model MODEL");
        goto done;
    }
    if (!w->have_map) {
        if (w->n_models > 1) {
            st = baiot_fail(BAIOT_ERR_ARG, "%d models but no --device-map: which packets go to which model?",
                            w->n_models);
            goto done;
        }
        if (w->n_devices == 0 && device_index(w, w->models[0].device, &st) < 0)
            goto done;
    }
    ai_params ap = baiot_ai_params_default();
    ap.idle_cutoff = w->p.idle_cutoff;
    if (w->p.max_streams > 0)
        ap.max_streams = w->p.max_streams;
    w->st.max_streams = ap.max_streams;
    if ((st = baiot_ai_create(&ap, &ai)) || (st = baiot_watch_source_open(&w->p, &src)))
        goto done;
    if (w->threads > 1) {
        pthread_mutex_init(&w->mu, NULL);
        pthread_cond_init(&w->cv_filled, NULL);
        pthread_cond_init(&w->cv_free, NULL);
        if (pthread_create(&scorer, NULL, scoring_stage, w) != 0) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "cannot start the scoring thread");
            goto done;
        }
        started = 1;
    }
    for (;;) {
        if ((w->p.stop && *w->p.stop) || atomic_load(&w->failed))
            break;
        pcap_record rec;
        watch_pull pull;
        if ((st = baiot_watch_source_next(src, &rec, &pull)))
            break;
        if (pull.warning[0]) { /* reported after the rows before it, before the rows after it */
            if ((cur->n > 0 || cur->warning[0]) && (st = hand_on(w, &cur, 0)))
                break;
            snprintf(cur->warning, sizeof cur->warning, "%s", pull.warning);
        }
        if (pull.got) {
            ai_packet pkt;
            w->st.packets++;
            if (baiot_packet_decode(pull.linktype, rec.data, rec.caplen, rec.wirelen,
                                    baiot_pcap_time(rec.sec, rec.nsec), &pkt, NULL, NULL, 0) != BAIOT_OK) {
                w->st.skipped++;
            } else {
                int dev = device_of(w, &pkt);
                /* the extractor sees every packet, mapped or not: the streams need them all */
                if ((st = baiot_ai_process(ai, &pkt, dev >= 0 ? cur->feat + cur->n * AI_N_FEATURES : scratch)))
                    break;
                w->st.rows++;
                if (dev < 0) {
                    w->st.unmapped++;
                } else {
                    pending *pr = &cur->rows[cur->n++];
                    pr->row = w->st.rows;
                    pr->device = dev;
                    pr->pkt = pkt;
                    if (cur->n == w->p.batch && (st = hand_on(w, &cur, 0)))
                        break;
                }
            }
        }
        if (pull.eof)
            break;
        if (pull.idle && cur->n && (st = hand_on(w, &cur, 0)))
            break;
        if (w->p.stats_every > 0 && (pull.idle || w->st.packets % STATS_CHECK_EVERY == 0)) {
            double t = now_s();
            if (t >= next_stats) {
                next_stats = t + w->p.stats_every;
                w->st.seconds = t - t0;
                w->st.streams = baiot_ai_live_streams(ai);
                w->st.dropped = baiot_watch_source_dropped(src);
                w->st.files = baiot_watch_source_files(src);
                cur->stats = 1;
                if ((st = hand_on(w, &cur, 0)))
                    break;
            }
        }
    }
    /* the rows before a stop or a damaged record still count */
    if (w->threads == 1) {
        if (cur->n > 0 || cur->warning[0]) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", baiot_last_error());
            baiot_status b = hand_on(w, &cur, 1);
            if (st)
                baiot_fail(st, "%s", msg); /* the first failure is the one reported */
            else
                st = b;
        }
    } else if (started) {
        hand_on(w, &cur, 1);
        pthread_join(scorer, NULL);
        if (w->b_status && !st) /* the scoring stage's failure stopped the capture */
            st = baiot_fail(w->b_status, "%s", w->b_error);
    }
done:
    if (started) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv_filled);
        pthread_cond_destroy(&w->cv_free);
    }
    w->st.seconds = now_s() - t0;
    w->st.streams = ai ? baiot_ai_live_streams(ai) : 0;
    w->st.dropped = baiot_watch_source_dropped(src);
    w->st.files = baiot_watch_source_files(src);
    w->st.flagged = w->flagged;
    w->st.alerts = w->alerts;
    w->st.normals = w->normals;
    if (final)
        *final = w->st;
    baiot_watch_source_close(src);
    baiot_ai_free(ai);
    return st;
}
