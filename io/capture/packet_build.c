/*
 * packet_build.c - Ethernet frames from a frame_spec (packet_build.h).
 *
 * Layout of what is written, all multi-byte fields big-endian:
 *   Ethernet II  dst MAC, src MAC, ethertype (0x0800 IPv4, 0x86DD IPv6,
 *                0x0806 ARP, or spec->ethertype for FRAME_NON_IP)
 *   IPv4         IHL 5, TOS 0, total length, ID 0, DF, TTL 64, protocol,
 *                header checksum
 *   IPv6         traffic class and flow label 0, payload length, next
 *                header, hop limit 64
 *   TCP          20-byte header: ports, seq 0, ack 0, data offset 5, the
 *                given flags, window 65535, checksum over the pseudo-header
 *   UDP          ports, length, checksum (0 is sent as 0xFFFF)
 *   ICMP         echo request (v4 type 8, v6 ICMPv6 type 128), id 0, seq 0;
 *                the ICMPv6 checksum covers the IPv6 pseudo-header
 *   ARP          request, Ethernet/IPv4: sender = src MAC/IP, target =
 *                dst MAC/IP of the spec
 * then zero payload bytes.  The IP datagram (or ARP body) takes the bytes up
 * to frame_len; a frame shorter than 60 bytes gets zero Ethernet padding to
 * 60 that is not part of the datagram (as on the wire: a bare TCP SYN is a
 * 40-byte IPv4 datagram in a 60-byte frame).
 *
 * FRAME_OTHER_IP writes an IP header with spec->ip_proto and no transport
 * header (a decoder that knows that protocol sees zero bytes); choose a
 * protocol that is not TCP, UDP, ICMP or an IPv6 extension header.
 * Pure function of its arguments; thread-safe.
 * Covered by tests/unit/test_packet.c.
 */
#include "io/capture/packet_build.h"

#include <string.h>

#define ETH_HDR 14
#define ETH_MIN_FRAME 60
#define IPV4_HDR 20
#define IPV6_HDR 40
#define TCP_HDR 20
#define UDP_HDR 8
#define ICMP_HDR 8
#define ARP_BODY 28

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* One's-complement sum of n bytes (odd tail padded with zero), added to sum. */
static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Pseudo-header sum for a transport checksum (RFC 793 / RFC 8200 8.1). */
static uint32_t pseudo_sum(int v6, const uint8_t *ip, uint8_t proto, size_t len)
{
    uint32_t s = 0;
    if (v6) {
        s = sum_bytes(s, ip + 8, 32); /* source and destination */
        s += (uint32_t)(len >> 16) + (uint32_t)(len & 0xFFFF);
    } else {
        s = sum_bytes(s, ip + 12, 8);
        s += (uint32_t)len;
    }
    return s + proto;
}

/* Header bytes of the IP datagram's upper layer for proto (0 when none). */
static size_t l4_header(int proto)
{
    switch (proto) {
    case FRAME_TCP: return TCP_HDR;
    case FRAME_UDP: return UDP_HDR;
    case FRAME_ICMP: return ICMP_HDR;
    default: return 0;
    }
}

size_t baiot_frame_build(const frame_spec *spec, uint8_t *buf, size_t cap)
{
    int proto = spec->proto;
    int is_ip = proto == FRAME_TCP || proto == FRAME_UDP || proto == FRAME_ICMP || proto == FRAME_OTHER_IP;
    int v6 = is_ip && spec->ip_version == 6;
    size_t l3 = proto == FRAME_ARP ? ARP_BODY : is_ip ? (v6 ? IPV6_HDR : IPV4_HDR) + l4_header(proto) : 0;
    size_t body_min = ETH_HDR + l3; /* headers only */
    size_t len = spec->frame_len;
    if (proto > FRAME_NON_IP)
        return 0;
    if (len < body_min)
        len = body_min;
    if (len > FRAME_MAX_LEN)
        len = FRAME_MAX_LEN;
    size_t dgram_end = len; /* end of the datagram: padding follows */
    if (len < ETH_MIN_FRAME)
        len = ETH_MIN_FRAME;
    if (cap < len)
        return 0;
    memset(buf, 0, len);

    memcpy(buf, spec->dst_mac, 6);
    memcpy(buf + 6, spec->src_mac, 6);
    uint8_t *p = buf + ETH_HDR;
    if (proto == FRAME_NON_IP) {
        put16(buf + 12, spec->ethertype);
        return len;
    }
    if (proto == FRAME_ARP) {
        put16(buf + 12, 0x0806);
        put16(p, 1);          /* hardware: Ethernet */
        put16(p + 2, 0x0800); /* protocol: IPv4 */
        p[4] = 6;
        p[5] = 4;
        put16(p + 6, 1);      /* request */
        memcpy(p + 8, spec->src_mac, 6);
        memcpy(p + 14, spec->src_ip, 4);
        memcpy(p + 18, spec->dst_mac, 6);
        memcpy(p + 24, spec->dst_ip, 4);
        return len;
    }

    uint8_t ipp = proto == FRAME_TCP ? 6 : proto == FRAME_UDP ? 17 : proto == FRAME_ICMP ? (v6 ? 58 : 1) : spec->ip_proto;
    size_t ip_len = dgram_end - ETH_HDR;
    size_t iph = v6 ? IPV6_HDR : IPV4_HDR;
    size_t l4_len = ip_len - iph;
    uint8_t *ip = p, *l4 = p + iph;
    if (v6) {
        put16(buf + 12, 0x86DD);
        ip[0] = 0x60;
        put16(ip + 4, (unsigned)l4_len);
        ip[6] = ipp;
        ip[7] = 64;
        memcpy(ip + 8, spec->src_ip, 16);
        memcpy(ip + 24, spec->dst_ip, 16);
    } else {
        put16(buf + 12, 0x0800);
        ip[0] = 0x45;
        put16(ip + 2, (unsigned)ip_len);
        put16(ip + 6, 0x4000); /* DF, fragment offset 0 */
        ip[8] = 64;
        ip[9] = ipp;
        memcpy(ip + 12, spec->src_ip, 4);
        memcpy(ip + 16, spec->dst_ip, 4);
        put16(ip + 10, fold(sum_bytes(0, ip, IPV4_HDR)));
    }

    switch (proto) {
    case FRAME_TCP:
        put16(l4, spec->src_port);
        put16(l4 + 2, spec->dst_port);
        l4[12] = 5 << 4;
        l4[13] = spec->tcp_flags;
        put16(l4 + 14, 65535);
        put16(l4 + 16, fold(sum_bytes(pseudo_sum(v6, ip, 6, l4_len), l4, l4_len)));
        break;
    case FRAME_UDP: {
        put16(l4, spec->src_port);
        put16(l4 + 2, spec->dst_port);
        put16(l4 + 4, (unsigned)l4_len);
        uint16_t c = fold(sum_bytes(pseudo_sum(v6, ip, 17, l4_len), l4, l4_len));
        put16(l4 + 6, c ? c : 0xFFFF);
        break;
    }
    case FRAME_ICMP:
        l4[0] = v6 ? 128 : 8;
        if (v6)
            put16(l4 + 2, fold(sum_bytes(pseudo_sum(1, ip, 58, l4_len), l4, l4_len)));
        else
            put16(l4 + 2, fold(sum_bytes(0, l4, l4_len)));
        break;
    default: /* FRAME_OTHER_IP: no upper-layer header */
        break;
    }
    return len;
}
