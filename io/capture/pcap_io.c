/*
 * pcap_io.c - capture files through libpcap (pcap_io.h).
 *
 * Reading: the file is opened here, its first four bytes checked against
 * the pcap/pcapng magic numbers (so "not a capture" gets a plain message
 * instead of libpcap's), then handed to libpcap through a stdio cookie
 * stream whose read function feeds a SHA-256 digest: the file is read once,
 * and the digest covers exactly the bytes libpcap parsed (plus any tail,
 * drained by baiot_pcap_reader_sha256).  Times are requested at nanosecond
 * precision, so libpcap scales microsecond pcap files and any pcapng
 * if_tsresol to nanoseconds.  libpcap's messages are kept but prefixed
 * with the file name and, for records, the packet number.
 *
 * A pipe (the standard input of `baiot watch --pcap -`) is read the same
 * way, streamed: its magic bytes, read for the check, are served to libpcap
 * before the rest.
 *
 * Writing: libpcap's dumper on a "dead" handle with nanosecond precision
 * (the file gets the 0xA1B23C4D magic, and pcap_pkthdr.ts.tv_usec carries
 * nanoseconds), at an atomic_file temporary name.
 * Covered by tests/unit/test_packet.c and tests/cli/test_extract.py.
 */
#define _GNU_SOURCE /* fopencookie */
#include "io/capture/pcap_io.h"
#include "io/files/output_policy.h"
#include "io/files/atomic_file.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <unistd.h>

double baiot_pcap_time(int64_t sec, uint32_t nsec)
{
    /* volatile: the product is rounded on its own, so no compiler can fuse
     * it with the sum into an FMA in one caller and not in another. */
    volatile double frac = (double)nsec * 1e-9;
    return (double)sec + frac;
}

/* ------------------------------------------------------------ reading */

#define READ_BUFFER ((size_t)1 << 20)

struct pcap_reader {
    char *path;
    FILE *raw;    /* the file itself */
    FILE *hashed; /* cookie stream over raw, owned by libpcap once opened */
    pcap_t *p;
    EVP_MD_CTX *md;
    int64_t bytes;
    int64_t number;
    int linktype;
    char name[48];
    int eof;
    unsigned char pre[4]; /* a pipe's magic bytes, served before the rest */
    int pre_n, pre_pos;
};

static ssize_t hashed_read(void *cookie, char *buf, size_t size)
{
    pcap_reader *r = cookie;
    if (r->pre_pos < r->pre_n && size > 0) { /* a pipe: the magic check's bytes first */
        size_t k = (size_t)(r->pre_n - r->pre_pos) < size ? (size_t)(r->pre_n - r->pre_pos) : size;
        memcpy(buf, r->pre + r->pre_pos, k);
        r->pre_pos += (int)k;
        EVP_DigestUpdate(r->md, buf, k);
        r->bytes += (int64_t)k;
        return (ssize_t)k;
    }
    size_t n = fread(buf, 1, size, r->raw);
    if (n == 0 && ferror(r->raw))
        return -1;
    EVP_DigestUpdate(r->md, buf, n);
    r->bytes += (int64_t)n;
    return (ssize_t)n;
}

static int hashed_close(void *cookie)
{
    (void)cookie; /* raw is closed by baiot_pcap_reader_close */
    return 0;
}

static int is_capture_magic(const unsigned char m[4])
{
    static const unsigned char magics[][4] = {
        {0xD4, 0xC3, 0xB2, 0xA1}, {0xA1, 0xB2, 0xC3, 0xD4}, /* pcap, microseconds */
        {0x4D, 0x3C, 0xB2, 0xA1}, {0xA1, 0xB2, 0x3C, 0x4D}, /* pcap, nanoseconds */
        {0x34, 0xCD, 0xB2, 0xA1}, {0xA1, 0xB2, 0xCD, 0x34}, /* "modified" pcap */
        {0x0A, 0x0D, 0x0D, 0x0A},                           /* pcapng section header */
    };
    for (size_t i = 0; i < sizeof magics / sizeof *magics; i++)
        if (memcmp(m, magics[i], 4) == 0)
            return 1;
    return 0;
}

/* Checks the first bytes of raw and rewinds it; a stream that cannot be
 * rewound (a pipe: `baiot watch --pcap -`) keeps them in r->pre instead. */
