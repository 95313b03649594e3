/*
 * cli_j48.c - `baiot j48 DATA`: Weka's J48 decision tree, its
 * cross-validation (or holdout) in Weka's layout or as JSON, and with
 * --print-tree the tree grown on all rows as Weka prints it.
 * Covered by tests/cli/test_j48_golden.py and tests/cli/test_study.py.
 */
#include "baiot/cv.h"
#include "baiot/evaluation.h"
#include "baiot/j48.h"
#include "baiot/view.h"
#include "baiot/model.h"
#include "cli.h"

#include <getopt.h>
#include <omp.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: baiot j48 DATA [options]\n\n"
    "Weka's J48 (C4.5 release 8): a stratified k-fold cross-validation with\n"
    "Weka's folds (or a holdout split), printed as Weka prints it, and with\n"
    "--print-tree the tree grown on all rows. DATA is a store or an ARFF file.\n\n"
    "options:\n"
    "      --folds K           folds (default 10)\n"
    "      --seed S            random seed (default 1)\n"
    "      --split-percent P   holdout instead: train on P% of the shuffled rows\n"
    "  -C CF                   pruning confidence (default 0.25)\n"
    "  -M N                    minimum instances per leaf (default 2)\n"
    "  -U                      unpruned tree\n"
    "  -S                      no subtree raising\n"
    "  -A                      Laplace-smoothed leaf probabilities\n"
    "  -O                      do not collapse the tree (Weka 3.8)\n"
    "  -J                      no MDL correction of numeric gains (Weka 3.8)\n"
    "  -B                      binary splits on nominal attributes\n"
    "      --print-tree        print the tree grown on all rows first\n"
    "      --no-cv             only grow the tree on all rows (with --print-tree,\n"
    "                          --save or --json); no evaluation\n"
    "      --save MODEL        save the tree grown on all rows (for baiot predict)\n"
    "      --layout 3.6|3.8    Weka version to reproduce: 3.6 = 3.6.14's tables and\n"
    "                          its tolerant threshold tests (default 3.8)\n"
    "      --device LIST       store: devices (default all)\n"
    "      --task T            store: 3class (default), binary or 11class\n"
    "      --columns LIST      columns (names, positions or @FILE; default all)\n"
    "      --class NAME        ARFF: the class attribute (default the last)\n"
    "      --json              one JSON document (tree size and every figure)\n"
    "      --memory-limit SIZE memory the job may use (bytes, or with K, M, G, T:\n"
    "                          powers of 1024; 0: no limit; default 90% of the\n"
    "                          memory available at the start). Over it folds run\n"
    "                          one at a time, then the largest nodes grow from the\n"
    "                          presorted columns: slower, same results. A job\n"
    "                          whose data alone do not fit is refused (exit 1)\n"
    CLI_HELP_THREADS CLI_HELP_FORCE CLI_HELP_QV CLI_HELP_HELP;

enum { OPT_PRINT = 256, OPT_NOCV, OPT_MEMORY };

/* bytes as MiB with one decimal, in buf (32 bytes) */
static const char *mib(char *buf, int64_t bytes)
{
    snprintf(buf, 32, "%.1f MiB", (double)bytes / 1048576.0);
    return buf;
}

