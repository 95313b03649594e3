#!/usr/bin/python3
"""test_huge_values.py - values near the top of the double range (1e307 ..
1.7e308, the shape the differential tester's "huge" family draws) do not
crash anything: J48 (tree and 10-fold CV, default and -U) used to die with
SIGSEGV (the midpoint of two such values overflowed to infinity and the
recursion never ended; Weka 3.6.14 fails there with StackOverflowError).
Now J48 ends, every printed threshold is finite and lies between the
column's smallest and largest values, and OneR, the ranking and EM end
with exit 0 or a clear error (exit 1 with a message), never a signal.
docs/WEKA_COMPAT.md, "Values near the double range"."""
import os
import random
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402


def body(tmp):
    rng = random.Random(165)
    arff = os.path.join(tmp, 'huge.arff')
    rows = []
    for i in range(300):
        c = rng.randrange(3)
        a = rng.uniform(1e307, 1.7e308) if rng.random() < 0.9 else rng.uniform(0, 1)
        b = rng.uniform(1e307, 1.7e308)
        if c == 0:
            b = 1.79e308 - rng.uniform(0, 1e306)  # the very top of the range
        rows.append('%r,%r,c%d' % (a, b, c))
    with open(arff, 'w') as f:
        f.write('@relation huge\n@attribute a numeric\n@attribute b numeric\n@attribute class {c0,c1,c2}\n@data\n')
        f.write('\n'.join(rows) + '\n')
    lo, hi = 0.0, 1.79e308
    for opts in ([], ['-U']):
        r = T.run('j48', arff, '--print-tree', *opts, timeout=120)
        T.expect('j48 %s ends with exit 0 (was SIGSEGV)' % ' '.join(opts), r.rc == 0, repr(r))
        cuts = [float(x) for x in re.findall(r'[<>]=? (-?[0-9.eE+-]+|Infinity|NaN)', r.out)]
        T.expect('j48 %s prints a tree with numeric tests' % ' '.join(opts), len(cuts) > 0, r.out[:400])
        T.expect('j48 %s thresholds finite and inside the data' % ' '.join(opts),
                 all(lo <= c <= hi for c in cuts), str(cuts))
    for args in (['oner', arff], ['rank', arff], ['em', arff, '--clusters', '3']):
        r = T.run(*args, timeout=120)
        T.expect('%s ends without a signal (exit %d)' % (args[0], r.rc), r.rc in (0, 1), repr(r))
        T.expect('%s says why when it fails' % args[0], r.rc == 0 or 'error' in r.err, r.err)


T.main('huge_values', body)
