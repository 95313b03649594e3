/*
 * synth_model.c - the traffic models and the packet generator
 * (see synth_model.h and docs/SIMULATOR.md).
 *
 * The generator is a discrete-event simulation: a binary heap of events
 * ordered by (time, sequence number) holds component ticks, burst
 * switches and scheduled packets (replies, retries, later exchanges of a
 * session).  Popping an event emits at most one packet and schedules what
 * follows from it.  All randomness comes from one xoshiro256** stream per
 * (file, seed), drawn in event order, so a file's packets depend only on
 * (device, situation, seed).  Covered by tests/cli/test_synth.py and
 * tests/cli/test_extractor_invariants.py.
 */
#include "engine/traffic/synth_model.h"
#include "baiot/nbaiot.h"

#include <math.h>
#include <string.h>

#define NS 1000000000LL

/* ------------------------------------------------------------------ RNG */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static double rng_exp(rng *r, double mean)
{
    return -mean * log1p(-rng_unit(r));
}

static double rng_normal(rng *r)
{
    /* Box-Muller, one value per call (deterministic draw count) */
    double u = rng_unit(r), v = rng_unit(r);
    return sqrt(-2.0 * log1p(-u)) * cos(2.0 * M_PI * v);
}

static uint32_t rng_below(rng *r, uint32_t n)
{
    return (uint32_t)((rng_next(r) >> 32) * (uint64_t)n >> 32);
}

/* --------------------------------------------------------------- events */

enum { EV_TICK, EV_BURST, EV_PACKET };

typedef struct event {
    int64_t t;
    uint64_t seq;
    uint32_t burst;   /* EV_TICK: the burst it belongs to */
    uint8_t type, comp;
    frame_spec frame; /* EV_PACKET */
} event;

typedef struct heap {
    event *ev;
    size_t n, cap;
    uint64_t seq;
} heap;

static int ev_less(const event *a, const event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static int heap_push(heap *h, event e)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 256;
        event *g = baiot_realloc(h->ev, cap * sizeof *g);
        if (!g)
            return 0;
        h->ev = g;
        h->cap = cap;
    }
    e.seq = h->seq++;
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!ev_less(&e, &h->ev[p]))
            break;
        h->ev[i] = h->ev[p];
        i = p;
    }
    h->ev[i] = e;
    return 1;
}

static event heap_pop(heap *h)
{
    event top = h->ev[0], last = h->ev[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && ev_less(&h->ev[c + 1], &h->ev[c]))
            c++;
        if (!ev_less(&h->ev[c], &last))
            break;
        h->ev[i] = h->ev[c];
        i = c;
    }
    if (h->n > 0)
        h->ev[i] = last;
    return top;
}

/* ------------------------------------------------------------ addresses */

static const uint8_t gateway_mac[6] = {0x00, 0x0c, 0x29, 0x6b, 0x1a, 0x01};
static const uint8_t gateway_ip[4] = {192, 168, 1, 1};

static void device_mac(int d, uint8_t *mac)
{
    static const uint8_t oui[9][3] = {{0x34, 0xce, 0x00}, {0x44, 0x61, 0x32}, {0x00, 0x12, 0x16},
                                      {0x00, 0x17, 0x88}, {0x00, 0x12, 0x12}, {0x00, 0x12, 0x13},
                                      {0x00, 0x16, 0x6c}, {0x00, 0x0e, 0x53}, {0x00, 0x0e, 0x54}};
    memcpy(mac, oui[d], 3);
    mac[3] = 0x5a;
    mac[4] = 0x10;
    mac[5] = (uint8_t)(0x20 + d);
}

static void device_ip(int d, uint8_t *ip)
{
    ip[0] = 192;
    ip[1] = 168;
    ip[2] = 1;
    ip[3] = (uint8_t)(100 + d);
}

/* A random public-looking IPv4 address (first octet 1..223, not 10, 127, 192). */
static void random_ip(rng *r, uint8_t *ip)
{
    uint32_t x = (uint32_t)rng_next(r);
    ip[0] = (uint8_t)(1 + x % 223);
    if (ip[0] == 10 || ip[0] == 127 || ip[0] == 192)
        ip[0] = 45;
    ip[1] = (uint8_t)(x >> 8);
    ip[2] = (uint8_t)(x >> 16);
    ip[3] = (uint8_t)(1 + (x >> 24) % 254);
}

