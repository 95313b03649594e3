/*
 * cli_watch.c - `baiot watch`: live detection of botnet traffic
 * (docs/WATCH.md).  Packets from an interface, a capture file or stream,
 * or a followed folder go through the N-BaIoT extractor and the model(s)
 * (include/baiot/watch.h); this file turns the engine's events into
 * lines: alerts and back-to-normal lines (JSON with --json or in
 * --alerts FILE, following docs/schema/watch-alert.schema.json; a human
 * line otherwise), statistics (--stats S), warnings, and a summary on
 * exit.  SIGINT and SIGTERM end the run cleanly: the rows in flight are
 * scored, the summary printed, exit 0 (a second signal exits at once,
 * 130/143).  Covered by tests/cli/test_watch.py and
 * tests/cli/test_cli_contract.py.
 */
#include "baiot/watch.h"
#include "io/text/json.h"
#include "cli.h"

#include <cblas.h>
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: baiot watch (--interface IF | --pcap FILE|- | --follow DIR) --model [DEVICE=]MODEL...\n"
    "                   [--device-map FILE] [--filter BPF] [--window N] [--alerts FILE]\n"
    "                   [--stats SECONDS] [options]\n\n"
    "Watches traffic for botnet activity (docs/WATCH.md): every packet's 115 N-BaIoT\n"
    "features (the extractor of `baiot extract`, identical numbers), then its\n"
    "device's model: a detector (baiot detect: score, flag over tr*, majority vote of\n"
    "the last ws* flags) or a J48/OneR classifier (class, probability).  One line per\n"
    "alert (a device's window starts alarming) and per return to normal; a summary\n"
    "on exit.  Ctrl-C (SIGINT) or SIGTERM ends it cleanly (exit 0).\n\n"
    "sources (exactly one):\n"
    "      --interface IF      capture live on IF through libpcap (needs CAP_NET_RAW)\n"
    "      --pcap FILE         a pcap/pcapng file; '-': the standard input, streamed\n"
    "      --follow DIR        rotating captures in DIR, in name order, each once it is\n"
    "                          complete (a later file exists, or unchanged for --settle)\n"
    "models:\n"
    "      --model [DEV=]MODEL a detector or classifier file (repeat with a device map);\n"
    "                          DEV defaults to the detector's device\n"
    "      --device-map FILE   lines 'ADDRESS DEVICE': source MAC or IP -> device; rows\n"
    "                          of other sources are extracted but not scored\n"
    "      --window N          votes per device (default: the detector's ws*; 1 for a\n"
    "                          classifier)\n"
    "outputs:\n"
    "      --alerts FILE       alert and normal lines (JSON) to FILE instead of stdout\n"
    "      --rows FILE         every scored row as CSV (row,device,score,flag,\n"
    "                          window_alarm; classifiers: class and probability)\n"
    "      --stats SECONDS     statistics every SECONDS (packets, rate, drops, streams)\n"
    "capture:\n"
    "      --filter BPF        live: a BPF filter (tcpdump syntax)\n"
    "      --snaplen BYTES     live: bytes kept per packet (default 256: headers)\n"
    "      --buffer-size BYTES live: kernel buffer (default 33554432)\n"
    "      --no-promisc        live: do not put the interface in promiscuous mode\n"
    "      --settle SECONDS    follow: unchanged time that completes a file (default 2)\n"
    "extractor memory bound:\n"
    "      --max-streams N     streams kept before idle ones are dropped (default 4000000)\n"
    "      --idle-cutoff S     idle seconds that let a stream be dropped (as extract)\n"
    "      --batch N           rows per scoring batch (default 128)\n"
    "      --threads N         1: capture, extraction and scoring on one thread; 2 or\n"
    "                          more (the default on 2+ cores): scoring on a second\n"
    "                          thread (the same output)\n"
    "      --json              JSON lines on stdout: alerts, statistics, warnings, summary\n"
    CLI_HELP_FORCE CLI_HELP_QV CLI_HELP_HELP;

