/*
 * source_labels.c - labels from file, folder and archive names
 * (see source_labels.h).
 *
 * Each name is split at '/' into components and each component at '.'
 * into tokens.  A token is a device (full UCI folder name, or a flat index
 * 1..9 as the first token of a CSV or archive name), a family ("benign",
 * "benign_traffic", "gafgyt", "gafgyt_attacks", "bashlite", "mirai",
 * "mirai_attacks") or an attack short name.  The CSV name must be made of
 * such tokens only; other components contribute the tokens they have.
 * Covered by tests/unit/test_source_labels.c and
 * tests/cli/test_ingest_layouts.py.
 */
#include "io/sources/source_labels.h"
#include "baiot/nbaiot.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ACCEPTED_NAMES                                                                                \
    "accepted names: device folders (Danmini_Doorbell, Ecobee_Thermostat, Ennio_Doorbell, "          \
    "Philips_B120N10_Baby_Monitor, Provision_PT_737E_Security_Camera, Provision_PT_838_Security_Camera, " \
    "Samsung_SNH_1011_N_Webcam, SimpleHome_XCS7_1002_WHT_Security_Camera, "                          \
    "SimpleHome_XCS7_1003_WHT_Security_Camera) or a flat prefix 1..9; families benign, benign_traffic, " \
    "gafgyt, gafgyt_attacks, mirai, mirai_attacks; attacks combo, junk, scan, tcp, udp (gafgyt), ack, " \
    "scan, syn, udp, udpplain (mirai); or --device/--family/--attack"

typedef struct partial {
    int device, family;
    char attack[16];
} partial;

static const char *const attack_words[] = {"combo", "junk", "scan", "tcp", "udp", "ack", "syn", "udpplain"};

static int family_word(const char *t)
{
    if (!strcmp(t, "benign") || !strcmp(t, "benign_traffic"))
        return BAIOT_FAMILY_BENIGN;
    if (!strcmp(t, "gafgyt") || !strcmp(t, "gafgyt_attacks") || !strcmp(t, "bashlite"))
        return BAIOT_FAMILY_GAFGYT;
    if (!strcmp(t, "mirai") || !strcmp(t, "mirai_attacks"))
        return BAIOT_FAMILY_MIRAI;
    return -1;
}

static int is_attack_word(const char *t)
{
    for (size_t i = 0; i < sizeof attack_words / sizeof *attack_words; i++)
        if (!strcmp(t, attack_words[i]))
            return 1;
    return 0;
}

/* Reads the tokens of one component (already stripped of its extension).
 * strict: every token must be known.  Returns 0, or -1 with *bad set to the
 * first unknown token's offset. */
static int read_tokens(const char *comp, size_t len, int strict, int allow_index, partial *into, size_t *bad_at,
                       size_t *bad_len)
{
    partial mine = {-1, -1, ""};
    size_t i = 0;
    int first = 1;
    while (i <= len) {
        size_t j = i;
        while (j < len && comp[j] != '.')
            j++;
        char tok[128];
        size_t n = j - i < sizeof tok - 1 ? j - i : sizeof tok - 1;
        memcpy(tok, comp + i, n);
        tok[n] = '\0';
        int known = 1;
        int f;
        if (allow_index && first && n == 1 && tok[0] >= '1' && tok[0] <= '9')
            mine.device = tok[0] - '1';
        else if (baiot_device_index(tok) >= 0)
            mine.device = baiot_device_index(tok);
        else if ((f = family_word(tok)) >= 0)
            mine.family = f;
        else if (is_attack_word(tok))
            snprintf(mine.attack, sizeof mine.attack, "%.15s", tok);
        else
            known = 0;
        if (!known && strict) {
            *bad_at = i;
            *bad_len = n;
            return -1;
        }
        first = 0;
        i = j + 1;
    }
    if (into->device < 0)
        into->device = mine.device;
    if (into->family < 0)
        into->family = mine.family;
    if (!into->attack[0])
        memcpy(into->attack, mine.attack, sizeof mine.attack);
    return 0;
}

/* Strips a known data or archive extension from [comp, comp+len). */
static size_t strip_extension(const char *comp, size_t len)
{
    static const char *const exts[] = {".csv", ".zip", ".rar", ".7z", ".tar.gz", ".tgz", ".tar.xz",
                                       ".tar.bz2", ".tar"};
    for (size_t k = 0; k < sizeof exts / sizeof *exts; k++) {
        size_t n = strlen(exts[k]);
        if (len > n && strncasecmp(comp + len - n, exts[k], n) == 0)
            return len - n;
    }
    return len;
}

