/*
 * c45_split.c - J48's split criteria and numeric split search (see
 * kernels/c45_split.h).
 *
 * The numeric search follows WEKA_ALGORITHMS.md 1.4 step by step: all
 * known rows start in bag 1; a cut between positions i-1 and i exists only
 * when values[i-1] + 1e-5 < values[i] (in the unit-weight search, on
 * ranks into a sorted array: rank[i] >= snxt[rank[i-1]]); at each cut the block since the
 * last cut moves to bag 0 row by row (the same floating-point sums as
 * Weka's shiftRange); a cut is admissible when both bags weigh at least
 * the minimum split, and the first cut with a gain larger by more than
 * 1e-6 wins.  The MDL term log2(admissible cuts) / node weight is then
 * subtracted, and the gain ratio is computed on the chosen cut's freshly
 * summed two-bag distribution.
 *
 * The unit-weight search (baiot_c45_split_numeric_unit) goes from class change
 * to class change: within a run of rows of one class the best cut is at
 * an end (see scan_cuts), so a long run is passed over when neither end
 * can win, and its admissible cuts are counted in a branch-free pass.
 * Cuts are screened with a gain
 * computed by multiplications instead of divisions, and the exact gain
 * is computed only for cuts that can beat the best one (C45_SCREEN): the
 * same cut, the same doubles.
 *
 * Invariants: values ascending, no NaN; weights >= 0.  No allocation.
 * Covered by tests/unit/test_c45_split.c and tests/cli/test_j48_golden.py.
 */
#include "kernels/c45_split.h"

#include <math.h>
#include <string.h>

static const double LN2 = 0.6931471805599453; /* Math.log(2) */
/* Screening margin of the unit-weight search: the exact gain is
 * (1 - u) * (old - (-s / ln 2)) / known, rounded at every step; computed
 * as (old + s * (1 / ln 2)) * ((1 - u) / known) it differs by a few ulps
 * of s / known, and |s| <= 4 * known * ln(known), so by less than
 * 4e-15 * ln(2^31) < 1e-13 for any node of at most 2^31 rows.  1e-9
 * leaves four orders of magnitude to spare. */
#define C45_SCREEN 1e-9

double baiot_c45_split_lnfunc(double x, int weka36)
{
    if (x < 1e-6)
        return 0;
    return weka36 ? x * log(x) / LN2 : x * log(x);
}

double baiot_c45_split_old_ent(const double *pc, int nc, double total, int weka36)
{
    double s = 0;
    for (int c = 0; c < nc; c++)
        s += baiot_c45_split_lnfunc(pc[c], weka36);
    if (weka36)
        return baiot_c45_split_lnfunc(total, 1) - s;
    return (baiot_c45_split_lnfunc(total, 0) - s) / LN2;
}

double baiot_c45_split_new_ent(const double *pcb, const double *pb, int nb, int nc, int weka36)
{
    double s = 0;
    for (int b = 0; b < nb; b++) {
        for (int c = 0; c < nc; c++)
            s += baiot_c45_split_lnfunc(pcb[(int64_t)b * nc + c], weka36);
        s -= baiot_c45_split_lnfunc(pb[b], weka36);
    }
    return weka36 ? -s : -s / LN2;
}

double baiot_c45_split_info_gain(const double *pcb, const double *pb, int nb, int nc, double old_ent, double known,
                           double total_inst, int weka36)
{
    double unknown_rate = (total_inst - known) / total_inst;
    double num = old_ent - baiot_c45_split_new_ent(pcb, pb, nb, nc, weka36);
    num = (1 - unknown_rate) * num;
    if (c45_eq(num, 0))
        return 0;
    return num / known;
}