/* Peer k of component c of a device: stable addresses for its sessions. */
static void peer_ip(int device, int c, int k, uint8_t *ip)
{
    uint64_t x = 0xC0FFEEULL ^ ((uint64_t)device << 40) ^ ((uint64_t)c << 32) ^ (uint64_t)k;
    uint32_t v = (uint32_t)splitmix64(&x);
    ip[0] = (uint8_t)(23 + v % 180);
    if (ip[0] == 127 || ip[0] == 192)
        ip[0] = 52;
    ip[1] = (uint8_t)(v >> 8);
    ip[2] = (uint8_t)(v >> 16);
    ip[3] = (uint8_t)(1 + (v >> 24) % 254);
}

/* ------------------------------------------------------------ generator */

typedef struct comp_state {
    int on;
    uint16_t sock_src, sock_dst; /* FLOOD: the burst's socket */
    uint32_t burst;   /* counts bursts, so ticks of an ended burst are dropped */
    uint8_t target[4];
    uint16_t target_port;
    int32_t until_alt; /* SCAN with alt_every: probes until the next alt-size one */
} comp_state;

typedef struct gen {
    const synth_model *m;
    int device;
    rng r;
    heap h;
    comp_state cs[SYNTH_MAX_COMPONENTS];
    uint8_t mac[6], ip[4];
    int oom;
} gen;

static double draw_size(rng *r, double mean, double sd, double alt, double alt_p)
{
    double s;
    if (alt_p > 0 && rng_unit(r) < alt_p)
        s = alt;
    else
        s = sd > 0 ? mean + sd * rng_normal(r) : mean;
    s = floor(s + 0.5);
    if (s < 60)
        s = 60;
    if (s > FRAME_MAX_LEN)
        s = FRAME_MAX_LEN;
    return s;
}

static uint16_t ephemeral_port(rng *r)
{
    return (uint16_t)(32768 + rng_below(r, 28232));
}

static void schedule(gen *g, int64_t t, int type, int comp, const frame_spec *f)
{
    event e;
    memset(&e, 0, sizeof e);
    e.t = t;
    e.burst = g->cs[comp].burst;
    e.type = (uint8_t)type;
    e.comp = (uint8_t)comp;
    if (f)
        e.frame = *f;
    if (!heap_push(&g->h, e))
        g->oom = 1;
}

static int64_t secs(double s)
{
    return (int64_t)llround(s * (double)NS);
}

/* A frame from the device to a (remote unless local) address. */
static void from_device(gen *g, frame_spec *f, const uint8_t *dst_ip, uint8_t proto)
{
    memset(f, 0, sizeof *f);
    memcpy(f->src_mac, g->mac, 6);
    memcpy(f->dst_mac, gateway_mac, 6);
    memcpy(f->src_ip, g->ip, 4);
    memcpy(f->dst_ip, dst_ip, 4);
    f->proto = proto;
    f->ip_version = 4;
}

/* The reverse of f (a reply), sent by f's destination. */
static void reverse(gen *g, const frame_spec *f, frame_spec *rv, uint8_t proto)
{
    *rv = *f;
    memcpy(rv->src_mac, f->dst_mac, 6);
    memcpy(rv->dst_mac, g->mac, 6);
    memcpy(rv->src_ip, f->dst_ip, 16);
    memcpy(rv->dst_ip, f->src_ip, 16);
    rv->src_port = f->dst_port;
    rv->dst_port = f->src_port;
    rv->proto = proto;
    rv->tcp_flags = 0x14; /* RST+ACK for TCP replies */
}

static void maybe_reply(gen *g, const comp_params *c, const frame_spec *f, int64_t t)
{
    if (c->reply_p <= 0 || rng_unit(&g->r) >= c->reply_p)
        return;
    frame_spec rv;
    reverse(g, f, &rv, c->reply_proto);
    rv.frame_len = (uint32_t)draw_size(&g->r, c->reply_size, c->reply_sd, 0, 0);
    schedule(g, t + secs(rng_exp(&g->r, c->reply_delay)) + 1, EV_PACKET, 0, &rv);
}

static void start_burst(gen *g, int k, int64_t t)
{
    const comp_params *c = &g->m->comps[k];
    comp_state *s = &g->cs[k];
    s->on = 1;
    s->burst++;
    if (c->kind == COMP_FLOOD && (c->retarget || s->target[0] == 0)) {
        random_ip(&g->r, s->target);
        s->target_port = c->dst_port ? c->dst_port : ephemeral_port(&g->r);
    }
    s->sock_src = ephemeral_port(&g->r);
    s->sock_dst = c->dst_port ? c->dst_port : (uint16_t)(1 + rng_below(&g->r, 65535));
    schedule(g, t, EV_TICK, k, NULL);
    if (c->on_mean > 0)
        schedule(g, t + secs(rng_exp(&g->r, c->on_mean)) + 1, EV_BURST, k, NULL);
}

