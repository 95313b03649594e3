/*
 * fuzz_arff.c - libFuzzer harness for the ARFF reader (io/sources/arff_read.c):
 * the bytes as an .arff file loaded into a view (header, attribute types,
 * nominal values, quoting, sparse rows, missing values, class choice).
 */
#include "baiot/arff.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size, ".arff");
    baiot_view *v = NULL;
    if (baiot_arff_load_view(path, NULL, &v) == BAIOT_OK)
        baiot_view_free(v);
    return 0;
}
