/*
 * j48_predict.c - a trained J48 tree applied to a row: Weka's
 * distributionForInstance (getProbs, or getProbsLaplace with -A), a
 * missing value's branches weighted by their training shares and empty
 * leaves answered by their parent; and the learner adapter that lets
 * cross-validation drive J48 (baiot_j48_learner).
 *
 * Guarantees: the model is only read, so any number of threads may
 * predict at once; the additions are Weka's, in Weka's order.  Covered by
 * tests/unit/test_j48_model.c and the J48 goldens
 * (tests/cli/test_j48_golden.py, the cross-validation results).
 */
#include "engine/models/j48/j48_internal.h"

/* Weka's Distribution.prob / laplaceProb for class c (of bag b). */
static double prob_class(const dist *d, int c)
{
    return c45_eq(d->total, 0) ? 0 : d->pc[c] / d->total;
}

static double prob_class_bag(const dist *d, int c, int b)
{
    if (c45_gr(d->pb[b], 0))
        return d->pcb[(int64_t)b * d->nc + c] / d->pb[b];
    return prob_class(d, c);
}

static double laplace_class(const dist *d, int c)
{
    return (d->pc[c] + 1) / (d->total + (double)d->nc);
}

static double laplace_class_bag(const dist *d, int c, int b)
{
    if (c45_gr(d->pb[b], 0))
        return (d->pcb[(int64_t)b * d->nc + c] + 1) / (d->pb[b] + (double)d->nc);
    return laplace_class(d, c);
}

/* Weka's getProbs / getProbsLaplace for every class at once. */
/* All classes' probabilities in one walk: out[c] = what node_prob(t, c,
 * weight) gives, with the same additions in the same order (a missing
 * value's branches are summed per branch first, as node_prob sums them). */
static void node_dist(const baiot_j48_model *M, const node *t, const baiot_view *v, int64_t r, double weight,
                      double *out)
{
    int lap = M->p.laplace, nc = M->nc;
    if (t->leaf) {
        for (int c = 0; c < nc; c++)
            out[c] = weight * (lap ? laplace_class(&t->d, c) : prob_class(&t->d, c));
        return;
    }
    int b = baiot_j48_which_subset(t, v->cols[t->attr][r], M->p.weka36);
    if (b < 0) {
        double kid[nc];
        for (int c = 0; c < nc; c++)
            out[c] = 0;
        for (int k = 0; k < t->nb; k++)
            if (!t->kids[k]->empty) {
                node_dist(M, t->kids[k], v, r, (t->d.pb[k] / t->d.total) * weight, kid);
                for (int c = 0; c < nc; c++)
                    out[c] += kid[c];
            }
        return;
    }
    if (t->kids[b]->empty) {
        for (int c = 0; c < nc; c++)
            out[c] = weight * (lap ? laplace_class_bag(&t->d, c, b) : prob_class_bag(&t->d, c, b));
        return;
    }
    node_dist(M, t->kids[b], v, r, weight, out);
}

void baiot_j48_distribution(const baiot_j48_model *m, const baiot_view *v, int64_t r, double *dist_out)
{
    node_dist(m, m->root, v, r, 1, dist_out);
}

/* ---------------------------------------------------------------------- */
/* Learner adapter                                                         */

static baiot_status learner_train(const baiot_view *v, const int64_t *rows, int64_t n, const void *params,
                                  void **model)
{
    baiot_j48_model *m;
    baiot_status st = baiot_j48_train(v, rows, n, NULL, params, &m);
    *model = st ? NULL : m;
    return st;
}

static void learner_predict(const void *model, const baiot_view *v, int64_t r, double *dist_out)
{
    baiot_j48_distribution(model, v, r, dist_out);
}

static void learner_free(void *model)
{
    baiot_j48_free(model);
}

baiot_learner baiot_j48_learner(const baiot_j48_params *p)
{
    baiot_learner l;
    l.name = "J48";
    l.params = p;
    l.train = learner_train;
    l.predict = learner_predict;
    l.free_model = learner_free;
    l.concurrency = 0;
    return l;
}
