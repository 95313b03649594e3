/*
 * j48_tree.c - J48's tree nodes: a new fast-path leaf, freeing a subtree
 * and a model, counting leaves and nodes (Weka's numLeaves / numNodes).
 *
 * Guarantees: baiot_j48_node_free takes any tree a J48 function left
 * behind, also a half-built one after a failure (NULL kids allowed);
 * counting only reads.  Covered by tests/unit/test_j48_model.c.
 */
#include "engine/models/j48/j48_internal.h"

baiot_status baiot_j48_fast_leaf(int nc, int64_t lo, int64_t m, node **out)
{
    node *t = baiot_calloc(1, sizeof *t);
    *out = t;
    if (!t || baiot_j48_dist_init(&t->d, 1, nc))
        return BAIOT_ERR_MEMORY;
    t->leaf = 1;
    t->nb = 1;
    t->attr = -1;
    t->lo = lo;
    t->m = m;
    return BAIOT_OK;
}

void baiot_j48_node_free(node *t)
{
    if (!t)
        return;
    if (t->kids)
        for (int b = 0; b < t->nb; b++)
            baiot_j48_node_free(t->kids[b]);
    baiot_free(t->kids);
    baiot_j48_dist_free(&t->d);
    baiot_free(t->rows);
    baiot_free(t->w);
    baiot_free(t);
}

void baiot_j48_free(baiot_j48_model *m)
{
    if (!m)
        return;
    baiot_j48_node_free(m->root);
    baiot_free(m);
}

static int64_t count_leaves(const node *t)
{
    if (t->leaf)
        return 1;
    int64_t s = 0;
    for (int b = 0; b < t->nb; b++)
        s += count_leaves(t->kids[b]);
    return s;
}

static int64_t count_nodes(const node *t)
{
    int64_t s = 1;
    if (!t->leaf)
        for (int b = 0; b < t->nb; b++)
            s += count_nodes(t->kids[b]);
    return s;
}

int64_t baiot_j48_num_leaves(const baiot_j48_model *m) { return count_leaves(m->root); }
int64_t baiot_j48_tree_size(const baiot_j48_model *m) { return count_nodes(m->root); }
