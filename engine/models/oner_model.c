/*
 * oner_model.c - Weka's OneR classifier (see include/baiot/oner.h).
 *
 * Training on a row list: for every attribute, the rows with a class are
 * split into those with a value (sorted by value, cut into groups of equal
 * values with their class counts: kernels/oner_groups.c) and those without
 * (counted per class); kernels/oner.c builds the rule; the attribute with
 * the most training rows right wins, the first one on ties.  Only the
 * winner's rule is kept.  A rule read from a model file is range-checked
 * (breaks finite and ascending, classes valid indices, correct <= trained).
 * Covered by tests/unit/test_oner.c, tests/cli/test_oner_golden.py
 * (Weka's own output) and tests/cli/test_model_validation.py.
 */
#include "baiot/oner.h"
#include "engine/weka/weka_numfmt.h"
#include "kernels/oner.h"
#include "kernels/oner_groups.h"
#include "io/text/json.h"

#include <math.h>
#include <string.h>

struct baiot_oner_model {
    int attr;            /* the chosen column */
    int nominal;
    int n_classes;
    oner_rule rule;      /* breaks/classes owned */
    int64_t trained;     /* training rows with a class */
};

baiot_oner_params baiot_oner_params_default(void)
{
    baiot_oner_params p;
    p.min_bucket = 6;
    return p;
}

void baiot_oner_free(baiot_oner_model *m)
{
    if (!m)
        return;
    baiot_free(m->rule.breaks);
    baiot_free(m->rule.classes);
    baiot_free(m);
}

/* Workspace for one attribute's rule over the training rows. */
typedef struct work {
    baiot_oner_groups groups; /* a numeric column sorted and grouped */
    int64_t *nominal_counts, *scratch;
    double *breaks;
    int *classes;
} work;

static void work_free(work *w)
{
    baiot_oner_groups_free(&w->groups);
    baiot_free(w->nominal_counts);
    baiot_free(w->scratch);
    baiot_free(w->breaks);
    baiot_free(w->classes);
}

static int work_alloc(work *w, int64_t n, int nc, int max_values)
{
    size_t nn = (size_t)(n > 0 ? n : 1);
    memset(w, 0, sizeof *w);
    w->nominal_counts = baiot_malloc((size_t)(max_values + 1) * (size_t)nc * sizeof *w->nominal_counts);
    w->scratch = baiot_malloc(3 * (size_t)nc * sizeof *w->scratch);
    w->breaks = baiot_malloc((nn + (size_t)max_values + 1) * sizeof *w->breaks);
    w->classes = baiot_malloc((nn + (size_t)max_values + 1) * sizeof *w->classes);
    return w->nominal_counts && w->scratch && w->breaks && w->classes &&
           baiot_oner_groups_alloc(&w->groups, n, nc, 0) == BAIOT_OK;
}

/* Builds attribute j's rule into w->breaks / w->classes. */
static void build_rule(const baiot_view *v, int j, const int64_t *rows, int64_t n, int min_bucket, work *w,
                       oner_rule *rule)
{
    int nc = v->n_classes;
    const double *x = v->cols[j];
    rule->breaks = w->breaks;
    rule->classes = w->classes;
    if (v->attrs[j].kind == BAIOT_ATTR_NOMINAL) {
        int nv = v->attrs[j].n_values;
        memset(w->nominal_counts, 0, (size_t)(nv + 1) * (size_t)nc * sizeof *w->nominal_counts);
        for (int64_t i = 0; i < n; i++) {
            int64_t r = rows[i];
            if (v->y[r] < 0)
                continue;
            int val = isnan(x[r]) ? nv : (int)x[r];
            w->nominal_counts[(int64_t)val * nc + v->y[r]]++;
        }
        baiot_oner_build_nominal(w->nominal_counts, nv, w->nominal_counts + (int64_t)nv * nc, nc, rule);
        return;
    }
    const baiot_oner_groups *g = &w->groups;
    baiot_oner_groups_build(&w->groups, x, v->y, rows, n, NULL);
    baiot_oner_build_numeric_grouped(g->value, g->total, g->n_groups, NULL, NULL, 0, g->miss, nc, min_bucket, w->scratch,
                               rule);
}

