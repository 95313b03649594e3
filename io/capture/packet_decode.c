/*
 * packet_decode.c - frames -> ai_packet (see packet_decode.h for what is
 * taken from each protocol).
 *
 * The decoder walks the headers with an offset `off` and an end `end`
 * (caplen, lowered to the IP datagram's own end once an IP header gives
 * its length).  Invariant: every read of n bytes at off is preceded by a
 * check end - off >= n, and end <= caplen, so nothing beyond the captured
 * bytes is read whatever the header fields say.  A frame whose headers do
 * not fit returns BAIOT_ERR_FORMAT with a PACKET_TRUNCATED reason; an
 * impossible field gives PACKET_MALFORMED.  No allocation, no globals.
 * Covered by tests/unit/test_packet.c and tests/cli/test_extract.py.
 */
#include "io/capture/packet_decode.h"

#include <pcap/dlt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ETH_HDR 14
#define SLL_HDR 16
#define SLL2_HDR 20
#define VLAN_TAG 4
#define MAX_VLAN_TAGS 2
#define IPV4_HDR 20
#define IPV6_HDR 40
#define TCP_HDR 20
#define UDP_HDR 8
#define ICMP_HDR 8
#define ARP_FIXED 8
#define ARP_ETH_IPV4 28
#define IPV6_EXT_MIN 8

#define ET_IPV4 0x0800
#define ET_ARP 0x0806
#define ET_IPV6 0x86DD
#define ET_VLAN 0x8100
#define ET_QINQ 0x88A8
#define ET_QINQ_OLD 0x9100
#define ET_MIN 0x0600 /* smaller values are 802.3 lengths */

/* What the walk has found so far, and where the failure message goes. */
typedef struct walk {
    const uint8_t *d;
    uint32_t end;
    uint8_t dst_mac[6];
    ai_packet *out;
    packet_skip *skip;
    char *why;
    size_t whylen;
} walk;

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static baiot_status stop(walk *w, packet_skip kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static baiot_status stop(walk *w, packet_skip kind, const char *fmt, ...)
{
    if (w->skip)
        *w->skip = kind;
    if (w->why && w->whylen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->why, w->whylen, fmt, ap);
        va_end(ap);
    }
    return BAIOT_ERR_FORMAT;
}

/* Fails with "truncated <what>: <have> of <need> bytes" when fewer than
 * need bytes remain at off. */
#define NEED(w, off, need, what)                                                                       \
    do {                                                                                               \
        if ((w)->end - (off) < (uint32_t)(need))                                                      \
            return stop((w), PACKET_TRUNCATED, "truncated %s: %u of %u bytes", (what), (w)->end - (off), \
                        (unsigned)(need));                                                             \
    } while (0)

static void set_addr(ai_addr *a, ai_addr_kind kind, const uint8_t *bytes, size_t n)
{
    memset(a, 0, sizeof *a);
    a->kind = (uint8_t)kind;
    memcpy(a->bytes, bytes, n);
}

static baiot_status non_ip(walk *w)
{
    set_addr(&w->out->src_ip, AI_ADDR_MAC, w->out->src_mac, 6);
    set_addr(&w->out->dst_ip, AI_ADDR_MAC, w->dst_mac, 6);
    w->out->port_kind = AI_PORT_NONE;
    return BAIOT_OK;
}

/* The upper layer at off: ports for TCP/UDP when this is the datagram's
 * first fragment, the ICMP marker, or nothing. */
