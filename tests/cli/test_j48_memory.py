#!/usr/bin/python3
"""test_j48_memory.py - `baiot j48 --memory-limit` (engine/models/j48/
j48_memory.c and j48_grow_lean.c): under a limit that leaves a fold less
than its column arrays, the job runs one fold at a time and grows the
large nodes from the presort, and prints exactly what it prints without a
limit (the tree on all rows, the 10-fold cross-validation, the JSON
document), at 1 and 2 threads, and for -U and -S too; a limit the data
alone exceed is refused with exit 1, a message giving the figures, and
nothing on stdout; a malformed size is a usage error (exit 2).  The data:
a simulated camera store (baiot synth, scale 0.02, all 115 columns)."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

def plan(err):
    """The -v plan line's figures (MiB) and folds at once."""
    m = re.search(r'limit ([0-9.]+) MiB; data ([0-9.]+) MiB, presort ([0-9.]+) MiB, folds ([0-9.]+) MiB; '
                  r'(\d+) fold\(s\) at once; column budget per fold ([0-9.]+) MiB \(0: none\), '
                  r'for the tree ([0-9.]+) MiB', err)
    return m


def body(tmp):
    store = os.path.join(tmp, 'cam.h5')
    r = T.run('synth', '-q', '-o', store, '--device', 'Provision_PT_737E_Security_Camera',
              '--scale', '0.02')
    T.expect('synth makes the store', r.rc == 0, repr(r))
    if r.rc != 0:
        return
    rows, cols = 16565, 115  # 828,260 x 0.02 (baiot info says so below)
    r = T.run('info', store, '--json')
    m = re.search(r'"rows":\s*(\d+)', r.out)
    if m:
        rows = int(m.group(1))
    # what the plan counts (j48_memory.c), to pick a limit between "the
    # data fit" and "a fold's columns fit"
    data = rows * cols * 8 + rows * 4
    data += data // 32 + (96 << 20)
    presort = rows * cols * 9
    evalb = rows * 8 * 10 + rows * 3 * 8
    fold_rows = rows - rows // 10
    train_rows = fold_rows * (38 + 17 * 2) + rows * 12
    columns = fold_rows * cols * 9
    lean_limit = data + presort + evalb + train_rows + columns // 4
    tree_lean = data + presort + rows * (38 + 17 * 2) + rows * 12 + rows * cols * 9 // 4
    limit = min(lean_limit, tree_lean)
    for opts in ([], ['-U'], ['-S']):
        for threads in ('1', '2'):
            plain = T.run('j48', store, '--print-tree', '--memory-limit', '0', '--threads', threads, *opts,
                          timeout=600)
            T.expect('j48 %s without a limit' % ' '.join(opts), plain.rc == 0, repr(plain))
            lean = T.run('j48', store, '--print-tree', '-v', '--memory-limit', str(limit), '--threads', threads,
                         *opts, timeout=900)
            T.expect('j48 %s under %d bytes ends (exit 0)' % (' '.join(opts), limit), lean.rc == 0, repr(lean))
            p = plan(lean.err)
            T.expect('the plan is printed with -v', p is not None, lean.err[-600:])
            if p:
                T.expect('one fold at a time within a column budget (%s threads)' % threads,
                         int(p.group(5)) == 1 and float(p.group(6)) > 0, p.group(0))
                T.expect('the tree on all rows within a budget too', float(p.group(7)) > 0, p.group(0))
            T.expect_same('j48 %s --threads %s: the same output under the limit' % (' '.join(opts), threads),
                          plain.out, lean.out)
            T.expect('... a tree and a cross-validation', 'Correctly Classified' in plain.out and
                     'Number of Leaves' in plain.out, plain.out[:300])
            if opts:
                break  # the option sets at one thread count
    # the JSON document
    a = T.run('j48', store, '--json', '--memory-limit', '0', timeout=600)
    b = T.run('j48', store, '--json', '--memory-limit', str(limit), timeout=900)
    T.expect('--json both ways', a.rc == 0 and b.rc == 0, repr(b))
    strip = lambda s: re.sub(r'"(seconds|time)[a-z_]*": [0-9.e+-]+', '', s)  # noqa: E731
    T.expect_same('--json: the same document under the limit', strip(a.out), strip(b.out))
    # too little for the data: refused, nothing printed
    small = T.run('j48', store, '--memory-limit', str(data // 2), timeout=120)
    T.expect('a limit under the data is refused (exit 1)', small.rc == 1, repr(small))
    T.expect('... with the figures', 'over the memory limit' in small.err and 'GiB' in small.err, small.err)
    T.expect('... and nothing on stdout', small.out == '', small.out[:200])
    for bad in ('12Q', '-1G', 'lots', ''):
        r = T.run('j48', store, '--memory-limit', bad, timeout=60)
        T.expect('--memory-limit %r is a usage error (exit 2)' % bad, r.rc == 2 and 'size' in r.err, repr(r))
    ok = T.run('j48', store, '--no-cv', '--memory-limit', '64G', timeout=300)
    T.expect('a generous limit in G is taken', ok.rc == 0, repr(ok))


T.main('j48_memory', body)
