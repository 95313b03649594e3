/*
 * ae_time.c - times the autoencoder kernel (include/baiot/autoencoder.h)
 * for bench/ae: EPOCHS training epochs (seeded shuffles, plain SGD, tanh,
 * the N-BaIoT layer sizes) on rows given as a raw float64 file, each epoch
 * timed on its own, then REPEAT scorings of all rows.  Prints one line per
 * epoch ("epoch E SECONDS LOSS CPU_SECONDS") and per scoring ("score SECONDS
 * ROWS/S CPU_SECONDS"), wall-clock and process CPU time;
 * bench/ae takes the medians.  Threads: OMP_NUM_THREADS.  Never gates CI.
 * Usage: bench_ae_time DATA N_ROWS N_IN BATCH LR EPOCHS REPEAT
 */
#include "baiot/autoencoder.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_of(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
static double now(void) { return clock_of(CLOCK_MONOTONIC); }
static double cpu(void) { return clock_of(CLOCK_PROCESS_CPUTIME_ID); }

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: bench_ae_time DATA N_ROWS N_IN BATCH LR EPOCHS REPEAT\n");
        return 2;
    }
    const int64_t n = atoll(argv[2]);
    const int d = atoi(argv[3]), epochs = atoi(argv[6]), rep = atoi(argv[7]);
    double *x = malloc(sizeof(double) * (size_t)(n * d)), *mse = malloc(sizeof(double) * (size_t)n);
    FILE *f = fopen(argv[1], "rb");
    if (!x || !mse || !f || fread(x, sizeof(double), (size_t)(n * d), f) != (size_t)(n * d)) {
        fprintf(stderr, "bench_ae_time: cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(f);
    baiot_ae_params p = baiot_ae_params_default();
    p.batch = atoll(argv[4]);
    p.lr = atof(argv[5]);
    baiot_ae *ae = NULL;
    if (baiot_ae_create(d, &p, &ae)) {
        fprintf(stderr, "bench_ae_time: %s\n", baiot_last_error());
        return 1;
    }
    for (int e = 0; e < epochs; e++) {
        double loss, t0 = now(), c0 = cpu();
        if (baiot_ae_train_epoch(ae, x, n, d, NULL, &loss)) {
            fprintf(stderr, "bench_ae_time: %s\n", baiot_last_error());
            return 1;
        }
        printf("epoch %d %.6f %.10g %.6f\n", e + 1, now() - t0, loss, cpu() - c0);
        fflush(stdout);
    }
    for (int r = 0; r < rep; r++) {
        double t0 = now(), c0 = cpu();
        baiot_ae_score(ae, x, n, d, mse);
        double dt = now() - t0;
        printf("score %.6f %.0f %.6f\n", dt, (double)n / dt, cpu() - c0);
    }
    baiot_ae_free(ae);
    free(x);
    free(mse);
    return 0;
}
