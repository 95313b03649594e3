/*
 * pcap_live.h - live capture from a network interface through libpcap
 * (`baiot watch --interface`): pcap_create, promiscuous mode, snap length,
 * kernel buffer size, a 100 ms buffer timeout (so the caller regains
 * control at least ten times a second), nanosecond time stamps where the
 * system gives them, a BPF filter, and pcap_stats for drops.
 *
 * Guarantees: a missing interface, missing privileges (CAP_NET_RAW) or a
 * filter that does not compile fail with a message naming the interface
 * or the filter; records come back as pcap_io's pcap_record, so the
 * decoding and the extractor see exactly what a capture file would give.
 * Single-threaded object.  Covered by tests/cli/test_watch.py.
 */
#ifndef BAIOT_IO_PCAP_LIVE_H
#define BAIOT_IO_PCAP_LIVE_H

#include "baiot/baiot.h"
#include "io/capture/pcap_io.h"

typedef struct pcap_live pcap_live;

baiot_status baiot_pcap_live_open(const char *iface, const char *filter, int snaplen, int buffer_size, int promisc,
                                  pcap_live **out);
int baiot_pcap_live_linktype(const pcap_live *l);
const char *baiot_pcap_live_linktype_name(const pcap_live *l);
/* The next packet: *got 1, or 0 when the buffer timeout expired first. */
baiot_status baiot_pcap_live_next(pcap_live *l, pcap_record *rec, int *got);
/* Packets dropped so far (kernel + interface, from pcap_stats). */
int64_t baiot_pcap_live_dropped(pcap_live *l);
void baiot_pcap_live_close(pcap_live *l);

#endif
