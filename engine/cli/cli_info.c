/*
 * cli_info.c - `baiot info DATA`: what a store (or an ARFF file) holds.
 * Covered by tests/cli/test_ingest_layouts.py,
 * tests/cli/test_store_versions.py and tests/cli/test_readme_example.sh.
 */
#include "baiot/nbaiot.h"
#include "baiot/store.h"
#include "baiot/view.h"
#include "cli.h"
#include "io/text/json.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: baiot info DATA [--sources] [--columns] [--class NAME] [--json]\n\n"
    "Describes a store: devices, rows per (device, family, attack), feature count,\n"
    "size on disk. For an ARFF or N-BaIoT CSV file: its columns and class counts.\n\n"
    "options:\n"
    "      --sources   list the source files with their rows and SHA-256\n"
    "      --columns   list the feature columns with their positions\n"
    "      --class NAME  ARFF: the class attribute (default the last)\n"
    "      --json      one JSON document (everything above, sources and columns included)\n"
    CLI_HELP_QV CLI_HELP_HELP
    "DATA '-' reads an ARFF or CSV file from the standard input.\n";

static void json_store(const char *path, baiot_store *s, int64_t counts[BAIOT_N_DEVICES][BAIOT_N_ATTACKS],
                       off_t size)
{
    printf("{\"store\": ");
    baiot_json_write_string(stdout, path);
    printf(", \"format\": \"%s\", \"format_version\": %d, \"size_bytes\": %lld, \"rows\": %lld, "
           "\"features\": %d,\n \"counts\": [",
           BAIOT_STORE_FORMAT, baiot_store_format_version(s), (long long)size, (long long)baiot_store_rows(s),
           baiot_store_n_features(s));
    int first = 1;
    for (int d = 0; d < BAIOT_N_DEVICES; d++)
        for (int a = 0; a < BAIOT_N_ATTACKS; a++)
            if (counts[d][a]) {
                printf("%s\n  {\"device\": \"%s\", \"family\": \"%s\", \"attack\": \"%s\", \"rows\": %lld}",
                       first ? "" : ",", baiot_device_names[d], baiot_family_names[baiot_attack_family[a]],
                       baiot_attack_short[a], (long long)counts[d][a]);
                first = 0;
            }
    printf("],\n \"sources\": [");
    for (int i = 0; i < baiot_store_n_sources(s); i++) {
        const baiot_source_info *si = baiot_store_source(s, i);
        printf("%s\n  {\"name\": ", i ? "," : "");
        baiot_json_write_string(stdout, si->name);
        printf(", \"rows\": %lld, \"first_row\": %lld, \"sha256\": ", (long long)si->rows,
               (long long)si->first_row);
        baiot_json_write_string(stdout, si->sha256);
        printf("}");
    }
    printf("],\n \"columns\": [");
    for (int j = 0; j < baiot_store_n_features(s); j++) {
        printf("%s", j ? ", " : "");
        baiot_json_write_string(stdout, baiot_store_feature_name(s, j));
    }
    printf("]}\n");
}

static int info_store(const char *path, int show_sources, int show_columns, int json)
{
    baiot_store *s;
    struct stat sb;
    baiot_status st = baiot_store_open(path, &s);
    if (st)
        return cli_report("info", st);
    int64_t counts[BAIOT_N_DEVICES][BAIOT_N_ATTACKS];
    memset(counts, 0, sizeof counts);
    for (int i = 0; i < baiot_store_n_sources(s); i++) {
        const baiot_source_info *si = baiot_store_source(s, i);
        counts[si->device][si->attack] += si->rows;
    }
    if (stat(path, &sb) != 0)
        sb.st_size = 0;
    if (json) {
        json_store(path, s, counts, sb.st_size);
        baiot_store_close(s);
        return 0;
    }
    printf("store:     %s\n", path);
    printf("format:    %s version %d\n", BAIOT_STORE_FORMAT, baiot_store_format_version(s));
    printf("size:      %.1f MB on disk\n", (double)sb.st_size / 1e6);
    printf("rows:      %lld\n", (long long)baiot_store_rows(s));
    printf("features:  %d\n", baiot_store_n_features(s));
    printf("sources:   %d\n", baiot_store_n_sources(s));
    int n_dev = 0;
    for (int d = 0; d < BAIOT_N_DEVICES; d++) {
        int64_t t = 0;
        for (int a = 0; a < BAIOT_N_ATTACKS; a++)
            t += counts[d][a];
        n_dev += t > 0;
    }
    printf("devices:   %d\n\n", n_dev);
    printf("%-42s %-8s %-10s %10s\n", "device", "family", "attack", "rows");
    for (int d = 0; d < BAIOT_N_DEVICES; d++) {
        int64_t t = 0;
        for (int a = 0; a < BAIOT_N_ATTACKS; a++) {
            if (!counts[d][a])
                continue;
            printf("%-42s %-8s %-10s %10lld\n", baiot_device_names[d], baiot_family_names[baiot_attack_family[a]],
                   baiot_attack_short[a], (long long)counts[d][a]);
            t += counts[d][a];
        }
        if (t)
            printf("%-42s %-8s %-10s %10lld\n", baiot_device_names[d], "all", "", (long long)t);
    }
    if (show_sources) {
        printf("\n%-4s %-60s %10s %12s  %s\n", "#", "source", "rows", "first row", "sha256");
        for (int i = 0; i < baiot_store_n_sources(s); i++) {
            const baiot_source_info *si = baiot_store_source(s, i);
            printf("%-4d %-60s %10lld %12lld  %s\n", i + 1, si->name, (long long)si->rows,
                   (long long)si->first_row, si->sha256);
        }
    }
    if (show_columns) {
        printf("\ncolumns:\n");
        for (int j = 0; j < baiot_store_n_features(s); j++)
            printf("%4d %s\n", j + 1, baiot_store_feature_name(s, j));
    }
    baiot_store_close(s);
    return 0;
}

