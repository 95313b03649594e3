/*
 * detect_ae.c - the deep-autoencoder scorer of the anomaly detector
 * (detect_scorer.h), N-BaIoT's own method (Meidan et al. 2018): the
 * autoencoder of kernels/ (baiot/autoencoder.h: 115-87-58-38-29-38-58-87-115
 * for 115 columns, tanh, linear output, float64, plain SGD) trained on the
 * standardised DStrn rows; a row's score is its reconstruction MSE.
 *
 * Learning rate and epochs: given, or (detect.c) the paper's for one of
 * the nine devices, or chosen on DSopt here: each rate of
 * baiot_detect_ae_lr_grid is trained for DETECT_AE_LR_PROBE epochs from the
 * same initial weights and the one with the lowest DSopt MSE is kept (the
 * smaller on ties); then the epochs run until the DSopt MSE has not fallen
 * below its best by DETECT_AE_MIN_GAIN (relative) for DETECT_AE_PATIENCE
 * epochs in a row (at most DETECT_AE_MAX_EPOCHS), and the weights of the
 * best epoch are kept.  The training curve (DStrn loss as the rows were met,
 * and DSopt MSE after each epoch) is kept for the report.
 *
 * Guarantees: the same seed and data give the same weights and scores bit
 * for bit for any thread count (the kernel's guarantee; DSopt MSE sums run
 * in row order); the weights are written in shortest round-trip text, so a
 * loaded scorer scores the same doubles.  Covered by
 * tests/cli/test_detect.py (the autoencoder cases: predict reproduces
 * detect's scores, 1 and 2 threads identical) and tests/unit/test_detect.c.
 */
#include "engine/detect/detect_scorer.h"

#include "baiot/autoencoder.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

const double baiot_detect_ae_lr_grid[DETECT_AE_N_LR] = {0.001, 0.003, 0.01, 0.03};

/* Rows transposed to row-major and scored at a time (bounded memory). */
#define DETECT_AE_SCORE_CHUNK 16384

typedef struct ae_impl {
    baiot_ae *ae;
    int d;
    detect_ae_params p;     /* as resolved: lr, epochs, batch, seed */
    int epochs_run;         /* epochs trained (the curve's length) */
    int best_epoch;         /* 1-based epoch whose weights are kept */
    double *trn_curve, *opt_curve; /* epochs_run each */
    int n_lr_tried;
    double lr_tried_mse[DETECT_AE_N_LR];
} ae_impl;

static void ae_free(detect_scorer *s)
{
    if (!s)
        return;
    ae_impl *a = s->impl;
    if (a) {
        baiot_ae_free(a->ae);
        baiot_free(a->trn_curve);
        baiot_free(a->opt_curve);
        baiot_free(a);
    }
    baiot_free(s);
}

/* x column-major (x[j * ldx + i]) rows [r0, r0 + n) -> row-major y (n x d). */
static void to_rows(const double *x, int64_t ldx, int d, int64_t r0, int64_t n, double *y)
{
    for (int64_t b = 0; b < n; b += 64) {
        int64_t e = b + 64 < n ? b + 64 : n;
        for (int j = 0; j < d; j++) {
            const double *c = x + (int64_t)j * ldx + r0;
            for (int64_t i = b; i < e; i++)
                y[i * d + j] = c[i];
        }
    }
}

static baiot_status ae_score_all(const detect_scorer *s, const double *x, int64_t ldx, int64_t n, int n_threads,
                                 double *score)
{
    const ae_impl *a = s->impl;
    (void)n_threads; /* the handle's thread count; scores do not depend on it */
    int64_t cap = n < DETECT_AE_SCORE_CHUNK ? n : DETECT_AE_SCORE_CHUNK;
    double *y = baiot_malloc((size_t)(cap > 0 ? cap : 1) * (size_t)a->d * sizeof *y);
    baiot_status st = BAIOT_OK;
    if (!y)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int64_t r = 0; r < n && !st; r += cap) {
        int64_t m = n - r < cap ? n - r : cap;
        to_rows(x, ldx, a->d, r, m, y);
        st = baiot_ae_score(a->ae, y, m, a->d, score + r);
    }
    baiot_free(y);
    return st;
}

static void write_layers(const ae_impl *a, FILE *f)
{
    fputc('[', f);
    for (int l = 0; l <= baiot_ae_n_layers(a->ae); l++)
        fprintf(f, "%s%d", l ? ", " : "", baiot_ae_size(a->ae, l));
    fputc(']', f);
}

static const char *activation_name(const baiot_ae *ae)
{
    return baiot_ae_get_params(ae)->activation == BAIOT_AE_SIGMOID ? "sigmoid" : "tanh";
}

