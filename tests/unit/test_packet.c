/*
 * test_packet.c - unit tests of the packet path of `baiot extract`: the
 * frame builder (io/capture/packet_build.c), the decoder (io/capture/packet_decode.c), the
 * pcap reader/writer (io/capture/pcap_io.c) and the first features the extractor
 * (io/capture/afterimage.c) gives for hand-made packets.
 *
 * - build -> decode round trips for TCP, UDP, ICMP, another IP protocol
 *   over IPv4 and IPv6, ARP and a non-IP frame, at several frame lengths;
 *   lengths, IPv4 header and TCP/UDP/ICMP/ICMPv6 checksums verified by an
 *   independent sum here;
 * - one and two VLAN tags inserted by hand, Linux cooked (v1, v2) and bare
 *   IP link types, IPv4 options, IPv4 and IPv6 fragments, IPv6 extension
 *   headers;
 * - every truncation of a TCP/IPv4 frame (and of other frames) gives a
 *   clean "truncated" reason, never a read past caplen (each truncated copy
 *   is a heap block of exactly caplen bytes, so an ASan build catches any
 *   over-read); malformed fields give "malformed";
 * - features checked by hand: a first packet (weight 1, mean = size,
 *   variance 0, HH magnitude = size, radius 0, HH_jit mean = t), a second
 *   one 0.5 s later (weight 1 + 2^-2.5 at lambda 5, decayed mean and
 *   variance), a reply (HH magnitude sqrt(mA^2 + mB^2));
 * - the pcap writer: nanosecond magic, times and bytes read back exactly by
 *   the reader, nothing left on abort, and (when tshark is installed)
 *   tshark reads the file and finds every checksum good.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/nbaiot.h"
#include "io/capture/packet_build.h"
#include "io/capture/packet_decode.h"
#include "io/capture/pcap_io.h"
#include "io/capture/afterimage.h"

#include <math.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------------------------------------------------- helpers */

static const uint8_t MAC_A[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t MAC_B[6] = {0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE};
static const uint8_t IP4_A[4] = {192, 168, 1, 10};
static const uint8_t IP4_B[4] = {10, 0, 0, 1};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a};
static const uint8_t IP6_B[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};

static frame_spec make_spec(int proto, int version, uint32_t frame_len)
{
    frame_spec s;
    memset(&s, 0, sizeof s);
    memcpy(s.src_mac, MAC_A, 6);
    memcpy(s.dst_mac, MAC_B, 6);
    s.proto = (uint8_t)proto;
    s.ip_version = (uint8_t)version;
    if (version == 6) {
        memcpy(s.src_ip, IP6_A, 16);
        memcpy(s.dst_ip, IP6_B, 16);
    } else {
        memcpy(s.src_ip, IP4_A, 4);
        memcpy(s.dst_ip, IP4_B, 4);
    }
    s.src_port = 40001;
    s.dst_port = 443;
    s.tcp_flags = 0x02;
    s.ip_proto = 2; /* IGMP */
    s.ethertype = 0x88CC; /* LLDP */
    s.frame_len = frame_len;
    return s;
}

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* RFC 1071 sum of n bytes, not complemented. */
static uint32_t csum(uint32_t s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
    while (s >> 16)
        s = (s & 0xFFFF) + (s >> 16);
    return s;
}

/* 1 when the transport checksum of the segment at l4 (len bytes, IP
 * protocol proto) verifies against the pseudo-header of the IP header ip. */
static int transport_ok(int v6, const uint8_t *ip, unsigned proto, const uint8_t *l4, size_t len)
{
    uint32_t s = 0;
    uint8_t ph[8] = {0};
    if (v6) {
        s = csum(s, ip + 8, 32);
        ph[0] = (uint8_t)(len >> 24);
        ph[1] = (uint8_t)(len >> 16);
        ph[2] = (uint8_t)(len >> 8);
        ph[3] = (uint8_t)len;
        ph[7] = (uint8_t)proto;
    } else {
        s = csum(s, ip + 12, 8);
        ph[1] = (uint8_t)proto;
        ph[2] = (uint8_t)(len >> 8);
        ph[3] = (uint8_t)len;
    }
    s = csum(s, ph, 8);
    return csum(s, l4, len) == 0xFFFF;
}

