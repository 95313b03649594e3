/*
 * arff_read.c - reads a Weka ARFF file into a view (arff.h).
 *
 * The reader takes the dense ARFF that Weka's own example files use: a
 * header of @relation, @attribute (numeric/real/integer or a {nominal}
 * list) and @data lines, then one instance per line, its values separated
 * by commas.  It works in two passes over the file so the view is filled
 * in place, column-major, with no second copy of the data:
 *
 *   1. the header is parsed, then the data lines are only counted;
 *   2. the reader seeks back to the first line after @data, allocates the
 *      view for exactly that many rows and parses each row straight into
 *      the columns and y.
 *
 * A line is a data row in pass 1 exactly when its first token in pass 2 is
 * not the end of the line (it is neither blank nor a '%' comment), so the
 * two counts agree unless the file changes between the passes, which is
 * detected and reported.
 *
 * Tokens, as in Weka's tokenizer: a quoted string ('..' or "..", backslash
 * escapes \n \t \r and \c -> c, ending on the same line), a bare word (a
 * run of characters other than white space , { } %), or one of , { }.  An
 * unquoted '%' starts a comment that runs to the end of the line.  An
 * unquoted ? is a missing value; a quoted '?' is the text "?".  Quoted
 * strings are unescaped in place in the line buffer (the unescaped text is
 * never longer than the escaped one).
 *
 * Guarantees: numbers are converted exactly (baiot_parse_double, the bits strtod
 * gives); NaN and infinity text is refused; nominal values are matched
 * byte for byte against the declaration; every error names the file, the
 * 1-based line and, where one is involved, the attribute by name and
 * 1-based position; every allocation goes through the baiot hook and every
 * error path frees what it took.  No globals: thread-safe for distinct
 * calls.  Covered by tests/unit/test_arff.c.
 */
#include "baiot/arff.h"
#include "io/files/output_policy.h"
#include "io/text/parse_double.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define ARFF_BLOCK_SIZE 65536   /* bytes read from the file at a time */
#define ARFF_LINE_INIT 256      /* first size of the line buffer */
#define ARFF_SHOW_MAX 60        /* longest piece of input quoted in a message */

/* ------------------------------------------------------------------------
 * Line reader: whole lines, NUL-terminated, in a buffer the caller may
 * modify; tracks the line number and the file offset of the next line.
 * ------------------------------------------------------------------------ */

typedef struct line_reader {
    FILE *fp;
    char *block;       /* ARFF_BLOCK_SIZE bytes read from fp */
    size_t bpos, blen; /* unread part: block[bpos..blen) */
    int eof;           /* fp has returned end of file */
    char *line;        /* the current line, NUL-terminated, without '\n' */
    size_t line_len, line_cap;
    int64_t line_no;   /* 1-based number of the current line */
    off_t next_off;    /* file offset of the first byte after the current line */
} line_reader;

/* Appends n bytes to the line, growing the buffer (keeps room for a NUL). */
static int line_append(line_reader *lr, const char *src, size_t n)
{
    if (lr->line_len + n + 1 > lr->line_cap) {
        size_t cap = lr->line_cap;
        while (lr->line_len + n + 1 > cap)
            cap *= 2;
        char *grown = baiot_realloc(lr->line, cap);
        if (!grown)
            return -1;
        lr->line = grown;
        lr->line_cap = cap;
    }
    memcpy(lr->line + lr->line_len, src, n);
    lr->line_len += n;
    return 0;
}

/* Reads the next line into lr->line; *got is 1 when a line was read, 0 at
 * the end of the file.  A last line without '\n' still counts. */