static void ae_write_json(const detect_scorer *s, FILE *f)
{
    const ae_impl *a = s->impl;
    const baiot_ae_params *pp = baiot_ae_get_params(a->ae);
    fputs("{\"layers\": ", f);
    write_layers(a, f);
    fprintf(f, ", \"hidden_pct\": [");
    for (int i = 0; i < pp->n_hidden; i++)
        fprintf(f, "%s%d", i ? ", " : "", pp->hidden_pct[i]);
    fprintf(f, "], \"activation\": \"%s\", \"output\": \"linear\", \"weights\": ", activation_name(a->ae));
    int64_t nw = baiot_ae_n_weights(a->ae);
    double *w = baiot_malloc((size_t)nw * sizeof *w);
    if (w) {
        baiot_ae_get_weights(a->ae, w);
        baiot_json_write_numbers(f, w, nw);
        baiot_free(w);
    } else {
        fputs("null", f); /* the reader refuses it: a model is never half-written silently */
    }
    fputc('}', f);
}

static void put_curve(FILE *f, const char *name, const double *c, int n)
{
    fprintf(f, ", \"%s\": ", name);
    baiot_json_write_numbers(f, c, n);
}

static void ae_write_facts(const detect_scorer *s, FILE *f)
{
    const ae_impl *a = s->impl;
    fputs("\"layers\": ", f);
    write_layers(a, f);
    fprintf(f, ", \"activation\": \"%s\", \"output\": \"linear\", \"precision\": \"float64\", \"optimizer\": \"sgd\", "
               "\"loss\": \"mse\", \"batch\": %lld, \"learning_rate\": ",
            activation_name(a->ae), (long long)a->p.batch);
    baiot_json_write_number(f, a->p.lr);
    fputs(", \"learning_rate_source\": ", f);
    baiot_json_write_string(f, a->p.lr_source ? a->p.lr_source : "given");
    fprintf(f, ", \"epochs\": %d, \"epochs_source\": ", a->best_epoch);
    baiot_json_write_string(f, a->p.epochs_source ? a->p.epochs_source : "given");
    fprintf(f, ", \"epochs_run\": %d, \"ae_seed\": %llu, \"learning_rates_tried\": [", a->epochs_run,
            (unsigned long long)a->p.seed);
    for (int i = 0; i < a->n_lr_tried; i++) {
        fprintf(f, "%s{\"learning_rate\": ", i ? ", " : "");
        baiot_json_write_number(f, baiot_detect_ae_lr_grid[i]);
        fprintf(f, ", \"dsopt_mse_after_%d_epochs\": ", DETECT_AE_LR_PROBE);
        baiot_json_write_number(f, a->lr_tried_mse[i]);
        fputc('}', f);
    }
    fputs("], \"training_curve\": {\"epoch\": \"1..epochs_run\"", f);
    put_curve(f, "dstrn_mse", a->trn_curve, a->epochs_run);
    put_curve(f, "dsopt_mse", a->opt_curve, a->epochs_run);
    fputc('}', f);
}

static int ae_curve(const detect_scorer *s, const double **trn, const double **opt)
{
    const ae_impl *a = s->impl;
    *trn = a->trn_curve;
    *opt = a->opt_curve;
    return a->epochs_run;
}

static void ae_settings(const detect_scorer *s, double *lr, int *epochs, int *clusters)
{
    const ae_impl *a = s->impl;
    *lr = a->p.lr;
    *epochs = a->best_epoch;
    *clusters = 0;
}

static const detect_scorer_ops ae_ops = {"autoencoder", NULL, ae_score_all, ae_write_json,
                                         ae_write_facts, ae_curve, ae_settings,  ae_free};

