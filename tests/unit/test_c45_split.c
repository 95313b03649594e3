/*
 * test_c45_split.c - unit tests of kernels/c45_split.c (J48's split
 * criteria and numeric split search) on small hand-made cases whose
 * answers are worked out by hand from WEKA_ALGORITHMS.md section 1:
 * a clean cut (gain, MDL correction, gain ratio, midpoint), the 1e-5 tie
 * rule, the minimum split size clamp, missing values scaling the gain and
 * adding a bag to the split info, too few known values, the midpoint that
 * rounds up to the upper value, -J (no MDL) and the first-wins tie rule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/c45_split.h"

#include <math.h>

static const c45_split_cfg CFG = {2, 2.0, 1, 0};

static void test_clean_cut(void **state)
{
    (void)state;
    double v[8] = {1, 2, 3, 4, 5, 6, 7, 8}, w[8] = {1, 1, 1, 1, 1, 1, 1, 1}, work[16];
    int32_t c[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    c45_numeric_split s;
    baiot_c45_split_numeric(&CFG, v, c, w, 8, 8, work, &s);
    /* minSplit 2: cuts after positions 1..5 are admissible (5 of them) */
    assert_int_equal(s.valid, 1);
    assert_int_equal(s.candidates, 5);
    assert_int_equal(s.split_index, 3);
    assert_true(s.split_point == 4.5);
    double g = 1 - log2(5.0) / 8;
    assert_true(fabs(s.info_gain - g) < 1e-12);
    assert_true(fabs(s.gain_ratio - g) < 1e-12); /* split info of 4|4 = 1 bit */
    assert_true(s.bag_weight[0] == 4 && s.bag_weight[1] == 4);
    /* the same in 3.6.14's entropy sums */
    c45_split_cfg c36 = CFG;
    c36.weka36 = 1;
    baiot_c45_split_numeric(&c36, v, c, w, 8, 8, work, &s);
    assert_true(fabs(s.info_gain - g) < 1e-12);
    /* -J: no MDL correction */
    c45_split_cfg nomdl = CFG;
    nomdl.use_mdl = 0;
    baiot_c45_split_numeric(&nomdl, v, c, w, 8, 8, work, &s);
    assert_true(fabs(s.info_gain - 1) < 1e-12);
}

static void test_tie_rule(void **state)
{
    (void)state;
    /* values closer than 1e-5 are never separated */
    double v[4] = {1, 1.000001, 2, 2.000009}, w[4] = {1, 1, 1, 1}, work[16];
    int32_t c[4] = {0, 0, 1, 1};
    c45_split_cfg cfg = CFG;
    cfg.min_obj = 1;
    c45_numeric_split s;
    baiot_c45_split_numeric(&cfg, v, c, w, 4, 4, work, &s);
    assert_int_equal(s.valid, 1);
    assert_int_equal(s.candidates, 1);
    assert_int_equal(s.split_index, 1);
    assert_true(s.split_point == (1.000001 + 2) / 2);
    assert_true(fabs(s.info_gain - 1) < 1e-12); /* log2(1) = 0 */
    /* all four within 1e-5 of their neighbour: no cut at all */
    double u[4] = {1, 1.000004, 1.000008, 1.000012};
    baiot_c45_split_numeric(&cfg, u, c, w, 4, 4, work, &s);
    assert_int_equal(s.valid, 0);
    assert_int_equal(s.candidates, 0);
}

static void test_min_split(void **state)
{
    (void)state;
    assert_true(baiot_c45_split_min_split(1000, 2, 2) == 25);  /* 50 -> 25 */
    assert_true(baiot_c45_split_min_split(100, 2, 2) == 5);
    assert_true(fabs(baiot_c45_split_min_split(150, 3, 2) - 5) < 1e-12);
    assert_true(baiot_c45_split_min_split(30, 3, 2) == 2);     /* 1 -> M */
    assert_true(baiot_c45_split_min_split(30, 3, 0) == 1);
    /* too few known values: n_known < 2 * minSplit */
    double v[3] = {1, 2, 3}, w[3] = {1, 1, 1}, work[16];
    int32_t c[3] = {0, 1, 1};
    c45_numeric_split s;
    baiot_c45_split_numeric(&CFG, v, c, w, 3, 3, work, &s);
    assert_int_equal(s.valid, 0);
    /* minSplit 5 with 20 rows: the cut after 4 rows is not admissible */
    double v2[20], w2[20];
    int32_t c2[20];
    for (int i = 0; i < 20; i++) {
        v2[i] = i;
        w2[i] = 1;
        c2[i] = i < 4 ? 0 : 1;
    }
    c45_split_cfg cfg = CFG;
    cfg.min_obj = 5;
    baiot_c45_split_numeric(&cfg, v2, c2, w2, 20, 20, work, &s);
    assert_int_equal(s.candidates, 11); /* cuts after positions 4..14 */
    assert_int_equal(s.split_index, 4); /* the purest admissible one */
}

