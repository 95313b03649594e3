/*
 * json.h - a small JSON reader for model files (RFC 8259 text: objects,
 * arrays, strings with escapes, numbers, true/false/null).  Numbers are
 * read with baiot_parse_double, so a number written in its shortest round-trip
 * text comes back as the same double.  Errors name the line and column.
 * Covered by tests/cli/test_predict.py and tests/cli/test_deep_model.py (the
 * depth limit).
 */
#ifndef BAIOT_IO_JSON_H
#define BAIOT_IO_JSON_H

#include "baiot/baiot.h"

#include <stdint.h>
#include <stdio.h>

typedef enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value {
    json_type type;
    double number;              /* JSON_NUMBER; JSON_BOOL: 0 or 1 */
    char *string;               /* JSON_STRING (NUL-terminated, may hold no NUL) */
    int n;                      /* ARRAY / OBJECT: members */
    struct json_value **items;  /* ARRAY / OBJECT: values */
    char **keys;                /* OBJECT: keys */
} json_value;

/* Parses text[0..len); what names the source in messages. */
baiot_status baiot_json_parse(const char *text, size_t len, const char *what, json_value **out);
void baiot_json_free(json_value *v);

/* Member key of an object, or NULL. */
const json_value *baiot_json_get(const json_value *obj, const char *key);

/* Writes s as a JSON string literal (NULL: ""): '"' and '\\' escaped,
 * newline and tab as \n and \t, other control characters and DEL as
 * \u00XX, and every byte that is not part of valid UTF-8 as \ufffd, so the
 * document is always valid UTF-8 JSON.  The program's one JSON string
 * writer. */
void baiot_json_write_string(FILE *f, const char *s);
/* The length (1..4) of the valid UTF-8 sequence starting at c (which is
 * NUL-terminated), or 0 when those bytes are not valid UTF-8. */
size_t baiot_utf8_valid_length(const unsigned char *c);
/* Writes x in the shortest text that reads back to x (null for NaN/inf);
 * the program's one JSON number writer. */
void baiot_json_write_number(FILE *f, double x);
/* Writes x[0..n) as a JSON array of such numbers: "[a, b, c]". */
void baiot_json_write_numbers(FILE *f, const double *x, int64_t n);

#endif
