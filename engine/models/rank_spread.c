/*
 * rank_spread.c - OneR ranking of a store selection with the columns
 * spread over the ranks of a distributed job (include/baiot/rank.h,
 * baiot_rank_spread).  Each column is one unit; all cost the same (every
 * row of one column), so the static plan deals them out in turn.  A rank
 * reads only its columns (and the labels), ranks them with baiot_rank, and
 * the integer correct counts are summed over the ranks; the Ranker order is
 * then computed from the whole set on every rank.  Exact: a column's count
 * depends only on that column, the classes and the folds, which every rank
 * makes alike.  Covered by tests/cli/test_rank_golden.py (one process) and
 * tests/cli/test_mpi.py (1 to 3 ranks).
 */
#include "baiot/dist.h"
#include "baiot/rank.h"
#include "baiot/store.h"
#include "engine/data/columns.h"

#include <stdio.h>
#include <string.h>

static void free_names(char **names, int n)
{
    for (int j = 0; names && j < n; j++)
        baiot_free(names[j]);
    baiot_free(names);
}

baiot_status baiot_rank_spread(const char *store_path, const baiot_view_params *vp, const baiot_rank_params *p,
                               baiot_ranking **out, char ***names_out)
{
    baiot_store *store = NULL;
    int *idx = NULL, n = 0, *owner = NULL;
    double *cost = NULL;
    int64_t *correct = NULL;
    char **names = NULL, *spec = NULL;
    baiot_view *v = NULL;
    baiot_ranking *mine = NULL;
    *out = NULL;
    *names_out = NULL;
    baiot_status st = baiot_store_open(store_path, &store);
    if (st)
        return st;
    if ((st = baiot_columns_resolve_store(vp->columns, store, &idx, &n)))
        goto done;
    names = baiot_calloc((size_t)(n > 0 ? n : 1), sizeof *names);
    owner = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof *owner);
    cost = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof *cost);
    correct = baiot_calloc((size_t)n + 1, sizeof *correct);
    spec = baiot_malloc((size_t)n * 12 + 1);
    if (!names || !owner || !cost || !correct || !spec) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    for (int j = 0; j < n; j++) {
        if (!(names[j] = baiot_strdup(baiot_store_feature_name(store, idx[j])))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto done;
        }
        cost[j] = 1.0;
    }
    baiot_store_close(store);
    store = NULL;
    baiot_dist_plan(cost, n, NULL, owner);
    int me = baiot_dist_rank(), n_mine = 0;
    char *w = spec;
    *w = 0;
    for (int j = 0; j < n; j++)
        if (owner[j] == me)
            w += sprintf(w, "%s%d", n_mine++ ? "," : "", idx[j] + 1);
    if (n_mine > 0) {
        baiot_view_params mvp = *vp;
        mvp.columns = spec;
        if (!(st = baiot_view_load_store(store_path, &mvp, &v)) && !(st = baiot_rank(v, p, &mine))) {
            for (int j = 0, m = 0; j < n; j++)
                if (owner[j] == me)
                    correct[j] = mine->correct[m++];
            if (me == 0)
                correct[n] = mine->total;
        }
    }
    /* A failure of this rank alone (memory, I/O) ends the job; one of the
     * selection (no rows, bad columns) happens on every rank that reads,
     * rank 0 among them (it owns column 0): all ranks then return it, so a
     * bulk run can go on with the next device. */
    if (st && st != BAIOT_ERR_ARG && st != BAIOT_ERR_FORMAT)
        baiot_dist_check(st);
    int64_t failed = st != BAIOT_OK;
    baiot_dist_sum_i64(&failed, 1);
    if (failed) {
        if (!st)
            st = baiot_fail(BAIOT_ERR_ARG, "the selection of '%s' cannot be ranked (see rank 0's message)", store_path);
        goto done;
    }
    /* the row total travels with the counts (rank 0 owns column 0, so it has it) */
    baiot_dist_sum_i64(correct, n + 1);
    if ((st = baiot_ranking_from_counts(n, correct, correct[n], out)))
        goto done;
    *names_out = names;
    names = NULL;
done:
    free_names(names, n);
    baiot_ranking_free(mine);
    baiot_view_free(v);
    baiot_free(spec);
    baiot_free(correct);
    baiot_free(cost);
    baiot_free(owner);
    baiot_free(idx);
    baiot_store_close(store);
    return st;
}
