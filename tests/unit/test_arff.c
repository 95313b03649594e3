/*
 * test_arff.c - unit tests of the ARFF reader and writer (io/sources/arff_read.c,
 * io/export/arff_write.c).
 *
 * Loads Weka's example files (tests/data/weka, found through $BAIOT_SRC)
 * and checks their shapes and a few cells against the figures of the files
 * themselves; writes every one back and checks that reading the copy gives
 * the same bits; selects the class by name and position; feeds malformed
 * files (written to temporary files) and checks that each error names the
 * file, the line and the attribute; fails every allocation of a load and a
 * write in turn and checks for a clean BAIOT_ERR_MEMORY.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernels/base/alloc_testing.h"
#include "baiot/arff.h"
#include "baiot/view.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ---- */

static void data_path(const char *file, char *buf, size_t size)
{
    const char *src = getenv("BAIOT_SRC");
    snprintf(buf, size, "%s/tests/data/weka/%s", src && *src ? src : "../..", file);
}

static baiot_view *load_ok(const char *file, const char *class_attr)
{
    char path[4096];
    baiot_view *v = NULL;
    baiot_view_params p = baiot_view_params_default();
    p.class_attr = class_attr;
    data_path(file, path, sizeof path);
    baiot_status st = baiot_arff_load_view(path, &p, &v);
    if (st != BAIOT_OK)
        print_error("loading %s: %s\n", path, baiot_last_error());
    assert_int_equal(st, BAIOT_OK);
    assert_non_null(v);
    return v;
}

