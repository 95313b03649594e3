/*
 * json.c - the JSON reader and writing helpers (see json.h).
 *
 * Recursive descent over the text with a depth limit (8192: a J48 tree
 * takes two levels per tree level, and trees grown on millions of rows run
 * deeper than 30; a level costs well under 256 bytes of stack, so the
 * limit stays under 2 MB of the usual 8 MB) so hostile input cannot
 * exhaust the stack; every allocation is checked and freed on error.
 * Covered by tests/cli/test_predict.py and tests/cli/test_deep_model.py (the
 * depth limit).
 */
#include "io/text/json.h"
#include "io/text/format_double.h"
#include "io/text/parse_double.h"

#include <math.h>
#include <string.h>

#define MAX_DEPTH 8192

typedef struct parser {
    const char *p, *end, *start;
    const char *what;
    baiot_status st;
} parser;

static baiot_status fail_at(parser *ps, const char *msg)
{
    int line = 1, col = 1;
    for (const char *c = ps->start; c < ps->p && c < ps->end; c++) {
        if (*c == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    ps->st = baiot_fail(BAIOT_ERR_FORMAT, "%s:%d:%d: %s", ps->what, line, col, msg);
    return ps->st;
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

void baiot_json_free(json_value *v)
{
    if (!v)
        return;
    for (int i = 0; i < v->n; i++) {
        baiot_json_free(v->items[i]);
        if (v->keys)
            baiot_free(v->keys[i]);
    }
    baiot_free(v->items);
    baiot_free(v->keys);
    baiot_free(v->string);
    baiot_free(v);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void put_utf8(char *out, size_t *n, unsigned cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Parses a string literal at ps->p (which is '"') into a new buffer. */
static char *parse_string(parser *ps)
{
    const char *q = ++ps->p;
    size_t cap = 0;
    while (q < ps->end && *q != '"') {
        if (*q == '\\')
            q++;
        q++;
        cap++;
    }
    char *out = baiot_malloc(4 * cap + 1);
    size_t n = 0;
    if (!out) {
        fail_at(ps, "out of memory");
        ps->st = BAIOT_ERR_MEMORY;
        return NULL;
    }
    while (ps->p < ps->end && *ps->p != '"') {
        unsigned char c = (unsigned char)*ps->p++;
        if (c < 0x20) {
            baiot_free(out);
            fail_at(ps, "control character in a string");
            return NULL;
        }
        if (c != '\\') {
            out[n++] = (char)c;
            continue;
        }
        if (ps->p >= ps->end)
            break;
        char e = *ps->p++;
        switch (e) {
        case '"': out[n++] = '"'; break;
        case '\\': out[n++] = '\\'; break;
        case '/': out[n++] = '/'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            unsigned cp = 0;
            for (int k = 0; k < 4; k++) {
                int h = ps->p < ps->end ? hexval(*ps->p++) : -1;
                if (h < 0) {
                    baiot_free(out);
                    fail_at(ps, "bad \\u escape");
                    return NULL;
                }
                cp = cp * 16 + (unsigned)h;
            }
            put_utf8(out, &n, cp);
            break;
        }
        default:
            baiot_free(out);
            fail_at(ps, "bad escape in a string");
            return NULL;
        }
    }
    if (ps->p >= ps->end) {
        baiot_free(out);
        fail_at(ps, "unterminated string");
        return NULL;
    }
    ps->p++; /* closing quote */
    out[n] = '\0';
    return out;
}

static json_value *parse_value(parser *ps, int depth);

static int add_member(parser *ps, json_value *v, char *key, json_value *item)
{
    json_value **items = baiot_realloc(v->items, (size_t)(v->n + 1) * sizeof *items);
    if (items)
        v->items = items;
    char **keys = NULL;
    if (v->type == JSON_OBJECT) {
        keys = baiot_realloc(v->keys, (size_t)(v->n + 1) * sizeof *keys);
        if (keys)
            v->keys = keys;
    }
    if (!items || (v->type == JSON_OBJECT && !keys)) {
        baiot_free(key);
        baiot_json_free(item);
        fail_at(ps, "out of memory");
        ps->st = BAIOT_ERR_MEMORY;
        return 0;
    }
    v->items[v->n] = item;
    if (v->type == JSON_OBJECT)
        v->keys[v->n] = key;
    v->n++;
    return 1;
}

static json_value *parse_container(parser *ps, int depth, json_type type)
{
    json_value *v = baiot_calloc(1, sizeof *v);
    char close = type == JSON_OBJECT ? '}' : ']';
    if (!v) {
        fail_at(ps, "out of memory");
        ps->st = BAIOT_ERR_MEMORY;
        return NULL;
    }
    v->type = type;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return v;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(ps);
        if (type == JSON_OBJECT) {
            if (ps->p >= ps->end || *ps->p != '"') {
                fail_at(ps, "expected a member name");
                goto fail;
            }
            if (!(key = parse_string(ps)))
                goto fail;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                baiot_free(key);
                fail_at(ps, "expected ':'");
                goto fail;
            }
            ps->p++;
        }
        json_value *item = parse_value(ps, depth + 1);
        if (!item) {
            baiot_free(key);
            goto fail;
        }
        if (!add_member(ps, v, key, item))
            goto fail;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return v;
        }
        fail_at(ps, type == JSON_OBJECT ? "expected ',' or '}'" : "expected ',' or ']'");
        goto fail;
    }
fail:
    baiot_json_free(v);
    return NULL;
}

static json_value *parse_value(parser *ps, int depth)
{
    skip_ws(ps);
    if (depth > MAX_DEPTH) {
        fail_at(ps, "nested too deeply");
        return NULL;
    }
    if (ps->p >= ps->end) {
        fail_at(ps, "unexpected end of the text");
        return NULL;
    }
    char c = *ps->p;
    if (c == '{')
        return parse_container(ps, depth, JSON_OBJECT);
    if (c == '[')
        return parse_container(ps, depth, JSON_ARRAY);
    json_value *v = baiot_calloc(1, sizeof *v);
    if (!v) {
        fail_at(ps, "out of memory");
        ps->st = BAIOT_ERR_MEMORY;
        return NULL;
    }
    if (c == '"') {
        v->type = JSON_STRING;
        if (!(v->string = parse_string(ps))) {
            baiot_free(v);
            return NULL;
        }
        return v;
    }
    static const struct { const char *word; json_type type; double value; } words[] = {
        {"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}, {"null", JSON_NULL, 0}};
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(words[k].word);
        if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, words[k].word, n) == 0) {
            v->type = words[k].type;
            v->number = words[k].value;
            ps->p += n;
            return v;
        }
    }
    const char *q = baiot_parse_double(ps->p, ps->end, &v->number);
    if (!q || (ps->p[0] == '+') || (ps->p[0] == '.')) {
        baiot_free(v);
        fail_at(ps, "expected a value");
        return NULL;
    }
    v->type = JSON_NUMBER;
    ps->p = q;
    return v;
}

