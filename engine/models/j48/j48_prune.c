/*
 * j48_prune.c - J48 after growing: collapse (Weka's collapse(), unless
 * -O), then error-based pruning with subtree raising as Weka's
 * C45PruneableClassifierTree does it (unless -U): a node becomes a leaf,
 * or its largest branch takes its place with the node's training data
 * re-routed down it, when the estimated errors (the upper confidence
 * limit of Stats.addErrs) do not grow.
 *
 * General path: every node keeps its instance list (rows, w) from growing
 * and re-routing goes through baiot_j48_split_data.  Fast path (trees of
 * j48_grow_fast.c): a node's data is the segment perm[lo, lo + m); only
 * the smaller branches' instances are walked (fast_errors_for_branch)
 * over a row-major copy of the split columns (C->rx); the counts are
 * exact integers, so the errors are the general path's doubles.
 *
 * Guarantees: the same trees as Weka's pruning on both paths, single
 * threaded, deterministic.  Covered by tests/unit/test_j48_model.c (fast
 * against general path with noise, so collapse, pruning and raising all
 * act) and the J48 goldens (tests/cli/test_j48_golden.py).
 */
#include "engine/models/j48/j48_internal.h"

#include <float.h>
#include <string.h>

static double training_errors(const node *t)
{
    if (t->leaf)
        return baiot_j48_dist_incorrect(&t->d);
    double e = 0;
    for (int b = 0; b < t->nb; b++)
        e += training_errors(t->kids[b]);
    return e;
}

/* Turns an internal node into a leaf with its (merged) distribution. */
static baiot_status make_leaf(node *t)
{
    dist one;
    if (baiot_j48_dist_merge(&t->d, &one))
        return BAIOT_ERR_MEMORY;
    for (int b = 0; b < t->nb; b++)
        baiot_j48_node_free(t->kids[b]);
    baiot_free(t->kids);
    t->kids = NULL;
    baiot_j48_dist_free(&t->d);
    t->d = one;
    t->leaf = 1;
    t->nb = 1;
    t->attr = -1;
    return BAIOT_OK;
}

/* Weka's collapse(): a subtree that does not make fewer training errors
 * than its root as a leaf becomes that leaf. */
baiot_status baiot_j48_collapse(node *t)
{
    if (t->leaf)
        return BAIOT_OK;
    if (training_errors(t) >= baiot_j48_dist_incorrect(&t->d) - J48_COLLAPSE_SLACK)
        return make_leaf(t);
    for (int b = 0; b < t->nb; b++) {
        baiot_status st = baiot_j48_collapse(t->kids[b]);
        if (st)
            return st;
    }
    return BAIOT_OK;
}

/* Weka's Stats.addErrs: the upper confidence limit of the error count
 * minus the observed errors e among N, at confidence cf (z = quantile). */
static double add_errs(double N, double e, float cf, double z)
{
    if (cf > 0.5f)
        return 0;
    if (e < 1) {
        double base = N * (1 - pow((double)cf, 1 / N));
        if (e == 0)
            return base;
        return base + e * (add_errs(N, 1, cf, z) - base);
    }
    if (e + 0.5 >= N)
        return fmax(N - e, 0);
    double f = (e + 0.5) / N;
    double r = (f + (z * z) / (2 * N) + z * sqrt((f / N) - (f * f / N) + (z * z / (4 * N * N)))) / (1 + (z * z) / N);
    return (r * N) - e;
}

/* Φ⁻¹(y): Newton steps on the normal CDF in long double from a rough
 * start, rounded to double. */
double baiot_j48_normal_inverse(double y)
{
    long double x = 0, yy = y;
    /* start: Abramowitz-Stegun-like rational guess */
    double q = y < 0.5 ? y : 1 - y;
    double t = sqrt(-2 * log(q));
    double x0 = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
    x = y < 0.5 ? -x0 : x0;
    for (int it = 0; it < 60; it++) {
        long double cdf = 0.5L * erfcl(-x / sqrtl(2.0L));
        long double pdf = expl(-x * x / 2) / sqrtl(2 * 3.14159265358979323846264338327950288L);
        long double step = (cdf - yy) / pdf;
        x -= step;
        if (fabsl(step) < 1e-30L)
            break;
    }
    return (double)x;
}

