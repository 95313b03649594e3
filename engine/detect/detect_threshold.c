/*
 * baiot_detect_threshold.c - the protocol's threshold and window
 * (detect_internal.h): tr* = mean + standard deviation of the per-row
 * scores over DSopt (population standard deviation, two passes in row
 * order), and ws* = the smallest window of consecutive rows whose majority
 * vote raises no alarm anywhere on DSopt.
 *
 * A window of ws rows alarms when strictly more than half of its rows are
 * over tr* (count * 2 > ws: an even window split half and half does not
 * alarm).  Windows slide one row at a time over the rows in time order; a
 * sequence shorter than ws has no window.  When no window up to the search
 * limit (and DSopt's length) is free of false alarms, ws* is the window with
 * the smallest fraction of alarming windows (the smallest window among
 * equals) and the run says so ("window_qualified": false).  Covered by tests/unit/test_detect.c
 * (against a brute-force count) and tests/cli/test_detect.py (rechecked
 * from predict's flags).
 */
#include "engine/detect/detect_internal.h"

#include <math.h>

double baiot_detect_threshold(const double *s, int64_t n)
{
    if (n <= 0)
        return NAN;
    double sum = 0;
    for (int64_t i = 0; i < n; i++)
        sum += s[i];
    double m = sum / (double)n, q = 0;
    for (int64_t i = 0; i < n; i++) {
        double e = s[i] - m;
        q += e * e;
    }
    return m + sqrt(q / (double)n);
}

int64_t baiot_detect_window_alarms(const unsigned char *flag, int64_t n, int ws, int64_t *first)
{
    int64_t cnt = 0, alarms = 0;
    if (first)
        *first = -1;
    if (ws < 1)
        return 0;
    for (int64_t i = 0; i < n; i++) {
        cnt += flag[i] != 0;
        if (i >= ws)
            cnt -= flag[i - ws] != 0;
        if (i >= ws - 1 && cnt * 2 > ws) {
            if (first && *first < 0)
                *first = i;
            alarms++;
        }
    }
    return alarms;
}

int baiot_detect_window(const unsigned char *flag, int64_t n, int max_ws, int *qualified)
{
    int best = 1;
    int64_t best_alarms = -1, best_windows = 1;
    int64_t lim = n < max_ws ? n : max_ws;
    *qualified = 0;
    for (int ws = 1; ws <= lim; ws++) {
        int64_t a = baiot_detect_window_alarms(flag, n, ws, NULL);
        if (a == 0) {
            *qualified = 1;
            return ws;
        }
        int64_t nw = n - ws + 1;
        if (best_alarms < 0 || a * best_windows < best_alarms * nw) { /* a / nw < best_alarms / best_windows */
            best_alarms = a;
            best_windows = nw;
            best = ws;
        }
    }
    return best;
}
