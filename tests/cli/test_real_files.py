#!/usr/bin/python3
"""test_real_files - baiot on real N-BaIoT rows: the two original UCI files
Provision_PT_737E_Security_Camera/gafgyt_attacks/{tcp,udp}.csv, shipped as
zips in $BAIOT_SHARED/data/nbaiot/real (skipped, exit 77, when absent).

  * the member CSVs are the 2017 originals: md5 98e437820bc9c66c774b4c5e1cc0f9c6
    (tcp.csv) and d8cd08a5fadf52bc46d9d2a4bd046f9a (udp.csv);
  * `baiot ingest` reads the zips straight from the shared folder (never
    copied) into a temp store: info shows 104,510 tcp and 104,011 udp rows of
    Provision_PT_737E_Security_Camera / gafgyt, and the recorded sha256 of each
    source equals hashlib.sha256 of the member bytes; h5py sees the same;
  * every double h5py reads equals Python float() of the CSV field bit for bit;
  * CSV -> store -> CSV: `baiot export --csv --no-class --crlf` of the tcp-only
    store is byte-identical to tcp.csv, and after --append of the udp zip the
    export is tcp.csv followed by udp.csv's rows under one header.
"""
import hashlib
import os
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as G  # noqa: E402

DEV = 'Provision_PT_737E_Security_Camera'
REAL = {  # attack: (zip name, member, rows, md5 of the member)
    'tcp': (DEV + '.gafgyt.tcp.zip', 'tcp.csv', 104510, '98e437820bc9c66c774b4c5e1cc0f9c6'),
    'udp': (DEV + '.gafgyt.udp.zip', 'udp.csv', 104011, 'd8cd08a5fadf52bc46d9d2a4bd046f9a'),
}


def body(tmp):
    shared = T.shared_dir()
    real = os.path.join(shared, 'data', 'nbaiot', 'real') if shared else None
    if not real or not all(os.path.isfile(os.path.join(real, z)) for z, _, _, _ in REAL.values()):
        T.skip('the real N-BaIoT zips are absent (BAIOT_SHARED=%r has no data/nbaiot/real/%s)'
               % (os.environ.get('BAIOT_SHARED'), REAL['tcp'][0]))
    try:
        import h5py
        import numpy as np
    except ImportError as e:
        T.skip('python3-h5py / python3-numpy missing (%s)' % e)

    member = {}
    for att, (zname, mname, nrows, md5) in REAL.items():
        with zipfile.ZipFile(os.path.join(real, zname)) as z:
            T.check(z.namelist() == [mname], '%s holds %r' % (zname, z.namelist()))
            data = z.read(mname)
        T.check(hashlib.md5(data).hexdigest() == md5, '%s:%s md5 %s, expected %s'
                % (zname, mname, hashlib.md5(data).hexdigest(), md5))
        T.check(data.count(b'\r\n') == nrows + 1, '%s: %d CRLF lines' % (mname, data.count(b'\r\n')))
        member[att] = data
    tcp, udp = member['tcp'], member['udp']
    head = tcp[:tcp.index(b'\r\n') + 2]
    T.check(head == (G.HEADER + '\r\n').encode() and udp.startswith(head), 'the real header is not the 115 names')

    ztcp, zudp = (os.path.join(real, REAL[a][0]) for a in ('tcp', 'udp'))

    # ---- tcp alone: CSV -> store -> CSV ------------------------------------------------------------
    T.ok('ingest', ztcp, '-o', 'real.h5', cwd=tmp)
    d = T.info('real.h5', cwd=tmp)
    T.check(d['table'] == {(DEV, 'gafgyt', 'tcp'): 104510} and d['rows'] == 104510, 'tcp store: %r' % d['table'])
    T.ok('export', 'real.h5', '--csv', '--no-class', '--crlf', '-o', 'tcp.csv', cwd=tmp)
    with open(os.path.join(tmp, 'tcp.csv'), 'rb') as f:
        T.check(f.read() == tcp, 'export of the tcp store is not byte-identical to tcp.csv')
    os.unlink(os.path.join(tmp, 'tcp.csv'))

    # ---- append udp ------------------------------------------------------------------------------------
    T.ok('ingest', '--append', zudp, '-o', 'real.h5', cwd=tmp)
    d = T.info('real.h5', cwd=tmp)
    T.check(d['table'] == {(DEV, 'gafgyt', 'tcp'): 104510, (DEV, 'gafgyt', 'udp'): 104011} and
            d['rows'] == 208521, 'tcp+udp store: %r, %r rows' % (d['table'], d['rows']))
    want_src = [(ztcp + ':tcp.csv', 104510, 0, hashlib.sha256(tcp).hexdigest()),
                (zudp + ':udp.csv', 104011, 104510, hashlib.sha256(udp).hexdigest())]
    T.check(d['sources'] == want_src, 'sources\n got      %r\n expected %r' % (d['sources'], want_src))
    T.ok('export', 'real.h5', '--csv', '--no-class', '--crlf', '-o', 'both.csv', cwd=tmp)
    with open(os.path.join(tmp, 'both.csv'), 'rb') as f:
        T.check(f.read() == tcp + udp[len(head):],
                'export of the tcp+udp store is not tcp.csv followed by the rows of udp.csv')
    os.unlink(os.path.join(tmp, 'both.csv'))

    # ---- h5py: rows, sources, every double -----------------------------------------------------------
    with h5py.File(os.path.join(tmp, 'real.h5'), 'r') as h:
        src = h['sources'][:]
        got = [(s['name'].decode(), int(s['first_row']), int(s['rows']), s['sha256'].decode()) for s in src]
        T.check(got == [(n, fr, r, s) for n, r, fr, s in want_src], 'h5py /sources %r' % got)
        T.check((h['labels/device'][:] == 4).all() and (h['labels/family'][:] == 1).all(), 'h5py: labels')
        att = h['labels/attack'][:]
        T.check((att[:104510] == 4).all() and (att[104510:] == 5).all(), 'h5py: attack labels')
        vals = np.array([float(x) for part in (tcp, udp)
                         for x in part[len(head):].replace(b'\r\n', b',').split(b',')[:-1]],
                        dtype=np.float64).reshape(-1, 115)
        T.check(vals.shape == (208521, 115), 'parsed %r values' % (vals.shape,))
        for j, name in enumerate(G.FEATURES):
            col = h['features'][name][:]
            T.check(col.shape == (208521,), 'h5py: %s has %r rows' % (name, col.shape))
            want = vals[:, j].copy()
            if not np.array_equal(col.view(np.uint64), want.view(np.uint64)):
                r = int(np.nonzero(col.view(np.uint64) != want.view(np.uint64))[0][0])
                T.fail('h5py: %s row %d is %r, float() of the CSV gives %r' % (name, r, col[r], want[r]))


if __name__ == '__main__':
    T.main('real_files', body)