/* Checks lengths and checksums of a built IP frame. */
static void check_ip_frame(const uint8_t *f, size_t flen, int proto, int v6, uint32_t want_len)
{
    const uint8_t *ip = f + 14;
    size_t iph = v6 ? 40 : 20, dgram;
    unsigned ipproto;
    assert_int_equal(be16(f + 12), v6 ? 0x86DD : 0x0800);
    if (v6) {
        assert_int_equal(ip[0] >> 4, 6);
        assert_int_equal(ip[7], 64);
        dgram = 40 + be16(ip + 4);
        ipproto = ip[6];
    } else {
        assert_int_equal(ip[0], 0x45);
        assert_int_equal(ip[8], 64);
        assert_int_equal(be16(ip + 6), 0x4000);
        assert_int_equal(csum(0, ip, 20), 0xFFFF); /* header checksum */
        dgram = be16(ip + 2);
        ipproto = ip[9];
    }
    /* The datagram fills the frame up to the wanted length (raised to the
     * headers); Ethernet padding only below 60. */
    size_t want_dgram = (want_len > 1514 ? 1514 : want_len) - 14;
    size_t min_dgram = iph + (proto == FRAME_TCP ? 20 : proto == FRAME_OTHER_IP ? 0 : 8);
    if (want_dgram < min_dgram)
        want_dgram = min_dgram;
    assert_int_equal(dgram, want_dgram);
    assert_true(14 + dgram <= flen);
    assert_true(flen == 14 + dgram || (flen == 60 && 14 + dgram < 60));
    const uint8_t *l4 = ip + iph;
    size_t l4len = dgram - iph;
    switch (proto) {
    case FRAME_TCP:
        assert_int_equal(ipproto, 6);
        assert_int_equal(l4[12], 0x50);
        assert_int_equal(l4[13], 0x02);
        assert_int_equal(be16(l4 + 14), 65535);
        assert_true(transport_ok(v6, ip, 6, l4, l4len));
        break;
    case FRAME_UDP:
        assert_int_equal(ipproto, 17);
        assert_int_equal(be16(l4 + 4), l4len);
        assert_true(transport_ok(v6, ip, 17, l4, l4len));
        break;
    case FRAME_ICMP:
        if (v6) {
            assert_int_equal(ipproto, 58);
            assert_int_equal(l4[0], 128);
            assert_true(transport_ok(1, ip, 58, l4, l4len));
        } else {
            assert_int_equal(ipproto, 1);
            assert_int_equal(l4[0], 8);
            assert_int_equal(csum(0, l4, l4len), 0xFFFF);
        }
        break;
    default:
        assert_int_equal(ipproto, 2);
        break;
    }
    for (size_t i = 14 + dgram; i < flen; i++)
        assert_int_equal(f[i], 0); /* padding */
}

static void decode_ok(int linktype, const uint8_t *f, uint32_t caplen, uint32_t wirelen, ai_packet *p)
{
    char why[PACKET_WHY_MAX];
    packet_skip skip;
    baiot_status st = baiot_packet_decode(linktype, f, caplen, wirelen, 12.5, p, &skip, why, sizeof why);
    if (st != BAIOT_OK)
        fail_msg("decode failed: %s", why);
    assert_int_equal(skip, PACKET_OK);
    assert_true(p->t == 12.5);
    assert_true(p->size == (double)wirelen);
}

static void check_addr(const ai_addr *a, int kind, const uint8_t *bytes, size_t n)
{
    uint8_t zero[16] = {0};
    assert_int_equal(a->kind, kind);
    assert_memory_equal(a->bytes, bytes, n);
    assert_memory_equal(a->bytes + n, zero, 16 - n);
}

/* Checks a decoded IP packet against the spec it was built from. */
static void check_decoded(const ai_packet *p, const frame_spec *s, int with_mac)
{
    int v6 = s->ip_version == 6;
    if (with_mac)
        assert_memory_equal(p->src_mac, s->src_mac, 6);
    check_addr(&p->src_ip, v6 ? AI_ADDR_IPV6 : AI_ADDR_IPV4, s->src_ip, v6 ? 16 : 4);
    check_addr(&p->dst_ip, v6 ? AI_ADDR_IPV6 : AI_ADDR_IPV4, s->dst_ip, v6 ? 16 : 4);
    switch (s->proto) {
    case FRAME_TCP:
    case FRAME_UDP:
        assert_int_equal(p->port_kind, AI_PORT_NUMBER);
        assert_int_equal(p->src_port, s->src_port);
        assert_int_equal(p->dst_port, s->dst_port);
        break;
    case FRAME_ICMP:
        assert_int_equal(p->port_kind, AI_PORT_ICMP);
        assert_int_equal(p->src_port, 0);
        break;
    default:
        assert_int_equal(p->port_kind, AI_PORT_NONE);
        break;
    }
}

/* Inserts a 4-byte tag (tpid, vid) after the MACs of frame f (flen bytes). */
static size_t insert_tag(uint8_t *f, size_t flen, unsigned tpid, unsigned vid)
{
    memmove(f + 16, f + 12, flen - 12);
    f[12] = (uint8_t)(tpid >> 8);
    f[13] = (uint8_t)tpid;
    f[14] = (uint8_t)(vid >> 8);
    f[15] = (uint8_t)vid;
    return flen + 4;
}

/* ------------------------------------------------------ round trips */

static void test_roundtrip_ip(void **state)
{
    (void)state;
    static const int protos[] = {FRAME_TCP, FRAME_UDP, FRAME_ICMP, FRAME_OTHER_IP};
    static const uint32_t lens[] = {0, 42, 54, 59, 60, 61, 75, 100, 577, 1514, 1515, 9000};
    uint8_t f[FRAME_MAX_LEN];
    for (int v = 4; v <= 6; v += 2)
        for (size_t i = 0; i < sizeof protos / sizeof *protos; i++)
            for (size_t k = 0; k < sizeof lens / sizeof *lens; k++) {
                frame_spec s = make_spec(protos[i], v, lens[k]);
                size_t n = baiot_frame_build(&s, f, sizeof f);
                size_t hdr = 14 + (v == 6 ? 40 : 20) +
                             (protos[i] == FRAME_TCP ? 20 : protos[i] == FRAME_OTHER_IP ? 0 : 8);
                size_t want = lens[k] < hdr ? hdr : lens[k];
                want = want > 1514 ? 1514 : want < 60 ? 60 : want;
                assert_int_equal(n, want);
                check_ip_frame(f, n, protos[i], v == 6, lens[k] < hdr ? (uint32_t)hdr : lens[k]);
                ai_packet p;
                decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
                check_decoded(&p, &s, 1);
            }
}