double baiot_c45_split_gain_ratio(const double *pb, int nb, double known, double total_inst, double gain, int weka36)
{
    double split_ent = 0;
    if (c45_gr(known, 0)) {
        double unknown = total_inst - known;
        if (weka36) {
            for (int b = 0; b < nb; b++)
                split_ent -= baiot_c45_split_lnfunc(pb[b], 1);
            split_ent -= baiot_c45_split_lnfunc(unknown, 1);
            split_ent += baiot_c45_split_lnfunc(total_inst, 1);
        } else {
            double s = 0;
            for (int b = 0; b < nb; b++)
                s += baiot_c45_split_lnfunc(pb[b], 0);
            split_ent = (baiot_c45_split_lnfunc(total_inst, 0) - s - baiot_c45_split_lnfunc(unknown, 0)) / LN2;
        }
    }
    if (c45_eq(split_ent, 0))
        return 0;
    return gain / (split_ent / total_inst);
}

double baiot_c45_split_min_split(double known, int nc, double min_obj)
{
    double m = C45_MIN_SPLIT_SHARE * known / (double)nc;
    if (c45_smoreq(m, min_obj))
        return min_obj;
    if (c45_gr(m, C45_MAX_MIN_SPLIT))
        return C45_MAX_MIN_SPLIT;
    return m;
}

/* The end both searches share: the MDL correction of the best gain, the
 * rejection of a cut that gains nothing, and the split point halfway
 * between the two values around the cut (the lower one when the halfway
 * value rounds up to the upper).  Returns 1 when out holds a valid cut. */
static int accept_cut(const c45_split_cfg *cfg, double below, double above, int64_t candidates, int64_t split_index,
                      double best, double total_inst, c45_numeric_split *out)
{
    out->candidates = candidates;
    if (candidates == 0)
        return 0;
    if (cfg->use_mdl)
        best -= log((double)candidates) / LN2 / total_inst; /* Utils.log2 */
    if (c45_smoreq(best, 0) || split_index < 0)
        return 0;
    out->valid = 1;
    out->info_gain = best;
    out->split_index = split_index;
    out->split_point = (above + below) / 2;
    if (isinf(out->split_point)) /* near the top of the double range: Weka's midpoint overflows to infinity
                                    (and it recurses until StackOverflowError); halve first instead
                                    (docs/WEKA_COMPAT.md, "Values near the double range") */
        out->split_point = above / 2 + below / 2;
    if (out->split_point == above)
        out->split_point = below;
    return 1;
}

void baiot_c45_split_numeric(const c45_split_cfg *cfg, const double *values, const int32_t *cls, const double *w,
                       int64_t n_known, double total_inst, double *work, c45_numeric_split *out)
{
    int nc = cfg->n_classes;
    double *pcb = work;          /* 2 x nc */
    double *pc = work + 2 * nc;  /* nc */
    double pb[2] = {0, 0}, known = 0;
    int64_t split_index = -1, candidates = 0, last = 0;
    double best = 0;
    memset(out, 0, sizeof *out);
    out->split_index = -1;
    memset(work, 0, (size_t)(3 * nc) * sizeof *work);
    for (int64_t i = 0; i < n_known; i++) {
        pcb[nc + cls[i]] += w[i];
        pb[1] += w[i];
        pc[cls[i]] += w[i];
        known += w[i];
    }
    double min_split = baiot_c45_split_min_split(known, nc, cfg->min_obj);
    if (c45_sm((double)n_known, 2 * min_split))
        return;
    double old_ent = baiot_c45_split_old_ent(pc, nc, known, cfg->weka36);
    for (int64_t next = 1; next < n_known; next++) {
        if (!(values[next - 1] + C45_TIE < values[next]))
            continue;
        for (int64_t i = last; i < next; i++) {
            pcb[cls[i]] += w[i];
            pcb[nc + cls[i]] -= w[i];
            pb[0] += w[i];
            pb[1] -= w[i];
        }
        if (c45_groreq(pb[0], min_split) && c45_groreq(pb[1], min_split)) {
            double g = baiot_c45_split_info_gain(pcb, pb, 2, nc, old_ent, known, total_inst, cfg->weka36);
            if (c45_gr(g, best)) {
                best = g;
                split_index = next - 1;
            }
            candidates++;
        }
        last = next;
    }
    if (!accept_cut(cfg, split_index >= 0 ? values[split_index] : 0, split_index >= 0 ? values[split_index + 1] : 0,
                    candidates, split_index, best, total_inst, out))
        return;
    /* the chosen cut's distribution, summed afresh */
    memset(pcb, 0, (size_t)(2 * nc) * sizeof *pcb);
    pb[0] = pb[1] = 0;
    for (int64_t i = 0; i < n_known; i++) {
        int b = i > split_index;
        pcb[b * nc + cls[i]] += w[i];
        pb[b] += w[i];
    }
    out->bag_weight[0] = pb[0];
    out->bag_weight[1] = pb[1];
    out->gain_ratio = baiot_c45_split_gain_ratio(pb, 2, known, total_inst, out->info_gain, cfg->weka36);
}

