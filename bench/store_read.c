/*
 * bench/store_read.c - the cost of checked store reads (docs/STORE.md,
 * "Checked reads"; figures in docs/PERFORMANCE.md): reads every feature
 * column and the family labels of a store (or of one device's rows) with
 * the CRC-32 check on and off, the two interleaved run by run so both
 * see the same machine load, and prints the median time of each.
 * Usage: build/bench_store_read STORE [--runs 5] [--device N]
 * The column buffer is reused, so memory stays at one column.
 */
#include "baiot/store.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One pass over the store: seconds, or -1 on a failure (printed). */
static double one_pass(const char *path, int verify, int device, double *bytes)
{
    baiot_store *s = NULL;
    baiot_store_set_verify(verify);
    double t0 = omp_get_wtime();
    if (baiot_store_open(path, &s)) {
        fprintf(stderr, "%s\n", baiot_last_error());
        return -1;
    }
    int64_t runs[2] = {0, baiot_store_rows(s)};
    if (device >= 0) {
        int found = 0;
        for (int i = 0; i < baiot_store_n_sources(s); i++) {
            const baiot_source_info *si = baiot_store_source(s, i);
            if (si->device != device)
                continue;
            if (!found)
                runs[0] = si->first_row;
            runs[1] = si->first_row + si->rows - runs[0];
            found = 1;
        }
        if (!found) {
            fprintf(stderr, "no rows of device %d\n", device + 1);
            baiot_store_close(s);
            return -1;
        }
    }
    double *col = malloc((size_t)(runs[1] > 0 ? runs[1] : 1) * sizeof *col);
    uint8_t *lab = malloc((size_t)(runs[1] > 0 ? runs[1] : 1));
    int ok = col && lab;
    for (int j = 0; ok && j < baiot_store_n_features(s); j++)
        ok = baiot_store_read_column(s, j, runs, 1, col) == BAIOT_OK;
    ok = ok && baiot_store_read_labels(s, "family", runs, 1, lab) == BAIOT_OK;
    double t = omp_get_wtime() - t0;
    *bytes = (double)runs[1] * (8.0 * baiot_store_n_features(s) + 1.0);
    if (!ok)
        fprintf(stderr, "%s\n", baiot_last_error());
    free(col);
    free(lab);
    baiot_store_close(s);
    return ok ? t : -1;
}

int main(int argc, char **argv)
{
    int runs = 5, device = -1;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--device") && i + 1 < argc)
            device = atoi(argv[++i]) - 1;
        else
            path = argv[i];
    }
    if (!path || runs < 1 || runs > 100) {
        fprintf(stderr, "usage: bench_store_read STORE [--runs 5] [--device N]\n");
        return 2;
    }
    double t[2][100], bytes = 0;
    for (int r = 0; r < runs; r++)
        for (int v = 1; v >= 0; v--)
            if ((t[v][r] = one_pass(path, v, device, &bytes)) < 0)
                return 1;
    for (int v = 1; v >= 0; v--) {
        qsort(t[v], (size_t)runs, sizeof(double), cmp_double);
        double med = t[v][runs / 2];
        printf("read %s: median %.3f s of %d (min %.3f, max %.3f), %.2f GB/s\n", v ? "checked  " : "unchecked",
               med, runs, t[v][0], t[v][runs - 1], bytes / med / 1e9);
    }
    return 0;
}
