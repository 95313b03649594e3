#!/usr/bin/python3
"""test_outputs.py - nothing lost (io/files/output_policy.h, file_lock.h,
atomic_file.c): an output never replaces an input of the same run (export
over its own store, ingest over its own CSV, predict -o and j48 --save over
their own inputs, folds -o over its data), never replaces a device node;
a second writer of a store fails at once naming the holder while the lock
is held (and succeeds once it is released); two appends started together
never lose a source that reported success; a SIGKILLed writer's temporary
is removed by the next write of the same output.  Each case failed before
(docs/RELIABILITY.md)."""
import fcntl
import os
import subprocess
import time
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

IRIS = os.path.join(T.SRC, 'tests', 'data', 'weka', 'iris.arff')


def body(tmp):
    j = lambda *p: os.path.join(tmp, *p)  # noqa: E731
    T.ok('synth', '-q', '--devices', 'Ecobee_Thermostat', '--scale', '0.01', '-o', j('s.h5'))
    sha = T.sha256_file(j('s.h5'))
    r = T.run('export', j('s.h5'), '--csv', '-o', j('s.h5'))
    T.expect('export over its own store refused', r.rc != 0 and 'input of this run' in r.err, repr(r))
    T.expect('the store is untouched', T.sha256_file(j('s.h5')) == sha)

    T.ok('export', j('s.h5'), '--csv', '-o', j('x.csv'))
    csv_sha = T.sha256_file(j('x.csv'))
    r = T.run('ingest', j('x.csv'), '-o', j('x.csv'), '--force', '--device', 'Ecobee_Thermostat',
              '--family', 'benign', '--attack', 'benign')
    T.expect('ingest over its own source refused, even with --force', r.rc != 0 and 'input' in r.err, repr(r))
    T.expect('the source is untouched', T.sha256_file(j('x.csv')) == csv_sha)

    T.ok('j48', IRIS, '--save', j('m.model'))
    msha = T.sha256_file(j('m.model'))
    r = T.run('predict', j('m.model'), IRIS, '-o', j('m.model'))
    T.expect('predict -o over its model refused', r.rc != 0 and 'input' in r.err, repr(r))
    T.expect('the model is untouched', T.sha256_file(j('m.model')) == msha)
    r = T.run('predict', j('m.model'), IRIS, '-o', j('p.csv'))
    T.expect('predict -o a new file works', r.rc == 0 and len(open(j('p.csv')).read().splitlines()) == 151, repr(r))

    import shutil
    shutil.copy(IRIS, j('iris.arff'))
    dsha = T.sha256_file(j('iris.arff'))
    for args in (['j48', j('iris.arff'), '--save', j('iris.arff')], ['folds', j('iris.arff'), '-o', j('iris.arff')],
                 ['export', j('s.h5'), '--arff', '-o', '/dev/full']):
        r = T.run(*args)
        T.expect('%s refused (%s)' % (args[0], args[-1]), r.rc != 0 and ('input' in r.err or 'regular file' in r.err),
                 repr(r))
    T.expect('the ARFF is untouched', T.sha256_file(j('iris.arff')) == dsha)
    T.expect('/dev/full is still a device', not os.path.isfile('/dev/full'))

    # the writer's lock: held by this test, a second writer fails at once naming us
    T.ok('export', j('s.h5'), '--csv', '--no-class', '-o', j('benign.csv'))
    with open(j('.s.h5.lock'), 'a+') as lk:
        fcntl.lockf(lk, fcntl.LOCK_EX | fcntl.LOCK_NB)
        r = T.run('ingest', '--append', j('benign.csv'), '-o', j('s.h5'), '--device', 'Danmini_Doorbell',
                  '--family', 'benign', '--attack', 'benign', timeout=60)
        T.expect('append while the store is locked fails at once, naming the holder',
                 r.rc != 0 and ('process %d' % os.getpid()) in r.err, repr(r))
        T.expect('the store is untouched while locked', T.sha256_file(j('s.h5')) == sha)
        fcntl.lockf(lk, fcntl.LOCK_UN)
    r = T.run('ingest', '--append', j('benign.csv'), '-o', j('s.h5'), '--device', 'Danmini_Doorbell',
              '--family', 'benign', '--attack', 'benign', timeout=120)
    T.expect('append after the lock is released works', r.rc == 0, repr(r))

    # two appends started together: whoever reports success has its rows in the store
    T.ok('synth', '-q', '--devices', 'Ennio_Doorbell', '--scale', '0.02', '-o', j('t.h5'))
    T.ok('export', j('t.h5'), '--csv', '--no-class', '-o', j('a.csv'))
    T.ok('synth', '-q', '--devices', 'Ennio_Doorbell', '--scale', '0.02', '--seed', '9', '-o', j('u.h5'))
    T.ok('export', j('u.h5'), '--csv', '--no-class', '-o', j('b.csv'))
    base = T.info(j('s.h5'))['rows']
    procs = []
    for name, dev in (('a.csv', 'Ennio_Doorbell'), ('b.csv', 'Ecobee_Thermostat')):
        procs.append(subprocess.Popen([T.baiot_bin(), 'ingest', '-q', '--append', j(name), '-o', j('s.h5'),
                                       '--device', dev, '--family', 'benign', '--attack', 'benign'],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    results = [(p.wait(timeout=300), p.stderr.read().decode()) for p in procs]
    d = T.info(j('s.h5'))
    names = [s[0] for s in d['sources']]
    for (rc, err), name in zip(results, ('a.csv', 'b.csv')):
        if rc == 0:
            T.expect('%s reported appended and is in the store' % name, any(n.endswith(name) for n in names))
        else:
            T.expect('%s refused with the holder named' % name, 'being written by' in err, err)
            T.expect('%s refused and not in the store' % name, not any(n.endswith(name) for n in names))
    T.expect('at least one of two concurrent appends succeeded', any(rc == 0 for rc, _ in results))
    T.expect('rows = before + the appended sources', d['rows'] == base + sum(
        T.info(j('t.h5' if n == 'a.csv' else 'u.h5'))['rows'] for (rc, _), n in zip(results, ('a.csv', 'b.csv'))
        if rc == 0))
    T.ok('verify', j('s.h5'))

    # two plain ingests to one new path started together: one store, one winner (the last rename used to win)
    results = []
    procs = [subprocess.Popen([T.baiot_bin(), 'ingest', '-q', j(name), '-o', j('new.h5'), '--device', dev,
                               '--family', 'benign', '--attack', 'benign'],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for name, dev in (('a.csv', 'Ennio_Doorbell'), ('b.csv', 'Ecobee_Thermostat'))]
    results = [(p.wait(timeout=300), p.stderr.read().decode()) for p in procs]
    T.expect('two ingests to one new store: exactly one succeeds (%r)' % [rc for rc, _ in results],
             sorted(rc == 0 for rc, _ in results) == [False, True], repr(results))
    names = [s[0] for s in T.info(j('new.h5'))['sources']]
    for (rc, err), name in zip(results, ('a.csv', 'b.csv')):
        T.expect('%s: in the store exactly when it reported success' % name,
                 (rc == 0) == any(n.endswith(name) for n in names), '%r %r' % (names, err))
        if rc:
            T.expect('%s: the loser says why' % name, 'being written by' in err or 'appeared while' in err or
                     'exists' in err, err)
    # an output that appears while the command runs is not replaced (the ingest waits on a FIFO meanwhile)
    fifo = j('slow.csv')
    os.mkfifo(fifo)
    p = subprocess.Popen([T.baiot_bin(), 'ingest', '-q', fifo, '-o', j('late.h5'), '--device', 'Ennio_Doorbell',
                          '--family', 'benign', '--attack', 'benign'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wfd, t0 = None, time.time()
    while wfd is None and time.time() - t0 < 60 and p.poll() is None:
        try:  # succeeds once the ingest has the FIFO open for reading: its output checks are done
            wfd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            time.sleep(0.01)
    T.check(wfd is not None, 'the ingest never opened its FIFO source: %r' % (p.poll(),))
    open(j('late.h5'), 'w').write('someone else\'s file')
    os.set_blocking(wfd, True)
    with os.fdopen(wfd, 'wb') as w:
        w.write(open(j('a.csv'), 'rb').read())
    rc, err = p.wait(timeout=300), p.stderr.read().decode()
    T.expect('an output that appeared meanwhile is kept (rc %d)' % rc,
             rc != 0 and ('appeared while it was being written' in err or 'exists: use --force' in err) and
             open(j('late.h5')).read() == 'someone else\'s file', err)

    # a SIGKILLed writer's temporary is removed by the next write of that output
    dead = subprocess.Popen(['true'])
    dead.wait()
    stale = j('.p2.csv.tmp-%d-1' % dead.pid)
    open(stale, 'w').write('half')
    T.ok('predict', j('m.model'), IRIS, '-o', j('p2.csv'))
    T.expect('a dead process\'s temporary is removed', not os.path.exists(stale))
    live = j('.p3.csv.tmp-%d-1' % os.getpid())
    open(live, 'w').write('mine')
    T.ok('predict', j('m.model'), IRIS, '-o', j('p3.csv'))
    T.expect('a live process\'s temporary is left alone', os.path.exists(live))


T.main('outputs', body)
