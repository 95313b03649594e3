/*
 * c45_split.h - the split criteria of Weka's J48 (C4.5 release 8 as Weka
 * reimplements it) and the numeric split search on one attribute at one
 * node, on arrays the caller hands over (already sorted by value).
 *
 * Reimplemented from /work/shared/reference/WEKA_ALGORITHMS.md section 1
 * and Weka's observed behaviour; no Weka code was copied.
 *
 * Two numeric flavours are offered (cfg.weka36): Weka 3.8 sums x*ln(x)
 * terms and divides the sum by ln 2; Weka 3.6.14 divides every term by
 * ln 2.  They differ in the last bits only.
 *
 * Pure functions: no allocation, no globals, thread-safe.
 * Covered by tests/unit/test_c45_split.c and tests/cli/test_j48_golden.py.
 */
#ifndef BAIOT_KERNELS_C45_SPLIT_H
#define BAIOT_KERNELS_C45_SPLIT_H

#include <stdint.h>

/* weka.core.Utils.SMALL: the tolerance of every gr/sm/eq comparison. */
#define C45_SMALL 1e-6
/* Values closer than this (absolute) are not separated by a numeric cut
 * (C4.5 R8 contin.c and Weka's C45Split). */
#define C45_TIE 1e-5
/* Largest minimum split size of a numeric cut (C4.5's 25). */
#define C45_MAX_MIN_SPLIT 25.0
/* Share of the known weight per class that a numeric cut side needs. */
#define C45_MIN_SPLIT_SHARE 0.1

/* Weka's tolerant comparisons (weka.core.Utils). */
static inline int c45_eq(double a, double b) { return a == b || (a - b < C45_SMALL && b - a < C45_SMALL); }
static inline int c45_gr(double a, double b) { return a - b > C45_SMALL; }
static inline int c45_sm(double a, double b) { return b - a > C45_SMALL; }
static inline int c45_groreq(double a, double b) { return b - a < C45_SMALL || a >= b; }
static inline int c45_smoreq(double a, double b) { return a - b < C45_SMALL || a <= b; }

/* x*ln(x) (0 below 1e-6); weka36: x*ln(x)/ln(2) (3.6.14's per-term form). */
double baiot_c45_split_lnfunc(double x, int weka36);

/* N*H(class) in bits of a class distribution pc[nc] with total. */
double baiot_c45_split_old_ent(const double *pc, int nc, double total, int weka36);

/* Sum over bags of N_b*H(class | bag) in bits; pcb is nb x nc row-major. */
double baiot_c45_split_new_ent(const double *pcb, const double *pb, int nb, int nc, int weka36);

/* Info gain of a split (Weka's 3-argument InfoGainSplitCrit): old_ent is
 * baiot_c45_split_old_ent of the known distribution, known its weight,
 * total_inst the node weight including missing values.  0 when the
 * (unknown-scaled) numerator is eq 0. */
double baiot_c45_split_info_gain(const double *pcb, const double *pb, int nb, int nc, double old_ent, double known,
                           double total_inst, int weka36);

/* Gain ratio: gain / split info, where the split info counts the missing
 * weight (total_inst - known) as one more bag; 0 when the split info is
 * eq 0. */
double baiot_c45_split_gain_ratio(const double *pb, int nb, double known, double total_inst, double gain, int weka36);

/* Minimum weight each side of a numeric cut needs:
 * clamp(0.1 * known / n_classes, min_obj, 25) with Weka's comparisons. */
double baiot_c45_split_min_split(double known, int nc, double min_obj);

typedef struct c45_split_cfg {
    int n_classes;
    double min_obj;  /* J48 -M */
    int use_mdl;     /* subtract log2(candidates) / node weight (J48 without -J) */
    int weka36;      /* 3.6.14's entropy sums */
} c45_split_cfg;

typedef struct c45_numeric_split {
    int valid;            /* 0: no admissible cut (or no positive gain) */
    double info_gain;     /* MDL-corrected when cfg.use_mdl */
    double gain_ratio;
    int64_t split_index;  /* last position of the left side (values[0..split_index]) */
    double split_point;   /* midpoint (or the lower value if the midpoint rounds up) */
    int64_t candidates;   /* admissible cuts (Weka's m_index) */
    double bag_weight[2]; /* known weight left / right of the cut */
} c45_numeric_split;

/* Weka's C45Split numeric search on one attribute at one node.
 * values[0..n_known): the known values in ascending order, cls/w their
 * classes and weights; total_inst: the node's weight including rows whose
 * value is missing.  work: 3 * n_classes + 2 doubles.  Writes *out. */
void baiot_c45_split_numeric(const c45_split_cfg *cfg, const double *values, const int32_t *cls, const double *w,
                       int64_t n_known, double total_inst, double *work, c45_numeric_split *out);

/* Table of baiot_c45_split_lnfunc(k, weka36) for k = 0..n: the same function
 * evaluated on the same doubles, so a lookup is bitwise the call.
 * tab needs n + 1 doubles. */
void baiot_c45_split_lnfunc_table(double *tab, int64_t n, int weka36);

/* The tie rule on a sorted array sval[0..n): snxt[r] = the first r' > r
 * with sval[r] + C45_TIE < sval[r'] (n when there is none), so that a
 * cut between two known values of ranks a < b exists exactly when
 * b >= snxt[a]. */
void baiot_c45_split_next_cut(const double *sval, int64_t n, int32_t *snxt);

/* baiot_c45_split_numeric for unit weights (every w[i] == 1): the same search,
 * the same floating-point results bit for bit, with the node's values
 * given by ranks into a sorted order (its i-th value in ascending order
 * is sval[rank[i]], or sval[srow[rank[i]]] when srow is given: a column
 * read through its sort order, so that the sorted values need no copy;
 * rank ascending; snxt from baiot_c45_split_next_cut on the sorted
 * values), classes as bytes, and the entropy of the (integer) counts read
 * from lntab (baiot_c45_split_lnfunc_table of at least n_known + 1 entries,
 * same weka36).  counts: the n_classes class counts of the n_known rows
 * when the caller knows them (the same for every column of a node), else
 * NULL. */
void baiot_c45_split_numeric_unit(const c45_split_cfg *cfg, const int32_t *rank, const double *sval, const int32_t *srow,
                                  const int32_t *snxt,
                            const uint8_t *cls, int64_t n_known, double total_inst, const int64_t *counts,
                            const double *lntab, double *work, c45_numeric_split *out);

#endif
