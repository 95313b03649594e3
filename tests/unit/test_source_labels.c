/*
 * test_source_labels.c - unit tests of labelling sources from their names
 * (io/sources/source_labels.c).
 *
 * Infers device, family and attack code (0 benign, 1..5 gafgyt combo junk
 * scan tcp udp, 6..10 mirai ack scan syn udp udpplain) from UCI folder
 * layouts (Danmini_Doorbell/gafgyt_attacks/tcp.csv), archive members
 * (mirai_attacks.rar holding udpplain.csv), the flat copy
 * (3.gafgyt.combo.csv) and archives named like it; "scan" belongs to both
 * families and is told apart by the folder.  Refuses with BAIOT_ERR_ARG,
 * naming the source, an unknown name, a missing device, a mirai-only attack
 * under gafgyt and a family without its attack; checks that forced labels
 * (params.device, family, attack) label any name.  Also the --device
 * argument by index and by name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "baiot/nbaiot.h"
#include "io/sources/source_labels.h"

#include <stdio.h>
#include <string.h>

/* ---- helpers ---- */

static void expect_labels(const char *path, const char *member, const baiot_ingest_params *params, int device,
                          int family, int attack)
{
    source_labels out = {-9, -9, -9};
    baiot_status st = baiot_source_labels_infer(path, member, params, &out);
    if (st != BAIOT_OK || out.device != device || out.family != family || out.attack != attack)
        print_error("%s%s%s: status %d (%s), device %d family %d attack %d; expected %d %d %d\n", path,
                    member ? " : " : "", member ? member : "", (int)st, st ? baiot_last_error() : "", out.device,
                    out.family, out.attack, device, family, attack);
    assert_int_equal(st, BAIOT_OK);
    assert_int_equal(out.device, device);
    assert_int_equal(out.family, family);
    assert_int_equal(out.attack, attack);
    /* the code agrees with the published tables */
    assert_int_equal(baiot_attack_family[attack], family);
}

/* Expects BAIOT_ERR_ARG with every string of the NULL-terminated list in
 * the message. */
static void expect_refused(const char *path, const char *member, const baiot_ingest_params *params, ...)
{
    source_labels out = {-9, -9, -9};
    baiot_status st = baiot_source_labels_infer(path, member, params, &out);
    const char *msg = baiot_last_error();
    if (st != BAIOT_ERR_ARG)
        print_error("%s: status %d, labels %d %d %d\n", path, (int)st, out.device, out.family, out.attack);
    assert_int_equal(st, BAIOT_ERR_ARG);
    va_list ap;
    va_start(ap, params);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        if (!strstr(msg, want)) {
            print_error("%s: message '%s' lacks '%s'\n", path, msg, want);
            va_end(ap);
            fail();
        }
    va_end(ap);
}

/* ---- UCI layout ---- */

static void test_uci_folders(void **state)
{
    baiot_ingest_params p = baiot_ingest_params_default();
    expect_labels("/data/Danmini_Doorbell/benign_traffic.csv", NULL, &p, 0, 0, 0);
    expect_labels("/x/Provision_PT_737E_Security_Camera/gafgyt_attacks/tcp.csv", NULL, &p, 4, 1, 4);
    expect_labels("Philips_B120N10_Baby_Monitor/mirai_attacks/scan.csv", NULL, &p, 3, 2, 7);
    expect_labels("Philips_B120N10_Baby_Monitor/gafgyt_attacks/scan.csv", NULL, &p, 3, 1, 3);
    expect_labels("/x/SimpleHome_XCS7_1003_WHT_Security_Camera/mirai_attacks/udp.csv", NULL, &p, 8, 2, 9);
    expect_labels("/x/SimpleHome_XCS7_1002_WHT_Security_Camera/gafgyt_attacks/udp.csv", NULL, &p, 7, 1, 5);
    expect_labels("/x/Ennio_Doorbell/gafgyt_attacks/junk.csv", NULL, &p, 2, 1, 2);
    expect_labels("/x/Samsung_SNH_1011_N_Webcam/gafgyt_attacks/combo.csv", NULL, &p, 6, 1, 1);
    expect_labels("/x/Provision_PT_838_Security_Camera/mirai_attacks/ack.csv", NULL, &p, 5, 2, 6);
    expect_labels("/x/Ecobee_Thermostat/mirai_attacks/syn.csv", NULL, &p, 1, 2, 8);
    expect_labels("/x/Ecobee_Thermostat/mirai_attacks/udpplain.csv", NULL, &p, 1, 2, 10);
    /* every device folder, benign */
    for (int d = 0; d < BAIOT_N_DEVICES; d++) {
        char path[256];
        snprintf(path, sizeof path, "/data/N-BaIoT/%s/benign_traffic.csv", baiot_device_names[d]);
        expect_labels(path, NULL, &p, d, 0, 0);
    }
    /* an attack only one family has needs no family folder */
    expect_labels("/x/Danmini_Doorbell/tcp.csv", NULL, &p, 0, 1, 4);
    expect_labels("/x/Danmini_Doorbell/udpplain.csv", NULL, &p, 0, 2, 10);
    /* the nearest folder wins */
    expect_labels("/x/Danmini_Doorbell/Ecobee_Thermostat/mirai_attacks/ack.csv", NULL, &p, 1, 2, 6);
    expect_labels("/x/gafgyt_attacks/Danmini_Doorbell/mirai_attacks/scan.csv", NULL, &p, 0, 2, 7);
}