static baiot_status lr_next(line_reader *lr, const char *path, int *got)
{
    int found = 0;
    *got = 0;
    lr->line_len = 0;
    for (;;) {
        if (lr->bpos == lr->blen) {
            if (lr->eof)
                break;
            size_t n = fread(lr->block, 1, ARFF_BLOCK_SIZE, lr->fp);
            if (n == 0) {
                if (ferror(lr->fp))
                    return baiot_fail(BAIOT_ERR_IO, "'%s' line %lld: read error: %s", path,
                                      (long long)lr->line_no + 1, strerror(errno ? errno : EIO));
                lr->eof = 1;
                break;
            }
            lr->bpos = 0;
            lr->blen = n;
        }
        const char *start = lr->block + lr->bpos;
        const char *nl = memchr(start, '\n', lr->blen - lr->bpos);
        size_t take = nl ? (size_t)(nl - start) : lr->blen - lr->bpos;
        if (line_append(lr, start, take) != 0)
            return baiot_fail(BAIOT_ERR_MEMORY, "'%s' line %lld: out of memory for a line of %zu bytes", path,
                              (long long)lr->line_no + 1, lr->line_len + take);
        lr->bpos += take;
        lr->next_off += (off_t)take;
        if (nl) {
            lr->bpos++;
            lr->next_off++;
            found = 1;
            break;
        }
    }
    if (!found && lr->line_len == 0)
        return BAIOT_OK;
    lr->line[lr->line_len] = '\0';
    lr->line_no++;
    *got = 1;
    return BAIOT_OK;
}

/* Moves the reader to file offset off, which starts line line_no + 1. */
static baiot_status lr_seek(line_reader *lr, const char *path, off_t off, int64_t line_no)
{
    clearerr(lr->fp);
    if (fseeko(lr->fp, off, SEEK_SET) != 0)
        return baiot_fail(BAIOT_ERR_IO, "'%s': cannot seek back to the data (line %lld): %s", path,
                          (long long)line_no + 1, strerror(errno));
    lr->bpos = lr->blen = 0;
    lr->eof = 0;
    lr->next_off = off;
    lr->line_no = line_no;
    return BAIOT_OK;
}

/* ------------------------------------------------------------------------
 * Tokenizer over one line.
 * ------------------------------------------------------------------------ */

typedef enum tok_kind {
    TOK_END,     /* end of line or start of a comment */
    TOK_WORD,    /* bare word */
    TOK_QUOTED,  /* quoted string, unescaped */
    TOK_COMMA,
    TOK_LBRACE,
    TOK_RBRACE,
    TOK_BAD      /* malformed: see token.why */
} tok_kind;

typedef struct token {
    tok_kind kind;
    char *text;       /* into the line buffer; not NUL-terminated */
    size_t len;
    const char *why;  /* TOK_BAD: what is wrong */
} token;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int ends_word(char c)
{
    return is_blank(c) || c == ',' || c == '{' || c == '}' || c == '%' || c == '\0';
}

/* Reads the token at *pp (the line ends at end, where a NUL sits) and
 * advances *pp past it.  Quoted strings are unescaped in place. */
static void next_token(char **pp, char *end, token *t)
{
    char *p = *pp;
    while (p < end && is_blank(*p))
        p++;
    t->text = p;
    t->len = 0;
    t->why = NULL;
    if (p == end || *p == '%') {
        t->kind = TOK_END;
        *pp = end;
        return;
    }
    switch (*p) {
    case ',': t->kind = TOK_COMMA; t->len = 1; *pp = p + 1; return;
    case '{': t->kind = TOK_LBRACE; t->len = 1; *pp = p + 1; return;
    case '}': t->kind = TOK_RBRACE; t->len = 1; *pp = p + 1; return;
    case '\0':
        t->kind = TOK_BAD;
        t->why = "a NUL byte in the text";
        *pp = end;
        return;
    case '\'':
    case '"': {
        char quote = *p++;
        char *w = p;
        t->text = p;
        while (p < end && *p != quote) {
            char c = *p++;
            if (c == '\0') {
                t->kind = TOK_BAD;
                t->why = "a NUL byte in the text";
                *pp = end;
                return;
            }
            if (c == '\\' && p < end) {
                c = *p++;
                switch (c) {
                case 'n': c = '\n'; break;
                case 't': c = '\t'; break;
                case 'r': c = '\r'; break;
                default: break; /* \\ \' \" \% and any other \c stand for c */
                }
            }
            *w++ = c;
        }
        if (p == end) {
            t->kind = TOK_BAD;
            t->why = quote == '\'' ? "a ' quote is not closed on this line" : "a \" quote is not closed on this line";
            t->len = (size_t)(w - t->text);
            *pp = end;
            return;
        }
        t->kind = TOK_QUOTED;
        t->len = (size_t)(w - t->text);
        *pp = p + 1;
        return;
    }
    default:
        while (p < end && !ends_word(*p))
            p++;
        t->kind = TOK_WORD;
        t->len = (size_t)(p - t->text);
        *pp = p;
        return;
    }
}