static baiot_status check_magic(pcap_reader *r, const char *path, FILE *raw)
{
    unsigned char m[4];
    size_t n = fread(m, 1, 4, raw);
    if (ferror(raw))
        return baiot_fail(BAIOT_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
    if (n == 0)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s' is empty: not a pcap or pcapng capture", path);
    if (n < 4)
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s' is too short to be a capture (%zu bytes)", path, n);
    if (!is_capture_magic(m)) {
        if (m[0] == 0x1F && m[1] == 0x8B)
            return baiot_fail(BAIOT_ERR_FORMAT, "'%s' is gzip-compressed: decompress it first", path);
        return baiot_fail(BAIOT_ERR_FORMAT,
                          "'%s' is not a pcap or pcapng capture (wrong magic number: it starts with bytes "
                          "%02x %02x %02x %02x)",
                          path, m[0], m[1], m[2], m[3]);
    }
    if (fseek(raw, 0, SEEK_SET) != 0) {
        clearerr(raw);
        memcpy(r->pre, m, 4);
        r->pre_n = 4;
        r->pre_pos = 0;
    }
    return BAIOT_OK;
}

baiot_status baiot_pcap_reader_open(const char *path, pcap_reader **out)
{
    char err[PCAP_ERRBUF_SIZE];
    baiot_status st;
    pcap_reader *r = baiot_calloc(1, sizeof *r);
    *out = NULL;
    if (!r || !(r->path = baiot_strdup(path)) || !(r->md = EVP_MD_CTX_new())) {
        baiot_pcap_reader_close(r);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    }
    EVP_DigestInit_ex(r->md, EVP_sha256(), NULL);
    baiot_output_note_input(path);
    r->raw = fopen(path, "rb");
    if (!r->raw) {
        st = baiot_fail(BAIOT_ERR_IO, "cannot open capture '%s': %s", path, strerror(errno));
        goto fail;
    }
    setvbuf(r->raw, NULL, _IONBF, 0); /* the cookie stream below buffers */
    if ((st = check_magic(r, path, r->raw)))
        goto fail;
    cookie_io_functions_t io = {.read = hashed_read, .write = NULL, .seek = NULL, .close = hashed_close};
    r->hashed = fopencookie(r, "rb", io);
    if (!r->hashed) {
        st = baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
        goto fail;
    }
    /* libpcap reads records of tens of bytes: the cookie stream pulls
     * large blocks straight from the unbuffered file. */
    setvbuf(r->hashed, NULL, _IOFBF, READ_BUFFER);
    /* One thread reads a reader: no stdio locking (glibc turns it on for
     * every stream once a process has a second thread, e.g. watch's
     * scoring stage, and it costs two lock pairs a packet). */
    __fsetlocking(r->raw, FSETLOCKING_BYCALLER);
    __fsetlocking(r->hashed, FSETLOCKING_BYCALLER);
    err[0] = '\0';
    r->p = pcap_fopen_offline_with_tstamp_precision(r->hashed, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!r->p) {
        if (strstr(err, "truncated"))
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s': truncated capture file header (libpcap: %s)", path, err);
        else
            st = baiot_fail(BAIOT_ERR_FORMAT, "'%s' is not a readable capture (libpcap: %s)", path, err);
        goto fail;
    }
    r->hashed = NULL; /* pcap_close closes it */
    r->linktype = pcap_datalink(r->p);
    const char *name = pcap_datalink_val_to_name(r->linktype);
    if (name)
        snprintf(r->name, sizeof r->name, "%s", name);
    else if (r->linktype >= DLT_USER0 && r->linktype <= DLT_USER15) /* libpcap names none of these */
        snprintf(r->name, sizeof r->name, "USER%d", r->linktype - DLT_USER0);
    else
        snprintf(r->name, sizeof r->name, "DLT %d", r->linktype);
    *out = r;
    return BAIOT_OK;
fail:
    baiot_pcap_reader_close(r);
    return st;
}

int baiot_pcap_reader_linktype(const pcap_reader *r)
{
    return r->linktype;
}

const char *baiot_pcap_reader_linktype_name(const pcap_reader *r)
{
    return r->name;
}

const char *baiot_pcap_reader_linktype_text(const pcap_reader *r)
{
    const char *d = pcap_datalink_val_to_description(r->linktype);
    if (!d && r->linktype >= DLT_USER0 && r->linktype <= DLT_USER15)
        return "reserved for private use";
    return d ? d : "";
}

baiot_status baiot_pcap_reader_next(pcap_reader *r, pcap_record *rec, int *got)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    *got = 0;
    if (r->eof)
        return BAIOT_OK;
    int rc = pcap_next_ex(r->p, &h, &data);
    if (rc == PCAP_ERROR_BREAK) {
        r->eof = 1;
        return BAIOT_OK;
    }
    r->number++;
    if (rc != 1) {
        const char *e = pcap_geterr(r->p);
        if (strstr(e, "truncated"))
            return baiot_fail(BAIOT_ERR_FORMAT, "'%s': packet %lld: truncated packet record (libpcap: %s)", r->path,
                              (long long)r->number, e);
        return baiot_fail(BAIOT_ERR_FORMAT, "'%s': packet %lld: bad packet record (libpcap: %s)", r->path,
                          (long long)r->number, e);
    }
    rec->data = data;
    rec->caplen = h->caplen;
    rec->wirelen = h->len;
    rec->sec = (int64_t)h->ts.tv_sec;
    rec->nsec = (uint32_t)h->ts.tv_usec; /* nanoseconds at PCAP_TSTAMP_PRECISION_NANO */
    rec->number = r->number;
    *got = 1;
    return BAIOT_OK;
}

