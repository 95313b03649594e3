/*
 * cli_no_verify.c - `--no-verify`, the one option every command takes:
 * parsed once, in main.c, before the command sees its arguments.
 *
 * Every store column a command reads is checked against its CRC-32
 * (docs/STORE.md, "Checked reads"); `--no-verify` anywhere on the command
 * line (before a `--`) turns that off for the whole run, as
 * BAIOT_NO_VERIFY=1 in the environment does.  The word is removed from
 * argv, so the commands' own option parsers never see it.
 * Covered by tests/cli/test_checked_reads.py.
 */
#include "cli.h"

#include "baiot/store.h"

#include <string.h>

void cli_take_no_verify(int *argc, char **argv)
{
    int w = 1;
    int past_dashes = 0;
    for (int r = 1; r < *argc; r++) {
        if (!past_dashes && strcmp(argv[r], "--") == 0)
            past_dashes = 1;
        if (!past_dashes && strcmp(argv[r], "--no-verify") == 0) {
            baiot_store_set_verify(0);
            continue;
        }
        argv[w++] = argv[r];
    }
    argv[w] = NULL;
    *argc = w;
}
