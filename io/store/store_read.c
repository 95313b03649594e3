/*
 * store_read.c - opening a store, reading its columns and loading views
 * (see store.h, docs/STORE.md).
 *
 * Opening checks the format attribute and version, that every feature and
 * label column exists with the same length, and that the source runs tile
 * the rows.  Only the needed columns leave the file.  Every column read is
 * checked against the column's stored CRC-32 (docs/STORE.md, "Checked
 * reads"): the column is read in chunk-sized blocks, each block's CRC
 * (kernels/crc32.c, PCLMULQDQ) taken while it is still in cache, so a
 * damaged value fails the read with a message naming the store and the
 * column.  A read of some rows only still reads (and checksums) the whole
 * column; the rows outside the selection go through a scratch block.  A
 * column is checked once per process and file (device, inode, size,
 * mtime): later reads of it, one device after another in bulk, read only
 * their rows.  baiot_store_set_verify(0) or BAIOT_NO_VERIFY=1 turn the
 * check off (one hyperslab read of the rows asked for, as before); a
 * column without a stored CRC is read unchecked.
 * Covered by tests/unit/test_ingest_view.c, tests/cli/test_store_versions.py,
 * tests/cli/test_verify.py and tests/cli/test_checked_reads.py (flipped
 * bytes in a column).
 */
#include "baiot/store.h"
#include "io/files/output_policy.h"
#include "baiot/nbaiot.h"
#include "io/store/store_layout.h"
#include "kernels/crc32.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

struct baiot_store {
    hid_t file;
    char *path;
    int version;
    char creator[128];
    int64_t rows;
    int n_features;
    char **feature_names;
    baiot_source_info *sources;
    int n_sources;
    int verify;           /* check each column read against its CRC-32 */
    struct stat id;       /* the file as opened: which columns of it were checked (verified_*) */
};

/* Process-wide default of the read check (baiot_store_set_verify). */
static int verify_reads = 1;

static int n_verified;
static pthread_mutex_t verified_lock = PTHREAD_MUTEX_INITIALIZER;

void baiot_store_set_verify(int on)
{
    verify_reads = on != 0;
    pthread_mutex_lock(&verified_lock);
    n_verified = 0; /* forget the columns checked so far */
    pthread_mutex_unlock(&verified_lock);
}

/* The columns already checked in this process, per file: a column is
 * checked once (the first read of it reads it whole); later reads of it,
 * say one device after another in `bulk`, read only their rows.  A file is
 * known by device, inode, size and modification time, so a store replaced
 * (ingest renames a new file over it) or changed is checked again. */
#define VERIFIED_FILES 16
#define VERIFIED_COLUMNS 128
static struct verified_file {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    uint64_t done[VERIFIED_COLUMNS / 64];
} verified[VERIFIED_FILES];

