/*
 * make_dir.c - `mkdir -p` for the folders reports are written into: each
 * '/'-separated prefix of the path is created in turn, an existing folder
 * counting as success, so a second run into the same folder works.  Only
 * creates folders, never removes or changes one.  Not thread-safe against
 * another process removing the folders meanwhile (nothing here needs that).
 * Covered by tests/cli/test_study.py (reports into new folders).
 */
#include "io/files/make_dir.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

baiot_status baiot_make_dir(const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return baiot_fail(BAIOT_ERR_ARG, "output folder name too long: %s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return baiot_fail(BAIOT_ERR_IO, "cannot create folder '%s': %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return baiot_fail(BAIOT_ERR_IO, "cannot create folder '%s': %s", buf, strerror(errno));
    return BAIOT_OK;
}