static double errors_for_dist(const baiot_j48_model *M, double total, double incorrect)
{
    if (c45_eq(total, 0))
        return 0;
    return incorrect + add_errs(total, incorrect, M->cf, M->z);
}

static double estimated_errors(const baiot_j48_model *M, const node *t)
{
    if (t->leaf)
        return errors_for_dist(M, t->d.total, baiot_j48_dist_incorrect(&t->d));
    double e = 0;
    for (int b = 0; b < t->nb; b++)
        e += estimated_errors(M, t->kids[b]);
    return e;
}

/* The distribution of data at node t (Weka's resetDistribution): at a
 * split, the known values by the test, then the missing ones spread in
 * proportion to those known bag weights (found by experiment: spreading by
 * the node's previous distribution gives other leaf counts on labor). */
static baiot_status reset_dist(const ctx *C, const node *t, const int64_t *rows, const double *w, int64_t m,
                               dist *out)
{
    if (baiot_j48_dist_init(out, t->nb, C->nc))
        return BAIOT_ERR_MEMORY;
    if (t->leaf) {
        for (int64_t i = 0; i < m; i++)
            baiot_j48_dist_add(out, 0, C->v->y[rows[i]], w[i]);
        return BAIOT_OK;
    }
    const double *x = C->v->cols[t->attr];
    for (int64_t i = 0; i < m; i++) {
        int b = baiot_j48_which_subset(t, x[rows[i]], C->cfg.weka36);
        if (b >= 0)
            baiot_j48_dist_add(out, b, C->v->y[rows[i]], w[i]);
    }
    double probs[t->nb];
    baiot_j48_add_unknown(C, out, t->attr, rows, w, m, probs);
    return BAIOT_OK;
}

/* Estimated errors if data (rows, w)[0..m) went down subtree t (subtree
 * raising), written to *out. */
static baiot_status errors_for_branch(const ctx *C, const baiot_j48_model *M, const node *t, const int64_t *rows,
                                      const double *w, int64_t m, double *out)
{
    dist d;
    *out = 0;
    if (t->leaf) {
        if (baiot_j48_dist_init(&d, 1, C->nc))
            return BAIOT_ERR_MEMORY;
        for (int64_t i = 0; i < m; i++)
            baiot_j48_dist_add(&d, 0, C->v->y[rows[i]], w[i]);
        *out = errors_for_dist(M, d.total, baiot_j48_dist_incorrect(&d));
        baiot_j48_dist_free(&d);
        return BAIOT_OK;
    }
    int nb = t->nb;
    int64_t *crows[nb], cm[nb];
    double *cw[nb];
    if (reset_dist(C, t, rows, w, m, &d))
        return BAIOT_ERR_MEMORY;
    baiot_status st = baiot_j48_split_data(C, t, &d, rows, w, m, crows, cw, cm, NULL);
    baiot_j48_dist_free(&d);
    if (st)
        return st;
    double e = 0;
    for (int b = 0; b < nb; b++) {
        if (!st) {
            double eb;
            st = errors_for_branch(C, M, t->kids[b], crows[b], cw[b], cm[b], &eb);
            e += eb;
        }
        baiot_free(crows[b]);
        baiot_free(cw[b]);
    }
    *out = e;
    return st;
}

/* Pushes data down t, recomputing every distribution (newDistribution).
 * Ownership: takes rows and w (they become t's, replacing and freeing
 * t's own unless they are t's own), also on failure. */
