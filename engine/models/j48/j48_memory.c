/*
 * j48_memory.c - fitting a J48 job into a memory limit
 * (baiot_j48_memory_plan_make): the tree on all rows and a k-fold
 * cross-validation over one presort, as `baiot j48` and the study run
 * them.  From the view's size it counts what every way of running holds
 * (the view, the presort and its build, the folds and predictions, each
 * training's per-row arrays and its column arrays, 9 bytes per row per
 * column) and picks the first that fits: folds side by side, as many as
 * threads; fewer side by side; one fold at a time with every thread;
 * then one fold at a time within a column budget (column_memory: the
 * large nodes grown from the presort, j48_grow_lean.c).  When even the
 * data, the presort and one training's rows do not fit, it says so with
 * the figures.  The plan changes how the work is laid out, never a
 * result (trees and cross-validations are identical for any plan).
 *
 * The counts are estimates of the allocations, plus an allowance for
 * the program, the libraries and the allocator (PROGRAM_BYTES and a
 * 32nd of the data: measured on the simulated camera, where the
 * resident peak came 1.5% over the allocations counted);
 * `--memory-limit`'s default leaves a tenth of the available memory
 * besides.  Covered by
 * tests/unit/test_j48_memory.c (the plan's choices and message) and
 * tests/cli/test_j48_memory.py (the CLI: identical output under a limit
 * that forces the lean path, and the refusal).
 */
#include "engine/models/j48/j48_internal.h"

#include <stdio.h>
#include <string.h>

/* Per-row bytes of a training besides its column arrays (j48_train.c:
 * rows with a class, instance rows, weights, lnfunc table, classes, goes,
 * perm) and per scratch set (search and partition buffers). */
enum { TRAIN_ROW_BYTES = 8 + 8 + 8 + 8 + 1 + 1 + 4, SCRATCH_ROW_BYTES = 8 + 4 + 1 + 4 };
#define PROGRAM_BYTES ((int64_t)96 << 20)

static int64_t training_rows_bytes(int64_t m, int64_t n_view, int n_scratch)
{
    /* inst and ninst are per view row; the fold's predictions slot too */
    return m * (TRAIN_ROW_BYTES + (int64_t)SCRATCH_ROW_BYTES * n_scratch) + n_view * 12;
}

static double gib(int64_t b) { return (double)b / (1024.0 * 1024.0 * 1024.0); }

baiot_status baiot_j48_memory_plan_make(const baiot_view *v, int folds, int tree, int threads, int64_t limit,
                                        baiot_j48_memory_plan *P)
{
    int64_t n = v->n_rows;
    int c = v->n_cols;
    if (threads < 1)
        threads = 1;
    memset(P, 0, sizeof *P);
    P->limit = limit;
    P->data = n * (int64_t)c * 8 + n * 4;
    P->data += P->data / 32 + PROGRAM_BYTES; /* see the top */
    P->presort = n * (int64_t)c * 9;
    P->eval = folds > 1 ? n * 8 * (int64_t)folds + n * (int64_t)v->n_classes * 8 : 0;
    int64_t m_fold = folds > 1 ? n - n / folds : 0;
    P->fold_columns = baiot_j48_column_bytes(m_fold, c);
    P->tree_columns = baiot_j48_column_bytes(n, c);
    P->presort_threads = threads;
    P->concurrency = folds > 1 ? (threads < folds ? threads : folds) : 1;
    if (limit <= 0) { /* no limit: as many side by side as threads */
        P->peak = P->data + P->presort + P->eval +
                  P->concurrency * (P->fold_columns + training_rows_bytes(m_fold, n, P->concurrency > 1 ? 1 : threads));
        return BAIOT_OK;
    }
    /* the presort's build: per thread a sort workspace and a value buffer */
    while (P->presort_threads > 1 && P->data + P->presort + (int64_t)P->presort_threads * n * 36 > limit)
        P->presort_threads--;
    int64_t base = P->data + P->presort, need = base + n * 36;
    if (need > limit)
        goto too_small;
    /* the tree on all rows (trained before the folds, kept during them) */
    if (tree) {
        int64_t rows = training_rows_bytes(n, n, threads);
        if (base + rows + P->tree_columns > limit)
            P->tree_column_memory = limit - base - rows;
        if (P->tree_column_memory < 0) {
            need = base + rows;
            goto too_small;
        }
    }
    if (folds > 1) {
        base += P->eval;
        for (; P->concurrency >= 1; P->concurrency--) {
            int n_scratch = P->concurrency > 1 ? 1 : threads;
            int64_t each = P->fold_columns + training_rows_bytes(m_fold, n, n_scratch);
            if (base + P->concurrency * each <= limit)
                break;
        }
        if (P->concurrency < 1) { /* one fold at a time, its columns within a budget */
            int64_t rows = training_rows_bytes(m_fold, n, threads);
            P->concurrency = 1;
            P->fold_column_memory = limit - base - rows;
            if (P->fold_column_memory <= 0) {
                need = base + rows;
                goto too_small;
            }
        }
    }
    {
        int n_scratch = P->concurrency > 1 ? 1 : threads;
        int64_t cols = P->fold_column_memory > 0 ? P->fold_column_memory : P->fold_columns;
        int64_t tcols = P->tree_column_memory > 0 ? P->tree_column_memory : P->tree_columns;
        int64_t folds_peak = folds > 1 ? base + P->concurrency * (cols + training_rows_bytes(m_fold, n, n_scratch)) : 0;
        int64_t tree_peak = tree ? P->data + P->presort + tcols + training_rows_bytes(n, n, threads) : 0;
        P->peak = folds_peak > tree_peak ? folds_peak : tree_peak;
    }
    return BAIOT_OK;
too_small:
    return baiot_fail(BAIOT_ERR_MEMORY,
                      "J48 on %lld rows x %d columns needs at least %.2f GiB before any column arrays (the data %.2f "
                      "GiB, its presort %.2f GiB, the cross-validation %.2f GiB, a training's rows), over the memory "
                      "limit of %.2f GiB: raise --memory-limit, or use fewer rows or columns",
                      (long long)n, c, gib(need), gib(P->data), gib(P->presort), gib(P->eval), gib(limit));
}
