/*
 * ae_internal.h - the autoencoder's handle and the steps its three files
 * share (kernels/autoencoder.c: handle, weights, scoring; kernels/ae_train.c:
 * epochs and optimisers; kernels/ae_math.c: the activations;
 * kernels/ae_fwd.c: the fused forward pass of training and scoring).  The public side is include/baiot/autoencoder.h.
 *
 * Buffers of a batch: for each level l (0: the gathered input rows, L: the
 * outputs) a cap x size[l] row-major matrix at act + cap * loff[l], and the
 * same for the deltas dL/dz at delta + cap * loff[l] (level 0 unused).  A
 * row block of the batch owns the same rows in every level, so the forward
 * and delta passes of different blocks never touch the same doubles.
 * Covered by tests/unit/test_autoencoder.c.
 */
#ifndef BAIOT_KERNELS_AE_INTERNAL_H
#define BAIOT_KERNELS_AE_INTERNAL_H

#include "baiot/autoencoder.h"

#include <stdint.h>

/* Rows per block of a batch's forward and delta passes: a property of the
 * data layout, never of the thread count (a row's doubles depend only on
 * its position in its block); one strip of the fused forward pass.  (16,
 * 32 or 64 rows made no difference with dgemm forward passes.) */
#define AE_ROW_BLOCK 32
/* Rows of a batch per training thread: a batch of B rows runs on at most
 * max(1, B / AE_ROWS_PER_THREAD) threads.  Each batch costs two barriers;
 * below this many rows a thread's share of the products (~0.3 ms of one
 * core at 64 rows of the 115-input net) no longer pays for them on a
 * shared machine.  Changes the threads used, never the results. */
#define AE_ROWS_PER_THREAD 64
/* Rows per strip of the fused scoring pass (kernels/ae_fwd.c): 4 AVX-512
 * vectors of 8 rows.  Units per tile of its products: 6 x 4 accumulators,
 * 24 of the 32 vector registers. */
#define AE_FWD_STRIP 32
#define AE_FWD_UNITS 6
/* A training row block is one strip of the fused pass. */
_Static_assert(AE_ROW_BLOCK == AE_FWD_STRIP, "a training row block is one strip");
/* Output units per weight-gradient task (one dgemm over the whole batch). */
#define AE_GRAD_CHUNK 16

#define AE_MAX_LAYERS (2 * BAIOT_AE_MAX_HIDDEN)

/* One weight-gradient task: layer l, output units [o0, o1). */
typedef struct ae_task {
    int l, o0, o1;
} ae_task;

struct baiot_ae {
    baiot_ae_params p;
    int n_layers;                   /* L */
    int size[AE_MAX_LAYERS + 1];    /* units of levels 0..L */
    int64_t woff[AE_MAX_LAYERS];    /* W_l at w + woff[l]; b_l follows it */
    int64_t loff[AE_MAX_LAYERS + 2]; /* sum of size[0..l-1]; loff[L + 1]: all units */
    int max_size;
    int64_t n_w;
    double *w;                      /* n_w: the weights, flat layout of the header */
    double *grad;                   /* n_w: the last batch's gradient */
    double *m, *v;                  /* n_w each: Adam's moments (NULL for SGD) */
    int64_t adam_t;                 /* Adam steps taken */
    uint64_t shuffle_state;         /* splitmix64 state of the epoch shuffles */
    int64_t cap;                    /* rows of the batch buffers (params.batch) */
    double *act, *delta;            /* cap * loff[L + 1] each */
    double *fws_raw, *fws;          /* per row block of a batch: 3 * AE_FWD_STRIP * max_size
                                     * doubles of the fused pass (fws: 64-byte aligned) */
    int n_tasks;
    ae_task *tasks;
};

/* Threads a call uses. */
int baiot_ae_threads(const baiot_ae *ae);

/* z[i] = f(z[i]), i < n: tanh or the logistic sigmoid (vectorised). */
void baiot_ae_activate(baiot_ae_activation f, double *z, int64_t n);
/* The same through at most the given instruction set (the best the CPU
 * has up to it; for the tests): tanh is the same doubles on every path,
 * the sigmoid is libmvec's or libm's exp. */
enum { AE_ISA_PORTABLE = 0, AE_ISA_AVX2 = 2, AE_ISA_AVX512 = 3 };
void baiot_ae_activate_isa(baiot_ae_activation f, double *z, int64_t n, int isa);

/* Level l+1 of a strip from level l, both unit-major (in: size[l] x
 * AE_FWD_STRIP, out: size[l+1] x AE_FWD_STRIP, 64-byte aligned): out[o][r]
 * = f(b[o] + sum_k w[o][k] in[k][r]), the sum in k order, one fma each; f
 * the hidden activation, the identity for the output layer.  simd: 0 the
 * portable path, 256 at most the AVX2 one, anything else the widest this
 * CPU has (all give the same doubles; the tests compare them). */
void baiot_ae_fwd_layer(const baiot_ae *ae, int l, const double *in, double *out, int simd);

/* C[i][n] = sum_{j < K} A(i, j) B[j][n] for i < M, n < N, in j order from
 * 0, one fma each (kernels/ae_gemm.c): A(i, j) = a[i * ai + j * aj], B and
 * C row-major (ldb, ldc).  simd = 0 forces the portable path (the same
 * doubles; for the tests). */
void baiot_ae_gemm(int M, int N, int K, const double *a, int64_t ai, int64_t aj, const double *b, int64_t ldb,
                   double *c, int64_t ldc, int simd);
/* 1 when training's backward products run on baiot_ae_gemm (CPUs with AVX2
 * but not AVX-512), 0 when on OpenBLAS's dgemm. */
int baiot_ae_gemm_own(void);

/* The widest vector path of the fused pass on this CPU: 512 (AVX-512F),
 * 256 (AVX2 and FMA) or 0 (portable, fma() from libm: ~20x slower). */
int baiot_ae_fwd_simd_width(void);

/* Reconstruction MSE of rows x[0..ns) (row-major, ld; ns <= AE_FWD_STRIP)
 * into mse[0..ns) through the fused pass; ws: 3 * AE_FWD_STRIP * max_size
 * doubles, 64-byte aligned.  simd as for baiot_ae_fwd_layer. */
void baiot_ae_fwd_score_strip(const baiot_ae *ae, const double *x, int64_t ld, int64_t ns, double *mse, double *ws,
                              int simd);

/* The forward pass of a training row block of nb <= AE_FWD_STRIP rows:
 * act[l] (l = 0..L) its rows of level l, row-major (ld size[l]); reads
 * act[0] and writes act[1..L] with the fused pass's doubles (the same as
 * scoring's); ws as for baiot_ae_fwd_score_strip. */
void baiot_ae_fwd_train_strip(const baiot_ae *ae, double *const *act, int64_t nb, double *ws);

/* The next splitmix64 output of *state (which advances). */
uint64_t baiot_ae_splitmix64(uint64_t *state);

#endif
