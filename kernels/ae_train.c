/*
 * ae_train.c - the autoencoder's training (include/baiot/autoencoder.h):
 * mini-batch epochs, the gradient of one batch, plain SGD and Adam.
 *
 * A batch of B rows runs in two parallel phases inside one OpenMP region
 * per epoch:
 *   1. row blocks of AE_ROW_BLOCK rows: gather the rows, the forward pass
 *      (kernels/ae_fwd.c's fused pass, the same doubles as scoring's, its
 *      levels transposed back to rows), the output delta
 *      G_L = 2 (y - x) / (B n_in) and the block's squared-error sum, then
 *      the deltas back G_{l-1} = (G_l W_l) .* f'(a_{l-1}) (one product each:
 *      kernels/ae_gemm.c on AVX2 CPUs, OpenBLAS's dgemm on AVX-512 ones;
 *      f' = 1 - a^2 for tanh, a (1 - a) for the sigmoid);
 *   2. tasks of AE_GRAD_CHUNK output units of one layer: that slice of
 *      dW_l = G_l^T A_{l-1} as one product over all B rows, db_l as column
 *      sums in row order, then the optimiser's update of exactly those
 *      weights (or, for baiot_ae_gradient, no update).
 * Invariants: the pieces are fixed by the data (B, the layer sizes), never
 * by the thread count; each double is written by one piece (a row block
 * has its own workspace of the fused pass); no sum runs across pieces
 * except the loss, whose block partials are added in (batch, block) order
 * after the region.  OpenBLAS (the deltas and the weight gradients) runs
 * single-threaded (set and restored around the region).  So the weights are the same bit for bit for
 * any thread count.  Phase 2 of a batch reads the weights phase 1 used; the
 * barriers between phases order the updates.
 * Covered by tests/unit/test_autoencoder.c and tests/cli/test_ae_torch.py.
 */
#include "kernels/ae_internal.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Elementwise loops                                                          */

/* Compiled for AVX-512, AVX2 and the baseline, chosen at load time (GCC's
 * target_clones); every clone rounds the same operations the same way
 * (elementwise, no fused multiply-add: -ffp-contract=off), so the choice
 * never changes a result. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define AE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define AE_CLONES
#endif

/* g[i] *= f'(a[i]) for the hidden activation f (a = f(z)). */
AE_CLONES static void times_derivative(baiot_ae_activation f, double *restrict g, const double *restrict a, int64_t n)
{
    if (f == BAIOT_AE_SIGMOID)
        for (int64_t i = 0; i < n; i++)
            g[i] *= a[i] * (1 - a[i]);
    else
        for (int64_t i = 0; i < n; i++)
            g[i] *= 1 - a[i] * a[i];
}

/* w[i] -= lr * g[i]. */
AE_CLONES static void sgd(double *restrict w, const double *restrict g, int64_t n, double lr)
{
    for (int64_t i = 0; i < n; i++)
        w[i] -= lr * g[i];
}

/* gb[o] = sum over r < bn, in row order, of g[r * ld + o], o < m. */
AE_CLONES static void column_sums(double *restrict gb, const double *restrict g, int64_t bn, int64_t ld, int m)
{
    for (int o = 0; o < m; o++)
        gb[o] = 0;
    for (int64_t r = 0; r < bn; r++)
        for (int o = 0; o < m; o++)
            gb[o] += g[r * ld + o];
}

/* g[i] = c (y[i] - t[i]), i < n; returns the sum of (y[i] - t[i])^2 in
 * eight interleaved partial sums (i mod 8, each in index order) added in a
 * fixed tree: a fixed order, so the loss is the same for any thread count,
 * without one chain of n dependent additions. */
