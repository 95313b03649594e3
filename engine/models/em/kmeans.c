/*
 * kmeans.c - Weka 3.6.14's SimpleKMeans (kmeans.h), the start of EM.
 *
 * Initial centroids: Weka's in-place swaps driven by java.util.Random(seed),
 * duplicates skipped.  Each iteration assigns every row to its nearest
 * centroid (range-normalised Euclidean distance; first on ties), then
 * recomputes centroids as member means (nominal: modes) in row order and
 * drops empty clusters; it stops when no assignment changes or after
 * KMEANS_MAX_ITER iterations.  The member std devs use Weka 3.6's
 * Instances.variance.
 *
 * Speed: the distances run over blocks of KMEANS_BLOCK rows of a
 * column-major copy, cluster by cluster and attribute by attribute, so each
 * row's sum keeps Weka's order (attribute order, then the square root and a
 * strict "less than" in cluster order) while vector lanes take several rows
 * at once; without nominal attributes the centroid sums add a row's values
 * across attributes in vector lanes (each sum still in row order).
 *
 * Guarantees: sums are made in row order on one thread (only the row copy
 * and the distance loop are parallel, each row on its own), so results do
 * not depend on the thread count (EM runs its ten starts side by side,
 * one thread each, em_diag.c, where the machine has the threads); every double is the one of the scalar
 * formulas (-ffp-contract=off: no fused multiply-add).  A failed allocation returns BAIOT_ERR_MEMORY with nothing
 * left allocated.  Covered by tests/unit/test_kmeans.c (hand-checked fits,
 * thread counts, every allocation failing) and tests/cli/test_em_golden.py.
 */
#include "engine/models/em/kmeans.h"

#include "engine/weka/java_random.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KMEANS_MAX_ITER 500        /* SimpleKMeans default -I */
#define KMEANS_BLOCK 256           /* rows per block of the distance loop */
/* Loops over fewer row x attribute (x cluster) steps than this run on one
 * thread: on small data (the CV folds of k) a parallel region costs more
 * than it saves, and on a busy machine its barrier spins badly.  Results
 * never depend on it. */
#define KMEANS_PAR_MIN_WORK ((int64_t)1 << 22)

void baiot_kmeans_work_free(baiot_kmeans_work *w)
{
    baiot_free(w->perm);
    baiot_free(w->xr);
    baiot_free(w->z);
    baiot_free(w->assign);
    baiot_free(w->dist);
    baiot_free(w->lo);
    baiot_free(w->width);
    memset(w, 0, sizeof *w);
}

baiot_status baiot_kmeans_work_alloc(baiot_kmeans_work *w, int64_t n, int d)
{
    size_t nd = (size_t)(n * d > 0 ? n * d : 1), nn = (size_t)(n > 0 ? n : 1), dd = (size_t)(d > 0 ? d : 1);
    w->perm = baiot_malloc(nn * sizeof *w->perm);
    w->xr = baiot_malloc(nd * sizeof *w->xr);
    w->z = baiot_malloc(nd * sizeof *w->z);
    w->assign = baiot_malloc(nn * sizeof *w->assign);
    w->dist = baiot_malloc(nn * sizeof *w->dist);
    w->lo = baiot_malloc(dd * sizeof *w->lo);
    w->width = baiot_malloc(dd * sizeof *w->width);
    if (!w->perm || !w->xr || !w->z || !w->assign || !w->dist || !w->lo || !w->width) {
        baiot_kmeans_work_free(w);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for k-means");
    }
    return BAIOT_OK;
}

void baiot_kmeans_result_free(baiot_kmeans_result *r)
{
    baiot_free(r->centroid);
    baiot_free(r->sd);
    baiot_free(r->ncount);
    baiot_free(r->size);
    memset(r, 0, sizeof *r);
}

/* Weka's NormalizableDistance.norm: 0 for a constant attribute. */
static double norm_value(double x, double lo, double width)
{
    return width == 0 ? 0 : (x - lo) / width;
}

/* Rows i0 .. i0+nb of the column-major z (n rows) to their nearest of the k
 * centroids zc (row-major, normalised): Weka's distance, the square root of
 * the sum over attributes in order of diff^2 (nominal: 0 or 1), the first
 * cluster of least distance; assign / dist are the block's entries.
 * Returns 1 when an assignment changed. */
