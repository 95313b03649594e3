/*
 * eval_json.c - an evaluation as one JSON document (every figure,
 * docs/EVALUATION_JSON.md) and a class's threshold curve as CSV and/or
 * JSON.
 *
 * Guarantees: strings and numbers through io/text/json.c's writers
 * (shortest round-trip numbers, null for undefined figures, like every
 * JSON the program writes); BAIOT_ERR_IO when a stream reports a write
 * error.  Covered by tests/unit/test_evaluation.c.
 */
#include "engine/evaluation/eval_internal.h"

#include "io/text/json.h"

#include <math.h>
#include <stdio.h>

static void json_field(FILE *f, const char *indent, const char *name, double v, int last)
{
    fprintf(f, "%s\"%s\": ", indent, name);
    baiot_json_write_number(f, v);
    fputs(last ? "\n" : ",\n", f);
}

static const char *const undef_names[] = {"tp_rate", "fp_rate", "precision", "f_measure",
                                          "mcc", "roc_area", "prc_area"};

static void json_class_stats(FILE *f, const baiot_eval_class_stats *s, int with_counts,
                             const char *indent)
{
    if (with_counts) {
        json_field(f, indent, "tp", s->tp, 0);
        json_field(f, indent, "fp", s->fp, 0);
        json_field(f, indent, "tn", s->tn, 0);
        json_field(f, indent, "fn", s->fn, 0);
    }
    json_field(f, indent, "tp_rate", s->tp_rate, 0);
    json_field(f, indent, "fp_rate", s->fp_rate, 0);
    json_field(f, indent, "precision", s->precision, 0);
    json_field(f, indent, "recall", s->recall, 0);
    json_field(f, indent, "f_measure", s->f_measure, 0);
    json_field(f, indent, "mcc", s->mcc, 0);
    json_field(f, indent, "roc_area", s->roc_area, 0);
    json_field(f, indent, "prc_area", s->prc_area, 0);
    fprintf(f, "%s\"undefined\": [", indent);
    int first = 1;
    for (unsigned b = 0; b < sizeof undef_names / sizeof *undef_names; b++)
        if (s->undefined & (1u << b)) {
            fprintf(f, "%s\"%s\"", first ? "" : ", ", undef_names[b]);
            first = 0;
        }
    fputs("]\n", f);
}

baiot_status baiot_eval_write_json(baiot_eval *e, FILE *f)
{
    const baiot_eval_results *r;
    if (!f)
        return baiot_fail(BAIOT_ERR_ARG, "baiot_eval_write_json: NULL FILE");
    baiot_status st = baiot_eval_compute(e, &r);
    if (st != BAIOT_OK)
        return st;
    int k = r->n_classes;
    fputs("{\n  \"format\": \"baiot-evaluation\",\n  \"version\": 1,\n", f);
    fputs("  \"reference\": \"Weka 3.6.14 Evaluation (MCC, PRC area: Weka 3.8)\",\n", f);
    fprintf(f, "  \"n_classes\": %d,\n  \"class_names\": [", k);
    for (int c = 0; c < k; c++) {
        if (c)
            fputs(", ", f);
        baiot_json_write_string(f, e->class_names[c]);
    }
    fprintf(f, "],\n  \"n_predictions\": %lld,\n  \"summary\": {\n", (long long)r->n_predictions);
    const char *in2 = "    ";
    json_field(f, in2, "correct", r->correct, 0);
    json_field(f, in2, "incorrect", r->incorrect, 0);
    json_field(f, in2, "unclassified", r->unclassified, 0);
    json_field(f, in2, "pct_correct", r->pct_correct, 0);
    json_field(f, in2, "pct_incorrect", r->pct_incorrect, 0);
    json_field(f, in2, "pct_unclassified", r->pct_unclassified, 0);
    json_field(f, in2, "kappa", r->kappa, 0);
    json_field(f, in2, "mean_absolute_error", r->mean_absolute_error, 0);
    json_field(f, in2, "root_mean_squared_error", r->root_mean_squared_error, 0);
    json_field(f, in2, "relative_absolute_error", r->relative_absolute_error, 0);
    json_field(f, in2, "root_relative_squared_error", r->root_relative_squared_error, 0);
    json_field(f, in2, "mean_prior_absolute_error", r->mean_prior_absolute_error, 0);
    json_field(f, in2, "root_mean_prior_squared_error", r->root_mean_prior_squared_error, 0);
    json_field(f, in2, "num_instances", r->num_instances, 0);
    json_field(f, in2, "missing_class", r->missing_class, 1);
    fputs("  },\n  \"confusion_matrix\": [\n", f);
    for (int i = 0; i < k; i++) {
        fputs("    [", f);
        for (int j = 0; j < k; j++) {
            if (j)
                fputs(", ", f);
            baiot_json_write_number(f, r->confusion[(size_t)i * k + j]);
        }
        fputs(i + 1 < k ? "],\n" : "]\n", f);
    }
    fputs("  ],\n  \"per_class\": [\n", f);
    for (int c = 0; c < k; c++) {
        fputs("    {\n      \"class\": ", f);
        baiot_json_write_string(f, e->class_names[c]);
        fprintf(f, ",\n      \"index\": %d,\n", c);
        json_class_stats(f, &r->per_class[c], 1, "      ");
        fputs(c + 1 < k ? "    },\n" : "    }\n", f);
    }
    fputs("  ],\n  \"weighted_avg\": {\n", f);
    json_class_stats(f, &r->weighted, 0, "    ");
    fputs("  }\n}\n", f);
    return baiot_eval_check_written(f, "baiot_eval_write_json");
}

