#!/usr/bin/python3
"""test_ingest_errors - every bad input to `baiot ingest` fails cleanly:
non-zero exit, a message on stderr naming the file, the line (as FILE:LINE)
and the field (number and feature name) where they apply, and NO file left in
the output folder (neither the store nor a temporary .NAME.tmp-* file).

Inputs: a line with too many / too few fields, text that is not a number, an
empty field, NaN, Inf, a number out of the double range, an empty line, a
line longer than a parse block (deep in the file, or a huge file without
line ends), a header that differs, an empty file, a header without rows, a bad line deep in
a large file (after blocks and chunks were written), a good source followed
by a bad one, bad rows inside a zip member, a truncated zip, a corrupt zip
(flipped bits in deflated data; a changed digit in stored data: CRC error),
a truncated rar, an unknown file name (the message lists the accepted names).
An existing store is refused without --force/--append and left unchanged;
--force replaces it.

--append: a failing append (bad file, a good file then a bad one, a source
whose bytes are already in the store under the same or another name, a
truncated archive, an append to no store) exits non-zero with a clear message
and leaves the store byte-identical (sha256 before/after) with no temporary
file; a good append adds the rows and sources (checked with info and h5py).
"""
import os
import shutil
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as G  # noqa: E402
import make_rar4  # noqa: E402

CH = ('--chunk-rows', '1024')


def lines_of(n, seed):
    """The file's lines (without line ends): header then n rows."""
    return G.csv_bytes(n, seed).split(b'\r\n')[:-1]


def join(lines, eol=b'\r\n'):
    return eol.join(lines) + eol


def set_field(lines, line_no, field_no, text):
    """Replaces field field_no (1-based) of 1-based line line_no."""
    f = lines[line_no - 1].split(b',')
    f[field_no - 1] = text
    lines[line_no - 1] = b','.join(f)


def write(path, data):
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def expect_clean_failure(tmp, srcs, what, must=(), extra=()):
    """Ingests srcs into an empty folder; requires failure, every string of
    `must` in stderr, and an empty folder afterwards."""
    out = os.path.join(tmp, 'out')
    shutil.rmtree(out, ignore_errors=True)
    os.mkdir(out)
    r = T.bad('ingest', *CH, *extra, *srcs, '-o', 'out/store.h5', cwd=tmp)
    for s in must:
        T.check(s in r.err, '%s: stderr lacks %r:\n%r' % (what, s, r))
    left = os.listdir(out)
    T.check(left == [], '%s: the failed ingest left %r in the output folder' % (what, left))
    return r


def check_with_h5py(store, a, b):
    """The appended store as h5py sees it (a, b: the CSV bytes of good.zip's members)."""
    import h5py
    import numpy as np
    F = G.FEATURES
    with h5py.File(store, 'r') as h:
        src = h['sources'][:]
        T.check(len(src) == 5, 'h5py: %d sources after append' % len(src))
        T.check([x['name'].decode() for x in src][-2:] == ['good.zip:4.gafgyt.tcp.csv', 'good.zip:4.gafgyt.udp.csv'],
                'h5py: appended source names %r' % [x['name'] for x in src])
        for j, name in enumerate(F):
            T.check(h['features'][name].shape == (5190,), 'h5py: column %s has shape %r'
                    % (name, h['features'][name].shape))
        for k in ('device', 'family', 'attack'):
            T.check(h['labels'][k].shape == (5190,), 'h5py: label %s has shape %r' % (k, h['labels'][k].shape))
        T.check((h['labels/attack'][190:3190] == 4).all() and (h['labels/attack'][3190:] == 5).all() and
                (h['labels/device'][190:] == 3).all() and (h['labels/family'][190:] == 1).all() and
                (h['labels/device'][:190] == 5).all() and (h['labels/attack'][150:190] == 7).all(),
                'h5py: labels of the appended rows are wrong')
        rows_ab = [l.split(b',') for l in (a + b).split(b'\r\n') if l and not l.startswith(b'MI_dir')]
        for j in (0, 66, 114):
            want_col = np.array([float(r[j]) for r in rows_ab], dtype=np.float64)
            got = h['features'][F[j]][190:]
            T.check(np.array_equal(got.view(np.uint64), want_col.view(np.uint64)),
                    'h5py: appended values of %s differ from the CSV' % F[j])


