/*
 * store_write.c - the store writer (see store_write.h, docs/STORE.md).
 *
 * Every dataset is 1-D, chunked and extendable.  Appended rows are staged
 * per column and written one whole chunk at a time, with HDF5's chunk
 * cache off, so each chunk goes to the file once, straight from the stage
 * (no partial-chunk fills, no cache copies); the last, partial chunk is
 * written at close.  All columns therefore have equal length once the
 * writer closes.  The source table is kept in memory and written (as a
 * whole) at close.  The columns' CRC-32 is kernels/crc32's (zlib's values).
 * After every 16 columns written the kernel is asked to start writing the
 * file's dirty pages (sync_file_range), so the fsync that must precede the
 * rename finds almost nothing left; durability still rests on that fsync.
 * Single-threaded: HDF5 is called from the caller's thread only.
 * Covered by tests/unit/test_ingest_view.c, tests/cli/test_store_client.py
 * and tests/cli/test_store_versions.py.
 */
#define _GNU_SOURCE /* sync_file_range */
#include "io/store/store_write.h"
#include "baiot/nbaiot.h"
#include "kernels/crc32.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#define WRITEBACK_COLUMNS 16 /* columns written between writeback hints: 8 MB at 65536-row chunks */

struct store_writer {
    hid_t file;
    hid_t features[BAIOT_N_FEATURES];
    hid_t labels[3];
    int64_t rows;       /* rows appended, staged ones included */
    int64_t written;    /* rows in the file */
    int64_t chunk_rows;
    double *stage;      /* BAIOT_N_FEATURES x chunk_rows, column-major */
    uint8_t *stage_labels[3];
    int64_t staged;     /* rows in the stage */
    uint32_t crc[BAIOT_N_FEATURES + 3]; /* running CRC-32 of each column (features, then labels) */
    int crc_known;      /* 0: an old store without checksums; none are written */
    baiot_source_info *sources;
    int n_sources, cap_sources;
};

static baiot_status h5fail(const char *what, const char *path)
{
    return baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not %s in '%s'", what, path);
}

static store_writer *writer_new(int64_t chunk_rows)
{
    store_writer *w = baiot_calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->chunk_rows = chunk_rows;
    w->crc_known = 1; /* crc32 of no bytes is 0 */
    w->stage = baiot_malloc((size_t)chunk_rows * BAIOT_N_FEATURES * sizeof(double));
    for (int k = 0; k < 3; k++)
        w->stage_labels[k] = baiot_malloc((size_t)chunk_rows);
    if (!w->stage || !w->stage_labels[0] || !w->stage_labels[1] || !w->stage_labels[2]) {
        baiot_free(w->stage);
        for (int k = 0; k < 3; k++)
            baiot_free(w->stage_labels[k]);
        baiot_free(w);
        return NULL;
    }
    w->file = H5I_INVALID_HID;
    for (int j = 0; j < BAIOT_N_FEATURES; j++)
        w->features[j] = H5I_INVALID_HID;
    for (int k = 0; k < 3; k++)
        w->labels[k] = H5I_INVALID_HID;
    return w;
}

/* Strings are fixed-length (the longest + NUL), so the attribute's bytes sit
 * in its object header, under its checksum; variable-length strings would
 * live in HDF5's global heap, which has no checksum (format version 1). */
static int write_string_array_attr(hid_t obj, const char *name, const char *const *values, size_t n)
{
    size_t width = 1;
    for (size_t i = 0; i < n; i++)
        if (strlen(values[i]) + 1 > width)
            width = strlen(values[i]) + 1;
    char *buf = calloc(n > 0 ? n : 1, width);
    if (!buf)
        return 0;
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * width, values[i], strlen(values[i]));
    hsize_t dims[1] = {n};
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, width);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t sp = H5Screate_simple(1, dims, NULL);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, t, buf) >= 0;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    free(buf);
    return ok;
}

static int write_string_attr(hid_t obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) + 1);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, t, value) >= 0;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return ok;
}

static int write_int_attr(hid_t obj, const char *name, int value)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, H5T_NATIVE_INT, &value) >= 0;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    return ok;
}

static hid_t create_column(hid_t group, const char *name, hid_t type, const baiot_ingest_params *p)
{
    hsize_t dims[1] = {0}, maxdims[1] = {H5S_UNLIMITED}, chunk[1] = {(hsize_t)p->chunk_rows};
    hid_t sp = H5Screate_simple(1, dims, maxdims);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0); /* no times in object headers: same bytes for the same data */
    H5Pset_chunk(dcpl, 1, chunk);
    H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER); /* every element is written by an append */
    H5Pset_obj_track_times(dcpl, 0);             /* no clock in the file: same inputs, same bytes */
    if (p->compress > 0) {
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, (unsigned)p->compress);
    }
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    H5Pset_chunk_cache(dapl, 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT);
    hid_t d = H5Dcreate2(group, name, type, sp, H5P_DEFAULT, dcpl, dapl);
    H5Pclose(dapl);
    H5Pclose(dcpl);
    H5Sclose(sp);
    return d;
}

