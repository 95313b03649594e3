#!/usr/bin/python3
"""test_kill.py - nothing is lost when baiot is killed outright.

`baiot ingest`, `baiot synth` and `baiot run` are killed with SIGKILL at
random moments (several times each, a fixed random seed so a failure can be
replayed; the delays spread over each command's measured run time).  After
every kill, each output is either absent, the old complete file (same
bytes) or a new complete one: stores open and pass `baiot verify`, JSON
files parse, PNGs end with their IEND chunk, SVGs are well-formed XML,
model files parse as JSON, report.md is whole.  SIGKILL cannot be caught, so temporary
files (".<name>.tmp-<pid>-<n>") may remain; they are never taken for
outputs.  A final check: with the file size limit (ulimit -f) too small,
synth, ingest --append and export fail with a message, exit 1, and leave
the existing store byte-identical; the same on a real full disk (a 12 MB
tmpfs, when the test runs as root).  And under a memory limit (ulimit -v)
a data set that does not fit fails at once with a message saying how much
memory it needs.
"""
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

CAMERA = 'Provision_PT_737E_Security_Camera'
KILLS = 6


def run_and_kill(args, delay, cwd):
    p = subprocess.Popen([T.baiot_bin()] + [str(a) for a in args], cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    p.wait()
    return p.returncode


def timed(args, cwd):
    t0 = time.time()
    T.ok(*args, cwd=cwd)
    return time.time() - t0


def check_store(path, old_sum):
    if not os.path.exists(path):
        return 'absent'
    if old_sum and T.sha256_file(path) == old_sum:
        return 'old'
    r = T.run('verify', path)
    T.check(r.rc == 0, 'a store left after SIGKILL does not verify:\n%r' % r)
    return 'new'


def check_report_dir(d):
    if not os.path.isdir(d):
        return 'absent'
    for name in os.listdir(d):
        path = os.path.join(d, name)
        if '.tmp-' in name:
            continue
        if name.endswith('.json'):
            with open(path) as f:
                json.load(f)
        elif name.endswith('.png'):
            with open(path, 'rb') as f:
                data = f.read()
            T.check(data[:8] == b'\x89PNG\r\n\x1a\n' and data[-8:-4] == b'IEND', '%s is a partial PNG' % path)
        elif name.endswith('.svg'):
            ET.parse(path)
        elif name.endswith('.model'):
            with open(path) as f:
                json.load(f)
        elif name.endswith('.md'):
            with open(path) as f:
                text = f.read()
            T.check(text.rstrip().endswith('`baiot predict`.'), '%s is cut short' % path)
        elif name.endswith('.html'):
            with open(path) as f:
                text = f.read()
            T.check(text.rstrip().endswith('</html>'), '%s is cut short' % path)
    return 'complete' if os.path.exists(os.path.join(d, 'report.json')) else 'partial-set'


def limit_file_size(kb):
    def set_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (kb * 1024, kb * 1024))
    return set_limit


def limit_memory(kb):
    def set_limit():
        resource.setrlimit(resource.RLIMIT_AS, (kb * 1024, kb * 1024))
    return set_limit


def full_disk(tmp, src_dir, old, old_sum):
    mnt = os.path.join(tmp, 'tiny-disk')
    os.mkdir(mnt)
    if os.geteuid() != 0 or subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mnt],
                                           stderr=subprocess.DEVNULL).returncode != 0:
        print('note: full-disk check skipped (mounting a tmpfs needs root); ulimit -f covers the same paths')
        return
    try:
        store = os.path.join(mnt, 'old.h5')
        subprocess.run(['cp', old, store], check=True)  # about 7 MB of 12
        for args in (['synth', '--devices', CAMERA, '--scale', '0.02', '-o', os.path.join(mnt, 'new.h5')],
                     ['ingest', '-q', '--append', src_dir, '-o', store],
                     ['export', store, '--csv', '-o', os.path.join(mnt, 'all.csv')],
                     ['run', store, '-q', '-o', os.path.join(mnt, 'report')]):
            r = T.run(*args)
            T.check(r.rc == 1 and 'error:' in r.err, '%s on a full disk: exit %d, stderr %r' % (args[0], r.rc, r.err))
            T.check(T.sha256_file(store) == old_sum, '%s on a full disk changed the existing store' % args[0])
        left = sorted(n for n in os.listdir(mnt) if n != 'old.h5' and n != 'report')
        T.check(not left, 'files left on the full disk: %r' % left)
        rep = os.path.join(mnt, 'report')
        if os.path.isdir(rep):
            T.check(not os.path.exists(os.path.join(rep, 'report.json')), 'a report.json on a full disk')
            T.check(not [n for n in os.listdir(rep) if '.tmp-' in n], 'temporary report files left')
        T.check(T.run('verify', store).rc == 0, 'the store on the full disk no longer verifies')
    finally:
        subprocess.run(['umount', mnt])


