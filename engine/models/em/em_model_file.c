/*
 * em_model_file.c - the EM member of model files (docs/MODEL_FORMAT.md;
 * diagonal models only): the fitted mixture as a JSON object and back
 * (em_model_file.h).
 *
 * Guarantees: numbers are written in their shortest round-trip text, so a
 * loaded model holds the same doubles as the saved one; a malformed or
 * mismatched object is refused with BAIOT_ERR_FORMAT naming the file; so
 * is a number out of its range, naming the field and the item (priors
 * finite, >= 0 and summing to 1 within EM_PRIOR_SUM_TOL; means and
 * replacements finite; standard deviations of numeric attributes finite
 * and above 0; counts finite and >= 0).
 * Covered by tests/cli/test_predict.py (save, load, same clusters) and
 * tests/cli/test_model_validation.py (out-of-range numbers refused).
 */
#include "engine/models/em/em_model_file.h"
#include "engine/models/em/em_internal.h"

#include <math.h>
#include <stdio.h>

static void put_doubles(FILE *f, const char *name, const double *x, int64_t n)
{
    fprintf(f, ", \"%s\": ", name);
    baiot_json_write_numbers(f, x, n);
}

void baiot_em_write_model_json(const baiot_em_model *m, FILE *f)
{
    fprintf(f, "{\"k\": %d, \"attributes\": %d, \"iterations\": %d, \"by_cv\": %s, \"values\": [", m->k, m->d,
            m->iterations, m->by_cv ? "true" : "false");
    for (int j = 0; j < m->d; j++)
        fprintf(f, "%s%d", j ? ", " : "", m->nvals[j]);
    fputc(']', f);
    put_doubles(f, "fill", m->fill, m->d);
    put_doubles(f, "prior", m->fit.prior, m->k);
    put_doubles(f, "mean", m->fit.mean, (int64_t)m->k * m->d);
    put_doubles(f, "sd", m->fit.sd, (int64_t)m->k * m->d);
    put_doubles(f, "count", m->fit.cnt, (int64_t)m->k * m->nv_total);
    put_doubles(f, "count_sum", m->fit.cnt_sum, (int64_t)m->k * m->d);
    fputs(", \"train_loglik\": ", f);
    baiot_json_write_number(f, m->train_llk);
    if (m->strict_math)
        fputs(", \"strict_math\": true", f); /* absent: libm's exp and log */
    fputc('}', f);
}

static int get_doubles(const json_value *o, const char *name, double *out, int64_t n)
{
    const json_value *a = baiot_json_get(o, name);
    if (!a || a->type != JSON_ARRAY || a->n != n)
        return 0;
    for (int64_t i = 0; i < n; i++) {
        if (a->items[i]->type != JSON_NUMBER)
            return 0;
        out[i] = a->items[i]->number;
    }
    return 1;
}

/* Every number of a loaded mixture in its range (see the header comment);
 * the first one that is not is named with its field and item. */
static baiot_status check_ranges(const baiot_em_model *m, const char *what)
{
    double sum = 0;
    for (int c = 0; c < m->k; c++) {
        double p = m->fit.prior[c];
        if (!isfinite(p) || p < 0)
            return baiot_fail(BAIOT_ERR_FORMAT, "'%s': EM field 'prior' item %d is %.17g: a prior must be a finite "
                              "number >= 0", what, c + 1, p);
        sum += p;
    }
    if (!(fabs(sum - 1.0) <= EM_PRIOR_SUM_TOL))
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s': EM field 'prior' sums to %.17g: the priors must sum to 1 (within %g)",
                          what, sum, EM_PRIOR_SUM_TOL);
    for (int j = 0; j < m->d; j++)
        if (m->nvals[j] == 0 && !isfinite(m->fill[j]))
            return baiot_fail(BAIOT_ERR_FORMAT, "'%s': EM field 'fill' item %d is not a finite number", what, j + 1);
    for (int c = 0; c < m->k; c++)
        for (int j = 0; j < m->d; j++) {
            int64_t i = (int64_t)c * m->d + j;
            if (m->nvals[j] != 0)
                continue; /* a nominal attribute: its counts below */
            if (!isfinite(m->fit.mean[i]))
                return baiot_fail(BAIOT_ERR_FORMAT, "'%s': EM field 'mean' item %lld (cluster %d, attribute %d) is "
                                  "not a finite number", what, (long long)i + 1, c + 1, j + 1);
            if (!isfinite(m->fit.sd[i]) || !(m->fit.sd[i] > 0))
                return baiot_fail(BAIOT_ERR_FORMAT, "'%s': EM field 'sd' item %lld (cluster %d, attribute %d) is "
                                  "%.17g: a standard deviation must be finite and above 0", what, (long long)i + 1,
                                  c + 1, j + 1, m->fit.sd[i]);
        }
    for (int64_t i = 0; i < (int64_t)m->k * m->nv_total; i++)
        if (!isfinite(m->fit.cnt[i]) || m->fit.cnt[i] < 0)
            return baiot_fail(BAIOT_ERR_FORMAT, "'%s': EM field 'count' item %lld is %.17g: a count must be a finite "
                              "number >= 0", what, (long long)i + 1, m->fit.cnt[i]);
    for (int64_t i = 0; i < (int64_t)m->k * m->d; i++)
        if (!isfinite(m->fit.cnt_sum[i]) || m->fit.cnt_sum[i] < 0)
            return baiot_fail(BAIOT_ERR_FORMAT, "'%s': EM field 'count_sum' item %lld is %.17g: a count must be a "
                              "finite number >= 0", what, (long long)i + 1, m->fit.cnt_sum[i]);
    return BAIOT_OK;
}

