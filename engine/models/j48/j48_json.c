/*
 * j48_json.c - a J48 tree in a model file (docs/MODEL_FORMAT.md, the
 * "model" member written by engine/models/model_file.c) and back: every
 * node's distribution (per bag and class, per bag, per class, total) in
 * shortest round-trip numbers, and each split's column, kind, threshold
 * and children, so a loaded tree predicts exactly as the saved one.
 *
 * Guarantees: reading checks every field's type and size against the
 * model's classes and columns (a malformed file gives BAIOT_ERR_FORMAT
 * naming the file, never a crash; depth and bags are bounded by
 * J48_JSON_MAX_DEPTH and J48_JSON_MAX_BAGS), and every number's range,
 * naming the field and the node's depth: weights finite and >= 0,
 * thresholds finite, a split's kind one of the three, on a column of its
 * kind, with as many branches as it routes to (2, or the nominal
 * column's value count).  Covered by
 * tests/unit/test_j48_model.c (trees compared as this text),
 * tests/cli/test_predict.py (save, load, predict),
 * tests/cli/test_model_validation.py (out-of-range numbers) and the model
 * fuzzer (tests/fuzz/fuzz_model.c, corpus tests/fuzz/corpus/model/).
 */
#include "engine/models/j48/j48_json.h"
#include "engine/models/j48/j48_internal.h"

static void write_doubles(FILE *f, const double *x, int n)
{
    fputc('[', f);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        baiot_json_write_number(f, x[i]);
    }
    fputc(']', f);
}

/* A node: its distribution (per bag and class, per bag, per class, total)
 * and, for a split, the test and the children. */
static void write_node(const node *t, FILE *f)
{
    fprintf(f, "{\"leaf\": %s, \"empty\": %s, \"bags\": %d, \"total\": ", t->leaf ? "true" : "false",
            t->empty ? "true" : "false", t->d.nb);
    baiot_json_write_number(f, t->d.total);
    fputs(", \"class\": ", f);
    write_doubles(f, t->d.pc, t->d.nc);
    fputs(", \"bag\": ", f);
    write_doubles(f, t->d.pb, t->d.nb);
    fputs(", \"bag_class\": ", f);
    write_doubles(f, t->d.pcb, t->d.nb * t->d.nc);
    if (!t->leaf) {
        fprintf(f, ", \"attr\": %d, \"kind\": %d, \"point\": ", t->attr, t->kind);
        baiot_json_write_number(f, t->point);
        fputs(", \"kids\": [", f);
        for (int b = 0; b < t->nb; b++) {
            if (b)
                fputs(", ", f);
            write_node(t->kids[b], f);
        }
        fputc(']', f);
    }
    fputc('}', f);
}

baiot_status baiot_j48_write_json(const baiot_j48_model *m, FILE *f)
{
    fprintf(f, "{\"laplace\": %s, \"weka36\": %s, \"binary\": %s, \"tree\": ", m->p.laplace ? "true" : "false",
            m->p.weka36 ? "true" : "false", m->p.binary ? "true" : "false");
    write_node(m->root, f);
    fputc('}', f);
    if (ferror(f))
        return baiot_fail(BAIOT_ERR_IO, "J48: writing the model failed");
    return BAIOT_OK;
}

/* Reads n weights: 1 done, 0 not a list of n numbers, -1 a number that is
 * not finite and >= 0. */
static int read_doubles(const json_value *a, double *out, int n)
{
    if (!a || a->type != JSON_ARRAY || a->n != n)
        return 0;
    for (int i = 0; i < n; i++) {
        if (a->items[i]->type != JSON_NUMBER)
            return 0;
        out[i] = a->items[i]->number;
        if (!isfinite(out[i]) || out[i] < 0)
            return -1;
    }
    return 1;
}

