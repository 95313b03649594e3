/*
 * view.h - the in-memory data view every model works on.
 *
 * A view is a table of n_rows x n_cols attribute values held column-major
 * (cols[j] is a contiguous array of n_rows doubles, all columns in one
 * allocation, or the caller's arrays for baiot_view_wrap), plus the class of each row.  Numeric attributes hold their
 * values; nominal attributes hold the 0-based index of their value as a
 * double.  A missing value is NaN (checked once, when the view is loaded).
 * The class is kept apart from the attributes: y[i] in 0..n_classes-1, or
 * -1 when row i's class is missing.
 *
 * Views come from an HDF5 store (a device/column/task selection), an ARFF
 * file or an N-BaIoT CSV file; baiot_view_load() takes any of them.  The struct is visible so kernels
 * can read the arrays directly; only the functions here allocate or free it.
 */
#ifndef BAIOT_VIEW_H
#define BAIOT_VIEW_H

#include "baiot/baiot.h"

BAIOT_BEGIN_DECLS

typedef enum baiot_attr_kind { BAIOT_ATTR_NUMERIC = 0, BAIOT_ATTR_NOMINAL = 1 } baiot_attr_kind;

typedef struct baiot_attr {
    char *name;
    baiot_attr_kind kind;
    int n_values;   /* nominal: number of values; numeric: 0 */
    char **values;  /* nominal: the value names, in declaration order */
} baiot_attr;

/* The learning task that turns store labels into classes. */
typedef enum baiot_task {
    BAIOT_TASK_3CLASS = 0,  /* benign / gafgyt / mirai (the study's) */
    BAIOT_TASK_BINARY = 1,  /* benign / attack */
    BAIOT_TASK_11CLASS = 2  /* benign + the ten attacks */
} baiot_task;

/* Where a view's rows came from (baiot_view_load's dispatch). */
typedef enum baiot_data_format {
    BAIOT_DATA_ARFF = 0,  /* an ARFF file (any data set; its own class) */
    BAIOT_DATA_STORE = 1, /* a baiot HDF5 store (N-BaIoT labels, a task) */
    BAIOT_DATA_CSV = 2    /* one N-BaIoT CSV (labels from its name) */
} baiot_data_format;

typedef struct baiot_view {
    int64_t n_rows;
    int n_cols;
    baiot_attr *attrs;   /* n_cols attribute descriptions */
    double **cols;       /* n_cols pointers into one column-major block */
    char *class_name;    /* name of the class attribute */
    int n_classes;
    char **class_names;  /* n_classes names */
    int *y;              /* n_rows class indices, -1 = missing */
    char *relation;      /* ARFF relation name, or a description of the selection */
    baiot_data_format format; /* what it was loaded from (ARFF unless a loader says otherwise) */
    unsigned borrowed;   /* BAIOT_VIEW_BORROWS_* bits: memory the view does not own
                            (baiot_view_wrap); 0 for every loaded view */
} baiot_view;

/* baiot_view.borrowed: cols[] point into the caller's memory / y is the
 * caller's array; baiot_view_free leaves them alone. */
#define BAIOT_VIEW_BORROWS_COLS 1u
#define BAIOT_VIEW_BORROWS_Y 2u

/* What to load from a store.  Strings are borrowed for the call. */
typedef struct baiot_view_params {
    const char *devices;  /* comma list of device names or 1..9 indices; NULL/"all" = all */
    const char *columns;  /* comma list of names or 1-based positions, or @FILE; NULL = all */
    baiot_task task;
    const char *class_attr; /* ARFF only: class attribute name; NULL = the last */
} baiot_view_params;

baiot_view_params baiot_view_params_default(void);

/* Parses "3class", "binary" or "11class". */
baiot_status baiot_task_parse(const char *text, baiot_task *out);
const char *baiot_task_name(baiot_task task);

/* Loads a view from an HDF5 store, an N-BaIoT CSV (name ending in .csv) or
 * an ARFF file (told apart by content and name).
 * On success *out is owned by the caller (free with baiot_view_free). */
baiot_status baiot_view_load(const char *path, const baiot_view_params *params, baiot_view **out);

/* What baiot_view_load takes path for: a store (an HDF5 file), an N-BaIoT
 * CSV (a name ending in .csv) or ARFF (anything else). */
baiot_data_format baiot_data_format_of(const char *path);
/* "arff", "store" or "csv". */
const char *baiot_data_format_name(baiot_data_format format);

/* Loads a view from a store only (device/column/task selection). */
baiot_status baiot_view_load_store(const char *path, const baiot_view_params *params, baiot_view **out);

/* Loads a view from one N-BaIoT CSV file (header + 115 columns); the class
 * comes from the file's name when it tells it (else -1 for every row). */
baiot_status baiot_view_load_csv(const char *path, const baiot_view_params *params, baiot_view **out);

/* The number of rows with a class (y >= 0). */
int64_t baiot_view_labelled_rows(const baiot_view *view);

/* BAIOT_OK when the view has class labels (some row has a class, or it has
 * no rows); otherwise BAIOT_ERR_ARG with a message naming path, saying
 * that WHAT (e.g. "J48") needs labels and how to label the data. */
baiot_status baiot_view_check_labelled(const baiot_view *view, const char *path, const char *what);

/* Keeps only the columns named by spec (as in baiot_view_params.columns),
 * in the order given. */
baiot_status baiot_view_select_columns(baiot_view *view, const char *spec);

/* Allocates an empty view with n_cols attributes (names NULL, numeric) and
 * room for n_rows rows; used by the readers. */
baiot_status baiot_view_alloc(int64_t n_rows, int n_cols, baiot_view **out);

/* Gives a view of N-BaIoT rows the classes of task (names, count), the
 * class attribute's name "class" and the relation text. */
baiot_status baiot_view_set_task_classes(baiot_view *view, baiot_task task, const char *relation);

/* Wraps the caller's memory as a view, without copying a value: cols[j]
 * (n_cols pointers, each to n_rows doubles; numeric attributes, NaN =
 * missing; the columns need not be adjacent) and y (n_rows class indices
 * in 0..n_classes-1 or -1 = missing; NULL: every class missing, an array
 * the view then owns) stay the caller's and must outlive the view.  names
 * (n_cols column names; NULL: "a1", "a2", ...) and class_names (n_classes,
 * NULL when n_classes is 0) are copied.  The view's class attribute is
 * named "class" and its relation is relation (NULL: "arrays").  Models
 * train on it and predict from it as from a loaded view (the Python
 * package's estimators: python/src/ext_arrays.c).  *out is owned by the caller
 * (baiot_view_free frees only what the view owns).  Covered by
 * tests/unit/test_view_wrap.c. */
baiot_status baiot_view_wrap(int64_t n_rows, int n_cols, double *const *cols, const char *const *names, int *y,
                             int n_classes, const char *const *class_names, const char *relation, baiot_view **out);

/* Frees a view and everything it owns; NULL is a no-op. */
void baiot_view_free(baiot_view *view);

BAIOT_END_DECLS
#endif
