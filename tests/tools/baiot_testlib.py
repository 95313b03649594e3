"""baiot_testlib.py - small helpers shared by the black-box CLI tests in
tests/cli/: finding the baiot binary, running it (optionally at a given
OMP_NUM_THREADS), parsing `baiot info` output, temp dirs, failure and skip
reporting.  Two kinds of check: check() stops the test at the first
failure; expect() prints ok/FAIL and goes on, so a golden comparison lists
every mismatch, and main() still exits 1 when any expect() failed.

The tests are run by ctest with BAIOT_BIN (the binary), BAIOT_SRC (source
root) and BAIOT_SHARED (the read-only shared folder, maybe absent) in the
environment; without BAIOT_BIN, `baiot` on PATH or build/baiot under the
source root is used, so a test can also be run by hand.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get('BAIOT_SRC') or os.path.dirname(os.path.dirname(TOOLS))
SKIP = 77

_checks = 0
_failures = 0   # expect() calls that failed


def baiot_bin():
    b = os.environ.get('BAIOT_BIN')
    if b:
        return b
    for cand in (shutil.which('baiot'), os.path.join(SRC, 'build', 'baiot')):
        if cand and os.access(cand, os.X_OK):
            return cand
    fail('no baiot binary: set BAIOT_BIN')


def shared_dir():
    """The shared data folder, or None when it is absent."""
    d = os.environ.get('BAIOT_SHARED') or os.path.join(SRC, '..', 'shared')
    return d if os.path.isdir(d) else None


class Fail(Exception):
    pass


def fail(msg):
    raise Fail(msg)


def check(cond, msg):
    global _checks
    _checks += 1
    if not cond:
        raise Fail(msg)


def expect(name, good, detail=''):
    """A check that does not stop the test: prints 'ok: NAME' or
    'FAIL: NAME DETAIL' and returns good; main() exits 1 when any failed."""
    global _checks, _failures
    _checks += 1
    if good:
        print('ok: %s' % name)
    else:
        _failures += 1
        print('FAIL: %s%s' % (name, ' ' + str(detail) if detail else ''))
    return good


def expect_same(name, want, got, width=80):
    """expect() for two lists of lines: equal, or FAIL with both listed side
    by side (want left, got right, differing lines marked '<--')."""
    good = want == got
    expect(name, good)
    if not good:
        for i in range(max(len(want), len(got))):
            w = want[i] if i < len(want) else ''
            g = got[i] if i < len(got) else ''
            print('   %-*s | %s%s' % (width, w, g, '' if w == g else '   <--'))
    return good


def skip(msg):
    print('SKIP: ' + msg)
    sys.exit(SKIP)


class Result:
    def __init__(self, args, rc, out, err):
        self.args, self.rc, self.out, self.err = args, rc, out, err

    def __repr__(self):
        return 'baiot %s -> rc %d\n--- stdout:\n%s--- stderr:\n%s' % (
            ' '.join(self.args), self.rc, self.out, self.err)


def run(*args, cwd=None, timeout=300, threads=None):
    """Runs baiot with args (OMP_NUM_THREADS=threads when given; timeout
    None: no limit); returns a Result (rc, out, err as text)."""
    args = [str(a) for a in args]
    env = None
    if threads is not None:
        env = dict(os.environ)
        env['OMP_NUM_THREADS'] = str(threads)
    p = subprocess.run([baiot_bin()] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, env=env)
    return Result(args, p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace'))


def ok(*args, cwd=None, timeout=300, threads=None):
    """Runs baiot and requires exit code 0."""
    r = run(*args, cwd=cwd, timeout=timeout, threads=threads)
    check(r.rc == 0, 'expected success:\n%r' % r)
    return r


def out(args, cwd=None, timeout=None, threads=None):
    """Runs baiot with the argument list args (no time limit unless given),
    requires exit code 0 and returns its stdout: the golden tests' way of
    reading one command's output."""
    return ok(*args, cwd=cwd, timeout=timeout, threads=threads).out


def ok_env(env_extra, *args, cwd=None):
    """Runs baiot with env_extra added to the environment; requires exit 0."""
    old = {k: os.environ.get(k) for k in env_extra}
    os.environ.update(env_extra)
    try:
        return ok(*args, cwd=cwd)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def bad(*args, cwd=None, timeout=300, threads=None):
    """Runs baiot and requires a non-zero exit code and a message on stderr."""
    r = run(*args, cwd=cwd, timeout=timeout, threads=threads)
    check(r.rc != 0, 'expected failure:\n%r' % r)
    check(r.err.strip() != '', 'failure without a message on stderr:\n%r' % r)
    check(r.rc in (1, 2), 'exit code %d is neither 1 nor 2 (crash?):\n%r' % (r.rc, r))
    return r


_TABLE = re.compile(r'^(\S+)\s+(benign|gafgyt|mirai)\s+(\S+)\s+(\d+)\s*$')
_SOURCE = re.compile(r'^\s*(\d+)\s+(.+?)\s+(\d+)\s+(\d+)\s+([0-9a-f]{64})\s*$')


def info(store, cwd=None):
    """`baiot info --sources` parsed: dict with rows (int), table
    {(device, family, attack): rows} and sources [(name, rows, first_row, sha256)]."""
    r = ok('info', store, '--sources', cwd=cwd)
    d = {'rows': None, 'table': {}, 'sources': [], 'text': r.out}
    for line in r.out.splitlines():
        m = re.match(r'^rows:\s+(\d+)\s*$', line)
        if m:
            d['rows'] = int(m.group(1))
            continue
        m = _TABLE.match(line)
        if m:
            d['table'][(m.group(1), m.group(2), m.group(3))] = int(m.group(4))
            continue
        m = _SOURCE.match(line)
        if m:
            d['sources'].append((m.group(2), int(m.group(3)), int(m.group(4)), m.group(5)))
    check(d['rows'] is not None, 'no rows: line in baiot info output:\n' + r.out)
    return d


def sha256_file(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def tempdir(tag):
    return tempfile.mkdtemp(prefix='baiot-%s-' % tag)


def main(tag, body):
    """Runs body(tmpdir) in a fresh temp dir, removes it, exits 0/1/77
    (1: a check() stopped it or an expect() failed)."""
    t0 = time.time()
    tmp = tempdir(tag)
    rc = 0
    try:
        body(tmp)
    except Fail as e:
        print('FAIL: %s' % e)
        rc = 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if rc == 0 and _failures:
        print('FAIL: %s (%d of %d checks failed)' % (tag, _failures, _checks))
        rc = 1
    if rc == 0:
        print('PASS: %s (%d checks, %.1f s)' % (tag, _checks, time.time() - t0))
    sys.exit(rc)
