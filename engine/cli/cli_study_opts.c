/*
 * cli_study_opts.c - the options the pipeline commands share (run, bulk,
 * demo): the task, how many columns to keep, folds, seed, EM clusters, the
 * output folder, threads, quiet/verbose; and the summary they print.
 * Covered by tests/cli/test_study.py and tests/cli/test_cli_numbers.py.
 */
#include "cli_study.h"

#include "baiot/study.h"

#include <omp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_study_opts_default(cli_study_opts *o)
{
    memset(o, 0, sizeof *o);
    o->params = baiot_study_params_default();
}

int cli_study_opt(const char *cmd, int c, const char *arg, cli_study_opts *o)
{
    baiot_status st;
    switch (c) {
    case CLI_STUDY_TASK:
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
    case CLI_STUDY_OUT: o->out_dir = arg; return 1;
    case CLI_STUDY_THREADS: {
        int t;
        if (cli_arg_int(cmd, "--threads", arg, 1, INT_MAX, &t))
            return -1;
        omp_set_num_threads(t);
        return 1;
    }
    case CLI_STUDY_QUIET: o->quiet = 1; return 1;
    case CLI_STUDY_VERBOSE: o->verbose = 1; return 1;
    default: return 0;
    }
}

void cli_study_start(const cli_study_opts *o)
{
    cli_setup_log(o->verbose, o->quiet);
    cli_setup_progress(o->quiet);
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
