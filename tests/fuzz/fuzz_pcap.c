/*
 * fuzz_pcap.c - libFuzzer harness for captures: the bytes as a pcap/pcapng
 * file read record by record (io/capture/pcap_io.c) with every frame decoded for
 * the file's link type (io/capture/packet_decode.c); and the bytes after the first
 * as one raw frame for the link type the first byte picks (Ethernet, raw
 * IP, Linux cooked, ...), so the decoder sees frames libpcap never checks.
 */
#include "fuzz_input.h"
#include "io/capture/packet_decode.h"
#include "io/capture/pcap_io.h"

#include <pcap/dlt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int linktypes[] = {DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, DLT_NULL, DLT_LOOP, DLT_IPV4, DLT_IPV6,
                                    DLT_LINUX_SLL2};
    ai_packet pkt;
    packet_skip skip;
    char why[128];
    if (size > 0) {
        int lt = linktypes[data[0] % (sizeof linktypes / sizeof *linktypes)];
        if (baiot_packet_decode_supported(lt))
            (void)baiot_packet_decode(lt, data + 1, (uint32_t)(size - 1), (uint32_t)(size - 1), 1.5, &pkt, &skip, why,
                                sizeof why);
    }
    const char *path = fuzz_write_file(data, size, ".pcap");
    pcap_reader *r = NULL;
    if (baiot_pcap_reader_open(path, &r) != BAIOT_OK)
        return 0;
    int lt = baiot_pcap_reader_linktype(r), got = 1;
    pcap_record rec;
    for (int n = 0; n < 100000 && got; n++) {
        if (baiot_pcap_reader_next(r, &rec, &got) != BAIOT_OK || !got)
            break;
        if (baiot_packet_decode_supported(lt))
            (void)baiot_packet_decode(lt, rec.data, rec.caplen, rec.wirelen, (double)rec.sec + 1e-9 * rec.nsec, &pkt,
                                &skip, why, sizeof why);
    }
    char hex[65];
    (void)baiot_pcap_reader_sha256(r, hex);
    baiot_pcap_reader_close(r);
    return 0;
}