/* Writes text to a new temporary file; its name goes to path[64]. */
static void temp_arff(const char *text, char *path)
{
    strcpy(path, "/tmp/baiot_test_arff_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

static int64_t count_missing(const baiot_view *v)
{
    int64_t n = 0;
    for (int j = 0; j < v->n_cols; j++)
        for (int64_t i = 0; i < v->n_rows; i++)
            n += isnan(v->cols[j][i]);
    for (int64_t i = 0; i < v->n_rows; i++)
        n += v->y[i] == -1;
    return n;
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Asserts that two views hold the same names, values and bits. */
static void assert_views_equal(const baiot_view *a, const baiot_view *b)
{
    assert_int_equal(a->n_rows, b->n_rows);
    assert_int_equal(a->n_cols, b->n_cols);
    assert_int_equal(a->n_classes, b->n_classes);
    assert_string_equal(a->relation, b->relation);
    assert_string_equal(a->class_name, b->class_name);
    for (int k = 0; k < a->n_classes; k++)
        assert_string_equal(a->class_names[k], b->class_names[k]);
    for (int j = 0; j < a->n_cols; j++) {
        assert_string_equal(a->attrs[j].name, b->attrs[j].name);
        assert_int_equal(a->attrs[j].kind, b->attrs[j].kind);
        assert_int_equal(a->attrs[j].n_values, b->attrs[j].n_values);
        for (int k = 0; k < a->attrs[j].n_values; k++)
            assert_string_equal(a->attrs[j].values[k], b->attrs[j].values[k]);
        for (int64_t i = 0; i < a->n_rows; i++)
            if (!same_bits(a->cols[j][i], b->cols[j][i])) {
                print_error("column %d row %lld: %.17g != %.17g\n", j, (long long)i, a->cols[j][i], b->cols[j][i]);
                fail();
            }
    }
    for (int64_t i = 0; i < a->n_rows; i++)
        assert_int_equal(a->y[i], b->y[i]);
}

/* ---- Weka's example files ---- */

typedef struct weka_file {
    const char *file;
    int64_t rows;
    int cols;        /* attributes without the class */
    int classes;
    int64_t missing; /* '?' cells, class included */
    const char *relation;
    const char *class_name;
} weka_file;

static const weka_file weka_files[] = {
    {"iris.arff", 150, 4, 3, 0, "iris", "class"},
    {"weather.nominal.arff", 14, 4, 2, 0, "weather.symbolic", "play"},
    {"weather.numeric.arff", 14, 4, 2, 0, "weather", "play"},
    {"labor.arff", 57, 16, 2, 326, "labor-neg-data", "class"},
    {"contact-lenses.arff", 24, 4, 3, 0, "contact-lenses", "contact-lenses"},
    {"soybean.arff", 683, 35, 19, 2337, "soybean", "class"},
    {"breast-cancer.arff", 286, 9, 2, 9, "breast-cancer", "Class"},
    {"diabetes.arff", 768, 8, 2, 0, "pima_diabetes", "class"},
    {"vote.arff", 435, 16, 2, 392, "vote", "Class"},
    {"credit-g.arff", 1000, 20, 2, 0, "german_credit", "class"},
    {"segment-challenge.arff", 1500, 19, 7, 0, "segment", "class"},
    {"glass.arff", 214, 9, 7, 0, "Glass", "Type"},
    {"ionosphere.arff", 351, 34, 2, 0, "ionosphere", "class"},
};
#define N_WEKA_FILES (sizeof weka_files / sizeof weka_files[0])

static void test_weka_shapes(void **state)
{
    for (size_t f = 0; f < N_WEKA_FILES; f++) {
        const weka_file *w = &weka_files[f];
        baiot_view *v = load_ok(w->file, NULL);
        if (v->n_rows != w->rows || v->n_cols != w->cols || v->n_classes != w->classes)
            print_error("%s: %lld x %d, %d classes\n", w->file, (long long)v->n_rows, v->n_cols, v->n_classes);
        assert_int_equal(v->n_rows, w->rows);
        assert_int_equal(v->n_cols, w->cols);
        assert_int_equal(v->n_classes, w->classes);
        assert_int_equal(count_missing(v), w->missing);
        assert_string_equal(v->relation, w->relation);
        assert_string_equal(v->class_name, w->class_name);
        /* column-major, one block */
        for (int j = 1; j < v->n_cols; j++)
            assert_ptr_equal(v->cols[j], v->cols[0] + (size_t)j * (size_t)v->n_rows);
        for (int64_t i = 0; i < v->n_rows; i++)
            assert_true(v->y[i] >= -1 && v->y[i] < v->n_classes);
        baiot_view_free(v);
    }
}

static void test_iris_cells(void **state)
{
    baiot_view *v = load_ok("iris.arff", NULL);
    assert_string_equal(v->attrs[0].name, "sepallength");
    assert_string_equal(v->attrs[3].name, "petalwidth");
    assert_int_equal(v->attrs[0].kind, BAIOT_ATTR_NUMERIC);
    assert_string_equal(v->class_names[0], "Iris-setosa");
    assert_string_equal(v->class_names[2], "Iris-virginica");
    /* first row 5.1,3.5,1.4,0.2,Iris-setosa; last 5.9,3.0,5.1,1.8,Iris-virginica */
    assert_true(same_bits(v->cols[0][0], strtod("5.1", NULL)));
    assert_true(same_bits(v->cols[1][0], 3.5));
    assert_true(same_bits(v->cols[2][0], strtod("1.4", NULL)));
    assert_true(same_bits(v->cols[3][0], strtod("0.2", NULL)));
    assert_int_equal(v->y[0], 0);
    assert_true(same_bits(v->cols[0][149], strtod("5.9", NULL)));
    assert_true(same_bits(v->cols[3][149], strtod("1.8", NULL)));
    assert_int_equal(v->y[149], 2);
    assert_int_equal(v->y[50], 1);
    baiot_view_free(v);
}

static void test_nominal_and_missing_cells(void **state)
{
    /* weather.nominal row 1: sunny,hot,high,FALSE,no */
    baiot_view *v = load_ok("weather.nominal.arff", NULL);
    assert_int_equal(v->attrs[0].kind, BAIOT_ATTR_NOMINAL);
    assert_int_equal(v->attrs[0].n_values, 3);
    assert_string_equal(v->attrs[0].values[2], "rainy");
    assert_string_equal(v->attrs[3].values[0], "TRUE");
    assert_true(v->cols[0][0] == 0.0);
    assert_true(v->cols[3][0] == 1.0);
    assert_int_equal(v->y[0], 1);
    assert_true(v->cols[0][13] == 2.0); /* rainy,mild,high,TRUE,no */
    baiot_view_free(v);

    /* labor row 1: 1,5,?,?,?,40,?,?,2,?,11,'average',?,?,'yes',?,'good' */
    v = load_ok("labor.arff", NULL);
    assert_string_equal(v->attrs[11].name, "vacation");
    assert_true(v->cols[0][0] == 1.0);
    assert_true(v->cols[1][0] == 5.0);
    assert_true(isnan(v->cols[2][0]));
    assert_true(isnan(v->cols[15][0]));
    assert_true(v->cols[11][0] == 1.0); /* 'average' in {below_average, average, generous} */
    assert_true(v->cols[14][0] == 0.0); /* 'yes' */
    assert_string_equal(v->class_names[1], "good");
    assert_int_equal(v->y[0], 1);
    baiot_view_free(v);

    /* credit-g: quoted values with spaces and symbols */
    v = load_ok("credit-g.arff", NULL);
    assert_string_equal(v->attrs[0].values[0], "<0");
    assert_string_equal(v->attrs[0].values[3], "no checking");
    assert_string_equal(v->attrs[3].values[3], "radio/tv");
    assert_true(v->cols[0][0] == 0.0);
    assert_true(v->cols[3][0] == 3.0);
    assert_true(v->cols[4][0] == 1169.0);
    assert_true(v->cols[0][2] == 3.0);
    assert_int_equal(v->y[0], 0);
    assert_int_equal(v->y[1], 1);
    baiot_view_free(v);

    /* glass: quoted class values with spaces */
    v = load_ok("glass.arff", NULL);
    assert_string_equal(v->class_names[0], "build wind float");
    assert_string_equal(v->class_names[6], "headlamps");
    baiot_view_free(v);

    /* soybean: spaces after commas in the rows, 19 classes */
    v = load_ok("soybean.arff", NULL);
    assert_string_equal(v->attrs[0].name, "date");
    assert_true(v->cols[0][0] == 6.0); /* october */
    assert_string_equal(v->class_names[18], "herbicide-injury");
    assert_int_equal(v->y[0], 0);
    baiot_view_free(v);
}

static void test_weka_round_trip(void **state)
{
    char dir[] = "/tmp/baiot_test_arff_dir_XXXXXX";
    assert_non_null(mkdtemp(dir));
    for (size_t f = 0; f < N_WEKA_FILES; f++) {
        char out[4200];
        baiot_view *a = load_ok(weka_files[f].file, NULL), *b = NULL;
        snprintf(out, sizeof out, "%s/%s", dir, weka_files[f].file);
        assert_int_equal(baiot_arff_write_view(out, a), BAIOT_OK);
        assert_int_equal(baiot_arff_load_view(out, NULL, &b), BAIOT_OK);
        assert_views_equal(a, b);
        /* writing the copy again gives the same bytes */
        char out2[4300];
        snprintf(out2, sizeof out2, "%s.2", out);
        assert_int_equal(baiot_arff_write_view(out2, b), BAIOT_OK);
        char cmd[9000];
        snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", out, out2);
        assert_int_equal(system(cmd), 0);
        unlink(out);
        unlink(out2);
        baiot_view_free(a);
        baiot_view_free(b);
    }
    assert_int_equal(rmdir(dir), 0);
}

/* A view with awkward numbers and names survives write + read bit for bit. */
static void test_round_trip_awkward(void **state)
{
    static const char *weird[] = {"", "?", "a b", "it's", "say \"hi\"", "back\\slash", "50%", "{x}", "tab\there",
                                  "new\nline", "a,b", "@data"};
    const int n_weird = (int)(sizeof weird / sizeof weird[0]);
    double nums[] = {0.0, -0.0, 0.1, -1.5e-300, 4.9406564584124654e-324, 1.7976931348623157e308,
                     3.141592653589793, 1e16, 123456789012345678.0, NAN, 2.5e-5, -7.0};
    const int64_t n = (int64_t)(sizeof nums / sizeof nums[0]);
    baiot_view *v = NULL, *b = NULL;
    assert_int_equal(baiot_view_alloc(n, 3, &v), BAIOT_OK);
    v->relation = baiot_strdup("my relation, 'quoted'");
    v->class_name = baiot_strdup("the class");
    v->n_classes = n_weird;
    v->class_names = baiot_calloc((size_t)n_weird, sizeof(char *));
    for (int k = 0; k < n_weird; k++)
        v->class_names[k] = baiot_strdup(weird[k]);
    v->attrs[0].name = baiot_strdup("num col");
    v->attrs[1].name = baiot_strdup("nom%col");
    v->attrs[1].kind = BAIOT_ATTR_NOMINAL;
    v->attrs[1].n_values = n_weird;
    v->attrs[1].values = baiot_calloc((size_t)n_weird, sizeof(char *));
    for (int k = 0; k < n_weird; k++)
        v->attrs[1].values[k] = baiot_strdup(weird[n_weird - 1 - k]);
    v->attrs[2].name = baiot_strdup("empty");
    v->attrs[2].kind = BAIOT_ATTR_NOMINAL; /* no values: all missing */
    for (int64_t i = 0; i < n; i++) {
        v->cols[0][i] = nums[i];
        v->cols[1][i] = i % 3 == 2 ? NAN : (double)(i % n_weird);
        v->cols[2][i] = NAN;
        v->y[i] = i == 4 ? -1 : (int)(i % n_weird);
    }
    char path[64];
    temp_arff("", path);
    assert_int_equal(baiot_arff_write_view(path, v), BAIOT_OK);
    baiot_status st = baiot_arff_load_view(path, NULL, &b);
    if (st)
        print_error("%s\n", baiot_last_error());
    assert_int_equal(st, BAIOT_OK);
    assert_views_equal(v, b);
    assert_true(signbit(b->cols[0][1]));
    unlink(path);
    baiot_view_free(v);
    baiot_view_free(b);
}

/* Writing an invalid view fails and leaves no file behind. */
static void test_write_refuses_invalid(void **state)
{
    char dir[] = "/tmp/baiot_test_arff_dir_XXXXXX";
    char path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.arff", dir);
    baiot_view *v = load_ok("weather.numeric.arff", NULL);

    v->cols[0][3] = 7.0; /* outlook has 3 values */
    assert_int_equal(baiot_arff_write_view(path, v), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "outlook"));
    assert_non_null(strstr(baiot_last_error(), "row 4"));
    v->cols[0][3] = 2.0;

    v->cols[1][5] = INFINITY;
    assert_int_equal(baiot_arff_write_view(path, v), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "temperature"));
    v->cols[1][5] = 70.0;

    v->y[2] = 5;
    assert_int_equal(baiot_arff_write_view(path, v), BAIOT_ERR_ARG);
    v->y[2] = 0;

    baiot_free(v->attrs[2].name);
    v->attrs[2].name = baiot_strdup("temperature");
    assert_int_equal(baiot_arff_write_view(path, v), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "temperature"));

    /* nothing, not even a temporary file, was left */
    DIR *d = opendir(dir);
    struct dirent *e;
    int entries = 0;
    while ((e = readdir(d)) != NULL)
        entries += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    assert_int_equal(entries, 0);

    baiot_free(v->attrs[2].name);
    v->attrs[2].name = baiot_strdup("humidity");
    assert_int_equal(baiot_arff_write_view(path, v), BAIOT_OK);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
    baiot_view_free(v);
}

