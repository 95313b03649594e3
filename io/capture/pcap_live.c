/*
 * pcap_live.c - live capture through libpcap (pcap_live.h).
 *
 * The handle is built step by step (pcap_create, set_snaplen, set_promisc,
 * set_buffer_size, set_timeout, set_tstamp_precision, pcap_activate), so
 * each failure gets its own message: PCAP_ERROR_NO_SUCH_DEVICE names the
 * interface, PCAP_ERROR_PERM_DENIED says which privilege is missing.  The
 * handle is non-blocking and waited on with poll() for at most the buffer
 * timeout: with TPACKET_V3 a blocking read would wait for the first packet
 * forever on a quiet interface, and the caller could not stop.  Time
 * stamps are nanoseconds when the system grants that precision, else
 * microseconds scaled to nanoseconds.  Single-threaded object.
 * Covered by tests/cli/test_watch.py.
 */
#include "io/capture/pcap_live.h"

#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#define LIVE_TIMEOUT_MS 100

struct pcap_live {
    pcap_t *p;
    int linktype;
    int nano;
    char iface[64];
    char name[48];
    int64_t number;
    int fd;
};

baiot_status baiot_pcap_live_open(const char *iface, const char *filter, int snaplen, int buffer_size, int promisc,
                                  pcap_live **out)
{
    char err[PCAP_ERRBUF_SIZE];
    baiot_status st = BAIOT_OK;
    pcap_live *l = baiot_calloc(1, sizeof *l);
    *out = NULL;
    if (!l)
        return baiot_fail(BAIOT_ERR_MEMORY, "out of memory");
    snprintf(l->iface, sizeof l->iface, "%s", iface);
    err[0] = '\0';
    l->p = pcap_create(iface, err);
    if (!l->p) {
        st = baiot_fail(BAIOT_ERR_IO, "cannot capture on interface '%s': %s", iface, err);
        goto fail;
    }
    pcap_set_snaplen(l->p, snaplen);
    pcap_set_promisc(l->p, promisc);
    pcap_set_buffer_size(l->p, buffer_size);
    pcap_set_timeout(l->p, LIVE_TIMEOUT_MS);
    l->nano = pcap_set_tstamp_precision(l->p, PCAP_TSTAMP_PRECISION_NANO) == 0;
    int rc = pcap_activate(l->p);
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE) {
        st = baiot_fail(BAIOT_ERR_IO, "no interface '%s' (see `ip link`)", iface);
        goto fail;
    }
    if (rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED) {
        st = baiot_fail(BAIOT_ERR_IO, "no permission to capture on '%s': run as root or give the program "
                                      "CAP_NET_RAW and CAP_NET_ADMIN (setcap cap_net_raw,cap_net_admin=eip) (libpcap: %s)",
                        iface, pcap_geterr(l->p));
        goto fail;
    }
    if (rc < 0) {
        st = baiot_fail(BAIOT_ERR_IO, "cannot capture on interface '%s': %s (libpcap: %s)", iface,
                        pcap_statustostr(rc), pcap_geterr(l->p));
        goto fail;
    }
    l->nano = l->nano && pcap_get_tstamp_precision(l->p) == PCAP_TSTAMP_PRECISION_NANO;
    /* non-blocking, waited on by poll: with TPACKET_V3 a blocking read waits
     * for the first packet however long that takes, timeout or not */
    if (pcap_setnonblock(l->p, 1, err) != 0 || (l->fd = pcap_get_selectable_fd(l->p)) < 0) {
        st = baiot_fail(BAIOT_ERR_IO, "cannot capture on interface '%s' without blocking: %s", iface, err);
        goto fail;
    }
    if (filter && *filter) {
        struct bpf_program prog;
        if (pcap_compile(l->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            st = baiot_fail(BAIOT_ERR_ARG, "bad --filter '%s': %s", filter, pcap_geterr(l->p));
            goto fail;
        }
        rc = pcap_setfilter(l->p, &prog);
        pcap_freecode(&prog);
        if (rc != 0) {
            st = baiot_fail(BAIOT_ERR_IO, "cannot set the filter '%s' on '%s': %s", filter, iface, pcap_geterr(l->p));
            goto fail;
        }
    }
    l->linktype = pcap_datalink(l->p);
    const char *name = pcap_datalink_val_to_name(l->linktype);
    snprintf(l->name, sizeof l->name, "%s", name ? name : "?");
    *out = l;
    return BAIOT_OK;
fail:
    baiot_pcap_live_close(l);
    return st;
}

int baiot_pcap_live_linktype(const pcap_live *l)
{
    return l->linktype;
}

const char *baiot_pcap_live_linktype_name(const pcap_live *l)
{
    return l->name;
}

baiot_status baiot_pcap_live_next(pcap_live *l, pcap_record *rec, int *got)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    *got = 0;
    int rc = pcap_next_ex(l->p, &h, &data);
    if (rc == 0) { /* nothing buffered: wait up to the timeout (a signal ends the wait early) */
        struct pollfd pf = {.fd = l->fd, .events = POLLIN, .revents = 0};
        if (poll(&pf, 1, LIVE_TIMEOUT_MS) <= 0)
            return BAIOT_OK;
        rc = pcap_next_ex(l->p, &h, &data);
        if (rc == 0)
            return BAIOT_OK;
    }
    if (rc != 1)
        return baiot_fail(BAIOT_ERR_IO, "capture on '%s' failed: %s", l->iface,
                          rc == PCAP_ERROR ? pcap_geterr(l->p) : pcap_statustostr(rc));
    rec->data = data;
    rec->caplen = h->caplen;
    rec->wirelen = h->len;
    rec->sec = (int64_t)h->ts.tv_sec;
    rec->nsec = (uint32_t)(l->nano ? h->ts.tv_usec : h->ts.tv_usec * 1000);
    rec->number = ++l->number;
    *got = 1;
    return BAIOT_OK;
}

int64_t baiot_pcap_live_dropped(pcap_live *l)
{
    struct pcap_stat s;
    if (!l || pcap_stats(l->p, &s) != 0)
        return 0;
    return (int64_t)s.ps_drop + (int64_t)s.ps_ifdrop;
}

void baiot_pcap_live_close(pcap_live *l)
{
    if (!l)
        return;
    if (l->p)
        pcap_close(l->p);
    baiot_free(l);
}
