/*
 * csv.h - writes a view as CSV in the N-BaIoT layout: a header of
 * the column names, then one row per line, numbers in the shortest text
 * that reads back to the same double (Python repr, as the UCI files are
 * written), so exporting ingested rows gives back the original text.
 */
#ifndef BAIOT_CSV_H
#define BAIOT_CSV_H

#include "baiot/view.h"

BAIOT_BEGIN_DECLS

typedef struct baiot_csv_options {
    int with_class; /* append a "class" column with the class name */
    int crlf;       /* "\r\n" line ends (the UCI files' own) instead of "\n" */
} baiot_csv_options;

/* Writes through a temporary file renamed into place.  Missing values are
 * written as empty fields; nominal attributes as their value names. */
baiot_status baiot_csv_write_view(const char *path, const baiot_view *view, const baiot_csv_options *opt);

BAIOT_END_DECLS
#endif
