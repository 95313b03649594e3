/*
 * cli_demo.c - `baiot demo`: no data needed.  Simulates the study's
 * Provision_PT_737E camera (828,260 rows at scale 1, seed 1) into
 * <dir>/camera.h5 (kept and reused by later demos with the same scale),
 * runs the study's pipeline on it and writes the report into <dir>
 * (default ./baiot-demo).  Covered by tests/cli/test_study.py.
 */
#include "cli_study.h"

#include "baiot/progress.h"
#include "baiot/synth.h"
#include "io/files/make_dir.h"

#include <omp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: baiot demo [options]\n\n"
    "Simulates the study's Provision_PT_737E camera (828,260 rows, fixed seed),\n"
    "runs the study's pipeline on it and writes the report to ./baiot-demo/\n"
    "(the simulated store is kept there and reused).\n\n"
    "options:\n"
    "      --scale S           rows x S (default 1; e.g. 0.05 for a quick look)\n" CLI_STUDY_HELP
    "  -o, --output DIR        folder (default ./baiot-demo)\n"
    "  -h, --help              this text\n";

enum { OPT_SCALE = 256 };

#define DEMO_DEVICE "Provision_PT_737E_Security_Camera"
#define DEMO_SEED 1

/* 1 when path is the demo's store for this scale (its first source says so). */
static int store_matches(const char *path, double scale)
{
    baiot_store *store = NULL;
    char want[256];
    if (!baiot_store_is_store(path) || baiot_store_open(path, &store))
        return 0;
    snprintf(want, sizeof want, "synth:%s/benign/benign seed=%d scale=%g", DEMO_DEVICE, DEMO_SEED, scale);
    int ok = baiot_store_n_sources(store) == 11 && !strcmp(baiot_store_source(store, 0)->name, want);
    baiot_store_close(store);
    return ok;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {CLI_STUDY_LONG_OPTIONS,
                                         {"scale", required_argument, 0, OPT_SCALE},
                                         {0, 0, 0, 0}};
    cli_study_opts o;
    double scale = 1.0;
    int c, r;
    cli_study_opts_default(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
        if ((r = cli_study_opt("demo", c, optarg, &o)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_SCALE:
            if ((r = cli_arg_double("demo", "--scale", optarg, 0, 1, CLI_ARG_ABOVE_MIN, &scale)))
                return r;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("demo", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("demo", "takes no data (it simulates its own)");
    const char *dir = o.out_dir ? o.out_dir : "baiot-demo";
    char store[4096];
    if (snprintf(store, sizeof store, "%s/camera.h5", dir) >= (int)sizeof store)
        return cli_usage_error("demo", "folder name too long");
    if ((r = cli_study_start("demo", &o)))
        return r;
    baiot_status st = baiot_make_dir(dir);
    double t_synth = 0;
    if (!st && !store_matches(store, scale)) {
        baiot_synth_params sp = baiot_synth_params_default();
        sp.devices = DEMO_DEVICE;
        sp.scale = scale;
        sp.seed = DEMO_SEED;
        baiot_progress_stage("simulate");
        double t0 = omp_get_wtime();
        st = baiot_synth(store, &sp, NULL);
        t_synth = omp_get_wtime() - t0;
    }
    baiot_study *s = NULL;
    if (!st)
        st = baiot_study_run(store, &o.params, &s);
    if (!st) {
        baiot_progress_stage(baiot_stage_names[BAIOT_STAGE_REPORT]);
        st = baiot_study_write_report(s, dir);
    }
    cli_end_progress();
    if (st) {
        baiot_study_free(s);
        return cli_report("demo", st);
    }
    if (o.common.json) {
        cli_study_print_json(s, dir);
    } else {
        printf("demo: simulated %s traffic (%s, seed %d, scale %g)%s\n", DEMO_DEVICE, store, DEMO_SEED, scale,
               t_synth > 0 ? "" : ", reused");
        if (o.common.verbose && t_synth > 0)
            fprintf(stderr, "  %-9s %8.3f s\n", "simulate", t_synth);
        cli_study_print(s, dir, o.common.verbose);
    }
    baiot_study_free(s);
    cli_common_finish("demo", &o.common, 0);
    return 0;
}
