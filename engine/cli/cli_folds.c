/*
 * cli_folds.c - `baiot folds DATA -o FILE`: Weka's cross-validation fold of
 * every row (the fold whose test block holds it), so that other tools
 * (scikit-learn, pandas) can be evaluated on exactly the same folds.
 * Only its options are tested, by tests/cli/test_cli_numbers.py; the folds
 * come from engine/weka/folds.h (tests/unit/test_folds.c), but no test
 * checks the file this command writes.
 */
#include "baiot/view.h"
#include "io/files/atomic_file.h"
#include "cli.h"
#include "engine/weka/folds.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_folds(int argc, char **argv)
{
    static const struct option opts[] = {{"folds", required_argument, 0, 'k'}, {"seed", required_argument, 0, 's'},
                                         {"output", required_argument, 0, 'o'}, {"task", required_argument, 0, 't'},
                                         {"device", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    baiot_view_params vp = baiot_view_params_default();
    int k = 10, c, rc;
    int64_t seed = 1;
    const char *output = NULL;
    baiot_status st;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            if ((rc = cli_arg_int("folds", "--folds", optarg, 2, INT_MAX, &k)))
                return rc;
            break;
        case 's':
            if ((rc = cli_arg_int64("folds", "--seed", optarg, INT64_MIN, INT64_MAX, &seed)))
                return rc;
            break;
        case 'o': output = optarg; break;
        case 't':
            if ((st = baiot_task_parse(optarg, &vp.task)))
                return cli_report("folds", st);
            break;
        case 'd': vp.devices = optarg; break;
        case 'h':
            printf("usage: baiot folds DATA -o FILE [--folds 10] [--seed 1] [--task T] [--device LIST]\n\n"
                   "Writes 'row,fold' (both 0-based) for every row of DATA: the Weka cross-validation\n"
                   "fold (java.util.Random(seed), stratified) whose test block holds the row.\n");
            return 0;
        default: return cli_usage_error("folds", "bad option");
        }
    }
    if (!output || optind != argc - 1)
        return cli_usage_error("folds", "give one data file and -o FILE");
    vp.columns = "1"; /* folds depend only on the classes */
    baiot_view *v;
    if ((st = baiot_view_load(argv[optind], &vp, &v)))
        return cli_report("folds", st);
    if ((st = baiot_view_check_labelled(v, argv[optind], "folds (stratified by class)"))) {
        baiot_view_free(v);
        return cli_report("folds", st);
    }
    baiot_folds *f;
    if ((st = baiot_folds_make(v->y, v->n_rows, v->n_classes, k, seed, &f))) {
        baiot_view_free(v);
        return cli_report("folds", st);
    }
    int *fold_of = malloc((size_t)v->n_rows * sizeof *fold_of);
    atomic_file af;
    st = fold_of ? baiot_atomic_file_open(output, &af) : baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if (st) {
        free(fold_of);
        baiot_folds_free(f);
        baiot_view_free(v);
        return cli_report("folds", st);
    }
    FILE *out = af.fp;
    for (int q = 0; q < f->k; q++)
        for (int64_t i = 0; i < f->test_count[q]; i++)
            fold_of[f->order[f->test_first[q] + i]] = q;
    fprintf(out, "row,fold\n");
    for (int64_t r = 0; r < v->n_rows; r++)
        fprintf(out, "%lld,%d\n", (long long)r, fold_of[r]);
    st = baiot_atomic_file_commit(&af);
    int bad = st != BAIOT_OK;
    free(fold_of);
    baiot_folds_free(f);
    baiot_view_free(v);
    if (bad)
        return cli_report("folds", st);
    return 0;
}
