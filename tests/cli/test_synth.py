#!/usr/bin/python3
"""test_synth - `baiot synth`, the traffic simulator, as a black box.

- determinism: `--devices 5,3 --scale 0.02 --seed 7` gives byte-identical
  stores (SHA-256 of the .h5) with OMP_NUM_THREADS=1, 2 and 4 and when run
  twice; --seed 8 gives another store;
- row counts: at --scale 0.01 over all devices there are exactly the 89 UCI
  files, in UCI order (device, then benign, gafgyt combo..udp, mirai
  ack..udpplain), each with max(1, round(published * 0.01)) rows (the
  published counts are pasted below: they are facts about the data set);
  at --scale 1, `--devices 3 --attack benign` has 39,100 rows and
  `--devices 5 --attack gafgyt_tcp` 104,510; every feature value is finite
  and the per-row labels match the sources' labels;
- pcap round trip: `--devices 5 --scale 0.005 --pcap DIR` writes the 11
  captures in the UCI layout; `baiot extract` of each (labels from the path)
  gives the store's rows of that source bit for bit; the captures are
  nanosecond pcaps whose packets are in time order, in the capture period
  of their situation, on the real capture clocks (the PT-737E tcp and udp
  floods start at the real files' first packets to the nanosecond, scan, ack,
  syn and udpplain within a minute of their published capture seconds);
  with tshark (checksums validated): no error-level
  expert info from the layers baiot builds (Ethernet, ARP, IPv4/6, ICMP,
  TCP, UDP), one frame per row; capinfos agrees;
- --csv DIR: `--devices 2 --scale 0.01 --csv DIR`, then `baiot ingest DIR`
  gives the same 115 columns bit for bit and the same labels;
- bad arguments (--scale 0/-1/abc/nan/1001, --devices Nope/0/10, --attack
  nope/tcp, a device without the situation asked for, no -o, an existing
  output without --force): non-zero exit, a message on stderr naming the
  problem, and no output left (no store, no temporary file).
"""
import calendar
import datetime
import decimal
import os
import re
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as G  # noqa: E402

DEVICES = ['Danmini_Doorbell', 'Ecobee_Thermostat', 'Ennio_Doorbell', 'Philips_B120N10_Baby_Monitor',
           'Provision_PT_737E_Security_Camera', 'Provision_PT_838_Security_Camera', 'Samsung_SNH_1011_N_Webcam',
           'SimpleHome_XCS7_1002_WHT_Security_Camera', 'SimpleHome_XCS7_1003_WHT_Security_Camera']
SITUATIONS = [('benign', 'benign'), ('gafgyt', 'combo'), ('gafgyt', 'junk'), ('gafgyt', 'scan'), ('gafgyt', 'tcp'),
              ('gafgyt', 'udp'), ('mirai', 'ack'), ('mirai', 'scan'), ('mirai', 'syn'), ('mirai', 'udp'),
              ('mirai', 'udpplain')]

# Published row counts of the 89 UCI files (nbaiot/reference/row_counts_89_files.csv),
# per device in UCI order: benign, gafgyt combo junk scan tcp udp, mirai ack scan syn udp udpplain.
PUBLISHED_ROWS = {
    'Danmini_Doorbell': [49548, 59718, 29068, 29849, 92141, 105874, 102195, 107685, 122573, 237665, 81982],
    'Ecobee_Thermostat': [13113, 53012, 30312, 27494, 95021, 104791, 113285, 43192, 116807, 151481, 87368],
    'Ennio_Doorbell': [39100, 53014, 29797, 28120, 101536, 103933],
    'Philips_B120N10_Baby_Monitor': [175240, 58152, 28349, 27859, 92581, 105782, 91123, 103621, 118128, 217034,
                                     80808],
    'Provision_PT_737E_Security_Camera': [62154, 61380, 30898, 29297, 104510, 104011, 60554, 96781, 65746, 156248,
                                          56681],
    'Provision_PT_838_Security_Camera': [98514, 57530, 29068, 28397, 89387, 104658, 57997, 97096, 61851, 158608,
                                         53785],
    'Samsung_SNH_1011_N_Webcam': [52150, 58669, 28305, 27698, 97783, 110617],
    'SimpleHome_XCS7_1002_WHT_Security_Camera': [46585, 54283, 28579, 27825, 88816, 103720, 111480, 45930, 125715,
                                                 151879, 78244],
    'SimpleHome_XCS7_1003_WHT_Security_Camera': [19528, 59398, 27413, 28572, 98075, 102980, 107187, 43674, 122479,
                                                 157084, 84436],
}


