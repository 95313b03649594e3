/*
 * main.c - the `baiot` program: git-style subcommands over the library.
 *
 * `baiot --help`, `baiot --version`, `baiot <command> --help`.  Each
 * command lives in its own cli_<command>.c; this file holds the table, the
 * shared error reporting and the log sink.  Exit codes: 0 success, 1
 * failure, 2 bad command line.
 * Covered by tests/cli/test_cli_numbers.py (usage errors, exit code 2),
 * tests/cli/test_ingest_errors.py (failures, exit code 1) and
 * tests/cli/test_checked_reads.py (--no-verify); --help and --version have
 * no test.
 */
#include "cli.h"

#include "baiot/dist.h"
#include "io/files/atomic_file.h"
#include "io/files/atomic_dir.h"
#include "io/text/json.h"
#ifdef BAIOT_WITH_MPI
#include "hpc/mpi_job.h"
#endif

#include <malloc.h>
#include <signal.h>
#include <unistd.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct command {
    const char *name;
    cli_command_fn fn;
    const char *summary;
    int spreads; /* under MPI: splits its work over the ranks (else rank 0 runs it alone) */
} command;

static const command commands[] = {
    {"ingest", cmd_ingest, "read N-BaIoT CSV files, folders and archives into an HDF5 store", 0},
    {"info", cmd_info, "describe a store or an ARFF file", 0},
    {"export", cmd_export, "write a selection of a store as ARFF or CSV", 0},
    {"extract", cmd_extract, "compute N-BaIoT features of a pcap/pcapng capture", 0},
    {"em", cmd_em, "Weka's EM clusterer, with classes-to-clusters evaluation", 0},
    {"folds", cmd_folds, "write Weka's cross-validation fold of every row (for other tools)", 0},
    {"oner", cmd_oner, "Weka's OneR classifier with its cross-validation", 0},
    {"j48", cmd_j48, "Weka's J48 decision tree with its cross-validation", 0},
    {"predict", cmd_predict, "apply a saved model to a store, ARFF or CSV", 0},
    {"rank", cmd_rank, "rank the columns by OneR cross-validated accuracy (Weka's OneRAttributeEval)", 1},
    {"verify", cmd_verify, "check a store's structure and column checksums", 0},
    {"run", cmd_run, "the study's pipeline on one data set: rank, J48, EM, report with plots", 1},
    {"bulk", cmd_bulk, "the study's pipeline for every device of a store, with a summary", 1},
    {"detect", cmd_detect, "N-BaIoT's anomaly detector for one device, trained on benign traffic only", 0},
    {"demo", cmd_demo, "simulate the study's camera and run the pipeline on it (no data needed)", 0},
    {"watch", cmd_watch, "detect botnet traffic live: interface, capture or folder through the models", 0},
    {"synth", cmd_synth, "simulate the nine devices' traffic into a store (the default data)", 0},
};

static void print_help(FILE *f)
{
    fprintf(f, "usage: baiot <command> [options]\n\n"
               "baiot detects IoT botnet traffic in N-BaIoT data: an HDF5 column store,\n"
               "Weka-identical models, parallel kernels.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'baiot <command> --help' describes a command's options.\n"
               "'baiot --version' prints the version.\n"
               "Every command checks the store columns it reads against their CRC-32s;\n"
               "--no-verify (any command) or BAIOT_NO_VERIFY=1 skips that check.\n");
}

/* Writes a message with every control byte (but the final newline's) and
 * every byte that is not valid UTF-8 shown as \xNN, so a file name with an
 * escape sequence or a gzip header cannot drive the terminal. */
void cli_write_escaped(FILE *f, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c;) {
        size_t n = baiot_utf8_valid_length(c);
        if (n == 1 && *c >= 0x20 && *c != 0x7f) {
            fputc(*c, f);
        } else if (n > 1) {
            fwrite(c, 1, n, f);
            c += n;
            continue;
        } else if (*c == '\t') {
            fputs("\\t", f);
        } else if (*c == '\n') {
            fputs("\\n", f);
        } else if (*c == '\r') {
            fputs("\\r", f);
        } else {
            fprintf(f, "\\x%02x", *c);
        }
        c++;
    }
}

int cli_report(const char *cmd, baiot_status st)
{
    const char *msg = baiot_last_error();
    if (baiot_dist_rank() != 0) /* every rank meets the same failure; rank 0 tells it */
        return st == BAIOT_ERR_ARG ? EXIT_USAGE : 1;
    fprintf(stderr, "baiot %s: error: ", cmd);
    cli_write_escaped(stderr, *msg ? msg : baiot_strerror(st));
    fputc('\n', stderr);
    return st == BAIOT_ERR_ARG ? EXIT_USAGE : 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "baiot %s: ", cmd);
    cli_write_escaped(stderr, buf);
    fprintf(stderr, "\n(see 'baiot %s --help')\n", cmd);
    return EXIT_USAGE;
}

