#!/usr/bin/python3
"""test_store_client - a real client (python3-h5py) reads the store that
`baiot ingest` writes from generated CSV files, as docs/STORE.md promises:

  * the file in HDF5's 1.10 format (superblock version 3: checksummed
    metadata) with no global heap (string attributes fixed-length);
  * root attributes: format == "baiot-store", format_version == 2,
    feature_names == the 115 N-BaIoT names in file order (and the device,
    family and attack name tables);
  * every /features/<name> column (float64) equals Python float() of the
    CSV text bit for bit, for every row of every source, including a file of
    hard decimal inputs (17+ digit mantissas, exact halfway points between
    doubles, subnormals, the largest double, underflow to 0, -0.0) and an LF
    file; all columns and /labels/* have the store's row count;
  * /labels/device, /labels/family, /labels/attack give each source's codes;
  * /sources lists name, labels, first_row, rows and the sha256 of the CSV
    bytes (hashlib), for plain files and archive members;
  * the same holds for a store written with --compress 6 (shuffle + deflate)
    and a small --chunk-rows, so that columns span many chunks.
"""
import hashlib
import os
import random
import struct
import sys
import zipfile
from decimal import Decimal, getcontext

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as G  # noqa: E402

try:
    import h5py
    import numpy as np
except ImportError as e:   # a user's machine without them: say so and skip
    T.skip('python3-h5py / python3-numpy missing (%s)' % e)

DEVICES = ['Danmini_Doorbell', 'Ecobee_Thermostat', 'Ennio_Doorbell', 'Philips_B120N10_Baby_Monitor',
           'Provision_PT_737E_Security_Camera', 'Provision_PT_838_Security_Camera', 'Samsung_SNH_1011_N_Webcam',
           'SimpleHome_XCS7_1002_WHT_Security_Camera', 'SimpleHome_XCS7_1003_WHT_Security_Camera']
ATTACKS = ['benign', 'gafgyt_combo', 'gafgyt_junk', 'gafgyt_scan', 'gafgyt_tcp', 'gafgyt_udp',
           'mirai_ack', 'mirai_scan', 'mirai_syn', 'mirai_udp', 'mirai_udpplain']
FAMILIES = ['benign', 'gafgyt', 'mirai']


def hard_texts(seed):
    """Decimal texts that are hard to convert correctly (all finite, positive or -0.0)."""
    rng = random.Random(seed)
    v = ['1.7976931348623157e308', '1.7976931348623158e308', '2.2250738585072011e-308',
         '2.2250738585072012e-308', '2.2250738585072014e-308', '4.9406564584124654e-324', '5e-324',
         '2.4703282292062328e-324', '2.4703282292062327e-324', '1e-400', '9007199254740993',
         '9007199254740992.9999999999999', '0.1000000000000000055511151231257827',
         '1.00000000000000011102230246251565404236316680908203125',
         '1.00000000000000011102230246251565404236316680908203124',
         '1.00000000000000011102230246251565404236316680908203126', '123456789012345678901234567890',
         '0.000000000000000000000000000001', '1e23', '8.988465674311579e307', '1e-5', '7.0e-10', '00000.5',
         '1505913529.30091791234567', '-0.0', '0', '1', '1.', '.5', '+2.5', '1E5', '1e+05', '3.0e0']
    for _ in range(800):   # random long mantissas over the whole exponent range
        digits = ''.join(rng.choice('0123456789') for _ in range(rng.randint(1, 30)))
        e = rng.randint(-330, 300)
        v.append(digits[0] + '.' + digits[1:] + 'e' + str(e) if rng.random() < 0.7 else digits)
    getcontext().prec = 1200
    for _ in range(400):   # exact midpoints between adjacent doubles: round half to even
        x = rng.uniform(0.0, 1.0) * 10.0 ** rng.randint(-300, 300)
        b = struct.unpack('<q', struct.pack('<d', x))[0]
        y = struct.unpack('<d', struct.pack('<q', b + 1))[0]
        m = (Decimal(x) + Decimal(y)) / 2
        v.append(format(m, 'f') if abs(m.adjusted()) < 25 else format(m, 'e'))
    for t in v:
        f = float(t)
        assert f == f and abs(f) != float('inf'), t
    rows = []
    for k in range(0, len(v), 115):
        r = v[k:k + 115]
        rows.append(r + ['0.0'] * (115 - len(r)))
    return rows


