/*
 * autoencoder.c - the autoencoder's handle (include/baiot/autoencoder.h):
 * parameters and their check, the layer sizes (ceil(n_in * pct / 100)),
 * the seeded Glorot-uniform start, the weights' accessors, and scoring.
 *
 * Scoring cuts the rows into fixed blocks of BAIOT_AE_SCORE_BLOCK rows, a
 * block into strips of AE_FWD_STRIP rows that go through the fused pass of
 * kernels/ae_fwd.c (no BLAS) in a workspace of their thread, which writes
 * each row's mean squared error.  Rows are independent and a row's doubles
 * depend only on the row, so the scores are the same for any thread count.  Training lives in kernels/ae_train.c.
 * Covered by tests/unit/test_autoencoder.c and tests/cli/test_ae_torch.py.
 */
#include "kernels/ae_internal.h"

#include <math.h>
#include <omp.h>
#include <string.h>

baiot_ae_params baiot_ae_params_default(void)
{
    baiot_ae_params p;
    memset(&p, 0, sizeof p);
    p.n_hidden = 4;
    p.hidden_pct[0] = 75;
    p.hidden_pct[1] = 50;
    p.hidden_pct[2] = 33;
    p.hidden_pct[3] = 25;
    p.activation = BAIOT_AE_TANH;
    p.optimizer = BAIOT_AE_SGD;
    p.lr = 0.01;
    p.batch = 32;
    p.epochs = 100;
    p.seed = 1;
    p.adam_beta1 = 0.9;
    p.adam_beta2 = 0.999;
    p.adam_eps = 1e-8;
    p.threads = 0;
    return p;
}

baiot_status baiot_ae_params_check(int n_in, const baiot_ae_params *p)
{
    if (!p)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: no parameters");
    if (n_in < 1 || n_in > 1000000)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: %d inputs (1 to 1000000)", n_in);
    if (p->n_hidden < 1 || p->n_hidden > BAIOT_AE_MAX_HIDDEN)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: %d hidden layers (1 to %d)", p->n_hidden,
                          BAIOT_AE_MAX_HIDDEN);
    for (int i = 0; i < p->n_hidden; i++)
        if (p->hidden_pct[i] < 1 || p->hidden_pct[i] > 100)
            return baiot_fail(BAIOT_ERR_ARG, "autoencoder: hidden layer %d is %d%% of the inputs (1 to 100)", i + 1,
                              p->hidden_pct[i]);
    if (p->activation != BAIOT_AE_TANH && p->activation != BAIOT_AE_SIGMOID)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: unknown activation %d", (int)p->activation);
    if (p->optimizer != BAIOT_AE_SGD && p->optimizer != BAIOT_AE_ADAM)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: unknown optimiser %d", (int)p->optimizer);
    if (!(p->lr > 0) || !isfinite(p->lr))
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: learning rate %g (must be > 0)", p->lr);
    if (p->batch < 1 || p->batch > (1 << 24))
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: batch of %lld rows (1 to %d)", (long long)p->batch, 1 << 24);
    if (p->epochs < 0)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: %d epochs (>= 0)", p->epochs);
    if (p->threads < 0)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: %d threads (0: all, else >= 1)", p->threads);
    if (p->optimizer == BAIOT_AE_ADAM &&
        (!(p->adam_beta1 >= 0 && p->adam_beta1 < 1) || !(p->adam_beta2 >= 0 && p->adam_beta2 < 1) ||
         !(p->adam_eps > 0) || !isfinite(p->adam_eps)))
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: Adam needs 0 <= beta1, beta2 < 1 and eps > 0");
    return BAIOT_OK;
}

/* ------------------------------------------------------------------------ */
/* Handle                                                                     */

/* Glorot/Xavier uniform weights, zero biases, from a splitmix64 stream. */
static void init_weights(baiot_ae *ae)
{
    uint64_t s = ae->p.seed;
    for (int l = 0; l < ae->n_layers; l++) {
        const int ni = ae->size[l], no = ae->size[l + 1];
        const double a = sqrt(6.0 / (ni + no));
        double *w = ae->w + ae->woff[l];
        for (int64_t i = 0; i < (int64_t)ni * no; i++) {
            double u = (double)(baiot_ae_splitmix64(&s) >> 11) * 0x1.0p-53; /* [0, 1) */
            w[i] = (2 * u - 1) * a;
        }
        memset(w + (int64_t)ni * no, 0, sizeof(double) * (size_t)no);
    }
}

