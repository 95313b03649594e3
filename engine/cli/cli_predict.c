/*
 * cli_predict.c - `baiot predict MODEL DATA`: applies a saved model to a
 * store, an ARFF or an N-BaIoT CSV file: the predicted class and class
 * probabilities of every row (-o FILE), and the evaluation when the data
 * has labels.  An anomaly detector (baiot detect's detector.model): every
 * row's score, its flag (score > tr*) and the majority vote of the window
 * of ws* rows ending there, in the data's row order.
 * Covered by tests/cli/test_predict.py and tests/cli/test_deep_model.py.
 */
#include "baiot/detect.h"
#include "baiot/evaluation.h"
#include "io/files/atomic_file.h"
#include "io/text/json.h"
#include "baiot/model.h"
#include "baiot/view.h"
#include "cli.h"

#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: baiot predict MODEL DATA [options]\n\n"
    "Applies a model saved with --save (docs/MODEL_FORMAT.md) to DATA (a store, an\n"
    "ARFF file or an N-BaIoT CSV). The data must have the model's columns, by name.\n"
    "With -o, writes one line per row: row, actual class, predicted class and the\n"
    "class probabilities. When the rows have classes, prints Weka's evaluation\n"
    "(with uniform priors for the relative errors), or with --json its JSON.\n\n"
    "options:\n"
    "  -o, --output OUT.csv    write every row's prediction ('-': standard output,\n"
    "                          instead of the evaluation)\n"
    "      --device LIST       store: devices (default all)\n"
    "      --class NAME        ARFF: the class attribute (default the last)\n"
    "      --layout 3.6|3.8    columns of the printed tables (default 3.8)\n"
    CLI_HELP_JSON CLI_HELP_THREADS CLI_HELP_FORCE CLI_HELP_QV CLI_HELP_HELP;

enum { OPT_DEVICE = 256, OPT_CLASS, OPT_LAYOUT };

/* An EM model: each row's cluster (-o), the mean log-likelihood, and the
 * classes-to-clusters evaluation when the rows have classes. */
static int predict_clusters(const baiot_model *mm, const baiot_view *v, const char *output, int json,
                            int to_stdout)
{
    const baiot_em_model *em = baiot_model_em(mm);
    int *assign = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *assign);
    double llk = 0;
    baiot_eval_c2c c2c;
    int have_c2c = 0, labelled = 0;
    baiot_status st;
    memset(&c2c, 0, sizeof c2c);
    if (!assign)
        return cli_report("predict", baiot_fail(BAIOT_ERR_MEMORY, "out of memory"));
    if ((st = baiot_model_check_view(mm, v)) || (st = baiot_em_cluster(em, v, assign, &llk))) {
        baiot_free(assign);
        return cli_report("predict", st);
    }
    if (output) {
        atomic_file af;
        baiot_status wst = baiot_atomic_file_open(output, &af);
        if (wst) {
            baiot_free(assign);
            return cli_report("predict", wst);
        }
        fprintf(af.fp, "row,cluster\n");
        for (int64_t r = 0; r < v->n_rows; r++)
            fprintf(af.fp, "%lld,%d\n", (long long)r + 1, assign[r]);
        if ((wst = baiot_atomic_file_commit(&af))) {
            baiot_free(assign);
            return cli_report("predict", wst);
        }
    }
    for (int64_t r = 0; r < v->n_rows; r++)
        labelled |= v->y[r] >= 0;
    if (to_stdout) {
        baiot_free(assign);
        return 0;
    }
    if (labelled) {
        if ((st = baiot_eval_classes_to_clusters(v->y, v->n_rows, v->n_classes, assign, baiot_em_n_clusters(em),
                                                 &c2c))) {
            baiot_free(assign);
            return cli_report("predict", st);
        }
        have_c2c = 1;
    }
    baiot_em_params dp = baiot_em_params_default();
    dp.n_clusters = baiot_em_n_clusters(em);
    if (json)
        st = baiot_em_write_json(em, v, &dp, assign, llk, have_c2c ? &c2c : NULL, stdout);
    else
        st = baiot_em_print_evaluation(em, v, assign, llk, have_c2c ? &c2c : NULL, stdout);
    if (have_c2c)
        baiot_eval_c2c_free(&c2c);
    baiot_free(assign);
    return st ? cli_report("predict", st) : 0;
}