static baiot_status new_distribution(const ctx *C, node *t, int64_t *rows, double *w, int64_t m)
{
    dist d;
    if (t->rows != rows) {
        baiot_free(t->rows);
        baiot_free(t->w);
        t->rows = rows;
        t->w = w;
    }
    t->m = m;
    if (reset_dist(C, t, rows, w, m, &d))
        return BAIOT_ERR_MEMORY;
    baiot_j48_dist_free(&t->d);
    t->d = d;
    if (t->leaf) {
        if (!c45_eq(d.total, 0))
            t->empty = 0;
        return BAIOT_OK;
    }
    int nb = t->nb;
    int64_t *crows[nb], cm[nb];
    double *cw[nb];
    baiot_status st = baiot_j48_split_data(C, t, &t->d, rows, w, m, crows, cw, cm, NULL);
    for (int b = 0; b < nb && !st; b++) {
        st = new_distribution(C, t->kids[b], crows[b], cw[b], cm[b]);
        crows[b] = NULL;
        cw[b] = NULL;
    }
    if (st)
        for (int b = 0; b < nb; b++) { /* the lists no child took (all NULL when split_data failed) */
            baiot_free(crows[b]);
            baiot_free(cw[b]);
        }
    return st;
}

/* Fast pruning (trees grown by grow_fast): node t's data is the segment
 * perm[t->lo, t->lo + t->m), every weight 1, no value missing.  Kept
 * invariant: a node's data is its parent's routed by the parent's test,
 * and a leaf's distribution counts its data (growing makes it so,
 * collapse and make_leaf keep it, fast_redistribute restores it after a
 * raise).  So when t's data goes down its largest child's subtree
 * (errors_for_branch), that child's own data lands on every leaf exactly
 * as the leaf's current counts: only the other children's data is
 * walked, instance by instance from the child to a leaf.  Every count is
 * an exact integer, so the errors are errors_for_branch's doubles. */

static void mark_attrs(const node *t, int *rcol)
{
    if (t->leaf)
        return;
    rcol[t->attr] = 1;
    for (int b = 0; b < t->nb; b++)
        mark_attrs(t->kids[b], rcol);
}

/* Instance i's value of column j while pruning on the fast path: from
 * C->rx, or without it (over the memory budget) from the view. */
static inline double prune_value(const ctx *C, int32_t i, int j)
{
    return C->rx ? C->rx[(int64_t)i * C->nu + C->rcol[j]] : C->v->cols[j][C->irow[i]];
}

/* Builds C->rx (see ctx) for the instances of the fast path, unless it
 * is larger than the training's memory budget. */
static baiot_status fast_rows(ctx *C, const node *root)
{
    C->rcol = baiot_calloc((size_t)(C->ncols > 0 ? C->ncols : 1), sizeof *C->rcol);
    if (!C->rcol)
        return BAIOT_ERR_MEMORY;
    mark_attrs(root, C->rcol);
    int nu = 0;
    for (int j = 0; j < C->ncols; j++)
        C->rcol[j] = C->rcol[j] ? nu++ : -1;
    C->nu = nu;
    int64_t m = C->n_all;
    if (C->budget > 0 && (double)m * (nu > 0 ? nu : 1) * sizeof *C->rx > (double)C->budget)
        return BAIOT_OK; /* prune_value reads the view */
    C->rx = baiot_malloc((size_t)(m > 0 ? m : 1) * (size_t)(nu > 0 ? nu : 1) * sizeof *C->rx);
    if (!C->rx)
        return BAIOT_ERR_MEMORY;
    const double *xs[nu > 0 ? nu : 1];
    for (int j = 0; j < C->ncols; j++)
        if (C->rcol[j] >= 0)
            xs[C->rcol[j]] = C->v->cols[j];
    for (int64_t i = 0; i < m; i++) { /* row by row: sequential writes */
        int64_t r = C->irow[i];
        double *o = C->rx + i * nu;
        for (int k = 0; k < nu; k++)
            o[k] = xs[k][r];
    }
    return BAIOT_OK;
}


/* Numbers the leaves below t in tree order from k; returns the next. */
static int32_t tag_leaves(node *t, int32_t k)
{
    if (t->leaf) {
        t->tag = k;
        return k + 1;
    }
    for (int b = 0; b < t->nb; b++)
        k = tag_leaves(t->kids[b], k);
    return k;
}

static void leaf_segments(const node *t, const int32_t *perm, int32_t *leaf_of, int64_t *pos)
{
    if (t->leaf) {
        for (int64_t k = 0; k < t->m; k++)
            leaf_of[perm[t->lo + k]] = t->tag;
        pos[t->tag] = t->lo;
        return;
    }
    for (int b = 0; b < t->nb; b++)
        leaf_segments(t->kids[b], perm, leaf_of, pos);
}

