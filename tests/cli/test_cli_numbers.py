#!/usr/bin/python3
"""test_cli_numbers.py - every numeric option of every `baiot` command goes
through one parser (engine/cli/cli_args.c): an empty value, trailing junk, a
leading blank, overflow, NaN/infinity and values below or above the range are
refused with exit code 2 (a usage error), a message quoting the option and
the value (`baiot j48: -M: '99999999999999999999' is out of range (0 ..
2147483647)`), and no output left behind; good values (the edges of each
range included) still run.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

BIG = '99999999999999999999'         # beyond int64 and uint64: ERANGE
JUNK = ['', 'x', '5x', '5 ', ' 5']
INT_BAD = JUNK + ['1.5', '0x10', BIG, '-' + BIG]
REAL_BAD = JUNK + ['nan', 'inf', '-inf', '1e999']

# (command, option, bad values beyond the shared ones, whole number?)
OPTIONS = [
    ('rank', '--folds', ['1', '0', '-3', '101'], True),
    ('rank', '--seed', [], True),
    ('rank', '--min-bucket', ['0', '-1'], True),
    ('rank', '--top', ['0', '-5'], True),
    ('oner', '--folds', ['1', '-2', '2147483648'], True),
    ('oner', '--seed', ['9223372036854775808'], True),
    ('oner', '--split-percent', ['0', '100', '-1'], False),
    ('oner', '--min-bucket', ['0', '-1', '2147483648'], True),
    ('j48', '-C', [], False),
    ('j48', '-M', ['-1', '2147483648'], True),
    ('j48', '--threads', ['0', '-1'], True),
    ('j48', '--folds', ['1'], True),
    ('j48', '--seed', [], True),
    ('j48', '--split-percent', ['0', '100'], False),
    ('em', '--clusters', ['0', '-2', '2147483648'], True),
    ('em', '--seed', [], True),
    ('em', '--max-iter', ['0', '-1'], True),
    ('em', '--min-std-dev', ['0', '-1'], False),
    ('em', '--reg-covar', ['-1e-9'], False),
    ('em', '--threads', ['0'], True),
    ('folds', '--folds', ['1', '-1'], True),
    ('folds', '--seed', [], True),
    ('ingest', '--compress', ['-1', '10'], True),
    ('ingest', '--chunk-rows', ['-1', '16777217'], True),
    ('ingest', '--block-mb', ['-5', '0'], True),
    ('extract', '--compress', ['-1', '10'], True),
    ('extract', '--idle-cutoff', ['-1'], False),
    ('synth', '--scale', ['0', '-1'], False),
    ('synth', '--seed', ['-1', '18446744073709551616'], True),
    ('demo', '--scale', ['0', '1.5'], False),
    ('run', '--top', ['0'], True),
    ('run', '--folds', ['1'], True),
    ('run', '--seed', [], True),
    ('run', '--clusters', ['0', '-1'], True),
    ('run', '--threads', ['0', '-1'], True),
    ('bulk', '--top', ['0'], True),
    ('bulk', '--seed', [], True),
]


def argv(cmd, data, out):
    """The rest of a command line that would otherwise start work."""
    if cmd in ('rank', 'oner', 'j48', 'em', 'bulk'):
        return [data]
    if cmd in ('run', 'demo'):
        return ([data] if cmd == 'run' else []) + ['-q', '-o', out]
    if cmd == 'folds':
        return [data, '-o', out]
    if cmd == 'ingest':
        return [data, '-o', out]
    if cmd == 'extract':
        return [data, '-o', out + '.csv']
    return ['--devices', '5', '--scale', '0.001', '-o', out] if cmd == 'synth' else []


def test_bad(tmp, data):
    n = 0
    for cmd, opt, extra, whole in OPTIONS:
        for val in (INT_BAD if whole else REAL_BAD) + extra:
            out = os.path.join(tmp, 'out')
            if opt == '--scale' and cmd == 'synth':
                args = ['synth', '--devices', '5', opt, val, '-o', out]
            else:
                args = [cmd, opt, val] + argv(cmd, data, out)
            r = T.bad(*args, cwd=tmp)
            T.check(r.rc == 2, 'exit code %d, not 2 (a usage error):\n%r' % (r.rc, r))
            want = "%s: '%s'" % (opt, val)
            T.check(want in r.err, 'the message does not quote %r:\n%r' % (want, r))
            T.check(not os.listdir(tmp), 'files left behind: %r\n%r' % (os.listdir(tmp), r))
            n += 1
    # the reason is the right one: overflow is "out of range", junk "not a number"
    r = T.bad('j48', '-M', BIG, data)
    T.check("baiot j48: -M: '%s' is out of range (0 .. 2147483647)" % BIG in r.err, 'overflow reason:\n%r' % r)
    r = T.bad('em', '--seed', BIG, data)
    T.check("is out of range (-9223372036854775808 .. 9223372036854775807)" in r.err, 'seed overflow:\n%r' % r)
    r = T.bad('j48', '-M', '5x', data)
    T.check("-M: '5x' is not a whole number" in r.err, 'junk reason:\n%r' % r)
    r = T.bad('em', '--reg-covar', '1e999', data)
    T.check("--reg-covar: '1e999' is out of range" in r.err, 'double overflow reason:\n%r' % r)
    print('%d bad values refused' % n)


def test_good(tmp, data):
    """Edges of each range and plain values still run as before."""
    T.ok('rank', data, '--folds', '2', '--seed', '-3', '--min-bucket', '1', '--top', '+2', '--json')
    T.ok('rank', data, '--folds', '100', '--seed', '9223372036854775807')
    T.ok('oner', data, '--folds', '3', '--seed', '-9223372036854775808', '--min-bucket', '6')
    T.ok('oner', data, '--split-percent', '66.5')
    T.ok('j48', data, '-C', '0.1', '-M', '0', '--threads', '2', '--folds', '2', '--seed', '42')
    T.ok('j48', data, '-U', '-C', '7', '--split-percent', '1e1')
    T.ok('em', data, '--clusters', '3', '--seed', '100', '--max-iter', '5', '--min-std-dev', '1e-6',
         '--reg-covar', '0', '--covariance', 'full', '--threads', '1')
    T.ok('em', data, '--clusters', '-1', '--max-iter', '3')
    T.ok('folds', data, '--folds', '5', '--seed', '7', '-o', os.path.join(tmp, 'f.csv'))
    T.ok('synth', '--devices', '5', '--scale', '0.001', '--seed', '18446744073709551615', '-q',
         '--csv', os.path.join(tmp, 'csv'), '-o', os.path.join(tmp, 's.h5'))
    T.ok('ingest', os.path.join(tmp, 'csv'), '-q', '--compress', '9', '--chunk-rows', '4096',
         '--block-mb', '1', '-o', os.path.join(tmp, 'i.h5'))
    T.ok('ingest', os.path.join(tmp, 'csv'), '-q', '--compress', '0', '--chunk-rows', '0',
         '-o', os.path.join(tmp, 'j.h5'))


def body(tmp):
    data = os.path.join(T.SRC, 'tests', 'data', 'weka', 'iris.arff')
    bad = os.path.join(tmp, 'bad')
    os.mkdir(bad)
    test_bad(bad, data)
    test_good(tmp, data)


if __name__ == '__main__':
    T.main('cli-numbers', body)
