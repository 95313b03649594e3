#!/usr/bin/python3
"""test_store_versions.py - store format versions.

 - A new store is format version 2: HDF5's 1.10 file format (superblock 3,
   checksummed object headers), fixed-length string attributes (no global
   heap), no times in object headers: the same data gives the same bytes.
 - A version 1 store (tests/data/store/legacy_v1.h5, written by baiot before
   version 2) is refused with a message naming BAIOT_TRUST_V1_STORES (libhdf5
   can hang on a damaged one: tests/fuzz/regressions/store/); with
   BAIOT_TRUST_V1_STORES=1 it is read: info says version 1, verify finds it
   sound, its rows export to the CSV it was made from byte for byte, and
   appending to it works and keeps it version 1.
 - Damaged metadata in a version 2 store is refused with a message (a byte
   flipped in each of a few object headers), never a crash.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as gen  # noqa: E402

LEGACY = os.path.join(T.SRC, 'tests', 'data', 'store', 'legacy_v1.h5')
LABELS = ('--device', 'Ecobee_Thermostat', '--family', 'benign', '--attack', 'benign')


def write_csv(path, rows, seed):
    gen.write_csv(path, rows, seed, crlf=True)


def body(tmp):
    csv = os.path.join(tmp, 'two.csv')
    write_csv(csv, 2, 3)

    # version 2, reproducible bytes
    a, b = os.path.join(tmp, 'a.h5'), os.path.join(tmp, 'b.h5')
    for p in (a, b):
        T.ok('ingest', '-q', csv, *LABELS, '--chunk-rows', '2', '-o', p)
    T.check(T.sha256_file(a) == T.sha256_file(b), 'the same rows gave different store bytes')
    with open(a, 'rb') as f:
        data = f.read()
    T.check(data[8] == 3, 'superblock version %d, expected 3' % data[8])
    T.check(data.count(b'OHDR') >= 118, 'object headers without checksums (%d OHDR)' % data.count(b'OHDR'))
    T.check(b'GCOL' not in data, 'a global heap in a version 2 store')
    T.check('version 2' in T.ok('info', a).out, 'info does not say version 2')

    # version 1 is refused unless trusted, then read
    r = T.run('info', LEGACY)
    T.check(r.rc == 1 and 'version 1' in r.err and 'BAIOT_TRUST_V1_STORES=1' in r.err,
            'an untrusted version 1 store was not refused with a message:\n%r' % (r,))
    os.environ['BAIOT_TRUST_V1_STORES'] = '1'
    r = T.ok('info', LEGACY)
    T.check('version 1' in r.out and 'rows:      2' in r.out, 'legacy store info:\n' + r.out)
    T.ok('verify', LEGACY)
    out = os.path.join(tmp, 'legacy.csv')
    T.ok('export', LEGACY, '--csv', '--no-class', '--crlf', '-o', out)
    T.check(T.sha256_file(out) == T.sha256_file(csv), 'the legacy store does not export to its source CSV')
    legacy = os.path.join(tmp, 'legacy.h5')
    shutil.copy(LEGACY, legacy)
    more = os.path.join(tmp, 'more.csv')
    write_csv(more, 3, 4)
    T.ok('ingest', '-q', '--append', more, '--device', 'Ecobee_Thermostat', '--family', 'gafgyt', '--attack', 'tcp',
         '-o', legacy)
    r = T.ok('info', legacy)
    T.check('version 1' in r.out and 'rows:      5' in r.out, 'append to a version 1 store:\n' + r.out)
    T.ok('verify', legacy)
    del os.environ['BAIOT_TRUST_V1_STORES']

    # damaged object headers in a version 2 store: refused, no crash
    starts = [i for i in range(len(data)) if data.startswith(b'OHDR', i)]
    for n, at in enumerate(starts[:: max(1, len(starts) // 6)][:6]):
        bad = bytearray(data)
        bad[at + 12] ^= 0x5a
        path = os.path.join(tmp, 'bad%d.h5' % n)
        with open(path, 'wb') as f:
            f.write(bad)
        r = T.run('verify', path)
        T.check(r.rc in (0, 1), 'verify crashed on a damaged header (exit %d):\n%r' % (r.rc, r))
        r = T.run('export', path, '--csv', '-o', os.path.join(tmp, 'bad%d.csv' % n))
        T.check(r.rc in (0, 1), 'export crashed on a damaged header (exit %d):\n%r' % (r.rc, r))
        if r.rc == 1:
            T.check('error:' in r.err, 'no message for a damaged store')


if __name__ == '__main__':
    T.main('store_versions', body)