/* ---- archives ---- */

static void test_archives(void **state)
{
    baiot_ingest_params p = baiot_ingest_params_default();
    expect_labels("/x/Ecobee_Thermostat/mirai_attacks.rar", "udpplain.csv", &p, 1, 2, 10);
    expect_labels("/x/Ecobee_Thermostat/gafgyt_attacks.rar", "scan.csv", &p, 1, 1, 3);
    expect_labels("/x/Ecobee_Thermostat/mirai_attacks.rar", "scan.csv", &p, 1, 2, 7);
    expect_labels("/x/Provision_PT_737E_Security_Camera.gafgyt.tcp.zip", "tcp.csv", &p, 4, 1, 4);
    /* folders inside the archive count, nearest first */
    expect_labels("/x/N-BaIoT.zip", "Danmini_Doorbell/mirai_attacks/syn.csv", &p, 0, 2, 8);
    expect_labels("/x/Ecobee_Thermostat.7z", "Danmini_Doorbell/benign_traffic.csv", &p, 0, 0, 0);
    expect_labels("/x/Danmini_Doorbell.zip", "gafgyt_attacks/udp.csv", &p, 0, 1, 5);
}

/* ---- flat copy ---- */

static void test_flat_names(void **state)
{
    baiot_ingest_params p = baiot_ingest_params_default();
    expect_labels("/x/3.gafgyt.combo.csv", NULL, &p, 2, 1, 1);
    expect_labels("/x/9.mirai.syn.csv", NULL, &p, 8, 2, 8);
    expect_labels("/x/1.benign.csv", NULL, &p, 0, 0, 0);
    expect_labels("5.mirai.scan.csv", NULL, &p, 4, 2, 7);
    expect_labels("/x/5.gafgyt.scan.csv", NULL, &p, 4, 1, 3);
    expect_labels("/x/7.gafgyt.udp.csv", NULL, &p, 6, 1, 5);
    expect_labels("/x/2.mirai.udpplain.csv", NULL, &p, 1, 2, 10);
    /* a flat archive holding a flat name */
    expect_labels("/x/4.mirai.zip", "4.mirai.ack.csv", &p, 3, 2, 6);
}

/* ---- refusals ---- */

static void test_refused(void **state)
{
    baiot_ingest_params p = baiot_ingest_params_default();
    /* the CSV name must be made of known tokens */
    expect_refused("weird.csv", NULL, &p, "weird.csv", "'weird'", "accepted names", "Danmini_Doorbell", "udpplain",
                   NULL);
    expect_refused("/x/Danmini_Doorbell/gafgyt_attacks/tcp_2.csv", NULL, &p, "tcp_2.csv", "'tcp_2'",
                   "accepted names", NULL);
    expect_refused("/x/Ecobee_Thermostat/mirai_attacks.rar", "notes.csv", &p, "mirai_attacks.rar", "notes.csv",
                   "'notes'", "accepted names", NULL);
    /* no device */
    expect_refused("/x/gafgyt_attacks/tcp.csv", NULL, &p, "/x/gafgyt_attacks/tcp.csv", "device", "accepted names",
                   NULL);
    /* a mirai-only attack under gafgyt */
    expect_refused("/x/1.gafgyt.ack.csv", NULL, &p, "/x/1.gafgyt.ack.csv", "'ack'", "gafgyt", "accepted names",
                   NULL);
    expect_refused("/x/Danmini_Doorbell/gafgyt_attacks/syn.csv", NULL, &p, "syn.csv", "'syn'", "gafgyt", NULL);
    /* a gafgyt-only attack under mirai */
    expect_refused("/x/2.mirai.combo.csv", NULL, &p, "/x/2.mirai.combo.csv", "'combo'", "mirai", NULL);
    /* a family without its attack */
    expect_refused("/x/1.gafgyt.csv", NULL, &p, "/x/1.gafgyt.csv", "attack", NULL);
    /* an attack both families have, and no family */
    expect_refused("/x/1.scan.csv", NULL, &p, "/x/1.scan.csv", "family", NULL);
    /* a device index that is not a flat prefix (first token only) */
    expect_refused("/x/gafgyt.3.tcp.csv", NULL, &p, "'3'", NULL);
}

