/*
 * nbaiot_names.c - the published facts of N-BaIoT (see nbaiot.h): feature
 * names in file order, device/family/attack names and the row count of each
 * of the 89 UCI files (7,062,606 rows in all).  Pure tables, no state.
 * Covered by tests/unit/test_source_labels.c, tests/cli/test_store_client.py
 * (names) and tests/cli/test_synth.py (row counts).
 */
#include "baiot/nbaiot.h"

#include <stdio.h>
#include <string.h>

const char *const baiot_feature_names[BAIOT_N_FEATURES] = {
    "MI_dir_L5_weight", "MI_dir_L5_mean", "MI_dir_L5_variance",
    "MI_dir_L3_weight", "MI_dir_L3_mean", "MI_dir_L3_variance",
    "MI_dir_L1_weight", "MI_dir_L1_mean", "MI_dir_L1_variance",
    "MI_dir_L0.1_weight", "MI_dir_L0.1_mean", "MI_dir_L0.1_variance",
    "MI_dir_L0.01_weight", "MI_dir_L0.01_mean", "MI_dir_L0.01_variance",
    "H_L5_weight", "H_L5_mean", "H_L5_variance",
    "H_L3_weight", "H_L3_mean", "H_L3_variance",
    "H_L1_weight", "H_L1_mean", "H_L1_variance",
    "H_L0.1_weight", "H_L0.1_mean", "H_L0.1_variance",
    "H_L0.01_weight", "H_L0.01_mean", "H_L0.01_variance",
    "HH_L5_weight", "HH_L5_mean", "HH_L5_std",
    "HH_L5_magnitude", "HH_L5_radius", "HH_L5_covariance",
    "HH_L5_pcc", "HH_L3_weight", "HH_L3_mean",
    "HH_L3_std", "HH_L3_magnitude", "HH_L3_radius",
    "HH_L3_covariance", "HH_L3_pcc", "HH_L1_weight",
    "HH_L1_mean", "HH_L1_std", "HH_L1_magnitude",
    "HH_L1_radius", "HH_L1_covariance", "HH_L1_pcc",
    "HH_L0.1_weight", "HH_L0.1_mean", "HH_L0.1_std",
    "HH_L0.1_magnitude", "HH_L0.1_radius", "HH_L0.1_covariance",
    "HH_L0.1_pcc", "HH_L0.01_weight", "HH_L0.01_mean",
    "HH_L0.01_std", "HH_L0.01_magnitude", "HH_L0.01_radius",
    "HH_L0.01_covariance", "HH_L0.01_pcc", "HH_jit_L5_weight",
    "HH_jit_L5_mean", "HH_jit_L5_variance", "HH_jit_L3_weight",
    "HH_jit_L3_mean", "HH_jit_L3_variance", "HH_jit_L1_weight",
    "HH_jit_L1_mean", "HH_jit_L1_variance", "HH_jit_L0.1_weight",
    "HH_jit_L0.1_mean", "HH_jit_L0.1_variance", "HH_jit_L0.01_weight",
    "HH_jit_L0.01_mean", "HH_jit_L0.01_variance", "HpHp_L5_weight",
    "HpHp_L5_mean", "HpHp_L5_std", "HpHp_L5_magnitude",
    "HpHp_L5_radius", "HpHp_L5_covariance", "HpHp_L5_pcc",
    "HpHp_L3_weight", "HpHp_L3_mean", "HpHp_L3_std",
    "HpHp_L3_magnitude", "HpHp_L3_radius", "HpHp_L3_covariance",
    "HpHp_L3_pcc", "HpHp_L1_weight", "HpHp_L1_mean",
    "HpHp_L1_std", "HpHp_L1_magnitude", "HpHp_L1_radius",
    "HpHp_L1_covariance", "HpHp_L1_pcc", "HpHp_L0.1_weight",
    "HpHp_L0.1_mean", "HpHp_L0.1_std", "HpHp_L0.1_magnitude",
    "HpHp_L0.1_radius", "HpHp_L0.1_covariance", "HpHp_L0.1_pcc",
    "HpHp_L0.01_weight", "HpHp_L0.01_mean", "HpHp_L0.01_std",
    "HpHp_L0.01_magnitude", "HpHp_L0.01_radius", "HpHp_L0.01_covariance",
    "HpHp_L0.01_pcc",
};

