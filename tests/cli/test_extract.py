#!/usr/bin/python3
"""test_extract - `baiot extract` on captures written here with struct.

A small capture (TCP with replies, UDP, ICMP, ARP, IPv6, a VLAN-tagged frame,
a non-IP frame, and one frame cut short inside its IPv4 header) is written as
a classic microsecond pcap, a nanosecond pcap, a hand-made pcapng
(if_tsresol 9) and, when editcap is installed, a pcapng converted by
editcap.  Checks:
- extract to CSV: exit 0; the UCI layout (the 115 names, CRLF line ends);
  one row per decodable packet; the cut frame counted as skipped
  ("truncated"); first-row invariants (every weight 1, means = frame size,
  variances 0, HH magnitude = size, HH_jit mean = the packet's absolute
  time, computed as sec + nsec * 1e-9); the reply row's HH magnitude;
- the same CSV bytes from all four capture forms;
- extract to .h5: refused without --device/--family (message says so);
  with them, `baiot info` shows the rows and labels, and (with h5py) every
  stored value equals the CSV's;
- bad captures (truncated global header, wrong magic, empty file, truncated
  packet record, link type 147) exit non-zero with a message naming the
  file, and leave no output (nor a temporary file);
- an existing output is refused without --force.
The tshark check of a pcap written by baiot's own writer is in the unit test
(tests/unit/test_packet.c): no command writes pcaps yet.
"""
import math
import os
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as G  # noqa: E402

MAC_A = bytes.fromhex('021122334455')
MAC_B = bytes.fromhex('02aabbccddee')
IP_A = bytes([192, 168, 1, 10])
IP_B = bytes([10, 0, 0, 1])
IP6_A = bytes.fromhex('20010db8000000000000000000000001')
IP6_B = bytes.fromhex('20010db8000000000000000000000002')
T0 = 1505913417


# ---------------------------------------------------------------- frames

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pad(f, size):
    return f + b'\0' * (max(size, 60) - len(f))


def ipv4(src, dst, proto, l4, size):
    """Ethernet payload of an IPv4 datagram filling a frame of `size`."""
    body = l4 + b'\0' * max(0, size - 14 - 20 - len(l4))
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(body), 0, 0x4000, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + body


def eth(dst, src, etype, payload, size):
    return pad(dst + src + struct.pack('!H', etype) + payload, size)


def tcp(src, dst, sport, dport, size, smac=MAC_A, dmac=MAC_B):
    l4 = struct.pack('!HHIIBBHHH', sport, dport, 0, 0, 0x50, 0x18, 65535, 0, 0)
    return eth(dmac, smac, 0x0800, ipv4(src, dst, 6, l4, size), size)


def udp(src, dst, sport, dport, size):
    l4 = struct.pack('!HHHH', sport, dport, max(8, size - 34), 0)
    return eth(MAC_B, MAC_A, 0x0800, ipv4(src, dst, 17, l4, size), size)


def icmp(src, dst, size):
    return eth(MAC_B, MAC_A, 0x0800, ipv4(src, dst, 1, struct.pack('!BBHHH', 8, 0, 0, 0, 0), size), size)


def arp(size=60):
    body = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, MAC_A, IP_A, b'\0' * 6, IP_B)
    return eth(b'\xff' * 6, MAC_A, 0x0806, body, size)


def udp6(size):
    l4 = struct.pack('!HHHH', 5353, 5353, size - 54, 0) + b'\0' * (size - 62)
    h = struct.pack('!IHBB16s16s', 6 << 28, len(l4), 17, 64, IP6_A, IP6_B)
    return eth(MAC_B, MAC_A, 0x86DD, h + l4, size)


def vlan_tcp(size):
    f = tcp(IP_A, IP_B, 40000, 80, size)
    return f[:12] + struct.pack('!HH', 0x8100, 42) + f[12:]


def lldp(size=60):
    return eth(bytes.fromhex('0180c200000e'), MAC_A, 0x88CC, b'\x02\x07\x04' + MAC_A, size)


