/*
 * bulk_devices.h - which devices a bulk run covers, shared by the study's
 * bulk (bulk.c, where it is defined) and the detectors' (bulk_detect.c).
 * Covered by tests/cli/test_study.py and tests/cli/test_bulk_detect.py.
 */
#ifndef BAIOT_ENGINE_STUDY_BULK_DEVICES_H
#define BAIOT_ENGINE_STUDY_BULK_DEVICES_H

#include "baiot/baiot.h"

/* The devices to run, in UCI order, into mask[BAIOT_N_DEVICES]: those of
 * the list (names or 1..9), or with NULL / "all" every device with rows in
 * the store. */
baiot_status baiot_bulk_device_mask(const char *store_path, const char *devices, int *mask);

#endif