def published():
    """[(device, family, attack, rows)] of the 89 files in UCI order."""
    out = []
    for dev in DEVICES:
        for (fam, att), n in zip(SITUATIONS, PUBLISHED_ROWS[dev]):
            out.append((dev, fam, att, n))
    return out


PUB = published()
assert len(PUB) == 89 and sum(r[3] for r in PUB) == 7062606
assert sum(r[3] for r in PUB if r[0] == 'Provision_PT_737E_Security_Camera') == 828260

# The capture periods of docs/SIMULATOR.md (UTC days), per family.
PERIOD = {'benign': ('2017-09-19', '2017-09-20'), 'gafgyt': ('2017-09-20', '2017-09-21'),
          'mirai': ('2017-10-09', '2017-10-10')}

# The real first packets of the two PT-737E gafgyt files at hand (their first
# row's HH_jit_L5_mean), and the published capture seconds of each attack on
# the PT-737E (per_file_feature_summary.csv, HH_jit_L5_mean quartiles above
# 1e9): facts about the data set, pasted here so the test runs without it.
REAL_FIRST_NS = {('gafgyt', 'tcp'): 1505913529300918000, ('gafgyt', 'udp'): 1505913417371573000}
SESSION_S = {'scan': ('gafgyt', 1505912813), 'ack': ('mirai', 1507657920), 'syn': ('mirai', 1507657069),
             'udpplain': ('mirai', 1507659314)}

h5py = np = None


def need_numpy():
    global h5py, np
    try:
        import h5py as _h5py
        import numpy as _np
    except ImportError as e:
        T.skip('numpy and h5py are needed to read the stores (%s)' % e)
    h5py, np = _h5py, _np


def expected_rows(n, scale):
    """max(1, round(n * scale)), rounding halves up (exact decimal arithmetic)."""
    r = (decimal.Decimal(n) * decimal.Decimal(scale)).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP)
    return max(1, int(r))


def text(a):
    return a.decode() if isinstance(a, bytes) else str(a)


def read_store(path, features=True):
    """{'sources': [(name, device, family, attack, first_row, rows)], 'X': rows x 115 float64 in the
    CSV column order (or None), 'labels': (device, family, attack) name arrays per row}."""
    with h5py.File(path, 'r') as f:
        devs = [text(x) for x in f.attrs['device_names']]
        fams = [text(x) for x in f.attrs['family_names']]
        atts = [text(x) for x in f.attrs['attack_names']]
        short = [a.split('_', 1)[1] if '_' in a else a for a in atts]
        T.check(devs == DEVICES, '%s: device_names %r' % (path, devs))
        names = [text(x) for x in f.attrs['feature_names']]
        T.check(names == G.FEATURES, '%s: feature_names are not the 115 N-BaIoT names in file order' % path)
        src = []
        for s in f['/sources'][:]:
            fam, att = fams[s['family']], atts[s['attack']]
            T.check(att == 'benign' if fam == 'benign' else att.startswith(fam + '_'),
                    '%s: source %s has family %s and attack %s' % (path, text(s['name']), fam, att))
            src.append((text(s['name']), devs[s['device']], fam, short[s['attack']],
                        int(s['first_row']), int(s['rows'])))
        X = None
        if features:
            X = np.empty((f['/features'][G.FEATURES[0]].shape[0], len(G.FEATURES)), dtype=np.float64)
            for j, name in enumerate(G.FEATURES):
                ds = f['/features'][name]
                T.check(ds.dtype == np.float64, '%s: %s is %s, not float64' % (path, name, ds.dtype))
                X[:, j] = ds[:]
        lab = (np.asarray(f['/labels/device'][:]), np.asarray(f['/labels/family'][:]),
               np.asarray(f['/labels/attack'][:]))
        code = {'device': {d: i for i, d in enumerate(devs)}, 'family': {x: i for i, x in enumerate(fams)},
                'attack': {a: i for i, a in enumerate(atts)}}
    return {'sources': src, 'X': X, 'labels': lab, 'code': code}