/* A detector: per row the score, the flag and the window decision (-o),
 * and the counts per class (text or --json). */
static int predict_detector(const char *model_path, const char *data, baiot_view_params vp, const char *output,
                            int json, int to_stdout)
{
    baiot_detector *d = NULL;
    baiot_view *v = NULL;
    double *score = NULL;
    unsigned char *flag = NULL, *alarm = NULL;
    atomic_file af = {0};
    baiot_status st;
    if ((st = baiot_detector_load(model_path, &d)))
        return cli_report("predict", st);
    vp.columns = baiot_detector_columns(d);
    if (baiot_data_format_of(data) != BAIOT_DATA_ARFF)
        vp.task = BAIOT_TASK_11CLASS;
    if ((st = baiot_view_load(data, &vp, &v))) {
        baiot_fail_context(st, "the data does not fit the detector %s: ", model_path);
        goto fail;
    }
    size_t n = (size_t)(v->n_rows > 0 ? v->n_rows : 1);
    score = baiot_malloc(n * sizeof *score);
    flag = baiot_malloc(n);
    alarm = baiot_malloc(n);
    if (!score || !flag || !alarm) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    if ((st = baiot_detector_score(d, v, score)))
        goto fail;
    double tr = baiot_detector_threshold(d);
    int ws = baiot_detector_window(d);
    int64_t flagged = 0, alarms = 0, cnt = 0;
    for (int64_t r = 0; r < v->n_rows; r++) {
        flag[r] = score[r] > tr;
        flagged += flag[r];
        cnt += flag[r];
        if (r >= ws)
            cnt -= flag[r - ws];
        alarm[r] = r >= ws - 1 ? (cnt * 2 > ws ? 1 : 0) : 2; /* 2: no whole window yet */
        alarms += alarm[r] == 1;
    }
    if (output) {
        if ((st = baiot_atomic_file_open(output, &af)))
            goto fail;
        fprintf(af.fp, "row,actual,score,flag,window_alarm\n");
        for (int64_t r = 0; r < v->n_rows; r++) {
            fprintf(af.fp, "%lld,%s,%.17g,%d,%s\n", (long long)r + 1, v->y[r] >= 0 ? v->class_names[v->y[r]] : "?",
                    score[r], flag[r], alarm[r] == 2 ? "" : alarm[r] ? "1" : "0");
        }
        if ((st = baiot_atomic_file_commit(&af)))
            goto fail;
    }
    if (!to_stdout) {
        int64_t windows = v->n_rows >= ws ? v->n_rows - ws + 1 : 0;
        if (json) {
            printf("{\"kind\": \"detector\", \"device\": ");
            baiot_json_write_string(stdout, baiot_detector_device(d));
            printf(", \"rows\": %lld, \"threshold\": %.17g, \"window\": %d, \"flagged_rows\": %lld, "
                   "\"windows\": %lld, \"alarming_windows\": %lld, \"classes\": [",
                   (long long)v->n_rows, tr, ws, (long long)flagged, (long long)windows, (long long)alarms);
        } else {
            printf("detector for %s: tr* = %.6g, ws* = %d\n%lld rows, %lld over tr*; %lld of %lld windows alarm\n",
                   baiot_detector_device(d), tr, ws, (long long)v->n_rows, (long long)flagged, (long long)alarms,
                   (long long)windows);
        }
        for (int c = 0; c < v->n_classes; c++) {
            int64_t rows = 0, fl = 0;
            for (int64_t r = 0; r < v->n_rows; r++)
                if (v->y[r] == c) {
                    rows++;
                    fl += flag[r];
                }
            if (json) {
                printf("%s{\"name\": ", c ? ", " : "");
                baiot_json_write_string(stdout, v->class_names[c]);
                printf(", \"rows\": %lld, \"flagged_rows\": %lld}", (long long)rows, (long long)fl);
            } else if (rows > 0) {
                printf("  %-16s %lld rows, %lld over tr* (%.4f)\n", v->class_names[c], (long long)rows, (long long)fl,
                       (double)fl / (double)rows);
            }
        }
        if (json)
            printf("]}\n");
    }
    baiot_free(score);
    baiot_free(flag);
    baiot_free(alarm);
    baiot_view_free(v);
    baiot_detector_free(d);
    return 0;
fail:
    baiot_atomic_file_abort(&af);
    baiot_free(score);
    baiot_free(flag);
    baiot_free(alarm);
    baiot_view_free(v);
    baiot_detector_free(d);
    return cli_report("predict", st);
}

