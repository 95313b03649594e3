/*
 * test_md_html.c - the report's Markdown as HTML (io/export/md_html.c):
 * headings, paragraphs, lists, tables with their alignment, code, bold,
 * escapes; a relative link to a .md file points at the .html page and an
 * absolute one is kept; an image becomes the inline SVG beside it with its
 * ids prefixed per figure (two figures do not share an id), or its alt text
 * when there is no SVG; text is escaped; the page is the same bytes twice
 * and no temporary file is left; an unreadable Markdown file fails with a
 * message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/export/md_html.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];

static void write_text(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static const char svg[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                          "width=\"90pt\" height=\"65pt\" viewBox=\"0 0 90 65\">\n<defs>\n<g>\n"
                          "<symbol overflow=\"visible\" id=\"glyph0-1\"><path d=\"M 1 1 L 2 2 Z\"/></symbol>\n"
                          "</g>\n<clipPath id=\"clip1\"><path d=\"M 0 0 L 9 9 Z\"/></clipPath>\n</defs>\n"
                          "<g clip-path=\"url(#clip1)\"><use xlink:href=\"#glyph0-1\" x=\"3\" y=\"4\"/></g>\n</svg>\n";

static const char md[] = "# Study report: a <b> & \"c\"\n\n"
                         "First line\nsecond line with `x < y` and **bold** and a\\_b.\n\n"
                         "- item one\n- item [two](other/report.md#top)\n- [d/report.md](d/report.md)\n\n"
                         "| name | value | mid |\n|---|---:|:---:|\n| a \\| b | 1.5 | `p|q` |\n| c | 2 | x |\n\n"
                         "![ROC curves](roc.png) ![Confusion](confusion.png)\n\n"
                         "![Missing](missing.png)\n\n"
                         "[web](https://example.org/a.md) [abs](/tmp/x.md)\n\n"
                         "```\nraw <code> here\n```\n";

static void test_page(void **state)
{
    (void)state;
    char md_path[512], html_path[512];
    write_text("report.md", md);
    write_text("roc.svg", svg);
    write_text("confusion.svg", svg);
    snprintf(md_path, sizeof md_path, "%s/report.md", dir);
    assert_int_equal(baiot_md_html_beside(md_path), BAIOT_OK);
    char *html = read_text("report.html");
    char first[65536];
    snprintf(first, sizeof first, "%s", html);

    assert_non_null(strstr(html, "<!DOCTYPE html>"));
    assert_non_null(strstr(html, "<title>Study report: a &lt;b&gt; &amp; &quot;c&quot;</title>"));
    assert_non_null(strstr(html, "<h1>Study report: a &lt;b&gt; &amp; &quot;c&quot;</h1>"));
    assert_non_null(strstr(html, "<p>First line\nsecond line with <code>x &lt; y</code> and <strong>bold</strong> and "
                                 "a_b.</p>"));
    assert_non_null(strstr(html, "<ul>\n<li>item one</li>\n<li>item <a href=\"other/report.html#top\">two</a></li>\n"
                                 "<li><a href=\"d/report.html\">d/report.html</a></li>\n</ul>"));
    assert_non_null(strstr(html, "<th>name</th><th>value</th><th>mid</th>"));
    assert_non_null(strstr(html, "<tr><td>a | b</td><td style=\"text-align:right\">1.5</td>"
                                 "<td style=\"text-align:center\"><code>p|q</code></td></tr>"));
    assert_int_equal(count(html, "<tr>"), 3);
    /* two inline figures, their ids and references prefixed apart */
    assert_int_equal(count(html, "<svg"), 2);
    assert_null(strstr(html, "<?xml"));
    assert_null(strstr(html, "<img"));
    assert_non_null(strstr(html, "<svg role=\"img\" aria-label=\"ROC curves\""));
    assert_non_null(strstr(html, "id=\"f1-glyph0-1\""));
    assert_non_null(strstr(html, "xlink:href=\"#f2-glyph0-1\""));
    assert_non_null(strstr(html, "clip-path=\"url(#f2-clip1)\""));
    assert_int_equal(count(html, "id=\"f1-"), 2);
    assert_int_equal(count(html, "id=\"f2-"), 2);
    assert_int_equal(count(html, "</svg>"), 2);
    assert_non_null(strstr(html, "<em>[figure: Missing]</em>"));
    /* links: only relative .md links change */
    assert_non_null(strstr(html, "<a href=\"https://example.org/a.md\">web</a>"));
    assert_non_null(strstr(html, "<a href=\"/tmp/x.md\">abs</a>"));
    assert_non_null(strstr(html, "<pre><code>raw &lt;code&gt; here\n</code></pre>"));
    assert_non_null(strstr(html, "</body>\n</html>\n"));

    /* the same bytes again; no temporaries */
    assert_int_equal(baiot_md_html_beside(md_path), BAIOT_OK);
    assert_string_equal(read_text("report.html"), first);
    DIR *d = opendir(dir);
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        assert_null(strstr(de->d_name, ".tmp-"));
    closedir(d);

    snprintf(md_path, sizeof md_path, "%s/none.md", dir);
    snprintf(html_path, sizeof html_path, "%s/none.html", dir);
    assert_int_not_equal(baiot_md_html_write(md_path, html_path), BAIOT_OK);
    assert_non_null(strstr(baiot_last_error(), "none.md"));
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/baiot-test-md-html-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_page)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return rc;
}