static node *read_node(const json_value *o, int nc, int ncols, const int *col_values, int depth, const char *what,
                       baiot_status *st)
{
    const json_value *leaf = baiot_json_get(o, "leaf"), *empty = baiot_json_get(o, "empty"), *bags = baiot_json_get(o, "bags"),
                     *total = baiot_json_get(o, "total");
    if (depth > J48_JSON_MAX_DEPTH || !leaf || leaf->type != JSON_BOOL || !empty || empty->type != JSON_BOOL || !bags ||
        bags->type != JSON_NUMBER || bags->number < 1 || bags->number > J48_JSON_MAX_BAGS || !total || total->type != JSON_NUMBER) {
        *st = baiot_fail(BAIOT_ERR_FORMAT, "%s: a J48 node is incomplete", what);
        return NULL;
    }
    if (!isfinite(total->number) || total->number < 0) {
        *st = baiot_fail(BAIOT_ERR_FORMAT, "'%s': J48 field 'total' of a node at depth %d is %.17g: a weight must be "
                         "a finite number >= 0", what, depth, total->number);
        return NULL;
    }
    node *t = baiot_calloc(1, sizeof *t);
    int nb = (int)bags->number;
    if (!t || baiot_j48_dist_init(&t->d, nb, nc)) {
        baiot_free(t);
        *st = baiot_fail(BAIOT_ERR_MEMORY, "%s: out of memory reading a J48 node", what);
        return NULL;
    }
    t->leaf = leaf->number != 0;
    t->empty = empty->number != 0;
    t->nb = nb;
    t->attr = -1;
    t->d.total = total->number;
    const char *field = NULL;
    int got = 0;
    if ((got = read_doubles(baiot_json_get(o, "class"), t->d.pc, nc)) != 1)
        field = "class";
    else if ((got = read_doubles(baiot_json_get(o, "bag"), t->d.pb, nb)) != 1)
        field = "bag";
    else if ((got = read_doubles(baiot_json_get(o, "bag_class"), t->d.pcb, nb * nc)) != 1)
        field = "bag_class";
    if (field) {
        baiot_j48_node_free(t);
        *st = got < 0 ? baiot_fail(BAIOT_ERR_FORMAT, "'%s': J48 field '%s' of a node at depth %d holds a weight that "
                                   "is not a finite number >= 0", what, field, depth)
                      : baiot_fail(BAIOT_ERR_FORMAT, "'%s': J48 field '%s' of a node at depth %d does not fit %d "
                                   "classes and %d branches", what, field, depth, nc, nb);
        return NULL;
    }
    if (t->leaf) {
        t->nb = 1;
        return t;
    }
    const json_value *attr = baiot_json_get(o, "attr"), *kind = baiot_json_get(o, "kind"), *point = baiot_json_get(o, "point"),
                     *kids = baiot_json_get(o, "kids");
    const char *missing = !attr || attr->type != JSON_NUMBER || !(attr->number >= 0 && attr->number < ncols) ||
                                  attr->number != floor(attr->number)
                              ? "'attr' (a column position)"
                          : !kind || kind->type != JSON_NUMBER ? "'kind'"
                          : !point || point->type != JSON_NUMBER ? "'point' (the threshold, a finite number)"
                          : !kids || kids->type != JSON_ARRAY || kids->n != nb ? "'kids' (one per branch)"
                                                                                : NULL;
    if (missing) {
        baiot_j48_node_free(t);
        *st = baiot_fail(BAIOT_ERR_FORMAT, "'%s': J48 split at depth %d: field %s is missing or out of range", what,
                         depth, missing);
        return NULL;
    }
    t->attr = (int)attr->number;
    t->kind = (int)kind->number;
    t->point = point->number;
    /* what the split routes to (baiot_j48_which_subset) must be a branch */
    int nv = col_values ? col_values[t->attr] : 0;
    const char *bad = NULL;
    if (kind->number != t->kind || t->kind < SPLIT_NUMERIC || t->kind > SPLIT_BINARY)
        bad = "'kind' is not 0 (numeric), 1 (nominal) or 2 (binary nominal)";
    else if (!isfinite(t->point))
        bad = "'point' (the threshold) is not a finite number";
    else if ((t->kind == SPLIT_NUMERIC) != (nv == 0))
        bad = "'kind' does not match the kind of its column 'attr'";
    else if (t->kind != SPLIT_NOMINAL && nb != 2)
        bad = "'bags' is not 2 for a two-way split";
    else if (t->kind == SPLIT_NOMINAL && nb != nv)
        bad = "'bags' is not the number of values of its nominal column";
    else if (t->kind == SPLIT_BINARY && !(t->point >= 0 && t->point < nv && t->point == floor(t->point)))
        bad = "'point' is not a value of its nominal column";
    if (bad) {
        baiot_j48_node_free(t);
        *st = baiot_fail(BAIOT_ERR_FORMAT, "'%s': J48 split at depth %d: field %s", what, depth, bad);
        return NULL;
    }
    t->kids = baiot_calloc((size_t)nb, sizeof *t->kids);
    if (!t->kids) {
        baiot_j48_node_free(t);
        *st = baiot_fail(BAIOT_ERR_MEMORY, "%s: out of memory reading a J48 node", what);
        return NULL;
    }
    for (int b = 0; b < nb; b++)
        if (!(t->kids[b] = read_node(kids->items[b], nc, ncols, col_values, depth + 1, what, st))) {
            baiot_j48_node_free(t);
            return NULL;
        }
    return t;
}

baiot_status baiot_j48_from_json(const json_value *obj, int n_classes, int n_cols, const int *col_values,
                                 const char *what, baiot_j48_model **out)
{
    baiot_status st = BAIOT_OK;
    const json_value *tree = baiot_json_get(obj, "tree"), *lap = baiot_json_get(obj, "laplace"), *w36 = baiot_json_get(obj, "weka36"),
                     *bin = baiot_json_get(obj, "binary");
    *out = NULL;
    if (!tree || !lap || lap->type != JSON_BOOL || !w36 || w36->type != JSON_BOOL)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: the J48 model is incomplete", what);
    baiot_j48_model *m = baiot_calloc(1, sizeof *m);
    if (!m)
        return baiot_fail(BAIOT_ERR_MEMORY, "%s: out of memory reading the J48 model", what);
    m->p = baiot_j48_params_default();
    m->p.laplace = lap->number != 0;
    m->p.weka36 = w36->number != 0;
    m->p.binary = bin && bin->type == JSON_BOOL && bin->number != 0;
    m->nc = n_classes;
    m->ncols = n_cols;
    if (!(m->root = read_node(tree, n_classes, n_cols, col_values, 0, what, &st))) {
        baiot_free(m);
        return st;
    }
    *out = m;
    return BAIOT_OK;
}