static void test_roundtrip_udp_checksum_ffff(void **state)
{
    /* Over many ports some UDP sum comes out 0 and must be sent as 0xFFFF;
     * every one must verify. */
    (void)state;
    uint8_t f[FRAME_MAX_LEN];
    for (unsigned port = 0; port < 65536; port += 7) {
        frame_spec s = make_spec(FRAME_UDP, 4, 60);
        s.src_port = (uint16_t)port;
        size_t n = baiot_frame_build(&s, f, sizeof f);
        assert_true(transport_ok(0, f + 14, 17, f + 34, 26));
        assert_int_not_equal(be16(f + 34 + 6), 0);
        (void)n;
    }
}

static void test_roundtrip_arp_nonip(void **state)
{
    (void)state;
    uint8_t f[FRAME_MAX_LEN];
    ai_packet p;
    frame_spec s = make_spec(FRAME_ARP, 4, 0);
    size_t n = baiot_frame_build(&s, f, sizeof f);
    assert_int_equal(n, 60);
    assert_int_equal(be16(f + 12), 0x0806);
    assert_int_equal(be16(f + 14), 1);
    assert_int_equal(be16(f + 16), 0x0800);
    assert_int_equal(be16(f + 20), 1); /* request */
    assert_memory_equal(f + 22, MAC_A, 6);
    assert_memory_equal(f + 28, IP4_A, 4);
    assert_memory_equal(f + 32, MAC_B, 6);
    assert_memory_equal(f + 38, IP4_B, 4);
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    assert_memory_equal(p.src_mac, MAC_A, 6);
    check_addr(&p.src_ip, AI_ADDR_IPV4, IP4_A, 4);
    check_addr(&p.dst_ip, AI_ADDR_IPV4, IP4_B, 4);
    assert_int_equal(p.port_kind, AI_PORT_ARP);

    s = make_spec(FRAME_ARP, 4, 100);
    assert_int_equal(baiot_frame_build(&s, f, sizeof f), 100);

    s = make_spec(FRAME_NON_IP, 4, 0);
    n = baiot_frame_build(&s, f, sizeof f);
    assert_int_equal(n, 60);
    assert_int_equal(be16(f + 12), 0x88CC);
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    check_addr(&p.src_ip, AI_ADDR_MAC, MAC_A, 6);
    check_addr(&p.dst_ip, AI_ADDR_MAC, MAC_B, 6);
    assert_int_equal(p.port_kind, AI_PORT_NONE);
    s.frame_len = 700;
    assert_int_equal(baiot_frame_build(&s, f, sizeof f), 700);

    /* ARP of another protocol type falls back to the MACs */
    s = make_spec(FRAME_ARP, 4, 0);
    n = baiot_frame_build(&s, f, sizeof f);
    f[16] = 0x86;
    f[17] = 0xDD;
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    check_addr(&p.src_ip, AI_ADDR_MAC, MAC_A, 6);
    assert_int_equal(p.port_kind, AI_PORT_NONE);

    /* the builder refuses a too small buffer */
    s = make_spec(FRAME_TCP, 4, 200);
    assert_int_equal(baiot_frame_build(&s, f, 100), 0);
}

static void test_vlan(void **state)
{
    (void)state;
    uint8_t f[FRAME_MAX_LEN + 16];
    ai_packet p;
    for (int v = 4; v <= 6; v += 2) {
        frame_spec s = make_spec(FRAME_TCP, v, 90);
        size_t n = baiot_frame_build(&s, f, sizeof f);
        n = insert_tag(f, n, 0x8100, 42);
        decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
        check_decoded(&p, &s, 1);
        n = insert_tag(f, n, 0x88A8, 7); /* QinQ: outer 802.1ad, inner 802.1Q */
        decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
        check_decoded(&p, &s, 1);
        n = insert_tag(f, n, 0x9100, 3); /* a third tag is not skipped: non-IP */
        decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
        assert_int_equal(p.src_ip.kind, AI_ADDR_MAC);
        assert_int_equal(p.port_kind, AI_PORT_NONE);
    }
    /* a tagged ARP */
    frame_spec s = make_spec(FRAME_ARP, 4, 0);
    size_t n = insert_tag(f, baiot_frame_build(&s, f, sizeof f), 0x8100, 1);
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    assert_int_equal(p.port_kind, AI_PORT_ARP);
    check_addr(&p.dst_ip, AI_ADDR_IPV4, IP4_B, 4);
}