void baiot_c45_split_lnfunc_table(double *tab, int64_t n, int weka36)
{
    for (int64_t k = 0; k <= n; k++)
        tab[k] = baiot_c45_split_lnfunc((double)k, weka36);
}

/* Admissible cuts in first..last: positions p whose rank reaches the
 * next cut of the rank before (sval[rank[p-1]] + 1e-5 < sval[rank[p]],
 * Weka's m_index), counted without branches.  (An AVX-512 gather version
 * was slower than this loop on the AMD EPYC it was measured on.) */
static int64_t count_cuts(const int32_t *rank, const int32_t *snxt, int64_t first, int64_t last)
{
    int64_t n = 0;
    for (int64_t p = first; p <= last; p++)
        n += rank[p] >= snxt[rank[p - 1]];
    return n;
}

/* First index in [j, stop) whose class byte is not k, else stop: eight
 * bytes per step (little-endian words; a plain loop elsewhere). */
static inline int64_t run_end(const uint8_t *cls, int64_t j, int64_t stop, uint8_t k)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t pat = 0x0101010101010101ULL * k;
    for (; j + 8 <= stop; j += 8) {
        uint64_t w;
        memcpy(&w, cls + j, 8);
        w ^= pat;
        if (w)
            return j + (__builtin_ctzll(w) >> 3);
    }
#endif
    while (j < stop && cls[j] == k)
        j++;
    return j;
}

/* sum of lnfunc over the two bags of the cut at position next, in
 * baiot_c45_split_new_ent's order, negated; the left counts are cnt0 except
 * for class k, whose left count is lk */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline double cut_sum(const int nc, const int64_t *cnt0, int k, int64_t lk, const int64_t *tot, int64_t next,
                             int64_t n_known, const double *lntab)
{
    double s = 0;
    for (int c = 0; c < nc; c++)
        s += lntab[c == k ? lk : cnt0[c]];
    s -= lntab[next];
    for (int c = 0; c < nc; c++)
        s += lntab[tot[c] - (c == k ? lk : cnt0[c])];
    s -= lntab[n_known - next];
    return s;
}

/* Runs of one class at least this long are screened at their ends and
 * skipped when neither end can win; shorter ones are walked cut by cut. */
#define C45_SEGMENT_MIN 8

/* The cut scan of baiot_c45_split_numeric_unit over the admissible positions
 * first..last (position p cuts between rows p-1 and p), cnt0 holding the
 * left counts at position first.  Inlined with a constant nc.
 *
 * Segments: between two positions a < b such that rows a..b-1 all have
 * one class, the weighted entropy of the cut is a concave function of
 * the position (its second derivative is 1/p + 1/(n-p) - 1/L_k - 1/R_k
 * <= 0, as L_k <= p and R_k <= n-p: Fayyad and Irani's boundary-point
 * argument), so no cut inside beats the better end by more than
 * rounding.  The scan goes from class change to class change; a long
 * run is screened at its ends and walked cut by cut (the exact test of
 * baiot_c45_split_numeric) only when an end could pass c45_gr(g, best) within
 * C45_SCREEN; a short one is walked.  Every cut that can change the best
 * one is tested exactly and in order, so the same cut wins. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void scan_cuts(const int nc, const int32_t *rank, const int32_t *snxt, const uint8_t *cls, int64_t n_known,
                             int64_t first,
                             int64_t last, int64_t *cnt0, const int64_t *tot, const double *lntab, double old_ent,
                             double unknown_rate, double known, int w36, double *best_io, int64_t *split_io,
                             int64_t *cand_io)
{
    double best = *best_io, inv_ln2 = 1 / LN2, scale = (1 - unknown_rate) / known;
    int64_t split_index = *split_io, candidates = 0, n_cuts;
    /* screening gain: the exact one with its two divisions turned into
     * multiplications, within far less than C45_SCREEN of it (see the
     * top of the file) */