def packets():
    """[(sec, usec, frame bytes, wirelen)] of the test capture; the frame
    at index CUT is cut inside its IPv4 header (caplen 30 of 60)."""
    frames = [
        tcp(IP_A, IP_B, 40000, 80, 74),
        tcp(IP_B, IP_A, 80, 40000, 66, smac=MAC_B, dmac=MAC_A),   # reply
        tcp(IP_A, IP_B, 40000, 80, 60),
        udp(IP_A, IP_B, 5000, 53, 90),
        icmp(IP_A, IP_B, 98),
        arp(),
        udp6(110),
        vlan_tcp(64),
        lldp(),
        tcp(IP_A, IP_B, 40001, 443, 60)[:30],                      # cut
        tcp(IP_A, IP_B, 40001, 443, 1514),
        udp(IP_B, IP_A, 53, 5000, 120),
    ]
    out = []
    for i, f in enumerate(frames):
        wire = 60 if i == CUT else len(f)
        out.append((T0 + i // 4, 371573 + 12345 * i, f, wire))
    return out


CUT = 9


# --------------------------------------------------------------- writers

def pcap_bytes(pkts, linktype=1, nano=False, endian='<'):
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    b = struct.pack(endian + 'IHHiIII', magic, 2, 4, 0, 0, 65535, linktype)
    for sec, usec, f, wire in pkts:
        frac = usec * 1000 if nano else usec
        b += struct.pack(endian + 'IIII', sec, frac, len(f), wire) + f
    return b


def pcapng_bytes(pkts, linktype=1):
    def block(btype, body):
        body += b'\0' * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack('<II', btype, n) + body + struct.pack('<I', n)
    shb = block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))
    opts = struct.pack('<HHB3x', 9, 1, 9) + struct.pack('<HH', 0, 0)  # if_tsresol = 10^-9
    idb = block(1, struct.pack('<HHI', linktype, 0, 65535) + opts)
    out = shb + idb
    for sec, usec, f, wire in pkts:
        ts = sec * 1000000000 + usec * 1000
        out += block(6, struct.pack('<IIIII', 0, ts >> 32, ts & 0xFFFFFFFF, len(f), wire) + f)
    return out


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


# ----------------------------------------------------------------- checks

def read_csv(path):
    with open(path, 'rb') as f:
        data = f.read()
    T.check(data.endswith(b'\r\n'), '%s: no CRLF at the end' % path)
    lines = data.split(b'\r\n')[:-1]
    T.check(all(b'\n' not in l and b'\r' not in l for l in lines), '%s: line ends are not all CRLF' % path)
    return data, lines[0].decode().split(','), [[float(x) for x in l.split(b',')] for l in lines[1:]]


def col(names, name):
    return names.index(name)


def check_csv(path, pkts):
    data, names, rows = read_csv(path)
    T.check(names == G.FEATURES, 'header is not the 115 N-BaIoT names: %r' % names[:5])
    good = [p for i, p in enumerate(pkts) if i != CUT]
    T.check(len(rows) == len(good), 'rows %d != decodable packets %d' % (len(rows), len(good)))
    T.check(all(len(r) == 115 for r in rows), 'a row without 115 fields')
    r0 = rows[0]
    sec, usec, f, wire = good[0]
    t = float(sec) + float(usec * 1000) * 1e-9
    for name, v in zip(names, r0):
        if name.endswith('_weight'):
            T.check(v == 1.0, 'first row: %s = %r, not 1' % (name, v))
        if name.endswith(('_variance', '_std', '_radius', '_covariance', '_pcc')):
            T.check(v == 0.0, 'first row: %s = %r, not 0' % (name, v))
        if name.endswith(('_mean', '_magnitude')) and not name.startswith('HH_jit'):
            T.check(v == len(f), 'first row: %s = %r, not the frame size %d' % (name, v, len(f)))
        if name.startswith('HH_jit') and name.endswith('_mean'):
            T.check(v == t, 'first row: %s = %r, not the absolute time %r' % (name, v, t))
    # the reply: its own streams are new, HH magnitude = sqrt(mA^2 + mB^2)
    r1 = rows[1]
    T.check(r1[col(names, 'MI_dir_L5_weight')] == 1.0, 'reply: MI_dir weight is not 1')
    want = math.sqrt(66.0 ** 2 + 74.0 ** 2)
    got = r1[col(names, 'HH_L0.01_magnitude')]
    T.check(abs(got - want) < 1e-9 * want, 'reply: HH_L0.01_magnitude %r, want about %r' % (got, want))
    return data, rows


def expect_no_output(tmp, inputs, what):
    left = sorted(set(os.listdir(tmp)) - set(inputs))
    T.check(not left, '%s: files left behind: %r' % (what, left))


