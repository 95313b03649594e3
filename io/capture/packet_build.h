/*
 * packet_build.h - builds Ethernet frames from a short description, for
 * the traffic simulator's pcap output (and tests of the decoder).
 *
 * The frame is Ethernet II + (IPv4 | IPv6 | ARP) + (TCP | UDP | ICMP) with
 * valid lengths and IPv4/TCP/UDP/ICMP checksums, zero payload bytes up to
 * frame_len.  baiot_packet_decode() of the result gives back the same addresses,
 * ports and frame length.  Covered by tests/unit/test_packet.c.
 */
#ifndef BAIOT_IO_PACKET_BUILD_H
#define BAIOT_IO_PACKET_BUILD_H

#include <stddef.h>
#include <stdint.h>

typedef enum frame_proto {
    FRAME_TCP = 0,
    FRAME_UDP = 1,
    FRAME_ICMP = 2,
    FRAME_ARP = 3,
    FRAME_OTHER_IP = 4, /* an IP packet of another protocol (e.g. IGMP) */
    FRAME_NON_IP = 5    /* an Ethernet frame of another ethertype */
} frame_proto;

typedef struct frame_spec {
    uint8_t src_mac[6], dst_mac[6];
    uint8_t proto;        /* frame_proto */
    uint8_t ip_version;   /* 4 or 6; ignored for ARP and NON_IP */
    uint8_t src_ip[16], dst_ip[16]; /* IPv4 in the first 4 bytes */
    uint16_t src_port, dst_port;    /* TCP/UDP */
    uint8_t tcp_flags;    /* e.g. 0x02 SYN, 0x10 ACK */
    uint8_t ip_proto;     /* FRAME_OTHER_IP: the IP protocol number */
    uint16_t ethertype;   /* FRAME_NON_IP: the ethertype */
    uint32_t frame_len;   /* wanted frame length in bytes; raised to the
                             headers' minimum (and Ethernet's 60) */
} frame_spec;

#define FRAME_MAX_LEN 1514

/* Writes the frame into buf (cap >= FRAME_MAX_LEN) and returns its length
 * (min(max(frame_len, minimum), FRAME_MAX_LEN)). */
size_t baiot_frame_build(const frame_spec *spec, uint8_t *buf, size_t cap);

#endif
