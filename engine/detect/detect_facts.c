/*
 * detect_facts.c - the published figures of N-BaIoT's detector (Meidan et
 * al., "N-BaIoT: Network-based Detection of IoT Botnet Attacks Using Deep
 * Autoencoders", IEEE Pervasive Computing 17(3), 2018, Table 2 and the
 * text; quoted in issue 18): per device the benign rows, training time,
 * learning rate, epochs, threshold tr* and window ws* of its deep
 * autoencoder, and the mean false positive rate over the nine devices.
 * detect.md quotes them beside a run's figures.  Facts, not results:
 * nothing here is computed.  Covered by tests/cli/test_detect.py (the
 * paper's row of the device appears in detect.md).
 */
#include "engine/detect/detect_internal.h"

#include <string.h>

static const detect_paper_row rows[] = {
    {"Danmini_Doorbell", 49548, 555, 0.012, 800, 0.042, 82},
    {"Ennio_Doorbell", 39100, 215, 0.003, 350, 0.011, 22},
    {"Ecobee_Thermostat", 13113, 54, 0.028, 250, 0.011, 20},
    {"Philips_B120N10_Baby_Monitor", 175240, 292, 0.016, 100, 0.030, 65},
    {"Provision_PT_737E_Security_Camera", 62154, 275, 0.026, 300, 0.035, 32},
    {"Provision_PT_838_Security_Camera", 98514, 795, 0.008, 450, 0.038, 43},
    {"SimpleHome_XCS7_1002_WHT_Security_Camera", 46585, 220, 0.017, 230, 0.056, 23},
    {"SimpleHome_XCS7_1003_WHT_Security_Camera", 19528, 190, 0.006, 500, 0.004, 25},
    {"Samsung_SNH_1011_N_Webcam", 52150, 150, 0.013, 150, 0.074, 32},
};

const double baiot_detect_paper_fpr_mean = 0.007, baiot_detect_paper_fpr_sd = 0.01;

const detect_paper_row *baiot_detect_paper_row_of(const char *device)
{
    if (!device)
        return NULL;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i].device, device) == 0)
            return &rows[i];
    return NULL;
}
