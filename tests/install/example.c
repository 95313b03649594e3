/*
 * example.c - a small program against an installed libbaiot (public
 * headers only): simulates a tiny store of one device, loads it, grows
 * Weka's J48 on it and prints the version, the rows and the tree's size.
 * Built by tests/install/test_install.sh through pkg-config and through
 * CMake's find_package(baiot); the test checks what it prints.
 */
#include <baiot/baiot.h>
#include <baiot/j48.h>
#include <baiot/synth.h>
#include <baiot/view.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: example STORE.h5\n");
        return 2;
    }
    baiot_synth_params sp = baiot_synth_params_default();
    sp.devices = "Provision_PT_737E_Security_Camera";
    sp.scale = 0.002;
    sp.seed = 1;
    baiot_synth_result sr;
    baiot_view *v = NULL;
    baiot_j48_model *m = NULL;
    baiot_view_params vp = baiot_view_params_default();
    baiot_j48_params jp = baiot_j48_params_default();
    int64_t *rows = NULL;
    if (baiot_synth(argv[1], &sp, &sr) || baiot_view_load(argv[1], &vp, &v))
        goto fail;
    rows = malloc((size_t)v->n_rows * sizeof *rows);
    if (!rows)
        goto fail;
    for (int64_t r = 0; r < v->n_rows; r++)
        rows[r] = r;
    if (baiot_j48_train(v, rows, v->n_rows, NULL, &jp, &m))
        goto fail;
    printf("baiot %s: %lld rows, %d columns, %d classes; J48: %lld leaves, size %lld\n", baiot_version(),
           (long long)v->n_rows, v->n_cols, v->n_classes, (long long)baiot_j48_num_leaves(m),
           (long long)baiot_j48_tree_size(m));
    baiot_j48_free(m);
    baiot_view_free(v);
    free(rows);
    return 0;
fail:
    fprintf(stderr, "example: %s\n", baiot_last_error());
    baiot_view_free(v);
    free(rows);
    return 1;
}
