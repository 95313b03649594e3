/*
 * bench/extractor.c - speed of the N-BaIoT feature extractor alone.
 *
 * Plays the simulator's traffic models for the chosen devices and scale,
 * decodes every frame into the extractor's packet records beforehand, then
 * times baiot_ai_process over them on one thread (one extractor per file, as in
 * synth and extract).  Prints packets per second per situation and overall.
 * Usage: build/bench_extractor [--devices LIST] [--scale S]   (default: the
 * Provision PT-737E camera at scale 1, 828,260 packets)
 */
#include "baiot/nbaiot.h"
#include "engine/traffic/synth_model.h"
#include "io/capture/packet_decode.h"
#include "io/capture/pcap_io.h"
#include "io/capture/afterimage.h"

#include <malloc.h>
#include <math.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct buf {
    ai_packet *p;
    int64_t n, cap;
} buf;

static void collect(void *user, const frame_spec *f, int64_t t_ns)
{
    buf *b = user;
    uint8_t frame[FRAME_MAX_LEN];
    char why[PACKET_WHY_MAX];
    packet_skip skip;
    size_t len = baiot_frame_build(f, frame, sizeof frame);
    int64_t sec = t_ns / 1000000000LL;
    uint32_t nsec = (uint32_t)(t_ns % 1000000000LL);
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 4096;
        b->p = realloc(b->p, (size_t)b->cap * sizeof *b->p);
    }
    if (baiot_packet_decode(DLT_EN10MB, frame, (uint32_t)len, (uint32_t)len, baiot_pcap_time(sec, nsec), &b->p[b->n], &skip,
                      why, sizeof why) == BAIOT_OK)
        b->n++;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    /* as the baiot program does: large tables stay on the heap */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    const char *devices = "5";
    double scale = 1.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--devices"))
            devices = argv[i + 1];
        else if (!strcmp(argv[i], "--scale"))
            scale = atof(argv[i + 1]);
    }
    int mask[BAIOT_N_DEVICES] = {0};
    for (const char *p = devices; *p; p++)
        if (*p >= '1' && *p <= '9')
            mask[*p - '1'] = 1;
    double total_t = 0;
    int64_t total_n = 0;
    double out[AI_N_FEATURES], sink = 0;
    printf("%-40s %-16s %10s %10s %12s\n", "device", "situation", "packets", "seconds", "packets/s");
    for (int d = 0; d < BAIOT_N_DEVICES; d++) {
        if (!mask[d])
            continue;
        for (int a = 0; a < BAIOT_N_ATTACKS; a++) {
            int64_t rows = llround((double)baiot_published_rows(d, a) * scale);
            if (rows < 1)
                continue;
            synth_model m;
            buf b = {0};
            baiot_synth_model_get(d, a, &m);
            if (baiot_synth_generate(&m, d, rows, baiot_synth_start_ns(d, a), 1, collect, &b)) {
                fprintf(stderr, "generation failed: %s\n", baiot_last_error());
                return 1;
            }
            ai_extractor *ai;
            if (baiot_ai_create(NULL, &ai))
                return 1;
            double t0 = now();
            for (int64_t i = 0; i < b.n; i++) {
                baiot_ai_process(ai, &b.p[i], out);
                sink += out[0];
            }
            double dt = now() - t0;
            baiot_ai_free(ai);
            printf("%-40s %-16s %10lld %10.3f %12.0f\n", baiot_device_names[d], baiot_attack_names[a], (long long)b.n,
                   dt, (double)b.n / dt);
            total_t += dt;
            total_n += b.n;
            free(b.p);
        }
    }
    printf("%-57s %10lld %10.3f %12.0f   (one thread; checksum %g)\n", "all", (long long)total_n, total_t,
           (double)total_n / total_t, sink);
    return 0;
}