static void test_missing_values(void **state)
{
    (void)state;
    double v[8] = {1, 2, 3, 4, 5, 6, 7, 8}, w[8] = {1, 1, 1, 1, 1, 1, 1, 1}, work[16];
    int32_t c[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    c45_numeric_split s;
    /* 2 more rows at the node with a missing value: gain scaled by 8/10,
     * MDL divided by the node weight 10, split info with a third bag */
    baiot_c45_split_numeric(&CFG, v, c, w, 8, 10, work, &s);
    double g = 0.8 - log2(5.0) / 10;
    assert_true(fabs(s.info_gain - g) < 1e-12);
    double si = (10 * log2(10.0) - 2 * 4 * log2(4.0) - 2 * log2(2.0)) / 10;
    assert_true(fabs(s.gain_ratio - g / si) < 1e-12);
}

static void test_first_wins_and_weights(void **state)
{
    (void)state;
    /* symmetric data (values 1..6, three rows each, classes 0 0 1 1 0 0):
     * the cuts after value 2 and after value 4 are equally good, the first
     * one wins */
    double v[18], w[18], w2[18], work[16];
    int32_t c[18];
    for (int i = 0; i < 18; i++) {
        v[i] = 1 + i / 3;
        w[i] = 1;
        c[i] = (i / 3 == 2 || i / 3 == 3) ? 1 : 0;
        w2[i] = c[i] ? 2 : 1;
    }
    c45_split_cfg cfg = CFG;
    cfg.min_obj = 1;
    c45_numeric_split s;
    baiot_c45_split_numeric(&cfg, v, c, w, 18, 18, work, &s);
    assert_int_equal(s.valid, 1);
    assert_int_equal(s.candidates, 5);
    assert_int_equal(s.split_index, 5);
    /* weights count, not rows */
    baiot_c45_split_numeric(&cfg, v, c, w2, 18, 24, work, &s);
    assert_int_equal(s.valid, 1);
    assert_int_equal(s.split_index, 5);
    assert_true(s.bag_weight[0] == 6 && s.bag_weight[1] == 18);
}

static void test_midpoint_rounds_up(void **state)
{
    (void)state;
    double a = 1e17, b = nextafter(nextafter(1e17, 2e17), 2e17);
    double v[4] = {a, a, b, b}, w[4] = {1, 1, 1, 1}, work[16];
    int32_t c[4] = {0, 0, 1, 1};
    c45_split_cfg cfg = CFG;
    cfg.min_obj = 1;
    c45_numeric_split s;
    baiot_c45_split_numeric(&cfg, v, c, w, 4, 4, work, &s);
    assert_int_equal(s.valid, 1);
    double mid = (a + b) / 2;
    assert_true(s.split_point == (mid == b ? a : mid));
    assert_true(s.split_point < b);
}

static void test_criteria(void **state)
{
    (void)state;
    double pc[2] = {9, 5};
    /* the weather data's 9 yes / 5 no: 14 * 0.940286 bits */
    assert_true(fabs(baiot_c45_split_old_ent(pc, 2, 14, 0) - 14 * 0.9402859586706311) < 1e-9);
    assert_true(fabs(baiot_c45_split_old_ent(pc, 2, 14, 1) - 14 * 0.9402859586706311) < 1e-9);
    /* outlook: sunny 2/3, overcast 4/0, rainy 3/2: gain 0.246750 */
    double pcb[6] = {2, 3, 4, 0, 3, 2}, pb[3] = {5, 4, 5};
    double g = baiot_c45_split_info_gain(pcb, pb, 3, 2, baiot_c45_split_old_ent(pc, 2, 14, 0), 14, 14, 0);
    assert_true(fabs(g - 0.2467498197744391) < 1e-12);
    double gr = baiot_c45_split_gain_ratio(pb, 3, 14, 14, g, 0);
    assert_true(fabs(gr - 0.2467498197744391 / 1.5774062828523454) < 1e-12);
    assert_true(baiot_c45_split_lnfunc(5e-7, 0) == 0);
}

/* baiot_c45_split_numeric_unit gives baiot_c45_split_numeric's doubles bit for bit
 * (unit weights; random classes and coarse values with ties, 2 to 5
 * classes, both entropy flavours, with and without missing weight; runs
 * of one class of random length, which the search jumps over, and
 * mirrored halves whose cuts tie in gain, where the first must win). */
static void test_unit_matches(void **state)
{
    (void)state;
    enum { N = 600 };
    static double v[N], w[N], tab[N + 1], work[64];
    static int32_t c32[N], rank[N], snxt[N];
    static uint8_t c8[N];
    uint64_t r = 88172645463325252ULL;
    for (int rep = 0; rep < 1200; rep++) {
        int nc = 2 + rep % 4, n = 5 + rep * 3 % (N - 5), w36 = rep % 8 < 4;
        int runs = rep % 11 >= 5, mirrored = rep % 13 == 4;
        double x = 0;
        int run_left = 0;
        uint8_t run_cls = 0;
        for (int i = 0; i < n; i++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            x += (double)(r % 4) * (rep % 3 ? 1.0 : 4e-6); /* ties and near-ties */
            v[i] = x;
            if (runs) { /* runs of one class, 1 to 64 rows long */
                if (run_left == 0) {
                    run_left = 1 + (int)((r >> 33) % (rep % 2 ? 64 : 9));
                    run_cls = (uint8_t)((r >> 40) % (uint64_t)nc);
                }
                c8[i] = run_cls;
                run_left--;
            } else {
                c8[i] = (uint8_t)(r >> 20) % (uint8_t)nc;
            }
            if (rep % 5 == 0 && i % 7 < 5)
                c8[i] = 0; /* skewed */
            if (mirrored && i >= n / 2) /* the second half mirrors the first */
                c8[i] = (uint8_t)((c8[n - 1 - i] + 1) % nc);
            c32[i] = c8[i];
            w[i] = 1;
        }
        if (mirrored)
            for (int i = 0; i < n; i++)
                v[i] = i; /* evenly spaced: mirrored cuts gain alike */
        c45_split_cfg cfg = {nc, 2.0, rep % 7 != 0, w36};
        double total = rep % 3 == 1 ? n + 3.0 : (double)n;
        c45_numeric_split a, b;
        baiot_c45_split_lnfunc_table(tab, n, w36);
        baiot_c45_split_numeric(&cfg, v, c32, w, n, total, work, &a);
        for (int i = 0; i < n; i++) /* the node holds every row: rank i is row i */
            rank[i] = i;
        baiot_c45_split_next_cut(v, n, snxt);
        baiot_c45_split_numeric_unit(&cfg, rank, v, NULL, snxt, c8, n, total, NULL, tab, work, &b);
        assert_int_equal(a.valid, b.valid);
        assert_int_equal(a.candidates, b.candidates);
        assert_int_equal(a.split_index, b.split_index);
        assert_memory_equal(&a.info_gain, &b.info_gain, sizeof(double));
        assert_memory_equal(&a.gain_ratio, &b.gain_ratio, sizeof(double));
        assert_memory_equal(&a.split_point, &b.split_point, sizeof(double));
        assert_memory_equal(a.bag_weight, b.bag_weight, sizeof a.bag_weight);
        /* the class counts handed over give the same */
        int64_t cnt[5] = {0, 0, 0, 0, 0};
        for (int i = 0; i < n; i++)
            cnt[c8[i]]++;
        c45_numeric_split d;
        baiot_c45_split_numeric_unit(&cfg, rank, v, NULL, snxt, c8, n, total, cnt, tab, work, &d);
        assert_memory_equal(&b, &d, sizeof b);
        /* the node as a subset of a larger sorted array: every other row
         * of sval missing from the node, ranks 2i */
        static double sv2[2 * N];
        static int32_t rank2[N], snxt2[2 * N];
        for (int i = 0; i < n; i++) {
            sv2[2 * i] = v[i];
            sv2[2 * i + 1] = i + 1 < n ? v[i + 1] : v[i]; /* a value between, never in the node */
            rank2[i] = 2 * i;
        }
        baiot_c45_split_next_cut(sv2, 2 * n, snxt2);
        baiot_c45_split_numeric_unit(&cfg, rank2, sv2, NULL, snxt2, c8, n, total, cnt, tab, work, &d);
        assert_memory_equal(&b, &d, sizeof b);
        /* the same sorted values read through a sort order (srow): the
         * column stored backwards, sorted position q at row 2n-1-q */
        static double col[2 * N];
        static int32_t srow[2 * N];
        for (int q = 0; q < 2 * n; q++) {
            col[2 * n - 1 - q] = sv2[q];
            srow[q] = 2 * n - 1 - q;
        }
        baiot_c45_split_numeric_unit(&cfg, rank2, col, srow, snxt2, c8, n, total, cnt, tab, work, &d);
        assert_memory_equal(&b, &d, sizeof b);
    }
    for (int w36 = 0; w36 < 2; w36++) {
        baiot_c45_split_lnfunc_table(tab, N, w36);
        for (int k = 0; k <= N; k++) {
            double d = baiot_c45_split_lnfunc((double)k, w36);
            assert_memory_equal(&tab[k], &d, sizeof d);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_cut),      cmocka_unit_test(test_tie_rule),
        cmocka_unit_test(test_min_split),      cmocka_unit_test(test_missing_values),
        cmocka_unit_test(test_first_wins_and_weights), cmocka_unit_test(test_midpoint_rounds_up),
        cmocka_unit_test(test_criteria),      cmocka_unit_test(test_unit_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
