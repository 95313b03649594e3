/*
 * em_model.c - Weka's EM clusterer, the public API (include/baiot/em.h):
 * parameters, training, the fitted model's accessors, clustering rows.
 *
 * Flow of baiot_em_train: the view's attributes are copied with missing
 * values replaced (mean / mode, Weka's ReplaceMissingValues; em_data.c);
 * with -N -1 the number of clusters is chosen by cross-validation
 * (baiot_em_cv_clusters, em_diag.c); then baiot_em_init's k-means start and
 * either Weka's diagonal EM (baiot_em_iterate, em_diag.c) or the
 * full-covariance extension (baiot_em_full_fit, em_full.c).
 *
 * Guarantees: results do not depend on the thread count; a failure frees
 * everything and leaves *out NULL.  Thread-safety: independent calls may
 * run concurrently.  Covered by tests/cli/test_em_golden.py,
 * tests/cli/test_em_threads.py, tests/cli/test_em_full.py and
 * tests/unit/test_kmeans.c (train under allocation failures).
 */
#include "engine/models/em/em_internal.h"

#include "baiot/dist.h"
#include "kernels/gmm_full.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

baiot_em_params baiot_em_params_default(void)
{
    baiot_em_params p;
    p.n_clusters = -1;
    p.seed = 100;
    p.max_iter = 100;
    p.min_std_dev = 1e-6;
    p.n_threads = 0;
    p.covariance = BAIOT_EM_COV_DIAG;
    p.reg_covar = GMM_FULL_REG_COVAR;
    p.strict_math = 0;
    return p;
}

const char *baiot_em_params_check(const baiot_em_params *p)
{
    if (p->n_clusters != -1 && p->n_clusters < 1)
        return "the number of clusters must be -1 (cross-validation) or >= 1";
    if (p->max_iter < 1)
        return "the maximum number of iterations must be >= 1";
    if (!(p->min_std_dev > 0))
        return "the minimum standard deviation must be > 0";
    if (p->n_threads < 0)
        return "the thread count must be >= 0";
    if (p->covariance != BAIOT_EM_COV_DIAG && p->covariance != BAIOT_EM_COV_FULL)
        return "the covariance must be diagonal or full";
    if (!(p->reg_covar >= 0) || !isfinite(p->reg_covar))
        return "the covariance regularisation must be a number >= 0";
    if (p->strict_math != 0 && p->strict_math != 1)
        return "strict_math must be 0 or 1";
    if (p->strict_math && p->covariance != BAIOT_EM_COV_DIAG)
        return "StrictMath's exp and log are for the diagonal (Weka) model only";
    return NULL;
}

void baiot_em_free(baiot_em_model *m)
{
    if (!m)
        return;
    baiot_em_fit_free(&m->fit);
    baiot_free(m->cov);
    baiot_free(m->init_prior);
    baiot_free(m->init_mean);
    baiot_free(m->init_cov);
    baiot_free(m->nvals);
    baiot_free(m->off);
    baiot_free(m->fill);
    baiot_free(m);
}

