#!/usr/bin/python3
"""test_bulk_detect_mpi.py - `baiot bulk --detect` spread over MPI ranks
(the MPI build `baiot-mpi` under mpirun): on a small simulated store of
three devices plus --pooled, for the Gaussian mixture and the autoencoder
(2 epochs), 1, 2 and 3 ranks give the reports (detect.json apart from
timings, detector.model byte for byte) and summary.json (apart from times
and the rank column) of a single-process run, and the units are really
spread over all the ranks.  Skips, saying so, without OpenMPI.  Kept
apart from test_bulk_detect.py so that the sanitizer CI step, which leaves
out the MPI tests (OpenMPI's own allocations), still runs the rest."""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_bulk_detect import DEVICES, load, same_folders  # noqa: E402


def mpirun(n, args):
    cmd = ['mpirun', '--oversubscribe', '-np', str(n), '-x', 'OMP_NUM_THREADS=1']
    if os.geteuid() == 0:
        cmd.insert(1, '--allow-run-as-root')
    cmd += [os.environ['BAIOT_MPI_BIN']] + [str(a) for a in args]
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)


def body(tmp):
    if 'BAIOT_MPI_BIN' not in os.environ or not shutil.which('mpirun'):
        T.skip('the MPI build or mpirun is missing: bulk --detect over ranks not checked')
    store = os.path.join(tmp, 's.h5')
    T.ok('synth', '-q', '-o', store, '--device', DEVICES, '--scale', '0.01')
    for method, extra in (('gmm', []), ('autoencoder', ['--epochs', '2'])):
        args = ['--detect', '--method', method, '--pooled'] + extra
        o1 = os.path.join(tmp, method + '1')
        T.ok('bulk', store, '-o', o1, '--threads', '1', '-q', *args)
        for n in (1, 2, 3):
            om = os.path.join(tmp, '%s-mpi%d' % (method, n))
            p = mpirun(n, ['bulk', store, '-o', om, '-q'] + args)
            T.expect('%s: mpirun -np %d exits 0' % (method, n), p.returncode == 0, p.stderr.decode()[-2000:])
            if p.returncode == 0:
                same_folders('%s, %d MPI ranks' % (method, n), o1, om)
                ranks = {r['rank'] for r in load(os.path.join(om, 'summary.json'))['runs']}
                T.expect('%s: the units spread over all %d ranks' % (method, n), ranks == set(range(n)), ranks)


if __name__ == '__main__':
    T.main('bulk_detect_mpi', body)
