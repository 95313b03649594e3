/*
 * cli_eval_opts.c - the options the evaluating commands oner and j48
 * share (the pipeline commands have theirs in cli_study_opts.c): the data
 * selection, the folds or holdout, the printed layout, JSON, and saving
 * the model; the common options (cli_common.c) go through it too.
 * Covered by tests/cli/test_oner_golden.py and tests/cli/test_j48_golden.py
 * (layouts, JSON) and tests/cli/test_predict.py (--save); the holdout
 * options only by tests/cli/test_cli_numbers.py.
 */
#include "cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void cli_eval_opts_default(cli_eval_opts *o)
{
    memset(o, 0, sizeof *o);
    cli_common_default(&o->common);
    o->vp = baiot_view_params_default();
    o->layout = BAIOT_EVAL_LAYOUT_WEKA38;
    o->folds = 10;
    o->seed = 1;
}

int cli_eval_opt(const char *cmd, int c, const char *arg, cli_eval_opts *o)
{
    baiot_status st;
    int r = cli_common_opt(cmd, c, arg, &o->common);
    if (r)
        return r;
    switch (c) {
    case CLI_OPT_FOLDS:
        o->folds_given = 1;
        return cli_arg_int(cmd, "--folds", arg, 2, INT_MAX, &o->folds) ? -1 : 1;
    case CLI_OPT_SEED:
        return cli_arg_int64(cmd, "--seed", arg, INT64_MIN, INT64_MAX, &o->seed) ? -1 : 1;
    case CLI_OPT_SPLIT:
        return cli_arg_double(cmd, "--split-percent", arg, 0, 100, CLI_ARG_ABOVE_MIN | CLI_ARG_BELOW_MAX, &o->split)
                   ? -1
                   : 1;
    case CLI_OPT_LAYOUT:
        o->layout_given = 1;
        if (!strcmp(arg, "3.6"))
            o->layout = BAIOT_EVAL_LAYOUT_WEKA36;
        else if (!strcmp(arg, "3.8"))
            o->layout = BAIOT_EVAL_LAYOUT_WEKA38;
        else
            return cli_usage_error(cmd, "--layout is 3.6 or 3.8, not '%s'", arg), -1;
        return 1;
    case CLI_OPT_DEVICE: o->vp.devices = arg; return 1;
    case CLI_OPT_TASK:
        if ((st = baiot_task_parse(arg, &o->vp.task)))
            return cli_report(cmd, st), -1;
        return 1;
    case CLI_OPT_COLUMNS: o->vp.columns = arg; return 1;
    case CLI_OPT_CLASS: o->vp.class_attr = arg; return 1;
    case CLI_OPT_SAVE: o->save = arg; return 1;
    default: return 0;
    }
}

int cli_eval_start(const char *cmd, cli_eval_opts *o)
{
    if (o->folds_given && o->split > 0)
        return cli_usage_error(cmd, "--folds and --split-percent contradict each other: give one");
    return cli_common_start(cmd, &o->common);
}