def body(tmp):
    rnd = random.Random(20261126)
    src_dir = os.path.join(tmp, 'csv')
    base = os.path.join(tmp, 'base.h5')
    T.ok('synth', '--devices', CAMERA, '--scale', '0.02', '--csv', src_dir, '-o', base)
    old = os.path.join(tmp, 'old.h5')
    T.ok('synth', '--devices', 'Danmini_Doorbell', '--scale', '0.01', '-o', old)
    old_sum = T.sha256_file(old)

    # synth over an existing store (--force): old or new, never broken
    t_synth = timed(['synth', '--devices', CAMERA, '--scale', '0.02', '--force', '-o', os.path.join(tmp, 't.h5')],
                    tmp)
    seen = set()
    for i in range(KILLS):
        target = os.path.join(tmp, 'synth-%d.h5' % i)
        subprocess.run(['cp', old, target], check=True)
        run_and_kill(['synth', '--devices', CAMERA, '--scale', '0.02', '--force', '-o', target],
                     rnd.uniform(0.02, t_synth), tmp)
        seen.add(check_store(target, old_sum))
    print('synth after SIGKILL: %s' % sorted(seen))

    # ingest --append into an existing store: old or new
    t_ing = timed(['ingest', '-q', src_dir, '-o', os.path.join(tmp, 'i.h5')], tmp)
    for i in range(KILLS):
        target = os.path.join(tmp, 'ingest-%d.h5' % i)
        subprocess.run(['cp', old, target], check=True)
        run_and_kill(['ingest', '-q', '--append', src_dir, '-o', target], rnd.uniform(0.02, t_ing), tmp)
        seen.add(check_store(target, old_sum))
    print('ingest --append after SIGKILL: %s' % sorted(seen))

    # run: every file of the report folder is complete (or absent)
    t_run = timed(['run', base, '-q', '-o', os.path.join(tmp, 'r')], tmp)
    states = set()
    for i in range(KILLS):
        d = os.path.join(tmp, 'run-%d' % i)
        run_and_kill(['run', base, '-q', '-o', d], rnd.uniform(0.05, t_run), tmp)
        states.add(check_report_dir(d))
    print('run after SIGKILL: %s' % sorted(states))

    # a file size limit: clean failures, the old store untouched
    for args in (['synth', '--devices', CAMERA, '--scale', '0.02', '--force', '-o', old],
                 ['ingest', '-q', '--append', src_dir, '-o', old],
                 ['export', old, '--csv', '-o', os.path.join(tmp, 'big.csv')]):
        p = subprocess.run([T.baiot_bin()] + args, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=limit_file_size(1024))
        err = p.stderr.decode()
        T.check(p.returncode == 1, '%s under ulimit -f: exit %d (want 1):\n%s' % (args[0], p.returncode, err))
        T.check('error:' in err, '%s under ulimit -f: no message' % args[0])
        T.check(T.sha256_file(old) == old_sum, '%s under ulimit -f changed the existing store' % args[0])
    T.check(not os.path.exists(os.path.join(tmp, 'big.csv')), 'export left a partial file under its name')
    leftovers = [n for n in os.listdir(tmp) if '.tmp-' in n and n.startswith('.old.h5')]
    T.check(not leftovers, 'temporary files left after clean failures: %r' % leftovers)

    # a real full disk: a small tmpfs (root only; skipped with a note otherwise)
    full_disk(tmp, src_dir, old, old_sum)

    # a data set larger than the memory limit: a message saying how much it
    # needs, exit 1, promptly (not a crash, not a hang)
    big = os.path.join(tmp, 'big.h5')
    T.ok('synth', '--devices', CAMERA, '--scale', '0.1', '-o', big)  # 82,826 rows x 115 columns: 76 MB
    for args in (['j48', big, '--folds', '2'], ['run', big, '-q', '-o', os.path.join(tmp, 'big-report')]):
        t0 = time.time()
        p = subprocess.run([T.baiot_bin()] + args, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=limit_memory(150 * 1024), timeout=120)
        err = p.stderr.decode()
        T.check(p.returncode == 1, '%s under ulimit -v: exit %d (want 1):\n%s' % (args[0], p.returncode, err))
        T.check('out of memory' in err and ' MB)' in err, '%s under ulimit -v: the message should say how much '
                'memory is needed:\n%s' % (args[0], err))
        T.check(time.time() - t0 < 60, '%s under ulimit -v took %.0f s to fail' % (args[0], time.time() - t0))
    T.check(not os.path.exists(os.path.join(tmp, 'big-report', 'report.json')), 'a report from a failed run')


if __name__ == '__main__':
    T.main('kill', body)
