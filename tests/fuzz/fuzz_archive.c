/*
 * fuzz_archive.c - libFuzzer harness for the ingest path through archives
 * (io/sources/source_scan.c, io/sources/nbaiot_reader.c over libarchive): the bytes as a
 * .zip (libarchive detects rar, 7z, tar and zip by content), its CSV
 * members listed, labelled from their names, and each streamed through
 * the N-BaIoT reader into a sink that drops the rows.
 */
#include "fuzz_input.h"
#include "io/sources/nbaiot_reader.h"
#include "io/sources/source_scan.h"

static baiot_status drop(void *user, const csv_block *blk)
{
    (void)user;
    (void)blk;
    return BAIOT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write_file(data, size, ".zip");
    baiot_ingest_params p = baiot_ingest_params_default();
    p.device = 0; /* labels forced, so members with any name are read */
    p.family = 0;
    p.attack = "benign";
    source_list list;
    const char *args[1] = {path};
    if (baiot_source_scan(args, 1, &p, &list) != BAIOT_OK)
        return 0;
    for (int i = 0; i < list.n && i < 16; i++) {
        nbaiot_read_result rr;
        (void)baiot_nbaiot_read_source(&list.items[i], p.block_bytes, drop, NULL, &rr);
    }
    baiot_source_list_free(&list);
    return 0;
}