static baiot_status transport(walk *w, uint32_t off, unsigned proto, int icmp_proto, int first_fragment)
{
    ai_packet *o = w->out;
    if (proto == 6 || proto == 17) {
        if (!first_fragment) {
            o->port_kind = AI_PORT_NONE;
            return BAIOT_OK;
        }
        NEED(w, off, proto == 6 ? TCP_HDR : UDP_HDR, proto == 6 ? "TCP header" : "UDP header");
        o->port_kind = AI_PORT_NUMBER;
        o->src_port = (uint16_t)be16(w->d + off);
        o->dst_port = (uint16_t)be16(w->d + off + 2);
        return BAIOT_OK;
    }
    if ((int)proto == icmp_proto) {
        if (first_fragment)
            NEED(w, off, ICMP_HDR, icmp_proto == 1 ? "ICMP header" : "ICMPv6 header");
        o->port_kind = AI_PORT_ICMP;
        return BAIOT_OK;
    }
    o->port_kind = AI_PORT_NONE;
    return BAIOT_OK;
}

static baiot_status ipv4(walk *w, uint32_t off)
{
    const uint8_t *d = w->d;
    NEED(w, off, IPV4_HDR, "IPv4 header");
    if (d[off] >> 4 != 4)
        return stop(w, PACKET_MALFORMED, "IPv4 packet with IP version %u", d[off] >> 4u);
    unsigned ihl = (d[off] & 15u) * 4;
    if (ihl < IPV4_HDR)
        return stop(w, PACKET_MALFORMED, "IPv4 header length %u is below 20 bytes", ihl);
    NEED(w, off, ihl, "IPv4 header with options");
    unsigned total = be16(d + off + 2);
    if (total != 0 && total < ihl) /* 0: segmentation offload left it unset */
        return stop(w, PACKET_MALFORMED, "IPv4 total length %u is below its header length %u", total, ihl);
    if (total != 0 && w->end - off > total)
        w->end = off + total; /* the rest is Ethernet padding */
    set_addr(&w->out->src_ip, AI_ADDR_IPV4, d + off + 12, 4);
    set_addr(&w->out->dst_ip, AI_ADDR_IPV4, d + off + 16, 4);
    int first = (be16(d + off + 6) & 0x1FFF) == 0;
    return transport(w, off + ihl, d[off + 9], 1, first);
}

static baiot_status ipv6(walk *w, uint32_t off)
{
    const uint8_t *d = w->d;
    NEED(w, off, IPV6_HDR, "IPv6 header");
    if (d[off] >> 4 != 6)
        return stop(w, PACKET_MALFORMED, "IPv6 packet with IP version %u", d[off] >> 4u);
    unsigned plen = be16(d + off + 4);
    if (plen != 0 && w->end - off - IPV6_HDR > plen) /* 0: a jumbogram or offload */
        w->end = off + IPV6_HDR + plen;
    set_addr(&w->out->src_ip, AI_ADDR_IPV6, d + off + 8, 16);
    set_addr(&w->out->dst_ip, AI_ADDR_IPV6, d + off + 24, 16);
    unsigned nh = d[off + 6];
    uint32_t pos = off + IPV6_HDR;
    int first = 1;
    /* Each extension header is at least 8 bytes, so the walk ends. */
    while (first && (nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51)) {
        NEED(w, pos, IPV6_EXT_MIN, "IPv6 extension header");
        uint32_t len = nh == 44 ? 8u : nh == 51 ? (d[pos + 1] + 2u) * 4 : (d[pos + 1] + 1u) * 8;
        if (len < IPV6_EXT_MIN)
            return stop(w, PACKET_MALFORMED, "IPv6 authentication header of %u bytes", len);
        NEED(w, pos, len, "IPv6 extension header");
        if (nh == 44 && (be16(d + pos + 2) >> 3) != 0)
            first = 0; /* a later fragment: what follows is data */
        nh = d[pos];
        pos += len;
    }
    return transport(w, pos, nh, 58, first);
}

