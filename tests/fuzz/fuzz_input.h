/*
 * fuzz_input.h - shared by the libFuzzer harnesses: the fuzzer's bytes as
 * a file (the readers under test take paths), in /dev/shm when it exists,
 * with a suffix the reader may look at (".zip", ".arff").  One file per
 * process, rewritten for every input.
 */
#ifndef BAIOT_FUZZ_INPUT_H
#define BAIOT_FUZZ_INPUT_H
#include "baiot/baiot.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *fuzz_write_file(const uint8_t *data, size_t size, const char *suffix)
{
    static char path[256];
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(path, sizeof path, "%s/baiot-fuzz-%ld%s", dir, (long)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    if (fclose(f) != 0)
        abort();
    return path;
}

#endif
