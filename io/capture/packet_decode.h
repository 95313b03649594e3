/*
 * packet_decode.h - one captured frame -> the extractor's ai_packet.
 *
 * Link types (libpcap's DLT_ values, as pcap_datalink() returns them):
 *   DLT_EN10MB      Ethernet II; one or two 802.1Q / 802.1ad (0x8100,
 *                   0x88A8, 0x9100) VLAN tags are skipped; an 802.3 frame
 *                   (length instead of ethertype) is a non-IP frame
 *   DLT_LINUX_SLL   Linux "cooked" v1 (16-byte header) and
 *   DLT_LINUX_SLL2  v2 (20 bytes): the source MAC is the link address when
 *                   it is 6 bytes long, the destination MAC is unknown (zeros)
 *   DLT_RAW, DLT_IPV4, DLT_IPV6   bare IP: MACs are zeros
 *
 * What the extractor is given (see /work/shared/reference/NBAIOT_FEATURES.md):
 *   size      = wirelen, the frame's length on the wire
 *   IPv4      addresses; the IHL is honoured; ports only from the first
 *             fragment (offset 0); a later fragment of TCP/UDP has no ports
 *             (AI_PORT_NONE), of ICMP is still AI_PORT_ICMP
 *   IPv6      addresses; extension headers hop-by-hop (0), routing (43),
 *             fragment (44), destination options (60) and AH (51) are
 *             skipped; a non-first fragment has no ports
 *   TCP, UDP  AI_PORT_NUMBER with the two ports
 *   ICMP, ICMPv6  AI_PORT_ICMP, ports 0
 *   other IP protocols (and IPv6 "no next header")  AI_PORT_NONE, ports 0
 *   ARP (Ethernet/IPv4)  src_ip/dst_ip = the sender/target protocol
 *             addresses of the ARP body (AI_ADDR_IPV4), AI_PORT_ARP, ports 0.
 *             Kitsune keys the ARP socket (HpHp) on the MACs instead; the
 *             extractor's ai_packet has no destination MAC, so the socket
 *             key here is (sender IP, target IP, "arp"), which tells ARP
 *             apart from every IP socket all the same.
 *   non-IP frames (other ethertypes, ARP of other hardware/protocols)
 *             src_ip/dst_ip = source/destination MAC (AI_ADDR_MAC),
 *             AI_PORT_NONE, ports 0
 * Unused address bytes are zero (the extractor keys on all 16).
 *
 * Only headers must be captured: a frame cut short by the snap length
 * inside its payload decodes normally.  Bytes beyond an IP datagram's own
 * length (Ethernet padding) are never read as headers.  Nothing beyond
 * caplen is ever read.  Pure function; thread-safe.
 * Covered by tests/unit/test_packet.c and tests/cli/test_extract.py.
 */
#ifndef BAIOT_IO_PACKET_DECODE_H
#define BAIOT_IO_PACKET_DECODE_H

#include "baiot/baiot.h"
#include "io/capture/afterimage.h"

#include <stddef.h>
#include <stdint.h>

/* Why a frame was not decoded (same order as baiot_extract_skip in
 * include/baiot/extract.h). */
typedef enum packet_skip {
    PACKET_OK = 0,
    PACKET_TRUNCATED,   /* a header is cut short (caplen or IP length) */
    PACKET_MALFORMED,   /* a header field is impossible (IHL < 5, bad IP version) */
    PACKET_UNSUPPORTED, /* a link type this decoder does not know */
    PACKET_N_SKIP
} packet_skip;

#define PACKET_WHY_MAX 160

/* 1 when baiot_packet_decode knows link type linktype (a DLT_ value). */
int baiot_packet_decode_supported(int linktype);

/* Decodes the frame data[0..caplen) (wirelen bytes on the wire, captured at
 * Unix time t) into out.  Returns BAIOT_OK, or BAIOT_ERR_FORMAT with the
 * cause in *skip and a sentence in why (e.g. "truncated IPv4 header: 14 of
 * 20 bytes"); why and skip may be NULL.  Does not touch the thread's error
 * message (a skipped frame is not a failure of the caller).  out is fully
 * written on success, unspecified otherwise. */
baiot_status baiot_packet_decode(int linktype, const uint8_t *data, uint32_t caplen, uint32_t wirelen, double t,
                           ai_packet *out, packet_skip *skip, char *why, size_t whylen);

#endif