def check_labels(path, st):
    """Sources tile the rows in order; each row's labels are its source's."""
    src, (ld, lf, la), code = st['sources'], st['labels'], st['code']
    n = len(ld)
    pos = 0
    for name, dev, fam, att, first, rows in src:
        T.check(first == pos, '%s: source %s starts at row %d, not %d' % (path, name, first, pos))
        T.check(rows >= 1, '%s: source %s has %d rows' % (path, name, rows))
        sl = slice(first, first + rows)
        T.check(bool((ld[sl] == code['device'][dev]).all()), '%s: rows of %s not labelled %s' % (path, name, dev))
        T.check(bool((lf[sl] == code['family'][fam]).all()), '%s: rows of %s not labelled %s' % (path, name, fam))
        want_att = 'benign' if fam == 'benign' else fam + '_' + att
        T.check(bool((la[sl] == code['attack'][want_att]).all()),
                '%s: rows of %s not labelled %s' % (path, name, want_att))
        pos += rows
    T.check(pos == n, '%s: the sources cover %d of %d rows' % (path, pos, n))


def check_finite(path, X):
    bad = ~np.isfinite(X)
    if bad.any():
        cols = sorted({G.FEATURES[j] for j in np.where(bad.any(axis=0))[0]})
        T.fail('%s: %d non-finite values (NaN/Inf) in columns %s' % (path, int(bad.sum()), cols[:8]))


def bits(a):
    return np.ascontiguousarray(a, dtype=np.float64).view(np.uint64)


def same_bits(a, b):
    return a.shape == b.shape and bool(np.array_equal(bits(a), bits(b)))


def check_same(a, b, what):
    """a and b (rows x 115) hold the same doubles bit for bit."""
    ok = same_bits(a, b)
    T.check(ok, '' if ok else '%s: %s' % (what, first_diff(a, b)))


def first_diff(a, b):
    if a.shape != b.shape:
        return 'shapes %r and %r' % (a.shape, b.shape)
    r, c = np.argwhere(bits(a) != bits(b))[0]
    return 'row %d column %s: %r != %r' % (r, G.FEATURES[c], a[r, c], b[r, c])


# ------------------------------------------------------------ determinism

