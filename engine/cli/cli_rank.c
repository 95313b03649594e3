/*
 * cli_rank.c - `baiot rank DATA`: OneR ranking of every column (Weka's
 * OneRAttributeEval with the Ranker), printed in Weka's layout, as JSON, and
 * optionally written as a column selection for --columns @FILE.
 * Covered by tests/cli/test_rank_golden.py and tests/cli/test_mpi.py.
 */
#include "baiot/rank.h"
#include "baiot/view.h"
#include "baiot/dist.h"
#include "baiot/store.h"
#include "cli.h"
#include "io/files/atomic_file.h"
#include "io/text/json.h"
#include "engine/weka/weka_numfmt.h"

#include <getopt.h>
#include <math.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: baiot rank DATA [options]\n\n"
    "Ranks the columns by the accuracy of a stratified k-fold cross-validation of\n"
    "OneR on each column alone (Weka's OneRAttributeEval + Ranker), every column with\n"
    "the same folds. DATA is a store or an ARFF file.\n\n"
    "options:\n"
    "      --folds K         folds (default 10)\n"
    "      --seed S          random seed of the folds (default 1)\n"
    "      --min-bucket B    OneR's minimum bucket size (default 6)\n"
    "      --top K           keep the K best columns (for -o; default all)\n"
    "  -o, --output FILE     write the kept column names, one per line (use with --columns @FILE;\n"
    "                        '-': standard output, instead of the table)\n"
    "      --device LIST     store: devices (default all)\n"
    "      --task T          store: 3class (default), binary or 11class\n"
    "      --columns LIST    columns to rank (default all)\n"
    "      --class NAME      ARFF: the class attribute (default the last)\n"
    CLI_HELP_JSON CLI_HELP_THREADS CLI_HELP_FORCE CLI_HELP_QV CLI_HELP_HELP;

enum { OPT_FOLDS = 256, OPT_SEED, OPT_MINB, OPT_TOP, OPT_DEVICE, OPT_TASK, OPT_COLUMNS, OPT_CLASS };

static void free_names(char **names, int n)
{
    baiot_strings_free(names, n);
}

/* A copy of the view's column names (NULL when out of memory). */
static void names_of_view(const baiot_view *v, char ***out)
{
    char **names = baiot_calloc((size_t)(v->n_cols > 0 ? v->n_cols : 1), sizeof *names);
    for (int j = 0; names && j < v->n_cols; j++)
        if (!(names[j] = baiot_strdup(v->attrs[j].name))) {
            free_names(names, j);
            names = NULL;
        }
    *out = names;
}