/* Feeds the components of path (deepest first) into p, non-strictly.  A
 * flat index (1..9) counts only in the last component when last_is_file
 * (an archive's or CSV's own name), never in a folder name such as "7/". */
static void read_context(const char *path, int last_is_file, partial *p)
{
    size_t end = strlen(path);
    int last = 1;
    while (end > 0) {
        size_t start = end;
        while (start > 0 && path[start - 1] != '/')
            start--;
        size_t bad_at, bad_len;
        read_tokens(path + start, strip_extension(path + start, end - start), 0, last && last_is_file, p, &bad_at,
                    &bad_len);
        last = 0;
        end = start > 0 ? start - 1 : 0;
    }
}

baiot_status baiot_source_labels_infer(const char *path, const char *member, const baiot_ingest_params *params,
                                 source_labels *out)
{
    const char *csv = member ? member : path;
    const char *base = strrchr(csv, '/');
    char display[1200];
    partial p = {-1, -1, ""};
    size_t bad_at, bad_len;

    base = base ? base + 1 : csv;
    snprintf(display, sizeof display, "%s%s%s", path, member ? ":" : "", member ? member : "");
    size_t blen = strlen(base);
    size_t stem = strip_extension(base, blen);
    /* Any forced label makes the file's own name optional (it may be "capture.csv"). */
    int forced_any = params->device >= 0 || params->family >= 0 || params->attack;

    if (read_tokens(base, stem, !forced_any, 1, &p, &bad_at, &bad_len) != 0)
        return baiot_fail(BAIOT_ERR_ARG, "%s: cannot label this file: '%.*s' in its name is not a device, family "
                                         "or attack (%s)",
                          display, (int)bad_len, base + bad_at, ACCEPTED_NAMES);
    if (member) {
        char dir[1024];
        size_t n = (size_t)(base - csv);
        if (n >= sizeof dir)
            n = sizeof dir - 1;
        memcpy(dir, csv, n);
        dir[n > 0 ? n - 1 : 0] = '\0';
        read_context(dir, 0, &p);
    }
    read_context(path, 1, &p); /* for a plain CSV this re-reads its own name harmlessly */

    if (params->device >= 0)
        p.device = params->device;
    if (params->family >= 0)
        p.family = params->family;
    if (params->attack)
        snprintf(p.attack, sizeof p.attack, "%s", params->attack);

    if (p.device < 0)
        return baiot_fail(BAIOT_ERR_ARG,
                          "%s: cannot tell the device: put the file in a device folder, name it with a flat "
                          "prefix 1..9, or pass --device (%s)",
                          display, ACCEPTED_NAMES);
    if (p.family < 0 && p.attack[0]) {
        /* attacks only one family has */
        if (!strcmp(p.attack, "combo") || !strcmp(p.attack, "junk") || !strcmp(p.attack, "tcp"))
            p.family = BAIOT_FAMILY_GAFGYT;
        else if (!strcmp(p.attack, "ack") || !strcmp(p.attack, "syn") || !strcmp(p.attack, "udpplain"))
            p.family = BAIOT_FAMILY_MIRAI;
    }
    if (p.family < 0)
        return baiot_fail(BAIOT_ERR_ARG,
                          "%s: cannot tell the family (benign, gafgyt or mirai): name it in the file or folder "
                          "name, or pass --family (%s)",
                          display, ACCEPTED_NAMES);
    int code;
    if (p.family == BAIOT_FAMILY_BENIGN) {
        code = 0;
    } else {
        if (!p.attack[0])
            return baiot_fail(BAIOT_ERR_ARG, "%s: cannot tell the %s attack: name it in the file name or pass "
                                             "--attack (%s)",
                              display, baiot_family_names[p.family], ACCEPTED_NAMES);
        code = baiot_attack_code(p.family, p.attack);
        if (code < 0)
            return baiot_fail(BAIOT_ERR_ARG, "%s: '%s' is not a %s attack (%s)", display, p.attack,
                              baiot_family_names[p.family], ACCEPTED_NAMES);
    }
    out->device = p.device;
    out->family = p.family;
    out->attack = code;
    return BAIOT_OK;
}