const char *const baiot_device_names[BAIOT_N_DEVICES] = {
    "Danmini_Doorbell",
    "Ecobee_Thermostat",
    "Ennio_Doorbell",
    "Philips_B120N10_Baby_Monitor",
    "Provision_PT_737E_Security_Camera",
    "Provision_PT_838_Security_Camera",
    "Samsung_SNH_1011_N_Webcam",
    "SimpleHome_XCS7_1002_WHT_Security_Camera",
    "SimpleHome_XCS7_1003_WHT_Security_Camera",
};

const char *const baiot_family_names[BAIOT_N_FAMILIES] = {"benign", "gafgyt", "mirai"};

const char *const baiot_attack_names[BAIOT_N_ATTACKS] = {
    "benign",
    "gafgyt_combo", "gafgyt_junk", "gafgyt_scan", "gafgyt_tcp", "gafgyt_udp",
    "mirai_ack", "mirai_scan", "mirai_syn", "mirai_udp", "mirai_udpplain",
};

const char *const baiot_attack_short[BAIOT_N_ATTACKS] = {
    "benign", "combo", "junk", "scan", "tcp", "udp", "ack", "scan", "syn", "udp", "udpplain",
};

const uint8_t baiot_attack_family[BAIOT_N_ATTACKS] = {0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2};

/* Rows of each UCI file, [device][attack code]; 0 = no such file. */
static const int64_t published_rows[BAIOT_N_DEVICES][BAIOT_N_ATTACKS] = {
    {49548, 59718, 29068, 29849, 92141, 105874, 102195, 107685, 122573, 237665, 81982},
    {13113, 53012, 30312, 27494, 95021, 104791, 113285, 43192, 116807, 151481, 87368},
    {39100, 53014, 29797, 28120, 101536, 103933, 0, 0, 0, 0, 0},
    {175240, 58152, 28349, 27859, 92581, 105782, 91123, 103621, 118128, 217034, 80808},
    {62154, 61380, 30898, 29297, 104510, 104011, 60554, 96781, 65746, 156248, 56681},
    {98514, 57530, 29068, 28397, 89387, 104658, 57997, 97096, 61851, 158608, 53785},
    {52150, 58669, 28305, 27698, 97783, 110617, 0, 0, 0, 0, 0},
    {46585, 54283, 28579, 27825, 88816, 103720, 111480, 45930, 125715, 151879, 78244},
    {19528, 59398, 27413, 28572, 98075, 102980, 107187, 43674, 122479, 157084, 84436},
};

int baiot_device_index(const char *name)
{
    for (int i = 0; i < BAIOT_N_DEVICES; i++)
        if (strcmp(name, baiot_device_names[i]) == 0)
            return i;
    return -1;
}

int baiot_device_parse(const char *text)
{
    int d = baiot_device_index(text);
    if (d < 0 && text[0] >= '1' && text[0] <= '9' && text[1] == '\0')
        d = text[0] - '1';
    return d;
}

baiot_status baiot_devices_parse(const char *spec, int *mask)
{
    int all = !spec || !*spec || strcmp(spec, "all") == 0;
    for (int d = 0; d < BAIOT_N_DEVICES; d++)
        mask[d] = all;
    if (all)
        return BAIOT_OK;
    for (const char *p = spec; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char item[128];
        snprintf(item, sizeof item, "%.*s", (int)n, p);
        int d = baiot_device_parse(item);
        if (d < 0)
            return baiot_fail(BAIOT_ERR_ARG, "unknown device '%s' (give a UCI device name or 1..9)", item);
        mask[d] = 1;
        p += n + (comma != NULL);
    }
    return BAIOT_OK;
}

int baiot_feature_index(const char *name)
{
    for (int i = 0; i < BAIOT_N_FEATURES; i++)
        if (strcmp(name, baiot_feature_names[i]) == 0)
            return i;
    return -1;
}

int baiot_attack_code(int family, const char *short_name)
{
    for (int a = 0; a < BAIOT_N_ATTACKS; a++)
        if (baiot_attack_family[a] == family && strcmp(baiot_attack_short[a], short_name) == 0)
            return a;
    return -1;
}

int baiot_attack_code_by_name(const char *name)
{
    for (int a = 0; a < BAIOT_N_ATTACKS; a++)
        if (strcmp(name, baiot_attack_names[a]) == 0)
            return a;
    return -1;
}

int64_t baiot_published_rows(int device, int attack)
{
    if (device < 0 || device >= BAIOT_N_DEVICES || attack < 0 || attack >= BAIOT_N_ATTACKS)
        return 0;
    return published_rows[device][attack];
}