static int same_file(const struct verified_file *v, const struct stat *st)
{
    return v->dev == st->st_dev && v->ino == st->st_ino && v->size == st->st_size &&
           v->mtime.tv_sec == st->st_mtim.tv_sec && v->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* 1 when column col of the file was checked in this process. */
static int verified_get(const struct stat *st, int col)
{
    int yes = 0;
    if (col < 0 || col >= VERIFIED_COLUMNS)
        return 0;
    pthread_mutex_lock(&verified_lock);
    for (int i = 0; i < n_verified && !yes; i++)
        yes = same_file(&verified[i], st) && (verified[i].done[col / 64] >> (col % 64) & 1);
    pthread_mutex_unlock(&verified_lock);
    return yes;
}

/* Notes column col of the file as checked (the oldest file is forgotten
 * when the table is full). */
static void verified_set(const struct stat *st, int col)
{
    if (col < 0 || col >= VERIFIED_COLUMNS)
        return;
    pthread_mutex_lock(&verified_lock);
    {
        int i = 0;
        while (i < n_verified && !same_file(&verified[i], st))
            i++;
        if (i == n_verified) {
            if (n_verified == VERIFIED_FILES) {
                memmove(verified, verified + 1, (VERIFIED_FILES - 1) * sizeof *verified);
                i = --n_verified;
            }
            memset(&verified[i], 0, sizeof verified[i]);
            verified[i].dev = st->st_dev;
            verified[i].ino = st->st_ino;
            verified[i].size = st->st_size;
            verified[i].mtime = st->st_mtim;
            n_verified++;
        }
        verified[i].done[col / 64] |= (uint64_t)1 << (col % 64);
    }
    pthread_mutex_unlock(&verified_lock);
}

/* The check applies to stores opened from now on: off when
 * baiot_store_set_verify(0) was called or BAIOT_NO_VERIFY is 1. */
static int verify_wanted(void)
{
    const char *env = getenv(BAIOT_NO_VERIFY_ENV);
    return verify_reads && !(env && strcmp(env, "1") == 0);
}

int baiot_store_is_store(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char sig[8];
    static const unsigned char h5sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    int yes = 0;
    if (!f)
        return 0;
    yes = fread(sig, 1, 8, f) == 8 && memcmp(sig, h5sig, 8) == 0;
    fclose(f);
    return yes;
}

/* The strings of a string attribute (scalar or 1-D): fixed-length ones
 * (format version 2) or, in version 1 stores only, variable-length ones.
 * Returns the count, -1 when the attribute is missing or not such strings,
 * -2 when out of memory; *out holds n copies (free each, then it). */
static int64_t read_strings(hid_t obj, const char *name, int allow_vlen, char ***out)
{
    *out = NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t ft = H5Aget_type(a), sp = H5Aget_space(a), t = H5I_INVALID_HID;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    htri_t var = ft >= 0 && H5Tget_class(ft) == H5T_STRING ? H5Tis_variable_str(ft) : -1;
    size_t width = var == 0 ? H5Tget_size(ft) : 0;
    int64_t got = -1;
    char **v = NULL, *buf = NULL;
    if (n < 1 || n > 1 << 16 || var < 0 || (var > 0 && !allow_vlen) || (var == 0 && (width < 1 || width > 1 << 16)))
        goto done;
    if (!(v = baiot_calloc((size_t)n, sizeof *v))) {
        got = -2;
        goto done;
    }
    t = H5Tcopy(H5T_C_S1);
    H5Tset_cset(t, H5T_CSET_UTF8);
    if (var > 0) {
        H5Tset_size(t, H5T_VARIABLE);
        char **raw = baiot_calloc((size_t)n, sizeof *raw);
        if (!raw) {
            got = -2;
        } else if (H5Aread(a, t, raw) >= 0) {
            got = n;
            for (hssize_t i = 0; i < n; i++)
                if (!(v[i] = baiot_strdup(raw[i] ? raw[i] : "")))
                    got = -2;
            H5Dvlen_reclaim(t, sp, H5P_DEFAULT, raw);
        }
        baiot_free(raw);
    } else {
        H5Tset_size(t, width);
        H5Tset_strpad(t, H5T_STR_NULLPAD);
        if (!(buf = baiot_calloc((size_t)n, width))) {
            got = -2;
        } else if (H5Aread(a, t, buf) >= 0) {
            got = n;
            for (hssize_t i = 0; i < n; i++) {
                const char *s = buf + (size_t)i * width;
                size_t len = strnlen(s, width);
                if (!(v[i] = baiot_malloc(len + 1))) {
                    got = -2;
                    continue;
                }
                memcpy(v[i], s, len);
                v[i][len] = 0;
            }
        }
    }
done:
    if (got < 0 && v) {
        for (hssize_t i = 0; i < n; i++)
            baiot_free(v[i]);
        baiot_free(v);
        v = NULL;
    }
    baiot_free(buf);
    if (t >= 0)
        H5Tclose(t);
    if (ft >= 0)
        H5Tclose(ft);
    if (sp >= 0)
        H5Sclose(sp);
    H5Aclose(a);
    *out = v;
    return got;
}

static void free_strings(char **v, int64_t n)
{
    for (int64_t i = 0; v && i < n; i++)
        baiot_free(v[i]);
    baiot_free(v);
}

/* 1 read, 0 missing or not one string, -2 out of memory. */
static int read_string_attr(hid_t obj, const char *name, int allow_vlen, char *out, size_t cap)
{
    char **v = NULL;
    int64_t n = read_strings(obj, name, allow_vlen, &v);
    if (n != 1) {
        free_strings(v, n);
        return n == -2 ? -2 : 0;
    }
    snprintf(out, cap, "%s", v[0]);
    free_strings(v, n);
    return 1;
}

static int64_t dataset_length(hid_t file, const char *name)
{
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    hsize_t dims[1] = {0};
    int64_t n = (H5Sget_simple_extent_ndims(sp) == 1 && H5Sget_simple_extent_dims(sp, dims, NULL) == 1)
                    ? (int64_t)dims[0]
                    : -1;
    H5Sclose(sp);
    H5Dclose(d);
    return n;
}

static baiot_status read_feature_names(baiot_store *s)
{
    char **v = NULL;
    int64_t n = read_strings(s->file, STORE_ATTR_FEATURES, s->version == 1, &v);
    if (n == -2)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if (n < 1)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s' is not a baiot store: no readable feature_names attribute", s->path);
    s->feature_names = v;
    s->n_features = (int)n;
    return BAIOT_OK;
}

static baiot_status read_sources(baiot_store *s)
{
    int64_t n = dataset_length(s->file, STORE_SOURCES);
    if (n < 0)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s' has no source table", s->path);
    s->n_sources = (int)n;
    s->sources = baiot_calloc((size_t)(n > 0 ? n : 1), sizeof *s->sources);
    if (!s->sources)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if (n == 0)
        return BAIOT_OK;
    hid_t d = H5Dopen2(s->file, STORE_SOURCES, H5P_DEFAULT);
    hid_t t = baiot_store_source_type();
    int ok = d >= 0 && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, s->sources) >= 0;
    H5Tclose(t);
    if (d >= 0)
        H5Dclose(d);
    if (!ok)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s': unreadable source table", s->path);
    int64_t at = 0;
    for (int i = 0; i < s->n_sources; i++) {
        baiot_source_info *si = &s->sources[i];
        si->name[BAIOT_SOURCE_NAME_MAX - 1] = '\0';
        si->sha256[64] = '\0';
        if (si->first_row != at || si->rows < 0 || si->device >= BAIOT_N_DEVICES ||
            si->family >= BAIOT_N_FAMILIES || si->attack >= BAIOT_N_ATTACKS)
            return baiot_fail(BAIOT_ERR_FORMAT, "'%s': source table entry %d (%s) is inconsistent", s->path, i + 1,
                              si->name);
        at += si->rows;
    }
    if (at != s->rows)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s': the sources hold %lld rows but the columns %lld", s->path,
                          (long long)at, (long long)s->rows);
    return BAIOT_OK;
}

