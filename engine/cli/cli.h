/*
 * cli.h - shared pieces of the `baiot` command-line program: the command
 * table's signature, error reporting and exit codes.  The CLI uses only the
 * public headers (include/baiot/) plus these helpers.
 */
#ifndef BAIOT_CLI_H
#define BAIOT_CLI_H

#include "baiot/baiot.h"

#define EXIT_USAGE 2 /* bad command line */

typedef int (*cli_command_fn)(int argc, char **argv);

int cmd_ingest(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_rank(int argc, char **argv);
int cmd_oner(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_folds(int argc, char **argv);
int cmd_em(int argc, char **argv);
int cmd_j48(int argc, char **argv);

/* Prints "baiot CMD: error: <message>" to stderr; returns the exit code
 * (EXIT_USAGE for argument errors, 1 otherwise). */
int cli_report(const char *cmd, baiot_status st);

/* Prints a usage error and a hint to run --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sends the library's log lines to stderr when verbose (INFO), else only
 * errors. */
void cli_setup_log(int verbose, int quiet);

#endif