int cmd_predict(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                         {"device", required_argument, 0, OPT_DEVICE},
                                         {"devices", required_argument, 0, OPT_DEVICE},
                                         {"class", required_argument, 0, OPT_CLASS},
                                         {"layout", required_argument, 0, OPT_LAYOUT},
                                         CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION, CLI_COMMON_JSON_OPTION,
                                         CLI_COMMON_THREADS_OPTION, {0, 0, 0, 0}};
    baiot_view_params vp = baiot_view_params_default();
    baiot_eval_layout layout = BAIOT_EVAL_LAYOUT_WEKA38;
    const char *output = NULL;
    int layout_given = 0, c, rc;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qvh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("predict", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'o': output = optarg; break;
        case OPT_DEVICE: vp.devices = optarg; break;
        case OPT_CLASS: vp.class_attr = optarg; break;
        case OPT_LAYOUT:
            if (strcmp(optarg, "3.6") != 0 && strcmp(optarg, "3.8") != 0)
                return cli_usage_error("predict", "--layout is 3.6 or 3.8, not '%s'", optarg);
            layout = strcmp(optarg, "3.6") == 0 ? BAIOT_EVAL_LAYOUT_WEKA36 : BAIOT_EVAL_LAYOUT_WEKA38;
            layout_given = 1;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("predict", "bad option");
        }
    }
    if (optind != argc - 2)
        return cli_usage_error("predict", "give a model file and a data file");
    int json = co.json, verbose = co.verbose, to_stdout = output && !strcmp(output, "-");
    if (to_stdout && json)
        return cli_usage_error("predict", "-o - and --json both want the standard output");
    if (json && layout_given)
        return cli_usage_error("predict", "--layout sets the printed tables' columns: it means nothing with --json");
    const char *model_path, *data;
    if ((rc = cli_common_start("predict", &co)) || (rc = cli_input("predict", argv[optind], &model_path)) ||
        (rc = cli_input("predict", argv[optind + 1], &data)) ||
        (rc = cli_output_free("predict", output)))
        return rc;
    baiot_model *m = NULL;
    baiot_view *v = NULL;
    baiot_eval *ev = NULL;
    double *dist = NULL;
    int *actual = NULL;
    atomic_file af = {0};
    FILE *out = NULL;
    baiot_status st;
    int rc_em;
    if (baiot_detector_file(model_path)) {
        if (layout_given)
            return cli_usage_error("predict", "--layout shapes a classifier's tables; a detector prints none");
        if (baiot_data_format_of(data) == BAIOT_DATA_ARFF && vp.devices)
            return cli_usage_error("predict", "'%s' is an ARFF file: --device applies to stores", data);
        rc = predict_detector(model_path, data, vp, output, json, to_stdout);
        if (!rc)
            cli_common_finish("predict", &co, 0);
        return rc;
    }
    if ((st = baiot_model_load(model_path, &m)))
        return cli_report("predict", st);
    vp.columns = baiot_model_columns(m);
    /* an ARFF file's classes are its class attribute, matched by name */
    vp.task = baiot_data_format_of(data) == BAIOT_DATA_ARFF ? BAIOT_TASK_3CLASS : baiot_model_task(m);
    if ((st = baiot_view_load(data, &vp, &v))) {
        baiot_fail_context(st, "the data does not fit the model %s: ", argv[optind]);
        goto fail;
    }
    if (baiot_model_em(m)) {
        rc_em = predict_clusters(m, v, output, json, to_stdout);
        baiot_view_free(v);
        baiot_model_free(m);
        return rc_em;
    }
    int nc = baiot_model_n_classes(m);
    const char *const *names = baiot_model_class_names(m);
    dist = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * (size_t)nc * sizeof *dist);
    actual = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *actual);
    if (!dist || !actual) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    double t0 = omp_get_wtime();
    if ((st = baiot_model_predict(m, v, dist)))
        goto fail;
    double dt = omp_get_wtime() - t0;
    if (verbose)
        fprintf(stderr, "predicted %lld rows in %.4f s (%.1f million rows/s, %d threads)\n", (long long)v->n_rows, dt,
                dt > 0 ? (double)v->n_rows / dt / 1e6 : 0.0, omp_get_max_threads());
    int64_t labelled = 0;
    for (int64_t r = 0; r < v->n_rows; r++) {
        actual[r] = -1;
        if (v->y[r] >= 0)
            for (int k = 0; k < nc; k++)
                if (strcmp(names[k], v->class_names[v->y[r]]) == 0)
                    actual[r] = k;
        labelled += actual[r] >= 0;
    }
    if (output) {
        if ((st = baiot_atomic_file_open(output, &af)))
            goto fail;
        out = af.fp;
        fprintf(out, "row,actual,predicted");
        for (int k = 0; k < nc; k++)
            fprintf(out, ",p_%s", names[k]);
        fputc('\n', out);
        for (int64_t r = 0; r < v->n_rows; r++) {
            const double *d = dist + r * nc;
            int best = 0;
            for (int k = 1; k < nc; k++)
                if (d[k] > d[best])
                    best = k;
            fprintf(out, "%lld,%s,%s", (long long)r + 1, actual[r] >= 0 ? names[actual[r]] : "?", names[best]);
            for (int k = 0; k < nc; k++)
                fprintf(out, ",%.17g", d[k]);
            fputc('\n', out);
        }
        out = NULL;
        if ((st = baiot_atomic_file_commit(&af)))
            goto fail;
    }
    if (to_stdout) {
        /* the predictions were the output */
    } else if (labelled > 0) {
        if ((st = baiot_eval_create(nc, names, &ev)))
            goto fail;
        for (int64_t r = 0; r < v->n_rows && !st; r++)
            st = baiot_eval_add(ev, actual[r], dist + r * nc, 1.0);
        if (!st)
            st = json ? baiot_eval_write_json(ev, stdout)
                      : baiot_eval_print_report(ev, layout, "=== Evaluation on the data ===", stdout);
        if (st)
            goto fail;
    } else if (!output) {
        printf("%lld rows predicted; the data has no classes to evaluate against (use -o to write the "
               "predictions)\n",
               (long long)v->n_rows);
    }
    baiot_eval_free(ev);
    baiot_free(dist);
    baiot_free(actual);
    baiot_view_free(v);
    baiot_model_free(m);
    cli_common_finish("predict", &co, 0);
    return 0;
fail:
    baiot_atomic_file_abort(&af); /* closes and removes a half-written output */
    baiot_eval_free(ev);
    baiot_free(dist);
    baiot_free(actual);
    baiot_view_free(v);
    baiot_model_free(m);
    return cli_report("predict", st);
}
