/*
 * test_afterimage.c - the feature extractor's memory bound.
 *
 * Two extractors see the same packets: one never drops a stream, the other
 * sweeps after every packet (max_streams 0, idle cutoff 10 s).  Hosts of a
 * "dead" group talk once and fall silent; hosts of a "live" group keep
 * talking every 0.5 s.  Checks: the sweeping extractor's tables shrink to the
 * live streams (memory bounded), every packet of live streams gets exactly
 * the same 115 features from both, and a dead stream that comes back starts
 * as a new stream (weight 1, mean = its size, variance 0; HH_jit = the
 * absolute time).  Also: with the default parameters nothing is dropped for
 * a capture far below the 4-million-stream bound.  And: the entries of
 * swept streams are handed to new streams (the tables keep entries in
 * chunks and reuse freed ones), which must start exactly as in a fresh
 * extractor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/capture/afterimage.h"

#include <string.h>

static ai_packet packet(double t, int src, int dst, double size)
{
    ai_packet p;
    memset(&p, 0, sizeof p);
    p.t = t;
    p.size = size;
    p.src_mac[5] = (uint8_t)src;
    p.src_ip.kind = AI_ADDR_IPV4;
    p.dst_ip.kind = AI_ADDR_IPV4;
    p.src_ip.bytes[0] = 10;
    p.src_ip.bytes[3] = (uint8_t)src;
    p.dst_ip.bytes[0] = 10;
    p.dst_ip.bytes[3] = (uint8_t)dst;
    p.port_kind = AI_PORT_NUMBER;
    p.src_port = (uint16_t)(40000 + src);
    p.dst_port = (uint16_t)(80 + dst);
    return p;
}

static void test_sweep_keeps_live_streams(void **state)
{
    (void)state;
    ai_params keep_all = baiot_ai_params_default(), sweeping = baiot_ai_params_default();
    keep_all.idle_cutoff = 0;
    sweeping.max_streams = 0;
    sweeping.idle_cutoff = 10;
    sweeping.sweep_every = 1;
    ai_extractor *a, *b;
    assert_int_equal(baiot_ai_create(&keep_all, &a), BAIOT_OK);
    assert_int_equal(baiot_ai_create(&sweeping, &b), BAIOT_OK);
    double fa[AI_N_FEATURES], fb[AI_N_FEATURES];
    double t0 = 1505913000.0;
    int live_checked = 0;

    /* dead hosts 100..139 talk once */
    for (int h = 100; h < 140; h++) {
        ai_packet p = packet(t0 + 0.01 * (h - 100), h, h + 1, 60 + h);
        baiot_ai_process(a, &p, fa);
        baiot_ai_process(b, &p, fb);
        assert_memory_equal(fa, fb, sizeof fa);
    }
    /* live hosts 1..8 talk to each other for 60 s */
    for (int step = 0; step < 120; step++) {
        for (int h = 1; h <= 8; h++) {
            double t = t0 + 1.0 + 0.5 * step + 0.01 * h;
            ai_packet p = packet(t, h, (h % 8) + 1, 100 + 7 * ((step + h) % 5));
            assert_int_equal(baiot_ai_process(a, &p, fa), BAIOT_OK);
            assert_int_equal(baiot_ai_process(b, &p, fb), BAIOT_OK);
            assert_memory_equal(fa, fb, sizeof fa); /* live streams: identical features */
            live_checked++;
        }
    }
    assert_true(live_checked == 960);
    /* the dead streams are gone from the sweeping extractor only */
    assert_true(baiot_ai_live_streams(b) < baiot_ai_live_streams(a));
    assert_true(baiot_ai_live_streams(a) - baiot_ai_live_streams(b) >= 40 * 5);

    /* a dead host comes back: a new stream for the sweeping extractor */
    double t = t0 + 70.0;
    ai_packet p = packet(t, 100, 101, 77);
    baiot_ai_process(b, &p, fb);
    for (int l = 0; l < AI_N_LAMBDAS; l++) {
        assert_true(fb[3 * l] == 1.0);        /* MI weight */
        assert_true(fb[3 * l + 1] == 77.0);   /* MI mean */
        assert_true(fb[3 * l + 2] == 0.0);    /* MI variance */
        assert_true(fb[65 + 3 * l + 1] == t); /* HH_jit: the absolute time */
    }
    baiot_ai_process(a, &p, fa);
    /* the keeping one remembers the old stream at the slow rate (lambda 0.01:
     * weight 1 + 2^(-0.01 * 70)) */
    assert_true(fa[12] > 1.5 && fa[12] < 1.7);
    assert_true(fa[13] != 77.0);
    baiot_ai_free(a);
    baiot_ai_free(b);
}

