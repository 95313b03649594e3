/*
 * md_html.c - the report's Markdown as one self-contained HTML page (see
 * md_html.h).
 *
 * Blocks, line by line: a line of '#'s and a space is a heading; "- " an
 * item of a list; a line starting with '|' and followed by an alignment row
 * (|---|---:|) opens a table whose rows run while lines start with '|';
 * ``` opens and closes a code block; a blank line ends a paragraph, list or
 * table; other lines are paragraph text.  Inline: `code`, **bold**,
 * backslash escapes, [text](url) (a link whose text is its .md target
 * shows the .html name) and ![alt](image).  Every character of the
 * Markdown reaches the page escaped (&, <, >, "); only the inlined SVG
 * figures are copied as markup, with their id="..", href="#.." and url(#..)
 * prefixed by "f<n>-" for the n-th figure of the page.  Single-threaded;
 * the output depends only on the Markdown and the figures' bytes.
 * Covered by tests/unit/test_md_html.c and tests/cli/test_report_html.py.
 */
#include "io/export/md_html.h"
#include "io/files/atomic_file.h"

#include <stdio.h>
#include <string.h>

#define MAX_CELLS 256

typedef struct page {
    FILE *f;
    char dir[4096]; /* the Markdown file's folder, "" for the current one */
    int n_figs;
} page;

/* The whole file at path (NUL-terminated, owned by the caller), or NULL. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    char *buf = size >= 0 && fseek(f, 0, SEEK_SET) == 0 ? baiot_malloc((size_t)size + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        baiot_free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[size] = '\0';
        *len = (size_t)size;
    }
    return buf;
}

static void put_escaped(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(s[i], f);
        }
    }
}

static int starts(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

/* A link target as written, except that a relative link to a .md file
 * (before any #fragment) names the .html page beside it. */
static void put_url(FILE *f, const char *u, size_t n)
{
    size_t path_end = 0;
    while (path_end < n && u[path_end] != '#' && u[path_end] != '?')
        path_end++;
    int relative = !memchr(u, ':', path_end) && !(n > 0 && u[0] == '/');
    if (relative && path_end >= 3 && memcmp(u + path_end - 3, ".md", 3) == 0) {
        put_escaped(f, u, path_end - 3);
        fputs(".html", f);
        put_escaped(f, u + path_end, n - path_end);
    } else {
        put_escaped(f, u, n);
    }
}

/* ---------------------------------------------------------------- figures */

/* The figure of ![alt](src): the SVG beside src (name.png -> name.svg) in
 * the page's folder, inline, or the alt text when there is none (an
 * absolute or upward path is not followed). */
static void put_figure(page *p, const char *alt, size_t altn, const char *src, size_t srcn)
{
    char path[8192];
    size_t len = 0;
    char *svg = NULL;
    size_t stem = srcn >= 4 && (memcmp(src + srcn - 4, ".png", 4) == 0 || memcmp(src + srcn - 4, ".svg", 4) == 0)
                      ? srcn - 4
                      : srcn;
    int safe = srcn > 0 && src[0] != '/' && !memchr(src, ':', srcn);
    for (size_t i = 0; safe && i + 1 < srcn; i++)
        if (src[i] == '.' && src[i + 1] == '.')
            safe = 0;
    if (safe && snprintf(path, sizeof path, "%s%s%.*s.svg", p->dir, p->dir[0] ? "/" : "", (int)stem, src) <
                    (int)sizeof path)
        svg = read_all(path, &len);
    const char *open = svg ? strstr(svg, "<svg") : NULL;
    const char *close = NULL;
    for (const char *c = open ? strstr(open, "</svg>") : NULL; c; c = strstr(c + 1, "</svg>"))
        close = c;
    if (!open || !close) {
        fputs("<em>[figure: ", p->f);
        put_escaped(p->f, alt, altn);
        fputs("]</em>", p->f);
        baiot_free(svg);
        return;
    }
    char prefix[32];
    snprintf(prefix, sizeof prefix, "f%d-", ++p->n_figs);
    fputs("<svg role=\"img\" aria-label=\"", p->f);
    put_escaped(p->f, alt, altn);
    fputc('"', p->f);
    static const char *const refs[3] = {"id=\"", "href=\"#", "url(#"};
    for (const char *c = open + 4; c < close + 6;) {
        int hit = -1;
        for (int r = 0; r < 3 && hit < 0; r++)
            if (starts(c, (size_t)(close + 6 - c), refs[r]) &&
                (r > 0 || c[-1] == ' ' || c[-1] == '\n' || c[-1] == '\t'))
                hit = r;
        if (hit >= 0) {
            fputs(refs[hit], p->f);
            fputs(prefix, p->f);
            c += strlen(refs[hit]);
        } else {
            fputc(*c++, p->f);
        }
    }
    baiot_free(svg);
}