/* One tick of component k at time t: emits now and/or schedules packets. */
static void tick(gen *g, int k, int64_t t, frame_spec *out, int *emitted)
{
    const comp_params *c = &g->m->comps[k];
    comp_state *s = &g->cs[k];
    frame_spec f;
    *emitted = 0;
    int silent = c->gated && k > 0 && !g->cs[0].on;
    switch (silent ? COMP_NONE : c->kind) {
    case COMP_FLOOD:
        from_device(g, &f, s->target, c->proto);
        if (c->spoof)
            random_ip(&g->r, f.src_ip);
        f.tcp_flags = c->tcp_flags;
        int kept = c->keep_socket_p > 0 && rng_unit(&g->r) < c->keep_socket_p;
        if (kept) {
            f.src_port = s->sock_src;
            f.dst_port = s->sock_dst;
        } else {
            f.src_port = ephemeral_port(&g->r);
            f.dst_port = c->dst_port ? c->dst_port : (uint16_t)(1 + rng_below(&g->r, 65535));
        }
        f.frame_len = (uint32_t)draw_size(&g->r, c->size, c->size_sd, c->alt_size, c->alt_p);
        /* the burst's socket is an open connection: only packets to random
         * (closed) ports are answered */
        if (!kept)
            maybe_reply(g, c, &f, t);
        *out = f;
        *emitted = 1;
        break;
    case COMP_SCAN: {
        uint8_t dst[4];
        random_ip(&g->r, dst);
        from_device(g, &f, dst, FRAME_TCP);
        f.tcp_flags = 0x02;
        f.src_port = ephemeral_port(&g->r);
        f.dst_port = c->dst_port ? c->dst_port : (rng_unit(&g->r) < 0.9 ? 23 : 2323);
        if (c->alt_every) {
            /* every alt_every-th probe on average, at bounded gaps (half to
             * one and a half times that) rather than independently */
            f.frame_len = (uint32_t)draw_size(&g->r, c->size, c->size_sd, 0, 0);
            if (--s->until_alt <= 0) {
                f.frame_len = (uint32_t)draw_size(&g->r, c->alt_size, 0, 0, 0);
                s->until_alt = (int32_t)(c->alt_every * (0.5 + rng_unit(&g->r)));
            }
        } else {
            f.frame_len = (uint32_t)draw_size(&g->r, c->size, c->size_sd, c->alt_size, c->alt_p);
        }
        int answered = c->reply_p > 0 && rng_unit(&g->r) < c->reply_p;
        static const double retry_at[5] = {0, 1, 3, 7, 15};
        /* attempts 3.5: three or four probes, evenly */
        int tries = (int)c->attempts + (rng_unit(&g->r) < c->attempts - floor(c->attempts));
        if (answered || tries < 1)
            tries = 1;
        if (tries > 5)
            tries = 5;
        *out = f;
        *emitted = 1;
        for (int i = 1; i < tries; i++)
            schedule(g, t + secs(retry_at[i]) + (int64_t)rng_below(&g->r, 2000000), EV_PACKET, k, &f);
        if (answered) {
            frame_spec rv;
            reverse(g, &f, &rv, FRAME_TCP);
            rv.frame_len = (uint32_t)draw_size(&g->r, c->reply_size, c->reply_sd, 0, 0);
            schedule(g, t + secs(rng_exp(&g->r, c->reply_delay)) + 1, EV_PACKET, k, &rv);
        }
        break;
    }
    case COMP_CLIENT: {
        uint8_t peer[4];
        int n = c->n_peers > 0 ? c->n_peers : 1;
        peer_ip(g->device, k, (int)rng_below(&g->r, (uint32_t)n), peer);
        from_device(g, &f, peer, c->proto);
        f.tcp_flags = 0x18;
        f.src_port = ephemeral_port(&g->r);
        f.dst_port = c->dst_port ? c->dst_port : 443;
        int exchanges = 1 + (int)rng_exp(&g->r, c->exchanges > 1 ? c->exchanges - 1 : 0.0);
        int64_t at = t;
        for (int i = 0; i < exchanges; i++) {
            /* a request of one or more packets, then maybe a reply of as many */
            int pkts = 1 + (int)rng_exp(&g->r, c->burst > 1 ? c->burst - 1 : 0.0);
            int64_t pt = at;
            frame_spec q = f;
            for (int b = 0; b < pkts; b++) {
                q.frame_len = (uint32_t)draw_size(&g->r, c->size, c->size_sd, c->alt_size, c->alt_p);
                if (i == 0 && b == 0) {
                    *out = q;
                    *emitted = 1;
                } else {
                    schedule(g, pt, EV_PACKET, k, &q);
                }
                pt += secs(0.002) + (int64_t)rng_below(&g->r, 3000000);
            }
            if (c->reply_p > 0 && rng_unit(&g->r) < c->reply_p) {
                frame_spec rv;
                reverse(g, &q, &rv, c->reply_proto);
                rv.tcp_flags = 0x18;
                int64_t rt = pt + secs(rng_exp(&g->r, c->reply_delay));
                for (int b = 0; b < pkts; b++) {
                    rv.frame_len = (uint32_t)draw_size(&g->r, c->reply_size, c->reply_sd, 0, 0);
                    schedule(g, rt, EV_PACKET, k, &rv);
                    rt += secs(0.002) + (int64_t)rng_below(&g->r, 3000000);
                }
            }
            at += secs(rng_exp(&g->r, c->gap)) + 1;
        }
        break;
    }
    case COMP_STREAM: {
        uint8_t server[4];
        peer_ip(g->device, k, (int)rng_below(&g->r, (uint32_t)(c->n_peers > 0 ? c->n_peers : 1)), server);
        from_device(g, &f, server, c->proto);
        f.tcp_flags = 0x18;
        f.src_port = 554;
        f.dst_port = c->dst_port ? c->dst_port : 50000;
        f.frame_len = (uint32_t)draw_size(&g->r, c->size, c->size_sd, c->alt_size, c->alt_p);
        maybe_reply(g, c, &f, t);
        *out = f;
        *emitted = 1;
        break;
    }
    case COMP_LOCAL: {
        double u = rng_unit(&g->r);
        if (u < 0.3) { /* ARP request for the gateway */
            from_device(g, &f, gateway_ip, FRAME_ARP);
            memset(f.dst_mac, 0xff, 6);
            f.frame_len = 60;
        } else if (u < 0.5) { /* SSDP / mDNS style multicast */
            uint8_t mc[4] = {239, 255, 255, 250};
            from_device(g, &f, mc, FRAME_UDP);
            f.dst_mac[0] = 0x01;
            f.dst_mac[1] = 0x00;
            f.dst_mac[2] = 0x5e;
            f.dst_mac[3] = 0x7f;
            f.dst_mac[4] = 0xff;
            f.dst_mac[5] = 0xfa;
            f.src_port = 1900;
            f.dst_port = 1900;
            f.frame_len = (uint32_t)draw_size(&g->r, c->alt_size > 0 ? c->alt_size : 300, 40, 0, 0);
        } else { /* DNS or NTP to the gateway, answered */
            from_device(g, &f, gateway_ip, FRAME_UDP);
            int ntp = u > 0.85;
            f.src_port = ephemeral_port(&g->r);
            f.dst_port = ntp ? 123 : 53;
            f.frame_len = ntp ? 90 : (uint32_t)draw_size(&g->r, 80, 8, 0, 0);
            frame_spec rv;
            reverse(g, &f, &rv, FRAME_UDP);
            memcpy(rv.src_mac, gateway_mac, 6);
            rv.frame_len = ntp ? 90 : (uint32_t)draw_size(&g->r, 140, 30, 0, 0);
            schedule(g, t + secs(rng_exp(&g->r, 0.02)) + 1, EV_PACKET, k, &rv);
        }
        *out = f;
        *emitted = 1;
        break;
    }
    default:
        break;
    }
    /* next tick */
    if (c->rate > 0 && (c->on_mean <= 0 || s->on))
        schedule(g, t + secs(rng_exp(&g->r, 1.0 / c->rate)) + 1, EV_TICK, k, NULL);
}

