#!/usr/bin/python3
"""test_stdout_errors.py - a command whose output cannot be written fails:
with stdout on a full device (/dev/full) `rank`, `info`, `j48
--print-tree`, `predict`, `verify`, `--help` and `--version` exit non-zero
with `cannot write the output` on stderr (they used to exit 0 with the
output lost); and `baiot help CMD` prints exactly `baiot CMD --help` for
every command (it used to print the top-level help), with no printf
escape left in it (`oner --help` used to print `P%%`).  With stderr on a
full device, a run that had something to say there (-v) exits non-zero;
one with nothing to say exits 0."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

IRIS = os.path.join(T.SRC, 'tests', 'data', 'weka', 'iris.arff')


def to_full(args):
    with open('/dev/full', 'w') as full:
        p = subprocess.run([T.baiot_bin()] + args, stdout=full, stderr=subprocess.PIPE, timeout=300)
    return p.returncode, p.stderr.decode('utf-8', 'replace')


def body(tmp):
    T.ok('synth', '-q', '--devices', 'Ecobee_Thermostat', '--scale', '0.01', '-o', os.path.join(tmp, 's.h5'))
    T.ok('j48', IRIS, '--save', os.path.join(tmp, 'm.model'))
    cases = [['rank', IRIS], ['info', os.path.join(tmp, 's.h5')], ['j48', IRIS, '--print-tree'],
             ['predict', os.path.join(tmp, 'm.model'), IRIS], ['verify', os.path.join(tmp, 's.h5')],
             ['--help'], ['--version']]
    for args in cases:
        rc, err = to_full(args)
        T.expect('%s > /dev/full: non-zero exit and a message' % ' '.join(a if '/' not in a else os.path.basename(a)
                                                                           for a in args),
                 rc != 0 and 'cannot write the output' in err, 'rc %d: %s' % (rc, err))
    commands = re.findall(r'^  ([a-z0-9]+) ', T.ok('--help').out, re.M)
    T.expect('the top-level help lists the commands', len(commands) >= 15, str(commands))
    for c in commands:
        a, b = T.run('help', c), T.run(c, '--help')
        T.expect('help %s equals %s --help' % (c, c), a.rc == b.rc == 0 and a.out == b.out and a.out.strip(),
                 '%r\n%r' % (a, b))
        T.expect('%s --help has no %%%% left' % c, '%%' not in b.out, b.out)
    with open('/dev/full', 'w') as full:
        loud = subprocess.run([T.baiot_bin(), 'info', IRIS, '-v'], stdout=subprocess.DEVNULL, stderr=full)
        quiet = subprocess.run([T.baiot_bin(), 'info', IRIS], stdout=subprocess.DEVNULL, stderr=full)
    T.expect('stderr on /dev/full: -v fails (rc %d), silence succeeds (rc %d)' % (loud.returncode, quiet.returncode),
             loud.returncode == 1 and quiet.returncode == 0)


T.main('stdout_errors', body)
