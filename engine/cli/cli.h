/*
 * cli.h - shared pieces of the `baiot` command-line program: the command
 * table's signature, error reporting and exit codes.  The CLI uses the
 * public headers (include/baiot/) and these helpers, plus a few internal
 * headers: io/files/atomic_file.h (main.c, cli_rank.c), atomic_dir.h (main.c), io/files/make_dir.h
 * (cli_demo.c), io/text/json.h and engine/weka/weka_numfmt.h (cli_rank.c),
 * engine/weka/folds.h (cli_folds.c) and, in the MPI build, hpc/mpi_job.h
 * (main.c).
 * Covered by tests/cli/test_cli_numbers.py (usage errors, exit code 2) and
 * tests/cli/test_ingest_errors.py (error reports, exit code 1).
 */
#ifndef BAIOT_CLI_H
#define BAIOT_CLI_H

#include "baiot/baiot.h"
#include "baiot/evaluation.h"
#include "baiot/view.h"

#include <stdio.h>

#define EXIT_USAGE 2 /* bad command line */

/* The options every command spells and means the same way (cli_common.c,
 * docs/CLI.md).  A command lists in its getopt table only those that mean
 * something for it (CLI_COMMON_OPTIONS_* below), so getopt refuses the
 * others; its switch hands every case to cli_common_opt first. */
enum { CLI_COMMON_FORCE = 3000, CLI_COMMON_JSON, CLI_COMMON_THREADS };
#define CLI_COMMON_QV {"quiet", no_argument, 0, 'q'}, {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'}
#define CLI_COMMON_FORCE_OPTION {"force", no_argument, 0, CLI_COMMON_FORCE}
#define CLI_COMMON_JSON_OPTION {"json", no_argument, 0, CLI_COMMON_JSON}
#define CLI_COMMON_THREADS_OPTION {"threads", required_argument, 0, CLI_COMMON_THREADS}
#define CLI_HELP_QV                                                                                  \
    "  -q, --quiet             nothing on stderr but errors (no progress, no notes)\n"              \
    "  -v, --verbose           more on stderr: details, stage times, the total time\n"
#define CLI_HELP_FORCE "      --force             replace an existing output file\n"
#define CLI_HELP_JSON "      --json              print one JSON document instead of text\n"
#define CLI_HELP_THREADS "      --threads N         threads (default all; results do not change)\n"
#define CLI_HELP_HELP "  -h, --help              this text\n"

typedef struct cli_common {
    int quiet, verbose, force, json;
    int threads; /* 0: OpenMP's default */
} cli_common;

void cli_common_default(cli_common *o);
/* Takes option c with its argument: 1 taken, 0 not a common option, -1
 * bad (a usage error was printed). */
int cli_common_opt(const char *cmd, int c, const char *arg, cli_common *o);
/* Applies them once parsing is done (threads, the output policy's --force,
 * the log and progress sinks); 0 or EXIT_USAGE for contradictions. */
int cli_common_start(const char *cmd, const cli_common *o);
/* Before any work (after cli_common_start and cli_input): an output PATH
 * (NULL: none) that exists without --force, is an input of the run or is
 * not a regular file is refused (0 or the exit code, 2).  The final rename
 * checks again, for outputs that appear meanwhile. */
int cli_output_free(const char *cmd, const char *path);
/* With --verbose: the command's total time on stderr. */
void cli_common_finish(const char *cmd, const cli_common *o, int code);

/* An input argument as a readable path: a plain file as it is; `-`
 * (standard input), a pipe, FIFO or /dev/fd/N copied once into a private
 * temporary file named after its sniffed format.  0, or the exit code of a
 * reported failure. */
int cli_input(const char *cmd, const char *arg, const char **path);
/* Removes those temporary files (async-signal-safe; at exit and on signals). */
void cli_inputs_cleanup(void);

/* Options shared by the evaluating commands (cli_eval_opts.c), with the
 * common ones (-q -v --threads --force --json -h). */