/* ----------------------------------------------------------------- inline */

/* Parses "[text](url)" at s[i]; returns the index after ')' or 0. */
static size_t bracket_link(const char *s, size_t n, size_t i, size_t *t0, size_t *t1, size_t *u0, size_t *u1)
{
    size_t j = i + 1;
    while (j < n && s[j] != ']')
        j++;
    if (j + 1 >= n || s[j + 1] != '(')
        return 0;
    size_t k = j + 2;
    while (k < n && s[k] != ')' && s[k] != ' ')
        k++;
    if (k >= n || s[k] != ')')
        return 0;
    *t0 = i + 1;
    *t1 = j;
    *u0 = j + 2;
    *u1 = k;
    return k + 1;
}

static void put_inline(page *p, const char *s, size_t n)
{
    FILE *f = p->f;
    size_t i = 0;
    while (i < n) {
        size_t t0, t1, u0, u1, end;
        const char *hit;
        if (s[i] == '\\' && i + 1 < n && strchr("\\`*_{}[]()#+-.!|<>", s[i + 1]) && s[i + 1]) {
            put_escaped(f, s + i + 1, 1);
            i += 2;
        } else if (s[i] == '`' && (hit = memchr(s + i + 1, '`', n - i - 1)) != NULL) {
            fputs("<code>", f);
            put_escaped(f, s + i + 1, (size_t)(hit - (s + i + 1)));
            fputs("</code>", f);
            i = (size_t)(hit - s) + 1;
        } else if (starts(s + i, n - i, "**")) {
            size_t j = i + 2;
            while (j + 1 < n && !(s[j] == '*' && s[j + 1] == '*'))
                j++;
            if (j + 1 < n && j > i + 2) {
                fputs("<strong>", f);
                put_inline(p, s + i + 2, j - i - 2);
                fputs("</strong>", f);
                i = j + 2;
            } else {
                fputs("**", f);
                i += 2;
            }
        } else if (s[i] == '!' && i + 1 < n && s[i + 1] == '[' &&
                   (end = bracket_link(s, n, i + 1, &t0, &t1, &u0, &u1)) != 0) {
            put_figure(p, s + t0, t1 - t0, s + u0, u1 - u0);
            i = end;
        } else if (s[i] == '[' && (end = bracket_link(s, n, i, &t0, &t1, &u0, &u1)) != 0) {
            fputs("<a href=\"", f);
            put_url(f, s + u0, u1 - u0);
            fputs("\">", f);
            if (t1 - t0 == u1 - u0 && memcmp(s + t0, s + u0, t1 - t0) == 0)
                put_url(f, s + u0, u1 - u0); /* a link named by its target names the page */
            else
                put_inline(p, s + t0, t1 - t0);
            fputs("</a>", f);
            i = end;
        } else {
            put_escaped(f, s + i, 1);
            i++;
        }
    }
}

/* ----------------------------------------------------------------- tables */

/* Splits a table row into cells (outer pipes dropped, cells trimmed; a
 * pipe after a backslash or inside `code` is text); returns the count. */