enum {
    OPT_IFACE = 256, OPT_PCAP, OPT_FOLLOW, OPT_MODEL, OPT_MAP, OPT_FILTER, OPT_WINDOW, OPT_ALERTS, OPT_ROWS,
    OPT_STATS, OPT_SNAPLEN, OPT_BUFSIZE, OPT_NOPROMISC, OPT_SETTLE, OPT_MAXSTREAMS, OPT_IDLE, OPT_BATCH
};

#define MAX_MODEL_ARGS 64

static volatile int stop_flag;

static void on_stop(int sig)
{
    if (stop_flag)
        _exit(128 + sig); /* a second signal: at once */
    stop_flag = sig;
}

typedef struct out_ctx {
    int json, quiet, human_alerts;
    FILE *alerts;   /* JSON lines of alerts (stdout or --alerts) or NULL */
    FILE *rows;
    int rows_header, rows_classifier;
} out_ctx;

static void iso_time(double t, char *buf, size_t n)
{
    time_t s = (time_t)floor(t);
    struct tm tm;
    gmtime_r(&s, &tm);
    size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + k, n - k, ".%06dZ", (int)((t - floor(t)) * 1e6));
}

static void num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.17g", x);
    else
        fputs("null", f);
}

static void stats_json(FILE *f, const baiot_watch_stats *s)
{
    fprintf(f, "\"packets\": %lld, \"rows\": %lld, \"skipped\": %lld, \"unmapped\": %lld, \"flagged\": %lld, "
               "\"alerts\": %lld, \"normals\": %lld, \"dropped\": %lld, \"streams\": %lld, \"max_streams\": %lld, "
               "\"files\": %lld",
            (long long)s->packets, (long long)s->rows, (long long)s->skipped, (long long)s->unmapped,
            (long long)s->flagged, (long long)s->alerts, (long long)s->normals, (long long)s->dropped,
            (long long)s->streams, (long long)s->max_streams, (long long)s->files);
}

static void alert_json(FILE *f, const baiot_watch_event *e)
{
    char iso[64];
    iso_time(e->time, iso, sizeof iso);
    fprintf(f, "{\"type\": \"%s\", \"time\": ", e->kind == BAIOT_WATCH_ALERT ? "alert" : "normal");
    num(f, e->time);
    fprintf(f, ", \"iso_time\": \"%s\", \"row\": %lld, \"device\": ", iso, (long long)e->row);
    baiot_json_write_string(f, e->device);
    fprintf(f, ", \"model\": \"%s\", \"src\": \"%s\", \"dst\": \"%s\", \"src_mac\": \"%s\", \"verdict\": ", e->model,
            e->src, e->dst, e->src_mac);
    baiot_json_write_string(f, e->verdict);
    fputs(", \"score\": ", f);
    num(f, e->score);
    fputs(", \"threshold\": ", f);
    num(f, e->threshold);
    fputs(", \"probability\": ", f);
    num(f, e->probability);
    fprintf(f, ", \"window\": {\"size\": %d, \"flagged\": %d}}\n", e->window, e->window_flags);
}

