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
    "  -o, --output FILE     the file to write (required)\n"
    "      --device LIST     devices to keep (names or 1..9, comma-separated; default all)\n"
    "      --task T          3class (default), binary or 11class\n"
    "      --columns LIST    column names or 1-based positions, or @FILE (default all)\n"
    "      --no-class        CSV: leave out the class column (the plain N-BaIoT layout)\n"
    "      --crlf            CSV: \\r\\n line ends, as the UCI files have\n"
    "      --class NAME      ARFF input: the class attribute (default the last)\n"
    "  -h, --help            this text\n";

enum { OPT_ARFF = 256, OPT_CSV, OPT_DEVICE, OPT_TASK, OPT_COLUMNS, OPT_NO_CLASS, OPT_CRLF, OPT_CLASS };

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"arff", no_argument, 0, OPT_ARFF},          {"csv", no_argument, 0, OPT_CSV},
        {"output", required_argument, 0, 'o'},       {"device", required_argument, 0, OPT_DEVICE},
        {"task", required_argument, 0, OPT_TASK},    {"columns", required_argument, 0, OPT_COLUMNS},
        {"no-class", no_argument, 0, OPT_NO_CLASS},  {"crlf", no_argument, 0, OPT_CRLF},
        {"class", required_argument, 0, OPT_CLASS},
        {"help", no_argument, 0, 'h'},               {0, 0, 0, 0}};
    baiot_view_params vp = baiot_view_params_default();
    baiot_csv_options co = {1, 0};
    const char *output = NULL;
    int format = 0, c;
    baiot_status st;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_ARFF: format = 'a'; break;
        case OPT_CSV: format = 'c'; break;
        case 'o': output = optarg; break;
        case OPT_DEVICE: vp.devices = optarg; break;
        case OPT_TASK:
            if ((st = baiot_task_parse(optarg, &vp.task)))
                return cli_report("export", st);
            break;
        case OPT_COLUMNS: vp.columns = optarg; break;
        case OPT_NO_CLASS: co.with_class = 0; break;
        case OPT_CRLF: co.crlf = 1; break;
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
    baiot_view *v;
    if ((st = baiot_view_load(argv[optind], &vp, &v)))
        return cli_report("export", st);
    if ((format == 'a' || co.with_class) &&
        (st = baiot_view_check_labelled(v, argv[optind], format == 'a' ? "an ARFF export (its class attribute)"
                                                                        : "a CSV export with a class column "
                                                                          "(--no-class writes the features alone)"))) {
        baiot_view_free(v);
        return cli_report("export", st);
    }
    st = format == 'a' ? baiot_arff_write_view(output, v) : baiot_csv_write_view(output, v, &co);
    baiot_view_free(v);
    if (st)
        return cli_report("export", st);
    return 0;
}
