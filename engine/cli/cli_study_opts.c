/*
 * cli_study_opts.c - the options the pipeline commands share (run, bulk,
 * demo): the task, how many columns to keep, folds, seed, EM clusters, the
 * output folder, threads, quiet/verbose; and the summary they print.
 * Covered by tests/cli/test_study.py and tests/cli/test_cli_numbers.py.
 */
#include "cli_study.h"

#include "baiot/study.h"
#include "io/text/json.h"

#include <omp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_study_opts_default(cli_study_opts *o)
{
    memset(o, 0, sizeof *o);
    cli_common_default(&o->common);
    o->params = baiot_study_params_default();
}

int cli_study_opt(const char *cmd, int c, const char *arg, cli_study_opts *o)
{
    baiot_status st;
    int r = cli_common_opt(cmd, c, arg, &o->common);
    if (r)
        return r;
    switch (c) {
    case CLI_STUDY_TASK:
        o->task_given = 1;
        if ((st = baiot_task_parse(arg, &o->params.view.task)))
            return cli_report(cmd, st), -1;
        return 1;
    case CLI_STUDY_TOP:
        return cli_arg_int(cmd, "--top", arg, 1, INT_MAX, &o->params.top) ? -1 : 1;
    case CLI_STUDY_FOLDS:
        return cli_arg_int(cmd, "--folds", arg, 2, INT_MAX, &o->params.folds) ? -1 : 1;
    case CLI_STUDY_SEED:
        return cli_arg_int64(cmd, "--seed", arg, INT64_MIN, INT64_MAX, &o->params.seed) ? -1 : 1;
    case CLI_STUDY_CLUSTERS:
        if (!strcmp(arg, "auto")) {
            o->params.clusters = -1;
            return 1;
        }
        return cli_arg_int(cmd, "--clusters", arg, 1, INT_MAX, &o->params.clusters) ? -1 : 1;
    case 'o': o->out_dir = arg; return 1;
    default: return 0;
    }
}

int cli_study_start(const char *cmd, const cli_study_opts *o)
{
    /* report folders are the command's own: files inside are replaced */
    cli_common co = o->common;
    co.force = 1;
    int rc = cli_common_start(cmd, &co);
    if (!rc)
        cli_setup_progress(o->common.quiet || o->common.json);
    return rc;
}

void cli_study_print_json(baiot_study *s, const char *dir)
{
    char path[4200];
    cli_end_progress();
    printf("{\"device\": ");
    baiot_json_write_string(stdout, s->device_label);
    printf(", \"rows\": %lld, \"classes\": %d, \"kept_columns\": [", (long long)s->view->n_rows,
           s->view->n_classes);
    for (int j = 0; j < s->top; j++) {
        printf("%s", j ? ", " : "");
        baiot_json_write_string(stdout, s->view->attrs[j].name);
    }
    printf("],\n \"folds\": %d, \"j48_accuracy\": ", s->params.folds);
    baiot_json_write_number(stdout, baiot_study_j48_accuracy(s));
    printf(", \"j48_leaves\": %lld, \"em_clusters\": %d, \"em_accuracy\": ",
           (long long)baiot_j48_num_leaves(s->tree), baiot_em_n_clusters(s->em));
    baiot_json_write_number(stdout, baiot_study_em_accuracy(s));
    printf(", \"em_loglik\": ");
    baiot_json_write_number(stdout, s->em_loglik);
    snprintf(path, sizeof path, "%s/report.json", dir);
    printf(",\n \"report\": ");
    baiot_json_write_string(stdout, path);
    printf("}\n");
    fflush(stdout);
}

void cli_study_print(baiot_study *s, const char *dir, int verbose)
{
    cli_end_progress();
    printf("%s: %lld rows, %d classes; kept columns:", s->device_label, (long long)s->view->n_rows,
           s->view->n_classes);
    for (int j = 0; j < s->top; j++)
        printf("%s %s", j ? "," : "", s->view->attrs[j].name);
    int cmp = baiot_study_published_applies(s);
    printf("\n  J48 %d-fold CV accuracy %.4f%%%s, tree %lld leaves\n", s->params.folds,
           baiot_study_j48_accuracy(s), cmp ? " (study: 99.95%)" : "", (long long)baiot_j48_num_leaves(s->tree));
    printf("  EM %d clusters: %.2f%% correctly clustered%s, log-likelihood %.6f\n", baiot_em_n_clusters(s->em),
           baiot_study_em_accuracy(s), cmp ? " (study: 76.73%)" : "", s->em_loglik);
    printf("  report: %s/report.md\n", dir);
    if (verbose) {
        double total = 0;
        for (int i = 0; i < BAIOT_N_STAGES; i++) {
            fprintf(stderr, "  %-9s %8.3f s\n", baiot_stage_names[i], s->seconds[i]);
            total += s->seconds[i];
        }
        fprintf(stderr, "  %-9s %8.3f s\n", "total", total);
    }
    fflush(stdout);
}