#define SCREEN_GAIN(s) ((old_ent + (w36 ? (s) : (s) * inv_ln2)) * scale)
    /* the exact test of the cut at p (left count lk of class k); count:
     * add it to the candidates */
#define EXACT_CUT(p, k, lk, count)                                            \
    do {                                                                      \
        if (rank[(p)] >= snxt[rank[(p) - 1]]) {                               \
            candidates += (count);                                            \
            double s_ = cut_sum(nc, cnt0, (k), (lk), tot, (p), n_known, lntab); \
            if (SCREEN_GAIN(s_) - best > C45_SMALL - C45_SCREEN) {            \
                double num = old_ent - (w36 ? -s_ : -s_ / LN2);               \
                num = (1 - unknown_rate) * num;                               \
                double g = c45_eq(num, 0) ? 0 : num / known;                  \
                if (c45_gr(g, best)) {                                        \
                    best = g;                                                 \
                    split_index = (p) - 1;                                    \
                }                                                             \
            }                                                                 \
        }                                                                     \
    } while (0)
    EXACT_CUT(first, 0, cnt0[0], 1);
    int64_t pos = first;
    double g_prev = 0; /* the screening gain at pos, when have_prev */
    int have_prev = 0;
    while (pos < last) {
        int k = cls[pos];
        int64_t end = run_end(cls, pos + 1, last, (uint8_t)k); /* rows pos..end-1 are of class k */
        int64_t at_pos = cnt0[k];
        int long_run = end - pos >= C45_SEGMENT_MIN;
        if (long_run) {
            n_cuts = count_cuts(rank, snxt, pos + 1, end);
            candidates += n_cuts;
            if (n_cuts == 0) { /* no cut inside: nothing to test */
                cnt0[k] = at_pos + (end - pos);
                have_prev = 0;
                pos = end;
                continue;
            }
            if (!have_prev)
                g_prev = SCREEN_GAIN(cut_sum(nc, cnt0, k, at_pos, tot, pos, n_known, lntab));
            double g_end = SCREEN_GAIN(cut_sum(nc, cnt0, k, at_pos + (end - pos), tot, end, n_known, lntab));
            have_prev = 1;
            int walk = (g_prev > g_end ? g_prev : g_end) - best > C45_SMALL - C45_SCREEN;
            g_prev = g_end;
            if (!walk) {
                cnt0[k] = at_pos + (end - pos);
                pos = end;
                continue;
            }
        } else {
            have_prev = 0;
        }
        for (int64_t p = pos + 1; p <= end; p++) /* a long run's cuts are counted already */
            EXACT_CUT(p, k, at_pos + (p - pos), !long_run);
        cnt0[k] = at_pos + (end - pos);
        pos = end;
    }
#undef EXACT_CUT
#undef SCREEN_GAIN
    *best_io = best;
    *split_io = split_index;
    *cand_io = candidates;
}

/* With unit weights every sum of baiot_c45_split_numeric is an exact integer,
 * so the counts are kept as integers (converted exactly when compared)
 * and lnfunc of a count is a table lookup; the order of the additions in
 * the entropy sums is baiot_c45_split_new_ent's.  work: 2 * n_classes int64 +
 * n_classes doubles (fits in baiot_c45_split_numeric's 3 * n_classes + 2). */
