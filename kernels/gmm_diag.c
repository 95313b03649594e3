/*
 * gmm_diag.c - E and M steps of Weka's EM model (see gmm_diag.h).
 *
 * Exactness first: each formula keeps Weka's operation order (the normal
 * log density is -(diff*diff / ((2*sd)*sd)) - ln sqrt(2 pi) - ln sd, added
 * attribute by attribute in attribute order, then ln prior; the posterior is
 * exp(a - max) / sum; numeric sums are (x*r), ((x*x)*r) and r), so one block
 * covering all rows gives Weka's doubles up to the last bit of exp/log.
 * Pure functions of their arguments: thread-safe, no allocation.
 */
#include "kernels/gmm_diag.h"

#include <math.h>

double gmm_diag_norm_const(void)
{
    return log(sqrt(2 * M_PI));
}

void gmm_diag_joint(const gmm_diag *m, const double *const *cols, int64_t r, double *a)
{
    const double nc = gmm_diag_norm_const();
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

double gmm_diag_estep(const gmm_diag *m, const double *const *cols, int64_t r0, int64_t r1, double *resp,
                      double *ws)
{
    const int k = m->k;
    double total = 0.0;
    for (int64_t r = r0; r < r1; r++) {
        gmm_diag_joint(m, cols, r, ws);
        int best = 0;
        for (int c = 1; c < k; c++)
            if (ws[c] > ws[best])
                best = c;
        double max = ws[best], sum = 0.0;
        double *p = resp ? resp + (r - r0) * k : 0;
        for (int c = 0; c < k; c++) {
            double e = exp(ws[c] - max);
            if (p)
                p[c] = e;
            sum += e;
        }
        total += max + log(sum);
        if (p)
            for (int c = 0; c < k; c++)
                p[c] /= sum;
    }
    return total;
}

int64_t gmm_diag_acc_size(int k, int d, const int *nvals)
{
    int64_t per = 1;
    for (int j = 0; j < d; j++)
        per += nvals[j] ? nvals[j] + 1 : 3;
    return per * k;
}

void gmm_diag_mstep(int k, int d, const int *nvals, const double *const *cols, int64_t r0, int64_t r1,
                    const double *resp, double *acc)
{
    int64_t per = gmm_diag_acc_size(1, d, nvals);
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
