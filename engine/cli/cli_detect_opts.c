/*
 * cli_detect_opts.c - parsing the detector's options (cli_detect_opts.h)
 * for `baiot detect` and `baiot bulk --detect`: one parser, one set of
 * messages.  Covered by tests/cli/test_detect.py,
 * tests/cli/test_bulk_detect.py and tests/cli/test_cli_contract.py.
 */
#include "cli_detect_opts.h"

#include "baiot/em.h"
#include "cli.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

int cli_detect_opt(const char *cmd, int c, const char *arg, baiot_detect_params *p)
{
    switch (c) {
    case CLI_DETECT_METHOD:
        if (!strcmp(arg, "gmm"))
            p->method = BAIOT_DETECT_GMM;
        else if (!strcmp(arg, "autoencoder"))
            p->method = BAIOT_DETECT_AUTOENCODER;
        else
        {
            cli_usage_error(cmd, "--method takes gmm or autoencoder, not '%s'", arg);
            return -1;
        }
        return 1;
    case CLI_DETECT_CLUSTERS:
        if (!strcmp(arg, "auto")) {
            p->clusters = 0;
            return 1;
        }
        return cli_arg_int(cmd, "--clusters", arg, 1, 256, &p->clusters) ? -1 : 1;
    case CLI_DETECT_COV:
        if (!strcmp(arg, "diag") || !strcmp(arg, "diagonal"))
            p->covariance = BAIOT_EM_COV_DIAG;
        else if (!strcmp(arg, "full"))
            p->covariance = BAIOT_EM_COV_FULL;
        else
        {
            cli_usage_error(cmd, "--covariance takes diag or full, not '%s'", arg);
            return -1;
        }
        return 1;
    case CLI_DETECT_SEED: return cli_arg_int64(cmd, "--seed", arg, INT64_MIN, INT64_MAX, &p->seed) ? -1 : 1;
    case CLI_DETECT_MAXWIN: return cli_arg_int(cmd, "--max-window", arg, 1, 1000000, &p->max_window) ? -1 : 1;
    case CLI_DETECT_LR: return cli_arg_double(cmd, "--lr", arg, 0, 10, CLI_ARG_ABOVE_MIN, &p->lr) ? -1 : 1;
    case CLI_DETECT_EPOCHS: return cli_arg_int(cmd, "--epochs", arg, 1, 100000, &p->epochs) ? -1 : 1;
    case CLI_DETECT_BATCH: return cli_arg_int64(cmd, "--batch", arg, 1, 1000000, &p->batch) ? -1 : 1;
    case CLI_DETECT_WARMUP:
        if (!strcmp(arg, "auto")) {
            p->warmup = BAIOT_DETECT_WARMUP_AUTO;
            return 1;
        }
        if (!strcmp(arg, "none")) {
            p->warmup = 0;
            return 1;
        }
        return cli_arg_int64(cmd, "--warmup", arg, 0, INT64_MAX, &p->warmup) ? -1 : 1;
    default: return 0;
    }
}

int cli_detect_check(const char *cmd, const baiot_detect_params *p)
{
    if (p->method != BAIOT_DETECT_AUTOENCODER && (p->lr > 0 || p->epochs > 0 || p->batch > 0))
        return cli_usage_error(cmd, "--lr, --epochs and --batch apply to --method autoencoder");
    if (p->method == BAIOT_DETECT_AUTOENCODER && (p->clusters > 0 || p->covariance != BAIOT_EM_COV_DIAG))
        return cli_usage_error(cmd, "--clusters and --covariance apply to --method gmm");
    const char *msg = baiot_detect_params_check(p);
    if (msg)
        return cli_usage_error(cmd, "%s", msg);
    return 0;
}