static void test_other_links(void **state)
{
    (void)state;
    uint8_t f[FRAME_MAX_LEN], g[FRAME_MAX_LEN + 32];
    ai_packet p;
    for (int v = 4; v <= 6; v += 2) {
        frame_spec s = make_spec(FRAME_UDP, v, 120);
        size_t n = baiot_frame_build(&s, f, sizeof f);
        size_t ip = n - 14;
        /* bare IP */
        decode_ok(DLT_RAW, f + 14, (uint32_t)ip, (uint32_t)ip, &p);
        check_decoded(&p, &s, 0);
        uint8_t zero[6] = {0};
        assert_memory_equal(p.src_mac, zero, 6);
        decode_ok(v == 4 ? DLT_IPV4 : DLT_IPV6, f + 14, (uint32_t)ip, (uint32_t)ip, &p);
        check_decoded(&p, &s, 0);
        char why[PACKET_WHY_MAX];
        packet_skip k;
        assert_int_equal(baiot_packet_decode(v == 4 ? DLT_IPV6 : DLT_IPV4, f + 14, (uint32_t)ip, (uint32_t)ip, 0, &p, &k,
                                       why, sizeof why),
                         BAIOT_ERR_FORMAT);
        assert_int_equal(k, PACKET_MALFORMED);
        /* Linux cooked v1 */
        memset(g, 0, 16);
        g[1] = 4;  /* sent by us */
        g[3] = 1;  /* ARPHRD_ETHER */
        g[5] = 6;  /* address length */
        memcpy(g + 6, MAC_A, 6);
        g[14] = v == 4 ? 0x08 : 0x86;
        g[15] = v == 4 ? 0x00 : 0xDD;
        memcpy(g + 16, f + 14, ip);
        decode_ok(DLT_LINUX_SLL, g, (uint32_t)(ip + 16), (uint32_t)(ip + 16), &p);
        check_decoded(&p, &s, 1);
        /* Linux cooked v2 */
        memset(g, 0, 20);
        g[0] = v == 4 ? 0x08 : 0x86;
        g[1] = v == 4 ? 0x00 : 0xDD;
        g[9] = 1;
        g[11] = 6;
        memcpy(g + 12, MAC_A, 6);
        memcpy(g + 20, f + 14, ip);
        decode_ok(DLT_LINUX_SLL2, g, (uint32_t)(ip + 20), (uint32_t)(ip + 20), &p);
        check_decoded(&p, &s, 1);
    }
    char why[PACKET_WHY_MAX];
    packet_skip k;
    assert_int_equal(baiot_packet_decode(147, f, 60, 60, 0, &p, &k, why, sizeof why), BAIOT_ERR_FORMAT);
    assert_int_equal(k, PACKET_UNSUPPORTED);
    assert_false(baiot_packet_decode_supported(147));
    assert_true(baiot_packet_decode_supported(DLT_EN10MB));
}

static void test_ip_options_fragments_ext(void **state)
{
    (void)state;
    uint8_t f[FRAME_MAX_LEN + 64];
    ai_packet p;
    /* IPv4 with 8 bytes of options (IHL 7): the ports move */
    frame_spec s = make_spec(FRAME_TCP, 4, 100);
    size_t n = baiot_frame_build(&s, f, sizeof f);
    memmove(f + 42, f + 34, n - 34);
    memset(f + 34, 1, 8); /* NOPs */
    f[14] = 0x47;
    n += 8;
    f[16] = (uint8_t)((n - 14) >> 8);
    f[17] = (uint8_t)(n - 14);
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    check_decoded(&p, &s, 1);

    /* a later IPv4 fragment has no ports */
    n = baiot_frame_build(&s, f, sizeof f);
    f[20] = 0x00;
    f[21] = 0xB9; /* offset 185 * 8 */
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    assert_int_equal(p.port_kind, AI_PORT_NONE);
    assert_int_equal(p.src_port, 0);
    /* ... but the first fragment (MF set, offset 0) has them */
    f[20] = 0x20;
    f[21] = 0;
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    check_decoded(&p, &s, 1);
    /* an ICMP fragment stays ICMP */
    s = make_spec(FRAME_ICMP, 4, 100);
    n = baiot_frame_build(&s, f, sizeof f);
    f[21] = 0x10;
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    assert_int_equal(p.port_kind, AI_PORT_ICMP);

    /* IPv6: hop-by-hop (8 bytes) + destination options (16) + fragment (8) before UDP */
    s = make_spec(FRAME_UDP, 6, 120);
    n = baiot_frame_build(&s, f, sizeof f);
    size_t l4 = 14 + 40;
    memmove(f + l4 + 32, f + l4, n - l4);
    uint8_t *e = f + l4;
    memset(e, 0, 32);
    e[0] = 60; e[1] = 0;      /* hop-by-hop -> dest options, 8 bytes */
    e[8] = 44; e[9] = 1;      /* dest options -> fragment, 16 bytes */
    e[24] = 17;               /* fragment -> UDP, offset 0 */
    f[14 + 6] = 0;            /* IPv6 next header: hop-by-hop */
    n += 32;
    unsigned plen = (unsigned)(n - 54);
    f[18] = (uint8_t)(plen >> 8);
    f[19] = (uint8_t)plen;
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    check_decoded(&p, &s, 1);
    /* a later IPv6 fragment: no ports */
    e[26] = 0x01;
    e[27] = 0x08;
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    assert_int_equal(p.port_kind, AI_PORT_NONE);
    /* routing header length beyond the capture: truncated */
    e[26] = e[27] = 0;
    e[0] = 43;
    e[8] = 44;
    e[9] = 200;
    char why[PACKET_WHY_MAX];
    packet_skip k;
    assert_int_equal(baiot_packet_decode(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, 0, &p, &k, why, sizeof why),
                     BAIOT_ERR_FORMAT);
    assert_int_equal(k, PACKET_TRUNCATED);
}