static void log_to_stderr(baiot_log_level level, const char *message, void *user)
{
    int verbose = *(int *)user;
    if (level == BAIOT_LOG_ERROR || (level == BAIOT_LOG_INFO && verbose >= 1) || verbose >= 2) {
        cli_write_escaped(stderr, message);
        fputc('\n', stderr);
    }
}

void cli_setup_log(int verbose, int quiet)
{
    static int level;
    level = quiet ? -1 : verbose;
    baiot_set_log(log_to_stderr, &level);
}

/* SIGINT / SIGTERM: remove the temporary files of outputs in progress (the
 * destinations are untouched: they are only ever replaced by a rename) and
 * exit at once with 128 + the signal (130, 143). */
static void on_signal(int sig)
{
    baiot_atomic_file_remove_all_temporaries();
    baiot_atomic_dir_remove_all_temporaries();
    cli_inputs_cleanup();
    _exit(128 + sig);
}

/* Runs a command; in the MPI build under mpirun/srun with several ranks,
 * the commands that spread their work run on every rank (rank 0 prints and
 * writes; the others' standard output is discarded) and the others run on
 * rank 0 alone. */
static int run_command(const command *c, int argc, char **argv)
{
#ifdef BAIOT_WITH_MPI
    int rank = 0;
    int size = mpi_job_start(&argc, &argv, &rank);
    if (size > 1) {
        if (c->spreads) {
            mpi_job_spread();
            if (rank != 0 && !freopen("/dev/null", "w", stdout))
                return mpi_job_finish(1);
        } else if (rank != 0) {
            return mpi_job_finish(0);
        }
    }
    return mpi_job_finish(c->fn(argc - 1, argv + 1));
#else
    return c->fn(argc - 1, argv + 1);
#endif
}

/* Ends the process once a command is done: every output is closed by then,
 * so only the standard streams are flushed and the libraries' exit-time
 * destructors are skipped.  OpenBLAS's (pthread build) joins its worker
 * threads, and a worker that could not get its buffer under a memory limit
 * (ulimit -v) never comes back: baiot would print "out of memory" and then
 * hang.  Sanitizer builds exit normally, so the leak check still runs. */
/* The exit code once stdout is flushed: a command whose output could not
 * be written (a full disk, a closed pipe's EIO, /dev/full) has failed,
 * whatever it computed, and says so on stderr. */
static int stdout_checked(int code)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno ? errno : EIO;
        fprintf(stderr, "baiot: error: cannot write the output: %s\n", strerror(e));
        code = code ? code : 1;
    }
    /* messages that could not be written (2>/dev/full) fail the run too:
     * nothing else can tell the user */
    if (fflush(stderr) != 0 || ferror(stderr))
        code = code ? code : 1;
    return code;
}

static int leave(int code)
{
    code = stdout_checked(code);
    cli_inputs_cleanup();
#if defined(__SANITIZE_ADDRESS__)
    return code;
#else
    fflush(stderr);
    _exit(code);
#endif
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* Past a file size limit (ulimit -f) a write should fail with EFBIG and
     * take the error path that removes the temporary file, not kill us. */
    signal(SIGXFSZ, SIG_IGN);
    /* Outputs (io/files/output_policy.h): never an input of the run, never a
     * device node, FIFO or folder, and an existing file is replaced only
     * with --force (cli_common_start sets it per command; docs/CLI.md). */
    baiot_set_output_force(0);
    /* Large buffers (HDF5 chunks, parse blocks) come and go all the time:
     * keep them on the heap instead of a fresh mmap (and page faults) each. */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    cli_take_no_verify(&argc, argv); /* any command: store reads unchecked */
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    /* `baiot help CMD` is `baiot CMD --help` */
    if (!strcmp(argv[1], "help") && argc >= 3)
        for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
            if (!strcmp(argv[2], commands[i].name)) {
                char *args[] = {argv[0], argv[2], "--help", NULL};
                return leave(run_command(&commands[i], 3, args));
            }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        print_help(stdout);
        return stdout_checked(0);
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("baiot %s (commit %s)\n", baiot_version(), baiot_git_commit());
        return stdout_checked(0);
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return leave(run_command(&commands[i], argc, argv));
    fprintf(stderr, "baiot: unknown command '%s'\n\n", argv[1]);
    print_help(stderr);
    return EXIT_USAGE;
}