static int info_view(const char *path, const char *shown, const char *class_attr, int json)
{
    baiot_view *v;
    baiot_view_params vp = baiot_view_params_default();
    vp.class_attr = class_attr;
    baiot_status st = baiot_view_load(path, &vp, &v);
    if (st)
        return cli_report("info", st);
    if (json) {
        int labelled = v->n_rows == 0 || baiot_view_labelled_rows(v) > 0;
        printf("{\"file\": ");
        baiot_json_write_string(stdout, shown);
        printf(", \"format\": \"%s\", \"relation\": ", baiot_data_format_name(baiot_data_format_of(path)));
        baiot_json_write_string(stdout, v->relation ? v->relation : "");
        printf(", \"rows\": %lld, \"labelled\": %s, \"class\": ", (long long)v->n_rows,
               labelled ? "true" : "false");
        if (labelled)
            baiot_json_write_string(stdout, v->class_name);
        else
            fputs("null", stdout); /* no label: no class, no counts */
        printf(",\n \"attributes\": [");
        for (int j = 0; j < v->n_cols; j++) {
            int64_t missing = 0;
            for (int64_t r = 0; r < v->n_rows; r++)
                missing += v->cols[j][r] != v->cols[j][r];
            printf("%s\n  {\"name\": ", j ? "," : "");
            baiot_json_write_string(stdout, v->attrs[j].name);
            printf(", \"kind\": \"%s\", \"missing\": %lld}",
                   v->attrs[j].kind == BAIOT_ATTR_NOMINAL ? "nominal" : "numeric", (long long)missing);
        }
        printf("],\n \"class_counts\": [");
        for (int c = 0; labelled && c < v->n_classes; c++) {
            int64_t n = 0;
            for (int64_t r = 0; r < v->n_rows; r++)
                n += v->y[r] == c;
            printf("%s{\"class\": ", c ? ", " : "");
            baiot_json_write_string(stdout, v->class_names[c]);
            printf(", \"rows\": %lld}", (long long)n);
        }
        printf("]}\n");
        baiot_view_free(v);
        return 0;
    }
    printf("file:       %s\n", shown);
    printf("relation:   %s\n", v->relation ? v->relation : "");
    printf("rows:       %lld\n", (long long)v->n_rows);
    int labelled = v->n_rows == 0 || baiot_view_labelled_rows(v) > 0;
    if (labelled)
        printf("attributes: %d + class '%s'\n\n", v->n_cols, v->class_name);
    else
        printf("attributes: %d, no label (no row has a class)\n\n", v->n_cols);
    for (int j = 0; j < v->n_cols; j++) {
        int64_t missing = 0;
        for (int64_t r = 0; r < v->n_rows; r++)
            missing += v->cols[j][r] != v->cols[j][r];
        printf("%4d %-30s %-8s %lld missing\n", j + 1, v->attrs[j].name,
               v->attrs[j].kind == BAIOT_ATTR_NOMINAL ? "nominal" : "numeric", (long long)missing);
    }
    if (!labelled)
        printf("\nclass: no label: rank, oner, j48, run, bulk and folds need class labels (%s); em and "
               "info work without them\n",
               v->format == BAIOT_DATA_ARFF ? "give the rows their class, or choose the class attribute with --class"
                                            : "name the file as the N-BaIoT download does, or ingest it with "
                                              "--device, --family and --attack");
    else
        printf("\nclass counts:\n");
    for (int c = 0; labelled && c < v->n_classes; c++) {
        int64_t n = 0;
        for (int64_t r = 0; r < v->n_rows; r++)
            n += v->y[r] == c;
        printf("  %-30s %lld\n", v->class_names[c], (long long)n);
    }
    baiot_view_free(v);
    return 0;
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {{"sources", no_argument, 0, 's'},
                                         {"columns", no_argument, 0, 'c'},
                                         {"class", required_argument, 0, 'k'},
                                         CLI_COMMON_QV, CLI_COMMON_JSON_OPTION,
                                         {0, 0, 0, 0}};
    int sources = 0, columns = 0, c, rc;
    const char *class_attr = NULL;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("info", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 's': sources = 1; break;
        case 'c': columns = 1; break;
        case 'k': class_attr = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("info", "bad option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("info", "give one store or ARFF file");
    const char *path;
    if ((rc = cli_common_start("info", &co)) || (rc = cli_input("info", argv[optind], &path)))
        return rc;
    if (baiot_store_is_store(path)) {
        if (class_attr)
            return cli_usage_error("info", "--class names an ARFF file's class attribute: '%s' is a store",
                                   argv[optind]);
        rc = info_store(path, sources, columns, co.json);
    } else {
        if (sources)
            return cli_usage_error("info", "--sources lists a store's sources: '%s' is not a store", argv[optind]);
        rc = info_view(path, argv[optind], class_attr, co.json);
    }
    cli_common_finish("info", &co, rc);
    return rc;
}