static int tok_is_value(const token *t)
{
    return t->kind == TOK_WORD || t->kind == TOK_QUOTED;
}

static int tok_is_missing(const token *t)
{
    return t->kind == TOK_WORD && t->len == 1 && t->text[0] == '?';
}

/* Case-insensitive (ASCII) comparison of a token with a lower-case keyword. */
static int tok_is_keyword(const token *t, const char *kw)
{
    size_t n = strlen(kw);
    if (t->kind != TOK_WORD || t->len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = t->text[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != kw[i])
            return 0;
    }
    return 1;
}

/* How a token reads in a message. */
static const char *tok_describe(const token *t)
{
    switch (t->kind) {
    case TOK_END: return "the end of the line";
    case TOK_COMMA: return "','";
    case TOK_LBRACE: return "'{'";
    case TOK_RBRACE: return "'}'";
    default: return NULL; /* a value: the caller quotes its text */
    }
}

/* How many bytes of a token's text a message shows. */
static int show(const token *t)
{
    return (int)(t->len < ARFF_SHOW_MAX ? t->len : ARFF_SHOW_MAX);
}

/* A NUL-terminated copy of a token's text, through the allocation hook. */
static char *tok_strdup(const token *t)
{
    char *s = baiot_malloc(t->len + 1);
    if (s) {
        memcpy(s, t->text, t->len);
        s[t->len] = '\0';
    }
    return s;
}

/* strcmp of NUL-terminated s against the len bytes at t (unsigned bytes). */
static int cmp_len(const char *s, const char *t, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)t[i];
        if (a == 0)
            return -1;
        if (a != b)
            return a < b ? -1 : 1;
    }
    return s[len] ? 1 : 0;
}

/* ------------------------------------------------------------------------
 * The header: attributes as declared, with a sorted index of each nominal
 * list for the value look-up.
 * ------------------------------------------------------------------------ */

typedef struct nom_key {
    const char *s;  /* borrowed from the attribute's values */
    int idx;        /* its position in the declaration */
} nom_key;

typedef struct arff_attr {
    char *name;
    int nominal;
    int n_values, cap_values;
    char **values;    /* nominal: the values, in declaration order */
    nom_key *index;   /* nominal: values sorted by strcmp */
    int64_t line;     /* line of the declaration */
} arff_attr;

typedef struct arff_parser {
    const char *path;
    line_reader lr;
    char *relation;
    arff_attr *attrs;
    int n_attrs, cap_attrs;
} arff_parser;

/* Fails with "'FILE' line N[, attribute 'NAME' (#J)]: message"; a is the
 * 0-based attribute or -1 for none. */
