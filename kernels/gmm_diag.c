/*
 * gmm_diag.c - E and M steps of Weka's EM model (see gmm_diag.h).
 *
 * Exactness first: each formula keeps Weka's operation order (the normal
 * log density is -(diff*diff / ((2*sd)*sd)) - ln sqrt(2 pi) - ln sd, added
 * attribute by attribute in attribute order, then ln prior; the posterior is
 * exp(a - max) / sum; numeric sums are (x*r), ((x*x)*r) and r), so one block
 * covering all rows gives Weka's doubles up to the last bit of exp/log.
 * Pure functions of their arguments: thread-safe, no allocation.
 * Covered by tests/unit/test_gmm_diag_blas.c and
 * tests/cli/test_em_golden.py.
 */
#include "kernels/gmm_diag.h"
#include "kernels/java_math.h"

#include <math.h>
#include <stddef.h>

/* Weka's m_normConst, Math.log(Math.sqrt(2 * Math.PI)): libm's log gives
 * the same double as StrictMath.log and HotSpot's Math.log,
 * 0x1.d67f1c864beb4p-1 (tests/unit/test_java_math.c checks it). */
double baiot_gmm_diag_norm_const(void)
{
    return log(sqrt(2 * M_PI));
}

void baiot_gmm_diag_joint(const gmm_diag *m, const double *const *cols, int64_t r, double *a)
{
    const double nc = baiot_gmm_diag_norm_const();
    for (int c = 0; c < m->k; c++) {
        double lp = 0.0;
        const double *mu = m->mean + (int64_t)c * m->d, *tv = m->two_var + (int64_t)c * m->d,
                     *ls = m->log_sd + (int64_t)c * m->d, *lpv = m->log_p + (int64_t)c * m->nv_total;
        for (int j = 0; j < m->d; j++) {
            double x = cols[j][r];
            if (m->nvals[j]) {
                lp += lpv[m->off[j] + (int)x];
            } else {
                double diff = x - mu[j];
                lp += -(diff * diff / tv[j]) - nc - ls[j];
            }
        }
        a[c] = lp + m->log_prior[c];
    }
}

double baiot_gmm_diag_estep(const gmm_diag *m, const double *const *cols, int64_t r0, int64_t r1, double *resp,
                      double *ws)
{
    const int k = m->k;
    double total = 0.0;
    for (int64_t r = r0; r < r1; r++) {
        baiot_gmm_diag_joint(m, cols, r, ws);
        int best = 0;
        for (int c = 1; c < k; c++)
            if (ws[c] > ws[best])
                best = c;
        double max = ws[best], sum = 0.0;
        double *p = resp ? resp + (r - r0) * k : 0;
        for (int c = 0; c < k; c++) {
            double e = m->strict_math ? baiot_java_exp(ws[c] - max) : exp(ws[c] - max);
            if (p)
                p[c] = e;
            sum += e;
        }
        total += max + (m->strict_math ? baiot_java_log(sum) : log(sum));
        if (p)
            for (int c = 0; c < k; c++)
                p[c] /= sum;
    }
    return total;
}

/* Cloned for AVX-512 and AVX2 (chosen at load time): the lanes run the same
 * IEEE operations in the same order (no FMA contraction, see CMakeLists.txt),
 * so every clone gives the same doubles. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void baiot_gmm_diag_joint_block(const gmm_diag *m, const double *const *cols, int64_t r0, int64_t nb,
                                double *resp, double *mx)
{
    /* column by column over the block's rows (vectorisable; IEEE operations
     * give the same doubles in vector lanes), every value in the order of
     * baiot_gmm_diag_joint and baiot_gmm_diag_estep */
    const int k = m->k, d = m->d;
    const double nc = baiot_gmm_diag_norm_const();
    for (int c = 0; c < k; c++) {
        double *a = resp + c * nb;
        const double *mu = m->mean + (int64_t)c * d, *tv = m->two_var + (int64_t)c * d,
                     *ls = m->log_sd + (int64_t)c * d, *lpv = m->log_p + (int64_t)c * m->nv_total;
        for (int64_t r = 0; r < nb; r++)
            a[r] = 0.0;
        for (int j = 0; j < d; j++) {
            const double *x = cols[j] + r0;
            if (m->nvals[j]) {
                const double *lp = lpv + m->off[j];
                for (int64_t r = 0; r < nb; r++)
                    a[r] += lp[(int)x[r]];
            } else {
                const double mj = mu[j], tj = tv[j], lj = ls[j];
                for (int64_t r = 0; r < nb; r++) {
                    double diff = x[r] - mj;
                    a[r] += -(diff * diff / tj) - nc - lj;
                }
            }
        }
        const double lpr = m->log_prior[c];
        for (int64_t r = 0; r < nb; r++)
            a[r] += lpr;
    }
    for (int64_t r = 0; r < nb; r++)
        mx[r] = resp[r];
    for (int c = 1; c < k; c++) {
        const double *a = resp + c * nb;
        for (int64_t r = 0; r < nb; r++)
            if (a[r] > mx[r])
                mx[r] = a[r];
    }
}