__attribute__((target_clones("avx512f", "avx2", "default"))) static int
assign_block(const double *z, int64_t n, const int *nvals, int d, int k, const double *zc, int64_t i0, int64_t nb,
             int *assign, double *dist)
{
    /* the cluster index as a double, so that the select vectorises with the distances */
    double s[KMEANS_BLOCK], min[KMEANS_BLOCK], best[KMEANS_BLOCK];
    for (int64_t r = 0; r < nb; r++) {
        min[r] = (double)INT32_MAX;
        best[r] = 0;
    }
    for (int c = 0; c < k; c++) {
        const double *zz = zc + (int64_t)c * d;
        for (int64_t r = 0; r < nb; r++)
            s[r] = 0;
        for (int a = 0; a < d; a++) {
            const double *za = z + (int64_t)a * n + i0, m = zz[a];
            if (nvals[a]) {
                for (int64_t r = 0; r < nb; r++) {
                    double diff = za[r] != m ? 1.0 : 0.0;
                    s[r] += diff * diff;
                }
            } else {
                for (int64_t r = 0; r < nb; r++) {
                    double diff = za[r] - m;
                    s[r] += diff * diff;
                }
            }
        }
        const double cd = c;
        for (int64_t r = 0; r < nb; r++) {
            double q = sqrt(s[r]);
            best[r] = q < min[r] ? cd : best[r];
            min[r] = q < min[r] ? q : min[r];
        }
    }
    int changed = 0;
    for (int64_t r = 0; r < nb; r++) {
        int b = (int)best[r];
        changed |= b != assign[r];
        assign[r] = b;
        dist[r] = min[r];
    }
    return changed;
}

/* One SimpleKMeans fit of f with k clusters and Random(seed); writes *out
 * (owned by the caller). */
baiot_status baiot_kmeans_run(const baiot_em_data *f, int k, int32_t seed, int nt, baiot_kmeans_work *w,
                              baiot_kmeans_result *out)
{
    const int64_t n = f->n;
    const int d = f->d;
    int nv_total = 0;
    for (int j = 0; j < d; j++)
        nv_total += f->nvals[j];
    memset(out, 0, sizeof *out);
    double *cent = baiot_malloc((size_t)(k * d + 1) * sizeof *cent);
    double *zc = baiot_malloc((size_t)(k * d + 1) * sizeof *zc);
    double *sums = baiot_malloc((size_t)(k * d + 1) * sizeof *sums);
    double *ncount = baiot_calloc((size_t)k * nv_total + 1, sizeof *ncount);
    int64_t *size = baiot_calloc((size_t)k + 1, sizeof *size);
    double *sqerr = baiot_calloc((size_t)k + 1, sizeof *sqerr);
    int *remap = baiot_malloc((size_t)(k + 1) * sizeof *remap);
    baiot_status st = BAIOT_OK;
    if (!cent || !zc || !sums || !ncount || !size || !sqerr || !remap) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for k-means");
        goto done;
    }
    /* ranges (setInstances) */
    for (int j = 0; j < d; j++) {
        double lo = NAN, hi = NAN;
        const double *x = f->cols[j];
        for (int64_t i = 0; i < n; i++) {
            if (isnan(lo) || x[i] < lo)
                lo = x[i];
            if (isnan(hi) || x[i] > hi)
                hi = x[i];
        }
        w->lo[j] = lo;
        w->width[j] = isnan(lo) ? 0 : hi - lo;
    }
    /* initial centroids: Weka's in-place swaps */
    java_random rnd;
    baiot_java_random_init(&rnd, seed);
    for (int64_t i = 0; i < n; i++)
        w->perm[i] = i;
    int kk = 0;
    for (int64_t j = n - 1; j >= 0; j--) {
        int64_t idx = baiot_java_random_next_int_bound(&rnd, (int32_t)(j + 1));
        int64_t r = w->perm[idx];
        int dup = 0;
        for (int c = 0; c < kk && !dup; c++) {
            int same = 1;
            for (int a = 0; a < d && same; a++)
                same = cent[c * d + a] == f->cols[a][r];
            dup = same;
        }
        if (!dup) {
            for (int a = 0; a < d; a++)
                cent[kk * d + a] = f->cols[a][r];
            kk++;
        }
        w->perm[idx] = w->perm[j];
        w->perm[j] = r;
        if (kk == k)
            break;
    }
    k = kk;
    /* row-major copies in the permuted order */