static baiot_status parse_fail(const arff_parser *ps, baiot_status code, int64_t line, int a, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static baiot_status parse_fail(const arff_parser *ps, baiot_status code, int64_t line, int a, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (a >= 0 && a < ps->n_attrs && ps->attrs[a].name)
        return baiot_fail(code, "'%s' line %lld, attribute '%s' (#%d): %s", ps->path, (long long)line,
                          ps->attrs[a].name, a + 1, msg);
    return baiot_fail(code, "'%s' line %lld: %s", ps->path, (long long)line, msg);
}

static void parser_free(arff_parser *ps)
{
    for (int a = 0; a < ps->n_attrs; a++) {
        arff_attr *at = &ps->attrs[a];
        baiot_free(at->name);
        for (int k = 0; k < at->n_values; k++)
            baiot_free(at->values[k]);
        baiot_free(at->values);
        baiot_free(at->index);
    }
    baiot_free(ps->attrs);
    baiot_free(ps->relation);
    baiot_free(ps->lr.line);
    baiot_free(ps->lr.block);
    if (ps->lr.fp)
        fclose(ps->lr.fp);
}

static int cmp_key(const void *x, const void *y)
{
    const nom_key *a = x, *b = y;
    return strcmp(a->s, b->s);
}

/* Sorts attribute a's values into its index and refuses duplicates. */
static baiot_status index_nominal(arff_parser *ps, int a)
{
    arff_attr *at = &ps->attrs[a];
    at->index = baiot_malloc((size_t)(at->n_values ? at->n_values : 1) * sizeof *at->index);
    if (!at->index)
        return parse_fail(ps, BAIOT_ERR_MEMORY, at->line, a, "out of memory");
    for (int k = 0; k < at->n_values; k++) {
        at->index[k].s = at->values[k];
        at->index[k].idx = k;
    }
    qsort(at->index, (size_t)at->n_values, sizeof *at->index, cmp_key);
    for (int k = 1; k < at->n_values; k++)
        if (strcmp(at->index[k - 1].s, at->index[k].s) == 0)
            return parse_fail(ps, BAIOT_ERR_FORMAT, at->line, a, "the value '%.*s' is declared twice", ARFF_SHOW_MAX,
                              at->index[k].s);
    return BAIOT_OK;
}

/* The 0-based position of the len bytes at text in nominal attribute at's
 * list, or -1. */
static int nominal_lookup(const arff_attr *at, const char *text, size_t len)
{
    int lo = 0, hi = at->n_values - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = cmp_len(at->index[mid].s, text, len);
        if (c == 0)
            return at->index[mid].idx;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* Parses the nominal list after '{' of attribute a (already registered). */
static baiot_status parse_nominal_list(arff_parser *ps, int a, char **pp, char *end)
{
    arff_attr *at = &ps->attrs[a];
    int64_t line = ps->lr.line_no;
    token t;
    at->nominal = 1;
    next_token(pp, end, &t);
    if (t.kind == TOK_RBRACE)
        return BAIOT_OK; /* an empty list: legal, though no value can match */
    for (;;) {
        if (t.kind == TOK_BAD)
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "%s", t.why);
        if (!tok_is_value(&t))
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "expected a nominal value, found %s%s",
                              tok_describe(&t), t.kind == TOK_END ? " (the list needs a closing '}')" : "");
        if (at->n_values == at->cap_values) {
            int cap = at->cap_values ? 2 * at->cap_values : 8;
            char **grown = baiot_realloc(at->values, (size_t)cap * sizeof *grown);
            if (!grown)
                return parse_fail(ps, BAIOT_ERR_MEMORY, line, a, "out of memory");
            at->values = grown;
            at->cap_values = cap;
        }
        at->values[at->n_values] = tok_strdup(&t);
        if (!at->values[at->n_values])
            return parse_fail(ps, BAIOT_ERR_MEMORY, line, a, "out of memory");
        at->n_values++;
        next_token(pp, end, &t);
        if (t.kind == TOK_RBRACE)
            return BAIOT_OK;
        if (t.kind == TOK_BAD)
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "%s", t.why);
        if (t.kind == TOK_WORD || t.kind == TOK_QUOTED)
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a,
                              "expected ',' or '}' after the value '%.*s', found '%.*s' (values containing "
                              "spaces must be quoted)",
                              ARFF_SHOW_MAX, at->values[at->n_values - 1], show(&t), t.text);
        if (t.kind != TOK_COMMA)
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "expected ',' or '}' in the nominal list, found %s",
                              tok_describe(&t));
        next_token(pp, end, &t);
    }
}