/* Puts every leaf's instances in ascending order within its segment (a
 * counting sort by leaf, O(n)), so that walking a node's instances reads
 * C->rx in runs of ascending addresses.  The order inside a segment is
 * free: the fast path's sums are of 1.0s. */
static baiot_status fast_sort_leaves(ctx *C, node *root)
{
    int32_t nleaf = tag_leaves(root, 0);
    int64_t *pos = baiot_malloc((size_t)nleaf * sizeof *pos);
    int32_t *leaf_of = C->s[0].cls; /* free until pruning */
    if (!pos)
        return BAIOT_ERR_MEMORY;
    leaf_segments(root, C->perm, leaf_of, pos);
    for (int64_t i = 0; i < C->n_all; i++)
        C->perm[pos[leaf_of[i]]++] = (int32_t)i;
    baiot_free(pos);
    return BAIOT_OK;
}

/* What fast pruning needs after growing (C->perm set): C->rx and every
 * leaf's instances in ascending order. */
baiot_status baiot_j48_prepare_fast_prune(ctx *C, node *root)
{
    baiot_status st = fast_rows(C, root);
    return st ? st : fast_sort_leaves(C, root);
}


/* cnt: per leaf nc class counts and the total; starts as the leaves'. */
static void leaf_counts(const node *t, int nc, double *cnt)
{
    if (t->leaf) {
        double *c = cnt + (int64_t)t->tag * (nc + 1);
        memcpy(c, t->d.pc, (size_t)nc * sizeof *c);
        c[nc] = t->d.total;
        return;
    }
    for (int b = 0; b < t->nb; b++)
        leaf_counts(t->kids[b], nc, cnt);
}

/* estimated_errors on the leaf counts cnt, in the same order. */
static double counted_errors(const baiot_j48_model *M, const node *t, const double *cnt)
{
    if (t->leaf) {
        int nc = M->nc;
        const double *c = cnt + (int64_t)t->tag * (nc + 1);
        int mi = baiot_j48_max_index(c, nc);
        return errors_for_dist(M, c[nc], c[nc] - c[mi]);
    }
    double e = 0;
    for (int b = 0; b < t->nb; b++)
        e += counted_errors(M, t->kids[b], cnt);
    return e;
}

/* errors_for_branch(t->kids[big], t's data) on the fast path, written to
 * *out. */
static baiot_status fast_errors_for_branch(const ctx *C, const baiot_j48_model *M, node *t, int big, double *out)
{
    node *g = t->kids[big];
    int nc = C->nc, w36 = C->cfg.weka36;
    int32_t nleaf = tag_leaves(g, 0);
    double *cnt = baiot_malloc((size_t)nleaf * (size_t)(nc + 1) * sizeof *cnt);
    if (!cnt)
        return BAIOT_ERR_MEMORY;
    leaf_counts(g, nc, cnt);
    for (int b = 0; b < t->nb; b++) {
        if (b == big)
            continue;
        const int32_t *pi = C->perm + t->kids[b]->lo;
        for (int64_t k = 0; k < t->kids[b]->m; k++) {
            int32_t i = pi[k];
            const node *u = g;
            while (!u->leaf)
                u = u->kids[baiot_j48_which_subset(u, prune_value(C, i, u->attr), w36)];
            double *c = cnt + (int64_t)u->tag * (nc + 1);
            c[C->icls[i]] += 1.0;
            c[nc] += 1.0;
        }
    }
    *out = counted_errors(M, g, cnt);
    baiot_free(cnt);
    return BAIOT_OK;
}

/* new_distribution on the fast path: t's data becomes perm[lo, lo + m);
 * every distribution below is recounted and every child's data is
 * partitioned (stably) into its own segment. */