baiot_status baiot_ae_create(int n_in, const baiot_ae_params *p, baiot_ae **out)
{
    if (!out)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: no output handle");
    *out = NULL;
    baiot_status st = baiot_ae_params_check(n_in, p);
    if (st)
        return st;
    baiot_ae *ae = baiot_calloc(1, sizeof *ae);
    if (!ae)
        return baiot_fail(BAIOT_ERR_MEMORY, "autoencoder: out of memory");
    ae->p = *p;
    const int h = p->n_hidden, L = 2 * h;
    ae->n_layers = L;
    ae->size[0] = ae->size[L] = n_in;
    for (int i = 0; i < h; i++) {
        int64_t s = ((int64_t)n_in * p->hidden_pct[i] + 99) / 100; /* ceil */
        ae->size[i + 1] = ae->size[L - 1 - i] = s < 1 ? 1 : (int)s;
    }
    int64_t nw = 0, units = 0;
    int ntasks = 0, mx = 0;
    for (int l = 0; l <= L; l++) {
        ae->loff[l] = units;
        units += ae->size[l];
        mx = ae->size[l] > mx ? ae->size[l] : mx;
        if (l < L) {
            ae->woff[l] = nw;
            nw += (int64_t)ae->size[l + 1] * (ae->size[l] + 1);
            ntasks += (ae->size[l + 1] + AE_GRAD_CHUNK - 1) / AE_GRAD_CHUNK;
        }
    }
    ae->loff[L + 1] = units;
    ae->max_size = mx;
    ae->n_w = nw;
    ae->cap = p->batch;
    ae->n_tasks = ntasks;
    ae->shuffle_state = p->seed ^ 0x5DEECE66DULL; /* a stream apart from the weights' */
    ae->w = baiot_malloc(sizeof(double) * (size_t)nw);
    ae->grad = baiot_malloc(sizeof(double) * (size_t)nw);
    ae->act = baiot_malloc(sizeof(double) * (size_t)(ae->cap * units));
    ae->delta = baiot_malloc(sizeof(double) * (size_t)(ae->cap * units));
    ae->tasks = baiot_malloc(sizeof(ae_task) * (size_t)ntasks);
    const int64_t maxblk = (ae->cap + AE_ROW_BLOCK - 1) / AE_ROW_BLOCK;
    ae->fws_raw = baiot_malloc(sizeof(double) * (size_t)(maxblk * 3 * AE_FWD_STRIP * mx + 8));
    ae->fws = ae->fws_raw ? (double *)(((uintptr_t)ae->fws_raw + 63) & ~(uintptr_t)63) : NULL;
    if (p->optimizer == BAIOT_AE_ADAM) {
        ae->m = baiot_calloc((size_t)nw, sizeof(double));
        ae->v = baiot_calloc((size_t)nw, sizeof(double));
    }
    if (!ae->w || !ae->grad || !ae->act || !ae->delta || !ae->tasks || !ae->fws_raw ||
        (p->optimizer == BAIOT_AE_ADAM && (!ae->m || !ae->v))) {
        baiot_ae_free(ae);
        return baiot_fail(BAIOT_ERR_MEMORY, "autoencoder: out of memory (%lld weights, batch of %lld rows)",
                          (long long)nw, (long long)p->batch);
    }
    int t = 0;
    for (int l = 0; l < L; l++)
        for (int o = 0; o < ae->size[l + 1]; o += AE_GRAD_CHUNK)
            ae->tasks[t++] = (ae_task){l, o, o + AE_GRAD_CHUNK < ae->size[l + 1] ? o + AE_GRAD_CHUNK : ae->size[l + 1]};
    init_weights(ae);
    *out = ae;
    return BAIOT_OK;
}

