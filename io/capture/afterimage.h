/*
 * afterimage.h - the N-BaIoT feature extractor: damped incremental
 * statistics over five stream families (Kitsune's AfterImage, as N-BaIoT's
 * files show it; /work/shared/reference/NBAIOT_FEATURES.md), 115
 * features per packet.
 *
 * One extractor holds the stream state of one capture; packets must be fed
 * in capture order.  Not thread-safe: use one extractor per capture (they
 * are independent, so captures can be processed in parallel).
 * Covered by tests/unit/test_afterimage.c, tests/unit/test_packet.c and
 * tests/cli/test_extractor_invariants.py.
 */
#ifndef BAIOT_KERNELS_AFTERIMAGE_H
#define BAIOT_KERNELS_AFTERIMAGE_H

#include "baiot/baiot.h"

#define AI_N_FEATURES 115
#define AI_N_LAMBDAS 5

/* What the extractor needs of a packet (decoded by io/packet_decode). */
typedef enum ai_addr_kind { AI_ADDR_IPV4 = 4, AI_ADDR_IPV6 = 6, AI_ADDR_MAC = 2 } ai_addr_kind;
typedef enum ai_port_kind { AI_PORT_NUMBER = 0, AI_PORT_ICMP = 1, AI_PORT_ARP = 2, AI_PORT_NONE = 3 } ai_port_kind;

typedef struct ai_addr {
    uint8_t kind;       /* ai_addr_kind */
    uint8_t bytes[16];  /* IPv4 in the first 4, MAC in the first 6 */
} ai_addr;

typedef struct ai_packet {
    double t;            /* capture time, Unix seconds */
    double size;         /* frame length in bytes */
    uint8_t src_mac[6];
    ai_addr src_ip, dst_ip;   /* for non-IP frames: the MACs (kind AI_ADDR_MAC) */
    uint8_t port_kind;        /* ai_port_kind */
    uint16_t src_port, dst_port;
} ai_packet;

typedef struct ai_params {
    /* Memory bound.  While the tables hold at most max_streams streams
     * nothing is ever dropped, so the features are exactly the damped
     * statistics of every stream seen (Kitsune's semantics).  Beyond that,
     * streams idle for longer than idle_cutoff seconds are dropped (checked
     * every sweep_every packets, or as many packets as there are streams);
     * a dropped stream that resumes starts as a new one (weight 1, mean x,
     * and for HH_jit the absolute-time first value) instead of carrying its
     * stale mean and variance.  idle_cutoff 0 never drops. */
    int64_t max_streams;
    double idle_cutoff;
    int64_t sweep_every;
} ai_params;

ai_params baiot_ai_params_default(void);

typedef struct ai_extractor ai_extractor;

baiot_status baiot_ai_create(const ai_params *params, ai_extractor **out);
void baiot_ai_free(ai_extractor *ai);

/* Updates the streams with packet p and writes its 115 features, in the
 * column order of the N-BaIoT files, to out. */
baiot_status baiot_ai_process(ai_extractor *ai, const ai_packet *p, double *out);

/* Live streams (all families), for memory accounting and tests. */
int64_t baiot_ai_live_streams(const ai_extractor *ai);

#endif