/* ---- class selection ---- */

static void test_class_attr(void **state)
{
    baiot_view *v = load_ok("weather.nominal.arff", "outlook");
    assert_int_equal(v->n_cols, 4);
    assert_string_equal(v->class_name, "outlook");
    assert_int_equal(v->n_classes, 3);
    assert_string_equal(v->class_names[1], "overcast");
    assert_string_equal(v->attrs[0].name, "temperature");
    assert_string_equal(v->attrs[3].name, "play");
    assert_int_equal(v->y[0], 0);    /* sunny */
    assert_int_equal(v->y[2], 1);    /* overcast */
    assert_true(v->cols[3][0] == 1.0); /* play = no, now a column */
    assert_true(v->cols[0][0] == 0.0); /* temperature = hot */
    baiot_view_free(v);

    v = load_ok("weather.nominal.arff", "4"); /* by 1-based position: windy */
    assert_string_equal(v->class_name, "windy");
    assert_string_equal(v->attrs[3].name, "play");
    assert_int_equal(v->y[0], 1);
    baiot_view_free(v);

    v = load_ok("weather.numeric.arff", "play");
    assert_string_equal(v->class_name, "play");
    baiot_view_free(v);

    char path[4096];
    baiot_view_params p = baiot_view_params_default();
    data_path("iris.arff", path, sizeof path);
    p.class_attr = "sepallength";
    v = (baiot_view *)1;
    assert_int_equal(baiot_arff_load_view(path, &p, &v), BAIOT_ERR_FORMAT);
    assert_null(v);
    assert_non_null(strstr(baiot_last_error(), "sepallength"));
    assert_non_null(strstr(baiot_last_error(), "iris.arff"));
    assert_non_null(strstr(baiot_last_error(), "nominal"));
    p.class_attr = "no-such-attribute";
    assert_int_equal(baiot_arff_load_view(path, &p, &v), BAIOT_ERR_ARG);
    assert_non_null(strstr(baiot_last_error(), "no-such-attribute"));
}

