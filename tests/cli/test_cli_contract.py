#!/usr/bin/python3
"""test_cli_contract.py - the command-line contract of docs/CLI.md, walked
over every command: the table of common options there (read from the file)
against each command's --help and behaviour (`help CMD` equal to `CMD
--help`; options not in the table refused with exit 2; -q silent on stderr;
-v ending with the total time; -q with -v refused; --json one valid JSON
document; --threads 1 and 2 giving the same results; an existing output
refused without --force and replaced with it, report folders replaced
without it); `-` as input and output, pipes, FIFOs and process
substitution read once; every contradiction of docs/CLI.md refused before
anything is written; messages with control bytes escaped; JSON valid UTF-8
whatever bytes a source name holds."""
import hashlib
import json
import os
import re
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

IRIS = os.path.join(T.SRC, 'tests/data/weka/iris.arff')
COMMON = ['-q', '-v', '--threads', '--force', '--json']
SPELLING = {'-q': '--quiet', '-v': '--verbose'}


def contract_table():
    """docs/CLI.md's table of common options: {command: set of options}."""
    table = {}
    for line in open(os.path.join(T.SRC, 'docs/CLI.md')):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) == 6 and cells[1] in ('yes', 'no') and cells[0] != 'command':
            table[cells[0]] = {opt for opt, v in zip(COMMON, cells[1:]) if v == 'yes'}
    T.check(len(table) == 17, 'docs/CLI.md: %d commands in the table, not 17' % len(table))
    return table


def fixtures(tmp):
    f = {'iris': IRIS}
    f['store'] = os.path.join(tmp, 's.h5')
    T.ok('synth', '-q', '-o', f['store'], '--device', '5', '--scale', '0.002', '--pcap', os.path.join(tmp, 'pcap'))
    caps = []
    for root, _, files in os.walk(os.path.join(tmp, 'pcap')):
        caps += [os.path.join(root, n) for n in files if n.endswith('.pcap')]
    T.check(caps, 'synth --pcap wrote no capture')
    f['pcap'] = sorted(caps)[0]
    f['csv'] = os.path.join(tmp, 'plain.csv')
    T.ok('export', f['store'], '--csv', '--no-class', '--device', '5', '-o', f['csv'])
    f['j48store'] = os.path.join(tmp, 'js.model')
    T.ok('j48', f['store'], '--no-cv', '--save', f['j48store'])
    f['model'] = os.path.join(tmp, 'm.model')
    T.ok('j48', IRIS, '--no-cv', '--save', f['model'])
    return f


def base(cmd, f, d):
    """A succeeding command line writing into folder d, and its outputs."""
    o = lambda name: os.path.join(d, name)  # noqa: E731
    return {
        'ingest': (['ingest', f['csv'], '-o', o('n.h5'), '--device', '5', '--family', 'benign'], [o('n.h5')]),
        'info': (['info', f['store']], []),
        'export': (['export', f['store'], '--csv', '-o', o('e.csv')], [o('e.csv')]),
        'extract': (['extract', f['pcap'], '-o', o('x.csv')], [o('x.csv')]),
        'synth': (['synth', '-o', o('y.h5'), '--device', '5', '--scale', '0.0005'], [o('y.h5')]),
        'rank': (['rank', IRIS, '--top', '2', '-o', o('r.txt')], [o('r.txt')]),
        'oner': (['oner', IRIS, '--save', o('o.model')], [o('o.model')]),
        'j48': (['j48', IRIS, '--save', o('j.model')], [o('j.model')]),
        'em': (['em', IRIS, '--clusters', '2', '--save', o('e.model')], [o('e.model')]),
        'predict': (['predict', f['model'], IRIS, '-o', o('p.csv')], [o('p.csv')]),
        'folds': (['folds', IRIS, '-o', o('f.csv')], [o('f.csv')]),
        'verify': (['verify', f['store']], []),
        'run': (['run', IRIS, '-o', o('rdir')], []),
        'bulk': (['bulk', f['store'], '-o', o('bdir')], []),
        'demo': (['demo', '--scale', '0.002', '-o', o('ddir')], []),
        'detect': (['detect', f['store'], '-o', o('tdir')], [os.path.join(o('tdir'), 'detector.model')]),
        'watch': (['watch', '--pcap', f['pcap'], '--model', f['j48store'], '--alerts', o('a.jsonl')], [o('a.jsonl')]),
    }[cmd]


def own_stderr(err):
    """stderr without a sanitizer build's exit report (LeakSanitizer prints
    the suppressions it used, e.g. the plot driver's font caches)."""
    return re.sub(r'-{20,}\nSuppressions used:\n.*?-{20,}\n*', '', err, flags=re.S)


def fresh(tmp, tag):
    d = os.path.join(tmp, tag)
    os.makedirs(d)
    return d


def digest(paths):
    return [hashlib.sha256(open(p, 'rb').read()).hexdigest() if os.path.isfile(p) else None for p in paths]


