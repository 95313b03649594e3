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
 * column is one sum in row order).  Covered by tests/unit/test_detect.c.
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
            double z = sd > 0 ? (v - m) / sd : 0;
            o[i] = z > DETECT_CLIP ? DETECT_CLIP : z < -DETECT_CLIP ? -DETECT_CLIP : z;
        }
    }
    if (bad_col >= 0)
        return baiot_fail(BAIOT_ERR_FORMAT, "column '%s' has a missing value in row %lld: the detector needs every value",
                          names ? names[bad_col] : "?", (long long)bad_row + 1);
    return BAIOT_OK;
}

baiot_status baiot_detect_scale_rows(const detect_scale *s, const double *rows, int64_t stride, const int64_t *which,
                                     const char *const *names, int64_t n, double *x)
{
    for (int64_t i = 0; i < n; i++) {
        const double *r = rows + (which ? which[i] : i) * stride;
        for (int j = 0; j < s->d; j++) {
            double v = r[j], sd = s->sd[j];
            if (isnan(v))
                return baiot_fail(BAIOT_ERR_FORMAT,
                                  "column '%s' has a missing value in row %lld: the detector needs every value",
                                  names ? names[j] : "?", (long long)i + 1);
            double z = sd > 0 ? (v - s->mean[j]) / sd : 0;
            x[(int64_t)j * n + i] = z > DETECT_CLIP ? DETECT_CLIP : z < -DETECT_CLIP ? -DETECT_CLIP : z;
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