static int split_row(const char *s, size_t n, size_t *c0, size_t *c1)
{
    int k = 0, code = 0;
    size_t i = 0, start;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (i < n && s[i] == '|')
        i++;
    if (n > i && s[n - 1] == '|' && !(n >= 2 && s[n - 2] == '\\'))
        n--;
    start = i;
    for (; i <= n && k < MAX_CELLS; i++) {
        if (i < n && s[i] == '\\') {
            i++;
            continue;
        }
        if (i < n && s[i] == '`')
            code = !code;
        if (i == n || (s[i] == '|' && !code)) {
            size_t a = start, b = i;
            while (a < b && s[a] == ' ')
                a++;
            while (b > a && s[b - 1] == ' ')
                b--;
            c0[k] = a;
            c1[k] = b;
            k++;
            start = i + 1;
        }
    }
    return k;
}

/* 1 when the line is a table's alignment row (|---|:---:|---:|). */
static int is_align_row(const char *s, size_t n)
{
    int dash = 0;
    if (n == 0 || s[0] != '|')
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-')
            dash = 1;
        else if (!strchr("|: \t", s[i]))
            return 0;
    }
    return dash;
}

/* ------------------------------------------------------------------ page */

enum block { NONE, PARA, LIST, TABLE, CODE };

static void close_block(page *p, enum block *b)
{
    static const char *const ends[] = {"", "</p>\n", "</ul>\n", "</tbody></table></div>\n", "</code></pre>\n"};
    fputs(ends[*b], p->f);
    *b = NONE;
}

static size_t line_len(const char *s, const char *end)
{
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
    return n;
}

static void put_title(FILE *f, const char *md, size_t len)
{
    for (const char *s = md, *end = md + len; s < end;) {
        size_t n = line_len(s, end);
        if (n > 2 && s[0] == '#') {
            size_t i = 0;
            while (i < n && s[i] == '#')
                i++;
            while (i < n && s[i] == ' ')
                i++;
            for (; i < n; i++)
                if (s[i] != '*' && s[i] != '`' && s[i] != '\\' && s[i] != '\r')
                    put_escaped(f, s + i, 1);
            return;
        }
        s += n + 1;
    }
    fputs("baiot report", f);
}

static const char css[] =
    "body{font-family:system-ui,sans-serif;max-width:1150px;margin:1.5em auto;padding:0 1em;color:#222;"
    "line-height:1.45;background:#fff}\n"
    "h1{font-size:1.6em;border-bottom:2px solid #ddd;padding-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em}\n"
    ".t{overflow-x:auto}table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ccc;"
    "padding:.2em .6em}th{background:#f0f0f0}tbody tr:nth-child(even){background:#fafafa}\n"
    "code{background:#f3f3f3;padding:0 .2em;font-size:.95em}pre{background:#f3f3f3;padding:.6em;overflow:auto}\n"
    "svg{display:block;width:100%;max-width:900px;height:auto;margin:.6em 0}\n";