/* ---- forced labels ---- */

static void test_overrides(void **state)
{
    baiot_ingest_params p = baiot_ingest_params_default();
    expect_refused("/x/capture.csv", NULL, &p, "capture.csv", NULL);

    p.device = 6;
    p.family = BAIOT_FAMILY_GAFGYT;
    p.attack = "tcp";
    expect_labels("/x/capture.csv", NULL, &p, 6, 1, 4);
    expect_labels("/x/Danmini_Doorbell/mirai_attacks/ack.csv", NULL, &p, 6, 1, 4); /* forced labels win */
    expect_labels("/x/whatever.zip", "inner.csv", &p, 6, 1, 4);

    p = baiot_ingest_params_default();
    p.device = 2;
    p.family = BAIOT_FAMILY_BENIGN; /* benign needs no attack */
    expect_labels("/x/capture.csv", NULL, &p, 2, 0, 0);

    /* a forced device completes a name without one */
    p = baiot_ingest_params_default();
    p.device = 0;
    expect_labels("/x/gafgyt_attacks/tcp.csv", NULL, &p, 0, 1, 4);
    expect_labels("/x/3.mirai.ack.csv", NULL, &p, 0, 2, 6);

    /* a forced family and attack relabel a UCI file */
    p = baiot_ingest_params_default();
    p.family = BAIOT_FAMILY_MIRAI;
    p.attack = "scan";
    expect_labels("/x/Danmini_Doorbell/gafgyt_attacks/scan.csv", NULL, &p, 0, 2, 7);

    /* a forced attack the family lacks is refused */
    p = baiot_ingest_params_default();
    p.device = 1;
    p.family = BAIOT_FAMILY_GAFGYT;
    p.attack = "ack";
    expect_refused("/x/capture.csv", NULL, &p, "capture.csv", "'ack'", NULL);
}

/* A folder named with one digit (a run or date folder) is not a device
 * index: only a CSV's or archive's own name may carry the flat prefix. */
static void test_digit_folders(void **state)
{
    (void)state;
    baiot_ingest_params p = baiot_ingest_params_default();
    expect_refused("/runs/1/benign_traffic.csv", NULL, &p, "cannot tell the device", NULL);
    expect_refused("/x/7/gafgyt_attacks/tcp.csv", NULL, &p, "cannot tell the device", NULL);
    expect_labels("/x/7/3.gafgyt_attacks.rar", "tcp.csv", &p, 2, 1, 4);
    expect_refused("/x/1.gafgyt.csv", NULL, &p, "cannot tell the gafgyt attack", "accepted names", NULL);
    expect_refused("/x/1.scan.csv", NULL, &p, "cannot tell the family", "accepted names", NULL);
}

static void test_device_arg(void **state)
{
    for (int d = 0; d < BAIOT_N_DEVICES; d++) {
        char idx[16];
        snprintf(idx, sizeof idx, "%d", d + 1);
        assert_int_equal(baiot_device_parse(idx), d);
        assert_int_equal(baiot_device_parse(baiot_device_names[d]), d);
    }
    assert_int_equal(baiot_device_parse("5"), 4);
    assert_int_equal(baiot_device_parse("Provision_PT_737E_Security_Camera"), 4);
    assert_int_equal(baiot_device_parse("0"), -1);
    assert_int_equal(baiot_device_parse("10"), -1);
    assert_int_equal(baiot_device_parse(""), -1);
    assert_int_equal(baiot_device_parse("danmini_doorbell"), -1);
    assert_int_equal(baiot_device_parse("Danmini"), -1);
    assert_int_equal(baiot_device_parse("5x"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uci_folders),
        cmocka_unit_test(test_archives),
        cmocka_unit_test(test_flat_names),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_device_arg),
        cmocka_unit_test(test_digit_folders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
