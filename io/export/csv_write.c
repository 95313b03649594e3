/*
 * csv_write.c - CSV export (see include/baiot/csv.h).
 *
 * Rows are formatted in fixed blocks of BLOCK_ROWS, a batch of blocks in
 * parallel into per-block buffers, then written in block order, so the file
 * is the same for any thread count.
 * Covered by tests/cli/test_export_roundtrip.py and
 * tests/cli/test_real_files.py.
 */
#include "io/text/text_buf.h"
#include "baiot/csv.h"
#include "io/files/atomic_file.h"
#include "io/text/format_double.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#define BLOCK_ROWS 2048
#define BATCH_BLOCKS 16

static void format_rows(const baiot_view *v, int64_t r0, int64_t r1, const baiot_csv_options *opt, text_buf *b)
{
    char num[FORMAT_DOUBLE_MAX];
    const char *eol = opt->crlf ? "\r\n" : "\n";
    size_t eol_len = opt->crlf ? 2 : 1;
    for (int64_t r = r0; r < r1; r++) {
        for (int j = 0; j < v->n_cols; j++) {
            double x = v->cols[j][r];
            if (j > 0)
                text_buf_put(b, ",", 1);
            if (isnan(x))
                continue;
            if (v->attrs[j].kind == BAIOT_ATTR_NOMINAL) {
                const char *name = v->attrs[j].values[(int)x];
                text_buf_put(b, name, strlen(name));
            } else {
                text_buf_put(b, num, (size_t)baiot_format_double(x, num));
            }
        }
        if (opt->with_class) {
            const char *c = v->y[r] >= 0 ? v->class_names[v->y[r]] : "";
            if (v->n_cols > 0)
                text_buf_put(b, ",", 1);
            text_buf_put(b, c, strlen(c));
        }
        text_buf_put(b, eol, eol_len);
    }
}

baiot_status baiot_csv_write_view(const char *path, const baiot_view *v, const baiot_csv_options *opt)
{
    atomic_file af;
    text_buf bufs[BATCH_BLOCKS];
    baiot_status st = baiot_atomic_file_open(path, &af);
    const char *eol = opt->crlf ? "\r\n" : "\n";
    if (st)
        return st;
    memset(bufs, 0, sizeof bufs);
    for (int j = 0; j < v->n_cols; j++)
        fprintf(af.fp, "%s%s", j ? "," : "", v->attrs[j].name);
    if (opt->with_class)
        fprintf(af.fp, "%sclass", v->n_cols ? "," : "");
    fputs(eol, af.fp);

    int64_t n_blocks = (v->n_rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    for (int64_t b0 = 0; b0 < n_blocks; b0 += BATCH_BLOCKS) {
        int nb = (int)(n_blocks - b0 < BATCH_BLOCKS ? n_blocks - b0 : BATCH_BLOCKS);
#pragma omp parallel for schedule(dynamic, 1) default(none) shared(v, opt, bufs, nb, b0)
        for (int k = 0; k < nb; k++) {
            int64_t r0 = (b0 + k) * BLOCK_ROWS;
            int64_t r1 = r0 + BLOCK_ROWS < v->n_rows ? r0 + BLOCK_ROWS : v->n_rows;
            bufs[k].len = 0;
            format_rows(v, r0, r1, opt, &bufs[k]);
        }
        for (int k = 0; k < nb; k++) {
            if (bufs[k].oom) {
                st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory writing '%s'", path);
                goto fail;
            }
            if (fwrite(bufs[k].data, 1, bufs[k].len, af.fp) != bufs[k].len) {
                st = baiot_fail(BAIOT_ERR_IO, "cannot write '%s' (disk full?)", path);
                goto fail;
            }
        }
    }
    st = baiot_atomic_file_commit(&af);
    for (int k = 0; k < BATCH_BLOCKS; k++)
        baiot_free(bufs[k].data);
    return st;
fail:
    for (int k = 0; k < BATCH_BLOCKS; k++)
        baiot_free(bufs[k].data);
    baiot_atomic_file_abort(&af);
    return st;
}