static int on_event(void *ctx, const baiot_watch_event *e)
{
    out_ctx *o = ctx;
    char iso[64];
    switch (e->kind) {
    case BAIOT_WATCH_ALERT:
    case BAIOT_WATCH_NORMAL:
        if (o->alerts) {
            alert_json(o->alerts, e);
            if (fflush(o->alerts) != 0)
                return 1;
        }
        if (o->human_alerts) {
            iso_time(e->time, iso, sizeof iso);
            if (e->kind == BAIOT_WATCH_NORMAL)
                printf("%s NORMAL %s: back to normal (%d of %d in the window flagged)\n", iso, e->device,
                       e->window_flags, e->window);
            else if (isfinite(e->score))
                printf("%s ALERT %s: %s -> %s (%s): anomaly, score %.6g > %.6g, %d of %d in the window\n", iso,
                       e->device, e->src, e->dst, e->src_mac, e->score, e->threshold, e->window_flags, e->window);
            else
                printf("%s ALERT %s: %s -> %s (%s): %s (p = %.4f), %d of %d in the window\n", iso, e->device, e->src,
                       e->dst, e->src_mac, e->verdict, e->probability, e->window_flags, e->window);
            if (fflush(stdout) != 0)
                return 1;
        }
        return 0;
    case BAIOT_WATCH_STATS:
        if (o->json) {
            printf("{\"type\": \"stats\", \"elapsed\": %.3f, \"packets_per_second\": %.1f, ", e->stats.seconds,
                   e->stats.seconds > 0 ? (double)e->stats.packets / e->stats.seconds : 0.0);
            stats_json(stdout, &e->stats);
            printf("}\n");
            return fflush(stdout) != 0;
        }
        if (!o->quiet)
            fprintf(stderr, "baiot watch: %.0f s: %lld packets (%.0f/s), %lld dropped, %lld alerts, %lld of at most "
                            "%lld streams\n",
                    e->stats.seconds, (long long)e->stats.packets,
                    e->stats.seconds > 0 ? (double)e->stats.packets / e->stats.seconds : 0.0,
                    (long long)e->stats.dropped, (long long)e->stats.alerts, (long long)e->stats.streams,
                    (long long)e->stats.max_streams);
        return 0;
    case BAIOT_WATCH_WARNING:
        if (o->json) {
            printf("{\"type\": \"warning\", \"message\": ");
            baiot_json_write_string(stdout, e->message);
            printf("}\n");
            if (fflush(stdout) != 0)
                return 1;
        }
        if (!o->quiet) {
            fputs("baiot watch: warning: ", stderr);
            cli_write_escaped(stderr, e->message);
            fputc('\n', stderr);
        }
        return 0;
    }
    return 0;
}

static int on_row(void *ctx, int64_t row, const char *device, double score, int flag, const char *cls,
                  double probability, int window_alarm)
{
    out_ctx *o = ctx;
    if (row == 0) /* a batch ended */
        return fflush(o->rows) != 0;
    if (!o->rows_header) {
        o->rows_classifier = cls != NULL;
        fputs(cls ? "row,device,predicted,probability,flag,window_alarm\n" : "row,device,score,flag,window_alarm\n",
              o->rows);
        o->rows_header = 1;
    }
    if (cls)
        fprintf(o->rows, "%lld,%s,%s,%.17g,%d,%s\n", (long long)row, device, cls, probability, flag,
                window_alarm < 0 ? "" : window_alarm ? "1" : "0");
    else
        fprintf(o->rows, "%lld,%s,%.17g,%d,%s\n", (long long)row, device, score, flag,
                window_alarm < 0 ? "" : window_alarm ? "1" : "0");
    return ferror(o->rows);
}

static FILE *open_output(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        cli_report("watch", baiot_fail(BAIOT_ERR_IO, "cannot write '%s'", path));
    return f;
}

