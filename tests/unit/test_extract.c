/*
 * test_extract.c - capture -> features (engine/traffic/extract.c with
 * io/capture): a tiny capture written here with the packet builder and the
 * pcap writer (TCP, UDP, ICMP over IPv4 and IPv6, ARP, between a few hosts,
 * times rising by uneven steps) is extracted to CSV:
 *   - the header is the 115 feature names, CRLF line ends;
 *   - one row per packet (none of these frames is skipped), 115 fields
 *     each, all finite numbers;
 *   - extracting twice gives byte-identical files;
 *   - a store written from the same capture holds the same values, bit for
 *     bit (the CSV numbers round-trip) under the labels given;
 *   - a store without labels is refused before any work; a file that is
 *     not a capture fails and leaves no output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/extract.h"
#include "baiot/nbaiot.h"
#include "baiot/view.h"
#include "io/capture/packet_build.h"
#include "io/capture/pcap_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_PACKETS 60

#define UNIT_TMP_PREFIX "test_extract_"
#include "unit_testlib.h"

static void write_capture(const char *path)
{
    pcap_writer *w = NULL;
    assert_int_equal(baiot_pcap_writer_create(path, &w), BAIOT_OK);
    uint8_t buf[FRAME_MAX_LEN];
    int64_t sec = 1500000000;
    uint32_t nsec = 0;
    for (int i = 0; i < N_PACKETS; i++) {
        frame_spec s;
        memset(&s, 0, sizeof s);
        int a = i % 3, b = (i / 3) % 4; /* three sources, four destinations */
        for (int j = 0; j < 6; j++) {
            s.src_mac[j] = (uint8_t)(0x10 + a + j);
            s.dst_mac[j] = (uint8_t)(0x40 + b + j);
        }
        s.proto = (uint8_t)(i % 7 == 6 ? FRAME_ARP : i % 5 == 4 ? FRAME_ICMP : i % 2 ? FRAME_UDP : FRAME_TCP);
        s.ip_version = i % 4 == 3 ? 6 : 4;
        s.src_ip[0] = 192;
        s.src_ip[1] = 168;
        s.src_ip[3] = (uint8_t)(10 + a);
        s.dst_ip[0] = 10;
        s.dst_ip[3] = (uint8_t)(20 + b);
        if (s.ip_version == 6) {
            s.src_ip[0] = s.dst_ip[0] = 0xfe;
            s.src_ip[1] = s.dst_ip[1] = 0x80;
            s.src_ip[15] = (uint8_t)(10 + a);
            s.dst_ip[15] = (uint8_t)(20 + b);
        }
        s.src_port = (uint16_t)(40000 + a);
        s.dst_port = (uint16_t)(b % 2 ? 23 : 80);
        s.tcp_flags = i % 3 ? 0x10 : 0x02;
        s.frame_len = (uint32_t)(60 + (i * 37) % 900);
        size_t len = baiot_frame_build(&s, buf, sizeof buf);
        assert_true(len >= 42 && len <= FRAME_MAX_LEN);
        assert_int_equal(baiot_pcap_writer_write(w, sec, nsec, buf, (uint32_t)len, (uint32_t)len), BAIOT_OK);
        nsec += (uint32_t)(1000 + (i * 7919) % 300000000);
        if (nsec >= 1000000000u) {
            nsec -= 1000000000u;
            sec++;
        }
    }
    assert_int_equal(baiot_pcap_writer_commit(w), BAIOT_OK);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return s;
}

