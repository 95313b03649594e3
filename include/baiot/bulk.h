/*
 * bulk.h - the study's pipeline for each device of a store, one after
 * another (each using every thread), optionally plus all devices pooled,
 * with a summary (summary.json, summary.md) in the output folder.
 *
 * A device that fails (for instance no rows for the task) is recorded with
 * its message and the others still run; the summary says which failed.
 * Each device's report is <out_dir>/<device>-<task>/, the pooled one
 * <out_dir>/pooled-<task>/.
 */
#ifndef BAIOT_BULK_H
#define BAIOT_BULK_H
#include "baiot/detect.h"
#include "baiot/study.h"
BAIOT_BEGIN_DECLS

typedef struct baiot_bulk_item {
    char label[128];      /* device name, or "pooled" */
    char dir[4096];       /* its report folder */
    int ok;
    char error[512];      /* when !ok */
    int64_t rows;
    int top;
    char columns[2048];   /* kept columns, comma-separated */
    double j48_accuracy;  /* % */
    double em_accuracy;   /* % */
    double seconds;
} baiot_bulk_item;

typedef struct baiot_bulk_summary {
    int n;
    baiot_bulk_item *items;
    int n_failed;
} baiot_bulk_summary;

/* devices: "all" / NULL (the devices present in the store, UCI order) or a
 * comma list of names or 1..9.  Fails only when nothing can run at all
 * (not a store, bad list, output folder); device failures are items. */
baiot_status baiot_bulk_run(const char *store_path, const char *devices, int pooled, const baiot_study_params *p,
                            const char *out_dir, baiot_bulk_summary **out);
void baiot_bulk_free(baiot_bulk_summary *s);

/* ---- bulk --detect: N-BaIoT's per-device detectors (baiot/detect.h) ---- */
typedef struct baiot_bulk_detect_item {
    char label[128];      /* device name, or "pooled" */
    char dir[4096];       /* its report folder (<out_dir>/<label>-detect) */
    int ok;
    char error[512];      /* when !ok */
    int rank;             /* the MPI rank that ran it (0 in one process) */
    baiot_detect_figures fig; /* when ok; fig.method points to static text */
    double seconds;       /* load + train + score + report */
} baiot_bulk_detect_item;

typedef struct baiot_bulk_detect_summary {
    int n;
    baiot_bulk_detect_item *items;
    int n_failed;
} baiot_bulk_detect_summary;

/* One detector per device of the store (devices: NULL/"all" or a list),
 * plus one for the devices pooled; the devices run side by side on the
 * threads (n_threads, 0: all) and are spread over MPI ranks when
 * distributed, each rank writing its devices' report folders (a file
 * system all ranks see); rank 0 writes summary.json and summary.md (the
 * paper's per-device table beside ours) and swaps the folder in whole.
 * Outputs are identical (apart from timings) for any thread or rank
 * count.  Covered by tests/cli/test_bulk_detect.py. */
baiot_status baiot_bulk_detect_run(const char *store_path, const char *devices, int pooled,
                                   const baiot_detect_params *p, int n_threads, const char *out_dir,
                                   baiot_bulk_detect_summary **out);
void baiot_bulk_detect_free(baiot_bulk_detect_summary *s);

BAIOT_END_DECLS
#endif
