/*
 * cli_bulk.c - `baiot bulk STORE`: the study's pipeline for each device of
 * a store (and with --pooled all of them together), a report folder each,
 * and summary.json / summary.md; with --detect N-BaIoT's per-device
 * anomaly detectors instead (engine/study/bulk_detect.c).  Exit code 1
 * when any device failed (the others still ran).
 * Covered by tests/cli/test_study.py, tests/cli/test_mpi.py and
 * tests/cli/test_bulk_detect.py.
 */
#include "cli_detect_opts.h"
#include "cli_study.h"
#include "io/text/json.h"

#include "baiot/bulk.h"
#include "baiot/dist.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: baiot bulk STORE [options]\n\n"
    "The study's pipeline (baiot run) for every device of STORE, one after another,\n"
    "each with all threads; a report folder per device and a summary table\n"
    "(summary.json, summary.md).  A device that fails is reported and the others\n"
    "still run; the exit code is then 1.\n\n"
    "options:\n"
    "      --devices all|LIST  devices (names or 1..9, comma list; default all in the store)\n"
    "      --pooled            also all the selected devices together\n" CLI_STUDY_HELP
    "\nwith --detect: N-BaIoT's anomaly detector per device (baiot detect), the devices\n"
    "side by side on the threads and spread over MPI ranks; a report folder\n"
    "<device>-detect each and a summary in the layout of the paper's per-device\n"
    "table (--task, --top and --folds do not apply; --seed and --clusters are the\n"
    "detector's):\n"
    "      --detect            the detectors instead of the study\n"
    CLI_DETECT_HELP
    "  -o, --output DIR        output folder (default ./baiot-out/bulk-<task>, with\n"
    "                          --detect ./baiot-out/bulk-detect-<method>)\n"
    "  -h, --help              this text\n";

enum { OPT_DEVICES = 256, OPT_POOLED, OPT_DETECT };

/* bulk --detect: the detectors of engine/study/bulk_detect.c. */
static int bulk_detect(const char *store_arg, const char *devices, int pooled, cli_study_opts *o,
                       baiot_detect_params *dp, const char *seed, const char *clusters, int study_only)
{
    int r;
    if (study_only)
        return cli_usage_error("bulk", "--task, --top and --folds apply to the study, not to --detect");
    if ((seed && cli_detect_opt("bulk", CLI_DETECT_SEED, seed, dp) < 0) ||
        (clusters && cli_detect_opt("bulk", CLI_DETECT_CLUSTERS, clusters, dp) < 0))
        return EXIT_USAGE;
    if ((r = cli_detect_check("bulk", dp)))
        return r;
    char dir[4096];
    if (o->out_dir)
        snprintf(dir, sizeof dir, "%s", o->out_dir);
    else
        snprintf(dir, sizeof dir, "baiot-out/bulk-detect-%s",
                 dp->method == BAIOT_DETECT_AUTOENCODER ? "autoencoder" : "gmm");
    const char *store;
    if ((r = cli_study_start("bulk", o)) || (r = cli_input("bulk", store_arg, &store)))
        return r;
    baiot_bulk_detect_summary *sum = NULL;
    baiot_status st = baiot_bulk_detect_run(store, devices, pooled, dp, o->common.threads, dir, &sum);
    cli_end_progress();
    if (st)
        return cli_report("bulk", st);
    if (o->common.json) {
        printf("{\"store\": ");
        baiot_json_write_string(stdout, store_arg);
        printf(", \"summary\": ");
        char path[4200];
        snprintf(path, sizeof path, "%s/summary.json", dir);
        baiot_json_write_string(stdout, path);
        printf(", \"failed\": %d, \"runs\": %d}\n", sum->n_failed, sum->n);
    } else {
        printf("%-40s %9s %8s %10s %6s %9s %9s %9s\n", "device", "benign", "train s", "tr*", "ws*", "FPR win",
               "min TPR", "detected");
        for (int i = 0; i < sum->n; i++) {
            const baiot_bulk_detect_item *it = &sum->items[i];
            const baiot_detect_figures *g = &it->fig;
            if (it->ok)
                printf("%-40s %9lld %8.1f %10.4g %6d %9.4f %9.4f %6d/%-2d\n", it->label, (long long)g->benign_rows,
                       g->seconds_train, g->threshold, g->window, g->window_fpr, g->min_window_tpr, g->n_detected,
                       g->n_attacks);
            else
                printf("%-40s FAILED: %s\n", it->label, it->error);
        }
        printf("summary: %s/summary.md\n", dir);
    }
    int failed = sum->n_failed;
    if (failed && baiot_dist_rank() == 0)
        fprintf(stderr, "baiot bulk: error: %d of %d detectors failed (see above and %s/summary.md)\n", failed,
                sum->n, dir);
    baiot_bulk_detect_free(sum);
    cli_common_finish("bulk", &o->common, failed ? 1 : 0);
    return failed ? 1 : 0;
}