static baiot_status arp(walk *w, uint32_t off)
{
    const uint8_t *d = w->d;
    NEED(w, off, ARP_FIXED, "ARP header");
    if (be16(d + off) != 1 || be16(d + off + 2) != ET_IPV4 || d[off + 4] != 6 || d[off + 5] != 4)
        return non_ip(w); /* ARP of another hardware or protocol: keyed like any non-IP frame */
    NEED(w, off, ARP_ETH_IPV4, "ARP body");
    set_addr(&w->out->src_ip, AI_ADDR_IPV4, d + off + 14, 4);
    set_addr(&w->out->dst_ip, AI_ADDR_IPV4, d + off + 24, 4);
    w->out->port_kind = AI_PORT_ARP;
    return BAIOT_OK;
}

/* Dispatches on an ethertype whose payload starts at off, skipping up to
 * two VLAN tags first. */
static baiot_status by_ethertype(walk *w, unsigned et, uint32_t off)
{
    for (int tags = 0; tags < MAX_VLAN_TAGS && (et == ET_VLAN || et == ET_QINQ || et == ET_QINQ_OLD); tags++) {
        NEED(w, off, VLAN_TAG, "VLAN tag");
        et = be16(w->d + off + 2);
        off += VLAN_TAG;
    }
    switch (et) {
    case ET_IPV4: return ipv4(w, off);
    case ET_IPV6: return ipv6(w, off);
    case ET_ARP: return arp(w, off);
    default: return non_ip(w); /* also 802.3 frames (et < 0x0600) */
    }
}

/* Bare IP: the version nibble tells v4 from v6. */
static baiot_status raw_ip(walk *w, int want)
{
    if (w->end == 0)
        return stop(w, PACKET_TRUNCATED, "empty packet");
    unsigned v = w->d[0] >> 4;
    if (want ? (int)v != want : (v != 4 && v != 6))
        return stop(w, PACKET_MALFORMED, "not an IP%s packet: IP version %u", want == 6 ? "v6" : want == 4 ? "v4" : "",
                    v);
    return v == 4 ? ipv4(w, 0) : ipv6(w, 0);
}

int baiot_packet_decode_supported(int linktype)
{
    return linktype == DLT_EN10MB || linktype == DLT_LINUX_SLL || linktype == DLT_LINUX_SLL2 ||
           linktype == DLT_RAW || linktype == DLT_IPV4 || linktype == DLT_IPV6;
}

baiot_status baiot_packet_decode(int linktype, const uint8_t *data, uint32_t caplen, uint32_t wirelen, double t,
                           ai_packet *out, packet_skip *skip, char *why, size_t whylen)
{
    walk w;
    memset(&w, 0, sizeof w);
    w.d = data;
    w.end = caplen;
    w.out = out;
    w.skip = skip;
    w.why = why;
    w.whylen = whylen;
    memset(out, 0, sizeof *out);
    out->t = t;
    out->size = (double)wirelen;
    if (skip)
        *skip = PACKET_OK;
    if (why && whylen)
        why[0] = '\0';

    switch (linktype) {
    case DLT_EN10MB:
        NEED(&w, 0, ETH_HDR, "Ethernet header");
        memcpy(w.dst_mac, data, 6);
        memcpy(out->src_mac, data + 6, 6);
        return by_ethertype(&w, be16(data + 12), ETH_HDR);
    case DLT_LINUX_SLL:
        NEED(&w, 0, SLL_HDR, "Linux cooked header");
        if (be16(data + 4) == 6)
            memcpy(out->src_mac, data + 6, 6);
        return by_ethertype(&w, be16(data + 14), SLL_HDR);
    case DLT_LINUX_SLL2:
        NEED(&w, 0, SLL2_HDR, "Linux cooked v2 header");
        if (data[11] == 6)
            memcpy(out->src_mac, data + 12, 6);
        return by_ethertype(&w, be16(data), SLL2_HDR);
    case DLT_RAW: return raw_ip(&w, 0);
    case DLT_IPV4: return raw_ip(&w, 4);
    case DLT_IPV6: return raw_ip(&w, 6);
    default: return stop(&w, PACKET_UNSUPPORTED, "link type %d is not supported", linktype);
    }
}
