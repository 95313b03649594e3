/*
 * bench/stream.c - this machine's floors for docs/PERFORMANCE.md: memory
 * bandwidth measured with STREAM's four loops (copy, scale, add, triad) on
 * arrays far larger than the caches, and the rate of sorting doubles
 * (qsort and the engine's radix key sort), with 1 thread and all threads.
 * Each figure is the best of 5 repetitions (STREAM's convention).
 * Usage: build/bench_stream [--mb N]   (default 256 MB per array)
 * Prints one "name value unit" line per figure (read by bench/run).
 */
#include "kernels/sort_keys.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double best_of(double *times, int n)
{
    double b = times[0];
    for (int i = 1; i < n; i++)
        if (times[i] < b)
            b = times[i];
    return b;
}

static void stream(double *a, double *b, double *c, int64_t n, int threads)
{
    enum { REPS = 5 };
    double t[4][REPS];
    const double s = 3.0;
    for (int r = 0; r < REPS; r++) {
        double t0 = omp_get_wtime();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int64_t i = 0; i < n; i++)
            c[i] = a[i];
        double t1 = omp_get_wtime();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int64_t i = 0; i < n; i++)
            b[i] = s * c[i];
        double t2 = omp_get_wtime();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int64_t i = 0; i < n; i++)
            c[i] = a[i] + b[i];
        double t3 = omp_get_wtime();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int64_t i = 0; i < n; i++)
            a[i] = b[i] + s * c[i];
        double t4 = omp_get_wtime();
        t[0][r] = t1 - t0;
        t[1][r] = t2 - t1;
        t[2][r] = t3 - t2;
        t[3][r] = t4 - t3;
    }
    static const char *names[4] = {"copy", "scale", "add", "triad"};
    static const int arrays[4] = {2, 2, 3, 3};
    for (int k = 0; k < 4; k++)
        printf("stream_%s_%dt %.1f MB/s\n", names[k], threads,
               (double)arrays[k] * (double)n * sizeof(double) / best_of(t[k], REPS) / 1e6);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static void sorting(int64_t n)
{
    double *v = malloc((size_t)n * sizeof *v), *w = malloc((size_t)n * sizeof *w);
    uint64_t state = 88172645463325252ull;
    for (int64_t i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        v[i] = (double)(state >> 11) * 0x1.0p-53 * 1e6;
    }
    memcpy(w, v, (size_t)n * sizeof *w);
    double t0 = omp_get_wtime();
    qsort(w, (size_t)n, sizeof *w, cmp_double);
    double t1 = omp_get_wtime();
    printf("sort_qsort_1t %.1f Mvalues/s\n", (double)n / (t1 - t0) / 1e6);
    int32_t *idx = malloc((size_t)n * sizeof *idx), *tmp = malloc((size_t)n * sizeof *tmp);
    uint64_t *keys = malloc((size_t)n * 2 * sizeof *keys);
    uint32_t *counts = malloc((size_t)65536 * 4 * sizeof *counts);
    double times[5];
    for (int r = 0; r < 5; r++) {
        for (int64_t i = 0; i < n; i++)
            idx[i] = (int32_t)i;
        double s0 = omp_get_wtime();
        baiot_sort_by_value(v, idx, n, keys, tmp, counts);
        times[r] = omp_get_wtime() - s0;
    }
    printf("sort_radix_1t %.1f Mvalues/s\n", (double)n / best_of(times, 5) / 1e6);
    free(v);
    free(w);
    free(idx);
    free(tmp);
    free(keys);
    free(counts);
}

int main(int argc, char **argv)
{
    int64_t mb = 256;
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--mb"))
            mb = atoll(argv[i + 1]);
    int64_t n = mb * 1000000 / (int64_t)sizeof(double);
    double *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b), *c = malloc((size_t)n * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "bench_stream: out of memory for 3 x %lld MB\n", (long long)mb);
        return 1;
    }
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) {
        a[i] = 1.0;
        b[i] = 2.0;
        c[i] = 0.0;
    }
    stream(a, b, c, n, 1);
    stream(a, b, c, n, omp_get_max_threads());
    free(a);
    free(b);
    free(c);
    sorting(828260);
    return 0;
}