/* ---- the syntax accepted ---- */

static void test_syntax_variants(void **state)
{
    static const char text[] =
        "% a comment first\r\n"
        "\r\n"
        "  @RELATION \"rel \\\"one\\\"\"   % trailing comment\r\n"
        "@Attribute 'my attr'\tREAL\r\n"
        "\t@attribute \"q'uote\" {'a b', \"c,d\", e\\f , '?'}\r\n"
        "@ATTRIBUTE n3 Integer\r\n"
        "% comment between\r\n"
        "@attribute cls{ yes,no }\r\n"
        "@DATA\r\n"
        "\r\n"
        "  1.5 , 'a b' , -3 , yes   % a comment\r\n"
        "% a comment row\r\n"
        "?,\"c,d\",+2e3,no\r\n"
        "-.25,'?',?,?\r\n"
        "0,e\\f,'7',\"yes\"";  /* no newline at the end */
    char path[64];
    baiot_view *v = NULL;
    temp_arff(text, path);
    baiot_status st = baiot_arff_load_view(path, NULL, &v);
    if (st)
        print_error("%s\n", baiot_last_error());
    assert_int_equal(st, BAIOT_OK);
    assert_string_equal(v->relation, "rel \"one\"");
    assert_int_equal(v->n_rows, 4);
    assert_int_equal(v->n_cols, 3);
    assert_string_equal(v->attrs[0].name, "my attr");
    assert_string_equal(v->attrs[1].name, "q'uote");
    assert_int_equal(v->attrs[1].n_values, 4);
    assert_string_equal(v->attrs[1].values[0], "a b");
    assert_string_equal(v->attrs[1].values[1], "c,d");
    assert_string_equal(v->attrs[1].values[2], "e\\f"); /* unquoted: the backslash is literal */
    assert_string_equal(v->attrs[1].values[3], "?");
    assert_int_equal(v->attrs[2].kind, BAIOT_ATTR_NUMERIC);
    assert_string_equal(v->class_name, "cls");
    assert_true(v->cols[0][0] == 1.5);
    assert_true(isnan(v->cols[0][1]));
    assert_true(v->cols[0][2] == -0.25);
    assert_true(v->cols[1][0] == 0.0);
    assert_true(v->cols[1][1] == 1.0);
    assert_true(v->cols[1][2] == 3.0); /* quoted '?' is a value */
    assert_true(v->cols[1][3] == 2.0);
    assert_true(v->cols[2][0] == -3.0);
    assert_true(v->cols[2][1] == 2000.0);
    assert_true(isnan(v->cols[2][2]));
    assert_true(v->cols[2][3] == 7.0); /* a quoted number */
    assert_int_equal(v->y[0], 0);
    assert_int_equal(v->y[1], 1);
    assert_int_equal(v->y[2], -1);
    assert_int_equal(v->y[3], 0);
    baiot_view_free(v);
    unlink(path);

    /* only the class: no attribute columns, no rows */
    temp_arff("@relation r\n@attribute c {a}\n@data\n", path);
    assert_int_equal(baiot_arff_load_view(path, NULL, &v), BAIOT_OK);
    assert_int_equal(v->n_cols, 0);
    assert_int_equal(v->n_rows, 0);
    assert_int_equal(v->n_classes, 1);
    baiot_view_free(v);
    unlink(path);
}