baiot_status baiot_store_open(const char *path, baiot_store **out)
{
    baiot_output_note_input(path); /* no output of this run may replace it */
    baiot_store *s = baiot_calloc(1, sizeof *s);
    char fmt[64] = "";
    char name[300];
    baiot_status st = BAIOT_OK;
    *out = NULL;
    if (!s || !(s->path = baiot_strdup(path))) {
        baiot_free(s);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    s->verify = verify_wanted();
    if (s->verify && stat(path, &s->id) != 0)
        memset(&s->id, 0, sizeof s->id);
    baiot_store_quiet_hdf5();
    if (!baiot_store_is_store(path)) {
        FILE *f = fopen(path, "rb");
        st = f ? baiot_fail(BAIOT_ERR_FORMAT, "'%s' is not an HDF5 store", path)
               : baiot_fail(BAIOT_ERR_IO, "cannot open '%s'", path);
        if (f)
            fclose(f);
        s->file = H5I_INVALID_HID;
        goto fail;
    }
    s->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (s->file < 0) {
        st = baiot_fail(BAIOT_ERR_HDF5, "HDF5 cannot open '%s' (corrupt or truncated file?)", path);
        goto fail;
    }
    {
        /* the version first: it says how the strings are stored */
        hid_t a = H5Aopen(s->file, STORE_ATTR_VERSION, H5P_DEFAULT);
        hid_t at = a >= 0 ? H5Aget_type(a) : H5I_INVALID_HID;
        int is_int = at >= 0 && H5Tget_class(at) == H5T_INTEGER;
        if (at >= 0)
            H5Tclose(at);
        if (a < 0 || !is_int || H5Aread(a, H5T_NATIVE_INT, &s->version) < 0) {
            if (a >= 0)
                H5Aclose(a);
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' is an HDF5 file but not a baiot store (no format_version)", path);
            goto fail;
        }
        H5Aclose(a);
        if (s->version < BAIOT_STORE_FORMAT_VERSION_MIN || s->version > BAIOT_STORE_FORMAT_VERSION) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' has store format version %d; this baiot reads versions %d to %d",
                            path, s->version, BAIOT_STORE_FORMAT_VERSION_MIN, BAIOT_STORE_FORMAT_VERSION);
            goto fail;
        }
        const char *trust = getenv(BAIOT_TRUST_V1_ENV);
        if (s->version == 1 && !(trust && strcmp(trust, "1") == 0)) {
            st = baiot_fail(BAIOT_ERR_FORMAT,
                            "'%s' is store format version 1 (written by baiot before version 2): its "
                            "variable-length strings go through a part of libhdf5 that can hang or crash on a "
                            "damaged file, so version 1 is read only with " BAIOT_TRUST_V1_ENV "=1 (set it for a "
                            "store you made), or re-ingest its sources",
                            path);
            goto fail;
        }
    }
    int got_fmt = read_string_attr(s->file, STORE_ATTR_FORMAT, s->version == 1, fmt, sizeof fmt);
    if (got_fmt == -2) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    if (got_fmt != 1 || strcmp(fmt, BAIOT_STORE_FORMAT) != 0) {
        st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' is an HDF5 file but not a baiot store", path);
        goto fail;
    }
    if (read_string_attr(s->file, STORE_ATTR_CREATOR, s->version == 1, s->creator, sizeof s->creator) != 1)
        s->creator[0] = 0; /* optional */
    if ((st = read_feature_names(s)))
        goto fail;
    s->rows = -1;
    for (int j = 0; j < s->n_features + 3; j++) {
        if (j < s->n_features)
            snprintf(name, sizeof name, STORE_FEATURES_GROUP "/%s", s->feature_names[j]);
        else
            snprintf(name, sizeof name, STORE_LABELS_GROUP "/%s", baiot_store_label_names[j - s->n_features]);
        int64_t n = dataset_length(s->file, name);
        if (n < 0) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' has no column %s", path, name);
            goto fail;
        }
        if (s->rows >= 0 && n != s->rows) {
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s': column %s has %lld rows, others %lld", path, name,
                            (long long)n, (long long)s->rows);
            goto fail;
        }
        s->rows = n;
    }
    if ((st = read_sources(s)))
        goto fail;
    *out = s;
    return BAIOT_OK;