/* Parses the rest of an @attribute line (after the keyword) at *pp. */
static baiot_status parse_attribute(arff_parser *ps, char **pp, char *end)
{
    int64_t line = ps->lr.line_no;
    token t;
    next_token(pp, end, &t);
    if (t.kind == TOK_BAD)
        return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1, "attribute #%d: %s", ps->n_attrs + 1, t.why);
    if (!tok_is_value(&t))
        return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1, "attribute #%d: expected its name, found %s",
                          ps->n_attrs + 1, tok_describe(&t));
    if (ps->n_attrs == ps->cap_attrs) {
        int cap = ps->cap_attrs ? 2 * ps->cap_attrs : 16;
        arff_attr *grown = baiot_realloc(ps->attrs, (size_t)cap * sizeof *grown);
        if (!grown)
            return parse_fail(ps, BAIOT_ERR_MEMORY, line, -1, "out of memory");
        ps->attrs = grown;
        ps->cap_attrs = cap;
    }
    int a = ps->n_attrs;
    arff_attr *at = &ps->attrs[a];
    memset(at, 0, sizeof *at);
    at->line = line;
    at->name = tok_strdup(&t);
    if (!at->name)
        return parse_fail(ps, BAIOT_ERR_MEMORY, line, -1, "out of memory");
    ps->n_attrs++;
    for (int b = 0; b < a; b++)
        if (strcmp(ps->attrs[b].name, at->name) == 0)
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a,
                              "duplicate attribute name (already attribute #%d, line %lld)", b + 1,
                              (long long)ps->attrs[b].line);

    baiot_status st;
    next_token(pp, end, &t);
    if (t.kind == TOK_LBRACE) {
        st = parse_nominal_list(ps, a, pp, end);
        if (st)
            return st;
        st = index_nominal(ps, a);
        if (st)
            return st;
    } else if (tok_is_keyword(&t, "numeric") || tok_is_keyword(&t, "real") || tok_is_keyword(&t, "integer")) {
        at->nominal = 0;
    } else if (tok_is_keyword(&t, "string") || tok_is_keyword(&t, "date") || tok_is_keyword(&t, "relational")) {
        return parse_fail(ps, BAIOT_ERR_FORMAT, line, a,
                          "%.*s attributes are not supported (only numeric, real, integer and {nominal})",
                          (int)t.len, t.text);
    } else if (t.kind == TOK_BAD) {
        return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "%s", t.why);
    } else if (tok_is_value(&t)) {
        return parse_fail(ps, BAIOT_ERR_FORMAT, line, a,
                          "unknown attribute type '%.*s' (expected numeric, real, integer or {nominal values})",
                          show(&t), t.text);
    } else {
        return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "expected the attribute type, found %s", tok_describe(&t));
    }
    next_token(pp, end, &t);
    if (t.kind != TOK_END)
        return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "unexpected text after the type: '%.*s'", ARFF_SHOW_MAX,
                          t.text);
    return BAIOT_OK;
}

/* Reads the header up to and including the @data line. */
static baiot_status parse_header(arff_parser *ps)
{
    int seen_relation = 0, got;
    for (;;) {
        baiot_status st = lr_next(&ps->lr, ps->path, &got);
        if (st)
            return st;
        if (!got)
            break;
        char *p = ps->lr.line, *end = ps->lr.line + ps->lr.line_len;
        int64_t line = ps->lr.line_no;
        token t;
        next_token(&p, end, &t);
        if (t.kind == TOK_END)
            continue;
        if (tok_is_keyword(&t, "@relation")) {
            if (seen_relation)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1, "a second @relation");
            next_token(&p, end, &t);
            if (!tok_is_value(&t))
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1, "@relation: expected a name, found %s",
                                  t.kind == TOK_BAD ? t.why : tok_describe(&t));
            ps->relation = tok_strdup(&t);
            if (!ps->relation)
                return parse_fail(ps, BAIOT_ERR_MEMORY, line, -1, "out of memory");
            next_token(&p, end, &t);
            if (t.kind != TOK_END)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1,
                                  "unexpected text after the relation name (names containing spaces must be quoted)");
            seen_relation = 1;
        } else if (tok_is_keyword(&t, "@attribute")) {
            if (!seen_relation)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1, "@attribute before @relation");
            st = parse_attribute(ps, &p, end);
            if (st)
                return st;
        } else if (tok_is_keyword(&t, "@data")) {
            if (!seen_relation)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1, "@data before @relation");
            next_token(&p, end, &t);
            if (t.kind != TOK_END)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1, "unexpected text after @data");
            if (ps->n_attrs == 0)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1, "no @attribute before @data");
            return BAIOT_OK;
        } else if (t.kind == TOK_BAD) {
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1, "%s", t.why);
        } else {
            const char *what = tok_describe(&t);
            if (what)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1,
                                  "expected @relation, @attribute or @data, found %s", what);
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, -1,
                              "expected @relation, @attribute or @data, found '%.*s'", show(&t), t.text);
        }
    }
    int64_t last = ps->lr.line_no;
    if (!seen_relation)
        return parse_fail(ps, BAIOT_ERR_FORMAT, last > 0 ? last : 1, -1,
                          "empty file: no @relation, @attribute or @data");
    if (ps->n_attrs > 0)
        return parse_fail(ps, BAIOT_ERR_FORMAT, last, ps->n_attrs - 1,
                          "end of file after this last attribute: missing @data");
    return parse_fail(ps, BAIOT_ERR_FORMAT, last, -1, "end of file: no @attribute and no @data");
}

