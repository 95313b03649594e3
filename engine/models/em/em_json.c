/*
 * em_json.c - EM's JSON document (baiot_em_write_json): parameters, the
 * model, the rows per cluster, the log-likelihood and the
 * classes-to-clusters figures; full covariance adds the covariances and
 * the start.  It is `baiot em --json`'s output and report.json's EM model.
 *
 * Guarantees: strings through baiot_json_write_string and numbers through
 * baiot_json_write_number (io/text/json.c: the shortest text that reads back as
 * the same double, null for NaN / infinities), like every other JSON the
 * program writes.  Covered by tests/cli/test_em_golden.py,
 * tests/cli/test_em_full.py and tests/cli/test_study.py.
 */
#include "engine/models/em/em_internal.h"

#include "io/text/json.h"

#include <stdint.h>
#include <stdio.h>

static void json_matrices(FILE *f, const double *x, int k, int d, int square)
{
    fputc('[', f);
    for (int c = 0; c < k; c++) {
        fputs(c ? ",\n  [" : "\n  [", f);
        for (int i = 0; i < (square ? d : 1); i++) {
            if (square)
                fputs(i ? ", [" : "[", f);
            for (int j = 0; j < d; j++) {
                fputs(j ? ", " : "", f);
                baiot_json_write_number(f, square ? x[(int64_t)c * d * d + (int64_t)j * d + i] : x[(int64_t)c * d + j]);
            }
            if (square)
                fputc(']', f);
        }
        fputc(']', f);
    }
    fputc(']', f);
}

/* The full-covariance members of baiot_em_write_json (after "priors"). */
static void write_json_full(const baiot_em_model *m, FILE *f)
{
    fprintf(f, ",\n \"covariance\": \"full\", \"reg_covar\": ");
    baiot_json_write_number(f, m->reg_covar);
    fprintf(f, ",\n \"means\": ");
    json_matrices(f, m->fit.mean, m->k, m->d, 0);
    fprintf(f, ",\n \"covariances\": ");
    json_matrices(f, m->cov, m->k, m->d, 1);
    fprintf(f, ",\n \"initial\": {\"priors\": [");
    for (int c = 0; c < m->k; c++) {
        fputs(c ? ", " : "", f);
        baiot_json_write_number(f, m->init_prior[c]);
    }
    fprintf(f, "],\n \"means\": ");
    json_matrices(f, m->init_mean, m->k, m->d, 0);
    fprintf(f, ",\n \"covariances\": ");
    json_matrices(f, m->init_cov, m->k, m->d, 1);
    fputc('}', f);
}

baiot_status baiot_em_write_json(const baiot_em_model *m, const baiot_view *v, const baiot_em_params *p,
                                 const int *assign, double mean_loglik, const baiot_eval_c2c *c2c, FILE *f)
{
    const int k = m->k;
    int64_t *stats = baiot_calloc((size_t)k, sizeof *stats);
    if (!stats)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int64_t i = 0; i < v->n_rows; i++)
        stats[assign[i]]++;
    fprintf(f, "{\"clusterer\": \"EM\", \"seed\": %lld, \"max_iter\": %d, \"requested_clusters\": %d,\n",
            (long long)p->seed, p->max_iter, p->n_clusters);
    fprintf(f, " \"clusters\": %d, \"selected_by_cv\": %s, \"iterations\": %d, \"log_likelihood\": ", k,
            m->by_cv ? "true" : "false", m->iterations);
    baiot_json_write_number(f, mean_loglik);
    fprintf(f, ",\n \"priors\": [");
    for (int c = 0; c < k; c++) {
        fprintf(f, c ? ", " : "");
        baiot_json_write_number(f, m->fit.prior[c]);
    }
    fputc(']', f);
    if (m->cov)
        write_json_full(m, f);
    fprintf(f, ",\n \"attributes\": [");
    for (int j = 0; j < m->d; j++) {
        fprintf(f, "%s\n  {\"name\": ", j ? "," : "");
        baiot_json_write_string(f, v->attrs[j].name);
        if (!m->nvals[j]) {
            fprintf(f, ", \"mean\": [");
            for (int c = 0; c < k; c++) {
                fprintf(f, c ? ", " : "");
                baiot_json_write_number(f, m->fit.mean[c * m->d + j]);
            }
            fprintf(f, "], \"std_dev\": [");
            for (int c = 0; c < k; c++) {
                fprintf(f, c ? ", " : "");
                baiot_json_write_number(f, m->fit.sd[c * m->d + j]);
            }
            fprintf(f, "]}");
        } else {
            fprintf(f, ", \"counts\": [");
            for (int c = 0; c < k; c++) {
                fprintf(f, c ? ", [" : "[");
                for (int a = 0; a <= m->nvals[j]; a++) {
                    fprintf(f, a ? ", " : "");
                    baiot_json_write_number(f, baiot_em_count(m, c, j, a));
                }
                fprintf(f, "]");
            }
            fprintf(f, "]}");
        }
    }
    fprintf(f, "],\n \"clustered\": [");
    for (int c = 0; c < k; c++)
        fprintf(f, "%s%lld", c ? ", " : "", (long long)stats[c]);
    baiot_free(stats);
    fprintf(f, "]");
    if (c2c) {
        fprintf(f, ",\n \"classes_to_clusters\": {\"classes\": [");
        for (int y = 0; y < c2c->n_classes; y++) {
            fprintf(f, y ? ", " : "");
            baiot_json_write_string(f, v->class_names[y]);
        }
        fprintf(f, "], \"matrix\": [");
        for (int y = 0; y < c2c->n_classes; y++) {
            fprintf(f, y ? ", [" : "[");
            for (int c = 0; c < k; c++)
                fprintf(f, "%s%lld", c ? ", " : "", (long long)c2c->counts[(int64_t)c * c2c->n_classes + y]);
            fprintf(f, "]");
        }
        fprintf(f, "], \"cluster_class\": [");
        for (int c = 0; c < k; c++)
            fprintf(f, "%s%d", c ? ", " : "", c2c->cluster_class[c]);
        fprintf(f, "], \"incorrect\": %lld, \"rows\": %lld, \"accuracy\": ", (long long)c2c->incorrect,
                (long long)c2c->n);
        baiot_json_write_number(f, 1.0 - (double)c2c->incorrect / (double)c2c->n);
        fprintf(f, "}");
    }
    fprintf(f, "}\n");
    if (ferror(f))
        return baiot_fail(BAIOT_ERR_IO, "EM JSON: write error");
    return BAIOT_OK;
}
