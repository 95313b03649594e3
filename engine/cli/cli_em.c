/*
 * cli_em.c - `baiot em DATA`: Weka's EM clusterer (seed 100, 10 k-means
 * starts, k given or chosen by cross-validation), printed as Weka's
 * `weka.clusterers.EM -t DATA -c last` prints it, optionally with the
 * classes-to-clusters evaluation, or as JSON.  --covariance full fits full
 * covariance matrices instead (an extension beyond Weka).
 * Covered by tests/cli/test_em_golden.py, tests/cli/test_em_full.py and
 * tests/cli/test_em_threads.py.
 */
#include "baiot/em.h"
#include "baiot/view.h"
#include "baiot/model.h"
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: baiot em DATA [options]\n\n"
    "Weka's EM clusterer on the attributes of DATA (a store or an ARFF file;\n"
    "the class is never clustered), printed as Weka 3.6.14 prints it.\n\n"
    "options:\n"
    "      --clusters K|auto   number of clusters (default auto: Weka's -N -1,\n"
    "                          chosen by 10-fold cross-validated log-likelihood)\n"
    "      --seed S            random seed (default 100)\n"
    "      --max-iter N        EM iterations at most (default 100)\n"
    "      --min-std-dev X     minimum standard deviation (default 1e-6)\n"
    "      --covariance diag|full  diag (default): Weka's model; full: one full\n"
    "                          covariance matrix per cluster (beyond Weka; numeric\n"
    "                          attributes; same k-means start)\n"
    "      --reg-covar X       full: added to covariance diagonals (default 1e-6)\n"
    "      --math libm|strict  diag: exp and log of the C library (default; they\n"
    "                          agree with HotSpot's x86_64 Math.exp/log but on\n"
    "                          ~0.2% of arguments) or of Java's StrictMath, every\n"
    "                          E step in Weka's order (Weka on a JVM run with\n"
    "                          -XX:-UseLibmIntrinsic; docs/WEKA_COMPAT.md)\n"
    "      --classes-to-clusters  map clusters to classes, count the errors\n"
    "      --device LIST       store: devices (default all)\n"
    "      --task T            store: 3class (default), binary or 11class\n"
    "      --columns LIST      columns (names, positions or @FILE; default all)\n"
    "      --class NAME        ARFF: the class attribute (default the last)\n"
    "      --save MODEL        save the fitted mixture (for baiot predict)\n"
    CLI_HELP_JSON CLI_HELP_THREADS CLI_HELP_FORCE CLI_HELP_QV CLI_HELP_HELP
    "                          (-v: also the EM iterations' wall time)\n";

enum { OPT_CLUSTERS = 256, OPT_SEED, OPT_MAXITER, OPT_MINSD, OPT_C2C, OPT_DEVICE, OPT_TASK, OPT_COLUMNS,
       OPT_CLASS, OPT_SAVE, OPT_COV, OPT_REG, OPT_MATH };