baiot_status baiot_json_parse(const char *text, size_t len, const char *what, json_value **out)
{
    parser ps = {text, text + len, text, what, BAIOT_OK};
    *out = NULL;
    json_value *v = parse_value(&ps, 0);
    if (!v)
        return ps.st ? ps.st : BAIOT_ERR_FORMAT;
    skip_ws(&ps);
    if (ps.p != ps.end) {
        baiot_json_free(v);
        return fail_at(&ps, "text after the end of the document");
    }
    *out = v;
    return BAIOT_OK;
}

const json_value *baiot_json_get(const json_value *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJECT)
        return NULL;
    for (int i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}

/* The length of the valid UTF-8 sequence at c (1..4), or 0 when the bytes
 * there are not one (a stray continuation byte, a truncated or overlong
 * sequence, a surrogate, beyond U+10FFFF). */
size_t baiot_utf8_valid_length(const unsigned char *c)
{
    if (c[0] < 0x80)
        return 1;
    size_t n = c[0] >= 0xf0 ? 4 : c[0] >= 0xe0 ? 3 : c[0] >= 0xc0 ? 2 : 0;
    if (n == 0 || c[0] >= 0xf5 || c[0] == 0xc0 || c[0] == 0xc1)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((c[i] & 0xc0) != 0x80)
            return 0;
    if (n == 3 && c[0] == 0xe0 && c[1] < 0xa0)
        return 0; /* overlong */
    if (n == 3 && c[0] == 0xed && c[1] >= 0xa0)
        return 0; /* a surrogate */
    if (n == 4 && c[0] == 0xf0 && c[1] < 0x90)
        return 0; /* overlong */
    if (n == 4 && c[0] == 0xf4 && c[1] >= 0x90)
        return 0; /* beyond U+10FFFF */
    return n;
}

void baiot_json_write_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; c && *c;) {
        size_t n = baiot_utf8_valid_length(c);
        if (n == 0) {
            fputs("\\ufffd", f); /* not UTF-8: the replacement character keeps the document valid */
            c++;
        } else if (n > 1) {
            fwrite(c, 1, n, f);
            c += n;
        } else {
            if (*c == '"' || *c == '\\')
                fprintf(f, "\\%c", *c);
            else if (*c == '\n')
                fputs("\\n", f);
            else if (*c == '\t')
                fputs("\\t", f);
            else if (*c < 0x20 || *c == 0x7f)
                fprintf(f, "\\u%04x", *c);
            else
                fputc(*c, f);
            c++;
        }
    }
    fputc('"', f);
}

void baiot_json_write_number(FILE *f, double x)
{
    char buf[FORMAT_DOUBLE_MAX];
    if (isnan(x) || isinf(x)) {
        fputs("null", f);
        return;
    }
    baiot_format_double(x, buf);
    fputs(buf, f);
}

void baiot_json_write_numbers(FILE *f, const double *x, int64_t n)
{
    fputc('[', f);
    for (int64_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        baiot_json_write_number(f, x[i]);
    }
    fputc(']', f);
}
