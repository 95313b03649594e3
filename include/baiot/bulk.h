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

BAIOT_END_DECLS
#endif