#pragma omp parallel for num_threads(nt) schedule(static) if (n * d >= KMEANS_PAR_MIN_WORK) default(none) \
    shared(f, w, n, d)
    for (int64_t i = 0; i < n; i++) {
        int64_t r = w->perm[i];
        for (int a = 0; a < d; a++) {
            double x = f->cols[a][r];
            w->xr[i * d + a] = x;
            w->z[(int64_t)a * n + i] = f->nvals[a] ? x : norm_value(x, w->lo[a], w->width[a]);
        }
    }
    for (int64_t i = 0; i < n; i++)
        w->assign[i] = 0;
    int converged = 0, iter = 0;
    while (!converged) {
        iter++;
        for (int c = 0; c < k; c++)
            for (int a = 0; a < d; a++)
                zc[c * d + a] = f->nvals[a] ? cent[c * d + a] : norm_value(cent[c * d + a], w->lo[a], w->width[a]);
        int changed = 0;
        const int64_t nblk = (n + KMEANS_BLOCK - 1) / KMEANS_BLOCK;
#pragma omp parallel for num_threads(nt) schedule(static) if (n * d * k >= KMEANS_PAR_MIN_WORK) default(none) \
    shared(f, w, n, d, k, zc, nblk) reduction(| : changed)
        for (int64_t b = 0; b < nblk; b++) {
            const int64_t i0 = b * KMEANS_BLOCK, nb = i0 + KMEANS_BLOCK < n ? KMEANS_BLOCK : n - i0;
            changed |= assign_block(w->z, n, f->nvals, d, k, zc, i0, nb, w->assign + i0, w->dist + i0);
        }
        converged = !changed;
        for (int c = 0; c < k; c++)
            sqerr[c] = 0;
        for (int64_t i = 0; i < n; i++)
            sqerr[w->assign[i]] += w->dist[i] * w->dist[i];
        /* new centroids: means (nominal: modes) of the members in order */
        for (int c = 0; c < k * d; c++)
            sums[c] = 0;
        for (int c = 0; c < k; c++)
            size[c] = 0;
        memset(ncount, 0, ((size_t)k * nv_total + 1) * sizeof *ncount);
        if (nv_total == 0) {
            /* numeric only: a row's values added across attributes (vector lanes), each sum in row order */
            for (int64_t i = 0; i < n; i++) {
                int c = w->assign[i];
                size[c]++;
                const double *x = w->xr + i * d;
                double *s = sums + c * d;
                for (int a = 0; a < d; a++)
                    s[a] += x[a];
            }
        } else {
            for (int64_t i = 0; i < n; i++) {
                int c = w->assign[i];
                size[c]++;
                const double *x = w->xr + i * d;
                double *s = sums + c * d;
                for (int a = 0, o = 0; a < d; o += f->nvals[a], a++) {
                    if (f->nvals[a])
                        ncount[(int64_t)c * nv_total + o + (int)x[a]] += 1;
                    else
                        s[a] += x[a];
                }
            }
        }
        int nk = 0;
        for (int c = 0; c < k; c++) {
            if (!size[c]) {
                remap[c] = -1;
                continue;
            }
            remap[c] = nk;
            for (int a = 0, o = 0; a < d; o += f->nvals[a], a++) {
                if (f->nvals[a]) {
                    const double *cn = ncount + (int64_t)c * nv_total + o;
                    int m = 0;
                    for (int v = 1; v < f->nvals[a]; v++)
                        if (cn[v] > cn[m])
                            m = v;
                    cent[nk * d + a] = m;
                } else {
                    cent[nk * d + a] = sums[c * d + a] / (double)size[c];
                }
            }
            if (nk != c) {
                size[nk] = size[c];
                sqerr[nk] = sqerr[c];
                memmove(ncount + (int64_t)nk * nv_total, ncount + (int64_t)c * nv_total,
                        (size_t)nv_total * sizeof *ncount);
            }
            nk++;
        }
        if (nk < k) {
            for (int64_t i = 0; i < n; i++)
                w->assign[i] = remap[w->assign[i]];
            k = nk;
        }
        if (iter == KMEANS_MAX_ITER)
            converged = 1;
    }
    /* result: centroids, member std devs (Weka 3.6 Instances.variance) */
    out->k = k;
    out->centroid = baiot_malloc((size_t)(k * d + 1) * sizeof(double));
    out->sd = baiot_malloc((size_t)(k * d + 1) * sizeof(double));
    out->ncount = baiot_malloc(((size_t)k * nv_total + 1) * sizeof(double));
    out->size = baiot_malloc((size_t)(k + 1) * sizeof(int64_t));
    if (!out->centroid || !out->sd || !out->ncount || !out->size) {
        baiot_kmeans_result_free(out);
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory for k-means");
        goto done;
    }
    memcpy(out->centroid, cent, (size_t)k * d * sizeof(double));
    memcpy(out->ncount, ncount, (size_t)k * nv_total * sizeof(double));
    memcpy(out->size, size, (size_t)k * sizeof(int64_t));
    out->sqerr = 0;
    for (int c = 0; c < k; c++)
        out->sqerr += sqerr[c];
    /* sums (reusing sums: s, zc: sum of squares) */
    for (int c = 0; c < k * d; c++)
        sums[c] = zc[c] = 0;
    for (int64_t i = 0; i < n; i++) {
        int c = w->assign[i];
        const double *x = w->xr + i * d;
        for (int a = 0; a < d; a++) {
            sums[c * d + a] += x[a];
            zc[c * d + a] += x[a] * x[a];
        }
    }
    for (int c = 0; c < k; c++)
        for (int a = 0; a < d; a++) {
            double sw = (double)size[c], var;
            if (sw <= 1) {
                var = 0;
            } else {
                double s = sums[c * d + a];
                var = (zc[c * d + a] - s * s / sw) / (sw - 1);
                if (var < 0)
                    var = 0;
            }
            out->sd[c * d + a] = f->nvals[a] ? NAN : sqrt(var);
        }
done:
    baiot_free(cent);
    baiot_free(zc);
    baiot_free(sums);
    baiot_free(ncount);
    baiot_free(size);
    baiot_free(sqerr);
    baiot_free(remap);
    return st;
}