baiot_status baiot_store_writer_create(const char *path, const baiot_ingest_params *p, store_writer **out)
{
    store_writer *w = writer_new(p->chunk_rows);
    hid_t fg = H5I_INVALID_HID, lg = H5I_INVALID_HID, src = H5I_INVALID_HID;
    baiot_status st = BAIOT_OK;
    *out = NULL;
    if (!w)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    baiot_store_quiet_hdf5();
    /* HDF5's 1.10 file format: the superblock, object headers and chunk
     * indexes carry checksums, so damaged metadata is refused, not parsed */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, 0); /* the root group's header too */
    w->file = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (w->file < 0) {
        st = h5fail("create the store", path);
        goto fail;
    }
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    fg = H5Gcreate2(w->file, STORE_FEATURES_GROUP, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    lg = H5Gcreate2(w->file, STORE_LABELS_GROUP, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    if (fg < 0 || lg < 0) {
        st = h5fail("create groups", path);
        goto fail;
    }
    for (int j = 0; j < BAIOT_N_FEATURES; j++)
        if ((w->features[j] = create_column(fg, baiot_feature_names[j], H5T_IEEE_F64LE, p)) < 0) {
            st = h5fail("create a feature column", path);
            goto fail;
        }
    for (int k = 0; k < 3; k++)
        if ((w->labels[k] = create_column(lg, baiot_store_label_names[k], H5T_STD_U8LE, p)) < 0) {
            st = h5fail("create a label column", path);
            goto fail;
        }
    {
        hsize_t dims[1] = {0}, maxdims[1] = {H5S_UNLIMITED}, chunk[1] = {64};
        hid_t sp = H5Screate_simple(1, dims, maxdims);
        hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_obj_track_times(dcpl, 0);
        hid_t t = baiot_store_source_type();
        H5Pset_chunk(dcpl, 1, chunk);
        H5Pset_obj_track_times(dcpl, 0);
        src = H5Dcreate2(w->file, STORE_SOURCES, t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        H5Tclose(t);
        H5Pclose(dcpl);
        H5Sclose(sp);
        if (src < 0) {
            st = h5fail("create the source table", path);
            goto fail;
        }
    }
    if (!write_string_attr(w->file, STORE_ATTR_FORMAT, BAIOT_STORE_FORMAT) ||
        !write_int_attr(w->file, STORE_ATTR_VERSION, BAIOT_STORE_FORMAT_VERSION) ||
        !write_string_attr(w->file, STORE_ATTR_CREATOR, "baiot " BAIOT_VERSION_STRING) ||
        !write_string_array_attr(w->file, STORE_ATTR_FEATURES, baiot_feature_names, BAIOT_N_FEATURES) ||
        !write_string_array_attr(w->file, STORE_ATTR_DEVICES, baiot_device_names, BAIOT_N_DEVICES) ||
        !write_string_array_attr(w->file, STORE_ATTR_FAMILIES, baiot_family_names, BAIOT_N_FAMILIES) ||
        !write_string_array_attr(w->file, STORE_ATTR_ATTACKS, baiot_attack_names, BAIOT_N_ATTACKS)) {
        st = h5fail("write the store's attributes", path);
        goto fail;
    }
    H5Dclose(src);
    H5Gclose(fg);
    H5Gclose(lg);
    *out = w;
    return BAIOT_OK;
fail:
    if (src >= 0)
        H5Dclose(src);
    if (fg >= 0)
        H5Gclose(fg);
    if (lg >= 0)
        H5Gclose(lg);
    baiot_store_writer_discard(w);
    return st;
}

/* The chunk length of an existing column. */
static int64_t chunk_length(hid_t d)
{
    hid_t dcpl = H5Dget_create_plist(d);
    hsize_t dims[1] = {0};
    int64_t n = (dcpl >= 0 && H5Pget_chunk(dcpl, 1, dims) == 1) ? (int64_t)dims[0] : -1;
    if (dcpl >= 0)
        H5Pclose(dcpl);
    return n;
}

baiot_status baiot_store_writer_open(const char *path, store_writer **out)
{
    store_writer *w = NULL;
    baiot_store *s = NULL;
    baiot_status st;
    char name[256];
    hid_t nocache = H5I_INVALID_HID;
    hid_t probe = H5I_INVALID_HID;
    *out = NULL;
    /* Validate and read the source table through the reader. */
    st = baiot_store_open(path, &s);
    if (st)
        goto fail;
    baiot_store_quiet_hdf5();
    {
        hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        snprintf(name, sizeof name, STORE_FEATURES_GROUP "/%s", baiot_feature_names[0]);
        probe = f >= 0 ? H5Dopen2(f, name, H5P_DEFAULT) : H5I_INVALID_HID;
        int64_t cr = probe >= 0 ? chunk_length(probe) : -1;
        if (probe >= 0)
            H5Dclose(probe);
        if (f >= 0)
            H5Fclose(f);
        if (cr < 1) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s': column %s is not chunked", path, name);
            goto fail;
        }
        if (!(w = writer_new(cr))) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto fail;
        }
    }
    w->rows = w->written = baiot_store_rows(s);
    w->crc_known = -1; /* read from the columns below */
    w->n_sources = w->cap_sources = baiot_store_n_sources(s);
    if (w->n_sources > 0) {
        w->sources = baiot_malloc((size_t)w->n_sources * sizeof *w->sources);
        if (!w->sources) {
            st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            goto fail;
        }
        for (int i = 0; i < w->n_sources; i++)
            w->sources[i] = *baiot_store_source(s, i);
    }
    baiot_store_close(s);
    s = NULL;
    baiot_store_quiet_hdf5();
    w->file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (w->file < 0) {
        st = h5fail("open the store for writing", path);
        goto fail;
    }
    nocache = H5Pcreate(H5P_DATASET_ACCESS);
    H5Pset_chunk_cache(nocache, 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT);
    for (int j = 0; j < BAIOT_N_FEATURES; j++) {
        snprintf(name, sizeof name, STORE_FEATURES_GROUP "/%s", baiot_feature_names[j]);
        if ((w->features[j] = H5Dopen2(w->file, name, nocache)) < 0) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' has no column %s", path, name);
            goto fail;
        }
    }
    for (int k = 0; k < 3; k++) {
        snprintf(name, sizeof name, STORE_LABELS_GROUP "/%s", baiot_store_label_names[k]);
        if ((w->labels[k] = H5Dopen2(w->file, name, nocache)) < 0) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' has no column %s", path, name);
            goto fail;
        }
    }
    /* appending continues each column's running checksum */
    w->crc_known = 1;
    for (int j = 0; j < BAIOT_N_FEATURES + 3; j++)
        if (!baiot_store_read_crc(j < BAIOT_N_FEATURES ? w->features[j] : w->labels[j - BAIOT_N_FEATURES], &w->crc[j]))
            w->crc_known = 0;
    H5Pclose(nocache);
    *out = w;
    return BAIOT_OK;