static void test_csv(void **state)
{
    (void)state;
    char cap[128], out1[128], out2[128], store[128];
    snprintf(cap, sizeof cap, "%s/tiny.pcap", unit_tmp_dir);
    snprintf(out1, sizeof out1, "%s/one.csv", unit_tmp_dir);
    snprintf(out2, sizeof out2, "%s/two.csv", unit_tmp_dir);
    snprintf(store, sizeof store, "%s/tiny.h5", unit_tmp_dir);
    write_capture(cap);

    baiot_extract_result r1, r2;
    assert_int_equal(baiot_extract(cap, out1, NULL, &r1), BAIOT_OK);
    assert_int_equal(baiot_extract(cap, out2, NULL, &r2), BAIOT_OK);
    assert_int_equal(r1.packets, N_PACKETS);
    assert_int_equal(r1.rows, N_PACKETS);
    assert_int_equal(r1.skipped, 0);
    assert_string_equal(r1.linktype, "EN10MB");
    assert_int_equal(r2.rows, r1.rows);

    size_t n1, n2;
    char *c1 = slurp(out1, &n1), *c2 = slurp(out2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(c1, c2, n1);

    /* header */
    char *line = c1, *end = strstr(line, "\r\n");
    assert_non_null(end);
    *end = 0;
    char *tok = line;
    for (int j = 0; j < BAIOT_N_FEATURES; j++) {
        char *comma = strchr(tok, ',');
        if (j < BAIOT_N_FEATURES - 1) {
            assert_non_null(comma);
            *comma = 0;
        } else {
            assert_null(comma);
        }
        assert_string_equal(tok, baiot_feature_names[j]);
        tok = comma ? comma + 1 : NULL;
    }

    /* rows: 115 finite numbers each; kept for the store comparison */
    double *vals = malloc((size_t)N_PACKETS * BAIOT_N_FEATURES * sizeof *vals);
    int rows = 0;
    line = end + 2;
    while (*line) {
        end = strstr(line, "\r\n");
        assert_non_null(end);
        *end = 0;
        assert_true(rows < N_PACKETS);
        char *p = line;
        for (int j = 0; j < BAIOT_N_FEATURES; j++) {
            char *q;
            double v = strtod(p, &q);
            assert_true(q != p);
            assert_true(isfinite(v));
            vals[rows * BAIOT_N_FEATURES + j] = v;
            if (j < BAIOT_N_FEATURES - 1)
                assert_int_equal(*q, ',');
            else
                assert_int_equal(*q, 0);
            p = q + 1;
        }
        rows++;
        line = end + 2;
    }
    assert_int_equal(rows, N_PACKETS);

    /* the same capture into a store, labelled */
    baiot_extract_params p = baiot_extract_params_default();
    assert_int_equal(baiot_extract_check(store, &p), BAIOT_ERR_ARG); /* no labels */
    p.device = 4;
    p.family = BAIOT_FAMILY_GAFGYT;
    p.attack = "tcp";
    assert_int_equal(baiot_extract_check(store, &p), BAIOT_OK);
    assert_int_equal(baiot_extract(cap, store, &p, NULL), BAIOT_OK);
    baiot_view_params vp = baiot_view_params_default();
    vp.task = BAIOT_TASK_11CLASS;
    baiot_view *v = NULL;
    assert_int_equal(baiot_view_load_store(store, &vp, &v), BAIOT_OK);
    assert_int_equal(v->n_rows, N_PACKETS);
    assert_int_equal(v->n_cols, BAIOT_N_FEATURES);
    int code = baiot_attack_code(BAIOT_FAMILY_GAFGYT, "tcp");
    for (int64_t r = 0; r < v->n_rows; r++) {
        assert_int_equal(v->y[r], code);
        for (int j = 0; j < BAIOT_N_FEATURES; j++)
            assert_memory_equal(&v->cols[j][r], &vals[r * BAIOT_N_FEATURES + j], sizeof(double));
    }
    baiot_view_free(v);
    free(vals);
    free(c1);
    free(c2);
}

static void test_not_a_capture(void **state)
{
    (void)state;
    char bad[128], out[128];
    snprintf(bad, sizeof bad, "%s/bad.pcap", unit_tmp_dir);
    snprintf(out, sizeof out, "%s/bad.csv", unit_tmp_dir);
    FILE *f = fopen(bad, "wb");
    assert_non_null(f);
    fputs("this is not a capture file at all, just some text\n", f);
    fclose(f);
    baiot_extract_result r;
    assert_int_not_equal(baiot_extract(bad, out, NULL, &r), BAIOT_OK);
    assert_int_equal(access(out, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_not_a_capture),
    };
    return cmocka_run_group_tests(tests, unit_tmp_setup, unit_tmp_teardown);
}
