#!/usr/bin/python3
"""test_export_roundtrip - CSV -> `baiot ingest` -> `baiot export` gives the
original text back, and export's selections and formats are right:

  * a generated CSV (CRLF, repr() numbers, as the UCI files) exported with
    --csv --no-class --crlf is byte-identical to the original, for one source
    and for a store of six (= the sources' rows in order under one header);
    an LF file exported without --crlf is byte-identical too;
  * --csv adds a 'class' column holding the task's class names: 3class
    (benign/gafgyt/mirai, the default), binary (benign/attack), 11class
    (benign, gafgyt_tcp, mirai_ack, ...); the rest of each row is the original;
  * --device keeps only the rows of the devices asked for (index or name, lists);
  * --columns 1,3,MI_dir_L1_mean and --columns @FILE select those columns in
    the order given (names and positions, comments and blank lines in FILE);
  * --arff writes valid ARFF (@relation, 115 numeric @attribute lines, a
    nominal class, @data) whose values are the stored doubles bit for bit;
    `baiot info` reads it back with the same row count and class counts, and
    `baiot export` of the ARFF to CSV gives the original bytes again.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as G  # noqa: E402

F = G.FEATURES
CH = ('--chunk-rows', '512')
CLASS3 = {'benign': 'benign', 'gafgyt': 'gafgyt', 'mirai': 'mirai'}

# (file name, rows, seed, family, attack)
FILES = [('1.benign.csv', 300, 1, 'benign', 'benign'), ('1.gafgyt.tcp.csv', 200, 2, 'gafgyt', 'tcp'),
         ('1.mirai.ack.csv', 150, 3, 'mirai', 'ack'), ('4.benign.csv', 120, 4, 'benign', 'benign'),
         ('4.gafgyt.udp.csv', 90, 5, 'gafgyt', 'udp'), ('4.mirai.syn.csv', 60, 6, 'mirai', 'syn')]


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def data_lines(b):
    """Data rows (bytes, no line end) of CSV bytes (either line end)."""
    return b.replace(b'\r\n', b'\n').split(b'\n')[1:-1]


def class_of(task, family, attack):
    if task == '3class':
        return family
    if task == 'binary':
        return 'benign' if family == 'benign' else 'attack'
    return 'benign' if family == 'benign' else family + '_' + attack


def expected_csv(files, task=None, cols=None, eol=b'\n'):
    """The CSV export should write for files (in store order)."""
    idx = list(range(115)) if cols is None else cols
    head = ','.join(F[j] for j in idx) + (',class' if task else '')
    out = [head.encode()]
    for name, data, fam, att in files:
        for line in data_lines(data):
            f = line.split(b',')
            row = b','.join(f[j] for j in idx)
            if task:
                row += b',' + class_of(task, fam, att).encode()
            out.append(row)
    return eol.join(out) + eol


def same(got, want, what):
    if got == want:
        T.check(True, what)
        return
    i = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), min(len(got), len(want)))
    T.fail('%s: output differs from the expected bytes at byte %d (lengths %d, %d)\n got  %r\n want %r'
           % (what, i, len(got), len(want), got[max(0, i - 60):i + 60], want[max(0, i - 60):i + 60]))


def parse_arff(b):
    """(relation, [(name, type)], [row fields...]) of ARFF bytes."""
    text = b.decode('ascii')
    lines = text.split('\n')
    T.check(lines[-1] == '', 'ARFF does not end with a line end')
    rel, attrs, rows, in_data = None, [], [], False
    for line in lines[:-1]:
        s = line.strip()
        if in_data:
            if s and not s.startswith('%'):
                rows.append(s.split(','))
            continue
        if not s or s.startswith('%'):
            continue
        low = s.lower()
        if low.startswith('@relation'):
            rel = s[len('@relation'):].strip()
        elif low.startswith('@attribute'):
            m = re.match(r'@attribute\s+(\S+)\s+(.+)$', s, re.I)
            T.check(m is not None, 'bad ARFF attribute line %r' % s)
            attrs.append((m.group(1), m.group(2).strip()))
        elif low == '@data':
            in_data = True
        else:
            T.fail('unexpected ARFF header line %r' % s)
    T.check(rel is not None and in_data, 'ARFF lacks @relation or @data')
    return rel, attrs, rows


def info_arff(path, cwd):
    r = T.ok('info', path, cwd=cwd)
    rows = re.search(r'^rows:\s+(\d+)\s*$', r.out, re.M)
    T.check(rows is not None, 'baiot info of an ARFF: no rows: line\n' + r.out)
    counts = {}
    if 'class counts:' in r.out:
        for line in r.out.split('class counts:', 1)[1].splitlines():
            m = re.match(r'^\s+(\S+)\s+(\d+)\s*$', line)
            if m:
                counts[m.group(1)] = int(m.group(2))
    return int(rows.group(1)), counts, r.out


def check_arff(tmp, arff, files, task, cols=None):
    """ARFF file arff (written from files, in order) against the CSV texts."""
    idx = list(range(115)) if cols is None else cols
    rel, attrs, rows = parse_arff(read(os.path.join(tmp, arff)))
    T.check([a[0] for a in attrs[:-1]] == [F[j] for j in idx] and all(a[1].lower() == 'numeric' for a in attrs[:-1]),
            '%s: attributes %r' % (arff, attrs[:-1][:5]))
    classes = {'3class': ['benign', 'gafgyt', 'mirai'], 'binary': ['benign', 'attack'],
               '11class': ['benign', 'gafgyt_combo', 'gafgyt_junk', 'gafgyt_scan', 'gafgyt_tcp', 'gafgyt_udp',
                           'mirai_ack', 'mirai_scan', 'mirai_syn', 'mirai_udp', 'mirai_udpplain']}[task]
    m = re.match(r'^\{(.*)\}$', attrs[-1][1])
    T.check(attrs[-1][0] == 'class' and m and [c.strip() for c in m.group(1).split(',')] == classes,
            '%s: class attribute %r, expected {%s}' % (arff, attrs[-1], ','.join(classes)))
    want_rows = []
    for name, data, fam, att in files:
        for line in data_lines(data):
            f = line.split(b',')
            want_rows.append(([f[j].decode() for j in idx], class_of(task, fam, att)))
    T.check(len(rows) == len(want_rows), '%s: %d data rows, expected %d' % (arff, len(rows), len(want_rows)))
    for r, (got, (wv, wc)) in enumerate(zip(rows, want_rows)):
        T.check(len(got) == len(idx) + 1, '%s: data row %d has %d fields' % (arff, r + 1, len(got)))
        T.check(got[-1] == wc, '%s: data row %d class %r, expected %r' % (arff, r + 1, got[-1], wc))
        for g, w in zip(got[:-1], wv):
            if float(g).hex() != float(w).hex() or (g.startswith('-') != w.startswith('-')):
                T.fail('%s: data row %d value %r is not the CSV value %r bit for bit' % (arff, r + 1, g, w))
    nrows, counts, text = info_arff(arff, tmp)
    T.check(nrows == len(want_rows), 'info %s: %d rows, expected %d' % (arff, nrows, len(want_rows)))
    want_counts = {c: 0 for c in classes}
    for _, c in want_rows:
        want_counts[c] += 1
    got_counts = {c: n for c, n in counts.items() if n or c in want_counts}
    T.check(got_counts == want_counts, 'info %s: class counts %r, expected %r\n%s'
            % (arff, counts, want_counts, text))


def body(tmp):
    files = []
    for name, n, seed, fam, att in FILES:
        data = G.csv_bytes(n, seed)
        with open(os.path.join(tmp, name), 'wb') as f:
            f.write(data)
        files.append((name, data, fam, att))
    dev1, dev4 = files[:3], files[3:]

    # ---- one source: byte-identical round trip ---------------------------------------------------
    T.ok('ingest', *CH, '1.gafgyt.tcp.csv', '-o', 'one.h5', cwd=tmp)
    T.ok('export', 'one.h5', '--csv', '--no-class', '--crlf', '-o', 'one.csv', '--force', cwd=tmp)
    same(read(os.path.join(tmp, 'one.csv')), files[1][1], 'one source, --csv --no-class --crlf')
    with open(os.path.join(tmp, '2.mirai.scan.csv'), 'wb') as f:
        lf = G.csv_bytes(80, 7, crlf=False)
        f.write(lf)
    T.ok('ingest', *CH, '2.mirai.scan.csv', '-o', 'lf.h5', cwd=tmp)
    T.ok('export', 'lf.h5', '--csv', '--no-class', '-o', 'lf.csv', '--force', cwd=tmp)
    same(read(os.path.join(tmp, 'lf.csv')), lf, 'an LF source, --csv --no-class')

    # ---- six sources -------------------------------------------------------------------------------------
    T.ok('ingest', *CH, *[f[0] for f in files], '-o', 'all.h5', cwd=tmp)
    T.ok('export', 'all.h5', '--csv', '--no-class', '--crlf', '-o', 'all.csv', '--force', cwd=tmp)
    same(read(os.path.join(tmp, 'all.csv')), expected_csv(files, eol=b'\r\n'), 'six sources, --no-class --crlf')
    T.check(read(os.path.join(tmp, 'all.csv')) == files[0][1] + b''.join(f[1].split(b'\r\n', 1)[1] for f in files[1:]),
            'six sources: export is not the files concatenated under one header')

    # ---- class column per task ------------------------------------------------------------------------------
    T.ok('export', 'all.h5', '--csv', '-o', 'c3.csv', '--force', cwd=tmp)
    same(read(os.path.join(tmp, 'c3.csv')), expected_csv(files, '3class'), '--csv (3class default)')
    for task in ('3class', 'binary', '11class'):
        T.ok('export', 'all.h5', '--csv', '--task', task, '--crlf', '-o', 'c.csv', '--force', cwd=tmp)
        same(read(os.path.join(tmp, 'c.csv')), expected_csv(files, task, eol=b'\r\n'), '--csv --task ' + task)
    got = set(l.rsplit(b',', 1)[1] for l in data_lines(read(os.path.join(tmp, 'c.csv'))))
    T.check(got == {b'benign', b'gafgyt_tcp', b'mirai_ack', b'gafgyt_udp', b'mirai_syn'}, '11class names %r' % got)

    # ---- --device -------------------------------------------------------------------------------------------------
    for sel, want in (('4', dev4), ('Philips_B120N10_Baby_Monitor', dev4), ('1', dev1), ('Danmini_Doorbell', dev1),
                      ('1,4', files), ('Danmini_Doorbell,Philips_B120N10_Baby_Monitor', files)):
        T.ok('export', 'all.h5', '--csv', '--no-class', '--crlf', '--device', sel, '-o', 'd.csv', '--force', cwd=tmp)
        same(read(os.path.join(tmp, 'd.csv')), expected_csv(want, eol=b'\r\n'), '--device ' + sel)
    T.ok('export', 'all.h5', '--csv', '--task', 'binary', '--device', '4', '-o', 'd.csv', '--force', cwd=tmp)
    same(read(os.path.join(tmp, 'd.csv')), expected_csv(dev4, 'binary'), '--device 4 --task binary')
    T.bad('export', 'all.h5', '--csv', '--device', '7', '-o', 'none.csv', cwd=tmp)
    T.check(not os.path.exists(os.path.join(tmp, 'none.csv')), '--device without rows left a file')

    # ---- --columns ---------------------------------------------------------------------------------------------------
    T.ok('export', 'all.h5', '--csv', '--columns', '1,3,MI_dir_L1_mean', '-o', 'k.csv', '--force', cwd=tmp)
    same(read(os.path.join(tmp, 'k.csv')), expected_csv(files, '3class', [0, 2, 7]), '--columns 1,3,MI_dir_L1_mean')
    T.ok('export', 'all.h5', '--csv', '--no-class', '--columns', 'HpHp_L0.01_pcc,67,1,HH_L0.1_std', '-o', 'k.csv', '--force',
         cwd=tmp)
    same(read(os.path.join(tmp, 'k.csv')), expected_csv(files, None, [114, 66, 0, F.index('HH_L0.1_std')]),
         '--columns in reverse-ish order')
    with open(os.path.join(tmp, 'cols.txt'), 'w') as f:
        f.write('# the columns to keep\nHH_jit_L5_mean\n\n  2  \nMI_dir_L0.1_variance\n115\n')
    T.ok('export', 'all.h5', '--csv', '--task', '11class', '--columns', '@cols.txt', '--device', '1', '-o', 'k.csv', '--force',
         cwd=tmp)
    same(read(os.path.join(tmp, 'k.csv')), expected_csv(dev1, '11class', [66, 1, 11, 114]), '--columns @cols.txt')
    for badcols in ('0', '116', 'no_such_column', '1,1'):
        T.bad('export', 'all.h5', '--csv', '--columns', badcols, '-o', 'none.csv', cwd=tmp)
    T.check(not os.path.exists(os.path.join(tmp, 'none.csv')), 'a bad --columns left a file')

    # ---- ARFF ---------------------------------------------------------------------------------------------------------
    T.ok('export', 'all.h5', '--arff', '-o', 'all.arff', '--force', cwd=tmp)
    check_arff(tmp, 'all.arff', files, '3class')
    T.ok('export', 'all.arff', '--csv', '--no-class', '--crlf', '-o', 'from_arff.csv', '--force', cwd=tmp)
    same(read(os.path.join(tmp, 'from_arff.csv')), expected_csv(files, eol=b'\r\n'), 'ARFF -> CSV')
    T.ok('export', 'all.h5', '--arff', '--task', '11class', '--device', '4', '-o', 'd4.arff', '--force', cwd=tmp)
    check_arff(tmp, 'd4.arff', dev4, '11class')
    T.ok('export', 'all.h5', '--arff', '--task', 'binary', '--columns', '3,MI_dir_L1_mean,HH_jit_L0.01_mean',
         '-o', 'b.arff', cwd=tmp)
    check_arff(tmp, 'b.arff', files, 'binary', [2, 7, F.index('HH_jit_L0.01_mean')])


if __name__ == '__main__':
    T.main('export_roundtrip', body)
