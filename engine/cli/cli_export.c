/*
 * cli_export.c - `baiot export DATA --arff|--csv -o FILE`: a selection of a
 * store (or an ARFF file) for Weka, pandas and other tools.
 * Covered by tests/cli/test_export_roundtrip.py and
 * tests/cli/test_real_files.py.
 */
#include "baiot/arff.h"
#include "baiot/csv.h"
#include "baiot/view.h"
#include "cli.h"
#include "io/text/json.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: baiot export DATA (--arff|--csv) -o FILE [options]\n\n"
    "Writes the selected rows and columns of a store (or an ARFF file) with the\n"
    "task's class. Numbers are written in the shortest text that reads back to the\n"
    "same double, so exported values are exactly the stored ones.\n\n"
    "options:\n"
    "      --arff            write Weka ARFF (class = last attribute)\n"
    "      --csv             write CSV: the columns, then a 'class' column\n"
    "  -o, --output FILE     the file to write (required; '-': standard output)\n"
    "      --device LIST     devices to keep (names or 1..9, comma-separated; default all)\n"
    "      --task T          3class (default), binary or 11class\n"
    "      --columns LIST    column names or 1-based positions, or @FILE (default all)\n"
    "      --no-class        CSV: leave out the class column (the plain N-BaIoT layout)\n"
    "      --crlf            CSV: \\r\\n line ends, as the UCI files have\n"
    "      --class NAME      ARFF input: the class attribute (default the last)\n"
    "      --json            print a JSON summary (rows, columns, classes, output)\n"
    CLI_HELP_THREADS CLI_HELP_FORCE CLI_HELP_QV CLI_HELP_HELP;

enum { OPT_ARFF = 256, OPT_CSV, OPT_DEVICE, OPT_TASK, OPT_COLUMNS, OPT_NO_CLASS, OPT_CRLF, OPT_CLASS };

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"arff", no_argument, 0, OPT_ARFF},          {"csv", no_argument, 0, OPT_CSV},
        {"output", required_argument, 0, 'o'},       {"device", required_argument, 0, OPT_DEVICE},
        {"task", required_argument, 0, OPT_TASK},    {"columns", required_argument, 0, OPT_COLUMNS},
        {"no-class", no_argument, 0, OPT_NO_CLASS},  {"crlf", no_argument, 0, OPT_CRLF},
        {"class", required_argument, 0, OPT_CLASS},  {"devices", required_argument, 0, OPT_DEVICE},
        CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION, CLI_COMMON_JSON_OPTION, CLI_COMMON_THREADS_OPTION,
        {0, 0, 0, 0}};
    baiot_view_params vp = baiot_view_params_default();
    baiot_csv_options co = {1, 0};
    const char *output = NULL;
    int format = 0, no_class = 0, crlf = 0, c, rc;
    baiot_status st;
    cli_common cm;
    cli_common_default(&cm);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qvh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("export", c, optarg, &cm)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_ARFF:
        case OPT_CSV:
            if (format && format != (c == OPT_ARFF ? 'a' : 'c'))
                return cli_usage_error("export", "--arff and --csv contradict each other: give one");
            format = c == OPT_ARFF ? 'a' : 'c';
            break;
        case 'o': output = optarg; break;
        case OPT_DEVICE: vp.devices = optarg; break;
        case OPT_TASK:
            if ((st = baiot_task_parse(optarg, &vp.task)))
                return cli_report("export", st);
            break;
        case OPT_COLUMNS: vp.columns = optarg; break;
        case OPT_NO_CLASS: no_class = 1; break;
        case OPT_CRLF: crlf = 1; break;
        case OPT_CLASS: vp.class_attr = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("export", "bad option");
        }
    }
    if (!format)
        return cli_usage_error("export", "choose --arff or --csv");
    if (!output)
        return cli_usage_error("export", "no output file: give -o FILE");
    if (optind != argc - 1)
        return cli_usage_error("export", "give one store or ARFF file");
    if (format == 'a' && (no_class || crlf))
        return cli_usage_error("export", "%s shapes CSV output: it means nothing with --arff",
                               no_class ? "--no-class" : "--crlf");
    if (cm.json && !strcmp(output, "-"))
        return cli_usage_error("export", "-o - and --json both want the standard output");
    co.with_class = !no_class;
    co.crlf = crlf;
    const char *data;
    if ((rc = cli_common_start("export", &cm)) || (rc = cli_input("export", argv[optind], &data)) ||
        (rc = cli_output_free("export", output)))
        return rc;
    baiot_view *v;
    if ((st = baiot_view_load(data, &vp, &v)))
        return cli_report("export", st);
    if ((format == 'a' || co.with_class) &&
        (st = baiot_view_check_labelled(v, argv[optind], format == 'a' ? "an ARFF export (its class attribute)"
                                                                        : "a CSV export with a class column "
                                                                          "(--no-class writes the features alone)"))) {
        baiot_view_free(v);
        return cli_report("export", st);
    }
    st = format == 'a' ? baiot_arff_write_view(output, v) : baiot_csv_write_view(output, v, &co);
    if (!st && cm.json) {
        printf("{\"data\": ");
        baiot_json_write_string(stdout, argv[optind]);
        printf(", \"output\": ");
        baiot_json_write_string(stdout, output);
        printf(", \"format\": \"%s\", \"rows\": %lld, \"columns\": %d, \"classes\": %d}\n",
               format == 'a' ? "arff" : "csv", (long long)v->n_rows, v->n_cols, v->n_classes);
    } else if (!st && cm.verbose) {
        fprintf(stderr, "%s: %lld rows, %d columns\n", output, (long long)v->n_rows, v->n_cols);
    }
    baiot_view_free(v);
    rc = st ? cli_report("export", st) : 0;
    cli_common_finish("export", &cm, rc);
    return rc;
}