fail:
    if (nocache >= 0)
        H5Pclose(nocache);
    baiot_store_close(s);
    baiot_store_writer_discard(w);
    return st;
}

int64_t baiot_store_writer_rows(const store_writer *w)
{
    return w->rows;
}

const baiot_source_info *baiot_store_writer_find_sha(const store_writer *w, const char *sha256)
{
    for (int i = 0; i < w->n_sources; i++)
        if (strcmp(w->sources[i].sha256, sha256) == 0)
            return &w->sources[i];
    return NULL;
}

static int append_column(hid_t d, hid_t memtype, const void *data, int64_t at, int64_t n)
{
    hsize_t size[1] = {(hsize_t)(at + n)}, start[1] = {(hsize_t)at}, count[1] = {(hsize_t)n};
    if (H5Dset_extent(d, size) < 0)
        return 0;
    hid_t fs = H5Dget_space(d);
    hid_t ms = H5Screate_simple(1, count, NULL);
    int ok = fs >= 0 && H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
             H5Dwrite(d, memtype, ms, fs, H5P_DEFAULT, data) >= 0;
    H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    return ok;
}

/* Asks the kernel to start writing the file's dirty pages to the disk now
 * (sync_file_range, SYNC_FILE_RANGE_WRITE: it does not wait for them), so
 * that the fsync before the rename (io/files/atomic_file.c) finds little
 * left to write: on this project's disk a 200 MB store's fsync drops from
 * ~0.09 s to a few ms (docs/PERFORMANCE.md).  Only a hint: durability still
 * comes from that fsync; a failure here is ignored. */
static void start_writeback(store_writer *w)
{
#ifdef SYNC_FILE_RANGE_WRITE
    void *handle = NULL;
    if (H5Fget_vfd_handle(w->file, H5P_DEFAULT, &handle) >= 0 && handle)
        (void)sync_file_range(*(int *)handle, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)w;
#endif
}