def test_determinism(tmp):
    d = os.path.join(tmp, 'det')
    os.mkdir(d)
    args = ['synth', '--devices', '5,3', '--scale', '0.02', '--seed', '7', '-q']
    digests = {}
    for threads in ('1', '2', '4'):
        out = 't%s.h5' % threads
        T.ok_env({'OMP_NUM_THREADS': threads}, *args, '-o', out, cwd=d)
        digests[threads] = T.sha256_file(os.path.join(d, out))
    T.ok(*args, '-o', 'again.h5', cwd=d)
    digests['again'] = T.sha256_file(os.path.join(d, 'again.h5'))
    T.check(len(set(digests.values())) == 1, 'the store depends on the thread count or the run: %r' % digests)
    T.ok('synth', '--devices', '5,3', '--scale', '0.02', '--seed', '8', '-q', '-o', 'seed8.h5', cwd=d)
    T.check(T.sha256_file(os.path.join(d, 'seed8.h5')) != digests['1'], '--seed 8 gives the same store as --seed 7')
    st = read_store(os.path.join(d, 't1.h5'))
    st8 = read_store(os.path.join(d, 'seed8.h5'))
    want = [(dv, fm, at) for dv, fm, at, _ in PUB if dv in ('Ennio_Doorbell', 'Provision_PT_737E_Security_Camera')]
    T.check([s[1:4] for s in st['sources']] == want, 'devices 5,3: sources %r' % [s[1:4] for s in st['sources']])
    T.check([s[5] for s in st['sources']] == [s[5] for s in st8['sources']], 'the row counts depend on the seed')
    T.check(not same_bits(st['X'], st8['X']), 'the seed does not change the rows')
    # a file's rows depend only on (device, situation, seed): device 5 alone gives the same rows
    T.ok('synth', '--devices', '5', '--scale', '0.02', '--seed', '7', '-q', '-o', 'five.h5', cwd=d)
    st5 = read_store(os.path.join(d, 'five.h5'))
    first5 = [s for s in st['sources'] if s[1] == 'Provision_PT_737E_Security_Camera'][0][4]
    T.check(same_bits(st5['X'], st['X'][first5:]), 'device 5 alone gives other rows than within --devices 5,3')
    print('determinism: sha256 %s for 1, 2, 4 threads and a second run' % digests['1'][:16])
    shutil.rmtree(d)


# ------------------------------------------------------------- row counts

def test_row_counts(tmp):
    d = os.path.join(tmp, 'rows')
    os.mkdir(d)
    T.ok('synth', '--scale', '0.01', '-q', '-o', 'all.h5', cwd=d)
    path = os.path.join(d, 'all.h5')
    st = read_store(path)
    src = st['sources']
    T.check(len(src) == 89, '--scale 0.01: %d sources, not 89' % len(src))
    T.check([s[1:4] for s in src] == [p[:3] for p in PUB],
            'sources not the 89 UCI files in UCI order: %r' % [s[1:4] for s in src][:12])
    bad = [(s[1], s[2], s[3], s[5], expected_rows(p[3], '0.01')) for s, p in zip(src, PUB)
           if s[5] != expected_rows(p[3], '0.01')]
    T.check(not bad, '--scale 0.01: row counts differ from round(published * 0.01): %r' % bad[:10])
    for dev in ('Ennio_Doorbell', 'Samsung_SNH_1011_N_Webcam'):
        T.check(not [s for s in src if s[1] == dev and s[2] == 'mirai'], '%s has mirai sources' % dev)
    check_labels(path, st)
    check_finite(path, st['X'])
    total = sum(s[5] for s in src)
    info = T.info(path)
    T.check(info['rows'] == total == st['X'].shape[0], 'info rows %r, sources %d, features %d'
            % (info['rows'], total, st['X'].shape[0]))
    print('row counts: 89 sources, %d rows at --scale 0.01' % total)

    # tiny scales: at least one row per file
    T.ok('synth', '--devices', 'Ennio_Doorbell', '--scale', '1e-9', '-q', '-o', 'tiny.h5', cwd=d)
    st = read_store(os.path.join(d, 'tiny.h5'))
    T.check([s[5] for s in st['sources']] == [1] * 6, '--scale 1e-9: rows %r, want 1 per file'
            % [s[5] for s in st['sources']])

    # exact published counts at --scale 1, one file each
    for dev_arg, att_arg, want in (('3', 'benign', ('Ennio_Doorbell', 'benign', 'benign', 39100)),
                                   ('5', 'gafgyt_tcp', ('Provision_PT_737E_Security_Camera', 'gafgyt', 'tcp',
                                                        104510))):
        out = 'one-%s.h5' % att_arg
        T.ok('synth', '--devices', dev_arg, '--attack', att_arg, '-q', '-o', out, cwd=d)
        p = os.path.join(d, out)
        st = read_store(p)
        T.check([s[1:4] + (s[5],) for s in st['sources']] == [want],
                '--devices %s --attack %s: sources %r' % (dev_arg, att_arg, st['sources']))
        check_labels(p, st)
        check_finite(p, st['X'])
        print('row counts: --devices %s --attack %s --scale 1: %d rows' % (dev_arg, att_arg, st['X'].shape[0]))
        os.remove(p)
    shutil.rmtree(d)