def no_timings(doc):
    """A JSON document without wall-clock figures."""
    if isinstance(doc, dict):
        return {k: no_timings(v) for k, v in doc.items() if k not in ('seconds',)}
    if isinstance(doc, list):
        return [no_timings(v) for v in doc]
    return doc


def walk_command(tmp, f, cmd, offered):
    h = T.ok(cmd, '--help')
    T.expect('%s: help %s equals %s --help' % (cmd, cmd, cmd), T.ok('help', cmd).out == h.out)
    for opt in COMMON:
        listed = re.search(r'(^|[\s,])%s\b' % re.escape(SPELLING.get(opt, opt)), h.out, re.M) is not None
        T.expect('%s --help lists %s: %s, docs/CLI.md says %s' % (cmd, opt, listed, opt in offered),
                 listed == (opt in offered))
    n = [0]

    def case(tag):
        n[0] += 1
        return fresh(tmp, '%s-%d-%s' % (cmd, n[0], tag))

    for opt in COMMON:
        if opt in offered:
            continue
        d = case('refused')
        args, outs = base(cmd, f, d)
        r = T.run(*(args + ([opt, '2'] if opt == '--threads' else [opt])))
        T.expect('%s refuses %s (rc %d)' % (cmd, opt, r.rc), r.rc == 2, repr(r))
        T.expect('%s %s refused: nothing written' % (cmd, opt), not os.listdir(d), os.listdir(d))
    # -q: stderr empty; -v: the total time last
    d = case('quiet')
    args, outs = base(cmd, f, d)
    r = T.ok(*(args + ['-q']))
    T.expect('%s -q: stderr empty' % cmd, own_stderr(r.err) == '', repr(r))
    d = case('verbose')
    args, outs = base(cmd, f, d)
    r = T.ok(*(args + ['-v']))
    T.expect('%s -v: the total time on stderr' % cmd,
             re.search(r'baiot %s: done in [0-9.]+ s \(\d+ threads\)\n$' % cmd, own_stderr(r.err)) is not None,
             repr(r))
    r = T.run(*(args + ['-q', '-v']))
    T.expect('%s: -q with -v refused' % cmd, r.rc == 2, repr(r))
    # --json: one document; --threads 1 and 2 the same results
    runs = []
    for threads in ('1', '2'):
        d = case('json' + threads)
        args, outs = base(cmd, f, d)
        if '--threads' in offered:
            args = args + ['--threads', threads]
        r = T.ok(*(args + ['--json']))
        try:
            doc = json.loads(r.out)
        except ValueError as e:
            T.expect('%s --json prints one JSON document (%s)' % (cmd, e), False, repr(r))
            return
        runs.append((json.dumps(no_timings(doc), sort_keys=True).replace(d, 'D'), digest(outs)))
    T.expect('%s: --threads 1 and 2 give the same JSON and outputs' % cmd, runs[0] == runs[1],
             '%r\n%r' % (runs[0], runs[1]))
    # --force: an existing output is kept without it and replaced with it
    d = case('force')
    args, outs = base(cmd, f, d)
    T.ok(*args)
    again = T.run(*args)
    if '--force' in offered:
        T.expect('%s: an existing output refused without --force (rc %d)' % (cmd, again.rc),
                 again.rc == 2 and 'exists: use ' in again.err and '--force' in again.err, repr(again))
        before = digest(outs)
        T.ok(*(args + ['--force']))
        T.expect('%s --force: the output replaced' % cmd, digest(outs) == before and all(before))
    elif cmd in ('run', 'bulk', 'demo', 'detect'):
        T.expect('%s: the report folder is the command\'s own, replaced without --force' % cmd, again.rc == 0,
                 repr(again))


