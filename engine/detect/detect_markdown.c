/*
 * detect_markdown.c - detect.md: the detector run in a page a person reads:
 * the split, tr*, ws*, DSopt's flagged fraction, per kind the per-row and
 * per-window rates and the detection time, the figures, and - when the
 * device is one of the nine - the paper's published figures for it
 * (detect_facts.c) beside the run's.  Written through io/files/atomic_file
 * into the report folder.  Covered by tests/cli/test_detect.py.
 */
#include "engine/detect/detect_internal.h"

#include "io/files/atomic_file.h"

#include <math.h>
#include <stdio.h>

static void pct(FILE *f, int64_t a, int64_t n)
{
    if (n > 0)
        fprintf(f, "%.4f", (double)a / (double)n);
    else
        fputs("n/a", f);
}

baiot_status baiot_detect_write_markdown(const baiot_detect_run *r, const char *path)
{
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(path, &af);
    if (st)
        return st;
    FILE *f = af.fp;
    const detect_split *sp = &r->split;
    fprintf(f, "# Anomaly detector: %s (%s)\n\n", r->device, r->scorer->ops->method);
    fprintf(f, "Data: `%s` (%s), %lld rows, %d columns.  Trained on benign traffic only "
               "(N-BaIoT's protocol; docs/DETECTION.md).\n\n",
            r->data_path, baiot_data_format_name(r->format), (long long)r->n_rows, r->d);
    fprintf(f, "## Split (benign rows in time order, three equal parts)\n\n"
               "| part | rows |\n|---|---|\n| benign rows | %lld |\n| DStrn (training) | %lld |\n"
               "| of which the extractor's warm-up (oldest, not learnt from) | %lld |\n"
               "| DSopt (tr*, ws*) | %lld |\n| DStst benign third | %lld |\n| DStst attack rows | %lld |\n"
               "| benign rows left out (n mod 3) | %lld |\n\n",
            (long long)sp->n_benign, (long long)(sp->n_trn + sp->n_warmup), (long long)sp->n_warmup,
            (long long)sp->n_opt, (long long)sp->n_tst_benign, (long long)(sp->n_tst - sp->n_tst_benign),
            (long long)sp->n_dropped);
    fprintf(f, "## Threshold and window (on DSopt)\n\n");
    fprintf(f, "- tr* = mean + standard deviation of the DSopt scores = **%.6g**\n", r->tr);
    fprintf(f, "- DSopt rows over tr*: %lld of %lld (%.2f%%)\n", (long long)r->opt_flagged, (long long)sp->n_opt,
            sp->n_opt ? 100.0 * (double)r->opt_flagged / (double)sp->n_opt : 0.0);
    if (r->ws_qualified)
        fprintf(f, "- ws* = **%d** rows: the smallest majority-vote window with no false alarm on DSopt\n\n", r->ws);
    else
        fprintf(f, "- ws* = **%d** rows: no window up to %d rows is free of false alarms on DSopt; this one has the "
                   "smallest fraction of alarming windows (%lld)\n\n",
                r->ws, r->params.max_window, (long long)r->opt_alarms);
    fprintf(f, "## DStst\n\nBenign: false positive rates; attacks: true positive rates.  Detection time: the rows "
               "of the attack seen when the first window alarmed.\n\n"
               "| traffic | rows | per row | windows of ws* | per window | detection (rows) |\n|---|---|---|---|---|---|\n");
    for (int k = 0; k < r->eval.n_kinds; k++) {
        const detect_kind_eval *e = &r->eval.kind[k];
        fprintf(f, "| %s%s | %lld | ", e->name, e->benign ? " (FPR)" : "", (long long)e->rows);
        pct(f, e->flagged, e->rows);
        fprintf(f, " | %lld | ", (long long)e->windows);
        pct(f, e->alarms, e->windows);
        if (e->benign)
            fputs(" | - |\n", f);
        else if (e->detect_rows < 0)
            fputs(" | never |\n", f);
        else
            fprintf(f, " | %lld |\n", (long long)e->detect_rows);
    }
    const detect_paper_row *p = baiot_detect_paper_row_of(r->device);
    fprintf(f, "\n## Beside the paper\n\n");
    if (p) {
        fprintf(f, "Meidan et al. 2018 (deep autoencoder, real traffic) against this run (%s%s):\n\n"
                   "| | paper | this run |\n|---|---|---|\n"
                   "| benign rows | %lld | %lld |\n| training time (s) | %.0f | %.2f |\n"
                   "| tr* | %.3f (MSE) | %.6g (%s score) |\n| ws* | %d | %d |\n"
                   "| mean FPR (all nine devices) | %.3f +- %.2f | %.4f (this device, per window) |\n\n",
                r->scorer->ops->method, r->format == BAIOT_DATA_STORE ? ", see the store's provenance" : "",
                (long long)p->benign_rows, (long long)sp->n_benign, p->train_seconds, r->seconds_train, p->threshold,
                r->tr, r->scorer->ops->method, p->window, r->ws, baiot_detect_paper_fpr_mean, baiot_detect_paper_fpr_sd,
                r->eval.kind[0].windows ? (double)r->eval.kind[0].alarms / (double)r->eval.kind[0].windows : NAN);
        fprintf(f, "The paper detected every attack (TPR 1.0).  Its tr* is a reconstruction error, this run's a "
                   "%s score: the thresholds are not comparable in value, the windows and rates are.\n\n",
                r->scorer->ops->method);
    } else {
        fprintf(f, "'%s' is not one of the paper's nine devices: no published figures to compare with.\n\n",
                r->device);
    }
    fprintf(f, "## Figures\n\n![scores](detect-scores.png)\n\n![windows](detect-windows.png)\n");
    return baiot_atomic_file_commit(&af);
}