baiot_status baiot_eval_write_roc(baiot_eval *e, int class_index, FILE *csv, FILE *json)
{
    const baiot_eval_results *r;
    const baiot_eval_roc_point *pts;
    int64_t n;
    baiot_status st = baiot_eval_compute(e, &r);
    if (st != BAIOT_OK)
        return st;
    st = baiot_eval_roc(e, class_index, &pts, &n);
    if (st != BAIOT_OK)
        return st;
    if (csv) {
        fputs("threshold,tpr,fpr,tp,fn,fp,tn,precision\n", csv);
        for (int64_t i = 0; i < n; i++) {
            const double v[8] = {pts[i].threshold, pts[i].tpr, pts[i].fpr, pts[i].tp,
                                 pts[i].fn, pts[i].fp, pts[i].tn, pts[i].precision};
            for (int j = 0; j < 8; j++) {
                if (j)
                    fputc(',', csv);
                baiot_json_write_number(csv, v[j]);
            }
            fputc('\n', csv);
        }
        st = baiot_eval_check_written(csv, "baiot_eval_write_roc (CSV)");
        if (st != BAIOT_OK)
            return st;
    }
    if (json) {
        const baiot_eval_class_stats *s = &r->per_class[class_index];
        fputs("{\n  \"format\": \"baiot-roc-curve\",\n  \"version\": 1,\n  \"class\": ", json);
        baiot_json_write_string(json, e->class_names[class_index]);
        fprintf(json, ",\n  \"class_index\": %d,\n  \"roc_area\": ", class_index);
        baiot_json_write_number(json, s->roc_area);
        fputs(",\n  \"prc_area\": ", json);
        baiot_json_write_number(json, s->prc_area);
        fprintf(json, ",\n  \"n_points\": %lld", (long long)n);
        static const char *const cols[] = {"threshold", "tpr", "fpr", "tp",
                                           "fn", "fp", "tn", "precision"};
        for (int j = 0; j < 8; j++) {
            fprintf(json, ",\n  \"%s\": [", cols[j]);
            for (int64_t i = 0; i < n; i++) {
                const double v[8] = {pts[i].threshold, pts[i].tpr, pts[i].fpr, pts[i].tp,
                                     pts[i].fn, pts[i].fp, pts[i].tn, pts[i].precision};
                if (i)
                    fputs(", ", json);
                baiot_json_write_number(json, v[j]);
            }
            fputc(']', json);
        }
        fputs("\n}\n", json);
        st = baiot_eval_check_written(json, "baiot_eval_write_roc (JSON)");
    }
    return st;
}
