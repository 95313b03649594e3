/*
 * detect_eval.c - the detector on DStst (detect_internal.h): DStst's rows
 * are grouped by kind (the benign third, then each attack class in class
 * order), each kind's rows kept in stored (time) order, and for each kind
 * the per-row rate (rows over tr*), the per-window rate at ws* (alarming
 * windows of ws* consecutive rows of that kind, majority vote as
 * baiot_detect_threshold.c), the detection time of an attack in rows (the
 * 1-based position, in the attack's rows, of the last row of the first
 * alarming window: how many of its rows were seen when the alarm rose; -1
 * when it never rose) and the window alarm rate for each window of
 * baiot_detect_window_grid (the detection-rate-against-window figure).  For
 * benign the rates are false positive rates, for attacks true positive
 * rates.  Windows never span two kinds: each attack was captured apart.
 *
 * Guarantees: sequential and exact (counts), so independent of threads.
 * Covered by tests/unit/test_detect.c and tests/cli/test_detect.py.
 */
#include "engine/detect/detect_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const int baiot_detect_window_grid[DETECT_N_WINDOW_GRID] = {1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 80, 100, 150, 200, 300, 500};

baiot_status baiot_detect_eval_run(const int64_t *tst, const double *score, int64_t n, const int *y,
                             const char *const *class_names, int n_classes, int benign, double tr, int ws,
                             detect_eval *out)
{
    (void)tst;
    memset(out, 0, sizeof *out);
    /* the grid with ws* in its place */
    int g = 0, put = 0;
    for (int i = 0; i < DETECT_N_WINDOW_GRID; i++) {
        if (!put && ws <= baiot_detect_window_grid[i]) {
            if (ws < baiot_detect_window_grid[i])
                out->grid[g++] = ws;
            put = 1;
        }
        out->grid[g++] = baiot_detect_window_grid[i];
    }
    if (!put)
        out->grid[g++] = ws;
    out->n_grid = g;
    unsigned char *flag = baiot_malloc((size_t)(n > 0 ? n : 1));
    if (!flag)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    int order[DETECT_MAX_KINDS], nk = 0;
    order[nk++] = benign;
    for (int c = 0; c < n_classes && nk < DETECT_MAX_KINDS; c++) {
        if (c == benign)
            continue;
        int64_t rows = 0;
        for (int64_t i = 0; i < n; i++)
            rows += y[i] == c;
        if (rows > 0)
            order[nk++] = c;
    }
    baiot_status st = BAIOT_OK;
    for (int k = 0; k < nk; k++) {
        detect_kind_eval *e = &out->kind[k];
        int c = order[k];
        snprintf(e->name, sizeof e->name, "%s", class_names[c]);
        e->benign = c == benign;
        int64_t m = 0;
        for (int64_t i = 0; i < n; i++)
            if (y[i] == c) {
                flag[m] = score[i] > tr;
                e->flagged += flag[m];
                m++;
            }
        e->rows = m;
        int64_t first;
        e->windows = m >= ws ? m - ws + 1 : 0;
        e->alarms = baiot_detect_window_alarms(flag, m, ws, &first);
        e->detect_rows = e->benign ? -1 : first >= 0 ? first + 1 : -1;
        if (!(e->grid_rate = baiot_malloc((size_t)out->n_grid * sizeof(double)))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            out->n_kinds = k + 1;
            break;
        }
        for (int w = 0; w < out->n_grid; w++) {
            int64_t nw = m >= out->grid[w] ? m - out->grid[w] + 1 : 0;
            e->grid_rate[w] = nw > 0 ? (double)baiot_detect_window_alarms(flag, m, out->grid[w], NULL) / (double)nw : NAN;
        }
        out->n_kinds = k + 1;
    }
    baiot_free(flag);
    if (st)
        baiot_detect_eval_free(out);
    return st;
}

void baiot_detect_eval_free(detect_eval *e)
{
    for (int k = 0; k < e->n_kinds; k++)
        baiot_free(e->kind[k].grid_rate);
    memset(e, 0, sizeof *e);
}
