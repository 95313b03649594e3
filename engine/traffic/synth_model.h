/*
 * synth_model.h - packet-level traffic models of the nine N-BaIoT devices
 * in their eleven situations (benign; BASHLITE combo, junk, scan, tcp, udp;
 * Mirai ack, scan, syn, udp, udpplain), and the generator that plays one
 * of them as a time-ordered packet stream.
 *
 * A model is a small set of components (floods, scans, client sessions,
 * video streams, local chatter) each with rates, on/off bursts, sizes,
 * peers, ports and replies; docs/SIMULATOR.md describes them and what they
 * were calibrated on.  The generator is deterministic for (model, seed).
 * Covered by tests/cli/test_synth.py and
 * tests/cli/test_extractor_invariants.py.
 */
#ifndef BAIOT_ENGINE_SYNTH_MODEL_H
#define BAIOT_ENGINE_SYNTH_MODEL_H

#include "baiot/baiot.h"
#include "io/capture/packet_build.h"

#define SYNTH_MAX_COMPONENTS 6

typedef enum comp_kind {
    COMP_NONE = 0,
    COMP_FLOOD,   /* device (or spoofed sources) -> a target, in bursts */
    COMP_SCAN,    /* device -> random addresses, each probed on a retry schedule */
    COMP_CLIENT,  /* device <-> peers: request/response sessions */
    COMP_STREAM,  /* device -> a server: a steady stream of large frames, ACKed */
    COMP_LOCAL    /* local chatter: ARP, multicast discovery, DNS/NTP */
} comp_kind;

typedef struct comp_params {
    comp_kind kind;
    double rate;        /* events per second while on (packets, probes or sessions) */
    double on_mean;     /* mean on period, s (exponential); 0 = always on */
    double off_mean;    /* mean off period, s */
    uint8_t proto;      /* frame_proto of the main packets */
    uint8_t tcp_flags;
    uint8_t spoof;      /* FLOOD: a random source address per packet */
    uint8_t retarget;   /* FLOOD: a new target at each burst */
    double keep_socket_p; /* FLOOD: share of packets sent on the burst's one socket */
    uint16_t dst_port;  /* 0: random per packet (FLOOD) or per session */
    double size, size_sd;       /* frame size of the main packets */
    double alt_size, alt_p;     /* with probability alt_p the size is alt_size instead */
    double alt_every;           /* SCAN: instead, every alt_every-th probe on average, at bounded gaps */
    double reply_p;             /* probability of a reply to a packet / probe / request */
    double reply_size, reply_sd;
    double reply_delay;         /* mean reply delay, s */
    uint8_t reply_proto;        /* frame_proto of replies (same socket when equal to proto) */
    int n_peers;                /* CLIENT/STREAM: distinct peers */
    double exchanges;           /* CLIENT: mean request/response exchanges per session */
    double gap;                 /* CLIENT: mean gap between exchanges, s */
    double burst;               /* CLIENT: mean packets per request (and per reply) */
    double attempts;            /* SCAN: mean probes per address (retries 1, 3, 7, 15 s later) */
    uint8_t gated;              /* sends only while component 0 is in a burst (one process's packets) */
} comp_params;

typedef struct synth_model {
    comp_params comps[SYNTH_MAX_COMPONENTS];
    int n_comps;
} synth_model;

/* The model of device d (0..8) in situation a (attack code 0..10). */
void baiot_synth_model_get(int device, int attack, synth_model *out);

/* Start time (Unix ns) of the capture of device d in situation a: within
 * the real data's capture period (September/October 2017). */
int64_t baiot_synth_start_ns(int device, int attack);

/* Receives each packet; t_ns is its capture time in Unix nanoseconds. */
typedef void (*synth_packet_fn)(void *user, const frame_spec *frame, int64_t t_ns);

/* Plays model m for exactly n packets from start_ns, deterministically for
 * seed.  Returns BAIOT_ERR_MEMORY if its event queue cannot grow. */
baiot_status baiot_synth_generate(const synth_model *m, int device, int64_t n, int64_t start_ns, uint64_t seed,
                            synth_packet_fn fn, void *user);

#endif
