/*
 * study.c - the study's pipeline on one data set: load every column once,
 * rank them with OneR (Weka's OneRAttributeEval + Ranker), keep the top K
 * in rank order, cross-validate J48 on them and grow its tree on all rows,
 * fit EM (k = the number of classes unless given) on the same columns and
 * map clusters to classes.
 *
 * Each stage calls the same library functions as its separate command with
 * the same options, so the figures are those of `baiot rank`, `baiot j48
 * --columns <top K>` and `baiot em --columns <top K>`.  Stage times are
 * wall-clock seconds.  The report writers live in study_report.c,
 * study_markdown.c and study_plots.c.  Data without class labels is
 * refused before any work (engine/data/view_labels.c).
 * Covered by tests/cli/test_study.py, tests/cli/test_determinism.py,
 * tests/cli/test_mpi.py and tests/cli/test_labels.py.
 */
#include "baiot/study.h"

#include "baiot/cv.h"
#include "baiot/dist.h"
#include "baiot/progress.h"
#include "io/files/file_sha256.h"

#include <omp.h>
#include <stdio.h>
#include <string.h>

const char *const baiot_stage_names[BAIOT_N_STAGES] = {"load", "rank", "j48_cv", "j48_tree", "em", "report"};

baiot_study_params baiot_study_params_default(void)
{
    baiot_study_params p;
    memset(&p, 0, sizeof p);
    p.view = baiot_view_params_default();
    p.top = 10;
    p.folds = 10;
    p.seed = 1;
    p.clusters = 0;
    p.rank = baiot_rank_params_default();
    p.j48 = baiot_j48_params_default();
    p.em = baiot_em_params_default();
    return p;
}

void baiot_study_free(baiot_study *s)
{
    if (!s)
        return;
    baiot_free(s->data_path);
    baiot_free(s->device_label);
    for (int j = 0; s->all_col_names && j < s->n_all_cols; j++)
        baiot_free(s->all_col_names[j]);
    baiot_free(s->all_col_names);
    baiot_ranking_free(s->ranking);
    baiot_view_free(s->view);
    baiot_eval_free(s->j48_eval);
    baiot_j48_free(s->tree);
    baiot_em_free(s->em);
    baiot_free(s->assign);
    baiot_eval_c2c_free(&s->c2c);
    baiot_free(s->sources);
    baiot_free(s->creator);
    baiot_free(s);
}

/* Where the rows came from: a store's source table, or the file's digest. */
static baiot_status read_provenance(baiot_study *s)
{
    if (s->data_format == BAIOT_DATA_STORE) {
        baiot_store *store = NULL;
        baiot_status st = baiot_store_open(s->data_path, &store);
        if (st)
            return st;
        s->n_sources = baiot_store_n_sources(store);
        s->sources = baiot_calloc((size_t)(s->n_sources > 0 ? s->n_sources : 1), sizeof *s->sources);
        if (!s->sources) {
            baiot_store_close(store);
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        }
        for (int i = 0; i < s->n_sources; i++)
            s->sources[i] = *baiot_store_source(store, i);
        s->creator = baiot_strdup(baiot_store_creator(store));
        baiot_store_close(store);
        return s->creator ? BAIOT_OK : baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    s->n_sources = 1;
    s->sources = baiot_calloc(1, sizeof *s->sources);
    if (!s->sources)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    snprintf(s->sources[0].name, sizeof s->sources[0].name, "%s", s->data_path);
    s->sources[0].rows = s->view ? s->view->n_rows : 0;
    return baiot_file_sha256(s->data_path, s->sources[0].sha256);
}

/* Keeps the top s->top ranked columns of s->view, in rank order. */
static baiot_status keep_top(baiot_study *s)
{
    size_t cap = (size_t)s->top * 12 + 1;
    char *spec = baiot_malloc(cap), *p = spec;
    if (!spec)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int r = 0; r < s->top; r++)
        p += snprintf(p, cap - (size_t)(p - spec), "%s%d", r ? "," : "", s->ranking->order[r] + 1);
    baiot_status st = baiot_view_select_columns(s->view, spec);
    baiot_free(spec);
    return st;
}

static baiot_status train_and_validate(baiot_study *s, const baiot_j48_params *jp, double t0);