fail:
    baiot_store_close(s);
    return st;
}

void baiot_store_close(baiot_store *s)
{
    if (!s)
        return;
    if (s->file >= 0)
        H5Fclose(s->file);
    if (s->feature_names)
        for (int j = 0; j < s->n_features; j++)
            baiot_free(s->feature_names[j]);
    baiot_free(s->feature_names);
    baiot_free(s->sources);
    baiot_free(s->path);
    baiot_free(s);
}

int64_t baiot_store_rows(const baiot_store *s) { return s->rows; }
int baiot_store_n_features(const baiot_store *s) { return s->n_features; }
const char *baiot_store_feature_name(const baiot_store *s, int j) { return s->feature_names[j]; }
int baiot_store_n_sources(const baiot_store *s) { return s->n_sources; }
const baiot_source_info *baiot_store_source(const baiot_store *s, int i) { return &s->sources[i]; }
int baiot_store_format_version(const baiot_store *s) { return s->version; }
const char *baiot_store_creator(const baiot_store *s) { return s->creator; }

/* Rows read and checksummed at a time when the column's chunk size is not
 * usable: 65536 doubles (512 KiB) stay in a core's L2 cache between the
 * read and the CRC. */
#define VERIFY_BLOCK_ROWS 65536

/* 1 when the runs are in ascending order, do not overlap and lie inside
 * the column (what view_store builds): the checked read walks them in one
 * pass.  Other run lists are read plainly and checked by a second pass. */
