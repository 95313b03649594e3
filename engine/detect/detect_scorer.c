/*
 * detect_scorer.c - what every scorer shares (detect_scorer.h): scoring
 * all rows over fixed blocks of DETECT_SCORE_BLOCK rows on all threads, and
 * freeing.  A score is a function of its row alone, so the blocks and the
 * thread count change nothing.  Covered by tests/cli/test_detect.py
 * (identical detect.json at 1 and 2 threads; predict's scores).
 */
#include "engine/detect/detect_scorer.h"

#include <omp.h>

baiot_status baiot_detect_scorer_score_all(const detect_scorer *s, const double *x, int64_t ldx, int64_t n, int n_threads,
                                     double *score)
{
    if (s->ops->score_all)
        return s->ops->score_all(s, x, ldx, n, n_threads, score);
    int64_t nb = (n + DETECT_SCORE_BLOCK - 1) / DETECT_SCORE_BLOCK;
    int failed = 0;
    baiot_status first = BAIOT_OK;
    int nt = n_threads > 0 ? n_threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) default(none) shared(s, x, ldx, n, nb, score, failed, first)
    for (int64_t b = 0; b < nb; b++) {
        int64_t r0 = b * DETECT_SCORE_BLOCK, r1 = r0 + DETECT_SCORE_BLOCK < n ? r0 + DETECT_SCORE_BLOCK : n;
        int bad;
#pragma omp atomic read
        bad = failed;
        if (bad)
            continue;
        baiot_status st = s->ops->score(s, x, ldx, r0, r1, score + r0);
        if (st) {
#pragma omp critical
            {
                if (!failed) {
                    failed = 1;
                    first = st;
                }
            }
        }
    }
    return failed ? first : BAIOT_OK;
}

void baiot_detect_scorer_free(detect_scorer *s)
{
    if (s)
        s->ops->free(s);
}
