/*
 * mpi_job.h - baiot as an MPI job (built with -DBAIOT_MPI=ON): starting
 * and ending MPI, and the distribution (include/baiot/dist.h) the engine
 * uses to spread units over the ranks.
 * Covered by tests/cli/test_mpi.py and tests/cli/test_slurm.sh.
 */
#ifndef BAIOT_HPC_MPI_JOB_H
#define BAIOT_HPC_MPI_JOB_H

/* MPI_Init_thread (MPI calls from the main thread only).  Returns the
 * number of ranks; *rank receives this one's. */
int mpi_job_start(int *argc, char ***argv, int *rank);

/* Installs the distribution over all ranks (for the commands that split
 * their work). */
void mpi_job_spread(void);

/* MPI_Finalize; returns exit_code. */
int mpi_job_finish(int exit_code);

#endif
