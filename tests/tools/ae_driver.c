/*
 * ae_driver.c - a test-only program around the autoencoder kernel
 * (include/baiot/autoencoder.h), so that tests/cli/test_ae_torch.py can
 * run PyTorch on exactly the same start: it trains on rows and batch orders
 * given as raw little-endian files and writes the initial weights, the
 * final weights, the epoch losses and the final scores.  Not installed, no
 * user-facing command.  Built by tests/CMakeLists.txt (BAIOT_AE_DRIVER).
 *
 * Usage: ae_driver N_IN N_ROWS BATCH LR SEED tanh|sigmoid sgd|adam EPOCHS
 *                  DATA ORDER|- OUTDIR
 *   DATA: N_ROWS x N_IN float64, row-major; ORDER: EPOCHS x N_ROWS int64
 *   row indices (the batch order of each epoch), or - for the seeded
 *   shuffles.  Writes OUTDIR/sizes.txt (the level sizes), init.bin and
 *   final.bin (the weights, flat layout), loss.txt (one epoch loss a line,
 *   %.17g) and score.bin (N_ROWS float64 scores after training).
 */
#include "baiot/autoencoder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int die(const char *what)
{
    fprintf(stderr, "ae_driver: %s%s%s\n", what, *baiot_last_error() ? ": " : "", baiot_last_error());
    return 1;
}

static void *slurp(const char *path, size_t bytes)
{
    FILE *f = fopen(path, "rb");
    void *p = f ? malloc(bytes ? bytes : 1) : NULL;
    if (!f || !p || fread(p, 1, bytes, f) != bytes) {
        free(p);
        p = NULL;
    }
    if (f)
        fclose(f);
    return p;
}

static int spit(const char *dir, const char *name, const void *p, size_t bytes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(p, 1, bytes, f) == bytes;
    if (f)
        ok = fclose(f) == 0 && ok;
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 12) {
        fprintf(stderr, "usage: ae_driver N_IN N_ROWS BATCH LR SEED tanh|sigmoid sgd|adam EPOCHS DATA ORDER|- OUTDIR\n");
        return 2;
    }
    const int n_in = atoi(argv[1]);
    const int64_t n = atoll(argv[2]);
    baiot_ae_params p = baiot_ae_params_default();
    p.batch = atoll(argv[3]);
    p.lr = atof(argv[4]);
    p.seed = strtoull(argv[5], NULL, 10);
    p.activation = strcmp(argv[6], "sigmoid") == 0 ? BAIOT_AE_SIGMOID : BAIOT_AE_TANH;
    p.optimizer = strcmp(argv[7], "adam") == 0 ? BAIOT_AE_ADAM : BAIOT_AE_SGD;
    p.epochs = atoi(argv[8]);
    const char *out = argv[11];
    if (n_in < 1 || n < 1 || p.epochs < 1)
        return die("bad sizes");
    double *x = slurp(argv[9], sizeof(double) * (size_t)(n * n_in));
    int64_t *order = strcmp(argv[10], "-") ? slurp(argv[10], sizeof(int64_t) * (size_t)(n * p.epochs)) : NULL;
    if (!x || (strcmp(argv[10], "-") && !order))
        return die("cannot read the data or the order");
    baiot_ae *ae = NULL;
    if (baiot_ae_create(n_in, &p, &ae))
        return die("create");
    const int64_t nw = baiot_ae_n_weights(ae);
    double *w = malloc(sizeof(double) * (size_t)nw), *mse = malloc(sizeof(double) * (size_t)n);
    char text[4096];
    int len = 0;
    for (int i = 0; i <= baiot_ae_n_layers(ae); i++)
        len += snprintf(text + len, sizeof text - (size_t)len, "%d\n", baiot_ae_size(ae, i));
    baiot_ae_get_weights(ae, w);
    if (spit(out, "sizes.txt", text, (size_t)len) || spit(out, "init.bin", w, sizeof(double) * (size_t)nw))
        return die("cannot write to OUTDIR");
    len = 0;
    for (int e = 0; e < p.epochs; e++) {
        double loss;
        if (baiot_ae_train_epoch(ae, x, n, n_in, order ? order + (int64_t)e * n : NULL, &loss))
            return die("training");
        len += snprintf(text + len, sizeof text - (size_t)len, "%.17g\n", loss);
    }
    baiot_ae_get_weights(ae, w);
    if (baiot_ae_score(ae, x, n, n_in, mse))
        return die("score");
    if (spit(out, "final.bin", w, sizeof(double) * (size_t)nw) || spit(out, "loss.txt", text, (size_t)len) ||
        spit(out, "score.bin", mse, sizeof(double) * (size_t)n))
        return die("cannot write to OUTDIR");
    baiot_ae_free(ae);
    free(w);
    free(mse);
    free(x);
    free(order);
    return 0;
}