static void test_malformed(void **state)
{
    (void)state;
    uint8_t f[FRAME_MAX_LEN];
    ai_packet p;
    char why[PACKET_WHY_MAX];
    packet_skip k;
    frame_spec s = make_spec(FRAME_TCP, 4, 60);
    size_t n = baiot_frame_build(&s, f, sizeof f);
    f[14] = 0x44; /* IHL 4 */
    assert_int_equal(baiot_packet_decode(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, 0, &p, &k, why, sizeof why),
                     BAIOT_ERR_FORMAT);
    assert_int_equal(k, PACKET_MALFORMED);
    assert_non_null(strstr(why, "header length 16"));
    f[14] = 0x55; /* version 5 */
    assert_int_equal(baiot_packet_decode(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, 0, &p, &k, why, sizeof why),
                     BAIOT_ERR_FORMAT);
    assert_int_equal(k, PACKET_MALFORMED);
    f[14] = 0x45;
    f[16] = 0;
    f[17] = 12; /* total length below the header */
    assert_int_equal(baiot_packet_decode(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, 0, &p, &k, why, sizeof why),
                     BAIOT_ERR_FORMAT);
    assert_int_equal(k, PACKET_MALFORMED);
    /* total length 24: the TCP header is beyond the datagram (the rest is padding) */
    f[17] = 24;
    assert_int_equal(baiot_packet_decode(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, 0, &p, &k, why, sizeof why),
                     BAIOT_ERR_FORMAT);
    assert_int_equal(k, PACKET_TRUNCATED);
    assert_string_equal(why, "truncated TCP header: 4 of 20 bytes");
    /* total length 0 (segmentation offload): the capture decides */
    f[17] = 0;
    decode_ok(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, &p);
    check_decoded(&p, &s, 1);
    /* NULL why and skip are fine */
    f[14] = 0x44;
    assert_int_equal(baiot_packet_decode(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, 0, &p, NULL, NULL, 0), BAIOT_ERR_FORMAT);
}

/* Decodes the first caplen bytes of f from a heap copy of exactly that
 * size (so ASan sees any over-read); returns the status. */
static baiot_status decode_prefix(int linktype, const uint8_t *f, size_t caplen, size_t wirelen, packet_skip *k,
                                  char *why, size_t whylen)
{
    uint8_t *copy = malloc(caplen ? caplen : 1);
    ai_packet p;
    assert_non_null(copy);
    memcpy(copy, f, caplen);
    baiot_status st = baiot_packet_decode(linktype, copy, (uint32_t)caplen, (uint32_t)wirelen, 1.0, &p, k, why, whylen);
    free(copy);
    return st;
}

static void test_truncations(void **state)
{
    (void)state;
    uint8_t f[FRAME_MAX_LEN + 16];
    char why[PACKET_WHY_MAX];
    packet_skip k;
    /* TCP/IPv4, 60 bytes: headers end at 54, then 6 bytes of padding */
    frame_spec s = make_spec(FRAME_TCP, 4, 54);
    size_t n = baiot_frame_build(&s, f, sizeof f);
    assert_int_equal(n, 60);
    for (size_t c = 0; c <= n; c++) {
        baiot_status st = decode_prefix(DLT_EN10MB, f, c, n, &k, why, sizeof why);
        if (c < 54) {
            assert_int_equal(st, BAIOT_ERR_FORMAT);
            assert_int_equal(k, PACKET_TRUNCATED);
            assert_non_null(strstr(why, "truncated"));
        } else {
            assert_int_equal(st, BAIOT_OK);
        }
    }
    decode_prefix(DLT_EN10MB, f, 28, n, &k, why, sizeof why);
    assert_string_equal(why, "truncated IPv4 header: 14 of 20 bytes");
    decode_prefix(DLT_EN10MB, f, 10, n, &k, why, sizeof why);
    assert_string_equal(why, "truncated Ethernet header: 10 of 14 bytes");
    decode_prefix(DLT_EN10MB, f, 42, n, &k, why, sizeof why);
    assert_string_equal(why, "truncated TCP header: 8 of 20 bytes");

    /* every other kind of frame, every length: a status, never a crash */
    static const int protos[] = {FRAME_TCP, FRAME_UDP, FRAME_ICMP, FRAME_OTHER_IP, FRAME_ARP, FRAME_NON_IP};
    static const int links[] = {DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_IPV4, DLT_IPV6};
    for (int v = 4; v <= 6; v += 2)
        for (size_t i = 0; i < sizeof protos / sizeof *protos; i++) {
            s = make_spec(protos[i], v, 80);
            n = baiot_frame_build(&s, f, sizeof f);
            n = insert_tag(f, n, 0x8100, 5);
            for (size_t l = 0; l < sizeof links / sizeof *links; l++)
                for (size_t c = 0; c <= n; c++) {
                    baiot_status st = decode_prefix(links[l], f, c, n, &k, why, sizeof why);
                    assert_true(st == BAIOT_OK || (st == BAIOT_ERR_FORMAT && k != PACKET_OK && why[0]));
                }
        }
}