baiot_status baiot_em_from_json(const json_value *o, int n_cols, const int *col_values, const char *what,
                                baiot_em_model **out)
{
    const json_value *k = baiot_json_get(o, "k"), *d = baiot_json_get(o, "attributes"), *vals = baiot_json_get(o, "values"),
                     *it = baiot_json_get(o, "iterations");
    baiot_status st;
    *out = NULL;
    if (!k || k->type != JSON_NUMBER || k->number < 1 || k->number > 10000 || !d || d->type != JSON_NUMBER ||
        d->number != n_cols || !vals || vals->type != JSON_ARRAY || vals->n != n_cols)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the EM model is incomplete or not for %d attributes", what, n_cols);
    baiot_em_model *m = baiot_calloc(1, sizeof *m);
    if (!m)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    m->k = (int)k->number;
    m->d = n_cols;
    m->iterations = it && it->type == JSON_NUMBER ? (int)it->number : 0;
    m->nvals = baiot_calloc((size_t)n_cols + 1, sizeof *m->nvals);
    m->off = baiot_calloc((size_t)n_cols + 1, sizeof *m->off);
    m->fill = baiot_calloc((size_t)n_cols + 1, sizeof *m->fill);
    if (!m->nvals || !m->off || !m->fill) {
        baiot_em_free(m);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    for (int j = 0; j < n_cols; j++) {
        if (vals->items[j]->type != JSON_NUMBER || vals->items[j]->number < 0 || vals->items[j]->number > 1e6) {
            baiot_em_free(m);
            return baiot_fail(BAIOT_ERR_FORMAT, "%s: bad value count of attribute %d", what, j + 1);
        }
        m->nvals[j] = (int)vals->items[j]->number;
        if (col_values && m->nvals[j] != col_values[j]) {
            baiot_em_free(m);
            return baiot_fail(BAIOT_ERR_FORMAT, "'%s': EM field 'values' item %d is %d, but column %d has %d nominal "
                              "values", what, j + 1, (int)vals->items[j]->number, j + 1, col_values[j]);
        }
        m->off[j] = m->nv_total;
        m->nv_total += m->nvals[j];
    }
    if ((st = baiot_em_fit_alloc(&m->fit, m->k, m->d, m->nvals, m->off, m->nv_total))) {
        baiot_em_free(m);
        return st;
    }
    const json_value *llk = baiot_json_get(o, "train_loglik");
    const char *bad = !get_doubles(o, "fill", m->fill, m->d)                                          ? "fill"
                      : !get_doubles(o, "prior", m->fit.prior, m->k)                                  ? "prior"
                      : !get_doubles(o, "mean", m->fit.mean, (int64_t)m->k * m->d)                    ? "mean"
                      : !get_doubles(o, "sd", m->fit.sd, (int64_t)m->k * m->d)                        ? "sd"
                      : !get_doubles(o, "count", m->fit.cnt, (int64_t)m->k * m->nv_total)             ? "count"
                      : !get_doubles(o, "count_sum", m->fit.cnt_sum, (int64_t)m->k * m->d)            ? "count_sum"
                      : !llk || llk->type != JSON_NUMBER                                              ? "train_loglik"
                                                                                                      : NULL;
    if (bad) {
        baiot_em_free(m);
        return baiot_fail(BAIOT_ERR_FORMAT,
                          "'%s': EM field '%s' is missing or does not fit %d clusters x %d attributes (a list of "
                          "numbers of that size)",
                          what, bad, (int)k->number, n_cols);
    }
    m->train_llk = llk->number;
    const json_value *sm = baiot_json_get(o, "strict_math");
    if (sm && sm->type != JSON_BOOL) {
        baiot_em_free(m);
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s': EM field 'strict_math' must be true or false", what);
    }
    m->strict_math = sm && sm->number != 0;
    if ((st = check_ranges(m, what))) {
        baiot_em_free(m);
        return st;
    }
    *out = m;
    return BAIOT_OK;
}
