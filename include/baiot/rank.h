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

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif
#endif