baiot_status baiot_em_train(const baiot_view *v, const baiot_em_params *p, baiot_em_model **out)
{
    *out = NULL;
    const char *msg = baiot_em_params_check(p);
    if (msg)
        return baiot_fail(BAIOT_ERR_ARG, "%s", msg);
    if (v->n_rows < 1 || v->n_cols < 1)
        return baiot_fail(BAIOT_ERR_ARG, "EM needs at least one row and one attribute");
    baiot_em_model *m = baiot_calloc(1, sizeof *m);
    baiot_em_data full;
    memset(&full, 0, sizeof full);
    baiot_status st = BAIOT_OK;
    if (!m)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    const int d = v->n_cols;
    m->d = d;
    m->strict_math = p->strict_math;
    m->nvals = baiot_calloc((size_t)d, sizeof *m->nvals);
    m->off = baiot_calloc((size_t)d, sizeof *m->off);
    m->fill = baiot_calloc((size_t)d, sizeof *m->fill);
    if (!m->nvals || !m->off || !m->fill) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    for (int j = 0; j < d; j++) {
        m->off[j] = m->nv_total;
        if (v->attrs[j].kind == BAIOT_ATTR_NOMINAL) {
            m->nvals[j] = v->attrs[j].n_values > 0 ? v->attrs[j].n_values : 1;
            m->nv_total += m->nvals[j];
        }
    }
    for (int j = 0; j < d; j++) {
        const double *x = v->cols[j];
        if (m->nvals[j]) {
            int64_t *cnt = baiot_calloc((size_t)m->nvals[j], sizeof *cnt);
            if (!cnt) {
                st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
                goto fail;
            }
            for (int64_t i = 0; i < v->n_rows; i++)
                if (!isnan(x[i]))
                    cnt[(int)x[i]]++;
            int best = 0;
            for (int a = 1; a < m->nvals[j]; a++)
                if (cnt[a] > cnt[best])
                    best = a;
            m->fill[j] = best;
            baiot_free(cnt);
        } else {
            double s = 0, c = 0;
            for (int64_t i = 0; i < v->n_rows; i++)
                if (!isnan(x[i])) {
                    s += x[i];
                    c += 1;
                }
            m->fill[j] = c > 0 ? s / c : 0;
        }
    }
    if (p->covariance == BAIOT_EM_COV_FULL)
        for (int j = 0; j < d; j++)
            if (m->nvals[j]) {
                st = baiot_fail(BAIOT_ERR_ARG, "full covariance needs numeric attributes; '%s' is nominal",
                                v->attrs[j].name);
                goto fail;
            }
    if ((st = baiot_em_data_load(v, m->fill, &full, m->nvals)))
        goto fail;
    baiot_em_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.p = p;
    cx.nt = p->n_threads > 0 ? p->n_threads : omp_get_max_threads();
    cx.spread = baiot_dist_size() > 1; /* k-means starts and CV folds over the ranks */
    cx.nvals = m->nvals;
    cx.off = m->off;
    cx.d = d;
    cx.nv_total = m->nv_total;
    cx.full = &full;
    int k = p->n_clusters;
    if (k == -1) {
        if (v->n_rows > 9) {
            if ((st = baiot_em_cv_clusters(&cx, &k)))
                goto fail;
            m->by_cv = 1;
        } else {
            k = 1;
            m->by_cv = 1; /* Weka 3.6.14 still prints "selected by cross validation" */
        }
    }
    baiot_java_random_init(&cx.rr, p->seed);
    for (int z = 0; z < EM_DISCARD; z++)
        baiot_java_random_next_double(&cx.rr);
    if ((st = baiot_em_init(&cx, &full, k, &m->fit)))
        goto fail;
    if (p->covariance == BAIOT_EM_COV_FULL)
        st = baiot_em_full_fit(&cx, &full, m);
    else
        st = baiot_em_iterate(&cx, &full, &m->fit, &m->iterations, &m->train_llk);
    if (st)
        goto fail;
    m->esteps = cx.esteps;
    m->iter_secs = cx.iter_secs;
    m->exact_rows = cx.exact_rows;
    m->k = m->fit.k;
    baiot_em_data_free(&full);
    *out = m;
    return BAIOT_OK;
fail:
    baiot_em_data_free(&full);
    baiot_em_free(m);
    return st;
}

int baiot_em_n_clusters(const baiot_em_model *m) { return m->k; }
int baiot_em_selected_by_cv(const baiot_em_model *m) { return m->by_cv; }
int baiot_em_iterations(const baiot_em_model *m) { return m->iterations; }
double baiot_em_iteration_seconds(const baiot_em_model *m, int *n_esteps, int64_t *exact_rows)
{
    if (n_esteps)
        *n_esteps = m->esteps;
    if (exact_rows)
        *exact_rows = m->exact_rows;
    return m->iter_secs;
}
const double *baiot_em_priors(const baiot_em_model *m) { return m->fit.prior; }
const double *baiot_em_covariance(const baiot_em_model *m) { return m->cov; }

double baiot_em_mean(const baiot_em_model *m, int c, int j)
{
    return m->nvals[j] ? NAN : m->fit.mean[c * m->d + j];
}

double baiot_em_std_dev(const baiot_em_model *m, int c, int j)
{
    return m->nvals[j] ? NAN : m->fit.sd[c * m->d + j];
}

double baiot_em_count(const baiot_em_model *m, int c, int j, int v)
{
    if (!m->nvals[j])
        return NAN;
    if (v >= m->nvals[j])
        return m->fit.cnt_sum[c * m->d + j];
    return m->fit.cnt[(int64_t)c * m->nv_total + m->off[j] + v];
}

baiot_status baiot_em_cluster(const baiot_em_model *m, const baiot_view *v, int *assign, double *mean_loglik)
{
    if (v->n_cols != m->d)
        return baiot_fail(BAIOT_ERR_ARG, "the data has %d attributes, the model %d", v->n_cols, m->d);
    baiot_em_data f;
    baiot_status st = baiot_em_data_load(v, m->fill, &f, m->nvals);
    if (st)
        return st;
    if (m->cov)
        st = baiot_em_full_cluster(m, &f, assign, mean_loglik);
    else
        st = baiot_em_diag_cluster(m, &f, assign, mean_loglik);
    baiot_em_data_free(&f);
    return st;
}