static void put_body(page *p, const char *md, size_t len)
{
    FILE *f = p->f;
    enum block b = NONE;
    size_t c0[MAX_CELLS], c1[MAX_CELLS];
    char align[MAX_CELLS];
    int n_align = 0;
    for (const char *s = md, *end = md + len; s < end;) {
        size_t n = line_len(s, end);
        const char *next = s + n + (s + n < end);
        if (n > 0 && s[n - 1] == '\r')
            n--;
        size_t blank = 0;
        while (blank < n && (s[blank] == ' ' || s[blank] == '\t'))
            blank++;
        if (b == CODE) {
            if (starts(s, n, "```")) {
                close_block(p, &b);
            } else {
                put_escaped(f, s, n);
                fputc('\n', f);
            }
        } else if (starts(s, n, "```")) {
            close_block(p, &b);
            fputs("<pre><code>", f);
            b = CODE;
        } else if (blank == n) {
            close_block(p, &b);
        } else if (s[0] == '#') {
            size_t h = 0;
            while (h < n && s[h] == '#')
                h++;
            if (h <= 6 && h < n && s[h] == ' ') {
                close_block(p, &b);
                fprintf(f, "<h%zu>", h);
                put_inline(p, s + h + 1, n - h - 1);
                fprintf(f, "</h%zu>\n", h);
            } else {
                goto paragraph;
            }
        } else if (starts(s, n, "- ") || starts(s, n, "* ")) {
            if (b != LIST) {
                close_block(p, &b);
                fputs("<ul>\n", f);
                b = LIST;
            }
            fputs("<li>", f);
            put_inline(p, s + 2, n - 2);
            fputs("</li>\n", f);
        } else if (s[0] == '|' && b == TABLE) {
            int k = split_row(s, n, c0, c1);
            fputs("<tr>", f);
            for (int i = 0; i < k; i++) {
                char a = i < n_align ? align[i] : 'l';
                fputs(a == 'r' ? "<td style=\"text-align:right\">" : a == 'c' ? "<td style=\"text-align:center\">"
                                                                              : "<td>",
                      f);
                put_inline(p, s + c0[i], c1[i] - c0[i]);
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        } else if (s[0] == '|' && next < end && is_align_row(next, line_len(next, end))) {
            size_t an = line_len(next, end);
            close_block(p, &b);
            n_align = split_row(next, an, c0, c1);
            for (int i = 0; i < n_align; i++) {
                int left = c1[i] > c0[i] && next[c0[i]] == ':', right = c1[i] > c0[i] && next[c1[i] - 1] == ':';
                align[i] = left && right ? 'c' : right ? 'r' : 'l';
            }
            int k = split_row(s, n, c0, c1);
            fputs("<div class=\"t\"><table><thead><tr>", f);
            for (int i = 0; i < k; i++) {
                fputs("<th>", f);
                put_inline(p, s + c0[i], c1[i] - c0[i]);
                fputs("</th>", f);
            }
            fputs("</tr></thead><tbody>\n", f);
            b = TABLE;
            next += an + (next + an < end);
        } else {
        paragraph:
            if (b != PARA) {
                close_block(p, &b);
                fputs("<p>", f);
                b = PARA;
            } else {
                fputc('\n', f);
            }
            put_inline(p, s, n);
        }
        s = next;
    }
    close_block(p, &b);
}

baiot_status baiot_md_html_write(const char *md_path, const char *html_path)
{
    page p = {0};
    size_t len = 0;
    char *md = read_all(md_path, &len);
    if (!md)
        return baiot_fail(BAIOT_ERR_IO, "cannot read '%s'", md_path);
    const char *slash = strrchr(md_path, '/');
    if (slash && (size_t)(slash - md_path) < sizeof p.dir)
        snprintf(p.dir, sizeof p.dir, "%.*s", slash == md_path ? 1 : (int)(slash - md_path), md_path);
    atomic_file af;
    baiot_status st = baiot_atomic_file_open(html_path, &af);
    if (st) {
        baiot_free(md);
        return st;
    }
    p.f = af.fp;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          p.f);
    put_title(p.f, md, len);
    fprintf(p.f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
    put_body(&p, md, len);
    fputs("</body>\n</html>\n", p.f);
    baiot_free(md);
    return baiot_atomic_file_commit(&af);
}

baiot_status baiot_md_html_beside(const char *md_path)
{
    char html[4096];
    size_t n = strlen(md_path);
    size_t stem = n >= 3 && strcmp(md_path + n - 3, ".md") == 0 ? n - 3 : n;
    if (snprintf(html, sizeof html, "%.*s.html", (int)stem, md_path) >= (int)sizeof html)
        return baiot_fail(BAIOT_ERR_ARG, "output path too long: %s", md_path);
    return baiot_md_html_write(md_path, html);
}