baiot_status baiot_pcap_reader_sha256(pcap_reader *r, char hex[65])
{
    unsigned char buf[1 << 14], digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, r->raw)) > 0) {
        EVP_DigestUpdate(r->md, buf, n);
        r->bytes += (int64_t)n;
    }
    if (ferror(r->raw))
        return baiot_fail(BAIOT_ERR_IO, "cannot read '%s': %s", r->path, strerror(errno));
    EVP_DigestFinal_ex(r->md, digest, &dlen);
    for (unsigned i = 0; i < dlen && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    hex[64] = '\0';
    return BAIOT_OK;
}

int64_t baiot_pcap_reader_bytes(const pcap_reader *r)
{
    return r->bytes;
}

void baiot_pcap_reader_close(pcap_reader *r)
{
    if (!r)
        return;
    if (r->p)
        pcap_close(r->p);
    if (r->hashed)
        fclose(r->hashed);
    if (r->raw)
        fclose(r->raw);
    EVP_MD_CTX_free(r->md);
    baiot_free(r->path);
    baiot_free(r);
}

/* ------------------------------------------------------------ writing */

#define WRITER_SNAPLEN 65535

struct pcap_writer {
    atomic_file af;
    pcap_t *dead;
    pcap_dumper_t *dump;
};

baiot_status baiot_pcap_writer_create(const char *path, pcap_writer **out)
{
    baiot_status st;
    pcap_writer *w = baiot_calloc(1, sizeof *w);
    *out = NULL;
    if (!w)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    if ((st = baiot_atomic_file_reserve(path, &w->af))) {
        baiot_free(w);
        return st;
    }
    w->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, WRITER_SNAPLEN, PCAP_TSTAMP_PRECISION_NANO);
    if (!w->dead) {
        baiot_pcap_writer_abort(w);
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory for the pcap writer");
    }
    w->dump = pcap_dump_open(w->dead, w->af.tmp_path);
    if (!w->dump) {
        st = baiot_fail(BAIOT_ERR_IO, "cannot create '%s' (libpcap: %s)", path, pcap_geterr(w->dead));
        baiot_pcap_writer_abort(w);
        return st;
    }
    *out = w;
    return BAIOT_OK;
}

baiot_status baiot_pcap_writer_write(pcap_writer *w, int64_t sec, uint32_t nsec, const uint8_t *data, uint32_t caplen,
                               uint32_t wirelen)
{
    struct pcap_pkthdr h;
    if (sec < 0 || sec > (int64_t)UINT32_MAX || nsec >= 1000000000u)
        return baiot_fail(BAIOT_ERR_ARG, "time %lld.%09u s cannot be stored in a pcap file", (long long)sec, nsec);
    if (caplen > WRITER_SNAPLEN || wirelen < caplen)
        return baiot_fail(BAIOT_ERR_ARG, "bad frame lengths for a pcap record: %u captured, %u on the wire", caplen,
                          wirelen);
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = (time_t)sec;
    h.ts.tv_usec = (suseconds_t)nsec;
    h.caplen = caplen;
    h.len = wirelen;
    pcap_dump((u_char *)w->dump, &h, data);
    if (ferror(pcap_dump_file(w->dump)))
        return baiot_fail(BAIOT_ERR_IO, "cannot write '%s': %s", w->af.final_path, strerror(errno ? errno : EIO));
    return BAIOT_OK;
}

baiot_status baiot_pcap_writer_commit(pcap_writer *w)
{
    baiot_status st = BAIOT_OK;
    FILE *f = pcap_dump_file(w->dump);
    if (pcap_dump_flush(w->dump) != 0 || ferror(f) || fsync(fileno(f)) != 0)
        st = baiot_fail(BAIOT_ERR_IO, "cannot write '%s': %s", w->af.final_path, strerror(errno ? errno : EIO));
    pcap_dump_close(w->dump);
    w->dump = NULL;
    if (st) {
        baiot_pcap_writer_abort(w);
        return st;
    }
    st = baiot_atomic_file_commit(&w->af); /* removes the temporary file on failure */
    pcap_close(w->dead);
    baiot_free(w);
    return st;
}

void baiot_pcap_writer_abort(pcap_writer *w)
{
    if (!w)
        return;
    if (w->dump)
        pcap_dump_close(w->dump);
    if (w->dead)
        pcap_close(w->dead);
    baiot_atomic_file_abort(&w->af);
    baiot_free(w);
}
