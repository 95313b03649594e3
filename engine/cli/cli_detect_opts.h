/*
 * cli_detect_opts.h - the detector's options, shared by `baiot detect` and
 * `baiot bulk --detect`: --method, --clusters, --covariance, --seed,
 * --max-window, --lr, --epochs, --batch, parsed into baiot_detect_params
 * with the same checks and messages in both commands.
 * Covered by tests/cli/test_detect.py, tests/cli/test_bulk_detect.py and
 * tests/cli/test_cli_contract.py.
 */
#ifndef BAIOT_CLI_DETECT_OPTS_H
#define BAIOT_CLI_DETECT_OPTS_H

#include "baiot/detect.h"

#include <getopt.h>

enum { CLI_DETECT_METHOD = 4000, CLI_DETECT_CLUSTERS, CLI_DETECT_COV, CLI_DETECT_SEED, CLI_DETECT_MAXWIN,
       CLI_DETECT_LR, CLI_DETECT_EPOCHS, CLI_DETECT_BATCH, CLI_DETECT_WARMUP };

/* All but --clusters and --seed, which `bulk` shares with the study's
 * options (it passes them to cli_detect_opt itself). */
#define CLI_DETECT_LONG_OPTIONS_BASE                                                                          \
    {"method", required_argument, 0, CLI_DETECT_METHOD}, {"covariance", required_argument, 0, CLI_DETECT_COV}, \
        {"max-window", required_argument, 0, CLI_DETECT_MAXWIN}, {"lr", required_argument, 0, CLI_DETECT_LR},  \
        {"epochs", required_argument, 0, CLI_DETECT_EPOCHS}, {"batch", required_argument, 0, CLI_DETECT_BATCH}, \
        {"warmup", required_argument, 0, CLI_DETECT_WARMUP}
#define CLI_DETECT_LONG_OPTIONS                                                                                   \
    CLI_DETECT_LONG_OPTIONS_BASE, {"clusters", required_argument, 0, CLI_DETECT_CLUSTERS},                     \
        {"seed", required_argument, 0, CLI_DETECT_SEED}

#define CLI_DETECT_HELP                                                                             \
    "      --method M          gmm (default) or autoencoder (115-87-58-38-29-38-58-87-115\n"      \
    "                          for 115 columns, tanh, float64, plain SGD)\n"                      \
    "      --clusters K|auto   gmm: components (default auto: 1, 2, 4 or 8, the one\n"           \
    "                          with the highest mean log density on DSopt)\n"                     \
    "      --covariance diag|full  gmm: diagonal (default) or full covariance matrices\n"         \
    "      --lr X              autoencoder: learning rate (default the paper's for one of\n"      \
    "                          the nine devices, else the best of 0.001, 0.003, 0.01,\n"          \
    "                          0.03 on DSopt after 10 epochs)\n"                                  \
    "      --epochs N          autoencoder: epochs (default the paper's, else until the\n"        \
    "                          DSopt MSE stops falling: 10 epochs without a 0.1% gain)\n"         \
    "      --batch B           autoencoder: rows per mini-batch (default 32)\n"                   \
    "      --seed S            the EM's k-means seed; the autoencoder's initial weights\n"        \
    "                          and shuffles (default 100)\n"                                      \
    "      --max-window N      the largest window ws* searched (default 1000 rows)\n"        \
    "      --warmup auto|none|N  DStrn's oldest rows not learnt from: the feature\n"           \
    "                          extractor's warm-up, when every stream is new (default\n"       \
    "                          auto: until DStrn opens channels no more often than\n"          \
    "                          DSopt, at most half of DStrn; docs/DETECTION.md)\n"

/* 1 when c is a detector option (parsed into p), -1 after a usage error
 * (printed), 0 when it is not one. */
int cli_detect_opt(const char *cmd, int c, const char *arg, baiot_detect_params *p);
/* 0 when the options fit together (method-specific ones with their
 * method, baiot_detect_params_check), else EXIT_USAGE after a message. */
int cli_detect_check(const char *cmd, const baiot_detect_params *p);

#endif
