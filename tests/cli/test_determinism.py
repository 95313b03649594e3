#!/usr/bin/python3
"""test_determinism.py - the study pipeline gives the same answer however it
is run: the same simulated device ingested from its CSV files with three
different block sizes, chunk lengths and compression settings, each run
with OMP_NUM_THREADS = 1, 2 and 4, gives identical reports (report.json
apart from "created", "timings" and the store's path; report.md and
report.html apart from the data line and the stage times; the model files
and plots byte for byte), and the store ingest writes is the same bytes at
1, 2 and 3 threads and block sizes of 1 and 8 MB.  Any number of MPI ranks:
tests/cli/test_mpi.py."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

CAMERA = 'Provision_PT_737E_Security_Camera'
LAYOUTS = {
    'small-blocks': ('--block-mb', '1', '--chunk-rows', '1000'),
    'default': (),
    'compressed': ('--block-mb', '8', '--chunk-rows', '65536', '--compress', '1'),
}


def normalized(out):
    with open(os.path.join(out, 'report.json')) as f:
        rep = json.load(f)
    for k in ('created', 'timings'):
        rep.pop(k)
    rep['data'].pop('path')
    with open(os.path.join(out, 'report.md')) as f:
        md = [line for line in f.read().splitlines()
              if not line.startswith('Data: `') and not (line.startswith('| ') and line.split('|')[1].strip() in
                                                         ('load', 'rank', 'j48_cv', 'j48_tree', 'em'))]
    # report.html: the same page apart from the same two places
    with open(os.path.join(out, 'report.html')) as f:
        html = [line for line in f.read().splitlines()
                if not line.startswith('<p>Data: <code>') and
                not re.match(r'<tr><td>(load|rank|j48_cv|j48_tree|em)</td>', line)]
    files = {}
    for name in sorted(os.listdir(out)):
        if name.endswith(('.model', '.png', '.svg')):
            with open(os.path.join(out, name), 'rb') as f:
                files[name] = f.read()
    return rep, md + ['-- html --'] + html, files


def body(tmp):
    csv = os.path.join(tmp, 'csv')
    T.ok('synth', '--devices', CAMERA, '--scale', '0.02', '--csv', csv, '-o', os.path.join(tmp, 'sim.h5'))
    first = None
    for label, opts in LAYOUTS.items():
        store = os.path.join(tmp, label + '.h5')
        T.ok('ingest', '-q', csv, '-o', store, *opts)
        for threads in ('1', '2', '4'):
            out = os.path.join(tmp, '%s-%s' % (label, threads))
            os.environ['OMP_NUM_THREADS'] = threads
            T.ok('run', store, '-q', '-o', out)
            got = normalized(out)
            if first is None:
                first = (label, threads, got)
                continue
            what = '%s with %s threads vs %s with %s' % (label, threads, first[0], first[1])
            T.check(got[0] == first[2][0], 'report.json differs: ' + what)
            T.check(got[1] == first[2][1], 'report.md differs: ' + what)
            T.check(got[2].keys() == first[2][2].keys(), 'different files: ' + what)
            for name in got[2]:
                T.check(got[2][name] == first[2][2][name], '%s differs: %s' % (name, what))
    # the store itself: the same bytes from ingest at 1, 2 and 3 threads and
    # two block sizes (the streaming reader's jobs run in any order)
    with open(os.path.join(tmp, 'default.h5'), 'rb') as f:
        want = f.read()
    for threads in ('1', '2', '3'):
        for block in ('1', '8'):
            os.environ['OMP_NUM_THREADS'] = threads
            store = os.path.join(tmp, 'store-%s-%s.h5' % (threads, block))
            T.ok('ingest', '-q', csv, '-o', store, '--block-mb', block)
            with open(store, 'rb') as f:
                T.check(f.read() == want, 'the store differs: ingest with %s threads, --block-mb %s' % (threads, block))
            os.remove(store)
    os.environ.pop('OMP_NUM_THREADS', None)


if __name__ == '__main__':
    T.main('determinism', body)