def body(tmp):
    pkts = packets()
    forms = {
        'us.pcap': pcap_bytes(pkts),
        'ns.pcap': pcap_bytes(pkts, nano=True),
        'be.pcap': pcap_bytes(pkts, endian='>'),
        'hand.pcapng': pcapng_bytes(pkts),
    }
    for name, data in forms.items():
        write(os.path.join(tmp, name), data)
    if shutil.which('editcap'):
        subprocess.run(['editcap', '-F', 'pcapng', os.path.join(tmp, 'us.pcap'), os.path.join(tmp, 'editcap.pcapng')],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        forms['editcap.pcapng'] = None
    else:
        print('note: editcap not installed; the editcap-made pcapng is not tested')

    # CSV from every form: the same bytes
    first = None
    for name in forms:
        out = os.path.join(tmp, name + '.csv')
        r = T.ok('extract', os.path.join(tmp, name), '-o', out)
        T.check('skipped 1 packet: 1 truncated' in r.out, '%s: the cut frame is not reported:\n%r' % (name, r))
        T.check('packet %d: truncated IPv4 header: 16 of 20 bytes' % (CUT + 1) in r.out,
                '%s: the first truncated packet is not named:\n%r' % (name, r))
        data, rows = check_csv(out, pkts)
        if first is None:
            first = (name, data, rows)
        T.check(data == first[1], '%s gives other CSV bytes than %s' % (name, first[0]))

    # .h5: labels are required
    h5 = os.path.join(tmp, 'out.h5')
    r = T.bad('extract', os.path.join(tmp, 'us.pcap'), '-o', h5)
    T.check('--device' in r.err and '--family' in r.err, 'no hint about the labels:\n%r' % r)
    T.check(not os.path.exists(h5), 'a store was left without labels')
    r = T.bad('extract', os.path.join(tmp, 'us.pcap'), '-o', h5, '--device', '1', '--family', 'gafgyt')
    T.check('--attack' in r.err, 'no hint about the attack:\n%r' % r)
    T.ok('extract', os.path.join(tmp, 'us.pcap'), '-o', h5, '--device', 'Danmini_Doorbell', '--family', 'gafgyt',
         '--attack', 'tcp', '-q')
    info = T.info(h5)
    T.check(info['rows'] == len(first[2]), 'store rows %r != %d' % (info['rows'], len(first[2])))
    T.check(info['table'] == {('Danmini_Doorbell', 'gafgyt', 'tcp'): len(first[2])}, 'labels: %r' % info['table'])
    T.check(len(info['sources']) == 1 and info['sources'][0][3] == T.sha256_file(os.path.join(tmp, 'us.pcap')),
            'the source is not the capture (name, SHA-256): %r' % info['sources'])
    try:
        import h5py
    except ImportError:
        h5py = None
        print('note: h5py not installed; stored values are not compared with the CSV')
    if h5py:
        with h5py.File(h5, 'r') as f:
            names = [n.decode() if isinstance(n, bytes) else n for n in f['/features'].attrs['feature_names']] \
                if 'feature_names' in f['/features'].attrs else G.FEATURES
            for j, name in enumerate(G.FEATURES):
                ds = f['/features'][name] if name in f['/features'] else None
                T.check(ds is not None, 'store has no column %s (names %r...)' % (name, names[:3]))
                stored = list(ds[:])
                want = [r[j] for r in first[2]]
                T.check(stored == want, 'column %s differs from the CSV' % name)
    # an existing output is refused without --force
    r = T.bad('extract', os.path.join(tmp, 'us.pcap'), '-o', os.path.join(tmp, 'us.pcap.csv'))
    T.check('--force' in r.err, 'no --force hint:\n%r' % r)
    T.ok('extract', os.path.join(tmp, 'us.pcap'), '-o', os.path.join(tmp, 'us.pcap.csv'), '--force', '-q')

    # bad captures: a message naming the file, nothing left behind
    bad_dir = os.path.join(tmp, 'bad')
    os.mkdir(bad_dir)
    good = pcap_bytes(pkts)
    cases = {
        'short-header.pcap': (good[:10], 'truncated capture file header'),
        'magic.pcap': (b'PK\x03\x04' + good[4:], 'wrong magic'),
        'empty.pcap': (b'', 'empty'),
        'cut-record.pcap': (good[:24 + 16 + 74 + 16 + 20], 'packet 2: truncated packet record'),
        'cut-record-header.pcap': (good[:24 + 16 + 74 + 8], 'truncated'),
        'linktype147.pcap': (pcap_bytes(pkts, linktype=147), 'link type 147 (USER0'),
        'linktype147.pcapng': (pcapng_bytes(pkts, linktype=147), 'link type 147'),
    }
    for name, (data, must) in cases.items():
        write(os.path.join(bad_dir, name), data)
    inputs = list(cases)
    for name, (data, must) in cases.items():
        path = os.path.join(bad_dir, name)
        for out in ('out.csv', 'out.h5'):
            r = T.bad('extract', path, '-o', os.path.join(bad_dir, out), '--device', '1', '--family', 'benign')
            T.check(path in r.err, '%s: the message does not name the file:\n%r' % (name, r))
            T.check(must in r.err, '%s: the message lacks %r:\n%r' % (name, must, r))
            expect_no_output(bad_dir, inputs, name)
    r = T.bad('extract', os.path.join(bad_dir, 'missing.pcap'), '-o', os.path.join(bad_dir, 'out.csv'))
    T.check('missing.pcap' in r.err, 'a missing capture is not named:\n%r' % r)
    r = T.bad('extract', os.path.join(tmp, 'us.pcap'), '-o', os.path.join(bad_dir, 'out.txt'))
    T.check('.csv' in r.err and '.h5' in r.err, 'an unknown output extension is not explained:\n%r' % r)
    expect_no_output(bad_dir, inputs, 'argument errors')


if __name__ == '__main__':
    T.main('extract', body)
