/*
 * view_labels.c - whether a view has class labels, and the refusal every
 * supervised step (ranking, OneR, J48, folds, classes-to-clusters, a study,
 * an export that writes a class) gives when it has none.
 *
 * A view is unlabelled when it has rows and none of them has a class
 * (y[i] == -1 for every i): an N-BaIoT CSV whose name tells no label (the
 * view_csv.c loader leaves every class missing), or an ARFF file whose
 * class attribute holds only '?'.  Stores are always labelled (ingest
 * refuses a source it cannot label).  Rows with a missing class among
 * labelled ones are Weka's business (they are skipped) and pass.  Pure
 * functions of the view (thread-safe).  Covered by
 * tests/cli/test_labels.py.
 */
#include "baiot/view.h"

#include <stdio.h>

int64_t baiot_view_labelled_rows(const baiot_view *v)
{
    int64_t n = 0;
    for (int64_t i = 0; i < v->n_rows; i++)
        n += v->y[i] >= 0;
    return n;
}

baiot_status baiot_view_check_labelled(const baiot_view *v, const char *path, const char *what)
{
    if (v->n_rows == 0 || baiot_view_labelled_rows(v) > 0)
        return BAIOT_OK;
    if (v->format == BAIOT_DATA_ARFF)
        return baiot_fail(BAIOT_ERR_ARG,
                          "'%s' has no class labels (every value of its class attribute '%s' is missing), and %s "
                          "needs them: give the rows their class, or choose the class attribute with --class NAME "
                          "(em without --classes-to-clusters and info work on unlabelled data)",
                          path, v->class_name ? v->class_name : "?", what);
    return baiot_fail(BAIOT_ERR_ARG,
                      "'%s' has no class labels (its name tells no device, family and attack), and %s needs them: "
                      "name the file as the N-BaIoT download does (e.g. Danmini_Doorbell/gafgyt_attacks/combo.csv "
                      "or 1.benign.csv), or ingest it with its labels: baiot ingest '%s' -o STORE --device D "
                      "--family F --attack A (em without --classes-to-clusters and info work on unlabelled data)",
                      path, what, path);
}
