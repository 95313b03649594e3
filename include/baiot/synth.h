/*
 * synth.h - the traffic simulator: packets of the nine N-BaIoT devices in
 * their eleven situations, played through the real N-BaIoT feature
 * extractor into a store (and optionally UCI-layout CSVs and pcaps).
 *
 * At scale 1 every (device, family, attack) gets exactly the row count of
 * the published UCI file (7,062,606 rows in all); scale multiplies them.
 * Output depends only on (devices, scale, seed): files are simulated in
 * parallel but written in a fixed order.
 */
#ifndef BAIOT_SYNTH_H
#define BAIOT_SYNTH_H

#include "baiot/baiot.h"

BAIOT_BEGIN_DECLS

typedef struct baiot_synth_params {
    const char *devices;  /* comma list of names or 1..9; NULL or "all" = all nine */
    double scale;         /* row-count multiplier, > 0 */
    uint64_t seed;
    const char *csv_dir;  /* also write the UCI folder layout here (NULL: no) */
    const char *pcap_dir; /* also write one pcap per file here (NULL: no) */
    int only_attack;      /* -1: every situation; else one attack code (tests, calibration) */
} baiot_synth_params;

baiot_synth_params baiot_synth_params_default(void);

typedef struct baiot_synth_result {
    int files;
    int64_t rows;
    int64_t packets;
} baiot_synth_result;

/* Simulates into the store at path (through a temporary file renamed on
 * success).  out may be NULL. */
baiot_status baiot_synth(const char *store_path, const baiot_synth_params *params, baiot_synth_result *out);

BAIOT_END_DECLS
#endif
