/*
 * cli_common.c - the options every command spells and means the same way
 * (docs/CLI.md): -q/--quiet, -v/--verbose, --threads N, --force, --json,
 * -h/--help; and the inputs that are not plain files: `-` (standard input)
 * and pipes, FIFOs or process substitutions, each read exactly once into a
 * private temporary file whose name keeps the format (`stdin.arff`,
 * `stdin.csv`, `stdin.h5`: sniffed from the first bytes), removed at exit
 * and on SIGINT/SIGTERM.
 * Guarantees: an option a command does not list is refused by getopt (exit
 * 2); --threads never changes a result (only the OpenMP team size);
 * without --force an existing output file is never replaced.
 * Covered by tests/cli/test_cli_contract.py (every command walked) and
 * tests/cli/test_outputs.py (--force, `-`).
 */
#include "cli.h"

#include "io/files/output_policy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double started;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_common_default(cli_common *o)
{
    memset(o, 0, sizeof *o);
    started = now();
}

int cli_common_opt(const char *cmd, int c, const char *arg, cli_common *o)
{
    switch (c) {
    case 'q': o->quiet = 1; return 1;
    case 'v': o->verbose = 1; return 1;
    case CLI_COMMON_FORCE: o->force = 1; return 1;
    case CLI_COMMON_JSON: o->json = 1; return 1;
    case CLI_COMMON_THREADS: return cli_arg_int(cmd, "--threads", arg, 1, 4096, &o->threads) ? -1 : 1;
    default: return 0;
    }
}

int cli_common_start(const char *cmd, const cli_common *o)
{
    if (o->quiet && o->verbose)
        return cli_usage_error(cmd, "--quiet and --verbose contradict each other");
    if (o->threads > 0)
        omp_set_num_threads(o->threads);
    baiot_set_output_force(o->force);
    cli_setup_log(o->verbose, o->quiet);
    cli_setup_progress(o->quiet || o->verbose || o->json);
    started = now();
    return 0;
}

void cli_common_finish(const char *cmd, const cli_common *o, int code)
{
    if (o->verbose)
        fprintf(stderr, "baiot %s: %s in %.3f s (%d threads)\n", cmd, code ? "failed" : "done", now() - started,
                omp_get_max_threads());
}

int cli_output_free(const char *cmd, const char *path)
{
    if (!path || !strcmp(path, "-"))
        return 0;
    baiot_status st = baiot_output_check(path, BAIOT_REPLACE_POLICY);
    return st ? cli_report(cmd, st) : 0;
}

/* ---- inputs that can be read only once ---- */

#define MAX_SPOOLED 8
static char spool_dir[64];
static char *spooled[MAX_SPOOLED];
static int n_spooled;

void cli_inputs_cleanup(void)
{
    /* async-signal-safe: unlink and rmdir only */
    for (int i = 0; i < n_spooled; i++)
        if (spooled[i])
            unlink(spooled[i]);
    if (spool_dir[0])
        rmdir(spool_dir);
}

/* The extension the content says: an HDF5 signature, an ARFF header (after
 * comments and blank lines), else CSV. */
static const char *sniff(const unsigned char *b, size_t n)
{
    static const unsigned char hdf5[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (n >= 8 && !memcmp(b, hdf5, 8))
        return "h5";
    size_t i = 0;
    while (i < n) {
        while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
            i++;
        if (i < n && b[i] == '%') {
            while (i < n && b[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    return i < n && b[i] == '@' ? "arff" : "csv";
}

int cli_input(const char *cmd, const char *arg, const char **path)
{
    struct stat sb;
    *path = arg;
    int is_stdin = !strcmp(arg, "-");
    if (!is_stdin) {
        if (stat(arg, &sb) != 0 || S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode) || S_ISBLK(sb.st_mode)) {
            baiot_output_note_input(arg); /* no output of this run may replace it */
            return 0; /* a plain file (or an error the reader will name) */
        }
    }
    if (n_spooled == MAX_SPOOLED)
        return cli_report(cmd, baiot_fail(BAIOT_ERR_ARG, "too many inputs from pipes in one command"));
    int in = is_stdin ? STDIN_FILENO : open(arg, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return cli_report(cmd, baiot_fail(BAIOT_ERR_IO, "cannot open '%s': %s", arg, strerror(errno)));
    if (!spool_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(spool_dir, sizeof spool_dir, "%s/baiot-input-XXXXXX",
                 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
        if (!mkdtemp(spool_dir)) {
            spool_dir[0] = '\0';
            if (!is_stdin)
                close(in);
            return cli_report(cmd, baiot_fail(BAIOT_ERR_IO, "cannot make a temporary folder for '%s': %s", arg,
                                              strerror(errno)));
        }
    }
    unsigned char *buf = malloc(1 << 16);
    size_t have = 0;
    ssize_t k;
    while (buf && have < 4096 && (k = read(in, buf + have, (1 << 16) - have)) > 0)
        have += (size_t)k;
    char name[160];
    snprintf(name, sizeof name, "%s/%s%d.%s", spool_dir, is_stdin ? "stdin" : "pipe", n_spooled,
             buf ? sniff(buf, have) : "csv");
    char *keep = strdup(name);
    int out = keep && buf ? open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
    int err = out < 0 ? (errno ? errno : ENOMEM) : 0;
    if (out >= 0) {
        spooled[n_spooled++] = keep;
        keep = NULL;
        for (;;) {
            if (have) {
                size_t off = 0;
                while (off < have) {
                    ssize_t w = write(out, buf + off, have - off);
                    if (w < 0) {
                        if (errno == EINTR)
                            continue;
                        err = errno;
                        break;
                    }
                    off += (size_t)w;
                }
                if (err)
                    break;
            }
            k = read(in, buf, 1 << 16);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                err = errno;
            if (k <= 0)
                break;
            have = (size_t)k;
        }
        if (close(out) != 0 && !err)
            err = errno;
    }
    free(keep);
    free(buf);
    if (!is_stdin)
        close(in);
    if (err)
        return cli_report(cmd, baiot_fail(BAIOT_ERR_IO, "cannot read '%s' into a temporary file: %s",
                                          is_stdin ? "standard input" : arg, strerror(err)));
    *path = spooled[n_spooled - 1];
    return 0;
}
