/*
 * temp_names.c - tables of temporaries in flight and the removal of dead
 * processes' leftovers (temp_names.h).
 * Covered by tests/cli/test_outputs.py (a dead process's temporary removed,
 * a live one's kept), tests/cli/test_report_dir.py and tests/cli/test_kill.py.
 */
#include "io/files/temp_names.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void baiot_temp_track(baiot_temp_table *t, char *path)
{
    for (int i = 0; i < BAIOT_TEMP_SLOTS; i++) {
        char *expected = NULL;
        if (__atomic_compare_exchange_n(&t->slot[i], &expected, path, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
    }
}

void baiot_temp_untrack(baiot_temp_table *t, const char *path)
{
    for (int i = 0; i < BAIOT_TEMP_SLOTS; i++) {
        char *expected = (char *)path;
        if (__atomic_compare_exchange_n(&t->slot[i], &expected, NULL, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
    }
}

void baiot_temp_remove_all(baiot_temp_table *t, void (*remove)(const char *path))
{
    for (int i = 0; i < BAIOT_TEMP_SLOTS; i++) {
        char *p = __atomic_load_n(&t->slot[i], __ATOMIC_SEQ_CST);
        if (p)
            remove(p);
    }
}

void baiot_temp_remove_stale(const char *dir, const char *base, void (*remove)(const char *path))
{
    char prefix[600];
    int np = snprintf(prefix, sizeof prefix, ".%s.tmp-", base);
    if (np <= 0 || (size_t)np >= sizeof prefix)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, (size_t)np) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + np, &end, 10);
        if (pid <= 0 || *end != '-' || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char full[8192];
        if (snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < (int)sizeof full)
            remove(full);
    }
    closedir(d);
}