def rows_bytes(rows, eol=b'\r\n'):
    return eol.join([G.HEADER.encode()] + [','.join(r).encode() for r in rows]) + eol


def parse(data):
    """The rows of CSV bytes as a (rows, 115) float64 array made by float()."""
    lines = data.replace(b'\r\n', b'\n').split(b'\n')
    assert lines[0].decode() == G.HEADER and lines[-1] == b''
    vals = [float(f) for line in lines[1:-1] for f in line.split(b',')]
    return np.array(vals, dtype=np.float64).reshape(-1, 115)


def check_store(path, sources):
    """sources: list of (recorded name, csv bytes, device, attack code) in store order."""
    with open(path, 'rb') as f:
        head = f.read()
    T.check(head[8] >= 2, '%s: superblock version %d, expected >= 2 (checksummed metadata)' % (path, head[8]))
    T.check(b'GCOL' not in head, '%s: has a global heap (variable-length strings?)' % path)
    with h5py.File(path, 'r') as h:
        a = h.attrs

        def text(x):
            return x.decode() if isinstance(x, bytes) else str(x)
        T.check(text(a['format']) == 'baiot-store', 'format attribute is %r' % a['format'])
        T.check(int(a['format_version']) == 2, 'format_version attribute is %r' % a['format_version'])
        for key in ('format', 'feature_names', 'device_names', 'family_names', 'attack_names', 'created_by'):
            T.check(not h5py.check_string_dtype(a.get_id(key).dtype) or
                    h5py.check_string_dtype(a.get_id(key).dtype).length is not None,
                    'attribute %s should hold fixed-length strings (format version 2)' % key)
        T.check([text(x) for x in a['feature_names']] == G.FEATURES, 'feature_names attribute differs')
        T.check([text(x) for x in a['device_names']] == DEVICES, 'device_names: %r' % a['device_names'])
        T.check([text(x) for x in a['family_names']] == FAMILIES, 'family_names: %r' % a['family_names'])
        T.check([text(x) for x in a['attack_names']] == ATTACKS, 'attack_names: %r' % a['attack_names'])
        T.check(sorted(h['features'].keys()) == sorted(G.FEATURES), 'the /features group holds %d columns'
                % len(h['features'].keys()))
        T.check(sorted(h['labels'].keys()) == ['attack', 'device', 'family'],
                '/labels holds %r' % list(h['labels'].keys()))

        expect = [parse(s[1]) for s in sources]
        n = sum(e.shape[0] for e in expect)
        cols = {}
        for name in G.FEATURES:
            d = h['features'][name]
            T.check(d.dtype == np.float64 and d.shape == (n,), '/features/%s: dtype %s shape %r, expected '
                    'float64 (%d,)' % (name, d.dtype, d.shape, n))
            cols[name] = d[:]
        labels = {}
        for k in ('device', 'family', 'attack'):
            d = h['labels'][k]
            T.check(d.dtype == np.uint8 and d.shape == (n,), '/labels/%s: dtype %s shape %r' % (k, d.dtype, d.shape))
            labels[k] = d[:]

        src = h['sources'][:]
        T.check(len(src) == len(sources), '/sources has %d rows, expected %d' % (len(src), len(sources)))
        first = 0
        for s, (name, data, dev, att) in zip(src, sources):
            nrows = sum(1 for line in data.replace(b'\r\n', b'\n').split(b'\n')[1:] if line)
            fam = 0 if att == 0 else (1 if att <= 5 else 2)
            got = (s['name'].decode(), int(s['device']), int(s['family']), int(s['attack']), int(s['first_row']),
                   int(s['rows']), s['sha256'].decode())
            want = (name, dev, fam, att, first, nrows, hashlib.sha256(data).hexdigest())
            T.check(got == want, '/sources row\n got      %r\n expected %r' % (got, want))
            for k, code in (('device', dev), ('family', fam), ('attack', att)):
                T.check((labels[k][first:first + nrows] == code).all(),
                        '/labels/%s of %s is not all %d' % (k, name, code))
            first += nrows

        allv = np.concatenate(expect)
        for j, name in enumerate(G.FEATURES):
            got, want = cols[name].view(np.uint64), allv[:, j].copy().view(np.uint64)
            if not np.array_equal(got, want):
                r = int(np.nonzero(got != want)[0][0])
                starts = np.cumsum([0] + [e.shape[0] for e in expect])
                fail_src = sources[int(np.searchsorted(starts, r, side='right')) - 1][0]
                T.fail('/features/%s row %d (%s): store %r (bits %016x), float() of the CSV %r (bits %016x)'
                       % (name, r, fail_src, float(cols[name][r]), int(got[r]), float(allv[r, j]), int(want[r])))