/* ---- errors ---- */

typedef struct bad_case {
    const char *what;
    const char *text;
    baiot_status code;
    int line;          /* expected "line N" */
    const char *attr;  /* expected attribute name in the message, or NULL */
    const char *also;  /* another expected piece of the message, or NULL */
} bad_case;

#define HDR "@relation r\n@attribute a numeric\n@attribute b real\n@attribute c {x,y}\n"
#define HDR_DATA HDR "@data\n"

static const bad_case bad_cases[] = {
    {"too few values", HDR_DATA "1,2,x\n3,4\n", BAIOT_ERR_FORMAT, 7, "'c' (#3)", "too few"},
    {"too many values", HDR_DATA "1,2,x,5\n", BAIOT_ERR_FORMAT, 6, "'c' (#3)", "too many"},
    {"trailing comma", HDR_DATA "1,2,x,\n", BAIOT_ERR_FORMAT, 6, "'c'", "too many"},
    {"empty field", HDR_DATA "1,,x\n", BAIOT_ERR_FORMAT, 6, "'b' (#2)", NULL},
    {"not a number", HDR_DATA "1,2,x\n\n% c\n1,abc,y\n", BAIOT_ERR_FORMAT, 9, "'b' (#2)", "not a number"},
    {"number with junk", HDR_DATA "1,2.5.1,x\n", BAIOT_ERR_FORMAT, 6, "'b'", "not a number"},
    {"NaN text", HDR_DATA "NaN,2,x\n", BAIOT_ERR_FORMAT, 6, "'a' (#1)", "not a number"},
    {"Infinity text", HDR_DATA "1,Infinity,x\n", BAIOT_ERR_FORMAT, 6, "'b' (#2)", "not a number"},
    {"inf text", HDR_DATA "1,-inf,x\n", BAIOT_ERR_FORMAT, 6, "'b'", "not a number"},
    {"overflow", HDR_DATA "1e999,2,x\n", BAIOT_ERR_FORMAT, 6, "'a'", "not a number"},
    {"not in nominal list", HDR_DATA "1,2,z\n", BAIOT_ERR_FORMAT, 6, "'c' (#3)", "'z'"},
    {"nominal case differs", HDR_DATA "1,2,X\n", BAIOT_ERR_FORMAT, 6, "'c'", "nominal list"},
    {"unquoted space", HDR_DATA "1,2 3,x\n", BAIOT_ERR_FORMAT, 6, "'b' (#2)", "quoted"},
    {"unknown type", "@relation r\n@attribute a numeric\n@attribute b numerik\n@data\n", BAIOT_ERR_FORMAT, 3,
     "'b' (#2)", "numerik"},
    {"string type", "@relation r\n@attribute s string\n@attribute c {x}\n@data\n", BAIOT_ERR_FORMAT, 2, "'s' (#1)",
     "string"},
    {"date type", "@relation r\n@attribute c {x}\n@attribute when date \"yyyy-MM-dd\"\n@data\n", BAIOT_ERR_FORMAT, 3,
     "'when' (#2)", "date"},
    {"relational type", "@relation r\n@attribute bag relational\n@end bag\n@data\n", BAIOT_ERR_FORMAT, 2,
     "'bag' (#1)", "relational"},
    {"sparse row", HDR_DATA "{0 1, 2 x}\n", BAIOT_ERR_FORMAT, 6, "'a' (#1)", "sparse"},
    {"missing @data", HDR "\n% nothing more\n", BAIOT_ERR_FORMAT, 6, "'c' (#3)", "@data"},
    {"empty file", "", BAIOT_ERR_FORMAT, 1, NULL, "empty"},
    {"only comments", "% one\n\n% three\n", BAIOT_ERR_FORMAT, 3, NULL, "empty"},
    {"duplicate attribute", "@relation r\n@attribute a numeric\n@attribute b numeric\n@attribute a {x}\n@data\n",
     BAIOT_ERR_FORMAT, 4, "'a' (#3)", "duplicate"},
    {"duplicate nominal value", "@relation r\n@attribute c {x,y,x}\n@data\n", BAIOT_ERR_FORMAT, 2, "'c' (#1)",
     "twice"},
    {"numeric class", "@relation r\n@attribute c {x,y}\n@attribute n numeric\n@data\n1\n", BAIOT_ERR_FORMAT, 3,
     "'n' (#2)", "nominal"},
    {"unterminated quote", HDR_DATA "1,2,'x\n", BAIOT_ERR_FORMAT, 6, "'c' (#3)", "quote"},
    {"unterminated list", "@relation r\n@attribute c {x,y\n@data\n", BAIOT_ERR_FORMAT, 2, "'c' (#1)", "}"},
    {"unquoted space in list", "@relation r\n@attribute c {x y}\n@data\n", BAIOT_ERR_FORMAT, 2, "'c' (#1)",
     "quoted"},
    {"no relation", "@attribute a numeric\n@data\n", BAIOT_ERR_FORMAT, 1, NULL, "@relation"},
    {"garbage keyword", "@relation r\n@atribute a numeric\n", BAIOT_ERR_FORMAT, 2, NULL, "@atribute"},
    {"no attributes", "@relation r\n@data\n", BAIOT_ERR_FORMAT, 2, NULL, "@attribute"},
    {"text after type", "@relation r\n@attribute a numeric extra\n", BAIOT_ERR_FORMAT, 2, "'a' (#1)", "extra"},
};
#define N_BAD_CASES (sizeof bad_cases / sizeof bad_cases[0])