/* ------------------------------------------------------- features */

#define F_MI(l, s) (3 * (l) + (s))
#define F_H(l, s) (15 + 3 * (l) + (s))
#define F_HH(l, s) (30 + 7 * (l) + (s))
#define F_JIT(l, s) (65 + 3 * (l) + (s))
#define F_HP(l, s) (80 + 7 * (l) + (s))
enum { W = 0, MEAN = 1, VAR = 2, STD = 2, MAG = 3, RAD = 4, COV = 5, PCC = 6 };

static void assert_near(double got, double want, double rel)
{
    double tol = rel * (fabs(want) > 1 ? fabs(want) : 1);
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g", got, want);
}

/* Builds a frame, decodes it and runs it through the extractor. */
static void feed(ai_extractor *ai, const frame_spec *s, double t, double *out)
{
    uint8_t f[FRAME_MAX_LEN];
    ai_packet p;
    size_t n = baiot_frame_build(s, f, sizeof f);
    char why[PACKET_WHY_MAX];
    assert_int_equal(baiot_packet_decode(DLT_EN10MB, f, (uint32_t)n, (uint32_t)n, t, &p, NULL, why, sizeof why), BAIOT_OK);
    assert_int_equal(baiot_ai_process(ai, &p, out), BAIOT_OK);
}

static void test_feature_names_layout(void **state)
{
    (void)state;
    assert_string_equal(baiot_feature_names[F_MI(0, W)], "MI_dir_L5_weight");
    assert_string_equal(baiot_feature_names[F_H(4, VAR)], "H_L0.01_variance");
    assert_string_equal(baiot_feature_names[F_HH(0, MAG)], "HH_L5_magnitude");
    assert_string_equal(baiot_feature_names[F_HH(0, RAD)], "HH_L5_radius");
    assert_string_equal(baiot_feature_names[F_JIT(0, MEAN)], "HH_jit_L5_mean");
    assert_string_equal(baiot_feature_names[F_HP(4, PCC)], "HpHp_L0.01_pcc");
}

static void test_features_by_hand(void **state)
{
    (void)state;
    static const double lambdas[5] = {5, 3, 1, 0.1, 0.01};
    ai_extractor *ai;
    double o1[AI_N_FEATURES], o2[AI_N_FEATURES], o3[AI_N_FEATURES];
    const double t1 = 1505913417.25, t2 = t1 + 0.5, t3 = t1 + 0.75;
    assert_int_equal(baiot_ai_create(NULL, &ai), BAIOT_OK);

    /* 1: A -> B, 60 bytes: a new stream everywhere */
    frame_spec s = make_spec(FRAME_TCP, 4, 60);
    feed(ai, &s, t1, o1);
    for (int l = 0; l < 5; l++) {
        assert_true(o1[F_MI(l, W)] == 1.0 && o1[F_MI(l, MEAN)] == 60.0 && o1[F_MI(l, VAR)] == 0.0);
        assert_true(o1[F_H(l, W)] == 1.0 && o1[F_H(l, MEAN)] == 60.0 && o1[F_H(l, VAR)] == 0.0);
        assert_true(o1[F_HH(l, W)] == 1.0 && o1[F_HH(l, MEAN)] == 60.0 && o1[F_HH(l, STD)] == 0.0);
        assert_true(o1[F_HH(l, MAG)] == 60.0 && o1[F_HH(l, RAD)] == 0.0);
        assert_true(o1[F_HH(l, COV)] == 0.0 && o1[F_HH(l, PCC)] == 0.0);
        assert_true(o1[F_JIT(l, W)] == 1.0 && o1[F_JIT(l, MEAN)] == t1 && o1[F_JIT(l, VAR)] == 0.0);
        assert_true(o1[F_HP(l, W)] == 1.0 && o1[F_HP(l, MEAN)] == 60.0 && o1[F_HP(l, MAG)] == 60.0);
    }

    /* 2: A -> B, 100 bytes, 0.5 s later: decayed by 2^(-lambda/2) */
    s.frame_len = 100;
    feed(ai, &s, t2, o2);
    assert_near(o2[F_MI(0, W)], 1 + pow(2, -2.5), 1e-15);
    double vb[5], mb[5];
    for (int l = 0; l < 5; l++) {
        double d = pow(2, -lambdas[l] * 0.5);
        double w = 1 + d, m = (60 * d + 100) / w, v = fabs((3600 * d + 10000) / w - m * m);
        mb[l] = m;
        vb[l] = v;
        assert_near(o2[F_MI(l, W)], w, 1e-14);
        assert_near(o2[F_MI(l, MEAN)], m, 1e-13);
        assert_near(o2[F_MI(l, VAR)], v, 1e-9);
        assert_near(o2[F_H(l, MEAN)], m, 1e-13);
        assert_near(o2[F_HH(l, STD)], sqrt(v), 1e-9);
        assert_near(o2[F_HH(l, MAG)], m, 1e-13); /* B empty */
        assert_near(o2[F_HH(l, RAD)], v, 1e-9);  /* sqrt(v^2 + 0) */
        assert_near(o2[F_HP(l, W)], w, 1e-14);
        /* jitter: x1 = t1 (the first-gap quirk), x2 = 0.5 */
        double jm = (t1 * d + 0.5) / w;
        assert_near(o2[F_JIT(l, W)], w, 1e-14);
        assert_near(o2[F_JIT(l, MEAN)], jm, 1e-12);
    }
    assert_true(o2[F_MI(0, MEAN)] > 60 && o2[F_MI(0, MEAN)] < 100);

    /* 3: the reply B -> A, 80 bytes, at 0.75 s */
    frame_spec r = make_spec(FRAME_TCP, 4, 80);
    memcpy(r.src_mac, MAC_B, 6);
    memcpy(r.dst_mac, MAC_A, 6);
    memcpy(r.src_ip, IP4_B, 4);
    memcpy(r.dst_ip, IP4_A, 4);
    r.src_port = s.dst_port;
    r.dst_port = s.src_port;
    feed(ai, &r, t3, o3);
    for (int l = 0; l < 5; l++) {
        assert_true(o3[F_MI(l, W)] == 1.0 && o3[F_MI(l, MEAN)] == 80.0); /* B's own streams are new */
        assert_true(o3[F_H(l, W)] == 1.0);
        assert_true(o3[F_HH(l, W)] == 1.0 && o3[F_HH(l, MEAN)] == 80.0);
        assert_near(o3[F_HH(l, MAG)], sqrt(80.0 * 80.0 + mb[l] * mb[l]), 1e-12);
        assert_near(o3[F_HH(l, RAD)], vb[l], 1e-9); /* sqrt(0^2 + vB^2) */
        assert_near(o3[F_HP(l, MAG)], sqrt(80.0 * 80.0 + mb[l] * mb[l]), 1e-12);
        assert_true(o3[F_JIT(l, W)] == 1.0 && o3[F_JIT(l, MEAN)] == t3); /* a new directed channel */
    }
    baiot_ai_free(ai);
}

