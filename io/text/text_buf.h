/*
 * text_buf.h - a growable text buffer for formatting CSV rows in parallel
 * blocks before writing them in order (csv_write.c, engine/traffic/extract.c).
 * An allocation failure sets oom and makes later appends no-ops, so the
 * caller checks once per block.
 * Covered by tests/cli/test_export_roundtrip.py and
 * tests/cli/test_extract.py.
 */
#ifndef BAIOT_IO_TEXT_BUF_H
#define BAIOT_IO_TEXT_BUF_H

#include "baiot/baiot.h"

#include <string.h>

typedef struct text_buf {
    char *data;
    size_t len, cap;
    int oom;
} text_buf;

/* Appends n bytes of s. */
static inline void text_buf_put(text_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t cap = 2 * (b->len + n) + 4096;
        char *g = baiot_realloc(b->data, cap);
        if (!g) {
            b->oom = 1;
            return;
        }
        b->data = g;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

#endif