/* Picks the class attribute: params->class_attr as a name, else (when no
 * attribute has that name) as a 1-based position or "first"/"last"; by
 * default the last attribute.  It must be nominal with at least one value. */
static baiot_status choose_class(const arff_parser *ps, const baiot_view_params *params, int *out)
{
    int cls = -1;
    const char *want = params ? params->class_attr : NULL;
    if (!want) {
        cls = ps->n_attrs - 1;
    } else {
        for (int a = 0; a < ps->n_attrs && cls < 0; a++)
            if (strcmp(ps->attrs[a].name, want) == 0)
                cls = a;
        if (cls < 0) {
            char *endp = NULL;
            errno = 0;
            long k = (want[0] >= '0' && want[0] <= '9') ? strtol(want, &endp, 10) : 0;
            if (endp && *endp == '\0' && errno == 0 && k >= 1 && k <= ps->n_attrs)
                cls = (int)k - 1;
            else if (strcmp(want, "first") == 0)
                cls = 0;
            else if (strcmp(want, "last") == 0)
                cls = ps->n_attrs - 1;
        }
        if (cls < 0)
            return baiot_fail(BAIOT_ERR_ARG, "'%s': no attribute '%s' to use as the class (%d attributes)", ps->path,
                              want, ps->n_attrs);
    }
    const arff_attr *at = &ps->attrs[cls];
    if (!at->nominal)
        return parse_fail(ps, BAIOT_ERR_FORMAT, at->line, cls, "is numeric, but the class attribute must be nominal");
    if (at->n_values == 0)
        return parse_fail(ps, BAIOT_ERR_FORMAT, at->line, cls, "the class attribute declares no values");
    *out = cls;
    return BAIOT_OK;
}

/* ------------------------------------------------------------------------
 * The data.
 * ------------------------------------------------------------------------ */

/* Counts the data rows from the current position to the end of the file. */
static baiot_status count_rows(arff_parser *ps, int64_t *out)
{
    int64_t n = 0;
    int got;
    for (;;) {
        baiot_status st = lr_next(&ps->lr, ps->path, &got);
        if (st)
            return st;
        if (!got)
            break;
        const char *p = ps->lr.line, *end = ps->lr.line + ps->lr.line_len;
        while (p < end && is_blank(*p))
            p++;
        if (p < end && *p != '%')
            n++;
    }
    *out = n;
    return BAIOT_OK;
}

/* Parses the current line (known not to be blank) as row i of the view:
 * attribute cls goes to y, the others to the columns in order. */
static baiot_status parse_row(arff_parser *ps, int cls, baiot_view *v, int64_t i)
{
    char *p = ps->lr.line, *end = ps->lr.line + ps->lr.line_len;
    int64_t line = ps->lr.line_no;
    int n = ps->n_attrs;
    token t;
    for (int a = 0; a < n; a++) {
        const arff_attr *at = &ps->attrs[a];
        if (a > 0) {
            next_token(&p, end, &t);
            if (t.kind == TOK_END)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "too few values: %d found, %d expected", a, n);
            if (t.kind == TOK_BAD)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, a - 1, "%s", t.why);
            if (t.kind != TOK_COMMA) {
                const char *what = tok_describe(&t);
                if (what)
                    return parse_fail(ps, BAIOT_ERR_FORMAT, line, a - 1, "expected ',' after the value, found %s",
                                      what);
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, a - 1,
                                  "expected ',' after the value, found '%.*s' (values containing spaces must be "
                                  "quoted)",
                                  show(&t), t.text);
            }
        }
        next_token(&p, end, &t);
        if (t.kind == TOK_BAD)
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "%s", t.why);
        if (t.kind == TOK_LBRACE && a == 0)
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "sparse rows ({index value, ...}) are not supported");
        if (t.kind == TOK_END)
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "too few values: %d found, %d expected", a, n);
        if (!tok_is_value(&t))
            return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "expected a value, found %s", tok_describe(&t));

        double value;
        if (tok_is_missing(&t)) {
            value = NAN;
        } else if (at->nominal) {
            int k = nominal_lookup(at, t.text, t.len);
            if (k < 0)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "the value '%.*s' is not in its nominal list",
                                  show(&t), t.text);
            value = (double)k;
        } else {
            const char *stop = baiot_parse_double(t.text, t.text + t.len, &value);
            if (stop != t.text + t.len)
                return parse_fail(ps, BAIOT_ERR_FORMAT, line, a, "the value '%.*s' is not a number",
                                  show(&t), t.text);
        }
        if (a == cls)
            v->y[i] = isnan(value) ? -1 : (int)value;
        else
            v->cols[a < cls ? a : a - 1][i] = value;
    }
    next_token(&p, end, &t);
    if (t.kind != TOK_END)
        return parse_fail(ps, BAIOT_ERR_FORMAT, line, n - 1, "too many values: more than the %d expected", n);
    return BAIOT_OK;
}

