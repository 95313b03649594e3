/*
 * cli_extract.c - `baiot extract CAPTURE -o OUT.csv|OUT.h5`: N-BaIoT
 * features of every packet of a pcap/pcapng capture.
 * Covered by tests/cli/test_extract.py.
 */
#include "baiot/extract.h"
#include "baiot/nbaiot.h"
#include "cli.h"
#include "io/text/json.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: baiot extract CAPTURE -o OUT.csv|OUT.h5 [options]\n\n"
    "Computes the 115 N-BaIoT features (Kitsune's damped statistics over the\n"
    "MI_dir, H, HH, HH_jit and HpHp streams) of every packet of a pcap or pcapng\n"
    "capture (Ethernet, Linux cooked or bare IP), in capture order: one row per\n"
    "packet. Frames whose headers are cut short or malformed are skipped and\n"
    "counted. The output appears complete or not at all.\n\n"
    "  OUT.csv   the UCI N-BaIoT layout: the 115 feature names, then one line per\n"
    "            packet, shortest round-trip numbers, CRLF line ends\n"
    "  OUT.h5    a baiot store (as `baiot ingest` writes) with the capture as its\n"
    "            one source; needs --device and --family (and --attack for\n"
    "            gafgyt and mirai)\n\n"
    "options:\n"
    "  -o, --output OUT        the file to write (required; .csv or .h5)\n"
    "      --force             replace an existing OUT\n"
    "      --device D          the rows' device (name or 1..9)\n"
    "      --family F          the rows' family (benign, gafgyt, mirai)\n"
    "      --attack A          the rows' attack (combo, junk, scan, tcp, udp, ack, syn, udpplain)\n"
    "      --compress N        store: deflate level 0..9 with shuffle (default 0)\n"
    "      --idle-cutoff S     beyond 4 million streams, drop those idle for S seconds\n"
    "                          (default 3600; 0 keeps all; see docs/SIMULATOR.md)\n"
    "  -v, --verbose           print skipped packets, the rate and the total time\n"
    "  -q, --quiet             print nothing on success\n"
    "      --json              print a JSON summary (packets, rows, skipped)\n"
    CLI_HELP_HELP
    "CAPTURE '-' reads the capture from the standard input; OUT '-' writes CSV to\n"
    "the standard output.\n";

enum { OPT_DEVICE = 256, OPT_FAMILY, OPT_ATTACK, OPT_COMPRESS, OPT_IDLE };

static int family_arg(const char *s)
{
    for (int f = 0; f < BAIOT_N_FAMILIES; f++)
        if (!strcmp(s, baiot_family_names[f]))
            return f;
    return !strcmp(s, "bashlite") ? BAIOT_FAMILY_GAFGYT : -1;
}

static int device_arg(const char *s)
{
    int d = baiot_device_index(s);
    if (d < 0 && s[0] >= '1' && s[0] <= '9' && s[1] == '\0')
        d = s[0] - '1';
    return d;
}

int cmd_extract(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},
        {"device", required_argument, 0, OPT_DEVICE}, {"family", required_argument, 0, OPT_FAMILY},
        {"attack", required_argument, 0, OPT_ATTACK}, {"compress", required_argument, 0, OPT_COMPRESS},
        {"idle-cutoff", required_argument, 0, OPT_IDLE},
        CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION, CLI_COMMON_JSON_OPTION,
        {0, 0, 0, 0}};
    baiot_extract_params p = baiot_extract_params_default();
    const char *output = NULL;
    int c, rc;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:vqh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("extract", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_DEVICE:
            if ((p.device = device_arg(optarg)) < 0)
                return cli_usage_error("extract", "unknown device '%s' (a UCI device name or 1..9)", optarg);
            break;
        case OPT_FAMILY:
            if ((p.family = family_arg(optarg)) < 0)
                return cli_usage_error("extract", "unknown family '%s' (benign, gafgyt, mirai)", optarg);
            break;
        case OPT_ATTACK: p.attack = optarg; break;
        case OPT_COMPRESS:
            if ((rc = cli_arg_int("extract", "--compress", optarg, 0, 9, &p.compress)))
                return rc;
            break;
        case OPT_IDLE:
            if ((rc = cli_arg_double("extract", "--idle-cutoff", optarg, 0, HUGE_VAL, CLI_ARG_CLOSED, &p.idle_cutoff)))
                return rc;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("extract", "bad option");
        }
    }
    if (!output)
        return cli_usage_error("extract", "no output: give -o OUT.csv or -o OUT.h5");
    if (optind >= argc)
        return cli_usage_error("extract", "no capture given");
    if (argc - optind > 1)
        return cli_usage_error("extract", "one capture at a time (got %d)", argc - optind);
    const char *capture = argv[optind];
    int to_stdout = !strcmp(output, "-");
    if (to_stdout && co.json)
        return cli_usage_error("extract", "-o - and --json both want the standard output");
    baiot_status st = baiot_extract_check(output, &p);
    if (st)
        return cli_report("extract", st);
    struct stat sb;
    if (!co.force && !to_stdout && stat(output, &sb) == 0)
        return cli_usage_error("extract", "'%s' exists: use --force to replace it", output);
    if ((rc = cli_common_start("extract", &co)) || (rc = cli_input("extract", capture, &capture)))
        return rc;
    baiot_extract_result r;
    st = baiot_extract(capture, output, &p, &r);
    if (st)
        return cli_report("extract", st);
    if (co.json) {
        printf("{\"capture\": ");
        baiot_json_write_string(stdout, argv[optind]);
        printf(", \"output\": ");
        baiot_json_write_string(stdout, output);
        printf(", \"packets\": %lld, \"rows\": %lld, \"skipped\": %lld, \"linktype\": ", (long long)r.packets,
               (long long)r.rows, (long long)r.skipped);
        baiot_json_write_string(stdout, r.linktype);
        printf(", \"seconds\": %.6f}\n", r.seconds);
    } else if (!co.quiet && !to_stdout) {
        printf("%s: %lld rows from %lld packets of %s (%s) in %.2f s (%.0f packets/s)\n", output, (long long)r.rows,
               (long long)r.packets, capture, r.linktype, r.seconds,
               r.seconds > 0 ? (double)r.packets / r.seconds : 0.0);
        if (r.skipped) {
            printf("skipped %lld packet%s:", (long long)r.skipped, r.skipped == 1 ? "" : "s");
            for (int k = 0, first = 1; k < BAIOT_N_SKIP; k++)
                if (r.skipped_by[k]) {
                    printf("%s %lld %s", first ? "" : ",", (long long)r.skipped_by[k], baiot_extract_skip_name(k));
                    first = 0;
                }
            printf("\n");
            for (int k = 0; k < BAIOT_N_SKIP; k++)
                if (r.skipped_by[k])
                    printf("  first %s: %s\n", baiot_extract_skip_name(k), r.first_skip[k]);
        }
    }
    cli_common_finish("extract", &co, 0);
    return 0;
}