def body(tmp):
    def put(name, data):
        with open(os.path.join(tmp, name), 'wb') as f:
            f.write(data)
        return data

    b1 = put('2.benign.csv', G.csv_bytes(2500, 101))
    b2 = put('2.gafgyt.junk.csv', G.csv_bytes(700, 102, crlf=False))          # LF line ends
    b3 = put('2.mirai.udp.csv', rows_bytes(hard_texts(103)))                  # hard decimal texts
    m1, m2 = G.csv_bytes(1300, 104), G.csv_bytes(1, 105)
    with zipfile.ZipFile(os.path.join(tmp, 'members.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('Danmini_Doorbell/mirai_attacks/udpplain.csv', m1)
        z.writestr('Danmini_Doorbell/gafgyt_attacks/combo.csv', m2)          # a single row
    sources = [('2.benign.csv', b1, 1, 0), ('2.gafgyt.junk.csv', b2, 1, 2), ('2.mirai.udp.csv', b3, 1, 9),
               ('members.zip:Danmini_Doorbell/mirai_attacks/udpplain.csv', m1, 0, 10),
               ('members.zip:Danmini_Doorbell/gafgyt_attacks/combo.csv', m2, 0, 1)]
    args = ['2.benign.csv', '2.gafgyt.junk.csv', '2.mirai.udp.csv', 'members.zip']

    T.ok('ingest', *args, '-o', 'plain.h5', cwd=tmp)                 # defaults
    check_store(os.path.join(tmp, 'plain.h5'), sources)

    T.ok('ingest', *args, '-o', 'packed.h5', '--compress', '6', '--chunk-rows', '256', '--block-mb', '1', cwd=tmp)
    check_store(os.path.join(tmp, 'packed.h5'), sources)
    with h5py.File(os.path.join(tmp, 'packed.h5'), 'r') as h:
        d = h['features/MI_dir_L5_weight']
        T.check(d.chunks == (256,) and d.compression == 'gzip' and d.shuffle,
                '--compress 6 --chunk-rows 256: chunks %r compression %r shuffle %r'
                % (d.chunks, d.compression, d.shuffle))

    # an appended store reads the same as one written at once
    T.ok('ingest', '2.benign.csv', '2.gafgyt.junk.csv', '-o', 'app.h5', '--chunk-rows', '1000', cwd=tmp)
    T.ok('ingest', '--append', '2.mirai.udp.csv', 'members.zip', '-o', 'app.h5', cwd=tmp)
    check_store(os.path.join(tmp, 'app.h5'), sources)


if __name__ == '__main__':
    T.main('store_client', body)
