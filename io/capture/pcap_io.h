/*
 * pcap_io.h - reading pcap/pcapng captures and writing pcap files, with
 * libpcap, at nanosecond precision.
 *
 * Reading: pcap (microsecond or nanosecond magic, either byte order) and
 * pcapng; times always come back as (seconds, nanoseconds).  The reader
 * hashes the file's bytes as libpcap reads them (SHA-256, one pass), so a
 * store can record which capture its rows came from.
 *
 * Writing: a classic pcap with the nanosecond magic, link type Ethernet,
 * snap length 65535, at a temporary name renamed into place by
 * baiot_pcap_writer_commit (io/files/atomic_file.h): the file appears complete or not
 * at all.
 *
 * baiot_pcap_time() is THE conversion of a capture time to the extractor's t;
 * everyone (extract, the traffic simulator) calls it so the same capture
 * gives bit-identical features.
 *
 * Readers and writers are single-threaded objects; separate ones may be
 * used on separate threads.
 * Covered by tests/unit/test_packet.c and tests/cli/test_extract.py.
 */
#ifndef BAIOT_IO_PCAP_IO_H
#define BAIOT_IO_PCAP_IO_H

#include "baiot/baiot.h"

#include <stdint.h>

/* (double)sec + (double)nsec * 1e-9, evaluated as two separately rounded
 * operations (never fused), in one compiled place. */
double baiot_pcap_time(int64_t sec, uint32_t nsec);

/* ------------------------------------------------------------ reading */

typedef struct pcap_reader pcap_reader;

/* One packet; data is a view valid until the next pcap_reader_next. */
typedef struct pcap_record {
    const uint8_t *data;
    uint32_t caplen;  /* bytes in data */
    uint32_t wirelen; /* bytes on the wire */
    int64_t sec;
    uint32_t nsec;
    int64_t number;   /* 1-based position in the file */
} pcap_record;

/* Opens a capture.  Fails (naming the file) when it cannot be opened, is
 * empty, does not start with a pcap/pcapng magic number, or libpcap
 * refuses its header (e.g. a truncated file header). */
baiot_status baiot_pcap_reader_open(const char *path, pcap_reader **out);

/* The capture's link type (a DLT_ value) and its libpcap name ("EN10MB";
 * "DLT <n>" when libpcap has none).  The name is borrowed from the reader. */
int baiot_pcap_reader_linktype(const pcap_reader *r);
const char *baiot_pcap_reader_linktype_name(const pcap_reader *r);
/* libpcap's description of the link type ("Ethernet"), or "". */
const char *baiot_pcap_reader_linktype_text(const pcap_reader *r);

/* Reads the next packet into rec: *got = 1, or *got = 0 at the end of the
 * file.  A damaged record (e.g. truncated) fails with a message naming the
 * file and the packet number. */
baiot_status baiot_pcap_reader_next(pcap_reader *r, pcap_record *rec, int *got);

/* After the last packet: the file's SHA-256 as 64 hex digits + NUL in hex
 * (reads any bytes libpcap left, so the digest covers the whole file). */
baiot_status baiot_pcap_reader_sha256(pcap_reader *r, char hex[65]);

/* Bytes of the file read so far. */
int64_t baiot_pcap_reader_bytes(const pcap_reader *r);

void baiot_pcap_reader_close(pcap_reader *r);

/* ------------------------------------------------------------ writing */

typedef struct pcap_writer pcap_writer;

/* Starts a nanosecond pcap (Ethernet, snap length 65535) that will appear
 * at path on commit. */
baiot_status baiot_pcap_writer_create(const char *path, pcap_writer **out);

/* Appends one frame: caplen bytes of data, wirelen on the wire (>= caplen),
 * time sec + nsec (0 <= sec < 2^32, nsec < 1e9: what the format holds). */
baiot_status baiot_pcap_writer_write(pcap_writer *w, int64_t sec, uint32_t nsec, const uint8_t *data, uint32_t caplen,
                               uint32_t wirelen);

/* Flushes, closes and renames the file into place; frees w (also on
 * failure, when the temporary file is removed). */
baiot_status baiot_pcap_writer_commit(pcap_writer *w);

/* Removes the temporary file; frees w.  NULL is a no-op. */
void baiot_pcap_writer_abort(pcap_writer *w);

#endif
