/*
 * cli_study.h - options and output shared by the pipeline commands
 * (cli_run.c, cli_bulk.c, cli_demo.c); see cli_study_opts.c.
 * Covered by tests/cli/test_study.py and tests/cli/test_cli_numbers.py.
 */
#ifndef BAIOT_CLI_STUDY_H
#define BAIOT_CLI_STUDY_H
#include "baiot/study.h"
#include "cli.h"

#include <getopt.h>

enum { CLI_STUDY_TASK = 2000, CLI_STUDY_TOP, CLI_STUDY_FOLDS, CLI_STUDY_SEED, CLI_STUDY_CLUSTERS };
/* The report folder is the command's own (built whole and renamed into
 * place), so these commands take no --force (docs/CLI.md). */
#define CLI_STUDY_LONG_OPTIONS                                                                                  \
    {"task", required_argument, 0, CLI_STUDY_TASK}, {"top", required_argument, 0, CLI_STUDY_TOP},              \
        {"folds", required_argument, 0, CLI_STUDY_FOLDS}, {"seed", required_argument, 0, CLI_STUDY_SEED},      \
        {"clusters", required_argument, 0, CLI_STUDY_CLUSTERS}, {"output", required_argument, 0, 'o'},         \
        CLI_COMMON_QV, CLI_COMMON_JSON_OPTION, CLI_COMMON_THREADS_OPTION

#define CLI_STUDY_HELP                                                                           \
    "      --task T            store: 3class (default), binary or 11class\n"                   \
    "      --top K             columns kept after the OneR ranking (default 10)\n"             \
    "      --folds K           cross-validation folds of ranking and J48 (default 10)\n"       \
    "      --seed S            their random seed (default 1)\n"                                \
    "      --clusters K|auto   EM clusters (default: the number of classes)\n"                 \
    "      --json              print a JSON summary instead of text\n"                        \
    CLI_HELP_THREADS                                                                             \
    "  -q, --quiet             no progress on stderr\n"                                        \
    "  -v, --verbose           stage timings on stderr\n"

typedef struct cli_study_opts {
    cli_common common;
    baiot_study_params params;
    const char *out_dir;
    int task_given;
} cli_study_opts;

void cli_study_opts_default(cli_study_opts *o);
/* Takes option c with its argument (a CLI_STUDY_*, -o, or a common one): 1
 * taken, 0 not one of these, -1 bad (a usage error was printed). */
int cli_study_opt(const char *cmd, int c, const char *arg, cli_study_opts *o);
/* Applies the common options: 0 or the exit code. */
int cli_study_start(const char *cmd, const cli_study_opts *o);
/* The few lines a run prints: kept columns, accuracies next to the
 * study's, the report's path (and with verbose the stage times). */
void cli_study_print(baiot_study *s, const char *dir, int verbose);
/* The same as one JSON document (--json). */
void cli_study_print_json(baiot_study *s, const char *dir);

#endif
