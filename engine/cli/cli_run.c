/*
 * cli_run.c - `baiot run DATA`: the study's pipeline on one data set (OneR
 * ranking of every column, the top K kept, J48 cross-validation and tree,
 * EM with classes-to-clusters) and its report folder.
 * Covered by tests/cli/test_study.py, tests/cli/test_signals.py and
 * tests/cli/test_mpi.py.
 */
#include "cli_study.h"

#include "baiot/dist.h"
#include "baiot/progress.h"

#include <libgen.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: baiot run DATA [options]\n\n"
    "The study's pipeline on DATA (a store, an N-BaIoT CSV file or an ARFF file):\n"
    "OneR ranking of all columns, the best K kept, J48 k-fold cross-validation and\n"
    "the tree on all rows, EM on the same columns with classes-to-clusters.  Writes\n"
    "report.json, report.md, plots (PNG, SVG) and the two models (for baiot predict)\n"
    "into the output folder.\n\n"
    "options:\n"
    "      --device D          store: the device(s) (names or 1..9, comma list; default all)\n"
    "      --class NAME        ARFF: the class attribute (default the last)\n" CLI_STUDY_HELP
    "  -o, --output DIR        report folder (default ./baiot-out/<device>-<task>)\n"
    "  -h, --help              this text\n";

enum { OPT_DEVICE = 256, OPT_CLASS };

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {CLI_STUDY_LONG_OPTIONS,
                                         {"device", required_argument, 0, OPT_DEVICE},
                                         {"class", required_argument, 0, OPT_CLASS},
                                         {0, 0, 0, 0}};
    cli_study_opts o;
    int c, r;
    cli_study_opts_default(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
        if ((r = cli_study_opt("run", c, optarg, &o)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_DEVICE: o.params.view.devices = optarg; break;
        case OPT_CLASS: o.params.view.class_attr = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("run", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("run", "give one store, CSV or ARFF file");
    const char *data = argv[optind];
    char dir[4096];
    if (o.out_dir) {
        snprintf(dir, sizeof dir, "%s", o.out_dir);
    } else if (baiot_data_format_of(data) != BAIOT_DATA_ARFF) {
        const char *dev = o.params.view.devices && *o.params.view.devices ? o.params.view.devices : "all";
        snprintf(dir, sizeof dir, "baiot-out/%s-%s", dev, baiot_task_name(o.params.view.task));
    } else {
        char copy[4096];
        snprintf(copy, sizeof copy, "%s", data);
        char *base = basename(copy), *dot = strrchr(base, '.');
        if (dot && dot != base)
            *dot = 0;
        snprintf(dir, sizeof dir, "baiot-out/%s", base);
    }
    if (o.task_given && baiot_data_format_of(data) == BAIOT_DATA_ARFF)
        return cli_usage_error("run", "'%s' is an ARFF file: --task applies to stores and N-BaIoT CSV files", data);
    if ((r = cli_study_start("run", &o)) || (r = cli_input("run", data, &data)))
        return r;
    baiot_study *s = NULL;
    baiot_status st = baiot_study_run(data, &o.params, &s);
    if (!st && baiot_dist_rank() == 0) { /* rank 0 is the only writer */
        baiot_progress_stage(baiot_stage_names[BAIOT_STAGE_REPORT]);
        st = baiot_study_write_report(s, dir);
    }
    cli_end_progress();
    if (st) {
        baiot_study_free(s);
        return cli_report("run", st);
    }
    if (baiot_dist_rank() == 0) {
        if (o.common.json)
            cli_study_print_json(s, dir);
        else
            cli_study_print(s, dir, o.common.verbose);
    }
    baiot_study_free(s);
    cli_common_finish("run", &o.common, 0);
    return 0;
}