int cmd_watch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"interface", required_argument, 0, OPT_IFACE}, {"pcap", required_argument, 0, OPT_PCAP},
        {"follow", required_argument, 0, OPT_FOLLOW}, {"model", required_argument, 0, OPT_MODEL},
        {"device-map", required_argument, 0, OPT_MAP}, {"filter", required_argument, 0, OPT_FILTER},
        {"window", required_argument, 0, OPT_WINDOW}, {"alerts", required_argument, 0, OPT_ALERTS},
        {"rows", required_argument, 0, OPT_ROWS}, {"stats", required_argument, 0, OPT_STATS},
        {"snaplen", required_argument, 0, OPT_SNAPLEN}, {"buffer-size", required_argument, 0, OPT_BUFSIZE},
        {"no-promisc", no_argument, 0, OPT_NOPROMISC}, {"settle", required_argument, 0, OPT_SETTLE},
        {"max-streams", required_argument, 0, OPT_MAXSTREAMS}, {"idle-cutoff", required_argument, 0, OPT_IDLE},
        {"batch", required_argument, 0, OPT_BATCH}, CLI_COMMON_THREADS_OPTION,
        CLI_COMMON_QV, CLI_COMMON_FORCE_OPTION, CLI_COMMON_JSON_OPTION, {0, 0, 0, 0}};
    baiot_watch_params p = baiot_watch_params_default();
    const char *models[MAX_MODEL_ARGS], *map = NULL, *alerts = NULL, *rows = NULL;
    int n_models = 0, c, rc;
    cli_common co;
    cli_common_default(&co);
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        if ((rc = cli_common_opt("watch", c, optarg, &co)) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case OPT_IFACE: p.interface = optarg; break;
        case OPT_PCAP: p.pcap = optarg; break;
        case OPT_FOLLOW: p.follow = optarg; break;
        case OPT_MODEL:
            if (n_models == MAX_MODEL_ARGS)
                return cli_usage_error("watch", "at most %d --model options", MAX_MODEL_ARGS);
            models[n_models++] = optarg;
            break;
        case OPT_MAP: map = optarg; break;
        case OPT_FILTER: p.filter = optarg; break;
        case OPT_WINDOW:
            if ((rc = cli_arg_int("watch", "--window", optarg, 1, 100000, &p.window)))
                return rc;
            break;
        case OPT_ALERTS: alerts = optarg; break;
        case OPT_ROWS: rows = optarg; break;
        case OPT_STATS:
            if ((rc = cli_arg_double("watch", "--stats", optarg, 0, 86400, CLI_ARG_ABOVE_MIN, &p.stats_every)))
                return rc;
            break;
        case OPT_SNAPLEN:
            if ((rc = cli_arg_int("watch", "--snaplen", optarg, 64, 262144, &p.snaplen)))
                return rc;
            break;
        case OPT_BUFSIZE:
            if ((rc = cli_arg_int("watch", "--buffer-size", optarg, 65536, 1 << 30, &p.buffer_size)))
                return rc;
            break;
        case OPT_NOPROMISC: p.promisc = 0; break;
        case OPT_SETTLE:
            if ((rc = cli_arg_double("watch", "--settle", optarg, 0, 86400, CLI_ARG_CLOSED, &p.settle)))
                return rc;
            break;
        case OPT_MAXSTREAMS:
            if ((rc = cli_arg_int64("watch", "--max-streams", optarg, 1, INT64_C(1) << 40, &p.max_streams)))
                return rc;
            break;
        case OPT_IDLE:
            if ((rc = cli_arg_double("watch", "--idle-cutoff", optarg, 0, HUGE_VAL, CLI_ARG_CLOSED, &p.idle_cutoff)))
                return rc;
            break;
        case OPT_BATCH:
            if ((rc = cli_arg_int("watch", "--batch", optarg, 1, 1 << 20, &p.batch)))
                return rc;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return cli_usage_error("watch", "bad option");
        }
    }
    if (optind != argc)
        return cli_usage_error("watch", "unexpected argument '%s' (the source is --interface, --pcap or --follow)",
                               argv[optind]);
    if (!!p.interface + !!p.pcap + !!p.follow != 1)
        return cli_usage_error("watch", "give exactly one source: --interface IF, --pcap FILE|- or --follow DIR");
    if (n_models == 0)
        return cli_usage_error("watch", "no model: give --model MODEL (a detector or a J48 model file)");
    if (n_models > 1 && !map)
        return cli_usage_error("watch", "%d models need a --device-map saying which packets are whose", n_models);
    if (p.filter && !p.interface)
        return cli_usage_error("watch", "--filter applies to --interface (filter a file with tcpdump -r)");
    if (alerts && rows && strcmp(alerts, rows) == 0)
        return cli_usage_error("watch", "--alerts and --rows name the same file");
    baiot_status st = baiot_watch_check(&p);
    if (st)
        return cli_report("watch", st);
    if ((rc = cli_common_start("watch", &co)) || (rc = cli_output_free("watch", alerts)) ||
        (rc = cli_output_free("watch", rows)))
        return rc;
    p.threads = omp_get_max_threads() > 1 ? 2 : 1; /* --threads, else OMP_NUM_THREADS, else the cores */
    omp_set_num_threads(1);      /* each stage is one thread (docs/WATCH.md, "Threads"), */
    openblas_set_num_threads(1); /* in BLAS too: its idle workers spin on the cores the stages need */
    stop_flag = 0;
    p.stop = &stop_flag;
    baiot_watch *w = NULL;
    out_ctx o;
    memset(&o, 0, sizeof o);
    o.json = co.json;
    o.quiet = co.quiet;
    if ((st = baiot_watch_create(&p, &w)))
        return cli_report("watch", st);
    for (int i = 0; i < n_models && !st; i++) {
        const char *eq = strchr(models[i], '='), *path = models[i];
        char dev[256];
        if (eq && access(models[i], R_OK) != 0) { /* DEVICE=PATH (a file named with '=' is taken whole) */
            snprintf(dev, sizeof dev, "%.*s", (int)(eq - models[i]), models[i]);
            path = eq + 1;
        }
        st = baiot_watch_add_model(w, path == models[i] ? NULL : dev, path);
    }
    if (!st && map)
        st = baiot_watch_load_device_map(w, map);
    if (st) {
        baiot_watch_free(w);
        return cli_report("watch", st);
    }
    if ((alerts && !(o.alerts = open_output(alerts))) || (rows && !(o.rows = open_output(rows)))) {
        if (o.alerts) {
            fclose(o.alerts);
            unlink(alerts);
        }
        baiot_watch_free(w);
        return 1;
    }
    if (!alerts && co.json)
        o.alerts = stdout;
    o.human_alerts = alerts ? isatty(STDOUT_FILENO) && !co.json : !co.json;
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    baiot_watch_stats s;
    st = baiot_watch_run(w, on_event, &o, rows ? on_row : NULL, &o, &s);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    baiot_watch_free(w);
    int failed_early = st && s.packets == 0;
    if (o.alerts && o.alerts != stdout && fclose(o.alerts) != 0 && !st)
        st = baiot_fail(BAIOT_ERR_IO, "cannot write '%s' (disk full?)", alerts);
    if (o.rows && fclose(o.rows) != 0 && !st)
        st = baiot_fail(BAIOT_ERR_IO, "cannot write '%s' (disk full?)", rows);
    if (st && alerts && s.alerts + s.normals == 0)
        unlink(alerts); /* a failed run leaves no empty alerts file behind */
    if (failed_early && rows)
        unlink(rows); /* nor rows of a run that read nothing */
    if (co.json) {
        printf("{\"type\": \"summary\", \"source\": ");
        baiot_json_write_string(stdout, p.interface ? p.interface : p.pcap ? p.pcap : p.follow);
        printf(", \"stopped_by\": %s, \"ok\": %s, ", stop_flag == SIGINT ? "\"SIGINT\"" : stop_flag == SIGTERM ? "\"SIGTERM\"" : "null",
               st ? "false" : "true");
        stats_json(stdout, &s);
        printf(", \"seconds\": %.6f}\n", s.seconds);
    } else if (!co.quiet) {
        fprintf(stderr, "baiot watch: %lld packets (%lld rows, %lld skipped, %lld unmapped), %lld flagged, %lld alerts, "
                        "%lld back to normal, %lld dropped; %lld of at most %lld streams; %.2f s (%.0f packets/s)\n",
                (long long)s.packets, (long long)s.rows, (long long)s.skipped, (long long)s.unmapped,
                (long long)s.flagged, (long long)s.alerts, (long long)s.normals, (long long)s.dropped,
                (long long)s.streams, (long long)s.max_streams, s.seconds,
                s.seconds > 0 ? (double)s.packets / s.seconds : 0.0);
    }
    if (fflush(stdout) != 0 && !st)
        st = baiot_fail(BAIOT_ERR_IO, "cannot write to the standard output");
    if (st)
        return cli_report("watch", st);
    cli_common_finish("watch", &co, 0);
    return 0;
}
