/*
 * md_html.h - a report page in HTML from the report's Markdown: the subset
 * the report writers emit (headings, paragraphs, "- " lists, pipe tables
 * with their alignment row, ``` code blocks, `code`, **bold**, links and
 * images) becomes one self-contained page.  An image ![alt](name.png)
 * becomes the inline contents of name.svg from the Markdown file's folder
 * (its ids prefixed per figure, so figures cannot capture each other's
 * glyphs), or its alt text when that file is absent; a relative link to a
 * .md file points at the .html beside it, so the pages link to each other
 * from any folder they are copied to.  The page holds nothing the Markdown
 * and the figures do not (no time stamp): the same inputs give the same
 * bytes.  Written to a temporary name and renamed (io/files/atomic_file.h).
 * Covered by tests/unit/test_md_html.c and tests/cli/test_report_html.py.
 */
#ifndef BAIOT_IO_MD_HTML_H
#define BAIOT_IO_MD_HTML_H

#include "baiot/baiot.h"

/* Converts the Markdown file md_path into html_path; the page's title is
 * the first heading. */
baiot_status baiot_md_html_write(const char *md_path, const char *html_path);
/* The same into the .html file beside md_path ("a/report.md" ->
 * "a/report.html"). */
baiot_status baiot_md_html_beside(const char *md_path);

#endif