/* --------------------------------------------------------- pcap I/O */

static void test_pcap_time(void **state)
{
    (void)state;
    assert_true(baiot_pcap_time(1505913417, 371573000) == (double)1505913417 + (double)371573000 * 1e-9);
    assert_true(baiot_pcap_time(0, 0) == 0.0);
    assert_true(baiot_pcap_time(10, 500000000) == 10.5);
}

static void test_pcap_writer_reader(void **state)
{
    (void)state;
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "/tmp/baiot-test-packet-%ld.pcap", (long)getpid());
    static const int protos[] = {FRAME_TCP, FRAME_UDP, FRAME_ICMP, FRAME_OTHER_IP, FRAME_ARP, FRAME_NON_IP};
    uint8_t frames[16][FRAME_MAX_LEN];
    size_t lens[16];
    int n = 0;
    pcap_writer *w;
    assert_int_equal(baiot_pcap_writer_create(path, &w), BAIOT_OK);
    for (int v = 4; v <= 6; v += 2)
        for (size_t i = 0; i < sizeof protos / sizeof *protos; i++) {
            if (v == 6 && (protos[i] == FRAME_ARP || protos[i] == FRAME_NON_IP))
                continue;
            frame_spec s = make_spec(protos[i], v, (uint32_t)(60 + 37 * n));
            lens[n] = baiot_frame_build(&s, frames[n], FRAME_MAX_LEN);
            assert_int_equal(baiot_pcap_writer_write(w, 1505913417 + n, (uint32_t)(123456789 + n), frames[n],
                                               (uint32_t)lens[n], (uint32_t)lens[n]),
                             BAIOT_OK);
            n++;
        }
    assert_int_equal(baiot_pcap_writer_write(w, -1, 0, frames[0], 60, 60), BAIOT_ERR_ARG);
    assert_int_equal(baiot_pcap_writer_write(w, 0, 1000000000u, frames[0], 60, 60), BAIOT_ERR_ARG);
    assert_int_equal(access(path, F_OK), -1); /* not there before commit */
    assert_int_equal(baiot_pcap_writer_commit(w), BAIOT_OK);

    FILE *fp = fopen(path, "rb");
    uint8_t magic[4];
    assert_non_null(fp);
    assert_int_equal(fread(magic, 1, 4, fp), 4);
    fclose(fp);
    assert_true(magic[0] == 0x4D && magic[1] == 0x3C && magic[2] == 0xB2 && magic[3] == 0xA1);

    pcap_reader *r;
    pcap_record rec;
    int got;
    assert_int_equal(baiot_pcap_reader_open(path, &r), BAIOT_OK);
    assert_int_equal(baiot_pcap_reader_linktype(r), DLT_EN10MB);
    assert_string_equal(baiot_pcap_reader_linktype_name(r), "EN10MB");
    for (int i = 0; i < n; i++) {
        assert_int_equal(baiot_pcap_reader_next(r, &rec, &got), BAIOT_OK);
        assert_int_equal(got, 1);
        assert_int_equal(rec.number, i + 1);
        assert_int_equal(rec.sec, 1505913417 + i);
        assert_int_equal(rec.nsec, 123456789 + i);
        assert_int_equal(rec.caplen, lens[i]);
        assert_int_equal(rec.wirelen, lens[i]);
        assert_memory_equal(rec.data, frames[i], lens[i]);
    }
    assert_int_equal(baiot_pcap_reader_next(r, &rec, &got), BAIOT_OK);
    assert_int_equal(got, 0);
    char hex[65];
    assert_int_equal(baiot_pcap_reader_sha256(r, hex), BAIOT_OK);
    baiot_pcap_reader_close(r);
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *pp = popen(cmd, "r");
    char line[256] = "";
    if (pp && fgets(line, sizeof line, pp))
        assert_memory_equal(line, hex, 64);
    if (pp)
        pclose(pp);

    /* tshark, when installed, reads the file and checks every checksum */
    if (system("command -v tshark >/dev/null 2>&1") == 0) {
        snprintf(cmd, sizeof cmd,
                 "tshark -n -r '%s' -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE "
                 "-o udp.check_checksum:TRUE -T fields -E separator=, -e frame.len -e frame.time_epoch "
                 "-e ip.checksum.status -e tcp.checksum.status -e udp.checksum.status -e icmp.checksum.status "
                 "-e icmpv6.checksum.status -e _ws.malformed 2>/dev/null",
                 path);
        pp = popen(cmd, "r");
        assert_non_null(pp);
        int rows = 0;
        while (fgets(line, sizeof line, pp)) {
            unsigned flen;
            char tstamp[64];
            assert_int_equal(sscanf(line, "%u,%63[^,]", &flen, tstamp), 2);
            assert_true(rows < n);
            assert_int_equal(flen, lens[rows]);
            char want_t[64];
            snprintf(want_t, sizeof want_t, "%d.%09d", 1505913417 + rows, 123456789 + rows);
            assert_string_equal(tstamp, want_t);
            /* a checksum status of 0 is "bad"; good ones are 1 */
            const char *rest = strchr(strchr(line, ',') + 1, ',');
            for (const char *c = rest; *c; c++)
                if (*c == ',' && c[1] == '0' && (c[2] == ',' || c[2] == '\n'))
                    fail_msg("tshark: bad checksum in frame %d: %s", rows + 1, line);
            assert_null(strstr(line, "Malformed"));
            rows++;
        }
        assert_int_equal(pclose(pp), 0);
        assert_int_equal(rows, n);
        /* the checksums were verified (status 1 = good) for the IP frames */
        snprintf(cmd, sizeof cmd,
                 "tshark -n -r '%s' -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE "
                 "-o udp.check_checksum:TRUE -Y 'ip.checksum.status == 1 || tcp.checksum.status == 1 || "
                 "udp.checksum.status == 1 || icmp.checksum.status == 1 || icmpv6.checksum.status == 1' "
                 "2>/dev/null | wc -l",
                 path);
        pp = popen(cmd, "r");
        assert_non_null(pp);
        assert_non_null(fgets(line, sizeof line, pp));
        pclose(pp);
        /* all but the ARP, the LLDP and the IPv6 IGMP frame (no checksum to check) */
        assert_int_equal(atoi(line), n - 3);
    } else {
        print_message("tshark not installed: its check of the written pcap is skipped\n");
    }
    unlink(path);

    /* abort leaves nothing */
    assert_int_equal(baiot_pcap_writer_create(path, &w), BAIOT_OK);
    assert_int_equal(baiot_pcap_writer_write(w, 1, 0, frames[0], (uint32_t)lens[0], (uint32_t)lens[0]), BAIOT_OK);
    baiot_pcap_writer_abort(w);
    assert_int_equal(access(path, F_OK), -1);
    baiot_pcap_writer_abort(NULL);
}

