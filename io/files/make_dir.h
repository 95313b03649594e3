/*
 * make_dir.h - creating an output folder and its parents (`mkdir -p`).
 * Defined in make_dir.c; covered by the CLI tests that write into new
 * folders (tests/cli/test_study.py: run/demo/bulk -o DIR).
 */
#ifndef BAIOT_IO_MAKE_DIR_H
#define BAIOT_IO_MAKE_DIR_H

#include "baiot/baiot.h"

/* Creates dir and every missing parent (mode 0777 before the umask);
 * folders that exist already are fine.  BAIOT_ERR_ARG when the name is
 * longer than 4095 bytes, BAIOT_ERR_IO (naming the folder and the reason)
 * when one cannot be made. */
baiot_status baiot_make_dir(const char *dir);

#endif