static baiot_status new_scorer(int d, const baiot_ae_params *ap, detect_scorer **out)
{
    detect_scorer *s = baiot_calloc(1, sizeof *s);
    ae_impl *a = baiot_calloc(1, sizeof *a);
    baiot_status st;
    *out = NULL;
    if (!s || !a) {
        baiot_free(s);
        baiot_free(a);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    s->ops = &ae_ops;
    s->d = d;
    s->impl = a;
    a->d = d;
    if ((st = baiot_ae_create(d, ap, &a->ae))) {
        ae_free(s);
        return st;
    }
    *out = s;
    return BAIOT_OK;
}

/* Mean of the row MSEs of xr (row-major, n x d), summed in row order. */
static baiot_status mean_mse(const baiot_ae *ae, const double *xr, int64_t n, int d, double *buf, double *out)
{
    baiot_status st = baiot_ae_score(ae, xr, n, d, buf);
    if (st)
        return st;
    double sum = 0;
    for (int64_t i = 0; i < n; i++)
        sum += buf[i];
    *out = n > 0 ? sum / (double)n : 0;
    return BAIOT_OK;
}

static baiot_ae_params kernel_params(const detect_ae_params *p, double lr)
{
    baiot_ae_params ap = baiot_ae_params_default();
    ap.lr = lr;
    ap.batch = p->batch;
    ap.seed = p->seed;
    ap.threads = p->n_threads;
    ap.optimizer = BAIOT_AE_SGD;
    return ap;
}

/* Each rate of the grid for DETECT_AE_LR_PROBE epochs; the lowest DSopt
 * MSE wins (a diverged rate counts as +inf). */
static baiot_status choose_lr(const double *xt, int64_t n_trn, const double *xo, int64_t n_opt, int d,
                              const detect_ae_params *p, ae_impl *keep, double *lr)
{
    double *buf = baiot_malloc((size_t)(n_opt > 0 ? n_opt : 1) * sizeof *buf);
    baiot_status st = BAIOT_OK;
    double best = INFINITY;
    if (!buf)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    *lr = baiot_detect_ae_lr_grid[0];
    for (int i = 0; i < DETECT_AE_N_LR && !st; i++) {
        baiot_ae_params ap = kernel_params(p, baiot_detect_ae_lr_grid[i]);
        baiot_ae *ae = NULL;
        double mse = INFINITY;
        if ((st = baiot_ae_create(d, &ap, &ae)))
            break;
        int diverged = 0;
        for (int e = 0; e < DETECT_AE_LR_PROBE && !diverged && !st; e++) {
            baiot_status t = baiot_ae_train_epoch(ae, xt, n_trn, d, NULL, NULL);
            if (t == BAIOT_ERR_NUMERIC)
                diverged = 1;
            else
                st = t;
        }
        if (!st && !diverged && (st = mean_mse(ae, xo, n_opt, d, buf, &mse)) == BAIOT_OK && !isfinite(mse))
            mse = INFINITY;
        baiot_ae_free(ae);
        keep->lr_tried_mse[i] = mse;
        keep->n_lr_tried = i + 1;
        if (!st && mse < best) {
            best = mse;
            *lr = baiot_detect_ae_lr_grid[i];
        }
    }
    baiot_free(buf);
    if (!st && !isfinite(best))
        st = baiot_fail(BAIOT_ERR_NUMERIC, "the autoencoder diverged at every learning rate tried (%g..%g)",
                        baiot_detect_ae_lr_grid[0], baiot_detect_ae_lr_grid[DETECT_AE_N_LR - 1]);
    return st;
}

baiot_status baiot_detect_ae_fit(const double *xtrn, int64_t n_trn, const double *xopt, int64_t n_opt, int d,
                                 const detect_ae_params *p_in, detect_scorer **out)
{
    detect_ae_params p = *p_in;
    detect_scorer *s = NULL;
    double *xt = NULL, *xo = NULL, *buf = NULL, *best_w = NULL;
    baiot_status st;
    ae_impl tried = {0};
    *out = NULL;
    if (p.batch <= 0)
        p.batch = DETECT_AE_BATCH;
    xt = baiot_malloc((size_t)n_trn * d * sizeof *xt);
    xo = baiot_malloc((size_t)(n_opt > 0 ? n_opt : 1) * d * sizeof *xo);
    buf = baiot_malloc((size_t)(n_opt > 0 ? n_opt : 1) * sizeof *buf);
    if (!xt || !xo || !buf) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    to_rows(xtrn, n_trn, d, 0, n_trn, xt);
    to_rows(xopt, n_opt, d, 0, n_opt, xo);
    if (p.lr <= 0) {
        if ((st = choose_lr(xt, n_trn, xo, n_opt, d, &p, &tried, &p.lr)))
            goto done;
        p.lr_source = "chosen on DSopt";
    }
    int early = p.epochs <= 0, max_epochs = early ? DETECT_AE_MAX_EPOCHS : p.epochs;
    if (early)
        p.epochs_source = "until the DSopt MSE stopped falling";
    baiot_ae_params ap = kernel_params(&p, p.lr);
    if ((st = new_scorer(d, &ap, &s)))
        goto done;
    ae_impl *a = s->impl;
    a->p = p;
    a->n_lr_tried = tried.n_lr_tried;
    memcpy(a->lr_tried_mse, tried.lr_tried_mse, sizeof a->lr_tried_mse);
    a->trn_curve = baiot_malloc((size_t)max_epochs * sizeof(double));
    a->opt_curve = baiot_malloc((size_t)max_epochs * sizeof(double));
    int64_t nw = baiot_ae_n_weights(a->ae);
    if (early)
        best_w = baiot_malloc((size_t)nw * sizeof *best_w);
    if (!a->trn_curve || !a->opt_curve || (early && !best_w)) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto done;
    }
    double best = INFINITY;
    int since_best = 0;
    for (int e = 0; e < max_epochs; e++) {
        double loss, mse;
        if ((st = baiot_ae_train_epoch(a->ae, xt, n_trn, d, NULL, &loss))) {
            if (st == BAIOT_ERR_NUMERIC)
                baiot_fail_context(st, "epoch %d at learning rate %g (give a lower --lr): ", e + 1, p.lr);
            goto done;
        }
        if ((st = mean_mse(a->ae, xo, n_opt, d, buf, &mse)))
            goto done;
        a->trn_curve[e] = loss;
        a->opt_curve[e] = mse;
        a->epochs_run = e + 1;
        if (!early) {
            a->best_epoch = e + 1;
            continue;
        }
        since_best = mse < best * (1 - DETECT_AE_MIN_GAIN) ? 0 : since_best + 1;
        if (mse < best) {
            best = mse;
            a->best_epoch = e + 1;
            baiot_ae_get_weights(a->ae, best_w);
        }
        if (since_best >= DETECT_AE_PATIENCE)
            break;
    }
    if (early && (st = baiot_ae_set_weights(a->ae, best_w)))
        goto done;
done:
    baiot_free(xt);
    baiot_free(xo);
    baiot_free(buf);
    baiot_free(best_w);
    if (st) {
        ae_free(s);
        return st;
    }
    *out = s;
    return BAIOT_OK;
}

