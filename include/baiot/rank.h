/*
 * rank.h - OneR feature ranking: Weka's OneRAttributeEval with the Ranker.
 *
 * Every attribute's merit is the accuracy (%) of a stratified k-fold
 * cross-validation of OneR on that attribute alone, every attribute with
 * the same folds (Weka's, from java.util.Random(seed)); attributes are then
 * ordered by merit, descending, equal merits in the order Weka's Ranker
 * gives them.  Attributes x folds run in parallel; the result is the same
 * for any thread count.
 */
#ifndef BAIOT_RANK_H
#define BAIOT_RANK_H

#include "baiot/view.h"

BAIOT_BEGIN_DECLS

typedef struct baiot_rank_params {
    int folds;       /* default 10 */
    int64_t seed;    /* default 1 */
    int min_bucket;  /* OneR's minimum bucket size, default 6 */
} baiot_rank_params;

baiot_rank_params baiot_rank_params_default(void);

typedef struct baiot_ranking {
    int n;           /* attributes ranked (the view's columns) */
    int *order;      /* n column indices, best first */
    double *merit;   /* n merits by column index (not by rank) */
    int64_t *correct; /* n correctly classified rows by column index */
    int64_t total;   /* rows evaluated (class not missing) */
} baiot_ranking;

baiot_status baiot_rank(const baiot_view *view, const baiot_rank_params *params, baiot_ranking **out);
void baiot_ranking_free(baiot_ranking *r);

/* The ranking of n columns from their correct counts out of total rows
 * (the merits and Ranker order baiot_rank gives). */
baiot_status baiot_ranking_from_counts(int n, const int64_t *correct, int64_t total, baiot_ranking **out);

/* Ranks the columns of a store selection (vp: devices, task, columns) with
 * the columns spread over the ranks of a distributed job (baiot/dist.h):
 * each rank reads and scores only its columns, the counts are summed, and
 * every rank gets the whole ranking; *names (n = (*out)->n strings, owned:
 * free with baiot_strings_free) names the columns.  In one process it reads
 * every column.  The ranking equals baiot_rank's on the same selection. */
baiot_status baiot_rank_spread(const char *store_path, const baiot_view_params *vp, const baiot_rank_params *p,
                               baiot_ranking **out, char ***names);

BAIOT_END_DECLS
#endif