/* Reads the n_rows data rows after the header into v. */
static baiot_status parse_rows(arff_parser *ps, int cls, baiot_view *v)
{
    int64_t i = 0;
    int got;
    for (;;) {
        baiot_status st = lr_next(&ps->lr, ps->path, &got);
        if (st)
            return st;
        if (!got)
            break;
        char *p = ps->lr.line, *end = ps->lr.line + ps->lr.line_len;
        token t;
        next_token(&p, end, &t);
        if (t.kind == TOK_END)
            continue;
        if (i == v->n_rows)
            return parse_fail(ps, BAIOT_ERR_IO, ps->lr.line_no, -1, "the file changed while it was read");
        st = parse_row(ps, cls, v, i);
        if (st)
            return st;
        i++;
    }
    if (i != v->n_rows)
        return parse_fail(ps, BAIOT_ERR_IO, ps->lr.line_no, -1, "the file changed while it was read");
    return BAIOT_OK;
}

/* Hands the parser's strings over to the view (nothing can fail). */
static void move_header(arff_parser *ps, int cls, baiot_view *v)
{
    v->relation = ps->relation;
    ps->relation = NULL;
    for (int a = 0; a < ps->n_attrs; a++) {
        arff_attr *at = &ps->attrs[a];
        if (a == cls) {
            v->class_name = at->name;
            v->class_names = at->values;
            v->n_classes = at->n_values;
        } else {
            baiot_attr *dst = &v->attrs[a < cls ? a : a - 1];
            dst->name = at->name;
            dst->kind = at->nominal ? BAIOT_ATTR_NOMINAL : BAIOT_ATTR_NUMERIC;
            dst->n_values = at->n_values;
            dst->values = at->values;
        }
        at->name = NULL;
        at->values = NULL;
        at->n_values = 0;
    }
}

baiot_status baiot_arff_load_view(const char *path, const baiot_view_params *params, baiot_view **out)
{
    arff_parser ps;
    baiot_view *v = NULL;
    baiot_status st;
    int cls = -1;
    int64_t n_rows = 0;

    *out = NULL;
    memset(&ps, 0, sizeof ps);
    ps.path = path;
    ps.lr.line_cap = ARFF_LINE_INIT;
    ps.lr.line = baiot_malloc(ps.lr.line_cap);
    ps.lr.block = baiot_malloc(ARFF_BLOCK_SIZE);
    if (!ps.lr.line || !ps.lr.block) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "'%s': out of memory", path);
        goto done;
    }
    baiot_output_note_input(path);
    ps.lr.fp = fopen(path, "rb");
    if (!ps.lr.fp) {
        st = baiot_fail(BAIOT_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
        goto done;
    }

    st = parse_header(&ps);
    if (st)
        goto done;
    st = choose_class(&ps, params, &cls);
    if (st)
        goto done;

    int64_t data_line = ps.lr.line_no;
    off_t data_off = ps.lr.next_off;
    st = count_rows(&ps, &n_rows);
    if (st)
        goto done;
    st = lr_seek(&ps.lr, path, data_off, data_line);
    if (st)
        goto done;

    st = baiot_view_alloc(n_rows, ps.n_attrs - 1, &v);
    if (st) {
        baiot_fail_context(st, "'%s': ", path);
        goto done;
    }
    st = parse_rows(&ps, cls, v);
    if (st)
        goto done;

    move_header(&ps, cls, v);
    *out = v;
    v = NULL;
done:
    baiot_view_free(v);
    parser_free(&ps);
    return st;
}