baiot_status baiot_oner_train(const baiot_view *v, const int64_t *rows, int64_t n, const baiot_oner_params *p,
                              baiot_oner_model **out)
{
    baiot_oner_params defaults = baiot_oner_params_default();
    baiot_oner_model *m = NULL;
    work w;
    int max_values = 0, best = -1;
    int64_t best_correct = -1;
    baiot_status st = BAIOT_OK;
    *out = NULL;
    if (!p)
        p = &defaults;
    if (v->n_cols < 1)
        return baiot_fail(BAIOT_ERR_ARG, "OneR needs at least one attribute");
    for (int j = 0; j < v->n_cols; j++)
        if (v->attrs[j].kind == BAIOT_ATTR_NOMINAL && v->attrs[j].n_values > max_values)
            max_values = v->attrs[j].n_values;
    if (!work_alloc(&w, n, v->n_classes, max_values) || !(m = baiot_calloc(1, sizeof *m))) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory training OneR on %lld rows", (long long)n);
        goto done;
    }
    oner_rule rule;
    for (int j = 0; j < v->n_cols; j++) {
        build_rule(v, j, rows, n, p->min_bucket, &w, &rule);
        if (rule.correct > best_correct) {
            best_correct = rule.correct;
            best = j;
        }
    }
    /* rebuild the winner and keep it */
    build_rule(v, best, rows, n, p->min_bucket, &w, &rule);
    m->attr = best;
    m->nominal = v->attrs[best].kind == BAIOT_ATTR_NOMINAL;
    m->n_classes = v->n_classes;
    m->rule = rule;
    m->rule.breaks = baiot_malloc((size_t)(rule.n_buckets + 1) * sizeof *m->rule.breaks);
    m->rule.classes = baiot_malloc((size_t)(rule.n_buckets + 1) * sizeof *m->rule.classes);
    if (!m->rule.breaks || !m->rule.classes) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    memcpy(m->rule.breaks, rule.breaks, (size_t)rule.n_buckets * sizeof *rule.breaks);
    memcpy(m->rule.classes, rule.classes, (size_t)rule.n_buckets * sizeof *rule.classes);
    for (int64_t i = 0; i < n; i++)
        m->trained += v->y[rows[i]] >= 0;
    *out = m;
    m = NULL;
done:
    baiot_oner_free(m);
    work_free(&w);
    return st;
}

int baiot_oner_predict(const baiot_oner_model *m, const baiot_view *v, int64_t r)
{
    return baiot_oner_rule_predict(&m->rule, m->nominal, v->cols[m->attr][r]);
}

baiot_status baiot_oner_print(const baiot_oner_model *m, const baiot_view *v, FILE *f)
{
    const baiot_attr *a = &v->attrs[m->attr];
    char num[WEKA_NUMFMT_MAX];
    fprintf(f, "%s:\n", a->name);
    for (int b = 0; b < m->rule.n_buckets; b++) {
        fputc('\t', f);
        if (m->nominal) {
            fputs(a->values[b], f);
        } else if (b < m->rule.n_buckets - 1) {
            baiot_weka_numfmt_java_double(m->rule.breaks[b], num, sizeof num);
            fprintf(f, "< %s", num);
        } else if (b > 0) {
            baiot_weka_numfmt_java_double(m->rule.breaks[b - 1], num, sizeof num);
            fprintf(f, ">= %s", num);
        } else {
            fputs("not ?", f);
        }
        fprintf(f, "\t-> %s\n", v->class_names[m->rule.classes[b]]);
    }
    if (m->rule.missing_class >= 0)
        fprintf(f, "\t?\t-> %s\n", v->class_names[m->rule.missing_class]);
    fprintf(f, "(%lld/%lld instances correct)\n", (long long)m->rule.correct, (long long)m->trained);
    return ferror(f) ? baiot_fail(BAIOT_ERR_IO, "OneR: cannot write the rule (the stream reports a write error)") : BAIOT_OK;
}

/* ---- learner adapter ---- */

static baiot_status learner_train(const baiot_view *v, const int64_t *rows, int64_t n, const void *params,
                                  void **model)
{
    baiot_oner_model *m;
    baiot_status st = baiot_oner_train(v, rows, n, params, &m);
    *model = st ? NULL : m;
    return st;
}

static void learner_predict(const void *model, const baiot_view *v, int64_t r, double *dist)
{
    const baiot_oner_model *m = model;
    memset(dist, 0, (size_t)m->n_classes * sizeof *dist);
    dist[baiot_oner_predict(m, v, r)] = 1.0;
}

static void learner_free(void *model)
{
    baiot_oner_free(model);
}