baiot_status baiot_synth_generate(const synth_model *m, int device, int64_t n, int64_t start_ns, uint64_t seed,
                            synth_packet_fn fn, void *user)
{
    gen g;
    memset(&g, 0, sizeof g);
    g.m = m;
    g.device = device;
    rng_seed(&g.r, seed);
    device_mac(device, g.mac);
    device_ip(device, g.ip);
    for (int k = 0; k < m->n_comps; k++) {
        /* the first component (the attack, in an attack's model) is
         * running when the capture starts, as in the real files (their
         * first rows already show the flood or scan), and so are the
         * components gated by it (the same process); the others are
         * staggered over its first second and start on or off evenly */
        int64_t t0 = start_ns + (k == 0 || m->comps[k].gated ? 0 : (int64_t)rng_below(&g.r, 1000000000u));
        if (k > 0 && m->comps[k].on_mean > 0 && rng_unit(&g.r) < 0.5)
            schedule(&g, t0 + secs(rng_exp(&g.r, m->comps[k].off_mean)), EV_BURST, k, NULL);
        else
            start_burst(&g, k, t0);
    }
    int64_t emitted = 0;
    while (emitted < n && g.h.n > 0 && !g.oom) {
        event e = heap_pop(&g.h);
        frame_spec f;
        int got = 0;
        switch (e.type) {
        case EV_TICK:
            if (m->comps[e.comp].on_mean > 0 && (!g.cs[e.comp].on || e.burst != g.cs[e.comp].burst))
                break; /* a tick left over from a finished burst */
            tick(&g, e.comp, e.t, &f, &got);
            break;
        case EV_BURST:
            if (g.cs[e.comp].on) {
                g.cs[e.comp].on = 0;
                schedule(&g, e.t + secs(rng_exp(&g.r, m->comps[e.comp].off_mean)) + 1, EV_BURST, e.comp, NULL);
            } else {
                start_burst(&g, e.comp, e.t);
            }
            break;
        case EV_PACKET:
            f = e.frame;
            got = 1;
            break;
        }
        if (got) {
            fn(user, &f, e.t);
            emitted++;
        }
    }
    baiot_free(g.h.ev);
    if (g.oom)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory in the traffic simulator's event queue");
    if (emitted < n)
        return baiot_fail(BAIOT_ERR_ARG, "the traffic model of device %d ran dry after %lld packets", device,
                          (long long)emitted);
    return BAIOT_OK;
}