enum {
    CLI_OPT_FOLDS = 1000, CLI_OPT_SEED, CLI_OPT_SPLIT, CLI_OPT_LAYOUT, CLI_OPT_DEVICE, CLI_OPT_TASK,
    CLI_OPT_COLUMNS, CLI_OPT_CLASS, CLI_OPT_SAVE
};
#define CLI_EVAL_LONG_OPTIONS                                                                              \
    {"folds", required_argument, 0, CLI_OPT_FOLDS}, {"seed", required_argument, 0, CLI_OPT_SEED},         \
        {"split-percent", required_argument, 0, CLI_OPT_SPLIT},                                            \
        {"layout", required_argument, 0, CLI_OPT_LAYOUT}, {"device", required_argument, 0, CLI_OPT_DEVICE}, \
        {"devices", required_argument, 0, CLI_OPT_DEVICE}, {"task", required_argument, 0, CLI_OPT_TASK},   \
        {"columns", required_argument, 0, CLI_OPT_COLUMNS}, {"class", required_argument, 0, CLI_OPT_CLASS}, \
        {"save", required_argument, 0, CLI_OPT_SAVE}, CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION,              \
        CLI_COMMON_JSON_OPTION, CLI_COMMON_THREADS_OPTION

typedef struct cli_eval_opts {
    cli_common common;
    baiot_view_params vp;
    baiot_eval_layout layout;
    int folds, folds_given, layout_given;
    int64_t seed;
    double split;      /* > 0: holdout percentage instead of folds */
    const char *save;
} cli_eval_opts;

void cli_eval_opts_default(cli_eval_opts *o);
/* Takes option c (a CLI_OPT_* or a common one) with its argument: 1 taken,
 * 0 not one of them, -1 bad (a usage error was printed). */
int cli_eval_opt(const char *cmd, int c, const char *arg, cli_eval_opts *o);
/* After parsing: refuses contradictions (--folds with --split-percent),
 * then cli_common_start.  0 or the exit code. */
int cli_eval_start(const char *cmd, cli_eval_opts *o);

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
int cmd_run(int argc, char **argv);
int cmd_bulk(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_detect(int argc, char **argv);
int cmd_watch(int argc, char **argv);

/* Progress on stderr when it is a terminal and not quiet (cli_progress.c);
 * cli_end_progress clears the line before other output. */
void cli_setup_progress(int quiet);
void cli_end_progress(void);

/* Prints "baiot CMD: error: <message>" to stderr; returns the exit code
 * (EXIT_USAGE for argument errors, 1 otherwise). */
int cli_report(const char *cmd, baiot_status st);

/* Writes s with control bytes and bytes that are not valid UTF-8 as \xNN
 * (\t, \n, \r by name): every message that may echo a name or a line. */
void cli_write_escaped(FILE *f, const char *s);

/* Prints a usage error and a hint to run --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Option numbers (cli_args.c): each parses ARG, the value of option OPT as
 * the user spells it ("-M", "--seed") for command CMD.  Returns 0 and sets
 * *out when ARG is one whole base-10 number (doubles: one finite number) in
 * [min, max]; otherwise prints a usage error naming CMD, OPT and ARG (empty,
 * leading blank, trailing junk, overflow, out of range) and returns
 * EXIT_USAGE with *out unchanged.  cli_arg_double's bounds are inclusive
 * unless OPEN holds CLI_ARG_ABOVE_MIN / CLI_ARG_BELOW_MAX; -HUGE_VAL /
 * HUGE_VAL mean no bound. */
enum { CLI_ARG_CLOSED = 0, CLI_ARG_ABOVE_MIN = 1, CLI_ARG_BELOW_MAX = 2 };
int cli_arg_int(const char *cmd, const char *opt, const char *arg, int min, int max, int *out);
int cli_arg_int64(const char *cmd, const char *opt, const char *arg, int64_t min, int64_t max, int64_t *out);
int cli_arg_uint64(const char *cmd, const char *opt, const char *arg, uint64_t *out);
/* A size in bytes: a number >= 0 with an optional K, M, G or T (powers
 * of 1024) and an optional B; 0 or a usage error (EXIT_USAGE). */
int cli_arg_size(const char *cmd, const char *opt, const char *arg, int64_t *out);
int cli_arg_double(const char *cmd, const char *opt, const char *arg, double min, double max, int open, double *out);

/* Removes every `--no-verify` before a `--` from argv (argc updated) and,
 * when there was one, turns off the CRC-32 check of store reads for the
 * run (cli_no_verify.c). */
void cli_take_no_verify(int *argc, char **argv);

/* Sends the library's log lines to stderr when verbose (INFO), else only
 * errors. */
void cli_setup_log(int verbose, int quiet);

#endif