int cmd_bulk(int argc, char **argv)
{
    static const struct option opts[] = {CLI_STUDY_LONG_OPTIONS,
                                         {"devices", required_argument, 0, OPT_DEVICES},
                                         {"device", required_argument, 0, OPT_DEVICES},
                                         {"pooled", no_argument, 0, OPT_POOLED},
                                         {"detect", no_argument, 0, OPT_DETECT},
                                         CLI_DETECT_LONG_OPTIONS_BASE,
                                         {0, 0, 0, 0}};
    cli_study_opts o;
    const char *devices = NULL;
    int pooled = 0, detect = 0, study_only = 0, detect_only = 0, c, r;
    const char *seed = NULL, *clusters = NULL;
    baiot_detect_params dp = baiot_detect_params_default();
    cli_study_opts_default(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
        if (c == CLI_STUDY_SEED || c == CLI_STUDY_CLUSTERS) { /* the study's or the detector's: decided below */
            *(c == CLI_STUDY_SEED ? &seed : &clusters) = optarg;
            continue;
        }
        study_only |= c == CLI_STUDY_TASK || c == CLI_STUDY_TOP || c == CLI_STUDY_FOLDS;
        if ((r = cli_detect_opt("bulk", c, optarg, &dp)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            detect_only = 1;
            continue;
        }
        if ((r = cli_study_opt("bulk", c, optarg, &o)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_DEVICES: devices = optarg; break;
        case OPT_POOLED: pooled = 1; break;
        case OPT_DETECT: detect = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("bulk", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("bulk", "give one store");
    if (detect)
        return bulk_detect(argv[optind], devices, pooled, &o, &dp, seed, clusters, study_only);
    if (detect_only)
        return cli_usage_error("bulk", "--method, --covariance, --max-window, --warmup, --lr, --epochs and --batch apply to "
                                       "--detect");
    if ((seed && (r = cli_study_opt("bulk", CLI_STUDY_SEED, seed, &o)) < 0) ||
        (clusters && (r = cli_study_opt("bulk", CLI_STUDY_CLUSTERS, clusters, &o)) < 0))
        return EXIT_USAGE;
    char dir[4096];
    if (o.out_dir)
        snprintf(dir, sizeof dir, "%s", o.out_dir);
    else
        snprintf(dir, sizeof dir, "baiot-out/bulk-%s", baiot_task_name(o.params.view.task));
    const char *store;
    if ((r = cli_study_start("bulk", &o)) || (r = cli_input("bulk", argv[optind], &store)))
        return r;
    baiot_bulk_summary *sum = NULL;
    baiot_status st = baiot_bulk_run(store, devices, pooled, &o.params, dir, &sum);
    cli_end_progress();
    if (st)
        return cli_report("bulk", st);
    if (o.common.json) {
        printf("{\"store\": ");
        baiot_json_write_string(stdout, argv[optind]);
        printf(", \"summary\": ");
        char path[4200];
        snprintf(path, sizeof path, "%s/summary.json", dir);
        baiot_json_write_string(stdout, path);
        printf(", \"runs\": [");
        for (int i = 0; i < sum->n; i++) {
            const baiot_bulk_item *it = &sum->items[i];
            printf("%s\n  {\"device\": ", i ? "," : "");
            baiot_json_write_string(stdout, it->label);
            printf(", \"ok\": %s, ", it->ok ? "true" : "false");
            if (it->ok) {
                printf("\"rows\": %lld, \"j48_accuracy\": ", (long long)it->rows);
                baiot_json_write_number(stdout, it->j48_accuracy);
                printf(", \"em_accuracy\": ");
                baiot_json_write_number(stdout, it->em_accuracy);
                printf(", \"seconds\": ");
                baiot_json_write_number(stdout, it->seconds);
            } else {
                printf("\"error\": ");
                baiot_json_write_string(stdout, it->error);
            }
            printf("}");
        }
        printf("]}\n");
    } else {
        printf("%-40s %9s %10s %9s %8s\n", "device", "rows", "J48 %", "EM %", "time s");
        for (int i = 0; i < sum->n; i++) {
            const baiot_bulk_item *it = &sum->items[i];
            if (it->ok)
                printf("%-40s %9lld %10.4f %9.2f %8.1f\n", it->label, (long long)it->rows, it->j48_accuracy,
                       it->em_accuracy, it->seconds);
            else
                printf("%-40s FAILED: %s\n", it->label, it->error);
        }
        printf("summary: %s/summary.md\n", dir);
    }
    int failed = sum->n_failed;
    if (failed && baiot_dist_rank() == 0) /* every rank knows; rank 0 tells */
        fprintf(stderr, "baiot bulk: error: %d of %d runs failed (see above and %s/summary.md)\n", failed, sum->n,
                dir);
    baiot_bulk_free(sum);
    cli_common_finish("bulk", &o.common, failed ? 1 : 0);
    return failed ? 1 : 0;
}