static int runs_ascending(const int64_t *runs, int n_runs, int64_t rows)
{
    int64_t end = 0;
    for (int i = 0; i < n_runs; i++) {
        if (runs[2 * i] < end || runs[2 * i + 1] < 0 || runs[2 * i + 1] > rows - runs[2 * i])
            return 0;
        end = runs[2 * i] + runs[2 * i + 1];
    }
    return 1;
}

/* The block length for a checked read of d: its chunk length when that is
 * between 4096 and 1 << 20 rows (each block is then whole chunks), else
 * VERIFY_BLOCK_ROWS. */
static int64_t verify_block_rows(hid_t d)
{
    hid_t pl = H5Dget_create_plist(d);
    hsize_t chunk[1] = {0};
    int64_t rows = VERIFY_BLOCK_ROWS;
    if (pl >= 0 && H5Pget_layout(pl) == H5D_CHUNKED && H5Pget_chunk(pl, 1, chunk) == 1 && chunk[0] >= 4096 &&
        chunk[0] <= (1u << 20))
        rows = (int64_t)chunk[0];
    if (pl >= 0)
        H5Pclose(pl);
    return rows;
}

/* Reads rows [a, b) of d into dest. */
static int read_block(hid_t d, hid_t fs, hid_t memtype, int64_t a, int64_t b, void *dest)
{
    hsize_t start[1] = {(hsize_t)a}, count[1] = {(hsize_t)(b - a)};
    hid_t ms = H5Screate_simple(1, count, NULL);
    int ok = ms >= 0 && H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
             H5Dread(d, memtype, ms, fs, H5P_DEFAULT, dest) >= 0;
    if (ms >= 0)
        H5Sclose(ms);
    return ok;
}

/* CRC-32 (zlib's) of n bytes continuing crc: kernels/crc32.c, about four
 * times zlib's rate with PCLMULQDQ. */
static uint32_t crc_bytes(uint32_t crc, const unsigned char *p, size_t n)
{
    return baiot_crc32(crc, p, n);
}

/* The checked read: the whole column of `rows` rows in blocks, in order;
 * a block inside one run is read straight into its place in out, any
 * other block into scratch and its selected rows copied out.  *crc gets
 * the CRC-32 of the whole column's bytes. */
static baiot_status read_checked(baiot_store *s, hid_t d, const char *name, hid_t memtype, size_t elem,
                                 const int64_t *runs, int n_runs, unsigned char *out, uint32_t *crc)
{
    const int64_t block = verify_block_rows(d);
    unsigned char *scratch = NULL;
    hid_t fs = H5Dget_space(d);
    int r = 0;         /* the first run that ends after the current block's start */
    int64_t r_out = 0; /* the row in out where run r starts */
    baiot_status st = BAIOT_OK;
    *crc = 0;
    if (fs < 0)
        return baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not read column %s of '%s' (corrupt store?)", name, s->path);
    for (int64_t a = 0; a < s->rows && !st; a += block) {
        int64_t b = s->rows - a < block ? s->rows : a + block;
        while (r < n_runs && runs[2 * r] + runs[2 * r + 1] <= a) {
            r_out += runs[2 * r + 1];
            r++;
        }
        int direct = r < n_runs && runs[2 * r] <= a && b <= runs[2 * r] + runs[2 * r + 1];
        unsigned char *dest;
        if (direct) {
            dest = out + (size_t)(r_out + a - runs[2 * r]) * elem;
        } else {
            if (!scratch && !(scratch = baiot_malloc((size_t)block * elem))) {
                st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
                break;
            }
            dest = scratch;
        }
        if (!read_block(d, fs, memtype, a, b, dest)) {
            st = baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not read column %s of '%s' (corrupt store?)", name,
                            s->path);
            break;
        }
        *crc = crc_bytes(*crc, dest, (size_t)(b - a) * elem);
        if (direct)
            continue;
        int64_t k_out = r_out;
        for (int k = r; k < n_runs && runs[2 * k] < b; k++) {
            int64_t lo = runs[2 * k] > a ? runs[2 * k] : a;
            int64_t end = runs[2 * k] + runs[2 * k + 1], hi = end < b ? end : b;
            if (lo < hi)
                memcpy(out + (size_t)(k_out + lo - runs[2 * k]) * elem, scratch + (size_t)(lo - a) * elem,
                       (size_t)(hi - lo) * elem);
            k_out += runs[2 * k + 1];
        }
    }
    baiot_free(scratch);
    H5Sclose(fs);
    return st;
}