void baiot_ae_free(baiot_ae *ae)
{
    if (!ae)
        return;
    baiot_free(ae->w);
    baiot_free(ae->grad);
    baiot_free(ae->m);
    baiot_free(ae->v);
    baiot_free(ae->act);
    baiot_free(ae->delta);
    baiot_free(ae->tasks);
    baiot_free(ae->fws_raw);
    baiot_free(ae);
}

int baiot_ae_threads(const baiot_ae *ae)
{
    return ae->p.threads > 0 ? ae->p.threads : omp_get_max_threads();
}

/* ------------------------------------------------------------------------ */
/* Shape and weights                                                          */

int baiot_ae_n_layers(const baiot_ae *ae) { return ae->n_layers; }

int baiot_ae_size(const baiot_ae *ae, int i) { return i >= 0 && i <= ae->n_layers ? ae->size[i] : -1; }

const baiot_ae_params *baiot_ae_get_params(const baiot_ae *ae) { return &ae->p; }

int64_t baiot_ae_n_weights(const baiot_ae *ae) { return ae->n_w; }

void baiot_ae_get_weights(const baiot_ae *ae, double *out)
{
    memcpy(out, ae->w, sizeof(double) * (size_t)ae->n_w);
}

baiot_status baiot_ae_set_weights(baiot_ae *ae, const double *w)
{
    if (!ae || !w)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder: no handle or no weights");
    for (int64_t i = 0; i < ae->n_w; i++)
        if (!isfinite(w[i]))
            return baiot_fail(BAIOT_ERR_NUMERIC, "autoencoder: weight %lld is not finite", (long long)i);
    memcpy(ae->w, w, sizeof(double) * (size_t)ae->n_w);
    if (ae->m) {
        memset(ae->m, 0, sizeof(double) * (size_t)ae->n_w);
        memset(ae->v, 0, sizeof(double) * (size_t)ae->n_w);
    }
    ae->adam_t = 0;
    return BAIOT_OK;
}

/* ------------------------------------------------------------------------ */
/* Scoring                                                                    */

baiot_status baiot_ae_score(const baiot_ae *ae, const double *x, int64_t n_rows, int64_t ld, double *mse)
{
    if (!ae || (!x && n_rows > 0) || (!mse && n_rows > 0) || n_rows < 0 || ld < ae->size[0])
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder score: bad arguments (rows %lld, ld %lld for %d inputs)",
                          (long long)n_rows, (long long)ld, ae ? ae->size[0] : 0);
    if (n_rows == 0)
        return BAIOT_OK;
    const int64_t nblk = (n_rows + BAIOT_AE_SCORE_BLOCK - 1) / BAIOT_AE_SCORE_BLOCK;
    int nt = baiot_ae_threads(ae);
    if (nt > nblk)
        nt = (int)nblk;
    /* per thread: 3 strip levels, a multiple of 8 doubles (64 bytes) */
    const int64_t wsz = 3 * (int64_t)AE_FWD_STRIP * ae->max_size;
    double *raw = baiot_malloc(sizeof(double) * (size_t)(wsz * nt + 8));
    if (!raw)
        return baiot_fail(BAIOT_ERR_MEMORY, "autoencoder score: out of memory");
    double *ws = (double *)(((uintptr_t)raw + 63) & ~(uintptr_t)63);
#pragma omp parallel for num_threads(nt) schedule(dynamic, 1) if (nt > 1) default(none) \
    shared(ae, x, ld, n_rows, mse, ws, nblk, wsz)
    for (int64_t b = 0; b < nblk; b++) {
        const int64_t e = (b + 1) * BAIOT_AE_SCORE_BLOCK < n_rows ? (b + 1) * BAIOT_AE_SCORE_BLOCK : n_rows;
        for (int64_t r0 = b * BAIOT_AE_SCORE_BLOCK; r0 < e; r0 += AE_FWD_STRIP) {
            const int64_t ns = e - r0 < AE_FWD_STRIP ? e - r0 : AE_FWD_STRIP;
            baiot_ae_fwd_score_strip(ae, x + r0 * ld, ld, ns, mse + r0, ws + omp_get_thread_num() * wsz, 1);
        }
    }
    baiot_free(raw);
    return BAIOT_OK;
}
