"""baiot_testlib.py - small helpers shared by the black-box CLI tests in
tests/cli/: finding the baiot binary, running it, parsing `baiot info`
output, temp dirs, failure and skip reporting.

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


def skip(msg):
    print('SKIP: ' + msg)
    sys.exit(SKIP)


class Result:
    def __init__(self, args, rc, out, err):
        self.args, self.rc, self.out, self.err = args, rc, out, err

    def __repr__(self):
        return 'baiot %s -> rc %d\n--- stdout:\n%s--- stderr:\n%s' % (
            ' '.join(self.args), self.rc, self.out, self.err)


def run(*args, cwd=None, timeout=300):
    """Runs baiot with args; returns a Result (rc, out, err as text)."""
    args = [str(a) for a in args]
    p = subprocess.run([baiot_bin()] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return Result(args, p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace'))


def ok(*args, cwd=None):
    """Runs baiot and requires exit code 0."""
    r = run(*args, cwd=cwd)
    check(r.rc == 0, 'expected success:\n%r' % r)
    return r


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


def bad(*args, cwd=None):
    """Runs baiot and requires a non-zero exit code and a message on stderr."""
    r = run(*args, cwd=cwd)
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
    """Runs body(tmpdir) in a fresh temp dir, removes it, exits 0/1/77."""
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
    if rc == 0:
        print('PASS: %s (%d checks, %.1f s)' % (tag, _checks, time.time() - t0))
    sys.exit(rc)
