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
 * data, exit 1).  A pool of devices (bulk --detect --pooled) is split
 * device by device (each device's benign rows in thirds, the parts
 * joined), so every device is in DStrn, DSopt and DStst alike.  The
 * warm-up (baiot_detect_split_warmup) takes DStrn's oldest rows out of the
 * fit and never touches DSopt or DStst.  Covered by
 * tests/unit/test_detect.c and tests/cli/test_detect.py.
 */
#include "engine/detect/detect_internal.h"

#include <stdio.h>
#include <string.h>

baiot_status baiot_detect_split_make(const int *y, int64_t n, int benign, const char *what, detect_split *out)
{
    return baiot_detect_split_make_groups(y, NULL, 1, n, benign, what, out);
}

baiot_status baiot_detect_split_make_groups(const int *y, const int *group, int n_groups, int64_t n, int benign,
                                            const char *what, detect_split *out)
{
    memset(out, 0, sizeof *out);
    int64_t na = 0, *nb = baiot_calloc((size_t)n_groups, sizeof *nb), *seen = baiot_calloc((size_t)n_groups,
                                                                                            sizeof *seen);
    baiot_status st = BAIOT_OK;
    if (!nb || !seen) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    for (int64_t i = 0; i < n; i++) {
        if (y[i] == benign)
            nb[group ? group[i] : 0]++;
        else if (y[i] >= 0)
            na++;
    }
    for (int g = 0; g < n_groups; g++) {
        char part[64] = "";
        if (n_groups > 1)
            snprintf(part, sizeof part, " (device %d of the pool)", g + 1);
        if (benign < 0 || nb[g] == 0) {
            st = baiot_fail(BAIOT_ERR_FORMAT,
                            "%s%s has no benign rows: the detector is trained on benign traffic only (DStrn, DSopt "
                            "and DStst are cut from a device's benign rows)",
                            what, part);
            goto done;
        }
        if (nb[g] < DETECT_MIN_BENIGN) {
            st = baiot_fail(BAIOT_ERR_FORMAT,
                            "%s%s has %lld benign rows, too few for three parts (DStrn, DSopt, DStst) of at least %d "
                            "rows each: give at least %d benign rows",
                            what, part, (long long)nb[g], DETECT_MIN_BENIGN / 3, DETECT_MIN_BENIGN);
            goto done;
        }
        out->n_benign += nb[g];
        out->n_trn += nb[g] / 3;
        out->n_dropped += nb[g] - 3 * (nb[g] / 3);
    }
    out->n_opt = out->n_tst_benign = out->n_trn;
    out->n_tst = out->n_trn + na;
    out->trn = baiot_malloc((size_t)out->n_trn * sizeof(int64_t));
    out->opt = baiot_malloc((size_t)out->n_trn * sizeof(int64_t));
    out->tst = baiot_malloc((size_t)(out->n_tst > 0 ? out->n_tst : 1) * sizeof(int64_t));
    if (!out->trn || !out->opt || !out->tst) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    int64_t a = 0, b = 0, t = 0;
    for (int64_t i = 0; i < n; i++) {
        if (y[i] == benign) {
            int g = group ? group[i] : 0;
            int64_t third = nb[g] / 3, k = seen[g]++;
            if (k < third)
                out->trn[a++] = i;
            else if (k < 2 * third)
                out->opt[b++] = i;
            else if (k < 3 * third)
                out->tst[t++] = i;
        } else if (y[i] >= 0) {
            out->tst[t++] = i;
        }
    }
done:
    baiot_free(nb);
    baiot_free(seen);
    if (st)
        baiot_detect_split_free(out);
    return st;
}

baiot_status baiot_detect_split_warmup(detect_split *sp, int64_t warmup, const double *opening, const char *what)
{
    sp->warmup_opening = sp->opt_opening = -1;
    sp->trn_first = sp->trn[0];
    int64_t w = warmup;
    if (warmup == BAIOT_DETECT_WARMUP_AUTO) {
        w = 0;
        if (opening) {
            /* c[i]: DStrn's rows opening a channel from row i on */
            int64_t c = 0, o = 0;
            for (int64_t i = 0; i < sp->n_trn; i++)
                c += opening[sp->trn[i]] > DETECT_OPENING_SECONDS;
            for (int64_t i = 0; i < sp->n_opt; i++)
                o += opening[sp->opt[i]] > DETECT_OPENING_SECONDS;
            sp->warmup_opening = c;
            sp->opt_opening = o;
            /* the shortest w with c_rest / (n_trn - w) <= o / n_opt, in
             * integers: c_rest * n_opt <= o * (n_trn - w) */
            const int64_t cap = sp->n_trn / 2;
            while (w < cap && c * sp->n_opt > o * (sp->n_trn - w))
                c -= opening[sp->trn[w++]] > DETECT_OPENING_SECONDS;
        }
    } else if (w > sp->n_trn - DETECT_MIN_BENIGN / 3) {
        return baiot_fail(BAIOT_ERR_ARG,
                          "a warm-up of %lld rows leaves fewer than %d of the %lld DStrn rows of %s to learn from",
                          (long long)w, DETECT_MIN_BENIGN / 3, (long long)sp->n_trn, what);
    }
    memmove(sp->trn, sp->trn + w, (size_t)(sp->n_trn - w) * sizeof *sp->trn);
    sp->n_trn -= w;
    sp->n_warmup = w;
    return BAIOT_OK;
}

void baiot_detect_split_free(detect_split *s)
{
    baiot_free(s->trn);
    baiot_free(s->opt);
    baiot_free(s->tst);
    memset(s, 0, sizeof *s);
}
