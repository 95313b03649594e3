/*
 * cli_oner.c - `baiot oner DATA`: Weka's OneR classifier, its rule on all
 * rows and its cross-validation (or holdout) in Weka's layout or as JSON.
 * Covered by tests/cli/test_oner_golden.py and tests/cli/test_predict.py.
 */
#include "baiot/cv.h"
#include "baiot/evaluation.h"
#include "baiot/model.h"
#include "baiot/oner.h"
#include "baiot/view.h"
#include "cli.h"
#include "io/files/atomic_file.h"
#include "io/files/make_dir.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: baiot oner DATA [options]\n\n"
    "Weka's OneR (-B 6): the rule on all rows, then a stratified k-fold\n"
    "cross-validation with Weka's folds (or a holdout split), printed as Weka\n"
    "prints them. DATA is a store or an ARFF file.\n\n"
    "options:\n"
    "      --folds K           folds (default 10)\n"
    "      --seed S            random seed (default 1)\n"
    "      --split-percent P   holdout instead: train on P% of the shuffled rows\n"
    "      --min-bucket B      minimum bucket size (default 6)\n"
    "      --layout 3.6|3.8    columns of the printed tables (default 3.8: MCC, PRC)\n"
    "      --roc DIR           write each class's ROC curve as DIR/roc_<class>.csv and .json\n"
    "      --save MODEL        save the rule on all rows (for baiot predict)\n"
    "      --device LIST       store: devices (default all)\n"
    "      --task T            store: 3class (default), binary or 11class\n"
    "      --columns LIST      columns (names, positions or @FILE; default all)\n"
    "      --class NAME        ARFF: the class attribute (default the last)\n"
    "      --json              one JSON document (rule and every figure)\n"
    CLI_HELP_THREADS CLI_HELP_FORCE CLI_HELP_QV CLI_HELP_HELP;

enum { OPT_MINB = 256, OPT_ROC };

static int write_rocs(baiot_eval *ev, const baiot_view *v, const char *dir)
{
    char path[4096];
    baiot_status st = baiot_make_dir(dir);
    for (int c = 0; !st && c < v->n_classes; c++) {
        atomic_file csv, js;
        memset(&js, 0, sizeof js);
        snprintf(path, sizeof path, "%s/roc_%s.csv", dir, v->class_names[c]);
        if ((st = baiot_atomic_file_open(path, &csv)))
            break;
        snprintf(path, sizeof path, "%s/roc_%s.json", dir, v->class_names[c]);
        if ((st = baiot_atomic_file_open(path, &js)) || (st = baiot_eval_write_roc(ev, c, csv.fp, js.fp)) ||
            (st = baiot_atomic_file_commit(&csv)) || (st = baiot_atomic_file_commit(&js))) {
            baiot_atomic_file_abort(&csv);
            baiot_atomic_file_abort(&js);
        }
    }
    return st ? cli_report("oner", st) : 0;
}

int cmd_oner(int argc, char **argv)
{
    static const struct option opts[] = {CLI_EVAL_LONG_OPTIONS,
                                         {"min-bucket", required_argument, 0, OPT_MINB},
                                         {"roc", required_argument, 0, OPT_ROC},
                                         {0, 0, 0, 0}};
    cli_eval_opts eo;
    baiot_oner_params op = baiot_oner_params_default();
    const char *roc = NULL;
    baiot_status st;
    int c, r;
    cli_eval_opts_default(&eo);
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        if ((r = cli_eval_opt("oner", c, optarg, &eo)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_MINB:
            if ((r = cli_arg_int("oner", "--min-bucket", optarg, 1, INT_MAX, &op.min_bucket)))
                return r;
            break;
        case OPT_ROC: roc = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("oner", "bad option");
        }
    }
    baiot_view_params vp = eo.vp;
    baiot_eval_layout layout = eo.layout;
    int folds = eo.folds, json = eo.common.json;
    int64_t seed = eo.seed;
    double split = eo.split;
    const char *save = eo.save;
    if (optind != argc - 1)
        return cli_usage_error("oner", "give one store or ARFF file");
    if (json && eo.layout_given)
        return cli_usage_error("oner", "--layout sets the printed tables' columns: it means nothing with --json");
    const char *data;
    if ((r = cli_eval_start("oner", &eo)) || (r = cli_input("oner", argv[optind], &data)) ||
        (r = cli_output_free("oner", eo.save)))
        return r;
    baiot_view *v = NULL;
    baiot_oner_model *model = NULL;
    baiot_eval *ev = NULL;
    int rc = 0;
    int64_t *all = NULL;
    if ((st = baiot_view_load(data, &vp, &v)))
        return cli_report("oner", st);
    if ((st = baiot_view_check_labelled(v, argv[optind], "OneR")))
        goto fail;
    all = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *all);
    if (!all) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    for (int64_t i = 0; i < v->n_rows; i++)
        all[i] = i;
    if ((st = baiot_oner_train(v, all, v->n_rows, &op, &model)))
        goto fail;
    if (save && (st = baiot_model_save_oner(save, model, v, &vp, &op)))
        goto fail;
    if ((st = baiot_eval_create(v->n_classes, (const char *const *)v->class_names, &ev)))
        goto fail;
    baiot_learner learner = baiot_oner_learner(&op);
    st = split > 0 ? baiot_holdout(v, &learner, split, seed, ev) : baiot_cross_validate(v, &learner, folds, seed, ev);
    if (st)
        goto fail;
    if (json) {
        printf("{\"classifier\": \"OneR\", \"min_bucket\": %d, \"%s\": %g, \"seed\": %lld,\n \"evaluation\": ",
               op.min_bucket, split > 0 ? "split_percent" : "folds", split > 0 ? split : (double)folds,
               (long long)seed);
        fflush(stdout);
        if ((st = baiot_eval_write_json(ev, stdout)))
            goto fail;
        printf("}\n");
    } else {
        printf("=== Classifier model (full training set) ===\n\n");
        if ((st = baiot_oner_print(model, v, stdout)))
            goto fail;
        printf("\n");
        if ((st = baiot_eval_print_report(ev, layout,
                                          split > 0 ? "=== Evaluation on test split ===" : NULL, stdout)))
            goto fail;
    }
    if (roc)
        rc = write_rocs(ev, v, roc);
    baiot_eval_free(ev);
    baiot_oner_free(model);
    baiot_free(all);
    baiot_view_free(v);
    cli_common_finish("oner", &eo.common, rc);
    return rc;
fail:
    baiot_eval_free(ev);
    baiot_oner_free(model);
    baiot_free(all);
    baiot_view_free(v);
    return cli_report("oner", st);
}