/* --------------------------------------------------------------- models */

/* Capture clocks (docs/SIMULATOR.md, "Capture clocks"): all nine devices
 * were recorded at once, one attack after the other, so a file's start
 * second is the attack's session time plus a few seconds per device.  Where
 * the published per-file summary of HH_jit_L5_mean has a quartile above
 * 1e9 (rows that open a channel carry the absolute capture time), the start
 * is that quartile less 4 s (the two real camera floods at hand start 3.6
 * and 7.3 s before theirs; those two start at their real first packet).
 * 0 means not published for that device: the attack's session time. */
static const int64_t clock_start_us[BAIOT_N_ATTACKS][BAIOT_N_DEVICES] = {
    /* Danmini, Ecobee, Ennio, Philips, PT-737E, PT-838, Samsung, SimpleHome 1002, 1003 */
    {0}, /* benign: not published, see session_start */
    {0}, /* BASHLITE combo: not published */
    {0}, /* BASHLITE junk: not published */
    /* BASHLITE scan */
    {1505912791100000LL, 1505912821400000LL, 1505912796000000LL, 1505912816200000LL,
     1505912809400000LL, 1505912809400000LL, 1505912809400000LL, 1505912816000000LL,
     1505912783200000LL},
    /* BASHLITE tcp */
    {1505913532200000LL, 1505913531300000LL, 1505913530700000LL, 1505913530500000LL,
     1505913529300918LL, 1505913532600000LL, 1505913532100000LL, 1505913532600000LL,
     1505913528800000LL},
    /* BASHLITE udp */
    {1505913418900000LL, 1505913422600000LL, 1505913420700000LL, 1505913419600000LL,
     1505913417371573LL, 1505913420300000LL, 1505913420600000LL, 1505913422600000LL,
     1505913419000000LL},
    /* Mirai ack */
    {1507657929100000LL, 0, 0, 1507657929200000LL,
     1507657915600000LL, 1507657927200000LL, 0, 0,
     1507658668300000LL},
    /* Mirai scan */
    {1507653019300000LL, 1507652992800000LL, 0, 1507653013200000LL,
     1507653016100000LL, 1507652982700000LL, 0, 1507652972200000LL,
     1507652977100000LL},
    /* Mirai syn */
    {1507657068700000LL, 0, 0, 1507657081300000LL,
     1507657065000000LL, 1507657082000000LL, 0, 0,
     0},
    /* Mirai udp */
    {1507655941800000LL, 0, 0, 1507655973100000LL,
     1507655927200000LL, 1507655927300000LL, 0, 1507655930700000LL,
     1507655926600000LL},
    /* Mirai udpplain */
    {1507659330200000LL, 1507659325500000LL, 0, 1507659332200000LL,
     1507659309700000LL, 1507659315600000LL, 0, 1507659334400000LL,
     1507659310700000LL},
};

/* The attack's session time where no device's start is published for it:
 * the median start of the devices that have one; for benign, combo and
 * junk (no quartile above 1e9 in any file) an inferred time: benign on
 * 2017-09-19 (one device every two hours), combo and junk in the BASHLITE
 * session before scan, 20 and 10 minutes earlier. */
