/*
 * cli_verify.c - `baiot verify STORE.h5`: is the store sound?  Structure,
 * column lengths, source runs and every column's checksum; exit 0 when
 * sound, 1 with the list of problems otherwise.
 * Covered by tests/cli/test_verify.py and tests/cli/test_store_versions.py.
 */
#include "baiot/store.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cmd_verify(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        printf("usage: baiot verify STORE.h5\n\nChecks a store: format and version, every column present with the "
               "same\nlength, the source runs, and each column's values against the CRC-32\nwritten when it was "
               "ingested or simulated. Exit 0 when sound.\n");
        return 0;
    }
    if (argc != 2)
        return cli_usage_error("verify", "give one store");
    char **problems;
    int n, checked;
    baiot_status st = baiot_store_verify(argv[1], &problems, &n, &checked);
    if (st)
        return cli_report("verify", st);
    if (n == 0)
        printf("%s: sound (%d columns checked)\n", argv[1], checked);
    for (int i = 0; i < n; i++)
        fprintf(stderr, "baiot verify: %s: %s\n", argv[1], problems[i]);
    baiot_strings_free(problems, n);
    return n ? 1 : 0;
}
