/*
 * c45_split.c - J48's split criteria and numeric split search (see
 * kernels/c45_split.h).
 *
 * The numeric search follows WEKA_ALGORITHMS.md 1.4 step by step: all
 * known rows start in bag 1; a cut between positions i-1 and i exists only
 * when values[i-1] + 1e-5 < values[i]; at each cut the block since the
 * last cut moves to bag 0 row by row (the same floating-point sums as
 * Weka's shiftRange); a cut is admissible when both bags weigh at least
 * the minimum split, and the first cut with a gain larger by more than
 * 1e-6 wins.  The MDL term log2(admissible cuts) / node weight is then
 * subtracted, and the gain ratio is computed on the chosen cut's freshly
 * summed two-bag distribution.
 *
 * The unit-weight search (c45_split_numeric_unit) screens each cut with
 * a gain computed by multiplications instead of divisions, and computes
 * the exact gain only for cuts that can beat the best one (C45_SCREEN):
 * the same cut, the same doubles.
 *
 * Invariants: values ascending, no NaN; weights >= 0.  No allocation.
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

double c45_split_lnfunc(double x, int weka36)
{
    if (x < 1e-6)
        return 0;
    return weka36 ? x * log(x) / LN2 : x * log(x);
}

double c45_split_old_ent(const double *pc, int nc, double total, int weka36)
{
    double s = 0;
    for (int c = 0; c < nc; c++)
        s += c45_split_lnfunc(pc[c], weka36);
    if (weka36)
        return c45_split_lnfunc(total, 1) - s;
    return (c45_split_lnfunc(total, 0) - s) / LN2;
}

double c45_split_new_ent(const double *pcb, const double *pb, int nb, int nc, int weka36)
{
    double s = 0;
    for (int b = 0; b < nb; b++) {
        for (int c = 0; c < nc; c++)
            s += c45_split_lnfunc(pcb[(int64_t)b * nc + c], weka36);
        s -= c45_split_lnfunc(pb[b], weka36);
    }
    return weka36 ? -s : -s / LN2;
}

double c45_split_info_gain(const double *pcb, const double *pb, int nb, int nc, double old_ent, double known,
                           double total_inst, int weka36)
{
    double unknown_rate = (total_inst - known) / total_inst;
    double num = old_ent - c45_split_new_ent(pcb, pb, nb, nc, weka36);
    num = (1 - unknown_rate) * num;
    if (c45_eq(num, 0))
        return 0;
    return num / known;
}

double c45_split_gain_ratio(const double *pb, int nb, double known, double total_inst, double gain, int weka36)
{
    double split_ent = 0;
    if (c45_gr(known, 0)) {
        double unknown = total_inst - known;
        if (weka36) {
            for (int b = 0; b < nb; b++)
                split_ent -= c45_split_lnfunc(pb[b], 1);
            split_ent -= c45_split_lnfunc(unknown, 1);
            split_ent += c45_split_lnfunc(total_inst, 1);
        } else {
            double s = 0;
            for (int b = 0; b < nb; b++)
                s += c45_split_lnfunc(pb[b], 0);
            split_ent = (c45_split_lnfunc(total_inst, 0) - s - c45_split_lnfunc(unknown, 0)) / LN2;
        }
    }
    if (c45_eq(split_ent, 0))
        return 0;
    return gain / (split_ent / total_inst);
}

double c45_split_min_split(double known, int nc, double min_obj)
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
static int accept_cut(const c45_split_cfg *cfg, const double *values, int64_t candidates, int64_t split_index,
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
    out->split_point = (values[split_index + 1] + values[split_index]) / 2;
    if (out->split_point == values[split_index + 1])
        out->split_point = values[split_index];
    return 1;
}

void c45_split_numeric(const c45_split_cfg *cfg, const double *values, const int32_t *cls, const double *w,
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
    double min_split = c45_split_min_split(known, nc, cfg->min_obj);
    if (c45_sm((double)n_known, 2 * min_split))
        return;
    double old_ent = c45_split_old_ent(pc, nc, known, cfg->weka36);
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
            double g = c45_split_info_gain(pcb, pb, 2, nc, old_ent, known, total_inst, cfg->weka36);
            if (c45_gr(g, best)) {
                best = g;
                split_index = next - 1;
            }
            candidates++;
        }
        last = next;
    }
    if (!accept_cut(cfg, values, candidates, split_index, best, total_inst, out))
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
    out->gain_ratio = c45_split_gain_ratio(pb, 2, known, total_inst, out->info_gain, cfg->weka36);
}

void c45_split_lnfunc_table(double *tab, int64_t n, int weka36)
{
    for (int64_t k = 0; k <= n; k++)
        tab[k] = c45_split_lnfunc((double)k, weka36);
}

/* The cut scan of c45_split_numeric_unit over the admissible positions
 * first..last, cnt0 holding the left counts at first - 1.  Inlined with
 * a constant nc: in_regs keeps the left counts in locals (no store to
 * load chain when neighbours share a class), the additions stay in
 * c45_split_new_ent's order. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void scan_cuts(const int nc, const int in_regs, const double *values, const uint8_t *cls,
                             int64_t n_known, int64_t first, int64_t last, int64_t *cnt0, const int64_t *tot,
                             const double *lntab, double old_ent, double unknown_rate, double known, int w36,
                             double *best_io, int64_t *split_io, int64_t *cand_io)
{
    double best = *best_io, inv_ln2 = 1 / LN2, scale = (1 - unknown_rate) / known;
    int64_t split_index = *split_io, candidates = *cand_io;
    int64_t r[4] = {0, 0, 0, 0};
    if (in_regs)
        for (int c = 0; c < nc; c++)
            r[c] = cnt0[c];
    for (int64_t next = first; next <= last; next++) {
        int k = cls[next - 1];
        if (in_regs)
            for (int c = 0; c < nc; c++)
                r[c] += k == c;
        else
            cnt0[k]++;
        if (!(values[next - 1] + C45_TIE < values[next]))
            continue;
        candidates++;
        /* c45_split_info_gain on the two bags */
        double s = 0;
        for (int c = 0; c < nc; c++)
            s += lntab[in_regs ? r[c] : cnt0[c]];
        s -= lntab[next];
        for (int c = 0; c < nc; c++)
            s += lntab[tot[c] - (in_regs ? r[c] : cnt0[c])];
        s -= lntab[n_known - next];
        /* screen: the gain with its two divisions turned into
         * multiplications differs from the exact one by far less than
         * C45_SCREEN (see the top of the file), so a cut it puts below
         * best + C45_SMALL - C45_SCREEN cannot pass c45_gr(g, best) */
        double ga = (old_ent + (w36 ? s : s * inv_ln2)) * scale;
        if (!(ga - best > C45_SMALL - C45_SCREEN))
            continue;
        double num = old_ent - (w36 ? -s : -s / LN2);
        num = (1 - unknown_rate) * num;
        double g = c45_eq(num, 0) ? 0 : num / known;
        if (c45_gr(g, best)) {
            best = g;
            split_index = next - 1;
        }
    }
    *best_io = best;
    *split_io = split_index;
    *cand_io = candidates;
}

