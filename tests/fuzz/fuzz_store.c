/*
 * fuzz_store.c - libFuzzer harness for opening stores (io/store/store_read.c):
 * the bytes as an HDF5 file (the seed corpus holds small valid stores, so
 * mutations are corrupted stores), opened, every column and label read,
 * and verified (structure and CRC-32s).  HDF5's own reading of a damaged
 * file is in scope: a crash inside libhdf5 is reported too.
 */
#include "baiot/store.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size, ".h5");
    baiot_store *s = NULL;
    if (baiot_store_open(path, &s) == BAIOT_OK) {
        int64_t rows = baiot_store_rows(s);
        if (rows > 0 && rows <= 100000) {
            int64_t run[2] = {0, rows};
            double *col = baiot_malloc((size_t)rows * sizeof *col);
            uint8_t *lab = baiot_malloc((size_t)rows);
            for (int j = 0; col && j < baiot_store_n_features(s); j++)
                (void)baiot_store_read_column(s, j, run, 1, col);
            if (lab)
                (void)baiot_store_read_labels(s, "attack", run, 1, lab);
            baiot_free(col);
            baiot_free(lab);
        }
        baiot_store_close(s);
    }
    char **problems = NULL;
    int n_problems = 0, n_checked = 0;
    if (baiot_store_verify(path, &problems, &n_problems, &n_checked) == BAIOT_OK) {
        for (int i = 0; i < n_problems; i++)
            baiot_free(problems[i]);
        baiot_free(problems);
    }
    return 0;
}
