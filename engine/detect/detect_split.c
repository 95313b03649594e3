/*
 * detect_split.c - the protocol's split of one device's rows
 * (detect_internal.h): the benign rows in stored order - the order of the
 * capture, hence time - cut into three equal parts DStrn, DSopt and the
 * benign third of DStst, and DStst completed with every attack row.
 *
 * Guarantees: the three benign parts have exactly floor(n/3) rows each and
 * follow each other in time (DStrn the oldest); the n mod 3 newest benign
 * rows are left out (counted in n_dropped) so that the parts are equal; no
 * row is in two parts; fewer than DETECT_MIN_BENIGN benign rows, or none,
 * are refused with a message naming the data (BAIOT_ERR_FORMAT: bad
 * data, exit 1).  Covered by
 * tests/unit/test_detect.c and tests/cli/test_detect.py.
 */
#include "engine/detect/detect_internal.h"

#include <string.h>

baiot_status baiot_detect_split_make(const int *y, int64_t n, int benign, const char *what, detect_split *out)
{
    memset(out, 0, sizeof *out);
    int64_t nb = 0, na = 0;
    for (int64_t i = 0; i < n; i++) {
        if (y[i] == benign)
            nb++;
        else if (y[i] >= 0)
            na++;
    }
    if (benign < 0 || nb == 0)
        return baiot_fail(BAIOT_ERR_FORMAT,
                          "%s has no benign rows: the detector is trained on benign traffic only (DStrn, DSopt "
                          "and DStst are cut from a device's benign rows)",
                          what);
    if (nb < DETECT_MIN_BENIGN)
        return baiot_fail(BAIOT_ERR_FORMAT,
                          "%s has %lld benign rows, too few for three parts (DStrn, DSopt, DStst) of at least %d "
                          "rows each: give at least %d benign rows",
                          what, (long long)nb, DETECT_MIN_BENIGN / 3, DETECT_MIN_BENIGN);
    int64_t third = nb / 3;
    out->n_benign = nb;
    out->n_trn = out->n_opt = out->n_tst_benign = third;
    out->n_dropped = nb - 3 * third;
    out->n_tst = third + na;
    out->trn = baiot_malloc((size_t)third * sizeof(int64_t));
    out->opt = baiot_malloc((size_t)third * sizeof(int64_t));
    out->tst = baiot_malloc((size_t)(out->n_tst > 0 ? out->n_tst : 1) * sizeof(int64_t));
    if (!out->trn || !out->opt || !out->tst) {
        baiot_detect_split_free(out);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    int64_t seen = 0, t = 0;
    for (int64_t i = 0; i < n; i++) {
        if (y[i] == benign) {
            if (seen < third)
                out->trn[seen] = i;
            else if (seen < 2 * third)
                out->opt[seen - third] = i;
            else if (seen < 3 * third)
                out->tst[t++] = i;
            seen++;
        } else if (y[i] >= 0) {
            out->tst[t++] = i;
        }
    }
    return BAIOT_OK;
}

void baiot_detect_split_free(detect_split *s)
{
    baiot_free(s->trn);
    baiot_free(s->opt);
    baiot_free(s->tst);
    memset(s, 0, sizeof *s);
}