int cmd_rank(int argc, char **argv)
{
    static const struct option opts[] = {
        {"folds", required_argument, 0, OPT_FOLDS},  {"seed", required_argument, 0, OPT_SEED},
        {"min-bucket", required_argument, 0, OPT_MINB}, {"top", required_argument, 0, OPT_TOP},
        {"output", required_argument, 0, 'o'},       {"device", required_argument, 0, OPT_DEVICE},
        {"devices", required_argument, 0, OPT_DEVICE}, {"task", required_argument, 0, OPT_TASK},
        {"columns", required_argument, 0, OPT_COLUMNS}, {"class", required_argument, 0, OPT_CLASS},
        CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION, CLI_COMMON_JSON_OPTION, CLI_COMMON_THREADS_OPTION,
        {0, 0, 0, 0}};
    baiot_rank_params rp = baiot_rank_params_default();
    baiot_view_params vp = baiot_view_params_default();
    const char *output = NULL;
    int top = -1, c, rc;
    baiot_status st;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qvh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("rank", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_FOLDS:
            if ((rc = cli_arg_int("rank", "--folds", optarg, 2, 100, &rp.folds)))
                return rc;
            break;
        case OPT_SEED:
            if ((rc = cli_arg_int64("rank", "--seed", optarg, INT64_MIN, INT64_MAX, &rp.seed)))
                return rc;
            break;
        case OPT_MINB:
            if ((rc = cli_arg_int("rank", "--min-bucket", optarg, 1, INT_MAX, &rp.min_bucket)))
                return rc;
            break;
        case OPT_TOP:
            if ((rc = cli_arg_int("rank", "--top", optarg, 1, INT_MAX, &top)))
                return rc;
            break;
        case 'o': output = optarg; break;
        case OPT_DEVICE: vp.devices = optarg; break;
        case OPT_TASK:
            if ((st = baiot_task_parse(optarg, &vp.task)))
                return cli_report("rank", st);
            break;
        case OPT_COLUMNS: vp.columns = optarg; break;
        case OPT_CLASS: vp.class_attr = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("rank", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("rank", "give one store or ARFF file");
    if (output && !strcmp(output, "-") && co.json)
        return cli_usage_error("rank", "-o - and --json both want the standard output");
    if (top > 0 && !output && !co.json)
        return cli_usage_error("rank", "--top selects the columns of -o or --json: give one");
    const char *data;
    if ((rc = cli_common_start("rank", &co)) || (rc = cli_input("rank", argv[optind], &data)) ||
        (rc = cli_output_free("rank", output)))
        return rc;
    int json = co.json, table = !(output && !strcmp(output, "-"));
    /* a store in a job spread over MPI ranks: each rank reads its columns */
    baiot_view *v = NULL;
    baiot_ranking *r = NULL;
    char **spread_names = NULL;
    const char *const *names = NULL;
    const char *class_name = "class";
    if (baiot_dist_size() > 1 && baiot_store_is_store(data)) {
        st = baiot_rank_spread(data, &vp, &rp, &r, &spread_names);
        names = (const char *const *)spread_names;
    } else if (!(st = baiot_view_load(data, &vp, &v)) &&
               !(st = baiot_view_check_labelled(v, argv[optind], "rank"))) {
        st = baiot_rank(v, &rp, &r);
        names_of_view(v, &spread_names);
        names = (const char *const *)spread_names;
        if (v->class_name)
            class_name = v->class_name;
    }
    cli_end_progress();
    if (!st && !names)
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if (st) {
        free_names(spread_names, r ? r->n : 0);
        baiot_ranking_free(r);
        baiot_view_free(v);
        return cli_report("rank", st);
    }
    int keep = top > 0 && top < r->n ? top : r->n;
    if (json) {
        printf("{\"data\": ");
        baiot_json_write_string(stdout, argv[optind]);
        printf(", \"folds\": %d, \"seed\": %lld, \"min_bucket\": %d, \"rows\": %lld,\n \"ranking\": [", rp.folds,
               (long long)rp.seed, rp.min_bucket, (long long)r->total);
        for (int i = 0; i < r->n; i++) {
            int j = r->order[i];
            printf("%s\n  {\"rank\": %d, \"column\": %d, \"name\": ", i ? "," : "", i + 1, j + 1);
            baiot_json_write_string(stdout, names[j]);
            printf(", \"merit\": %.17g, \"correct\": %lld}", r->merit[j], (long long)r->correct[j]);
        }
        printf("],\n \"selected\": [");
        for (int i = 0; i < keep; i++) {
            printf("%s", i ? ", " : "");
            baiot_json_write_string(stdout, names[r->order[i]]);
        }
        printf("]}\n");
    } else if (table) {
        /* Weka's layout (AttributeSelection's results): the merits get as
         * many decimals as the smallest nonzero fractional part needs
         * (|log10 frac| + 3), in a left-aligned field of decimals + integer
         * digits + 1; attribute numbers are right-aligned in a field of
         * (int)(ln(attributes incl. class) + 1) + 1. */
        int decimals = 0, int_digits = 0;
        for (int j = 0; j < r->n; j++) {
            double m = fabs(r->merit[j]), frac = m - (double)(int64_t)m;
            if (frac > 0 && (int)(fabs(log10(frac)) + 3) > decimals)
                decimals = (int)(fabs(log10(frac)) + 3);
            int d = (int64_t)m == 0 ? 2 : (int)fabs(log10(m)) + 1;
            if (d > int_digits)
                int_digits = d;
        }
        int width = (int)(log((double)(r->n + 1)) + 1);
        printf("=== Attribute Selection on all input data ===\n\n"
               "Search Method:\n\tAttribute ranking.\n\n"
               "Attribute Evaluator (supervised, Class (nominal): %s):\n"
               "\tOneR feature evaluator.\n\n"
               "\tUsing %d fold cross validation for evaluating attributes.\n"
               "\tMinimum bucket size for OneR: %d\n\nRanked attributes:\n",
               class_name, rp.folds, rp.min_bucket);
        for (int i = 0; i < r->n; i++) {
            char num[WEKA_NUMFMT_MAX];
            int j = r->order[i];
            baiot_weka_numfmt_dts(r->merit[j], decimals + int_digits + 1, decimals, num, sizeof num);
            printf("%-*s%*d %s\n", decimals + int_digits + 1, num, width + 1, j + 1, names[j]);
        }
    }
    if (output && baiot_dist_rank() == 0) { /* rank 0 is the only writer */
        atomic_file af;
        if (!(st = baiot_atomic_file_open(output, &af))) {
            fprintf(af.fp, "# baiot rank %s: top %d of %d by OneR %d-fold CV accuracy (seed %lld)\n", argv[optind],
                    keep, r->n, rp.folds, (long long)rp.seed);
            for (int i = 0; i < keep; i++)
                fprintf(af.fp, "%s\n", names[r->order[i]]);
            st = baiot_atomic_file_commit(&af);
        }
    }
    free_names(spread_names, r->n);
    baiot_ranking_free(r);
    baiot_view_free(v);
    rc = st ? cli_report("rank", st) : 0;
    cli_common_finish("rank", &co, rc);
    return rc;
}
