/*
 * cli_verify.c - `baiot verify STORE.h5`: is the store sound?  Structure,
 * column lengths, source runs and every column's checksum; exit 0 when
 * sound, 1 with the list of problems otherwise.
 * Covered by tests/cli/test_verify.py and tests/cli/test_store_versions.py.
 */
#include "baiot/store.h"
#include "cli.h"
#include "io/text/json.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: baiot verify STORE.h5 [options]\n\n"
    "Checks a store: format and version, every column present with the same\n"
    "length, the source runs, and each column's values against the CRC-32\n"
    "written when it was ingested or simulated. Exit 0 when sound, 1 otherwise.\n\n"
    "options:\n"
    "      --json              one JSON document: sound, columns checked, problems\n"
    CLI_HELP_QV CLI_HELP_HELP;

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_QV, CLI_COMMON_JSON_OPTION, {0, 0, 0, 0}};
    cli_common co;
    int c, rc;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("verify", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        if (c == 'h') {
            fputs(usage, stdout);
            return 0;
        }
        return cli_usage_error("verify", "bad option");
    }
    if (optind != argc - 1)
        return cli_usage_error("verify", "give one store");
    const char *path;
    if ((rc = cli_common_start("verify", &co)) || (rc = cli_input("verify", argv[optind], &path)))
        return rc;
    char **problems;
    int n, checked;
    baiot_status st = baiot_store_verify(path, &problems, &n, &checked);
    if (st)
        return cli_report("verify", st);
    if (co.json) {
        printf("{\"store\": ");
        baiot_json_write_string(stdout, argv[optind]);
        printf(", \"sound\": %s, \"columns_checked\": %d, \"problems\": [", n ? "false" : "true", checked);
        for (int i = 0; i < n; i++) {
            printf("%s", i ? ", " : "");
            baiot_json_write_string(stdout, problems[i]);
        }
        printf("]}\n");
    } else if (n == 0 && !co.quiet) {
        printf("%s: sound (%d columns checked)\n", argv[optind], checked);
    }
    for (int i = 0; i < n; i++)
        {
        fprintf(stderr, "baiot verify: ");
        cli_write_escaped(stderr, argv[optind]);
        fputs(": ", stderr);
        cli_write_escaped(stderr, problems[i]);
        fputc('\n', stderr);
    }
    baiot_strings_free(problems, n);
    cli_common_finish("verify", &co, n ? 1 : 0);
    return n ? 1 : 0;
}