# ------------------------------------------------------------------ pcaps

def read_pcap(path):
    """(magic, snaplen, linktype, [(t_ns, caplen, wirelen)])."""
    with open(path, 'rb') as f:
        b = f.read()
    T.check(len(b) >= 24, '%s: no pcap header' % path)
    magic, vmaj, vmin, _, _, snap, link = struct.unpack('<IHHiIII', b[:24])
    recs = []
    off = 24
    while off < len(b):
        T.check(off + 16 <= len(b), '%s: truncated record header at %d' % (path, off))
        sec, frac, cap, wire = struct.unpack('<IIII', b[off:off + 16])
        T.check(off + 16 + cap <= len(b), '%s: truncated packet at %d' % (path, off))
        recs.append((sec * 1000000000 + frac, cap, wire))
        off += 16 + cap
    return magic, (vmaj, vmin), snap, link, recs


def day_ns(day, end=False):
    t = calendar.timegm(datetime.datetime.strptime(day, '%Y-%m-%d').timetuple())
    return (t + (86400 if end else 0)) * 1000000000


def labels_from_path(rel):
    parts = rel.split('/')
    if len(parts) == 2 and parts[1] == 'benign_traffic.pcap':
        return parts[0], 'benign', 'benign'
    if len(parts) == 3 and parts[1] in ('gafgyt_attacks', 'mirai_attacks') and parts[2].endswith('.pcap'):
        return parts[0], parts[1].split('_')[0], parts[2][:-5]
    T.fail('unexpected capture path %r (not the UCI layout)' % rel)


TSHARK = '/usr/bin/tshark'
BUILT_LAYERS = {'frame', 'ethernet', 'eth', 'arp', 'ipv4', 'ip', 'ipv6', 'icmp', 'icmpv6', 'tcp', 'udp'}


