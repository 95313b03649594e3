/*
 * memory_available.c - how much memory this machine can give a job now:
 * the kernel's MemAvailable estimate (/proc/meminfo), lowered to a
 * cgroup's (v2) memory.max less its memory.current when the process runs
 * in a limited cgroup.  Used for the default of `--memory-limit`
 * (engine/models/j48/j48_memory.c).  Never fails: -1 when nothing is
 * known (then the caller plans without a limit).  Covered by
 * tests/unit/test_j48_memory.c (a positive figure on Linux).
 */
#include "baiot/baiot.h"

#include <stdio.h>
#include <string.h>

/* The first integer of file path (-1 when absent or "max"). */
static int64_t read_number(const char *path)
{
    FILE *f = fopen(path, "r");
    long long x = -1;
    if (!f)
        return -1;
    if (fscanf(f, "%lld", &x) != 1)
        x = -1;
    fclose(f);
    return (int64_t)x;
}

int64_t baiot_memory_available(void)
{
    int64_t avail = -1;
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        char line[256];
        long long kb;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "MemAvailable: %lld kB", &kb) == 1) {
                avail = (int64_t)kb * 1024;
                break;
            }
        fclose(f);
    }
    int64_t max = read_number("/sys/fs/cgroup/memory.max"), cur = read_number("/sys/fs/cgroup/memory.current");
    if (max > 0 && cur >= 0 && (avail < 0 || max - cur < avail))
        avail = max > cur ? max - cur : 0;
    return avail;
}