void baiot_c45_split_next_cut(const double *sval, int64_t n, int32_t *snxt)
{
    int64_t q = 0;
    for (int64_t r = 0; r < n; r++) { /* q: the first position past the ties of r */
        if (q <= r)
            q = r + 1;
        while (q < n && !(sval[r] + C45_TIE < sval[q]))
            q++;
        snxt[r] = (int32_t)q;
    }
}

void baiot_c45_split_numeric_unit(const c45_split_cfg *cfg, const int32_t *rank, const double *sval, const int32_t *srow,
                                  const int32_t *snxt,
                            const uint8_t *cls, int64_t n_known, double total_inst, const int64_t *counts,
                            const double *lntab, double *work, c45_numeric_split *out)
{
    int nc = cfg->n_classes, w36 = cfg->weka36;
    int64_t *cnt0 = (int64_t *)(void *)work;  /* left counts per class */
    int64_t *tot = cnt0 + nc;                  /* all counts per class */
    double *pc = work + 2 * nc;
    int64_t split_index = -1, candidates = 0;
    double best = 0;
    memset(out, 0, sizeof *out);
    out->split_index = -1;
    memset(work, 0, (size_t)(3 * nc) * sizeof *work);
    if (counts)
        memcpy(tot, counts, (size_t)nc * sizeof *tot);
    else
        for (int64_t i = 0; i < n_known; i++)
            tot[cls[i]]++;
    for (int c = 0; c < nc; c++)
        pc[c] = (double)tot[c];
    double known = (double)n_known;
    double min_split = baiot_c45_split_min_split(known, nc, cfg->min_obj);
    if (c45_sm((double)n_known, 2 * min_split))
        return;
    double old_ent = baiot_c45_split_old_ent(pc, nc, known, w36);
    double unknown_rate = (total_inst - known) / total_inst;
    /* the cuts with both sides >= min_split are the positions
     * first..last (both tests are monotone in the position) */
    int64_t first = 1, last = n_known - 1;
    while (first < n_known && !c45_groreq((double)first, min_split))
        first++;
    while (last >= first && !c45_groreq((double)(n_known - last), min_split))
        last--;
    if (first <= last) {
        for (int64_t i = 0; i < first; i++) /* the left counts at position first */
            cnt0[cls[i]]++;
        switch (nc) { /* small class counts: unrolled sums */
        case 2: scan_cuts(2, rank, snxt, cls, n_known, first, last, cnt0, tot, lntab, old_ent, unknown_rate, known, w36,
                          &best, &split_index, &candidates); break;
        case 3: scan_cuts(3, rank, snxt, cls, n_known, first, last, cnt0, tot, lntab, old_ent, unknown_rate, known, w36,
                          &best, &split_index, &candidates); break;
        case 4: scan_cuts(4, rank, snxt, cls, n_known, first, last, cnt0, tot, lntab, old_ent, unknown_rate, known, w36,
                          &best, &split_index, &candidates); break;
        default: scan_cuts(nc, rank, snxt, cls, n_known, first, last, cnt0, tot, lntab, old_ent, unknown_rate, known,
                           w36, &best, &split_index, &candidates); break;
        }
    }
    double lv = 0, rv = 0;
    if (split_index >= 0) {
        int32_t a = rank[split_index], b = rank[split_index + 1];
        lv = srow ? sval[srow[a]] : sval[a];
        rv = srow ? sval[srow[b]] : sval[b];
    }
    if (!accept_cut(cfg, lv, rv, candidates, split_index, best, total_inst, out))
        return;
    double pb[2] = {(double)(split_index + 1), (double)(n_known - split_index - 1)};
    out->bag_weight[0] = pb[0];
    out->bag_weight[1] = pb[1];
    out->gain_ratio = baiot_c45_split_gain_ratio(pb, 2, known, total_inst, out->info_gain, w36);
}
