/*
 * cli_ingest.c - `baiot ingest SRC... -o STORE.h5`.
 * Covered by tests/cli/test_ingest_errors.py,
 * tests/cli/test_ingest_layouts.py and tests/cli/test_export_roundtrip.py.
 */
#include "baiot/nbaiot.h"
#include "baiot/store.h"
#include "cli.h"
#include "io/text/json.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The largest --block-mb whose byte count fits a size_t. */
#define MAX_BLOCK_MB ((int64_t)(SIZE_MAX >> 20))

static const char usage[] =
    "usage: baiot ingest SRC... -o STORE.h5 [options]\n\n"
    "Reads N-BaIoT CSV rows into an HDF5 column store. SRC is a CSV file, a folder\n"
    "(walked recursively), or a zip/rar/7z/tar archive (streamed, never unpacked).\n"
    "Labels come from the names: UCI folders (<Device>/benign_traffic.csv,\n"
    "<Device>/gafgyt_attacks.rar holding tcp.csv, <Device>/mirai_attacks/udp.csv)\n"
    "or the flat copy (<i>.benign.csv, <i>.gafgyt.<attack>.csv, <i>.mirai.<attack>.csv).\n\n"
    "options:\n"
    "  -o, --output STORE.h5   the store to write (required)\n"
    "      --append            add the sources to an existing store; a source whose\n"
    "                          bytes are already in it is refused\n"
    "      --force             replace an existing store\n"
    "      --device D          label every source with device D (name or 1..9)\n"
    "      --family F          ... with family F (benign, gafgyt, mirai)\n"
    "      --attack A          ... with attack A (combo, junk, scan, tcp, udp, ack, syn, udpplain)\n"
    "      --compress N        deflate level 0..9 with shuffle (default 0: none; see docs/STORE.md)\n"
    "      --chunk-rows N      HDF5 chunk length in rows (default: 65536, less for small inputs)\n"
    "      --block-mb N        CSV megabytes parsed per parallel block (default 8)\n"
    "      --json              print a JSON summary (sources, rows, bytes)\n"
    CLI_HELP_THREADS
    "  -q, --quiet             print nothing on success\n"
    "  -v, --verbose           print each source's rows and rate, and the total time\n"
    CLI_HELP_HELP
    "SRC '-' reads one CSV from the standard input (label it with --device etc.).\n";

enum { OPT_APPEND = 256, OPT_DEVICE, OPT_FAMILY, OPT_ATTACK, OPT_COMPRESS, OPT_CHUNK, OPT_BLOCK };

static int parse_family(const char *s)
{
    for (int f = 0; f < BAIOT_N_FAMILIES; f++)
        if (!strcmp(s, baiot_family_names[f]))
            return f;
    return !strcmp(s, "bashlite") ? BAIOT_FAMILY_GAFGYT : -1;
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},  {"append", no_argument, 0, OPT_APPEND},
        {"device", required_argument, 0, OPT_DEVICE},
        {"family", required_argument, 0, OPT_FAMILY}, {"attack", required_argument, 0, OPT_ATTACK},
        {"compress", required_argument, 0, OPT_COMPRESS}, {"chunk-rows", required_argument, 0, OPT_CHUNK},
        {"block-mb", required_argument, 0, OPT_BLOCK},
        CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION, CLI_COMMON_JSON_OPTION, CLI_COMMON_THREADS_OPTION,
        {0, 0, 0, 0}};
    baiot_ingest_params p = baiot_ingest_params_default();
    const char *output = NULL;
    int c, rc;
    int64_t chunk_rows, block_mb;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:vqh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("ingest", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_APPEND: p.append = 1; break;
        case OPT_DEVICE:
            if ((p.device = baiot_device_parse(optarg)) < 0)
                return cli_usage_error("ingest", "unknown device '%s' (a UCI device name or 1..9)", optarg);
            break;
        case OPT_FAMILY:
            if ((p.family = parse_family(optarg)) < 0)
                return cli_usage_error("ingest", "unknown family '%s' (benign, gafgyt, mirai)", optarg);
            break;
        case OPT_ATTACK: p.attack = optarg; break;
        case OPT_COMPRESS:
            if ((rc = cli_arg_int("ingest", "--compress", optarg, 0, 9, &p.compress)))
                return rc;
            break;
        case OPT_CHUNK:
            if ((rc = cli_arg_int64("ingest", "--chunk-rows", optarg, 0, 1 << 24, &chunk_rows)))
                return rc;
            p.chunk_rows = chunk_rows;
            break;
        case OPT_BLOCK:
            if ((rc = cli_arg_int64("ingest", "--block-mb", optarg, 1, MAX_BLOCK_MB, &block_mb)))
                return rc;
            p.block_bytes = (size_t)block_mb << 20;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("ingest", "bad option");
        }
    }
    if (!output)
        return cli_usage_error("ingest", "no output store: give -o STORE.h5");
    if (optind >= argc)
        return cli_usage_error("ingest", "no source given");
    struct stat sb;
    if (p.append && co.force)
        return cli_usage_error("ingest", "--append and --force contradict each other: give one");
    if (!p.append && !co.force && stat(output, &sb) == 0)
        return cli_usage_error("ingest", "'%s' exists: use --append to add to it or --force to replace it", output);
    if (p.attack && p.family < 0)
        return cli_usage_error("ingest", "--attack needs --family (gafgyt or mirai)");
    if ((rc = cli_common_start("ingest", &co)))
        return rc;
    for (int i = optind; i < argc; i++)
        if ((rc = cli_input("ingest", argv[i], (const char **)&argv[i])))
            return rc;
    baiot_ingest_result r;
    baiot_status st = baiot_ingest(output, (const char *const *)argv + optind, argc - optind, &p, &r);
    cli_end_progress();
    if (st)
        return cli_report("ingest", st);
    if (co.json) {
        printf("{\"output\": ");
        baiot_json_write_string(stdout, output);
        printf(", \"append\": %s, \"sources\": %d, \"rows\": %lld, \"csv_bytes\": %.0f}\n",
               p.append ? "true" : "false", r.n_sources, (long long)r.rows, (double)r.csv_bytes);
    } else if (!co.quiet) {
        printf("%s: %s %d source%s, %lld rows (%.1f MB of CSV)\n", output, p.append ? "appended" : "ingested",
               r.n_sources, r.n_sources == 1 ? "" : "s", (long long)r.rows, r.csv_bytes / 1e6);
    }
    cli_common_finish("ingest", &co, 0);
    return 0;
}