static void test_default_never_drops_small_captures(void **state)
{
    (void)state;
    ai_extractor *a;
    assert_int_equal(baiot_ai_create(NULL, &a), BAIOT_OK);
    double f[AI_N_FEATURES];
    /* 200,000 packets, one new host each (a spoofed flood), over 3 hours */
    for (int i = 0; i < 200000; i++) {
        ai_packet p = packet(1505913000.0 + 0.054 * i, 1, 2, 60);
        p.src_ip.bytes[1] = (uint8_t)(i >> 16);
        p.src_ip.bytes[2] = (uint8_t)(i >> 8);
        p.src_ip.bytes[3] = (uint8_t)i;
        assert_int_equal(baiot_ai_process(a, &p, f), BAIOT_OK);
        assert_true(f[0] == 1.0); /* each a new stream */
    }
    /* every packet made five new streams (MI, H, HH, HH_jit, HpHp); none dropped */
    assert_int_equal(baiot_ai_live_streams(a), 5 * 200000);
    baiot_ai_free(a);
}

static ai_packet numbered(double t, int host, double size)
{
    ai_packet p = packet(t, 1, 250, size);
    p.src_ip.bytes[1] = (uint8_t)(host >> 16);
    p.src_ip.bytes[2] = (uint8_t)(host >> 8);
    p.src_ip.bytes[3] = (uint8_t)host;
    p.src_mac[3] = (uint8_t)(host >> 16);
    p.src_mac[4] = (uint8_t)(host >> 8);
    p.src_mac[5] = (uint8_t)host;
    p.src_port = (uint16_t)(1024 + host % 60000);
    return p;
}

static void test_reused_entries_start_clean(void **state)
{
    (void)state;
    ai_params sweeping = baiot_ai_params_default();
    sweeping.max_streams = 0;
    sweeping.idle_cutoff = 10;
    sweeping.sweep_every = 1;
    ai_extractor *a, *fresh;
    assert_int_equal(baiot_ai_create(&sweeping, &a), BAIOT_OK);
    assert_int_equal(baiot_ai_create(NULL, &fresh), BAIOT_OK);
    double fa[AI_N_FEATURES], ff[AI_N_FEATURES];
    double t0 = 1505913000.0;
    /* 10,000 hosts talk once (50,000 streams: entries in a dozen chunks) */
    for (int h = 0; h < 10000; h++) {
        ai_packet p = numbered(t0 + 0.001 * h, h, 60 + h % 900);
        assert_int_equal(baiot_ai_process(a, &p, fa), BAIOT_OK);
    }
    int64_t peak = baiot_ai_live_streams(a);
    /* 100 s later 8,000 other hosts send 20 packets each: a sweep (once
     * the packets since the last outnumber the streams, after ~53,000)
     * frees the silent hosts' entries and the later new streams take them
     * over; each new host's streams are its own, so a fresh extractor gives
     * the same rows */
    for (int h = 0; h < 8000; h++)
        for (int k = 0; k < 20; k++) {
            ai_packet p = numbered(t0 + 100.0 + 0.01 * h + 0.0005 * k, 100000 + h, 70 + (h * 7 + k * 13) % 1400);
            assert_int_equal(baiot_ai_process(a, &p, fa), BAIOT_OK);
            assert_int_equal(baiot_ai_process(fresh, &p, ff), BAIOT_OK);
            assert_memory_equal(fa, ff, sizeof fa);
        }
    /* the silent hosts' streams were dropped (their entries reused) */
    assert_true(baiot_ai_live_streams(a) < peak + 5 * 8000 - 40000);
    baiot_ai_free(a);
    baiot_ai_free(fresh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reused_entries_start_clean),
        cmocka_unit_test(test_sweep_keeps_live_streams),
        cmocka_unit_test(test_default_never_drops_small_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