static int64_t session_start_us(int device, int attack)
{
    static const int64_t session[BAIOT_N_ATTACKS] = {
        0, 1505911609400000LL, 1505912209400000LL, 1505912809400000LL, 1505913531300000LL, 1505913420600000LL,
        1507657929100000LL, 1507652992800000LL, 1507657075000000LL, 1507655929000000LL, 1507659325500000LL,
    };
    if (attack == 0)
        return (1505820000LL + 7200LL * device) * 1000000LL + 123457LL * (device + 1);
    return session[attack];
}

int64_t baiot_synth_start_ns(int device, int attack)
{
    int64_t us = clock_start_us[attack][device];
    if (us == 0)
        us = session_start_us(device, attack);
    return us * 1000LL;
}

/* Mirai bots keep scanning for telnet while they flood: every Mirai model
 * is a flood plus that scan.  Device groups differ in rate and flood size
 * mix (see docs/SIMULATOR.md). */
static int mirai_group_of(int device)
{
    switch (device) {
    case 0: case 3: return 0;   /* Danmini doorbell, Philips baby monitor */
    case 4: case 5: return 1;   /* Provision cameras */
    default: return 2;          /* SimpleHome cameras, Ecobee thermostat */
    }
}

static comp_params flood(double rate, double on, double off, uint8_t proto, uint8_t flags, double size)
{
    comp_params c;
    memset(&c, 0, sizeof c);
    c.kind = COMP_FLOOD;
    c.rate = rate;
    c.on_mean = on;
    c.off_mean = off;
    c.proto = proto;
    c.tcp_flags = flags;
    c.size = size;
    return c;
}

static comp_params scan(double rate, double on, double off, double size, double attempts, double reply_p)
{
    comp_params c;
    memset(&c, 0, sizeof c);
    c.kind = COMP_SCAN;
    c.rate = rate;
    c.on_mean = on;
    c.off_mean = off;
    c.size = size;
    c.attempts = attempts;
    c.reply_p = reply_p;
    c.reply_size = 60;
    c.reply_delay = 0.08;
    return c;
}

/* Mirai's telnet scanner: raw 60-byte SYNs to random addresses; 0.6% of the
 * bot's SYNs are 74-byte ones from its kernel (connect() with TCP options:
 * brute-force and C&C connections), as the real PT-737E Mirai scan file's
 * MI_dir_L5_mean shows (mean 60.09, median 60.03, where pure 60-byte SYNs
 * give 60 +/- 1e-14), one every 83-250 probes: the real q25 (60.006) puts
 * one within about a second of three rows in four, which independent draws
 * do not (their long gaps leave windows at 60 + a few ulp, as pure 60-byte
 * streams); 0.05% of the probes are answered (60-byte RSTs),
 * all the real HH_L5_magnitude mean (60.0975) leaves room for beside the
 * 74-byte frames. */
static comp_params mirai_scan(double rate, double on, double off)
{
    comp_params c = scan(rate, on, off, 60, 1, 0.0005);
    c.alt_size = 74;
    c.alt_every = 1 / 0.006;
    return c;
}

static comp_params client(double rate, int peers, double exchanges, double gap, double size, double sd,
                          double reply_p, double reply_size, double reply_sd)
{
    comp_params c;
    memset(&c, 0, sizeof c);
    c.kind = COMP_CLIENT;
    c.rate = rate;
    c.proto = FRAME_TCP;
    c.reply_proto = FRAME_TCP;
    c.n_peers = peers;
    c.exchanges = exchanges;
    c.gap = gap;
    c.size = size;
    c.size_sd = sd;
    c.reply_p = reply_p;
    c.reply_size = reply_size;
    c.reply_sd = reply_sd;
    c.reply_delay = 0.05;
    return c;
}

static comp_params local(double rate, double multicast_size)
{
    comp_params c;
    memset(&c, 0, sizeof c);
    c.kind = COMP_LOCAL;
    c.rate = rate;
    c.alt_size = multicast_size;
    return c;
}

static comp_params stream(double rate, double on, double off, double size, double sd, double ack_p)
{
    comp_params c;
    memset(&c, 0, sizeof c);
    c.kind = COMP_STREAM;
    c.rate = rate;
    c.on_mean = on;
    c.off_mean = off;
    c.proto = FRAME_TCP;
    c.size = size;
    c.size_sd = sd;
    c.n_peers = 1;
    c.reply_p = ack_p;
    c.reply_proto = FRAME_TCP;
    c.reply_size = 66;
    c.reply_delay = 0.01;
    return c;
}

/* Benign behaviour of each device: request/response exchanges with cloud
 * peers (the peer count sets how often a channel is new), local chatter,
 * and bursts of larger frames (camera video, firmware checks). */