baiot_status baiot_detect_ae_from_json(const json_value *o, int d, const char *what, detect_scorer **out)
{
    const json_value *layers = baiot_json_get(o, "layers"), *pct = baiot_json_get(o, "hidden_pct"),
                     *act = baiot_json_get(o, "activation"), *w = baiot_json_get(o, "weights");
    baiot_ae_params ap = baiot_ae_params_default();
    detect_scorer *s = NULL;
    baiot_status st;
    *out = NULL;
    if (!pct || pct->type != JSON_ARRAY || pct->n < 1 || pct->n > BAIOT_AE_MAX_HIDDEN)
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: scorer.hidden_pct is not a list of 1..%d percentages", what,
                          BAIOT_AE_MAX_HIDDEN);
    ap.n_hidden = (int)pct->n;
    for (int i = 0; i < ap.n_hidden; i++) {
        const json_value *v = pct->items[i];
        if (v->type != JSON_NUMBER || v->number < 1 || v->number > 100 || v->number != (int)v->number)
            return baiot_fail(BAIOT_ERR_FORMAT, "%s: scorer.hidden_pct[%d] is not a whole percentage in 1..100", what,
                              i);
        ap.hidden_pct[i] = (int)v->number;
    }
    if (!act || act->type != JSON_STRING || (strcmp(act->string, "tanh") && strcmp(act->string, "sigmoid")))
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: scorer.activation is not \"tanh\" or \"sigmoid\"", what);
    ap.activation = strcmp(act->string, "sigmoid") == 0 ? BAIOT_AE_SIGMOID : BAIOT_AE_TANH;
    ap.threads = 0;
    if ((st = baiot_ae_params_check(d, &ap))) {
        baiot_fail_context(st, "%s: ", what);
        return st;
    }
    if ((st = new_scorer(d, &ap, &s))) {
        baiot_fail_context(st, "%s: ", what);
        return st;
    }
    ae_impl *a = s->impl;
    int nl = baiot_ae_n_layers(a->ae);
    int ok = layers && layers->type == JSON_ARRAY && layers->n == nl + 1;
    for (int l = 0; ok && l <= nl; l++)
        ok = layers->items[l]->type == JSON_NUMBER && layers->items[l]->number == baiot_ae_size(a->ae, l);
    if (!ok) {
        ae_free(s);
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: scorer.layers do not match %d inputs with hidden_pct as given", what,
                          d);
    }
    int64_t nw = baiot_ae_n_weights(a->ae);
    if (!w || w->type != JSON_ARRAY || w->n != nw) {
        ae_free(s);
        return baiot_fail(BAIOT_ERR_FORMAT, "%s: scorer.weights is not a list of %lld numbers", what, (long long)nw);
    }
    double *wv = baiot_malloc((size_t)nw * sizeof *wv);
    if (!wv) {
        ae_free(s);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    for (int64_t i = 0; i < nw; i++) {
        if (w->items[i]->type != JSON_NUMBER || !isfinite(w->items[i]->number)) {
            baiot_free(wv);
            ae_free(s);
            return baiot_fail(BAIOT_ERR_FORMAT, "%s: scorer.weights[%lld] is not a finite number", what,
                              (long long)i);
        }
        wv[i] = w->items[i]->number;
    }
    st = baiot_ae_set_weights(a->ae, wv);
    baiot_free(wv);
    if (st) {
        ae_free(s);
        return st;
    }
    *out = s;
    return BAIOT_OK;
}