baiot_learner baiot_oner_learner(const baiot_oner_params *p)
{
    baiot_learner l;
    l.name = "OneR";
    l.params = p;
    l.train = learner_train;
    l.predict = learner_predict;
    l.free_model = learner_free;
    l.concurrency = 0;
    return l;
}

/* ---- model files ---- */

int baiot_oner_attribute(const baiot_oner_model *m)
{
    return m->attr;
}

baiot_status baiot_oner_write_json(const baiot_oner_model *m, FILE *f)
{
    fprintf(f, "{\"nominal\": %s, \"breaks\": [", m->nominal ? "true" : "false");
    for (int b = 0; b + 1 < m->rule.n_buckets && !m->nominal; b++) {
        if (b)
            fputs(", ", f);
        baiot_json_write_number(f, m->rule.breaks[b]);
    }
    fputs("], \"classes\": [", f);
    for (int b = 0; b < m->rule.n_buckets; b++)
        fprintf(f, "%s%d", b ? ", " : "", m->rule.classes[b]);
    fprintf(f, "], \"missing_class\": %d, \"correct\": %lld, \"trained\": %lld}", m->rule.missing_class,
            (long long)m->rule.correct, (long long)m->trained);
    return ferror(f) ? baiot_fail(BAIOT_ERR_IO, "OneR: cannot write the model (the stream reports a write error)") : BAIOT_OK;
}

static int json_int(const json_value *v, int64_t lo, int64_t hi, int64_t *out)
{
    if (!v || v->type != JSON_NUMBER || v->number != floor(v->number) || v->number < (double)lo ||
        v->number > (double)hi)
        return 0;
    *out = (int64_t)v->number;
    return 1;
}

baiot_status baiot_oner_from_json(const json_value *obj, int n_classes, int nominal, int n_values, const char *what,
                                  baiot_oner_model **out)
{
    const json_value *breaks = baiot_json_get(obj, "breaks"), *classes = baiot_json_get(obj, "classes");
    int64_t missing, correct, trained;
    *out = NULL;
    if (!breaks || breaks->type != JSON_ARRAY || !classes || classes->type != JSON_ARRAY || classes->n < 1 ||
        !json_int(baiot_json_get(obj, "missing_class"), -1, n_classes - 1, &missing) ||
        !json_int(baiot_json_get(obj, "correct"), 0, INT64_MAX / 2, &correct) ||
        !json_int(baiot_json_get(obj, "trained"), 0, INT64_MAX / 2, &trained) ||
        (nominal ? classes->n != n_values : breaks->n != classes->n - 1))
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the OneR rule is incomplete or inconsistent", what);
    if (correct > trained)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s': OneR field 'correct' (%lld) is above field 'trained' (%lld)", what,
                          (long long)correct, (long long)trained);
    baiot_oner_model *m = baiot_calloc(1, sizeof *m);
    if (!m || !(m->rule.breaks = baiot_malloc((size_t)classes->n * sizeof(double))) ||
        !(m->rule.classes = baiot_malloc((size_t)classes->n * sizeof(int)))) {
        baiot_oner_free(m);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    m->attr = 0;
    m->nominal = nominal;
    m->n_classes = n_classes;
    m->rule.n_buckets = classes->n;
    m->rule.missing_class = (int)missing;
    m->rule.correct = correct;
    m->trained = trained;
    for (int b = 0; b < classes->n; b++) {
        int64_t c;
        if (!json_int(classes->items[b], 0, n_classes - 1, &c)) {
            baiot_oner_free(m);
            return baiot_fail(BAIOT_ERR_FORMAT, "'%s': OneR field 'classes' item %d is not a class index (0..%d)",
                              what, b + 1, n_classes - 1);
        }
        m->rule.classes[b] = (int)c;
        if (nominal)
            continue;
        if (b + 1 < classes->n) {
            if (breaks->items[b]->type != JSON_NUMBER || !isfinite(breaks->items[b]->number) ||
                (b > 0 && !(breaks->items[b]->number > m->rule.breaks[b - 1]))) {
                baiot_oner_free(m);
                return baiot_fail(BAIOT_ERR_FORMAT, "'%s': OneR field 'breaks' item %d is not a finite number above "
                                  "the one before", what, b + 1);
            }
            m->rule.breaks[b] = breaks->items[b]->number;
        } else {
            m->rule.breaks[b] = INFINITY;
        }
    }
    *out = m;
    return BAIOT_OK;
}
