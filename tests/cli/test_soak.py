#!/usr/bin/python3
"""test_soak.py - `baiot bulk` over the nine simulated devices, again and
again into the same folder, killed with SIGKILL at random moments while a
reader keeps reading the reports: every report the reader or the checks
ever see is complete and of one run.

Rounds alternate the seed (1, 2) so that an old and a new report differ;
a folder holding one device's report of one seed and another's of the
other, or a summary.json disagreeing with a report.json beside it, is a
torn write.  The reader opens the bulk folder once per look (a directory
file descriptor) and reads summary.json and every report.json through it,
as docs/REPORT.md tells readers to.  After each kill: the folder is absent,
the previous complete run or the new complete run; the store still
verifies; and the next complete run leaves no temporary of a dead process.

CI runs it small (BAIOT_SOAK_SCALE=0.002, 5 rounds: about a minute).  The
issue's soak is the same at scale 1 (7,062,606 rows):
    BAIOT_SOAK_SCALE=1 BAIOT_SOAK_ROUNDS=6 BAIOT_BIN=build/baiot tests/cli/test_soak.py
(docs/RELIABILITY.md has the figures of the last such run).
"""
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

SCALE = os.environ.get('BAIOT_SOAK_SCALE', '0.002')
ROUNDS = int(os.environ.get('BAIOT_SOAK_ROUNDS', '5'))


def read_folder(path):
    """The bulk folder's summary.json and every report.json, read through
    one directory descriptor: None when absent, else (seeds seen, problems)."""
    for attempt in range(50):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            return None
        seeds, problems = read_held(fd)
        try:
            replaced = os.stat(path).st_ino != os.fstat(fd).st_ino
        except FileNotFoundError:
            replaced = True
        os.close(fd)
        if not (problems and replaced):
            return seeds, problems
        # the folder held was swapped out and is being removed: a reader's
        # rule (docs/REPORT.md) is to open the path again
    return seeds, problems + ['the folder was replaced during 50 reads in a row']


def read_held(fd):
    """summary.json and every report.json read through the held folder."""
    problems, seeds = [], set()

    def load(rel):
        f = os.open(rel, os.O_RDONLY, dir_fd=fd)
        with os.fdopen(f, 'rb') as fh:
            return json.loads(fh.read().decode('utf-8'))
    try:
        summary = load('summary.json')
        for run in summary['runs']:
            if not run['ok']:
                problems.append('a failed run: %r' % run)
                continue
            sub = os.path.basename(run['report'].rstrip('/'))
            rep = load(os.path.join(sub, 'report.json'))
            seeds.add(rep['options']['seed'])
            if abs(rep['j48']['accuracy'] - run['j48_accuracy']) > 1e-9:
                problems.append('%s: summary J48 %r, report %r' % (sub, run['j48_accuracy'], rep['j48']['accuracy']))
    except (OSError, ValueError, KeyError, TypeError) as e:
        problems.append('%s: %s' % (type(e).__name__, e))
    if len(seeds) > 1:
        problems.append('reports of two runs in one folder: seeds %r' % sorted(seeds))
    return seeds, problems


def body(tmp):
    store = os.path.join(tmp, 'nine.h5')
    T.ok('synth', '-q', '-o', store, '--device', 'all', '--scale', SCALE, timeout=None)
    out = os.path.join(tmp, 'bulk')
    t0 = time.time()
    T.ok('bulk', store, '-q', '--seed', '1', '-o', out, timeout=None)
    dt = time.time() - t0
    first = read_folder(out)
    T.check(first and not first[1] and first[0] == {1}, 'a complete run reads back wrong: %r' % (first,))
    rng = random.Random(17)
    stop = threading.Event()
    seen = {'looks': 0, 'bad': []}

    def reader():
        while not stop.is_set():
            r = read_folder(out)
            seen['looks'] += 1
            if r is not None and r[1]:
                seen['bad'].append(r[1])
    th = threading.Thread(target=reader)
    th.start()
    try:
        for k in range(ROUNDS):
            seed = 2 if k % 2 == 0 else 1
            before = read_folder(out)
            p = subprocess.Popen([T.baiot_bin(), 'bulk', store, '-q', '--seed', str(seed), '-o', out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 1.1) * dt)
            p.send_signal(signal.SIGKILL)
            p.wait()
            after = read_folder(out)
            T.expect('round %d (seed %d, killed %s): the folder is whole' % (k, seed, 'late' if p.returncode == 0
                                                                             else 'during the run'),
                     after is not None and not after[1], repr(after))
            T.expect('round %d: old or new' % k, after is not None and after[0] in (before[0], {seed}),
                     '%r -> %r' % (before, after))
            T.ok('verify', '-q', store)
    finally:
        stop.set()
        th.join()
    T.expect('the reader looked %d times and never saw a torn folder' % seen['looks'], not seen['bad'],
             repr(seen['bad'][:3]))
    T.ok('bulk', store, '-q', '--seed', '1', '-o', out, timeout=None)
    last = read_folder(out)
    T.expect('a complete run after the kills', last and not last[1] and last[0] == {1}, repr(last))
    stray = [n for n in os.listdir(tmp) if '.tmp-' in n]
    T.expect('no temporary of a killed run left beside the folder: %r' % stray, not stray)


if __name__ == '__main__':
    T.main('soak', body)
