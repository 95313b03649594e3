/*
 * cli_bulk.c - `baiot bulk STORE`: the study's pipeline for each device of
 * a store (and with --pooled all of them together), a report folder each,
 * and summary.json / summary.md.  Exit code 1 when any device failed (the
 * others still ran).
 * Covered by tests/cli/test_study.py and tests/cli/test_mpi.py.
 */
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
    "  -o, --output DIR        output folder (default ./baiot-out/bulk-<task>)\n"
    "  -h, --help              this text\n";

enum { OPT_DEVICES = 256, OPT_POOLED };

int cmd_bulk(int argc, char **argv)
{
    static const struct option opts[] = {CLI_STUDY_LONG_OPTIONS,
                                         {"devices", required_argument, 0, OPT_DEVICES},
                                         {"device", required_argument, 0, OPT_DEVICES},
                                         {"pooled", no_argument, 0, OPT_POOLED},
                                         {0, 0, 0, 0}};
    cli_study_opts o;
    const char *devices = NULL;
    int pooled = 0, c, r;
    cli_study_opts_default(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
        if ((r = cli_study_opt("bulk", c, optarg, &o)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_DEVICES: devices = optarg; break;
        case OPT_POOLED: pooled = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("bulk", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("bulk", "give one store");
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
