/*
 * cli_progress.c - shows the library's progress reports on stderr when it
 * is a terminal: one line, rewritten at most five times a second, with the
 * stage, done/total in the stage's unit, the rate and an estimate of the
 * time left.  Nothing when stderr is not a terminal or with --quiet.  Safe
 * to call from any thread (one mutex, held only while printing).
 * Only the non-terminal case is tested (tests/cli/test_study.py: nothing on
 * a non-terminal stderr); the terminal display has no automated test.
 */
#include "baiot/progress.h"
#include "cli.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const char *cur_stage;
static double stage_start, last_print;
static int line_open;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show(const char *stage, const char *unit, int64_t done, int64_t total, void *user)
{
    (void)user;
    double t = now();
    pthread_mutex_lock(&lock);
    if (stage != cur_stage && (!cur_stage || strcmp(stage, cur_stage) != 0)) {
        cur_stage = stage;
        stage_start = t;
        last_print = 0;
    }
    int finished = total > 0 && done >= total;
    if (t - last_print >= 0.2 || finished) {
        double el = t - stage_start;
        char rate[64] = "", left[64] = "";
        if (unit && done > 0 && el > 0.05) {
            snprintf(rate, sizeof rate, ", %.3g %s/s", (double)done / el, unit);
            if (total > done)
                snprintf(left, sizeof left, ", about %.0f s left", el * (double)(total - done) / (double)done);
        }
        if (unit && total > 0)
            fprintf(stderr, "\r\033[K%s: %lld/%lld %s%s%s", stage, (long long)done, (long long)total, unit, rate,
                    left);
        else if (unit)
            fprintf(stderr, "\r\033[K%s: %lld %s%s", stage, (long long)done, unit, rate);
        else
            fprintf(stderr, "\r\033[K%s ...", stage);
        fflush(stderr);
        line_open = 1;
        last_print = t;
    }
    pthread_mutex_unlock(&lock);
}

void cli_setup_progress(int quiet)
{
    if (!quiet && isatty(STDERR_FILENO))
        baiot_set_progress(show, NULL);
}

void cli_end_progress(void)
{
    pthread_mutex_lock(&lock);
    if (line_open)
        fputs("\r\033[K", stderr);
    line_open = 0;
    cur_stage = NULL;
    pthread_mutex_unlock(&lock);
    fflush(stderr);
}
