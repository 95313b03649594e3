/*
 * cli_eval_opts.c - the options every evaluating command shares (oner,
 * j48, and the pipeline commands to come): the data selection, the folds or
 * holdout, the printed layout, JSON, and saving the model.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_eval_opts_default(cli_eval_opts *o)
{
    memset(o, 0, sizeof *o);
    o->vp = baiot_view_params_default();
    o->layout = BAIOT_EVAL_LAYOUT_WEKA38;
    o->folds = 10;
    o->seed = 1;
}

int cli_eval_opt(const char *cmd, int c, const char *arg, cli_eval_opts *o)
{
    char *end;
    baiot_status st;
    switch (c) {
    case CLI_OPT_FOLDS:
        o->folds = (int)strtol(arg, &end, 10);
        if (*end || o->folds < 2)
            return cli_usage_error(cmd, "--folds takes a whole number >= 2, not '%s'", arg), -1;
        return 1;
    case CLI_OPT_SEED:
        o->seed = strtoll(arg, &end, 10);
        if (*end || !*arg)
            return cli_usage_error(cmd, "--seed takes a whole number, not '%s'", arg), -1;
        return 1;
    case CLI_OPT_SPLIT:
        o->split = strtod(arg, &end);
        if (*end || !(o->split > 0 && o->split < 100))
            return cli_usage_error(cmd, "--split-percent takes a number in (0, 100), not '%s'", arg), -1;
        return 1;
    case CLI_OPT_JSON: o->json = 1; return 1;
    case CLI_OPT_LAYOUT:
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