AE_CLONES static double output_delta(const double *restrict y, const double *restrict t, int64_t n, double c,
                                     double *restrict g)
{
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) {
            const double d = y[i + k] - t[i + k];
            s[k] += d * d;
            g[i + k] = c * d;
        }
    for (; i < n; i++) {
        const double d = y[i] - t[i];
        s[i & 7] += d * d;
        g[i] = c * d;
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/* ------------------------------------------------------------------------ */
/* Phase 1: one row block                                                     */

/* Forward and deltas for rows [r0, r0 + nb) of a batch of bn rows whose
 * source rows are ord[0..bn); returns the block's sum of squared errors. */
static double block_pass(baiot_ae *ae, const double *x, int64_t ld, const int64_t *ord, int64_t bn, int64_t r0,
                         int64_t nb, const int64_t *next, int64_t nn)
{
    /* the same block's rows of the next batch (next[0..nn)), towards the
     * cache while this one computes: the shuffled rows come from memory */
    for (int64_t r = r0; r < r0 + AE_ROW_BLOCK && r < nn; r++) {
        const char *p = (const char *)(x + next[r] * ld);
        for (int64_t b = 0; b < (int64_t)sizeof(double) * ae->size[0]; b += 64)
            __builtin_prefetch(p + b, 0, 3);
    }
    const int L = ae->n_layers, n_in = ae->size[0];
    const int64_t cap = ae->cap;
    double *a0 = ae->act + r0 * n_in;
    for (int64_t r = 0; r < nb; r++)
        memcpy(a0 + r * n_in, x + ord[r0 + r] * ld, sizeof(double) * (size_t)n_in);
    double *lv[AE_MAX_LAYERS + 1];
    for (int l = 0; l <= L; l++)
        lv[l] = ae->act + cap * ae->loff[l] + r0 * ae->size[l];
    baiot_ae_fwd_train_strip(ae, lv, nb, ae->fws + (r0 / AE_ROW_BLOCK) * 3 * AE_FWD_STRIP * ae->max_size);
    const double *y = ae->act + cap * ae->loff[L] + r0 * n_in;
    double *g = ae->delta + cap * ae->loff[L] + r0 * n_in;
    const double sse = output_delta(y, a0, nb * n_in, 2.0 / ((double)bn * n_in), g);
    for (int l = L - 1; l >= 1; l--) {
        /* G_l (deltas of level l) from G_{l+1} through W_l */
        const int ni = ae->size[l], no = ae->size[l + 1];
        const double *gn = ae->delta + cap * ae->loff[l + 1] + r0 * no;
        double *gl = ae->delta + cap * ae->loff[l] + r0 * ni;
        const double *al = ae->act + cap * ae->loff[l] + r0 * ni;
        if (baiot_ae_gemm_own())
            baiot_ae_gemm((int)nb, ni, no, gn, no, 1, ae->w + ae->woff[l], ni, gl, ni, 1);
        else
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)nb, ni, no, 1.0, gn, no, ae->w + ae->woff[l],
                        ni, 0.0, gl, ni);
        times_derivative(ae->p.activation, gl, al, nb * ni);
    }
    return sse;
}

/* ------------------------------------------------------------------------ */
/* Phase 2: one gradient slice and its update                                 */

/* Task t's slice of the gradient of a batch of bn rows into ae->grad; then
 * the update of those weights when update is set (step: Adam's 1-based step
 * number). */