double baiot_gmm_diag_estep_cm(const gmm_diag *m, const double *const *cols, int64_t r0, int64_t r1, double *resp,
                               double *ws, double *lrow)
{
    const int k = m->k;
    const int64_t nb = r1 - r0;
    double *mx = ws, *sum = ws + nb;
    baiot_gmm_diag_joint_block(m, cols, r0, nb, resp, mx);
    for (int64_t r = 0; r < nb; r++)
        sum[r] = 0.0;
    for (int c = 0; c < k; c++) {
        double *a = resp + c * nb;
        for (int64_t r = 0; r < nb; r++) {
            /* below -746 exp is exactly 0 (as Java's): skip libm's slow underflow path */
            double x = a[r] - mx[r], e = x < -746.0 ? 0.0 : m->strict_math ? baiot_java_exp(x) : exp(x);
            a[r] = e;
            sum[r] += e;
        }
    }
    double total = 0.0;
    for (int64_t r = 0; r < nb; r++) {
        double l = mx[r] + (m->strict_math ? baiot_java_log(sum[r]) : log(sum[r]));
        total += l;
        if (lrow)
            lrow[r] = l;
    }
    for (int c = 0; c < k; c++) {
        double *a = resp + c * nb;
        for (int64_t r = 0; r < nb; r++)
            a[r] /= sum[r];
    }
    return total;
}

int64_t baiot_gmm_diag_acc_size(int k, int d, const int *nvals)
{
    int64_t per = 1;
    for (int j = 0; j < d; j++)
        per += nvals[j] ? nvals[j] + 1 : 3;
    return per * k;
}

void baiot_gmm_diag_mstep(int k, int d, const int *nvals, const double *const *cols, int64_t r0, int64_t r1,
                    const double *resp, double *acc)
{
    int64_t per = baiot_gmm_diag_acc_size(1, d, nvals);
    for (int c = 0; c < k; c++) {
        double *a = acc + per * c;
        double s = a[0];
        for (int64_t r = r0; r < r1; r++)
            s += resp[(r - r0) * k + c];
        a[0] = s;
        a++;
        for (int j = 0; j < d; j++) {
            const double *x = cols[j];
            if (nvals[j]) {
                double tot = a[nvals[j]];
                for (int64_t r = r0; r < r1; r++) {
                    double w = resp[(r - r0) * k + c];
                    a[(int)x[r]] += w;
                    tot += w;
                }
                a[nvals[j]] = tot;
                a += nvals[j] + 1;
            } else {
                double s0 = a[0], s2 = a[1], s1 = a[2];
                for (int64_t r = r0; r < r1; r++) {
                    double w = resp[(r - r0) * k + c];
                    s0 += x[r] * w;
                    s2 += x[r] * x[r] * w;
                    s1 += w;
                }
                a[0] = s0;
                a[1] = s2;
                a[2] = s1;
                a += 3;
            }
        }
    }
}

/* The numeric sums of one cluster over n rows of a row-major tile xt
 * (MSTEP_LANES values a row, zero-padded; nv of them used, a multiple of 4):
 * a0[i] += x w, a2[i] += (x x) w in row order for every lane.  Lanes are
 * independent chains, so this runs across attributes and leaves each sum's
 * order alone; no FMA, so every product is rounded as in gmm_diag_mstep. */