/* The plain read: the runs' rows only, one hyperslab union. */
static baiot_status read_plain(baiot_store *s, hid_t d, const char *name, hid_t memtype, const int64_t *runs,
                               int n_runs, void *out)
{
    hsize_t total = 0;
    baiot_status st = BAIOT_OK;
    hid_t fs = H5Dget_space(d);
    H5Sselect_none(fs);
    for (int i = 0; i < n_runs; i++) {
        hsize_t start[1] = {(hsize_t)runs[2 * i]}, count[1] = {(hsize_t)runs[2 * i + 1]};
        if (count[0] == 0)
            continue;
        H5Sselect_hyperslab(fs, H5S_SELECT_OR, start, NULL, count, NULL);
        total += count[0];
    }
    if (total > 0) {
        hid_t ms = H5Screate_simple(1, &total, NULL);
        if (H5Dread(d, memtype, ms, fs, H5P_DEFAULT, out) < 0)
            st = baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not read column %s of '%s' (corrupt store?)", name,
                            s->path);
        H5Sclose(ms);
    }
    H5Sclose(fs);
    return st;
}

static int column_crc(hid_t d, hid_t memtype, size_t elem, int64_t rows, uint32_t *out);

/* Reads column `name` (shown to the user as `shown`) for the runs into
 * out, checked against its CRC-32 when the store's check is on. */
static baiot_status read_runs(baiot_store *s, int col, const char *name, const char *shown, hid_t memtype,
                              size_t elem, const int64_t *runs, int n_runs, void *out)
{
    hid_t d = H5Dopen2(s->file, name, H5P_DEFAULT);
    uint32_t stored = 0, crc = 0;
    baiot_status st;
    if (d < 0)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s' has no column %s", s->path, name);
    int known = s->id.st_ino != 0; /* 0: stat failed, every read is checked */
    int check = s->verify && !(known && verified_get(&s->id, col)) && baiot_store_read_crc(d, &stored);
    if (!check) {
        st = read_plain(s, d, name, memtype, runs, n_runs, out);
    } else if (runs_ascending(runs, n_runs, s->rows)) {
        st = read_checked(s, d, name, memtype, elem, runs, n_runs, out, &crc);
    } else if (!(st = read_plain(s, d, name, memtype, runs, n_runs, out)) &&
               !column_crc(d, memtype, elem, s->rows, &crc)) {
        st = baiot_fail(BAIOT_ERR_HDF5, "HDF5 could not read column %s of '%s' (corrupt store?)", name, s->path);
    }
    if (!st && check && crc == stored && known)
        verified_set(&s->id, col);
    if (!st && check && crc != stored)
        st = baiot_fail(BAIOT_ERR_FORMAT,
                        "'%s': column '%s' is corrupt: CRC-32 0x%08x, expected 0x%08x ('baiot verify %s' lists "
                        "every damaged column; --no-verify reads the store unchecked)",
                        s->path, shown, crc, stored, s->path);
    H5Dclose(d);
    return st;
}

baiot_status baiot_store_read_column(baiot_store *s, int j, const int64_t *runs, int n_runs, double *out)
{
    char name[300];
    if (j < 0 || j >= s->n_features)
        return baiot_fail(BAIOT_ERR_ARG, "column %d out of range", j);
    snprintf(name, sizeof name, STORE_FEATURES_GROUP "/%s", s->feature_names[j]);
    return read_runs(s, j, name, s->feature_names[j], H5T_NATIVE_DOUBLE, sizeof(double), runs, n_runs, out);
}