def tshark_checks(path, rows, notes):
    prefs = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE']
    p = subprocess.run([TSHARK, '-n', '-r', path, '-q', '-z', 'expert'] + prefs, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    T.check(p.returncode == 0, 'tshark -z expert %s: rc %d\n%s' % (path, p.returncode, p.stderr.decode()))
    out = p.stdout.decode('utf-8', 'replace')
    # sections: "Errors (N)" then "====" then a header line then "  freq  group  protocol  summary"
    section = None
    errors = []
    n_errors = 0
    for line in out.splitlines():
        m = re.match(r'^(Errors|Warns|Notes|Chats|Comments)\s*\((\d+)\)', line)
        if m:
            section = m.group(1)
            if section == 'Errors':
                n_errors = int(m.group(2))
            continue
        m = re.match(r'^\s*(\d+)\s+(\S+)\s+(.*?)\s{2,}(\S.*)$', line)
        if section == 'Errors' and m:
            errors.append((int(m.group(1)), m.group(2), m.group(3).strip(), m.group(4).strip()))
    T.check(sum(e[0] for e in errors) == n_errors, '%s: cannot read the Errors section of tshark -z expert:\n%s'
            % (path, out))
    ours = [e for e in errors if e[2].lower() in BUILT_LAYERS or e[1].lower() == 'checksum']
    T.check(not ours, '%s: tshark reports errors in the layers baiot builds: %r\n%s' % (path, ours, out))
    for e in errors:
        if e not in ours:
            notes.append('%s: tshark error in a payload dissector (%s: %s, %d frame(s)): the flood payload on a '
                         'random port is decoded as that protocol' % (os.path.basename(path), e[2], e[3], e[0]))
    p = subprocess.run([TSHARK, '-n', '-r', path, '-T', 'fields', '-e', 'frame.len', '-e', 'ip.checksum.status',
                        '-e', 'tcp.checksum.status', '-e', 'udp.checksum.status'] + prefs,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    T.check(p.returncode == 0, 'tshark -T fields %s: rc %d\n%s' % (path, p.returncode, p.stderr.decode()))
    lines = p.stdout.decode().splitlines()
    T.check(len(lines) == rows, '%s: tshark sees %d frames, the store has %d rows' % (path, len(lines), rows))
    for i, line in enumerate(lines):
        f = line.split('\t')
        T.check(f[0].isdigit() and int(f[0]) >= 60, '%s frame %d: frame.len %r' % (path, i + 1, f[0]))
        # checksum status 1 = good, 0 = bad, 2 = unverified (empty when the layer is absent)
        for name, v in zip(('ip', 'tcp', 'udp'), f[1:]):
            T.check(v in ('', '1') or ',' in v and set(v.split(',')) <= {'1'},
                    '%s frame %d: %s checksum status %r (1 = good)' % (path, i + 1, name, v))
    if shutil.which('capinfos'):
        p = subprocess.run(['capinfos', '-c', '-t', '-E', '-o', path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        T.check(p.returncode == 0, 'capinfos %s: rc %d\n%s' % (path, p.returncode, p.stderr.decode()))
        out = p.stdout.decode()
        m = re.search(r'Number of packets:\s+(\d+)', out)
        T.check(m and int(m.group(1)) == rows, '%s: capinfos packets != %d rows:\n%s' % (path, rows, out))
        T.check(re.search(r'File type:\s+.*nanosecond pcap', out) is not None, '%s: capinfos type:\n%s' % (path, out))
        T.check(re.search(r'File encapsulation:\s+Ethernet', out) is not None, '%s: not Ethernet:\n%s' % (path, out))
        T.check(re.search(r'Strict time order:\s+True', out) is not None, '%s: not in time order:\n%s' % (path, out))


def test_pcap(tmp):
    d = os.path.join(tmp, 'pcap')
    os.mkdir(d)
    pdir = os.path.join(d, 'P')
    os.mkdir(pdir)
    T.ok('synth', '--devices', '5', '--scale', '0.005', '--pcap', pdir, '-o', 's.h5', '-q', cwd=d)
    st = read_store(os.path.join(d, 's.h5'))
    by_label = {s[1:4]: s for s in st['sources']}
    T.check(len(by_label) == 11 == len(st['sources']), 'device 5: %d sources' % len(st['sources']))
    found = []
    for root, dirs, files in os.walk(pdir):
        for fn in files:
            found.append(os.path.relpath(os.path.join(root, fn), pdir))
    dev = 'Provision_PT_737E_Security_Camera'
    want = sorted([dev + '/benign_traffic.pcap'] +
                  ['%s/%s_attacks/%s.pcap' % (dev, fam, att) for fam, att in SITUATIONS[1:]])
    T.check(sorted(found) == want, '--pcap layout: %r' % sorted(found))
    have_tshark = os.access(TSHARK, os.X_OK)
    if not have_tshark:
        print('note: /usr/bin/tshark absent; the tshark/capinfos checks of the captures are skipped')
    elif not shutil.which('capinfos'):
        print('note: capinfos absent; its checks of the captures are skipped')
    notes = []
    for rel in want:
        path = os.path.join(pdir, rel)
        dv, fam, att = labels_from_path(rel)
        s = by_label.get((dv, fam, att))
        T.check(s is not None, '%s: no source %r in the store' % (rel, (dv, fam, att)))
        rows = st['X'][s[4]:s[4] + s[5]]
        # the capture itself
        magic, ver, snap, link, recs = read_pcap(path)
        T.check(magic == 0xA1B23C4D and ver == (2, 4) and link == 1,
                '%s: magic %#x version %r link type %d (want nanosecond pcap 2.4, Ethernet)' % (rel, magic, ver, link))
        T.check(len(recs) == s[5], '%s: %d packets, the store has %d rows' % (rel, len(recs), s[5]))
        T.check(all(c == w and 60 <= c <= snap for _, c, w in recs), '%s: a cut or runt frame' % rel)
        ts = [r[0] for r in recs]
        T.check(all(a <= b for a, b in zip(ts, ts[1:])), '%s: packets out of time order' % rel)
        # the capture clocks of docs/SIMULATOR.md: the two PT-737E floods whose
        # real rows are at hand start at their real first packet; the others
        # within seconds of their attack's published session
        if (fam, att) in REAL_FIRST_NS:
            T.check(ts[0] == REAL_FIRST_NS[fam, att], '%s: first packet at %d ns, the real file\'s at %d ns'
                    % (rel, ts[0], REAL_FIRST_NS[fam, att]))
        if att in SESSION_S and fam == SESSION_S[att][0]:
            T.check(abs(ts[0] / 1e9 - SESSION_S[att][1]) < 60, '%s: starts at %.3f s, not within a minute of the '
                    'published %s %s session (%d s)' % (rel, ts[0] / 1e9, fam, att, SESSION_S[att][1]))
        lo, hi = PERIOD[fam]
        if not (day_ns(lo) <= ts[0] and ts[-1] < day_ns(hi, end=True)):
            notes.append('%s: packets from %s to %s UTC, outside the documented %s period %s/%s' % (
                rel, datetime.datetime.utcfromtimestamp(ts[0] / 1e9), datetime.datetime.utcfromtimestamp(ts[-1] / 1e9),
                fam, lo, hi[-2:]))
        # within a day of the documented period at least
        T.check(day_ns(lo) - 86400 * 10 ** 9 <= ts[0] and ts[-1] < day_ns(hi, end=True) + 86400 * 10 ** 9,
                '%s: packets at %d..%d ns, far from the %s capture period' % (rel, ts[0], ts[-1], fam))
        # extract gives back the rows bit for bit
        out = os.path.join(d, rel.replace('/', '__') + '.h5')
        args = ['extract', path, '-o', out, '--device', dv, '--family', fam, '-q']
        if fam != 'benign':
            args += ['--attack', att]
        T.ok(*args)
        ex = read_store(out)
        T.check([x[1:4] for x in ex['sources']] == [(dv, fam, att)], '%s: extract labels %r' % (rel, ex['sources']))
        check_labels(out, ex)
        check_same(ex['X'], rows, '%s: extract differs from the store' % rel)
        os.remove(out)
        if have_tshark:
            tshark_checks(path, s[5], notes)
    for n in notes:
        print('note: ' + n)
    print('pcap: 11 captures, %d packets, extract == store bit for bit%s' % (
        st['X'].shape[0], '; tshark: good checksums, no errors in the built layers' if have_tshark else ''))
    shutil.rmtree(d)


# -------------------------------------------------------------------- csv

def test_csv(tmp):
    d = os.path.join(tmp, 'csv')
    os.mkdir(d)
    cdir = os.path.join(d, 'C')
    os.mkdir(cdir)
    T.ok('synth', '--devices', '2', '--scale', '0.01', '--csv', cdir, '-o', 'a.h5', '-q', cwd=d)
    dev = 'Ecobee_Thermostat'
    want = sorted([dev + '/benign_traffic.csv'] +
                  ['%s/%s_attacks/%s.csv' % (dev, fam, att) for fam, att in SITUATIONS[1:]])
    found = sorted(os.path.relpath(os.path.join(r, f), cdir) for r, _, fs in os.walk(cdir) for f in fs)
    T.check(found == want, '--csv layout: %r' % found)
    a = read_store(os.path.join(d, 'a.h5'))
    for rel in want:
        with open(os.path.join(cdir, rel), 'rb') as f:
            head = f.readline()
        T.check(head == (G.HEADER + '\r\n').encode(), '%s: header is not the 115 names + CRLF: %r' % (rel, head[:60]))
    T.ok('ingest', cdir, '-o', 'b.h5', '-q', cwd=d)
    b = read_store(os.path.join(d, 'b.h5'))
    check_labels('b.h5', b)
    la = {s[1:4]: s for s in a['sources']}
    lb = {s[1:4]: s for s in b['sources']}
    T.check(sorted(la) == sorted(lb) and len(la) == 11 == len(b['sources']),
            'labels differ: synth %r, ingest %r' % (sorted(la), sorted(lb)))
    for key, sa in la.items():
        sb = lb[key]
        T.check(sa[5] == sb[5], '%r: %d rows in synth, %d after ingest' % (key, sa[5], sb[5]))
        xa = a['X'][sa[4]:sa[4] + sa[5]]
        xb = b['X'][sb[4]:sb[4] + sb[5]]
        check_same(xb, xa, '%r: CSV round trip differs' % (key,))
    print('csv: 11 files, %d rows, ingest == synth bit for bit' % a['X'].shape[0])
    shutil.rmtree(d)


# --------------------------------------------------------- bad arguments

def test_bad_args(tmp):
    d = os.path.join(tmp, 'bad')
    os.mkdir(d)
    cases = [
        (['--scale', '0'], ['--scale', '0']),
        (['--scale', '-1'], ['--scale', '-1']),
        (['--scale', 'abc'], ['--scale', 'abc']),
        (['--scale', 'nan'], ['scale', 'nan']),
        (['--scale', '1001'], ['scale', '1001']),
        (['--devices', 'Nope'], ['Nope', 'device']),
        (['--devices', '0'], ["'0'", 'device']),
        (['--devices', '10'], ["'10'", 'device']),
        (['--attack', 'nope'], ['nope']),
        (['--attack', 'tcp'], ["'tcp'"]),
        (['--devices', 'Ennio_Doorbell', '--attack', 'mirai_ack'], ['nothing to simulate']),
        (['--seed', 'abc'], ['--seed', 'abc']),
    ]
    for extra, must in cases:
        r = T.bad('synth', '--scale', '0.001', *extra, '-o', 'out.h5', cwd=d)
        for m in must:
            T.check(m in r.err, 'synth %s: the message lacks %r:\n%r' % (' '.join(extra), m, r))
        left = os.listdir(d)
        T.check(not left, 'synth %s: files left behind: %r' % (' '.join(extra), left))
    r = T.bad('synth', '--devices', '1', '--scale', '0.001', cwd=d)
    T.check('-o' in r.err, 'no -o: the message does not ask for it:\n%r' % r)
    T.check(not os.listdir(d), 'no -o: files left behind: %r' % os.listdir(d))
    # an existing output is kept without --force
    out = os.path.join(d, 'exists.h5')
    with open(out, 'wb') as f:
        f.write(b'not a store')
    r = T.bad('synth', '--devices', '1', '--scale', '0.001', '-o', out, cwd=d)
    T.check('--force' in r.err and 'exists.h5' in r.err, 'existing output: no --force hint:\n%r' % r)
    with open(out, 'rb') as f:
        T.check(f.read() == b'not a store', 'the existing output was changed without --force')
    T.check(os.listdir(d) == ['exists.h5'], 'existing output: files left behind: %r' % os.listdir(d))
    T.ok('synth', '--devices', '1', '--scale', '0.001', '-o', out, '--force', '-q', cwd=d)
    T.check(T.info(out)['rows'] == sum(expected_rows(p[3], '0.001') for p in PUB if p[0] == DEVICES[0]),
            '--force: the replaced store has other rows')
    T.check(os.listdir(d) == ['exists.h5'], '--force: files left behind: %r' % os.listdir(d))
    print('bad arguments: %d refused, nothing left behind' % (len(cases) + 2))
    shutil.rmtree(d)


def body(tmp):
    need_numpy()
    test_bad_args(tmp)
    test_determinism(tmp)
    test_row_counts(tmp)
    test_pcap(tmp)
    test_csv(tmp)


if __name__ == '__main__':
    T.main('synth', body)
