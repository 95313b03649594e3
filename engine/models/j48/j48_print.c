/*
 * j48_print.c - a J48 tree as Weka's J48.toString() prints it ("J48
 * pruned tree", one line per test with "|   " per level, leaves as
 * "class (weight/errors)" with Utils.roundDouble(x, 2), "Number of
 * Leaves", "Size of the tree").  Thresholds as C45Split prints them
 * (Utils.doubleToString(t, 6)) or, with -B, as Java's Double.toString.
 *
 * Guarantees: byte for byte Weka's text (checked against Weka's own
 * output by tests/cli/test_j48_golden.py); only reads the model.
 */
#include "engine/models/j48/j48_internal.h"
#include "engine/weka/weka_numfmt.h"

/* Utils.roundDouble(x, 2) as Java's Double.toString. */
static void print_round2(double x, FILE *f)
{
    char buf[WEKA_NUMFMT_MAX];
    baiot_weka_numfmt_java_double(floor(x * 100 + 0.5) / 100, buf, sizeof buf);
    fputs(buf, f);
}

static void print_label(const dist *d, int b, const baiot_view *v, FILE *f)
{
    fprintf(f, "%s (", v->class_names[baiot_j48_dist_max_class_bag(d, b)]);
    print_round2(d->pb[b], f);
    double inc = baiot_j48_dist_incorrect_bag(d, b);
    if (c45_gr(inc, 0)) {
        fputc('/', f);
        print_round2(inc, f);
    }
    fputc(')', f);
}

static void print_test(const node *t, int b, int binary, const baiot_view *v, FILE *f)
{
    const baiot_attr *a = &v->attrs[t->attr];
    char buf[WEKA_NUMFMT_MAX];
    fputs(a->name, f);
    switch (t->kind) {
    case SPLIT_NUMERIC:
        /* C45Split prints Utils.doubleToString(t, 6); BinC45Split (-B)
         * Java's Double.toString (observed: "plas <= 127.0") */
        if (binary)
            baiot_weka_numfmt_java_double(t->point, buf, sizeof buf);
        else
            baiot_weka_numfmt_dts(t->point, 0, 6, buf, sizeof buf);
        fprintf(f, b == 0 ? " <= %s" : " > %s", buf);
        break;
    case SPLIT_BINARY: fprintf(f, b == 0 ? " = %s" : " != %s", a->values[(int)t->point]); break;
    default: fprintf(f, " = %s", a->values[b]); break;
    }
}

static void dump_tree(const node *t, int depth, int binary, const baiot_view *v, FILE *f)
{
    for (int b = 0; b < t->nb; b++) {
        fputc('\n', f);
        for (int k = 0; k < depth; k++)
            fputs("|   ", f);
        print_test(t, b, binary, v, f);
        if (t->kids[b]->leaf) {
            fputs(": ", f);
            print_label(&t->d, b, v, f);
        } else {
            dump_tree(t->kids[b], depth + 1, binary, v, f);
        }
    }
}

baiot_status baiot_j48_print(const baiot_j48_model *m, const baiot_view *v, FILE *f)
{
    fprintf(f, "J48 %s tree\n------------------\n", m->p.unpruned ? "unpruned" : "pruned");
    if (m->root->leaf) {
        fputs(": ", f);
        print_label(&m->root->d, 0, v, f);
    } else {
        dump_tree(m->root, 0, m->p.binary, v, f);
    }
    fprintf(f, "\n\nNumber of Leaves  : \t%lld\n", (long long)baiot_j48_num_leaves(m));
    fprintf(f, "\nSize of the tree : \t%lld\n", (long long)baiot_j48_tree_size(m));
    if (ferror(f))
        return baiot_fail(BAIOT_ERR_IO, "J48: writing the tree failed");
    return BAIOT_OK;
}
