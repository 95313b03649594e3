/*
 * nbaiot.h - the published facts of the N-BaIoT data set that the engine
 * carries: the 115 feature names in file order, the nine devices, the
 * three traffic families and the eleven (family, attack) situations, and
 * the published row count of every file.
 *
 * Labels are small integers: device 0..8 (UCI order, so the flat file
 * prefix i is device i-1), family 0..2, attack 0..10 where the attack code
 * names a (family, attack) pair and is the class of the 11class task.
 */
#ifndef BAIOT_NBAIOT_H
#define BAIOT_NBAIOT_H

#include "baiot/baiot.h"

#include <stdint.h>

BAIOT_BEGIN_DECLS

#define BAIOT_N_FEATURES 115
#define BAIOT_N_DEVICES 9
#define BAIOT_N_FAMILIES 3
#define BAIOT_N_ATTACKS 11

enum { BAIOT_FAMILY_BENIGN = 0, BAIOT_FAMILY_GAFGYT = 1, BAIOT_FAMILY_MIRAI = 2 };

/* The 115 feature names, in the column order of the UCI files. */
extern const char *const baiot_feature_names[BAIOT_N_FEATURES];
/* Device folder names, UCI order. */
extern const char *const baiot_device_names[BAIOT_N_DEVICES];
/* "benign", "gafgyt", "mirai". */
extern const char *const baiot_family_names[BAIOT_N_FAMILIES];
/* Attack code -> "benign", "gafgyt_combo", ..., "mirai_udpplain". */
extern const char *const baiot_attack_names[BAIOT_N_ATTACKS];
/* Attack code -> its family. */
extern const uint8_t baiot_attack_family[BAIOT_N_ATTACKS];
/* Attack code -> the short attack name used in file names ("tcp"). */
extern const char *const baiot_attack_short[BAIOT_N_ATTACKS];

/* Index of a device name (exact), or -1. */
int baiot_device_index(const char *name);
/* A device given as its UCI name or its flat index "1".."9"; -1 if neither. */
int baiot_device_parse(const char *text);

/* Marks the devices of a comma list of names or 1..9 indices in mask[9];
 * NULL, "" or "all" marks all nine.  Fails naming an unknown item. */
baiot_status baiot_devices_parse(const char *spec, int *mask);

/* Index of a feature name (exact), or -1. */
int baiot_feature_index(const char *name);
/* Attack code for (family, short attack name), or -1 (e.g. gafgyt "ack"). */
int baiot_attack_code(int family, const char *short_name);

/* Attack code of a full name ("benign", "gafgyt_tcp", "mirai_syn"), or -1. */
int baiot_attack_code_by_name(const char *name);

/* Published row count of the UCI file for (device, attack code); 0 when the
 * data set has no such file (no mirai files for devices 2 and 6). */
int64_t baiot_published_rows(int device, int attack);

BAIOT_END_DECLS
#endif