static void test_errors(void **state)
{
    for (size_t c = 0; c < N_BAD_CASES; c++) {
        const bad_case *bc = &bad_cases[c];
        char path[64], line[32];
        baiot_view *v = (baiot_view *)1;
        temp_arff(bc->text, path);
        baiot_status st = baiot_arff_load_view(path, NULL, &v);
        const char *msg = baiot_last_error();
        snprintf(line, sizeof line, "line %d", bc->line);
        int ok = st == bc->code && v == NULL && strstr(msg, path) && strstr(msg, line) &&
                 (!bc->attr || strstr(msg, bc->attr)) && (!bc->also || strstr(msg, bc->also));
        if (!ok)
            print_error("case '%s': status %d, message: %s\n", bc->what, (int)st, msg);
        assert_true(ok);
        unlink(path);
    }
}

static void test_missing_file(void **state)
{
    baiot_view *v = (baiot_view *)1;
    assert_int_equal(baiot_arff_load_view("/nonexistent/dir/x.arff", NULL, &v), BAIOT_ERR_IO);
    assert_null(v);
    assert_non_null(strstr(baiot_last_error(), "/nonexistent/dir/x.arff"));
}

/* ---- allocation failures ---- */

static void test_alloc_failures_load(void **state)
{
    char path[4096];
    data_path("weather.numeric.arff", path, sizeof path);
    /* a tiny line buffer would not grow: also a file with a long line */
    char long_path[64];
    char text[2048] = "@relation r\n@attribute 'a very long name";
    for (int k = 0; k < 60; k++)
        strcat(text, " padding");
    strcat(text, "' {x,y}\n@attribute c {p,q}\n@data\nx,p\ny,q\n");
    temp_arff(text, long_path);

    const char *files[] = {path, long_path};
    for (int f = 0; f < 2; f++) {
        uint64_t k;
        for (k = 1; k < 10000; k++) {
            baiot_view *v = (baiot_view *)1;
            baiot_alloc_fail_at(k);
            baiot_status st = baiot_arff_load_view(files[f], NULL, &v);
            baiot_alloc_fail_at(0);
            if (st == BAIOT_OK) {
                assert_non_null(v);
                baiot_view_free(v);
                break;
            }
            assert_int_equal(st, BAIOT_ERR_MEMORY);
            assert_null(v);
        }
        assert_true(k > 5 && k < 10000);
    }
    unlink(long_path);
}

static void test_alloc_failures_write(void **state)
{
    char dir[] = "/tmp/baiot_test_arff_dir_XXXXXX";
    char path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.arff", dir);
    baiot_view *v = load_ok("labor.arff", NULL);
    uint64_t k;
    for (k = 1; k < 1000; k++) {
        baiot_alloc_fail_at(k);
        baiot_status st = baiot_arff_write_view(path, v);
        baiot_alloc_fail_at(0);
        if (st == BAIOT_OK)
            break;
        assert_int_equal(st, BAIOT_ERR_MEMORY);
        struct stat sb;
        assert_int_equal(stat(path, &sb), -1);
    }
    assert_true(k > 1 && k < 1000);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
    baiot_view_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weka_shapes),
        cmocka_unit_test(test_iris_cells),
        cmocka_unit_test(test_nominal_and_missing_cells),
        cmocka_unit_test(test_weka_round_trip),
        cmocka_unit_test(test_round_trip_awkward),
        cmocka_unit_test(test_write_refuses_invalid),
        cmocka_unit_test(test_class_attr),
        cmocka_unit_test(test_syntax_variants),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_alloc_failures_load),
        cmocka_unit_test(test_alloc_failures_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
