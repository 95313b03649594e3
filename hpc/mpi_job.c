/*
 * mpi_job.c - the MPI side of a distributed baiot job: collective sums and
 * broadcasts over MPI_COMM_WORLD for the engine's units, and ending the
 * whole job when one rank fails.
 *
 * Guarantees: every operation is a collective called by all ranks in the
 * same order from the main thread; sums are MPI_Allreduce(MPI_SUM) of
 * values where each element has at most one non-zero contributor (so the
 * result is exact and independent of the reduction order); large arrays go
 * in pieces of at most 2^27 elements (MPI counts are ints).  A failing rank
 * prints "baiot: rank R of N: error: <message>", removes its temporary
 * files and calls MPI_Abort, which ends every rank: no hang.
 *
 * Fault injection for the tests: BAIOT_MPI_FAIL_RANK=r makes rank r fail
 * at its first collective operation.
 * Covered by tests/cli/test_mpi.py and tests/cli/test_slurm.sh.
 */
#include "hpc/mpi_job.h"

#include "baiot/dist.h"
#include "io/files/atomic_file.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#define PIECE ((int64_t)1 << 27)

static baiot_dist_ops ops;
static int fail_rank = -1;

static void abort_job(baiot_status st)
{
    const char *msg = baiot_last_error();
    fprintf(stderr, "baiot: rank %d of %d: error: %s\n", ops.rank, ops.size, *msg ? msg : baiot_strerror(st));
    fflush(stderr);
    baiot_atomic_file_remove_all_temporaries();
    MPI_Abort(MPI_COMM_WORLD, 1);
    exit(1); /* not reached */
}

static void maybe_inject(void)
{
    if (fail_rank == ops.rank) {
        fail_rank = -1;
        abort_job(baiot_fail(BAIOT_ERR_MPI, "injected fault (BAIOT_MPI_FAIL_RANK=%d)", ops.rank));
    }
}

static void check_mpi(int rc, const char *what)
{
    if (rc != MPI_SUCCESS) {
        char text[MPI_MAX_ERROR_STRING];
        int len = 0;
        MPI_Error_string(rc, text, &len);
        abort_job(baiot_fail(BAIOT_ERR_MPI, "%s: %s", what, text));
    }
}

/* In-place MPI_SUM over all ranks of n elements of type t (elem bytes). */
static void sum_all(void *v, int64_t n, MPI_Datatype t, size_t elem)
{
    maybe_inject();
    for (int64_t off = 0; off < n; off += PIECE) {
        int64_t len = n - off < PIECE ? n - off : PIECE;
        check_mpi(MPI_Allreduce(MPI_IN_PLACE, (char *)v + (size_t)off * elem, (int)len, t, MPI_SUM, MPI_COMM_WORLD),
                  "MPI_Allreduce");
    }
}

static void sum_i64(int64_t *v, int64_t n)
{
    sum_all(v, n, MPI_INT64_T, sizeof *v);
}

static void sum_f64(double *v, int64_t n)
{
    sum_all(v, n, MPI_DOUBLE, sizeof *v);
}

static void bcast(void *buf, int64_t n, int root)
{
    maybe_inject();
    for (int64_t off = 0; off < n; off += PIECE) {
        int64_t len = n - off < PIECE ? n - off : PIECE;
        check_mpi(MPI_Bcast((char *)buf + off, (int)len, MPI_BYTE, root, MPI_COMM_WORLD), "MPI_Bcast");
    }
}

int mpi_job_start(int *argc, char ***argv, int *rank)
{
    int provided = 0, size = 1;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    ops.rank = *rank;
    ops.size = size;
    ops.sum_i64 = sum_i64;
    ops.sum_f64 = sum_f64;
    ops.bcast = bcast;
    ops.abort_job = abort_job;
    const char *f = getenv("BAIOT_MPI_FAIL_RANK");
    if (f && *f)
        fail_rank = atoi(f);
    return size;
}

void mpi_job_spread(void)
{
    baiot_dist_set(&ops);
}

int mpi_job_finish(int exit_code)
{
    baiot_dist_set(NULL);
    MPI_Finalize();
    return exit_code;
}