/* Writes the staged rows to the file. */
static baiot_status flush_stage(store_writer *w)
{
    if (w->staged == 0)
        return BAIOT_OK;
    for (int j = 0; j < BAIOT_N_FEATURES; j++) {
        const double *col = w->stage + (size_t)j * (size_t)w->chunk_rows;
        if (!append_column(w->features[j], H5T_NATIVE_DOUBLE, col, w->written, w->staged))
            return baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not append to column %s (disk full?)",
                              baiot_feature_names[j]);
        w->crc[j] = baiot_crc32(w->crc[j], col, (size_t)w->staged * sizeof(double));
        if (j % WRITEBACK_COLUMNS == WRITEBACK_COLUMNS - 1)
            start_writeback(w);
    }
    for (int k = 0; k < 3; k++) {
        if (!append_column(w->labels[k], H5T_NATIVE_UINT8, w->stage_labels[k], w->written, w->staged))
            return baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not append to label column %s (disk full?)",
                              baiot_store_label_names[k]);
        w->crc[BAIOT_N_FEATURES + k] = baiot_crc32(w->crc[BAIOT_N_FEATURES + k], w->stage_labels[k], (size_t)w->staged);
    }
    start_writeback(w);
    w->written += w->staged;
    w->staged = 0;
    return BAIOT_OK;
}

baiot_status baiot_store_writer_append(store_writer *w, const double *values, int64_t stride, int64_t rows,
                                 uint8_t device, uint8_t family, uint8_t attack)
{
    uint8_t lab[3] = {device, family, attack};
    int64_t done = 0;
    baiot_status st;
    /* The stage is aligned with the file's chunks: first top up the chunk
     * the file ends in (after an append to an existing store). */
    while (done < rows) {
        int64_t room = w->chunk_rows - (w->written + w->staged) % w->chunk_rows;
        int64_t n = rows - done < room ? rows - done : room;
        for (int j = 0; j < BAIOT_N_FEATURES; j++)
            memcpy(w->stage + (size_t)j * (size_t)w->chunk_rows + w->staged, values + (int64_t)j * stride + done,
                   (size_t)n * sizeof(double));
        for (int k = 0; k < 3; k++)
            memset(w->stage_labels[k] + w->staged, lab[k], (size_t)n);
        w->staged += n;
        done += n;
        if (n == room && (st = flush_stage(w)))
            return st;
    }
    w->rows += rows;
    return BAIOT_OK;
}

baiot_status baiot_store_writer_add_source(store_writer *w, const baiot_source_info *src)
{
    if (w->n_sources == w->cap_sources) {
        int cap = w->cap_sources ? 2 * w->cap_sources : 16;
        baiot_source_info *grown = baiot_realloc(w->sources, (size_t)cap * sizeof *grown);
        if (!grown)
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        w->sources = grown;
        w->cap_sources = cap;
    }
    w->sources[w->n_sources++] = *src;
    return BAIOT_OK;
}

static int write_sources(store_writer *w)
{
    hid_t d = H5Dopen2(w->file, STORE_SOURCES, H5P_DEFAULT);
    hsize_t n[1] = {(hsize_t)w->n_sources};
    int ok = d >= 0 && H5Dset_extent(d, n) >= 0;
    if (ok && w->n_sources > 0) {
        hid_t t = baiot_store_source_type();
        ok = H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, w->sources) >= 0;
        H5Tclose(t);
    }
    if (d >= 0)
        H5Dclose(d);
    return ok;
}

static void close_handles(store_writer *w)
{
    for (int j = 0; j < BAIOT_N_FEATURES; j++)
        if (w->features[j] >= 0)
            H5Dclose(w->features[j]);
    for (int k = 0; k < 3; k++)
        if (w->labels[k] >= 0)
            H5Dclose(w->labels[k]);
}

static void free_writer(store_writer *w)
{
    baiot_free(w->stage);
    for (int k = 0; k < 3; k++)
        baiot_free(w->stage_labels[k]);
    baiot_free(w->sources);
    baiot_free(w);
}

baiot_status baiot_store_writer_close(store_writer *w)
{
    baiot_status st = flush_stage(w);
    for (int j = 0; !st && w->crc_known && j < BAIOT_N_FEATURES + 3; j++)
        if (!baiot_store_write_crc(j < BAIOT_N_FEATURES ? w->features[j] : w->labels[j - BAIOT_N_FEATURES], w->crc[j]))
            st = baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not write a column checksum");
    if (!st && !write_sources(w))
        st = baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not write the source table");
    close_handles(w);
    if (H5Fclose(w->file) < 0 && !st)
        st = baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not close the store");
    free_writer(w);
    return st;
}

void baiot_store_writer_discard(store_writer *w)
{
    if (!w)
        return;
    close_handles(w);
    if (w->file >= 0)
        H5Fclose(w->file);
    free_writer(w);
}