baiot_status baiot_store_read_labels(baiot_store *s, const char *which, const int64_t *runs, int n_runs,
                                     uint8_t *out)
{
    char name[64], shown[80];
    snprintf(name, sizeof name, STORE_LABELS_GROUP "/%s", which);
    snprintf(shown, sizeof shown, "labels/%s", which);
    int col = -1; /* in the record of checked columns: after the features */
    for (int k = 0; k < 3; k++)
        if (strcmp(which, baiot_store_label_names[k]) == 0)
            col = s->n_features + k;
    return read_runs(s, col, name, shown, H5T_NATIVE_UINT8, 1, runs, n_runs, out);
}

/* ------------------------------------------------------------- verifying */

static int add_problem(char ***list, int *n, const char *text)
{
    char **g = baiot_realloc(*list, (size_t)(*n + 1) * sizeof *g);
    if (!g)
        return 0;
    *list = g;
    if (!(g[*n] = baiot_strdup(text)))
        return 0;
    (*n)++;
    return 1;
}

/* CRC-32 of a column's values (native little-endian bytes), read in blocks. */
static int column_crc(hid_t d, hid_t memtype, size_t elem, int64_t rows, uint32_t *out)
{
    const int64_t block = 1 << 20;
    unsigned char *buf = baiot_malloc((size_t)block * elem);
    uint32_t crc = 0;
    int ok = buf != NULL;
    hid_t fs = H5Dget_space(d);
    for (int64_t at = 0; ok && at < rows; at += block) {
        hsize_t start[1] = {(hsize_t)at}, count[1] = {(hsize_t)(rows - at < block ? rows - at : block)};
        hid_t ms = H5Screate_simple(1, count, NULL);
        ok = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
             H5Dread(d, memtype, ms, fs, H5P_DEFAULT, buf) >= 0;
        H5Sclose(ms);
        if (ok)
            crc = crc_bytes(crc, buf, (size_t)count[0] * elem);
    }
    H5Sclose(fs);
    baiot_free(buf);
    *out = crc;
    return ok;
}

baiot_status baiot_store_verify(const char *path, char ***problems, int *n_problems, int *n_checked)
{
    baiot_store *s = NULL;
    char msg[1024], name[300];
    *problems = NULL;
    *n_problems = 0;
    *n_checked = 0;
    baiot_status st = baiot_store_open(path, &s);
    if (st) {
        if (!add_problem(problems, n_problems, baiot_last_error()))
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        return BAIOT_OK;
    }
    for (int j = 0; j < s->n_features + 3; j++) {
        int label = j >= s->n_features;
        if (label)
            snprintf(name, sizeof name, STORE_LABELS_GROUP "/%s", baiot_store_label_names[j - s->n_features]);
        else
            snprintf(name, sizeof name, STORE_FEATURES_GROUP "/%s", s->feature_names[j]);
        hid_t d = H5Dopen2(s->file, name, H5P_DEFAULT);
        uint32_t stored, computed;
        msg[0] = '\0';
        if (d < 0) {
            snprintf(msg, sizeof msg, "%s: cannot be opened", name);
        } else if (!baiot_store_read_crc(d, &stored)) {
            snprintf(msg, sizeof msg, "%s: no checksum (written by an older baiot, or by another tool)", name);
        } else if (!column_crc(d, label ? H5T_NATIVE_UINT8 : H5T_NATIVE_DOUBLE, label ? 1 : sizeof(double), s->rows,
                               &computed)) {
            snprintf(msg, sizeof msg, "%s: its values cannot be read (corrupt chunks?)", name);
        } else if (computed != stored) {
            snprintf(msg, sizeof msg, "%s: checksum mismatch (stored %08x, values give %08x): the data changed", name,
                     stored, computed);
        } else {
            (*n_checked)++;
        }
        if (d >= 0)
            H5Dclose(d);
        if (msg[0] && !add_problem(problems, n_problems, msg)) {
            baiot_store_close(s);
            return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        }
    }
    baiot_store_close(s);
    return BAIOT_OK;
}
