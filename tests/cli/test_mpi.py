#!/usr/bin/python3
"""test_mpi.py - the MPI build (`baiot-mpi`, hpc/) under mpirun on this
machine: `bulk` (three simulated devices plus --pooled), `run` (also with
EM's k chosen by cross-validation, on an ARFF file) and `rank`
spread over 1, 2 and 3 ranks give the same outputs as the single-process
`baiot`, byte for byte apart from times (report.json "created"/"timings",
summary.json "seconds"; report.md's stage-time rows); only rank 0 prints;
a device that fails is reported and the others complete, as in one
process; a rank that fails (BAIOT_MPI_FAIL_RANK) ends the whole job within
seconds with a non-zero exit and that rank's message, and no report is
written as if complete.  Skips, saying so, without OpenMPI."""
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

DEVICES = 'Provision_PT_737E_Security_Camera,Danmini_Doorbell,Ecobee_Thermostat'


def mpirun(n, *args, env_extra=None, timeout=300):
    cmd = ['mpirun', '--oversubscribe', '-np', str(n), '-x', 'OMP_NUM_THREADS=1']
    if os.geteuid() == 0:
        cmd.insert(1, '--allow-run-as-root')
    env = dict(os.environ)
    for k, v in (env_extra or {}).items():
        cmd[1:1] = ['-x', '%s=%s' % (k, v)]
    cmd += [os.environ['BAIOT_MPI_BIN']] + [str(a) for a in args]
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, env=env)
    return p.returncode, p.stdout.decode(), p.stderr.decode(), time.time() - t0


def without_times(path):
    with open(path) as f:
        d = json.load(f)
    d.pop('created', None)
    d.pop('timings', None)
    for r in d.get('runs', []):
        r.pop('seconds', None)
        r['report'] = os.path.basename(r['report'])
    return d


def md_without_times(path):
    with open(path) as f:
        lines = f.read().splitlines()
    # the stage-time table and the bulk table's time column
    out = []
    for line in lines:
        if line.startswith('| ') and line.count('|') == 3 and line.split('|')[1].strip() in (
                'load', 'rank', 'j48_cv', 'j48_tree', 'em'):
            continue
        out.append(line)
    return out


def same_tree(a, b):
    names = sorted(os.listdir(a))
    T.check(names == sorted(os.listdir(b)), 'different files: %s vs %s' % (names, sorted(os.listdir(b))))
    for n in names:
        pa, pb = os.path.join(a, n), os.path.join(b, n)
        if os.path.isdir(pa):
            same_tree(pa, pb)
        elif n.endswith('.json'):
            T.check(without_times(pa) == without_times(pb), '%s differs from %s' % (pb, pa))
        elif n.endswith('.md'):
            if n == 'summary.md':
                continue  # times and folder names only; summary.json is compared
            T.check(md_without_times(pa) == md_without_times(pb), '%s differs from %s' % (pb, pa))
        elif n.endswith('.model') or n.endswith('.svg') or n.endswith('.png'):
            with open(pa, 'rb') as fa, open(pb, 'rb') as fb:
                da, db = fa.read(), fb.read()
            if n.endswith('.png'):  # the PNG writer stamps no time; compare whole
                T.check(da == db, '%s differs from %s' % (pb, pa))
            else:
                T.check(da == db, '%s differs from %s' % (pb, pa))


def body(tmp):
    if not os.environ.get('BAIOT_MPI_BIN') or not os.path.exists(os.environ['BAIOT_MPI_BIN']):
        T.skip('no MPI build (baiot-mpi is built when OpenMPI is installed: libopenmpi-dev openmpi-bin)')
    if not shutil.which('mpirun'):
        T.skip('no mpirun (openmpi-bin)')
    store = os.path.join(tmp, 'three.h5')
    T.ok('synth', '--devices', DEVICES, '--scale', '0.01', '-o', store)

    single = os.path.join(tmp, 'bulk-single')
    T.ok('bulk', store, '--pooled', '-q', '-o', single)
    for n in (1, 2, 3):
        out = os.path.join(tmp, 'bulk-%d' % n)
        rc, so, se, _ = mpirun(n, 'bulk', store, '--pooled', '-q', '-o', out)
        T.check(rc == 0, 'mpirun -np %d bulk failed (%d):\n%s\n%s' % (n, rc, so, se))
        T.check(so.count('summary:') == 1, 'only rank 0 prints: %r' % so)
        same_tree(single, out)

    # run and rank on one device, three ranks
    one = 'Danmini_Doorbell'
    r1 = os.path.join(tmp, 'run-single')
    T.ok('run', store, '--device', one, '-q', '-o', r1)
    r3 = os.path.join(tmp, 'run-3')
    rc, so, se, _ = mpirun(3, 'run', store, '--device', one, '-q', '-o', r3)
    T.check(rc == 0, 'mpirun -np 3 run failed:\n%s\n%s' % (so, se))
    same_tree(r1, r3)
    rank1 = T.ok('rank', store, '--json', '--device', one).out
    rc, rank3, se, _ = mpirun(3, 'rank', store, '--json', '--device', one)
    T.check(rc == 0 and json.loads(rank3) == json.loads(rank1), 'rank over 3 ranks differs:\n%s' % se)

    # EM with k chosen by cross-validation (its folds and k-means starts
    # spread too) on an ARFF file
    iris = os.path.join(T.SRC, 'tests', 'data', 'weka', 'iris.arff')
    i1 = os.path.join(tmp, 'iris-single')
    T.ok('run', iris, '--clusters', 'auto', '-q', '-o', i1)
    i3 = os.path.join(tmp, 'iris-3')
    rc, so, se, _ = mpirun(3, 'run', iris, '--clusters', 'auto', '-q', '-o', i3)
    T.check(rc == 0, 'mpirun -np 3 run --clusters auto failed:\n%s\n%s' % (so, se))
    same_tree(i1, i3)

    # a device without rows fails alike, the others complete
    fs = os.path.join(tmp, 'fail-single')
    r = T.run('bulk', store, '--devices', one + ',SimpleHome_XCS7_1003_WHT_Security_Camera', '-q', '-o', fs)
    T.check(r.rc == 1, 'single bulk with an empty device: rc %d' % r.rc)
    f2 = os.path.join(tmp, 'fail-2')
    rc, so, se, _ = mpirun(2, 'bulk', store, '--devices', one + ',SimpleHome_XCS7_1003_WHT_Security_Camera', '-q',
                           '-o', f2)
    T.check(rc != 0, 'mpirun bulk with an empty device should fail')
    T.check(se.count('runs failed') == 1, 'rank 0 alone reports the failed device:\n%s' % se)
    same_tree(fs, f2)

    # a rank that fails ends the job: non-zero, its message, quickly, no report
    bad = os.path.join(tmp, 'rank-fails')
    rc, so, se, secs = mpirun(3, 'run', store, '-q', '-o', bad, env_extra={'BAIOT_MPI_FAIL_RANK': '1'}, timeout=60)
    T.check(rc != 0, 'a failing rank must fail the job')
    T.check('rank 1 of 3: error: injected fault' in se, 'the failing rank\'s message is missing:\n%s' % se)
    T.check(secs < 30, 'the job took %.1f s to end after a rank failed' % secs)
    T.check(not os.path.exists(os.path.join(bad, 'report.json')), 'a report was written by a failed job')


if __name__ == '__main__':
    T.main('mpi', body)
