/*
 * columns.c - resolving column selections to indices (see columns.h).
 * Covered by tests/unit/test_columns.c and
 * tests/cli/test_export_roundtrip.py (--columns, @FILE).
 */
#include "engine/data/columns.h"
#include "io/files/output_policy.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads @FILE into one comma-separated string (owned by the caller). */
static baiot_status read_selection_file(const char *path, char **out)
{
    baiot_output_note_input(path);
    FILE *f = fopen(path, "r");
    char line[4096];
    size_t len = 0, cap = 256;
    char *s = baiot_malloc(cap);
    *out = NULL;
    if (!f) {
        baiot_free(s);
        return baiot_fail(BAIOT_ERR_IO, "cannot open column selection '%s': %s", path, strerror(errno));
    }
    if (!s) {
        fclose(f);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    s[0] = '\0';
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        n = strlen(p);
        while (n > 0 && isspace((unsigned char)p[n - 1]))
            p[--n] = '\0';
        if (len + n + 2 > cap) {
            cap = 2 * (len + n + 2);
            char *g = baiot_realloc(s, cap);
            if (!g) {
                baiot_free(s);
                fclose(f);
                return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
            }
            s = g;
        }
        if (len > 0)
            s[len++] = ',';
        memcpy(s + len, p, n + 1);
        len += n;
    }
    fclose(f);
    if (len == 0) {
        baiot_free(s);
        return baiot_fail(BAIOT_ERR_ARG, "column selection '%s' names no column", path);
    }
    *out = s;
    return BAIOT_OK;
}

static int lookup(const char *item, const char *const *names, int n)
{
    for (int j = 0; j < n; j++)
        if (strcmp(item, names[j]) == 0)
            return j;
    char *end;
    long k = strtol(item, &end, 10);
    if (*item && *end == '\0' && k >= 1 && k <= n)
        return (int)k - 1;
    return -1;
}

baiot_status baiot_columns_resolve(const char *spec, const char *const *names, int n, int **out_idx, int *out_n)
{
    char *owned = NULL;
    int *idx = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof *idx);
    int count = 0;
    baiot_status st = BAIOT_OK;
    *out_idx = NULL;
    *out_n = 0;
    if (!idx)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if (!spec || strcmp(spec, "all") == 0) { /* "" is an empty selection, refused below */
        for (int j = 0; j < n; j++)
            idx[j] = j;
        *out_idx = idx;
        *out_n = n;
        return BAIOT_OK;
    }
    if (spec[0] == '@') {
        if ((st = read_selection_file(spec + 1, &owned)))
            goto fail;
        spec = owned;
    }
    for (const char *p = spec; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[512];
        while (len > 0 && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        for (size_t k = strlen(item); k > 0 && isspace((unsigned char)item[k - 1]); k--)
            item[k - 1] = '\0';
        int j = lookup(item, names, n);
        if (j < 0) {
            st = baiot_fail(BAIOT_ERR_ARG, "unknown column '%s' (give a name or a position 1..%d; "
                                           "'baiot info' lists the columns)", item, n);
            goto fail;
        }
        for (int k = 0; k < count; k++)
            if (idx[k] == j) {
                st = baiot_fail(BAIOT_ERR_ARG, "column '%s' is selected twice", names[j]);
                goto fail;
            }
        if (count == n) {
            st = baiot_fail(BAIOT_ERR_ARG, "too many columns selected");
            goto fail;
        }
        idx[count++] = j;
        p += len + (comma != NULL);
        if (comma && !*p) {
            st = baiot_fail(BAIOT_ERR_ARG, "empty column name at the end of the selection");
            goto fail;
        }
    }
    if (count == 0) {
        st = baiot_fail(BAIOT_ERR_ARG, "the column selection is empty");
        goto fail;
    }
    baiot_free(owned);
    *out_idx = idx;
    *out_n = count;
    return BAIOT_OK;
fail:
    baiot_free(owned);
    baiot_free(idx);
    return st;
}

baiot_status baiot_columns_resolve_store(const char *spec, const baiot_store *store, int **out_idx, int *out_n)
{
    int n = baiot_store_n_features(store);
    const char **names = baiot_malloc((size_t)(n > 0 ? n : 1) * sizeof *names);
    if (!names)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    for (int j = 0; j < n; j++)
        names[j] = baiot_store_feature_name(store, j);
    baiot_status st = baiot_columns_resolve(spec, names, n, out_idx, out_n);
    baiot_free(names);
    return st;
}
