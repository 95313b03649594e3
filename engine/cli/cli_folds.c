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
#include "io/text/json.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: baiot folds DATA -o FILE [options]\n\n"
    "Writes 'row,fold' (both 0-based) for every row of DATA: the Weka cross-validation\n"
    "fold (java.util.Random(seed), stratified) whose test block holds the row.\n\n"
    "options:\n"
    "  -o, --output FILE       the file to write (required; '-': standard output)\n"
    "      --folds K           folds (default 10)\n"
    "      --seed S            random seed (default 1)\n"
    "      --device LIST       store: devices (default all)\n"
    "      --task T            store: 3class (default), binary or 11class\n"
    "      --class NAME        ARFF: the class attribute (default the last)\n"
    "      --json              print a JSON summary (rows, folds, seed)\n"
    CLI_HELP_THREADS CLI_HELP_FORCE CLI_HELP_QV CLI_HELP_HELP;

int cmd_folds(int argc, char **argv)
{
    static const struct option opts[] = {{"folds", required_argument, 0, 'k'}, {"seed", required_argument, 0, 's'},
                                         {"output", required_argument, 0, 'o'}, {"task", required_argument, 0, 't'},
                                         {"device", required_argument, 0, 'd'}, {"devices", required_argument, 0, 'd'},
                                         {"class", required_argument, 0, 'c'}, CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION,
                                         CLI_COMMON_JSON_OPTION, CLI_COMMON_THREADS_OPTION, {0, 0, 0, 0}};
    baiot_view_params vp = baiot_view_params_default();
    int k = 10, c, rc;
    int64_t seed = 1;
    const char *output = NULL;
    baiot_status st;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qvh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("folds", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
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
        case 'c': vp.class_attr = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("folds", "bad option");
        }
    }
    if (!output || optind != argc - 1)
        return cli_usage_error("folds", "give one data file and -o FILE");
    if (co.json && !strcmp(output, "-"))
        return cli_usage_error("folds", "-o - and --json both want the standard output");
    const char *data;
    if ((rc = cli_common_start("folds", &co)) || (rc = cli_input("folds", argv[optind], &data)) ||
        (rc = cli_output_free("folds", output)))
        return rc;
    vp.columns = "1"; /* folds depend only on the classes */
    baiot_view *v;
    if ((st = baiot_view_load(data, &vp, &v)))
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
    int64_t n_rows = v->n_rows;
    free(fold_of);
    baiot_folds_free(f);
    baiot_view_free(v);
    if (bad)
        return cli_report("folds", st);
    if (co.json) {
        printf("{\"data\": ");
        baiot_json_write_string(stdout, argv[optind]);
        printf(", \"output\": ");
        baiot_json_write_string(stdout, output);
        printf(", \"rows\": %lld, \"folds\": %d, \"seed\": %lld}\n", (long long)n_rows, k, (long long)seed);
    } else if (co.verbose) {
        fprintf(stderr, "%s: %lld rows in %d folds (seed %lld)\n", output, (long long)n_rows, k, (long long)seed);
    }
    cli_common_finish("folds", &co, 0);
    return 0;
}