static void task_pass(baiot_ae *ae, int t, int64_t bn, int update, int64_t step)
{
    const ae_task *k = &ae->tasks[t];
    const int l = k->l, ni = ae->size[l], no = ae->size[l + 1], m = k->o1 - k->o0;
    const int64_t cap = ae->cap;
    const double *g = ae->delta + cap * ae->loff[l + 1];
    const double *a = ae->act + cap * ae->loff[l];
    double *gw = ae->grad + ae->woff[l] + (int64_t)k->o0 * ni;
    double *gb = ae->grad + ae->woff[l] + (int64_t)no * ni + k->o0;
    if (baiot_ae_gemm_own())
        baiot_ae_gemm(m, ni, (int)bn, g + k->o0, 1, no, a, ni, gw, ni, 1);
    else
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, ni, (int)bn, 1.0, g + k->o0, no, a, ni, 0.0, gw, ni);
    column_sums(gb, g + k->o0, bn, no, m);
    if (!update)
        return;
    /* the slice's weights, then its biases */
    const int64_t spans[2][2] = {{ae->woff[l] + (int64_t)k->o0 * ni, (int64_t)m * ni},
                                 {ae->woff[l] + (int64_t)no * ni + k->o0, m}};
    const double lr = ae->p.lr;
    for (int s = 0; s < 2; s++) {
        double *w = ae->w + spans[s][0];
        const double *gr = ae->grad + spans[s][0];
        const int64_t n = spans[s][1];
        if (ae->p.optimizer == BAIOT_AE_SGD) {
            sgd(w, gr, n, lr);
        } else {
            const double b1 = ae->p.adam_beta1, b2 = ae->p.adam_beta2, eps = ae->p.adam_eps;
            const double bc1 = 1 - pow(b1, (double)step), bc2 = 1 - pow(b2, (double)step);
            const double step_size = lr / bc1, sbc2 = sqrt(bc2);
            double *mm = ae->m + spans[s][0], *vv = ae->v + spans[s][0];
            for (int64_t i = 0; i < n; i++) {
                mm[i] = b1 * mm[i] + (1 - b1) * gr[i];
                vv[i] = b2 * vv[i] + (1 - b2) * gr[i] * gr[i];
                w[i] -= step_size * mm[i] / (sqrt(vv[i]) / sbc2 + eps);
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Epochs                                                                     */

/* The batches of rows ord[0..n) in order; the loss partials of batch bt,
 * block b into part[bt * maxblk + b]. */
static void run_batches(baiot_ae *ae, const double *x, int64_t ld, const int64_t *ord, int64_t n, int update,
                        double *part)
{
    const int64_t B = ae->cap, nbatch = (n + B - 1) / B, maxblk = (B + AE_ROW_BLOCK - 1) / AE_ROW_BLOCK;
    const int64_t step0 = ae->adam_t;
    const int ntasks = ae->n_tasks;
    int nt = baiot_ae_threads(ae);
    const int64_t by_rows = (n < B ? n : B) / AE_ROWS_PER_THREAD;
    if (nt > by_rows)
        nt = by_rows > 1 ? (int)by_rows : 1;
    if (nt > ntasks)
        nt = ntasks;
    int saved_blas = openblas_get_num_threads();
    openblas_set_num_threads(1);
#pragma omp parallel num_threads(nt) if (nt > 1) default(none) \
    shared(ae, x, ld, ord, n, update, part, B, nbatch, maxblk, step0, ntasks)
    for (int64_t bt = 0; bt < nbatch; bt++) {
        const int64_t s = bt * B, bn = n - s < B ? n - s : B;
        const int64_t nblk = (bn + AE_ROW_BLOCK - 1) / AE_ROW_BLOCK;
#pragma omp for schedule(dynamic, 1)
        for (int64_t b = 0; b < nblk; b++) {
            int64_t r0 = b * AE_ROW_BLOCK, nb = bn - r0 < AE_ROW_BLOCK ? bn - r0 : AE_ROW_BLOCK;
            const int64_t nn = bt + 1 < nbatch ? (n - s - B < B ? n - s - B : B) : 0;
            part[bt * maxblk + b] = block_pass(ae, x, ld, ord + s, bn, r0, nb, ord + s + B, nn);
        }
#pragma omp for schedule(dynamic, 1)
        for (int t = 0; t < ntasks; t++)
            task_pass(ae, t, bn, update, step0 + bt + 1);
    }
    openblas_set_num_threads(saved_blas);
    if (update)
        ae->adam_t += nbatch;
}

/* Sum of the partials in (batch, block) order. */
static double sum_parts(const baiot_ae *ae, int64_t n, const double *part)
{
    const int64_t B = ae->cap, nbatch = (n + B - 1) / B, maxblk = (B + AE_ROW_BLOCK - 1) / AE_ROW_BLOCK;
    double s = 0;
    for (int64_t bt = 0; bt < nbatch; bt++) {
        const int64_t bn = n - bt * B < B ? n - bt * B : B;
        for (int64_t b = 0; b < (bn + AE_ROW_BLOCK - 1) / AE_ROW_BLOCK; b++)
            s += part[bt * maxblk + b];
    }
    return s;
}

static baiot_status check_data(const baiot_ae *ae, const double *x, int64_t n_rows, int64_t ld, const char *what)
{
    if (!ae || !x || n_rows < 1 || ld < ae->size[0])
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder %s: bad arguments (rows %lld, ld %lld for %d inputs)", what,
                          (long long)n_rows, (long long)ld, ae ? ae->size[0] : 0);
    return BAIOT_OK;
}

baiot_status baiot_ae_train_epoch(baiot_ae *ae, const double *x, int64_t n_rows, int64_t ld, const int64_t *order,
                                  double *epoch_loss)
{
    baiot_status st = check_data(ae, x, n_rows, ld, "training");
    if (st)
        return st;
    if (order)
        for (int64_t i = 0; i < n_rows; i++)
            if (order[i] < 0 || order[i] >= n_rows)
                return baiot_fail(BAIOT_ERR_ARG, "autoencoder training: order[%lld] = %lld is not a row (0 to %lld)",
                                  (long long)i, (long long)order[i], (long long)n_rows - 1);
    const int64_t B = ae->cap, nbatch = (n_rows + B - 1) / B, maxblk = (B + AE_ROW_BLOCK - 1) / AE_ROW_BLOCK;
    double *part = baiot_malloc(sizeof(double) * (size_t)(nbatch * maxblk));
    int64_t *own = order ? NULL : baiot_malloc(sizeof(int64_t) * (size_t)n_rows);
    if (!part || (!order && !own)) {
        baiot_free(part);
        baiot_free(own);
        return baiot_fail(BAIOT_ERR_MEMORY, "autoencoder training: out of memory (%lld rows)", (long long)n_rows);
    }
    if (!order) {
        /* Fisher-Yates; j uniform in [0, i] by Lemire's multiply-and-reject */
        for (int64_t i = 0; i < n_rows; i++)
            own[i] = i;
        for (int64_t i = n_rows - 1; i > 0; i--) {
            const uint64_t range = (uint64_t)i + 1, floor = (0 - range) % range;
            unsigned __int128 p;
            do
                p = (unsigned __int128)baiot_ae_splitmix64(&ae->shuffle_state) * range;
            while ((uint64_t)p < floor);
            int64_t j = (int64_t)(p >> 64), tmp = own[i];
            own[i] = own[j];
            own[j] = tmp;
        }
        order = own;
    }
    run_batches(ae, x, ld, order, n_rows, 1, part);
    double loss = sum_parts(ae, n_rows, part) / ((double)n_rows * ae->size[0]);
    baiot_free(part);
    baiot_free(own);
    if (epoch_loss)
        *epoch_loss = loss;
    if (!isfinite(loss))
        return baiot_fail(BAIOT_ERR_NUMERIC, "autoencoder training: the loss is %g (the weights diverged: lower the "
                                             "learning rate %g)", loss, ae->p.lr);
    return BAIOT_OK;
}

baiot_status baiot_ae_train(baiot_ae *ae, const double *x, int64_t n_rows, int64_t ld, double *losses)
{
    for (int e = 0; ae && e < ae->p.epochs; e++) {
        double loss;
        baiot_status st = baiot_ae_train_epoch(ae, x, n_rows, ld, NULL, &loss);
        if (losses)
            losses[e] = loss;
        if (st)
            return st;
    }
    return ae ? BAIOT_OK : baiot_fail(BAIOT_ERR_ARG, "autoencoder training: no handle");
}

baiot_status baiot_ae_gradient(baiot_ae *ae, const double *x, int64_t n_rows, int64_t ld, double *grad, double *loss)
{
    baiot_status st = check_data(ae, x, n_rows, ld, "gradient");
    if (st)
        return st;
    if (n_rows > ae->cap || !grad)
        return baiot_fail(BAIOT_ERR_ARG, "autoencoder gradient: %lld rows (at most the batch, %lld)",
                          (long long)n_rows, (long long)ae->cap);
    const int64_t maxblk = (ae->cap + AE_ROW_BLOCK - 1) / AE_ROW_BLOCK;
    double *part = baiot_malloc(sizeof(double) * (size_t)maxblk);
    int64_t *ord = baiot_malloc(sizeof(int64_t) * (size_t)n_rows);
    if (!part || !ord) {
        baiot_free(part);
        baiot_free(ord);
        return baiot_fail(BAIOT_ERR_MEMORY, "autoencoder gradient: out of memory");
    }
    for (int64_t i = 0; i < n_rows; i++)
        ord[i] = i;
    run_batches(ae, x, ld, ord, n_rows, 0, part);
    if (loss)
        *loss = sum_parts(ae, n_rows, part) / ((double)n_rows * ae->size[0]);
    memcpy(grad, ae->grad, sizeof(double) * (size_t)ae->n_w);
    baiot_free(part);
    baiot_free(ord);
    return BAIOT_OK;
}