static baiot_status fast_redistribute(const ctx *C, node *t, int64_t lo, int64_t m)
{
    dist d;
    int nc = C->nc;
    if (baiot_j48_dist_init(&d, t->nb, nc))
        return BAIOT_ERR_MEMORY;
    int32_t *pi = C->perm + lo;
    int64_t cnt[2 * (J48_FAST_MAX_CLASSES + 1)]; /* per bag and class */
    memset(cnt, 0, (size_t)(2 * nc) * sizeof *cnt);
    t->lo = lo;
    t->m = m;
    if (t->leaf) {
        for (int64_t k = 0; k < m; k++)
            cnt[C->icls[pi[k]]]++;
        baiot_j48_dist_from_counts(&d, cnt);
        baiot_j48_dist_free(&t->d);
        t->d = d;
        if (!c45_eq(d.total, 0))
            t->empty = 0;
        return BAIOT_OK;
    }
    int32_t *tmp = C->s[0].cls;
    int64_t a = 0, nb1 = 0;
    for (int64_t k = 0; k < m; k++) {
        int32_t i = pi[k];
        int b = baiot_j48_which_subset(t, prune_value(C, i, t->attr), C->cfg.weka36);
        cnt[b * nc + C->icls[i]]++;
        if (b == 0)
            pi[a++] = i; /* a <= k: already read */
        else
            tmp[nb1++] = i;
    }
    memcpy(pi + a, tmp, (size_t)nb1 * sizeof *tmp);
    baiot_j48_dist_from_counts(&d, cnt);
    baiot_j48_dist_free(&t->d);
    t->d = d;
    baiot_status st = fast_redistribute(C, t->kids[0], lo, a);
    return st ? st : fast_redistribute(C, t->kids[1], lo + a, nb1);
}

/* Weka's C45PruneableClassifierTree.prune() on the subtree t, bottom
 * up: t becomes a leaf, or is replaced by its largest branch (subtree
 * raising, its data re-routed), when that does not raise the estimated
 * errors. */
baiot_status baiot_j48_prune(const ctx *C, const baiot_j48_model *M, node *t)
{
    baiot_status st;
    if (t->leaf)
        return BAIOT_OK;
    for (int b = 0; b < t->nb; b++)
        if ((st = baiot_j48_prune(C, M, t->kids[b])))
            return st;
    int big = baiot_j48_dist_max_bag(&t->d);
    double e_branch = DBL_MAX;
    if (!M->p.no_raise) {
        st = C->fast ? fast_errors_for_branch(C, M, t, big, &e_branch)
                     : errors_for_branch(C, M, t->kids[big], t->rows, t->w, t->m, &e_branch);
        if (st)
            return st;
    }
    double e_leaf = errors_for_dist(M, t->d.total, baiot_j48_dist_incorrect(&t->d));
    double e_tree = estimated_errors(M, t);
    if (c45_smoreq(e_leaf, e_tree + J48_PRUNE_SLACK) && c45_smoreq(e_leaf, e_branch + J48_PRUNE_SLACK))
        return make_leaf(t);
    if (c45_smoreq(e_branch, e_tree + J48_PRUNE_SLACK)) {
        node *lb = t->kids[big];
        for (int b = 0; b < t->nb; b++)
            if (b != big)
                baiot_j48_node_free(t->kids[b]);
        baiot_free(t->kids);
        baiot_j48_dist_free(&t->d);
        t->kids = lb->kids;
        t->d = lb->d;
        t->leaf = lb->leaf;
        t->attr = lb->attr;
        t->kind = lb->kind;
        t->nb = lb->nb;
        t->point = lb->point;
        lb->kids = NULL;
        lb->d.pcb = NULL;
        lb->nb = 0;
        baiot_j48_node_free(lb);
        st = C->fast ? fast_redistribute(C, t, t->lo, t->m) : new_distribution(C, t, t->rows, t->w, t->m);
        if (st)
            return st;
        return baiot_j48_prune(C, M, t);
    }
    return BAIOT_OK;
}

/* Frees the training data every node kept for subtree raising. */
void baiot_j48_drop_data(node *t)
{
    baiot_free(t->rows);
    baiot_free(t->w);
    t->rows = NULL;
    t->w = NULL;
    t->m = 0;
    if (!t->leaf)
        for (int b = 0; b < t->nb; b++)
            baiot_j48_drop_data(t->kids[b]);
}
