/*
 * detect_scale.c - the detector's standardisation (detect_internal.h):
 * per column the mean and population standard deviation over DStrn, in
 * double, in two passes (the mean first, then the sum of squared
 * deviations from it), so that columns whose values sit near 1.5e9
 * (HH_jit_L5_mean in attack traffic, and large benign jitter values) lose
 * no precision to cancellation.  Applied to every row as (x - mean) / sd.
 *
 * Choices (docs/DETECTION.md): a column constant on DStrn (sd 0) carries no
 * information about benign variation and would make any benign jitter in it
 * an infinitely unlikely value, so it is scaled to 0 for every row (left
 * out of the score); standardised values are clipped to +-DETECT_CLIP so
 * that scores of extreme attack rows stay finite (they are still far over
 * any threshold).  Missing values (NaN) are refused naming the column and
 * row.  Guarantees: the result does not depend on the thread count (each
 * column is one sum in row order); scale_rows (watch's rows, row-major,
 * tiles of 8 rows in vector lanes) gives scale_apply's doubles.  Covered by
 * tests/unit/test_detect.c and tests/cli/test_watch.py (watch's scores
 * against predict's).
 */
#include "engine/detect/detect_internal.h"

#include <math.h>
#include <string.h>

baiot_status baiot_detect_scale_fit(const double *const *cols, int d, const int64_t *idx, int64_t n, detect_scale *out)
{
    memset(out, 0, sizeof *out);
    out->d = d;
    out->mean = baiot_malloc((size_t)d * sizeof(double));
    out->sd = baiot_malloc((size_t)d * sizeof(double));
    if (!out->mean || !out->sd) {
        baiot_detect_scale_free(out);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
#pragma omp parallel for schedule(static) default(none) shared(cols, d, idx, n, out)
    for (int j = 0; j < d; j++) {
        const double *c = cols[j];
        double s = 0;
        for (int64_t i = 0; i < n; i++)
            s += c[idx[i]];
        double m = n > 0 ? s / (double)n : 0, q = 0;
        for (int64_t i = 0; i < n; i++) {
            double e = c[idx[i]] - m;
            q += e * e;
        }
        out->mean[j] = m;
        out->sd[j] = n > 0 ? sqrt(q / (double)n) : 0;
    }
    return BAIOT_OK;
}

/* One standardised value: (v - mean) / sd, 0 where sd is 0, clipped to
 * +-DETECT_CLIP; written as selects so that it runs in vector lanes (this
 * file is built without FMA contraction and without trapping math, so every
 * lane and every caller gets the same double). */
static inline double scaled(double v, double m, double sd)
{
    double q = (v - m) / sd;
    q = sd > 0 ? q : 0.0;
    q = q > DETECT_CLIP ? DETECT_CLIP : q;
    return q < -DETECT_CLIP ? -DETECT_CLIP : q;
}

static baiot_status missing_value(const char *const *names, int j, int64_t row)
{
    return baiot_fail(BAIOT_ERR_FORMAT, "column '%s' has a missing value in row %lld: the detector needs every value",
                      names ? names[j] : "?", (long long)row + 1);
}

baiot_status baiot_detect_scale_apply(const detect_scale *s, const double *const *cols, const char *const *names,
                                const int64_t *idx, int64_t n, double *x)
{
    int bad_col = -1;
    int64_t bad_row = -1;
#pragma omp parallel for schedule(static) default(none) shared(s, cols, idx, n, x, bad_col, bad_row)
    for (int j = 0; j < s->d; j++) {
        const double *c = cols[j];
        double m = s->mean[j], sd = s->sd[j], *o = x + (int64_t)j * n;
        for (int64_t i = 0; i < n; i++) {
            int64_t r = idx ? idx[i] : i;
            double v = c[r];
            if (isnan(v)) {
#pragma omp critical
                if (bad_col < 0 || j < bad_col) {
                    bad_col = j;
                    bad_row = r;
                }
                o[i] = 0;
                continue;
            }
            o[i] = scaled(v, m, sd);
        }
    }
    return bad_col >= 0 ? missing_value(names, bad_col, bad_row) : BAIOT_OK;
}

/* SCALE_TILE consecutive rows (row-major at base, stride apart) into the
 * column-major x (n rows) from row i0: column by column, the tile's values
 * gathered across the rows, so the divisions and the stores run in vector
 * lanes (cloned for AVX-512 / AVX2).  Returns 1 when a value is NaN. */
#define SCALE_TILE 8
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static int scale_tile(const detect_scale *s, const double *base, int64_t stride, int64_t n, int64_t i0, double *x)
{
    int nan = 0;
    for (int j = 0; j < s->d; j++) {
        const double m = s->mean[j], sd = s->sd[j];
        double *o = x + (int64_t)j * n + i0;
        for (int i = 0; i < SCALE_TILE; i++) {
            double v = base[i * stride + j];
            o[i] = scaled(v, m, sd);
            nan |= v != v;
        }
    }
    return nan;
}

baiot_status baiot_detect_scale_rows(const detect_scale *s, const double *rows, int64_t stride, const int64_t *which,
                                     const char *const *names, int64_t n, double *x)
{
    for (int64_t i0 = 0; i0 < n; i0 += SCALE_TILE) {
        int nt = n - i0 < SCALE_TILE ? (int)(n - i0) : SCALE_TILE;
        int nan = 0;
        int consecutive = nt == SCALE_TILE && (!which || which[i0 + SCALE_TILE - 1] - which[i0] == SCALE_TILE - 1);
        if (consecutive) {
            nan = scale_tile(s, rows + (which ? which[i0] : i0) * stride, stride, n, i0, x);
        } else {
            for (int i = 0; i < nt; i++) {
                const double *r = rows + (which ? which[i0 + i] : i0 + i) * stride;
                for (int j = 0; j < s->d; j++) {
                    x[(int64_t)j * n + i0 + i] = scaled(r[j], s->mean[j], s->sd[j]);
                    nan |= r[j] != r[j];
                }
            }
        }
        if (nan)
            for (int i = 0; i < nt; i++) {
                const double *r = rows + (which ? which[i0 + i] : i0 + i) * stride;
                for (int j = 0; j < s->d; j++)
                    if (isnan(r[j]))
                        return missing_value(names, j, i0 + i);
            }
    }
    return BAIOT_OK;
}

void baiot_detect_scale_free(detect_scale *s)
{
    baiot_free(s->mean);
    baiot_free(s->sd);
    memset(s, 0, sizeof *s);
}
