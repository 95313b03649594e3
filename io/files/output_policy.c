/*
 * output_policy.c - the output rule of output_policy.h: inputs of the run
 * by (device, inode), the --force switch, and the check every atomic
 * output makes before it creates its temporary file.
 *
 * Inputs are kept in a fixed table (MAX_NOTED_INPUTS: a run reads a few
 * files, a bulk ingest a few hundred); duplicates are noted once.  The
 * check is made again by the final rename (no-replace unless allowed), so
 * a file that appears in between is not lost either.  Covered by
 * tests/unit/test_output_policy.c and tests/cli/test_outputs.py.
 */
#include "io/files/output_policy.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_NOTED_INPUTS 4096

typedef struct noted_input {
    dev_t dev;
    ino_t ino;
} noted_input;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static noted_input inputs[MAX_NOTED_INPUTS];
static int n_inputs;
/* Replacing existing outputs is allowed unless a front end says otherwise
 * (the library's behaviour before the policy; the CLI keeps it for now). */
static int force_replace = 1;

void baiot_set_output_force(int force)
{
    __atomic_store_n(&force_replace, force ? 1 : 0, __ATOMIC_SEQ_CST);
}

void baiot_output_note_input(const char *path)
{
    struct stat sb;
    if (!path || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return;
    pthread_mutex_lock(&lock);
    int seen = 0;
    for (int i = 0; i < n_inputs && !seen; i++)
        seen = inputs[i].dev == sb.st_dev && inputs[i].ino == sb.st_ino;
    if (!seen && n_inputs < MAX_NOTED_INPUTS) {
        inputs[n_inputs].dev = sb.st_dev;
        inputs[n_inputs].ino = sb.st_ino;
        n_inputs++;
    }
    pthread_mutex_unlock(&lock);
}

void baiot_output_forget_inputs(void)
{
    pthread_mutex_lock(&lock);
    n_inputs = 0;
    pthread_mutex_unlock(&lock);
}

int baiot_output_may_replace(baiot_replace how)
{
    return how == BAIOT_REPLACE_OWNED || __atomic_load_n(&force_replace, __ATOMIC_SEQ_CST);
}

static int is_input(const struct stat *sb)
{
    int found = 0;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < n_inputs && !found; i++)
        found = inputs[i].dev == sb->st_dev && inputs[i].ino == sb->st_ino;
    pthread_mutex_unlock(&lock);
    return found;
}

baiot_status baiot_output_check(const char *path, baiot_replace how)
{
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT)
            return BAIOT_OK;
        return baiot_fail(BAIOT_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    if (S_ISLNK(sb.st_mode) && stat(path, &sb) != 0)
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is a dangling symbolic link: refusing to write through it", path);
    if (!S_ISREG(sb.st_mode))
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is not a regular file (%s): baiot writes outputs only as regular files",
                          path, S_ISDIR(sb.st_mode) ? "a folder" : S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ? "a device"
                                                  : S_ISFIFO(sb.st_mode) ? "a FIFO" : "a special file");
    if (how != BAIOT_REPLACE_OWNED && is_input(&sb)) /* an in-place update reads what it replaces */
        return baiot_fail(BAIOT_ERR_ARG, "'%s' is an input of this run: refusing to replace it with an output", path);
    if (!baiot_output_may_replace(how))
        return baiot_fail(BAIOT_ERR_ARG, "'%s' exists: use --force to replace it", path);
    return BAIOT_OK;
}