def std_streams(tmp, f):
    """`-` for inputs and outputs; pipes, FIFOs and process substitution."""
    want = T.ok('j48', IRIS, '--print-tree').out
    iris = open(IRIS, 'rb').read()
    for args in (['j48', '-', '--print-tree'], ['info', '-'], ['em', '-', '--clusters', '2']):
        p = subprocess.run([T.baiot_bin()] + args, input=iris, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        T.expect('%s from stdin (rc %d): %s' % (' '.join(args), p.returncode, p.stderr.decode()), p.returncode == 0)
        if args[0] == 'j48':
            T.expect('j48 - equals j48 FILE', p.stdout.decode() == want)
        if args[0] == 'em':
            T.expect('em - equals em FILE', p.stdout.decode() == T.ok('em', IRIS, '--clusters', '2').out)
    # process substitution (a /dev/fd pipe: opened once)
    p = subprocess.run(['bash', '-c', '"$0" j48 <(cat "$1") --print-tree', T.baiot_bin(), IRIS],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    T.expect('j48 <(cat iris.arff) (rc %d): %s' % (p.returncode, p.stderr.decode()),
             p.returncode == 0 and p.stdout.decode() == want)
    # a FIFO with a writer
    fifo = os.path.join(tmp, 'fifo.arff')
    os.mkfifo(fifo)

    def writer():
        with open(fifo, 'wb') as w:
            w.write(iris)
    t = threading.Thread(target=writer)
    t.start()
    r = T.run('j48', fifo, '--print-tree', timeout=60)
    t.join(10)
    T.expect('j48 on a FIFO (rc %d)' % r.rc, r.rc == 0 and r.out == want, repr(r))
    # -o - : the same bytes as a file output
    for args, fname in ((['export', f['store'], '--csv'], 'e.csv'), (['export', IRIS, '--arff'], 'e.arff'),
                        (['folds', IRIS], 'f.csv'), (['rank', IRIS, '--top', '2'], 'r.txt'),
                        (['predict', f['model'], IRIS], 'p.csv'), (['extract', f['pcap']], 'x.csv')):
        path = os.path.join(tmp, 'std-' + fname)
        T.ok(*(args + ['-o', path]))
        r = subprocess.run([T.baiot_bin()] + args + ['-o', '-'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        T.expect('%s -o - equals -o FILE' % ' '.join(args[:1]), r.returncode == 0 and
                 r.stdout == open(path, 'rb').read(), r.stderr.decode())


def contradictions(tmp, f):
    d = fresh(tmp, 'contra')
    o = lambda n: os.path.join(d, n)  # noqa: E731
    cases = [
        ['oner', IRIS, '--folds', '5', '--split-percent', '66'],
        ['j48', IRIS, '--folds', '5', '--split-percent', '66'],
        ['j48', IRIS, '--no-cv', '--folds', '5'],
        ['j48', IRIS, '--json', '--print-tree'],
        ['oner', IRIS, '--json', '--layout', '3.6'],
        ['predict', f['model'], IRIS, '--json', '--layout', '3.6'],
        ['export', f['store'], '--csv', '--arff', '-o', o('a')],
        ['export', f['store'], '--arff', '--no-class', '-o', o('a')],
        ['export', f['store'], '--arff', '--crlf', '-o', o('a')],
        ['ingest', f['csv'], '-o', o('s.h5'), '--append', '--force', '--device', '5', '--family', 'benign'],
        ['j48', IRIS, '--task', 'binary'],
        ['rank', f['store'], '--class', 'x'],
        ['rank', IRIS, '--device', '1'],
        ['info', IRIS, '--sources'],
        ['em', IRIS, '--reg-covar', '0.1'],
        ['rank', IRIS, '--top', '2'],
        ['rank', IRIS, '-o', '-', '--json'],
        ['export', f['store'], '--columns', '', '--csv', '-o', o('a')],
        ['run', IRIS, '--task', 'binary', '-o', o('r')],
    ]
    for args in cases:
        r = T.run(*args)
        T.expect('refused (exit 2): baiot %s' % ' '.join(args), r.rc == 2 and r.err.strip(), repr(r))
    T.expect('contradictions wrote nothing', not os.listdir(d), os.listdir(d))


def messages(tmp, f):
    # a file name with an escape sequence and a carriage return: shown escaped
    name = os.path.join(tmp, 'evil\x1b[31m\rname.arff')
    with open(name, 'w') as w:
        w.write('@relation x\n@attribute a numeric\n@data\nnot-a-number\n')
    r = T.bad('j48', name)
    T.expect('control bytes escaped in messages', '\x1b' not in r.err and '\r' not in r.err and
             '\\x1b[31m\\rname' in r.err, repr(r))
    # a source name that is not UTF-8: info --json and run's report.json stay valid UTF-8 JSON
    raw = os.path.join(tmp.encode(), b'dev\xff\xfe.csv')
    with open(raw, 'wb') as w:
        w.write(open(f['csv'], 'rb').read())
    store = os.path.join(tmp, 'u.h5')
    p = subprocess.run([T.baiot_bin().encode(), b'ingest', raw, b'-o', store.encode(), b'--device', b'5',
                        b'--family', b'benign', b'-q'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    T.expect('ingest of a non-UTF-8 name (rc %d): %s' % (p.returncode, p.stderr), p.returncode == 0)
    p = subprocess.run([T.baiot_bin(), 'info', store, '--json'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        doc = json.loads(p.stdout.decode('utf-8', 'strict'))
        T.expect('info --json: the name with U+FFFD', any('\ufffd' in s['name'] for s in doc['sources']), doc)
    except (UnicodeDecodeError, ValueError) as e:
        T.expect('info --json is valid UTF-8 JSON: %s' % e, False, p.stdout[:400])


def body(tmp):
    table = contract_table()
    out = subprocess.run([T.baiot_bin(), '--help'], stdout=subprocess.PIPE).stdout.decode()
    listed = re.findall(r'^  (\w+)\s', out, re.M)
    T.check(sorted(listed) == sorted(table), 'commands in --help %r and docs/CLI.md %r differ' % (listed, sorted(table)))
    f = fixtures(tmp)
    for cmd in listed:
        walk_command(tmp, f, cmd, table[cmd])
    std_streams(tmp, f)
    contradictions(tmp, f)
    messages(tmp, f)


if __name__ == '__main__':
    T.main('cli-contract', body)