static baiot_status run_j48(baiot_study *s)
{
    const baiot_view *v = s->view;
    baiot_status st;
    double t0 = omp_get_wtime();
    if ((st = baiot_eval_create(v->n_classes, (const char *const *)v->class_names, &s->j48_eval)))
        return st;
    /* every kept column sorted once, for every fold and the tree (as baiot j48) */
    baiot_j48_presort *ps = NULL;
    if ((st = baiot_j48_presort_create(v, s->params.j48.n_threads, &ps)))
        return st;
    baiot_j48_params jp = s->params.j48;
    jp.presort = ps;
    st = train_and_validate(s, &jp, t0);
    baiot_j48_presort_free(ps);
    return st;
}

/* The cross-validation (its time counted from t0, the presort included)
 * and the tree on all rows. */
static baiot_status train_and_validate(baiot_study *s, const baiot_j48_params *jp, double t0)
{
    const baiot_view *v = s->view;
    baiot_status st;
    baiot_learner learner = baiot_j48_learner(jp);
    /* spread over ranks, rank 0 also grows the tree on all rows */
    double tree_work = baiot_dist_size() > 1 ? (double)v->n_rows : 0.0;
    st = baiot_cross_validate_ex(v, &learner, s->params.folds, s->params.seed, s->j48_eval, tree_work);
    if (st)
        return st;
    double t1 = omp_get_wtime();
    s->seconds[BAIOT_STAGE_J48_CV] = t1 - t0;
    baiot_progress_stage(baiot_stage_names[BAIOT_STAGE_J48_TREE]);
    if (baiot_dist_rank() != 0)
        return BAIOT_OK; /* only rank 0 reports, so only it needs the tree */
    int64_t *all = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *all);
    if (!all)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int64_t i = 0; i < v->n_rows; i++)
        all[i] = i;
    st = baiot_j48_train(v, all, v->n_rows, NULL, jp, &s->tree);
    baiot_free(all);
    s->seconds[BAIOT_STAGE_J48_TREE] = omp_get_wtime() - t1;
    return st;
}

static baiot_status run_em(baiot_study *s)
{
    const baiot_view *v = s->view;
    baiot_em_params ep = s->params.em;
    baiot_status st;
    double t0 = omp_get_wtime();
    ep.n_clusters = s->params.clusters == 0 ? v->n_classes : s->params.clusters;
    const char *bad = baiot_em_params_check(&ep);
    if (bad)
        return baiot_fail(BAIOT_ERR_ARG, "EM: %s", bad);
    if ((st = baiot_em_train(v, &ep, &s->em)))
        return st;
    s->assign = baiot_malloc((size_t)(v->n_rows > 0 ? v->n_rows : 1) * sizeof *s->assign);
    if (!s->assign)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if ((st = baiot_em_cluster(s->em, v, s->assign, &s->em_loglik)))
        return st;
    st = baiot_eval_classes_to_clusters(v->y, v->n_rows, v->n_classes, s->assign, baiot_em_n_clusters(s->em),
                                        &s->c2c);
    s->seconds[BAIOT_STAGE_EM] = omp_get_wtime() - t0;
    return st;
}

static baiot_status check_rows(const baiot_study *s)
{
    baiot_status st = baiot_view_check_labelled(s->view, s->data_path, "the study's pipeline (OneR, J48, "
                                                "classes-to-clusters)");
    if (st || s->view->n_rows >= s->params.folds)
        return st;
    return baiot_fail(BAIOT_ERR_ARG, "'%s' has %lld rows for the selection (devices %s, task %s): too few for %d folds",
                      s->data_path, (long long)s->view->n_rows, s->device_label, baiot_task_name(s->params.view.task),
                      s->params.folds);
}

/* One process (or a file input): every column read once, ranked, the top
 * kept in memory. */
static baiot_status load_and_rank(baiot_study *s)
{
    baiot_status st;
    double t = omp_get_wtime();
    baiot_progress_stage(baiot_stage_names[BAIOT_STAGE_LOAD]);
    if ((st = baiot_view_load(s->data_path, &s->params.view, &s->view)))
        return st;
    if ((st = check_rows(s)) || (st = read_provenance(s)))
        return st;
    s->n_all_cols = s->view->n_cols;
    s->all_col_names = baiot_calloc((size_t)(s->n_all_cols > 0 ? s->n_all_cols : 1), sizeof *s->all_col_names);
    if (!s->all_col_names)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int j = 0; j < s->n_all_cols; j++)
        if (!(s->all_col_names[j] = baiot_strdup(s->view->attrs[j].name)))
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    s->seconds[BAIOT_STAGE_LOAD] = omp_get_wtime() - t;

    t = omp_get_wtime();
    baiot_progress_stage(baiot_stage_names[BAIOT_STAGE_RANK]);
    baiot_rank_params rp = s->params.rank;
    rp.folds = s->params.folds;
    rp.seed = s->params.seed;
    if ((st = baiot_rank(s->view, &rp, &s->ranking)))
        return st;
    s->top = s->params.top < s->n_all_cols ? s->params.top : s->n_all_cols;
    if ((st = keep_top(s)))
        return st;
    s->seconds[BAIOT_STAGE_RANK] = omp_get_wtime() - t;

    return BAIOT_OK;
}