static void test_pcap_reader_errors(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "/tmp/baiot-test-packet-bad-%ld.pcap", (long)getpid());
    pcap_reader *r;
    static const uint8_t zip[] = {0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0};
    static const uint8_t short_hdr[] = {0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0};
    struct {
        const uint8_t *bytes;
        size_t n;
        const char *must;
    } cases[] = {
        {zip, sizeof zip, "wrong magic"},
        {zip, 0, "empty"},
        {zip, 2, "too short"},
        {short_hdr, sizeof short_hdr, "truncated capture file header"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        fwrite(cases[i].bytes, 1, cases[i].n, fp);
        fclose(fp);
        assert_int_not_equal(baiot_pcap_reader_open(path, &r), BAIOT_OK);
        assert_non_null(strstr(baiot_last_error(), cases[i].must));
        assert_non_null(strstr(baiot_last_error(), path));
    }
    assert_int_equal(baiot_pcap_reader_open("/nonexistent/x.pcap", &r), BAIOT_ERR_IO);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_ip),
        cmocka_unit_test(test_roundtrip_udp_checksum_ffff),
        cmocka_unit_test(test_roundtrip_arp_nonip),
        cmocka_unit_test(test_vlan),
        cmocka_unit_test(test_other_links),
        cmocka_unit_test(test_ip_options_fragments_ext),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_feature_names_layout),
        cmocka_unit_test(test_features_by_hand),
        cmocka_unit_test(test_pcap_time),
        cmocka_unit_test(test_pcap_writer_reader),
        cmocka_unit_test(test_pcap_reader_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