#define MSTEP_LANES 16
#define MSTEP_CHUNK 256
static void tile_sums_plain(int64_t n, int nv, const double *xt, const double *w, double *a0, double *a2)
{
    for (int64_t r = 0; r < n; r++) {
        const double wr = w[r], *x = xt + r * MSTEP_LANES;
        for (int i = 0; i < nv; i++) {
            a0[i] += x[i] * wr;
            a2[i] += x[i] * x[i] * wr;
        }
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_SUMS 1
/* q vectors of 4 lanes each, in registers across the rows */
static inline __attribute__((always_inline, target("avx2"))) void tile_q(int q, int64_t n, const double *xt,
                                                                          const double *w, double *a0, double *a2)
{
    __m256d l0[4], l2[4];
    for (int v = 0; v < q; v++) {
        l0[v] = _mm256_loadu_pd(a0 + 4 * v);
        l2[v] = _mm256_loadu_pd(a2 + 4 * v);
    }
    for (int64_t r = 0; r < n; r++) {
        const __m256d wr = _mm256_broadcast_sd(w + r);
        const double *x = xt + r * MSTEP_LANES;
        for (int v = 0; v < q; v++) {
            __m256d xv = _mm256_loadu_pd(x + 4 * v);
            l0[v] = _mm256_add_pd(l0[v], _mm256_mul_pd(xv, wr));
            l2[v] = _mm256_add_pd(l2[v], _mm256_mul_pd(_mm256_mul_pd(xv, xv), wr));
        }
    }
    for (int v = 0; v < q; v++) {
        _mm256_storeu_pd(a0 + 4 * v, l0[v]);
        _mm256_storeu_pd(a2 + 4 * v, l2[v]);
    }
}

static __attribute__((target("avx2"))) void tile_sums_avx2(int64_t n, int nv, const double *xt, const double *w,
                                                           double *a0, double *a2)
{
    switch (nv) {
    case 4: tile_q(1, n, xt, w, a0, a2); break;
    case 8: tile_q(2, n, xt, w, a0, a2); break;
    case 12: tile_q(3, n, xt, w, a0, a2); break;
    default: tile_q(4, n, xt, w, a0, a2); break;
    }
}
#endif

static void tile_sums(int64_t n, int nv, const double *xt, const double *w, double *a0, double *a2)
{
#ifdef HAVE_AVX2_SUMS
    static int avx2 = -1; /* benign race: every thread writes the same value */
    if (avx2 < 0)
        avx2 = __builtin_cpu_supports("avx2");
    if (avx2) {
        tile_sums_avx2(n, nv, xt, w, a0, a2);
        return;
    }
#endif
    tile_sums_plain(n, nv, xt, w, a0, a2);
}

int64_t baiot_gmm_diag_mstep_ws_size(int k)
{
    return MSTEP_CHUNK * MSTEP_LANES + 2 * (int64_t)k * MSTEP_LANES;
}

void baiot_gmm_diag_mstep_cm(int k, int d, const int *nvals, const double *const *cols, int64_t r0, int64_t r1,
                       const double *resp, double *acc, double *ws)
{
    const int64_t nb = r1 - r0, per = baiot_gmm_diag_acc_size(1, d, nvals);
    for (int c = 0; c < k; c++) {
        const double *w = resp + c * nb;
        double *a = acc + per * c;
        const double start = a[0];
        double s = start;
        for (int64_t r = 0; r < nb; r++)
            s += w[r];
        a[0] = s;
        a++;
        for (int j = 0; j < d; j++) {
            if (nvals[j]) {
                const double *x = cols[j] + r0;
                double tot = a[nvals[j]];
                for (int64_t r = 0; r < nb; r++) {
                    a[(int)x[r]] += w[r];
                    tot += w[r];
                }
                a[nvals[j]] = tot;
                a += nvals[j] + 1;
            } else {
                /* the same chain as the prior's sum when it starts alike */
                double s1 = a[2];
                if (s1 == start) {
                    s1 = s;
                } else {
                    for (int64_t r = 0; r < nb; r++)
                        s1 += w[r];
                }
                a[2] = s1;
                a += 3;
            }
        }
    }
    /* numeric x w and x x w sums: MSTEP_LANES attributes at a time, over
     * row chunks transposed into a tile */
    double *xt = ws, *s0 = ws + MSTEP_CHUNK * MSTEP_LANES, *s2 = s0 + (int64_t)k * MSTEP_LANES;
    int jn[MSTEP_LANES];
    int64_t slot[MSTEP_LANES];
    for (int j = 0, o = 1; j < d;) {
        int dn = 0;
        for (; j < d && dn < MSTEP_LANES; j++) {
            if (nvals[j]) {
                o += nvals[j] + 1;
            } else {
                jn[dn] = j;
                slot[dn++] = o;
                o += 3;
            }
        }
        if (!dn)
            break;
        const int nv = (dn + 3) / 4 * 4;
        for (int c = 0; c < k; c++)
            for (int i = 0; i < MSTEP_LANES; i++) {
                s0[c * MSTEP_LANES + i] = i < dn ? acc[per * c + slot[i]] : 0;
                s2[c * MSTEP_LANES + i] = i < dn ? acc[per * c + slot[i] + 1] : 0;
            }
        for (int64_t ch = 0; ch < nb; ch += MSTEP_CHUNK) {
            const int64_t n = nb - ch < MSTEP_CHUNK ? nb - ch : MSTEP_CHUNK;
            for (int i = 0; i < nv; i++) {
                const double *x = i < dn ? cols[jn[i]] + r0 + ch : NULL;
                for (int64_t r = 0; r < n; r++)
                    xt[r * MSTEP_LANES + i] = x ? x[r] : 0;
            }
            for (int c = 0; c < k; c++)
                tile_sums(n, nv, xt, resp + c * nb + ch, s0 + c * MSTEP_LANES, s2 + c * MSTEP_LANES);
        }
        for (int c = 0; c < k; c++)
            for (int i = 0; i < dn; i++) {
                acc[per * c + slot[i]] = s0[c * MSTEP_LANES + i];
                acc[per * c + slot[i] + 1] = s2[c * MSTEP_LANES + i];
            }
    }
}