/* A store in a job spread over ranks: each rank reads and ranks only its
 * columns (baiot_rank_spread), then every rank reads the kept columns. */
static baiot_status load_and_rank_spread(baiot_study *s)
{
    baiot_status st;
    double t = omp_get_wtime();
    char **names = NULL;
    baiot_progress_stage(baiot_stage_names[BAIOT_STAGE_RANK]);
    baiot_rank_params rp = s->params.rank;
    rp.folds = s->params.folds;
    rp.seed = s->params.seed;
    if ((st = baiot_rank_spread(s->data_path, &s->params.view, &rp, &s->ranking, &names)))
        return st;
    s->n_all_cols = s->ranking->n;
    s->all_col_names = names;
    s->top = s->params.top < s->n_all_cols ? s->params.top : s->n_all_cols;
    size_t cap = 1;
    for (int r = 0; r < s->top; r++)
        cap += strlen(s->all_col_names[s->ranking->order[r]]) + 1;
    char *spec = baiot_malloc(cap), *p = spec;
    if (!spec)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    *p = 0;
    for (int r = 0; r < s->top; r++)
        p += sprintf(p, "%s%s", r ? "," : "", s->all_col_names[s->ranking->order[r]]);
    s->seconds[BAIOT_STAGE_RANK] = omp_get_wtime() - t;
    t = omp_get_wtime();
    baiot_view_params vp = s->params.view;
    vp.columns = spec;
    st = baiot_view_load_store(s->data_path, &vp, &s->view);
    baiot_free(spec);
    if (st)
        return st;
    if ((st = check_rows(s)) || (st = read_provenance(s)))
        return st;
    s->seconds[BAIOT_STAGE_LOAD] = omp_get_wtime() - t;
    return BAIOT_OK;
}

baiot_status baiot_study_run(const char *data_path, const baiot_study_params *params, baiot_study **out)
{
    *out = NULL;
    if (params->top < 1)
        return baiot_fail(BAIOT_ERR_ARG, "--top must be at least 1, not %d", params->top);
    if (params->folds < 2)
        return baiot_fail(BAIOT_ERR_ARG, "--folds must be at least 2, not %d", params->folds);
    if (params->clusters < -1)
        return baiot_fail(BAIOT_ERR_ARG, "--clusters must be a number >= 1 or auto, not %d", params->clusters);
    const char *bad = baiot_j48_params_check(&params->j48);
    if (bad)
        return baiot_fail(BAIOT_ERR_ARG, "J48: %s", bad);
    baiot_study *s = baiot_calloc(1, sizeof *s);
    if (!s)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    s->params = *params;
    s->params.view.columns = NULL;
    s->data_path = baiot_strdup(data_path);
    s->data_format = baiot_data_format_of(data_path);
    s->device_label = baiot_strdup(params->view.devices && *params->view.devices ? params->view.devices : "all");
    baiot_status st = BAIOT_OK;
    if (!s->data_path || !s->device_label) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }

    if (baiot_dist_size() > 1 && s->data_format == BAIOT_DATA_STORE)
        st = load_and_rank_spread(s);
    else
        st = load_and_rank(s);
    if (st)
        goto fail;

    baiot_progress_stage(baiot_stage_names[BAIOT_STAGE_J48_CV]);
    if ((st = run_j48(s)))
        goto fail;
    baiot_progress_stage(baiot_stage_names[BAIOT_STAGE_EM]);
    if ((st = run_em(s)))
        goto fail;
    *out = s;
    return BAIOT_OK;
fail:
    baiot_study_free(s);
    return st;
}

double baiot_study_j48_accuracy(baiot_study *s)
{
    const baiot_eval_results *r = NULL;
    if (baiot_eval_compute(s->j48_eval, &r))
        return 0.0 / 0.0;
    return r->pct_correct;
}

double baiot_study_em_accuracy(const baiot_study *s)
{
    /* as `baiot em --json` gives it: the rows not counted incorrect */
    return s->c2c.n > 0 ? 100.0 * (double)(s->c2c.n - s->c2c.incorrect) / (double)s->c2c.n : 0.0 / 0.0;
}