/* With unit weights every sum of c45_split_numeric is an exact integer,
 * so the counts are kept as integers (converted exactly when compared)
 * and lnfunc of a count is a table lookup; the order of the additions in
 * the entropy sums is c45_split_new_ent's.  work: 2 * n_classes int64 +
 * n_classes doubles (fits in c45_split_numeric's 3 * n_classes + 2). */
void c45_split_numeric_unit(const c45_split_cfg *cfg, const double *values, const uint8_t *cls, int64_t n_known,
                            double total_inst, const int64_t *counts, const double *lntab, double *work,
                            c45_numeric_split *out)
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
    double min_split = c45_split_min_split(known, nc, cfg->min_obj);
    if (c45_sm((double)n_known, 2 * min_split))
        return;
    double old_ent = c45_split_old_ent(pc, nc, known, w36);
    double unknown_rate = (total_inst - known) / total_inst;
    /* the cuts with both sides >= min_split are the positions
     * first..last (both tests are monotone in the position) */
    int64_t first = 1, last = n_known - 1;
    while (first < n_known && !c45_groreq((double)first, min_split))
        first++;
    while (last >= first && !c45_groreq((double)(n_known - last), min_split))
        last--;
    for (int64_t next = 1; next < first && next < n_known; next++)
        cnt0[cls[next - 1]]++;
    switch (nc) { /* small class counts: the left counts live in registers */
    case 2: scan_cuts(2, 1, values, cls, n_known, first, last, cnt0, tot, lntab, old_ent, unknown_rate, known, w36,
                      &best, &split_index, &candidates); break;
    case 3: scan_cuts(3, 1, values, cls, n_known, first, last, cnt0, tot, lntab, old_ent, unknown_rate, known, w36,
                      &best, &split_index, &candidates); break;
    case 4: scan_cuts(4, 1, values, cls, n_known, first, last, cnt0, tot, lntab, old_ent, unknown_rate, known, w36,
                      &best, &split_index, &candidates); break;
    default: scan_cuts(nc, 0, values, cls, n_known, first, last, cnt0, tot, lntab, old_ent, unknown_rate, known, w36,
                       &best, &split_index, &candidates); break;
    }
    if (!accept_cut(cfg, values, candidates, split_index, best, total_inst, out))
        return;
    double pb[2] = {(double)(split_index + 1), (double)(n_known - split_index - 1)};
    out->bag_weight[0] = pb[0];
    out->bag_weight[1] = pb[1];
    out->gain_ratio = c45_split_gain_ratio(pb, 2, known, total_inst, out->info_gain, w36);
}
