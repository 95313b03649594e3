/*
 * arff_write.c - writes a view as a Weka ARFF file (arff.h).
 *
 * Layout, as Weka writes it: "@relation NAME", a blank line, one
 * "@attribute NAME numeric" or "@attribute NAME {v1,v2,...}" per column,
 * then the class as the last, nominal attribute, a blank line, "@data" and
 * one comma-separated row per instance.  Numbers are written in their
 * shortest round-trip form (baiot_format_double), missing values as ?.
 *
 * A name or value is put in single quotes when it is empty, is "?", or
 * holds white space, a control character, a comma, a quote, a brace, '%'
 * or a backslash; inside the quotes \ ' newline, CR and tab are written as
 * \\ \' \n \r \t.  So the reader (arff_read.c) gets back every string and
 * the bits of every number.
 *
 * Guarantees: the view is checked while it is written (finite numbers,
 * nominal indices and classes in range, unique names) and any failure
 * leaves no file: output goes through atomic_file, renamed into place only
 * when complete.  No globals; thread-safe for distinct calls.
 * Covered by tests/unit/test_arff.c and tests/cli/test_export_roundtrip.py.
 */
#include "baiot/arff.h"
#include "io/files/atomic_file.h"
#include "io/text/format_double.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ARFF_DEFAULT_RELATION "baiot"
#define ARFF_DEFAULT_CLASS "class"

/* Whether s must be quoted to read back as itself. */
static int needs_quotes(const char *s)
{
    if (s[0] == '\0' || strcmp(s, "?") == 0)
        return 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= ' ' || *p == 0x7f)
            return 1;
        switch (*p) {
        case ',': case '{': case '}': case '%': case '\'': case '"': case '\\':
            return 1;
        default:
            break;
        }
    }
    return 0;
}

/* Writes s, quoted and escaped when needed. */
static void put_name(FILE *fp, const char *s)
{
    if (!needs_quotes(s)) {
        fputs(s, fp);
        return;
    }
    putc('\'', fp);
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\\': fputs("\\\\", fp); break;
        case '\'': fputs("\\'", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\t': fputs("\\t", fp); break;
        default: putc(*p, fp); break;
        }
    }
    putc('\'', fp);
}

static void put_nominal_decl(FILE *fp, const char *name, char *const *values, int n_values)
{
    fputs("@attribute ", fp);
    put_name(fp, name);
    fputs(" {", fp);
    for (int k = 0; k < n_values; k++) {
        if (k > 0)
            putc(',', fp);
        put_name(fp, values[k]);
    }
    fputs("}\n", fp);
}

/* The name column j is written under. */
static const char *col_name(const baiot_view *v, int j, char *buf, size_t size)
{
    if (v->attrs[j].name)
        return v->attrs[j].name;
    snprintf(buf, size, "attr%d", j + 1);
    return buf;
}

/* Refuses what could not be read back: missing value names, duplicate
 * attribute names, a class without values. */
static baiot_status check_view(const char *path, const baiot_view *v)
{
    char b1[32], b2[32];
    const char *cname = v->class_name ? v->class_name : ARFF_DEFAULT_CLASS;
    if (v->n_classes < 1 || !v->class_names)
        return baiot_fail(BAIOT_ERR_ARG, "cannot write '%s': the class '%s' has no values", path, cname);
    for (int k = 0; k < v->n_classes; k++)
        if (!v->class_names[k])
            return baiot_fail(BAIOT_ERR_ARG, "cannot write '%s': class value #%d has no name", path, k + 1);
    for (int j = 0; j < v->n_cols; j++) {
        const baiot_attr *at = &v->attrs[j];
        const char *name = col_name(v, j, b1, sizeof b1);
        if (at->kind == BAIOT_ATTR_NOMINAL) {
            if (at->n_values > 0 && !at->values)
                return baiot_fail(BAIOT_ERR_ARG, "cannot write '%s': attribute '%s' (#%d) has no value names", path,
                                  name, j + 1);
            for (int k = 0; k < at->n_values; k++)
                if (!at->values[k])
                    return baiot_fail(BAIOT_ERR_ARG, "cannot write '%s': attribute '%s' (#%d) value #%d has no name",
                                      path, name, j + 1, k + 1);
        }
        if (strcmp(name, cname) == 0)
            return baiot_fail(BAIOT_ERR_ARG, "cannot write '%s': attribute #%d has the class's name '%s'", path, j + 1,
                              name);
        for (int i = 0; i < j; i++)
            if (strcmp(col_name(v, i, b2, sizeof b2), name) == 0)
                return baiot_fail(BAIOT_ERR_ARG, "cannot write '%s': attributes #%d and #%d are both named '%s'", path,
                                  i + 1, j + 1, name);
    }
    return BAIOT_OK;
}

