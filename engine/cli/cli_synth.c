/*
 * cli_synth.c - `baiot synth -o STORE.h5`: the simulated N-BaIoT data set.
 * Covered by tests/cli/test_synth.py and tests/cli/test_signals.py.
 */
#include "baiot/nbaiot.h"
#include "baiot/synth.h"
#include "cli.h"
#include "io/text/json.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: baiot synth -o STORE.h5 [--device LIST|all] [--scale S] [--seed N] [--csv DIR] [--pcap DIR]\n\n"
    "Simulates the packets of the nine N-BaIoT devices in their eleven situations\n"
    "(benign; BASHLITE combo, junk, scan, tcp, udp; Mirai ack, scan, syn, udp,\n"
    "udpplain), runs them through the N-BaIoT feature extractor and writes the rows\n"
    "to a store, one file's rows per (device, family, attack) as in the UCI data.\n"
    "At --scale 1 the row counts are exactly the published ones (7,062,606 in all).\n"
    "The result depends only on the devices, scale and seed, not on the threads.\n\n"
    "options:\n"
    "  -o, --output STORE.h5   the store to write (required)\n"
    "      --device LIST       device names or 1..9, comma-separated (default all;\n"
    "                          --devices is the same)\n"
    "      --scale S           row-count multiplier (default 1)\n"
    "      --seed N            random seed (default 1)\n"
    "      --attack CODE       only one situation: benign, gafgyt_tcp, mirai_syn, ...\n"
    "      --csv DIR           also write the UCI folder layout of CSV files (files of\n"
    "                          the same name in DIR are replaced only with --force)\n"
    "      --pcap DIR          also write each file's packets as a pcap (nanosecond),\n"
    "                          in the same layout\n"
    "      --force             replace an existing store (and CSV/pcap files)\n"
    "      --json              print a JSON summary (files, rows, seed, scale)\n"
    CLI_HELP_THREADS
    "  -q, --quiet             print nothing on success\n"
    "  -v, --verbose           print each simulated file, and the total time\n"
    CLI_HELP_HELP;

enum { OPT_DEVICES = 256, OPT_SCALE, OPT_SEED, OPT_CSV, OPT_PCAP, OPT_ATTACK };

int cmd_synth(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},   {"devices", required_argument, 0, OPT_DEVICES},
        {"scale", required_argument, 0, OPT_SCALE}, {"seed", required_argument, 0, OPT_SEED},
        {"csv", required_argument, 0, OPT_CSV},  {"pcap", required_argument, 0, OPT_PCAP},
        {"device", required_argument, 0, OPT_DEVICES}, {"attack", required_argument, 0, OPT_ATTACK},
        CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION, CLI_COMMON_JSON_OPTION, CLI_COMMON_THREADS_OPTION,
        {0, 0, 0, 0}};
    baiot_synth_params p = baiot_synth_params_default();
    const char *output = NULL;
    int c, rc;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:vqh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("synth", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_DEVICES: p.devices = optarg; break;
        case OPT_SCALE:
            if ((rc = cli_arg_double("synth", "--scale", optarg, 0, HUGE_VAL, CLI_ARG_ABOVE_MIN, &p.scale)))
                return rc;
            break;
        case OPT_SEED:
            if ((rc = cli_arg_uint64("synth", "--seed", optarg, &p.seed)))
                return rc;
            break;
        case OPT_CSV: p.csv_dir = optarg; break;
        case OPT_PCAP: p.pcap_dir = optarg; break;
        case OPT_ATTACK:
            p.only_attack = baiot_attack_code_by_name(optarg);
            if (p.only_attack < 0)
                return cli_usage_error("synth", "unknown situation '%s' (benign, gafgyt_combo, ..., mirai_udpplain)",
                                       optarg);
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("synth", "bad option");
        }
    }
    if (!output)
        return cli_usage_error("synth", "no output store: give -o STORE.h5");
    if (optind != argc)
        return cli_usage_error("synth", "unexpected argument '%s'", argv[optind]);
    struct stat sb;
    if (!co.force && stat(output, &sb) == 0)
        return cli_usage_error("synth", "'%s' exists: use --force to replace it", output);
    if ((rc = cli_common_start("synth", &co)))
        return rc;
    baiot_synth_result r;
    baiot_status st = baiot_synth(output, &p, &r);
    cli_end_progress();
    if (st)
        return cli_report("synth", st);
    if (co.json) {
        printf("{\"output\": ");
        baiot_json_write_string(stdout, output);
        printf(", \"files\": %d, \"rows\": %lld, \"seed\": %llu, \"scale\": ", r.files, (long long)r.rows,
               (unsigned long long)p.seed);
        baiot_json_write_number(stdout, p.scale);
        printf("}\n");
    } else if (!co.quiet) {
        printf("%s: simulated %d files, %lld rows (seed %llu, scale %g)\n", output, r.files, (long long)r.rows,
               (unsigned long long)p.seed, p.scale);
    }
    cli_common_finish("synth", &co, 0);
    return 0;
}