typedef struct benign_params {
    double sessions, exchanges, gap, burst; /* sessions/s, exchanges per session, s between, packets per request */
    int peers;
    double req, req_sd, resp, resp_sd, reply_p;
    double small_p;                         /* share of requests that are bare 60-byte segments */
    double local_rate, multicast;
    double video_rate, video_on, video_off, video_size, video_sd;
    double video_big_p;                     /* share of full-size (1,514-byte) video frames */
} benign_params;

static const benign_params benign_table[BAIOT_N_DEVICES] = {
    /* sess  exch gap  burst peers req sd  resp  sd  reply small local mcast video on off size sd big */
    {0.030, 8, 39.0, 2.0, 55, 102, 2, 102, 2, 0.95, 0.10, 0.02, 300, 0, 0, 0, 0, 0, 0},       /* Danmini */
    {0.028, 3, 25.0, 1.15, 14, 110, 60, 380, 120, 0.95, 0.0, 0.02, 350, 0, 0, 0, 0, 0, 0},   /* Ecobee */
    {0.030, 8, 25.0, 2.0, 60, 90, 2, 60, 0, 0.90, 0.08, 0.02, 300, 0, 0, 0, 0, 0, 0},         /* Ennio */
    {0.060, 8, 3.0, 2.0, 50, 85, 20, 95, 40, 0.90, 0.10, 0.02, 300, 10, 1, 90, 150, 80, 0},  /* Philips */
    {0.040, 8, 12.0, 2.0, 50, 88, 15, 80, 30, 0.90, 0.15, 0.02, 300, 45, 0.8, 60, 120, 60, 0.025}, /* PT-737E */
    {0.060, 8, 4.0, 2.0, 48, 80, 15, 100, 60, 0.90, 0.10, 0.02, 300, 45, 0.8, 50, 140, 80, 0}, /* PT-838 */
    {0.130, 3, 15.0, 1.6, 58, 204, 60, 350, 100, 0.95, 0.0, 0.02, 450, 0, 0, 0, 0, 0, 0},   /* Samsung webcam */
    {0.050, 6, 25.0, 2.0, 70, 88, 15, 90, 20, 0.90, 0.10, 0.02, 400, 90, 1.0, 300, 700, 300, 0}, /* SimpleHome 1002 */
    {0.055, 4, 25.0, 1.4, 58, 330, 3, 278, 5, 0.95, 0.40, 0.02, 400, 0, 0, 0, 0, 0, 0},      /* SimpleHome 1003 */
};

/* activity scales how often the device's sessions, chatter and video
 * bursts begin (1: its benign capture; less while a bot attacks). */
static void benign_model(int device, double activity, synth_model *m)
{
    const benign_params *b = &benign_table[device];
    comp_params c = client(b->sessions * activity, b->peers, b->exchanges, b->gap, b->req, b->req_sd, b->reply_p,
                           b->resp, b->resp_sd);
    c.burst = b->burst;
    c.alt_size = 60;
    c.alt_p = b->small_p;
    m->comps[m->n_comps++] = c;
    if (b->local_rate > 0)
        m->comps[m->n_comps++] = local(b->local_rate * activity, b->multicast);
    if (b->video_rate > 0) {
        c = stream(b->video_rate, b->video_on, b->video_off / activity, b->video_size, b->video_sd, 0.5);
        c.alt_size = FRAME_MAX_LEN;
        c.alt_p = b->video_big_p;
        m->comps[m->n_comps++] = c;
    }
}