/* Writes row i; fails on a value that would not read back. */
static baiot_status put_row(FILE *fp, const char *path, const baiot_view *v, int64_t i)
{
    char num[FORMAT_DOUBLE_MAX];
    char nb[32];
    for (int j = 0; j < v->n_cols; j++) {
        const baiot_attr *at = &v->attrs[j];
        double x = v->cols[j][i];
        if (isnan(x)) {
            fputs("?,", fp);
            continue;
        }
        if (at->kind == BAIOT_ATTR_NOMINAL) {
            if (!(x >= 0 && x < at->n_values && x == floor(x)))
                return baiot_fail(BAIOT_ERR_ARG,
                                  "cannot write '%s': row %lld, attribute '%s' (#%d): %.17g is not one of its %d "
                                  "nominal values",
                                  path, (long long)i + 1, col_name(v, j, nb, sizeof nb), j + 1, x, at->n_values);
            put_name(fp, at->values[(int)x]);
        } else {
            if (isinf(x))
                return baiot_fail(BAIOT_ERR_ARG, "cannot write '%s': row %lld, attribute '%s' (#%d): infinite value",
                                  path, (long long)i + 1, col_name(v, j, nb, sizeof nb), j + 1);
            int len = baiot_format_double(x, num);
            fwrite(num, 1, (size_t)len, fp);
        }
        putc(',', fp);
    }
    int c = v->y[i];
    if (c == -1) {
        fputs("?\n", fp);
    } else if (c >= 0 && c < v->n_classes) {
        put_name(fp, v->class_names[c]);
        putc('\n', fp);
    } else {
        return baiot_fail(BAIOT_ERR_ARG, "cannot write '%s': row %lld has class %d, not in 0..%d", path,
                          (long long)i + 1, c, v->n_classes - 1);
    }
    return BAIOT_OK;
}

baiot_status baiot_arff_write_view(const char *path, const baiot_view *view)
{
    atomic_file af;
    char nb[32];
    baiot_status st = check_view(path, view);
    if (st)
        return st;
    st = baiot_atomic_file_open(path, &af);
    if (st)
        return st;
    FILE *fp = af.fp;

    fputs("@relation ", fp);
    put_name(fp, view->relation ? view->relation : ARFF_DEFAULT_RELATION);
    fputs("\n\n", fp);
    for (int j = 0; j < view->n_cols; j++) {
        const baiot_attr *at = &view->attrs[j];
        const char *name = col_name(view, j, nb, sizeof nb);
        if (at->kind == BAIOT_ATTR_NOMINAL) {
            put_nominal_decl(fp, name, at->values, at->n_values);
        } else {
            fputs("@attribute ", fp);
            put_name(fp, name);
            fputs(" numeric\n", fp);
        }
    }
    put_nominal_decl(fp, view->class_name ? view->class_name : ARFF_DEFAULT_CLASS, view->class_names,
                     view->n_classes);
    fputs("\n@data\n", fp);
    for (int64_t i = 0; i < view->n_rows; i++) {
        st = put_row(fp, path, view, i);
        if (st)
            goto fail;
        if (ferror(fp)) {
            st = baiot_fail(BAIOT_ERR_IO, "cannot write '%s' (row %lld)", path, (long long)i + 1);
            goto fail;
        }
    }
    return baiot_atomic_file_commit(&af);
fail:
    baiot_atomic_file_abort(&af);
    return st;
}