int cmd_em(int argc, char **argv)
{
    static const struct option opts[] = {
        {"clusters", required_argument, 0, OPT_CLUSTERS}, {"seed", required_argument, 0, OPT_SEED},
        {"max-iter", required_argument, 0, OPT_MAXITER},  {"min-std-dev", required_argument, 0, OPT_MINSD},
        {"classes-to-clusters", no_argument, 0, OPT_C2C}, {"device", required_argument, 0, OPT_DEVICE},
        {"devices", required_argument, 0, OPT_DEVICE},
        {"task", required_argument, 0, OPT_TASK},         {"columns", required_argument, 0, OPT_COLUMNS},
        {"class", required_argument, 0, OPT_CLASS},       {"save", required_argument, 0, OPT_SAVE},
        {"covariance", required_argument, 0, OPT_COV},    {"reg-covar", required_argument, 0, OPT_REG},
        {"math", required_argument, 0, OPT_MATH},
        CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION, CLI_COMMON_JSON_OPTION, CLI_COMMON_THREADS_OPTION,
        {0, 0, 0, 0}};
    baiot_view_params vp = baiot_view_params_default();
    baiot_em_params ep = baiot_em_params_default();
    int c2c_on = 0, c, rc;
    const char *save = NULL;
    baiot_status st;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("em", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_CLUSTERS:
            if (!strcmp(optarg, "auto") || !strcmp(optarg, "-1")) {
                ep.n_clusters = -1;
            } else {
                if ((rc = cli_arg_int("em", "--clusters", optarg, 1, INT_MAX, &ep.n_clusters)))
                    return rc;
            }
            break;
        case OPT_SEED:
            if ((rc = cli_arg_int64("em", "--seed", optarg, INT64_MIN, INT64_MAX, &ep.seed)))
                return rc;
            break;
        case OPT_MAXITER:
            if ((rc = cli_arg_int("em", "--max-iter", optarg, 1, INT_MAX, &ep.max_iter)))
                return rc;
            break;
        case OPT_MINSD:
            if ((rc = cli_arg_double("em", "--min-std-dev", optarg, 0, HUGE_VAL, CLI_ARG_ABOVE_MIN, &ep.min_std_dev)))
                return rc;
            break;
        case OPT_COV:
            if (!strcmp(optarg, "diag") || !strcmp(optarg, "diagonal"))
                ep.covariance = BAIOT_EM_COV_DIAG;
            else if (!strcmp(optarg, "full"))
                ep.covariance = BAIOT_EM_COV_FULL;
            else
                return cli_usage_error("em", "--covariance takes diag or full, not '%s'", optarg);
            break;
        case OPT_REG:
            if ((rc = cli_arg_double("em", "--reg-covar", optarg, 0, HUGE_VAL, CLI_ARG_CLOSED, &ep.reg_covar)))
                return rc;
            break;
        case OPT_MATH:
            if (!strcmp(optarg, "libm"))
                ep.strict_math = 0;
            else if (!strcmp(optarg, "strict"))
                ep.strict_math = 1;
            else
                return cli_usage_error("em", "--math takes libm or strict, not '%s'", optarg);
            break;
        case OPT_C2C: c2c_on = 1; break;
        case OPT_DEVICE: vp.devices = optarg; break;
        case OPT_TASK:
            if ((st = baiot_task_parse(optarg, &vp.task)))
                return cli_report("em", st);
            break;
        case OPT_COLUMNS: vp.columns = optarg; break;
        case OPT_CLASS: vp.class_attr = optarg; break;
        case OPT_SAVE: save = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("em", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("em", "give one store or ARFF file");
    int json = co.json, verbose = co.verbose;
    if (co.threads > 0)
        ep.n_threads = co.threads;
    if (ep.covariance != BAIOT_EM_COV_FULL && ep.reg_covar != baiot_em_params_default().reg_covar)
        return cli_usage_error("em", "--reg-covar applies to --covariance full only");
    if (ep.strict_math && ep.covariance == BAIOT_EM_COV_FULL)
        return cli_usage_error("em", "--math strict applies to the diagonal model, not --covariance full");
    const char *msg = baiot_em_params_check(&ep);
    if (msg)
        return cli_usage_error("em", "%s", msg);
    if (save && ep.covariance == BAIOT_EM_COV_FULL)
        return cli_usage_error("em", "--save supports only the diagonal (Weka) model");
    baiot_view *v = NULL;
    baiot_em_model *m = NULL;
    baiot_eval_c2c c2c;
    int *assign = NULL;
    double llk = 0;
    memset(&c2c, 0, sizeof c2c);
    const char *data;
    if ((rc = cli_common_start("em", &co)) || (rc = cli_input("em", argv[optind], &data)) ||
        (rc = cli_output_free("em", save)))
        return rc;
    if ((st = baiot_view_load(data, &vp, &v)))
        return cli_report("em", st);
    if (c2c_on && (st = baiot_view_check_labelled(v, argv[optind], "--classes-to-clusters")))
        goto fail;
    if ((st = baiot_em_train(v, &ep, &m)))
        goto fail;
    if (verbose && ep.covariance == BAIOT_EM_COV_DIAG) {
        int es = 0;
        int64_t exact = 0;
        double secs = baiot_em_iteration_seconds(m, &es, &exact);
        fprintf(stderr,
                "em: %d E steps (M-step sums fused in), %d M steps, in %.4f s: %.4f s per iteration; "
                "%lld of %lld row E steps on the exact path\n",
                es, baiot_em_iterations(m), secs, es > 0 ? secs / es : 0.0, (long long)exact,
                (long long)es * (long long)v->n_rows);
    }
    if (save && (st = baiot_model_save_em(save, m, v, &vp, &ep)))
        goto fail;
    assign = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *assign);
    if (!assign) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    if ((st = baiot_em_cluster(m, v, assign, &llk)))
        goto fail;
    if (c2c_on && (st = baiot_eval_classes_to_clusters(v->y, v->n_rows, v->n_classes, assign,
                                                       baiot_em_n_clusters(m), &c2c)))
        goto fail;
    if (json) {
        st = baiot_em_write_json(m, v, &ep, assign, llk, c2c_on ? &c2c : NULL, stdout);
    } else {
        printf("\n\n=== Clustering stats for training data ===\n\n");
        if (!(st = baiot_em_print(m, v, stdout)))
            st = baiot_em_print_evaluation(m, v, assign, llk, c2c_on ? &c2c : NULL, stdout);
    }
    if (st)
        goto fail;
    baiot_eval_c2c_free(&c2c);
    baiot_free(assign);
    baiot_em_free(m);
    baiot_view_free(v);
    cli_common_finish("em", &co, 0);
    return 0;
fail:
    baiot_eval_c2c_free(&c2c);
    baiot_free(assign);
    baiot_em_free(m);
    baiot_view_free(v);
    return cli_report("em", st);
}
