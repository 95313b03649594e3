/*
 * cli.h - shared pieces of the `baiot` command-line program: the command
 * table's signature, error reporting and exit codes.  The CLI uses the
 * public headers (include/baiot/) and these helpers, plus a few internal
 * headers: io/files/atomic_file.h (main.c, cli_rank.c), io/files/make_dir.h
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

#define EXIT_USAGE 2 /* bad command line */

/* Options shared by the evaluating commands (cli_eval_opts.c). */
enum {
    CLI_OPT_FOLDS = 1000, CLI_OPT_SEED, CLI_OPT_SPLIT, CLI_OPT_JSON, CLI_OPT_LAYOUT, CLI_OPT_DEVICE, CLI_OPT_TASK,
    CLI_OPT_COLUMNS, CLI_OPT_CLASS, CLI_OPT_SAVE
};
#define CLI_EVAL_LONG_OPTIONS                                                                              \
    {"folds", required_argument, 0, CLI_OPT_FOLDS}, {"seed", required_argument, 0, CLI_OPT_SEED},         \
        {"split-percent", required_argument, 0, CLI_OPT_SPLIT}, {"json", no_argument, 0, CLI_OPT_JSON},   \
        {"layout", required_argument, 0, CLI_OPT_LAYOUT}, {"device", required_argument, 0, CLI_OPT_DEVICE}, \
        {"task", required_argument, 0, CLI_OPT_TASK}, {"columns", required_argument, 0, CLI_OPT_COLUMNS},   \
        {"class", required_argument, 0, CLI_OPT_CLASS}, {"save", required_argument, 0, CLI_OPT_SAVE}

typedef struct cli_eval_opts {
    baiot_view_params vp;
    baiot_eval_layout layout;
    int folds;
    int64_t seed;
    double split;      /* > 0: holdout percentage instead of folds */
    int json;
    const char *save;
} cli_eval_opts;

void cli_eval_opts_default(cli_eval_opts *o);
/* Takes option c (a CLI_OPT_*) with its argument: 1 taken, 0 not one of
 * them, -1 bad (a usage error was printed). */
int cli_eval_opt(const char *cmd, int c, const char *arg, cli_eval_opts *o);

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

/* Progress on stderr when it is a terminal and not quiet (cli_progress.c);
 * cli_end_progress clears the line before other output. */
void cli_setup_progress(int quiet);
void cli_end_progress(void);

/* Prints "baiot CMD: error: <message>" to stderr; returns the exit code
 * (EXIT_USAGE for argument errors, 1 otherwise). */
int cli_report(const char *cmd, baiot_status st);

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
int cli_arg_double(const char *cmd, const char *opt, const char *arg, double min, double max, int open, double *out);

/* Removes every `--no-verify` before a `--` from argv (argc updated) and,
 * when there was one, turns off the CRC-32 check of store reads for the
 * run (cli_no_verify.c). */
void cli_take_no_verify(int *argc, char **argv);

/* Sends the library's log lines to stderr when verbose (INFO), else only
 * errors. */
void cli_setup_log(int verbose, int quiet);

#endif
