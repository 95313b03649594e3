/*
 * cli_detect.c - `baiot detect DATA`: N-BaIoT's own protocol on one device:
 * the benign rows split in three (DStrn, DSopt, DStst's benign third), a
 * Gaussian mixture or N-BaIoT's deep autoencoder fitted on DStrn, tr* and
 * ws* on DSopt, the rates on DStst, and the report folder (detect.json,
 * detect.md, plots, detector.model for baiot predict).
 * Covered by tests/cli/test_detect.py and tests/cli/test_cli_contract.py.
 */
#include "baiot/detect.h"
#include "baiot/em.h"
#include "baiot/view.h"
#include "cli.h"
#include "cli_detect_opts.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: baiot detect DATA [options]\n\n"
    "N-BaIoT's anomaly detector on one device, trained on benign traffic only:\n"
    "the device's benign rows in time order are cut into three equal parts (DStrn,\n"
    "DSopt, and the benign third of DStst, which also holds every attack row); the\n"
    "columns are standardised on DStrn and a Gaussian mixture (score: minus the log\n"
    "density) or the paper's deep autoencoder (score: the reconstruction MSE) is\n"
    "fitted on it; tr* = mean + standard deviation of the DSopt scores;\n"
    "ws* = the smallest majority-vote window without a false alarm on DSopt; then\n"
    "per-row and per-window rates on DStst for benign and every attack.  DATA: a\n"
    "store (one device), an N-BaIoT CSV file or an ARFF file whose class has a value\n"
    "'benign'.  Writes detect.json, detect.md, plots and detector.model (for baiot\n"
    "predict) into the output folder.  docs/DETECTION.md describes the method.\n\n"
    "options:\n"
    "      --device D          store: the device (a name or 1..9; needed when the store\n"
    "                          holds several)\n"
    CLI_DETECT_HELP
    "      --class NAME        ARFF: the class attribute (default the last)\n"
    "  -o, --output DIR        report folder (default ./baiot-out/detect-<device>)\n"
    CLI_HELP_JSON CLI_HELP_THREADS CLI_HELP_QV CLI_HELP_HELP;

enum { OPT_DEVICE = 256, OPT_CLASS };

int cmd_detect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"device", required_argument, 0, OPT_DEVICE}, {"devices", required_argument, 0, OPT_DEVICE},
        {"class", required_argument, 0, OPT_CLASS},   {"output", required_argument, 0, 'o'},
        CLI_DETECT_LONG_OPTIONS,                      CLI_COMMON_QV,
        CLI_COMMON_JSON_OPTION,                       CLI_COMMON_THREADS_OPTION,
        {0, 0, 0, 0}};
    baiot_view_params vp = baiot_view_params_default();
    baiot_detect_params p = baiot_detect_params_default();
    const char *out_dir = NULL;
    int c, rc;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qvh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("detect", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        if ((rc = cli_detect_opt("detect", c, optarg, &p)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_DEVICE: vp.devices = optarg; break;
        case OPT_CLASS: vp.class_attr = optarg; break;
        case 'o': out_dir = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("detect", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("detect", "give one store, CSV or ARFF file");
    if (co.threads > 0)
        p.n_threads = co.threads;
    if ((rc = cli_detect_check("detect", &p)))
        return rc;
    const char *data = argv[optind];
    if (baiot_data_format_of(data) == BAIOT_DATA_ARFF && vp.devices)
        return cli_usage_error("detect", "'%s' is an ARFF file: --device applies to stores", data);
    if (baiot_data_format_of(data) != BAIOT_DATA_ARFF && vp.class_attr)
        return cli_usage_error("detect", "--class applies to ARFF files, not to '%s'", data);
    if ((rc = cli_common_start("detect", &co)) || (rc = cli_input("detect", data, &data)))
        return rc;
    baiot_detect_run *r = NULL;
    baiot_status st = baiot_detect(data, &vp, &p, &r);
    if (st)
        return cli_report("detect", st);
    char dir[4096];
    if (out_dir)
        snprintf(dir, sizeof dir, "%s", out_dir);
    else
        snprintf(dir, sizeof dir, "baiot-out/detect-%s", baiot_detect_device(r));
    st = baiot_detect_write_report(r, dir);
    cli_end_progress();
    if (st) {
        baiot_detect_run_free(r);
        return cli_report("detect", st);
    }
    if (co.json)
        baiot_detect_write_summary_json(r, dir, stdout);
    else
        baiot_detect_print_summary(r, dir, stdout);
    baiot_detect_run_free(r);
    cli_common_finish("detect", &co, 0);
    return 0;
}