int cmd_j48(int argc, char **argv)
{
    static const struct option opts[] = {CLI_EVAL_LONG_OPTIONS,
                                         {"print-tree", no_argument, 0, OPT_PRINT},
                                         {"no-cv", no_argument, 0, OPT_NOCV},
                                         {"memory-limit", required_argument, 0, OPT_MEMORY},
                                         {0, 0, 0, 0}};
    cli_eval_opts eo;
    baiot_j48_params jp = baiot_j48_params_default();
    int print_tree = 0, no_cv = 0, c, r;
    int64_t avail = baiot_memory_available(); /* before the data take their share */
    int64_t limit = avail > 0 ? avail / 10 * 9 : 0;
    baiot_status st;
    cli_eval_opts_default(&eo);
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvhC:M:USAOJB", opts, NULL)) != -1) {
        if ((r = cli_eval_opt("j48", c, optarg, &eo)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'C':
            if ((r = cli_arg_double("j48", "-C", optarg, -HUGE_VAL, HUGE_VAL, CLI_ARG_CLOSED, &jp.confidence)))
                return r;
            break;
        case 'M':
            if ((r = cli_arg_int("j48", "-M", optarg, 0, INT_MAX, &jp.min_obj)))
                return r;
            break;
        case 'U': jp.unpruned = 1; break;
        case 'S': jp.no_raise = 1; break;
        case 'A': jp.laplace = 1; break;
        case 'O': jp.no_collapse = 1; break;
        case 'J': jp.no_mdl = 1; break;
        case 'B': jp.binary = 1; break;
        case OPT_PRINT: print_tree = 1; break;
        case OPT_NOCV: no_cv = 1; break;
        case OPT_MEMORY:
            if ((r = cli_arg_size("j48", "--memory-limit", optarg, &limit)))
                return r;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("j48", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("j48", "give one store or ARFF file");
    baiot_view_params vp = eo.vp;
    baiot_eval_layout layout = eo.layout;
    int folds = eo.folds, json = eo.common.json;
    int64_t seed = eo.seed;
    double split = eo.split;
    const char *save = eo.save;
    jp.weka36 = layout == BAIOT_EVAL_LAYOUT_WEKA36;
    if (eo.common.threads > 0)
        jp.n_threads = eo.common.threads;
    if (json && print_tree)
        return cli_usage_error("j48", "--print-tree prints the tree as text: it means nothing with --json");
    if (no_cv && (eo.folds_given || split > 0))
        return cli_usage_error("j48", "--no-cv evaluates nothing: --folds or --split-percent mean nothing with it");
    const char *bad = baiot_j48_params_check(&jp);
    if (bad)
        return cli_usage_error("j48", "%s", bad);
    baiot_view *v = NULL;
    baiot_j48_model *model = NULL;
    baiot_eval *ev = NULL;
    baiot_j48_presort *ps = NULL;
    int64_t *all = NULL;
    const char *data;
    if ((r = cli_eval_start("j48", &eo)) || (r = cli_input("j48", argv[optind], &data)) ||
        (r = cli_output_free("j48", eo.save)))
        return r;
    if ((st = baiot_view_load(data, &vp, &v)))
        return cli_report("j48", st);
    if ((st = baiot_view_check_labelled(v, argv[optind], "J48")))
        goto fail;
    if (no_cv && !print_tree && !json && !save)
        print_tree = 1; /* a tree alone is worth showing */
    /* how the job fits the memory limit (never a result) */
    baiot_j48_memory_plan plan;
    int want_tree = print_tree || json || save || split > 0;
    if ((st = baiot_j48_memory_plan_make(v, no_cv || split > 0 ? 0 : folds, want_tree,
                                         jp.n_threads > 0 ? jp.n_threads : omp_get_max_threads(), limit, &plan)))
        goto fail;
    if (eo.common.verbose) {
        char b[7][32];
        fprintf(stderr,
                "j48: memory: limit %s; data %s, presort %s, folds %s; %d fold(s) at once; column budget per fold "
                "%s (0: none), for the tree %s; planned peak %s\n",
                mib(b[0], plan.limit), mib(b[1], plan.data), mib(b[2], plan.presort), mib(b[3], plan.eval),
                plan.concurrency, mib(b[4], plan.fold_column_memory), mib(b[5], plan.tree_column_memory),
                mib(b[6], plan.peak));
    }
    /* every column sorted once for the tree on all rows and every fold */
    if ((st = baiot_j48_presort_create(v, plan.presort_threads, &ps)))
        goto fail;
    jp.presort = ps;
    baiot_j48_params jp_tree = jp; /* the tree on all rows (and a holdout's) */
    jp_tree.column_memory = plan.tree_column_memory;
    jp.column_memory = plan.fold_column_memory;
    if (print_tree || json || save) {
        all = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *all);
        if (!all) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto fail;
        }
        for (int64_t i = 0; i < v->n_rows; i++)
            all[i] = i;
        if ((st = baiot_j48_train(v, all, v->n_rows, NULL, &jp_tree, &model)))
            goto fail;
        if (save && (st = baiot_model_save_j48(save, model, v, &vp, &jp)))
            goto fail;
    }
    if (no_cv) {
        if (json)
            printf("{\"classifier\": \"J48\", \"leaves\": %lld, \"size\": %lld}\n",
                   (long long)baiot_j48_num_leaves(model), (long long)baiot_j48_tree_size(model));
        else if (print_tree && (st = baiot_j48_print(model, v, stdout)))
            goto fail;
        goto done;
    }
    if ((st = baiot_eval_create(v->n_classes, (const char *const *)v->class_names, &ev)))
        goto fail;
    baiot_learner learner = baiot_j48_learner(split > 0 ? &jp_tree : &jp);
    learner.concurrency = plan.concurrency;
    st = split > 0 ? baiot_holdout(v, &learner, split, seed, ev) : baiot_cross_validate(v, &learner, folds, seed, ev);
    if (st)
        goto fail;
    if (json) {
        printf("{\"classifier\": \"J48\", \"confidence\": %g, \"min_obj\": %d, \"unpruned\": %s, "
               "\"subtree_raising\": %s, \"laplace\": %s, \"collapse\": %s, \"mdl\": %s, \"binary\": %s, "
               "\"weka\": \"%s\",\n \"leaves\": %lld, \"size\": %lld, \"%s\": %g, \"seed\": %lld,\n \"evaluation\": ",
               jp.confidence, jp.min_obj, jp.unpruned ? "true" : "false", jp.no_raise ? "false" : "true",
               jp.laplace ? "true" : "false", jp.no_collapse ? "false" : "true", jp.no_mdl ? "false" : "true",
               jp.binary ? "true" : "false", jp.weka36 ? "3.6" : "3.8", (long long)baiot_j48_num_leaves(model),
               (long long)baiot_j48_tree_size(model), split > 0 ? "split_percent" : "folds",
               split > 0 ? split : (double)folds, (long long)seed);
        fflush(stdout);
        if ((st = baiot_eval_write_json(ev, stdout)))
            goto fail;
        printf("}\n");
    } else {
        if (print_tree) {
            printf("=== Classifier model (full training set) ===\n\n");
            if ((st = baiot_j48_print(model, v, stdout)))
                goto fail;
            printf("\n");
        }
        if ((st = baiot_eval_print_report(ev, layout, split > 0 ? "=== Evaluation on test split ===" : NULL,
                                          stdout)))
            goto fail;
    }
done:
    baiot_eval_free(ev);
    baiot_j48_free(model);
    baiot_j48_presort_free(ps);
    baiot_free(all);
    baiot_view_free(v);
    cli_common_finish("j48", &eo.common, 0);
    return 0;
fail:
    baiot_eval_free(ev);
    baiot_j48_free(model);
    baiot_j48_presort_free(ps);
    baiot_free(all);
    baiot_view_free(v);
    return cli_report("j48", st);
}