void baiot_synth_model_get(int device, int attack, synth_model *m)
{
    /* per Mirai group: flood rate, scan rate, flood on/off (s), and the
     * telnet scan's own rate and bursts in the scan-only situation */
    static const struct {
        double flood_rate, scan_rate, flood_on, flood_off, solo_rate, solo_on, solo_off;
        double syn_share, udp_share, plain_share, plain_scan;
        int gated; /* the scan sends only in the flood's bursts (the bot's packets leave together) */
    } groups[3] = {
        {300, 165, 20, 4, 300, 0.6, 0.5, 1.15, 1.00, 0.80, 1.2, 0}, /* 0: Danmini, Philips */
        {167, 147, 0.6, 0.2, 220, 1.0, 0.6, 1.05, 1.20, 0.90, 1.0, 1}, /* 1: Provision */
        {400, 110, 20, 4, 240, 0.8, 0.6, 1.00, 1.00, 0.75, 1.2, 0}, /* 2: SimpleHome, Ecobee */
    };
    const int gi = mirai_group_of(device);
    /* udpplain floods just above half the bot's packets on the PT-737E
     * (real HH_L5_magnitude median 554) and just below on the PT-838 (60) */
    const double plain_share = device == 5 ? 0.83 : groups[gi].plain_share;
    memset(m, 0, sizeof *m);
    comp_params c;
    switch (attack) {
    case 0:
        benign_model(device, 1.0, m);
        return;
    case 1: /* BASHLITE combo: TCP junk to changing targets, partly on one socket */
        c = flood(650, 150, 3, FRAME_TCP, 0x18, 74);
        c.retarget = 1;
        c.keep_socket_p = 0.6;
        c.reply_p = 0.025; /* of the 40% sent to random ports: 1% of all */
        c.reply_size = 60;
        c.reply_delay = 0.002;
        c.reply_proto = FRAME_TCP;
        m->comps[m->n_comps++] = c;
        break;
    case 2: /* BASHLITE junk: UDP junk to changing targets, answered by ICMP */
        c = flood(650, 55, 3, FRAME_UDP, 0, 74);
        c.retarget = 1;
        c.reply_p = 0.01;
        c.reply_size = 60;
        c.reply_delay = 0.002;
        c.reply_proto = FRAME_ICMP;
        m->comps[m->n_comps++] = c;
        break;
    case 3: /* BASHLITE scan: telnet SYNs to random addresses, retried */
        c = scan(110, 1.5, 6.5, 74, 3.5, 0.06);
        c.alt_size = 200;
        c.alt_p = 0.02;
        m->comps[m->n_comps++] = c;
        break;
    case 4: /* BASHLITE tcp: spoofed-source TCP flood */
    case 5: /* BASHLITE udp: spoofed-source UDP flood */
        c = flood(1720, 0, 0, attack == 4 ? FRAME_TCP : FRAME_UDP, attack == 4 ? 0x10 : 0, 60);
        c.spoof = 1;
        c.dst_port = 80;
        m->comps[m->n_comps++] = c;
        break;
    case 6: /* Mirai ack */
        m->comps[m->n_comps++] =
            flood(groups[gi].flood_rate, groups[gi].flood_on, groups[gi].flood_off, FRAME_TCP, 0x10, 566);
        m->comps[m->n_comps++] = mirai_scan(groups[gi].scan_rate, 0, 0);
        break;
    case 7: /* Mirai scan */
        m->comps[m->n_comps++] = mirai_scan(groups[gi].solo_rate, groups[gi].solo_on, groups[gi].solo_off);
        break;
    case 8: /* Mirai syn */
        m->comps[m->n_comps++] = flood(groups[gi].flood_rate * groups[gi].syn_share, groups[gi].flood_on,
                                       groups[gi].flood_off, FRAME_TCP, 0x02, 74);
        m->comps[m->n_comps++] = mirai_scan(groups[gi].scan_rate, 0, 0);
        break;
    case 9: /* Mirai udp */
    case 10: /* Mirai udpplain */
        m->comps[m->n_comps++] =
            flood(groups[gi].flood_rate * (attack == 10 ? plain_share : groups[gi].udp_share),
                  groups[gi].flood_on, groups[gi].flood_off, FRAME_UDP, 0, 554);
        m->comps[m->n_comps++] =
            mirai_scan(groups[gi].scan_rate * (attack == 10 ? groups[gi].plain_scan : 1.0), 0, 0);
        break;
    default:
        break;
    }
    if (attack >= 6 && attack != 7)
        m->comps[1].gated = (uint8_t)groups[gi].gated;
    /* On the Provision cameras the syn and udp floods come in shorter,
     * denser bursts than ack and udpplain at the same mean rates: their
     * real MI_dir_L5_weight is higher for the same MI_dir_L0.1_weight (syn
     * mean 106 against ack 92; udp median 127 above its mean 97). */
    if (groups[gi].gated && (attack == 8 || attack == 9)) {
        const double duty = groups[gi].flood_on / (groups[gi].flood_on + groups[gi].flood_off), dense = 0.6;
        m->comps[0].on_mean = 0.3;
        m->comps[0].off_mean = 0.3 * (1 - dense) / dense;
        m->comps[0].rate *= duty / dense;
        m->comps[1].rate *= duty / dense;
    }
    /* The device keeps its own traffic going, at 0.3 of its benign pace,
     * while BASHLITE attacks: the real PT-737E combo, junk and scan files
     * have rows of larger packets among the flood (MI_dir_L5_mean std 4.0,
     * 10.7 and 16.9, HH_L5_magnitude std 31, 38 and 87, where pure 74-byte
     * floods give about 1), and the real tcp and udp files 35 and 48 rows
     * of multi-packet sources in 60 s (0.6-0.8 packets/s; the benign model
     * sends about 2).  The Mirai files need none: flood and scan alone give
     * their std. */
    if (attack >= 1 && attack <= 5)
        benign_model(device, 0.3, m);
}
