/*
 * autoencoder.h - the deep autoencoder of N-BaIoT (Meidan et al. 2018),
 * trained on benign rows only; a row's score is its reconstruction error.
 *
 * Architecture: n_in inputs, encoder hidden layers of hidden_pct[i] percent
 * of n_in (default 75, 50, 33, 25), the decoder the same sizes back, then
 * n_in linear outputs.  A size is ceil(n_in * pct / 100), at least 1; for
 * n_in = 115: 115-87-58-38-29-38-58-87-115 (8 weight layers, 37,224
 * parameters).  Hidden activation tanh by default (zero-centred, so it
 * suits inputs standardised to mean 0 and sd 1, and its derivative
 * 1 - a^2 comes from the stored activation; the paper does not name one);
 * sigmoid on request.  The output is linear because standardised targets
 * are unbounded.  Weights start Glorot/Xavier uniform,
 * U(-sqrt(6 / (fan_in + fan_out)), +sqrt(...)), from a splitmix64 stream
 * seeded by `seed`; biases start at 0.
 *
 * Precision: double throughout.  N-BaIoT values reach ~1.5e9 before
 * scaling (HH_jit_L5_mean), the scaling is fitted in double, and the
 * PyTorch check (tests/cli/test_ae_torch.py) compares float64 weights
 * within 1e-10 relative, which float32 could not show.
 *
 * Training: loss = mean squared reconstruction error over a mini-batch
 * (PyTorch's MSELoss, reduction "mean": sum over rows and outputs / (rows *
 * n_in)); forward and backward passes are cblas_dgemm products over the
 * batch; optimiser plain SGD (w -= lr * g, the default: the paper tuned
 * plain learning rates) or Adam (Kingma & Ba, bias-corrected, eps added to
 * the corrected sqrt(v), as torch.optim.Adam without weight decay).  Rows
 * are visited in a Fisher-Yates shuffle per epoch (a second splitmix64
 * stream, seeded by seed ^ 0x5DEECE66D, unbiased by rejection), or in an
 * order the caller gives; the last batch of an epoch may be short.
 *
 * Determinism: the same seed, data and calls give the same weights bit for
 * bit for any thread count.  The work of a batch is cut into pieces sized by
 * the data only (row blocks of the batch for the forward and delta passes;
 * chunks of each layer's output units for the weight gradients, each one
 * dgemm over the whole batch), every piece a single-threaded dgemm
 * (OpenBLAS is set to one thread for the call and restored), and nothing
 * sums across pieces.  A batch runs on at most one thread per 64 of its
 * rows (two barriers per batch cost more than smaller shares save); that
 * changes the speed only.  tanh is our own (within 3 ulp of the exact
 * tanh; the same doubles with AVX-512, AVX2 and FMA, or neither); the
 * sigmoid's exp runs 8 or 4 lanes at a time through glibc's libmvec when
 * the CPU has AVX-512 or AVX2 and FMA: a choice of the machine, not of the
 * threads.
 *
 * Handles are not thread-safe: one call at a time per baiot_ae (each call
 * runs its own OpenMP threads).  Calls on different handles may run at the
 * same time from several threads, but each sets OpenBLAS's (process-wide)
 * thread count to 1 and restores it afterwards: such callers should set
 * openblas_set_num_threads(1) themselves first, so no restore lets another
 * call's products run multi-threaded.  Implemented in kernels/autoencoder.c,
 * kernels/ae_train.c, kernels/ae_math.c, kernels/ae_fwd.c; covered by
 * tests/unit/test_autoencoder.c and tests/cli/test_ae_torch.py.
 */
#ifndef BAIOT_AUTOENCODER_H
#define BAIOT_AUTOENCODER_H

#include <stdint.h>

#include "baiot/baiot.h"

BAIOT_BEGIN_DECLS

/* Most encoder hidden layers (the decoder mirrors them). */
#define BAIOT_AE_MAX_HIDDEN 8

typedef enum baiot_ae_activation { BAIOT_AE_TANH = 0, BAIOT_AE_SIGMOID = 1 } baiot_ae_activation;
typedef enum baiot_ae_optimizer { BAIOT_AE_SGD = 0, BAIOT_AE_ADAM = 1 } baiot_ae_optimizer;

typedef struct baiot_ae_params {
    int n_hidden;                        /* encoder hidden layers, 1..BAIOT_AE_MAX_HIDDEN (4) */
    int hidden_pct[BAIOT_AE_MAX_HIDDEN]; /* their sizes in percent of n_in, 1..100 (75, 50, 33, 25) */
    baiot_ae_activation activation;      /* hidden layers (tanh) */
    baiot_ae_optimizer optimizer;        /* SGD */
    double lr;                           /* learning rate (0.01) */
    int64_t batch;                       /* rows per mini-batch (32, Keras's default) */
    int epochs;                          /* epochs of baiot_ae_train (100) */
    uint64_t seed;                       /* initial weights and shuffles (1) */
    double adam_beta1, adam_beta2, adam_eps; /* Adam only (0.9, 0.999, 1e-8) */
    int threads;                         /* OpenMP threads; 0: omp_get_max_threads() */
} baiot_ae_params;