def body(tmp):
    F = G.FEATURES
    # ---- CSV content errors ---------------------------------------------------------------
    cases = []   # (file name, bytes, what, strings the message must hold)

    L = lines_of(20, 1)
    L[3] += b',1.0'
    cases.append(('1.benign.csv', join(L), 'a line with 116 fields', ['1.benign.csv:4', '116', '115']))

    L = lines_of(20, 2)
    f = L[2].split(b',')
    del f[40]
    L[2] = b','.join(f)
    cases.append(('2.benign.csv', join(L), 'a line with 114 fields', ['2.benign.csv:3', '114', '115']))

    L = lines_of(20, 3)
    set_field(L, 6, 7, b'abc')
    cases.append(('3.benign.csv', join(L), 'text that is not a number',
                  ['3.benign.csv:6', 'field 7', F[6], 'abc']))

    L = lines_of(20, 4)
    set_field(L, 9, 115, b'1.0.0')
    cases.append(('4.benign.csv', join(L), 'a malformed number in the last field',
                  ['4.benign.csv:9', 'field 115', F[114], '1.0.0']))

    L = lines_of(20, 5)
    set_field(L, 6, 7, b'nan')
    cases.append(('5.benign.csv', join(L), 'NaN', ['5.benign.csv:6', 'field 7', F[6], 'nan']))

    L = lines_of(20, 6)
    set_field(L, 8, 67, b'inf')
    cases.append(('6.benign.csv', join(L), 'Inf', ['6.benign.csv:8', 'field 67', 'HH_jit_L5_mean', 'inf']))

    L = lines_of(20, 7)
    set_field(L, 12, 1, b'1e999')
    cases.append(('7.benign.csv', join(L), 'a number out of the double range',
                  ['7.benign.csv:12', 'field 1', F[0], '1e999']))

    L = lines_of(20, 8)
    set_field(L, 3, 50, b'')
    cases.append(('8.benign.csv', join(L), 'an empty field', ['8.benign.csv:3', 'field 50', F[49]]))

    L = lines_of(20, 9)
    L.insert(5, b'')
    cases.append(('9.benign.csv', join(L), 'an empty line', ['9.benign.csv:6']))

    L = lines_of(20, 10)
    L[0] = L[0].replace(b'HH_L5_std', b'HH_L5_stdev')
    cases.append(('1.gafgyt.tcp.csv', join(L), 'a header that differs',
                  ['1.gafgyt.tcp.csv:1', '33', 'HH_L5_stdev', 'HH_L5_std']))

    L = lines_of(20, 11)
    L[0] = ','.join(F[:114]).encode()
    cases.append(('1.gafgyt.udp.csv', join(L), 'a header with 114 names', ['1.gafgyt.udp.csv']))

    cases.append(('1.gafgyt.scan.csv', b'', 'an empty file', ['1.gafgyt.scan.csv', 'empty']))
    cases.append(('1.gafgyt.junk.csv', (G.HEADER + '\r\n').encode(), 'a header without rows',
                  ['1.gafgyt.junk.csv']))

    # a bad line far into a big file: earlier blocks and chunks were already parsed and written
    L = lines_of(6000, 12)
    set_field(L, 5801, 100, b'x')
    cases.append(('1.mirai.ack.csv', join(L), 'a bad line after 5800 good rows (small blocks)',
                  ['1.mirai.ack.csv:5801', 'field 100', F[99]]))

    # a line longer than a block (1 MB here), deep in the file (found while
    # the block before it is parsed) and right after the header
    L = lines_of(3000, 14)
    L[2500] = L[2500] + b'0' * 1500000
    cases.append(('1.mirai.udp.csv', join(L), 'a line longer than a block after 2499 rows',
                  ['1.mirai.udp.csv:2501:', 'longer than', '--block-mb']))
    cases.append(('1.gafgyt.combo.csv', (G.HEADER + '\n').encode() + b'7' * 3000000, 'a huge file without line ends',
                  ['1.gafgyt.combo.csv:2:', 'longer than']))

    for name, data, what, must in cases:
        write(os.path.join(tmp, name), data)
        expect_clean_failure(tmp, [name], what, must, extra=('--block-mb', '1'))

    # a good source, then a bad one: nothing at all is written
    write(os.path.join(tmp, '2.mirai.syn.csv'), G.csv_bytes(3000, 13))
    expect_clean_failure(tmp, ['2.mirai.syn.csv', '3.benign.csv'], 'a good source then a bad one',
                         ['3.benign.csv:6', 'field 7'])

    # bad rows inside a zip member: the message names archive:member:LINE
    L = lines_of(30, 14)
    set_field(L, 17, 2, b'12,5')   # a comma inside a value: 116 fields
    with zipfile.ZipFile(os.path.join(tmp, 'badrows.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('3.gafgyt.combo.csv', join(L))
    expect_clean_failure(tmp, ['badrows.zip'], 'bad rows inside a zip member',
                         ['badrows.zip:3.gafgyt.combo.csv:17', '116'])

    # ---- damaged archives -----------------------------------------------------------------------
    a, b = G.csv_bytes(3000, 21), G.csv_bytes(2000, 22)
    with zipfile.ZipFile(os.path.join(tmp, 'good.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('4.gafgyt.tcp.csv', a)
        z.writestr('4.gafgyt.udp.csv', b)
    zb = open(os.path.join(tmp, 'good.zip'), 'rb').read()
    write(os.path.join(tmp, 'trunc.zip'), zb[:len(zb) // 2])
    expect_clean_failure(tmp, ['trunc.zip'], 'a truncated zip', ['trunc.zip'])
    first_member_end = zipfile.ZipFile(os.path.join(tmp, 'good.zip')).getinfo('4.gafgyt.udp.csv').header_offset
    write(os.path.join(tmp, 'trunc2.zip'), zb[:first_member_end])   # cut exactly after the first member
    expect_clean_failure(tmp, ['trunc2.zip'], 'a zip cut after its first member', ['trunc2.zip'])
    # (a zip that loses only part of its central directory is read from its local headers and
    # accepted, all members being whole and CRC-checked; that is not tested here)

    zinfo = zipfile.ZipFile(os.path.join(tmp, 'good.zip')).getinfo('4.gafgyt.tcp.csv')
    data_at = zinfo.header_offset + 30 + len(zinfo.filename) + len(zinfo.extra)
    c = bytearray(zb)
    c[data_at + zinfo.compress_size // 3] ^= 0x01
    write(os.path.join(tmp, 'corrupt.zip'), bytes(c))
    expect_clean_failure(tmp, ['corrupt.zip'], 'a corrupt deflated zip (one flipped bit)',
                         ['corrupt.zip:4.gafgyt.tcp.csv', 'CRC'])

    # stored data with one digit changed: still valid CSV, only the CRC tells
    with zipfile.ZipFile(os.path.join(tmp, 'stored.zip'), 'w', zipfile.ZIP_STORED) as z:
        z.writestr('4.mirai.udp.csv', a)
    sb = bytearray(open(os.path.join(tmp, 'stored.zip'), 'rb').read())
    i = sb.index(b'\r\n', sb.index(b'\r\n') + 2) + 1000
    while not chr(sb[i]).isdigit():
        i += 1
    sb[i] = ord('7') if sb[i] != ord('7') else ord('3')
    write(os.path.join(tmp, 'stored_bad.zip'), bytes(sb))
    expect_clean_failure(tmp, ['stored_bad.zip'], 'a stored zip member with a changed digit',
                         ['stored_bad.zip:4.mirai.udp.csv', 'CRC'])

    rb = make_rar4.rar_bytes([('tcp.csv', a), ('udp.csv', b)])
    write(os.path.join(tmp, 'Ennio_Doorbell', 'gafgyt_attacks.rar'), rb[:len(rb) * 3 // 4])
    expect_clean_failure(tmp, [os.path.join('Ennio_Doorbell', 'gafgyt_attacks.rar')], 'a truncated rar',
                         ['Ennio_Doorbell/gafgyt_attacks.rar'])
    write(os.path.join(tmp, 'Ennio_Doorbell', 'gafgyt_attacks.rar'), rb[:len(rb) - 100])  # cut in the last member
    expect_clean_failure(tmp, [os.path.join('Ennio_Doorbell', 'gafgyt_attacks.rar')],
                         'a rar cut inside its last member', ['Ennio_Doorbell/gafgyt_attacks.rar'])
    shutil.rmtree(os.path.join(tmp, 'Ennio_Doorbell'))

    # ---- names -------------------------------------------------------------------------------------
    write(os.path.join(tmp, 'capture.csv'), a)
    expect_clean_failure(tmp, ['capture.csv'], 'an unknown file name',
                         ['capture.csv', 'accepted names', 'Danmini_Doorbell', 'benign_traffic', 'udpplain',
                          '--device'])
    write(os.path.join(tmp, '1.gafgyt.http.csv'), a)
    expect_clean_failure(tmp, ['1.gafgyt.http.csv'], 'an unknown attack', ['1.gafgyt.http.csv', 'http'])
    with zipfile.ZipFile(os.path.join(tmp, 'names.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('5.benign.csv', b)
        z.writestr('traffic_dump.csv', a)
    expect_clean_failure(tmp, ['names.zip'], 'an unknown member name', ['names.zip:traffic_dump.csv',
                                                                          'accepted names'])
    expect_clean_failure(tmp, ['no_such_file.csv'], 'a missing source', ['no_such_file.csv'])

    # ---- an existing store ----------------------------------------------------------------------------
    out = os.path.join(tmp, 'out')
    shutil.rmtree(out)
    os.mkdir(out)
    store = os.path.join(out, 'store.h5')
    write(os.path.join(tmp, '6.benign.csv'), G.csv_bytes(100, 31))
    write(os.path.join(tmp, '6.gafgyt.combo.csv'), G.csv_bytes(50, 32))
    write(os.path.join(tmp, '6.mirai.scan.csv'), G.csv_bytes(40, 33))
    T.ok('ingest', *CH, '6.benign.csv', '6.gafgyt.combo.csv', '-o', 'out/store.h5', cwd=tmp)
    sha0 = T.sha256_file(store)
    r = T.bad('ingest', *CH, '6.mirai.scan.csv', '-o', 'out/store.h5', cwd=tmp)
    T.check('--force' in r.err and '--append' in r.err, 'refusal does not mention --force/--append:\n%r' % r)
    T.check(T.sha256_file(store) == sha0, 'a refused ingest changed the existing store')
    T.check(os.listdir(out) == ['store.h5'], 'a refused ingest left %r' % os.listdir(out))

    def unchanged(what, r, must=()):
        for s in must:
            T.check(s in r.err, '%s: stderr lacks %r:\n%r' % (what, s, r))
        T.check(T.sha256_file(store) == sha0, '%s: the store changed' % what)
        T.check(os.listdir(out) == ['store.h5'], '%s: the output folder holds %r' % (what, os.listdir(out)))

    # ---- failing appends leave the store byte-identical ---------------------------------------------
    unchanged('append of a bad file', T.bad('ingest', '--append', '3.benign.csv', '-o', 'out/store.h5', cwd=tmp),
              ['3.benign.csv:6', 'field 7'])
    unchanged('append of a bad line after 5800 rows',
              T.bad('ingest', '--append', '--block-mb', '1', '1.mirai.ack.csv', '-o', 'out/store.h5', cwd=tmp),
              ['1.mirai.ack.csv:5801'])
    unchanged('append of a good file then a bad one',
              T.bad('ingest', '--append', '6.mirai.scan.csv', '5.benign.csv', '-o', 'out/store.h5', cwd=tmp),
              ['5.benign.csv:6'])
    unchanged('append of a source already in the store',
              T.bad('ingest', '--append', '6.benign.csv', '-o', 'out/store.h5', cwd=tmp),
              ['6.benign.csv', 'already'])
    shutil.copyfile(os.path.join(tmp, '6.gafgyt.combo.csv'), os.path.join(tmp, '7.gafgyt.combo.csv'))
    unchanged('append of the same bytes under another name',
              T.bad('ingest', '--append', '7.gafgyt.combo.csv', '-o', 'out/store.h5', cwd=tmp),
              ['7.gafgyt.combo.csv', '6.gafgyt.combo.csv'])
    with zipfile.ZipFile(os.path.join(tmp, 'dup.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('6.benign.csv', open(os.path.join(tmp, '6.benign.csv'), 'rb').read())
    unchanged('append of an archive member already in the store',
              T.bad('ingest', '--append', 'dup.zip', '-o', 'out/store.h5', cwd=tmp),
              ['dup.zip:6.benign.csv', 'already'])
    unchanged('append of a truncated archive',
              T.bad('ingest', '--append', 'trunc.zip', '-o', 'out/store.h5', cwd=tmp), ['trunc.zip'])
    unchanged('append of a corrupt archive',
              T.bad('ingest', '--append', 'corrupt.zip', '-o', 'out/store.h5', cwd=tmp), ['corrupt.zip'])
    unchanged('append of an unlabelled file',
              T.bad('ingest', '--append', 'capture.csv', '-o', 'out/store.h5', cwd=tmp), ['capture.csv'])
    r = T.bad('ingest', '--append', '6.mirai.scan.csv', '-o', 'out/none.h5', cwd=tmp)
    T.check('out/none.h5' in r.err, 'append to no store: message does not name it:\n%r' % r)
    unchanged('append to a missing store', r)

    # ---- a good append ---------------------------------------------------------------------------------
    r = T.ok('ingest', '--append', '6.mirai.scan.csv', 'good.zip', '-o', 'out/store.h5', cwd=tmp)
    T.check(T.sha256_file(store) != sha0, 'a good append did not change the store')
    T.check(os.listdir(out) == ['store.h5'], 'a good append left %r' % os.listdir(out))
    d = T.info('out/store.h5', cwd=tmp)
    dev = 'Provision_PT_838_Security_Camera'
    want = {(dev, 'benign', 'benign'): 100, (dev, 'gafgyt', 'combo'): 50, (dev, 'mirai', 'scan'): 40,
            ('Philips_B120N10_Baby_Monitor', 'gafgyt', 'tcp'): 3000,
            ('Philips_B120N10_Baby_Monitor', 'gafgyt', 'udp'): 2000}
    T.check(d['table'] == want, 'after append: %r' % d['table'])
    T.check(d['rows'] == 5190, 'after append: %r rows' % d['rows'])
    T.check([(s[0], s[1], s[2]) for s in d['sources']] ==
            [('6.benign.csv', 100, 0), ('6.gafgyt.combo.csv', 50, 100), ('6.mirai.scan.csv', 40, 150),
             ('good.zip:4.gafgyt.tcp.csv', 3000, 190), ('good.zip:4.gafgyt.udp.csv', 2000, 3190)],
            'after append: sources %r' % d['sources'])

    try:
        check_with_h5py(store, a, b)
    except ImportError as e:
        print('note: python3-h5py / python3-numpy missing (%s): the h5py checks of the append are skipped' % e)

    # ---- --force replaces -------------------------------------------------------------------------------
    T.ok('ingest', *CH, '--force', '6.mirai.scan.csv', '-o', 'out/store.h5', cwd=tmp)
    d = T.info('out/store.h5', cwd=tmp)
    T.check(d['table'] == {(dev, 'mirai', 'scan'): 40} and d['rows'] == 40, '--force: %r' % d['table'])
    T.check(os.listdir(out) == ['store.h5'], '--force left %r' % os.listdir(out))


if __name__ == '__main__':
    T.main('ingest_errors', body)