typedef struct baiot_ae baiot_ae;

/* The defaults above. */
baiot_ae_params baiot_ae_params_default(void);

/* BAIOT_OK, or BAIOT_ERR_ARG with a message naming the bad field. */
baiot_status baiot_ae_params_check(int n_in, const baiot_ae_params *p);

/* A new autoencoder with n_in inputs and seeded initial weights; *out
 * owned by the caller (baiot_ae_free).  The parameters are copied. */
baiot_status baiot_ae_create(int n_in, const baiot_ae_params *p, baiot_ae **out);
void baiot_ae_free(baiot_ae *ae);

/* ---- shape and weights ---- */
/* Weight layers (2 * n_hidden). */
int baiot_ae_n_layers(const baiot_ae *ae);
/* Units of level i, 0 <= i <= n_layers (0: the inputs, n_layers: the
 * outputs); -1 out of range. */
int baiot_ae_size(const baiot_ae *ae, int i);
/* The parameters as given to baiot_ae_create (borrowed, valid until free). */
const baiot_ae_params *baiot_ae_get_params(const baiot_ae *ae);
/* Number of weights and biases.  Flat layout, layer by layer from the
 * input: W_l (size(l+1) x size(l), row-major: W[o * size(l) + i], as a
 * torch.nn.Linear's weight), then b_l (size(l+1)). */
int64_t baiot_ae_n_weights(const baiot_ae *ae);
/* Copies the weights out (baiot_ae_n_weights doubles). */
void baiot_ae_get_weights(const baiot_ae *ae, double *out);
/* Replaces the weights (loading a model, tests) and resets the optimiser
 * state (Adam's moments and step count).  BAIOT_ERR_NUMERIC if one is not
 * finite (nothing changed). */
baiot_status baiot_ae_set_weights(baiot_ae *ae, const double *w);

/* ---- training ---- */
/* One epoch over the n_rows rows of x (row r at x + r * ld, n_in doubles,
 * ld >= n_in).  order: NULL for the seeded shuffle of this epoch (the
 * handle's generator advances), or n_rows row indices (a permutation, or
 * any rows in [0, n_rows), visited in that order).  *epoch_loss (may be
 * NULL) gets the mean squared error of the rows as they were met (before
 * their batch's update): sum over rows and outputs / (n_rows * n_in).
 * BAIOT_ERR_NUMERIC if the loss is not finite (the weights have diverged:
 * lower the learning rate). */
baiot_status baiot_ae_train_epoch(baiot_ae *ae, const double *x, int64_t n_rows, int64_t ld, const int64_t *order,
                                  double *epoch_loss);

/* params.epochs epochs of baiot_ae_train_epoch with seeded shuffles;
 * losses (may be NULL): params.epochs doubles, the loss of each epoch. */
baiot_status baiot_ae_train(baiot_ae *ae, const double *x, int64_t n_rows, int64_t ld, double *losses);

/* The gradient of the mean squared error of n_rows rows taken as one batch
 * (n_rows <= params.batch) with respect to the weights (flat layout, into
 * grad: baiot_ae_n_weights doubles); the weights are not changed.  *loss
 * (may be NULL) gets that error.  For gradient checks and comparisons. */
baiot_status baiot_ae_gradient(baiot_ae *ae, const double *x, int64_t n_rows, int64_t ld, double *grad, double *loss);

/* ---- scoring ---- */
/* Rows per scoring block (fixed, so a row's score never depends on the
 * thread count). */
#define BAIOT_AE_SCORE_BLOCK 256

/* mse[r] = mean over the n_in outputs of (reconstruction - x)^2 for each of
 * the n_rows rows of x (row r at x + r * ld); parallel over fixed blocks of
 * BAIOT_AE_SCORE_BLOCK rows.  Its own products (kernels/ae_fwd.c: each
 * unit's sum starts at its bias and adds the inputs in order, one fused
 * multiply-add each), not OpenBLAS's, so a score may differ in the last
 * bits from the training pass's forward arithmetic; a row's score depends
 * only on the row and the weights.  Does not change the handle's weights. */
baiot_status baiot_ae_score(const baiot_ae *ae, const double *x, int64_t n_rows, int64_t ld, double *mse);

BAIOT_END_DECLS
#endif
