#!/usr/bin/python3
"""test_deep_model.py - a J48 model file with a deep tree loads and
predicts: a chain of 1,500 numeric splits (x <= i + 0.5 sends row i to a
leaf of class i mod 2, the rest down the chain) written in the documented
model format (docs/MODEL_FORMAT.md) is applied by `baiot predict` to an ARFF
file of x = 0 .. 1500, and every row gets its class.  Trees grown on
millions of rows run deep; the model reader once refused them ("nested too
deeply").  A chain deeper than the reader's limit is refused with a
message, not a crash."""
import csv
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402


def leaf(counts):
    return {"leaf": True, "empty": False, "bags": 1, "total": sum(counts), "class": counts, "bag": [sum(counts)],
            "bag_class": counts}


def model_text(depth):
    # built bottom-up so Python's own recursion stays shallow
    node = leaf([1.0, 0.0] if depth % 2 == 0 else [0.0, 1.0])
    for i in range(depth - 1, -1, -1):
        head = chain_head(i, depth)
        head["kids"][1] = node
        node = head
    return json.dumps({"format": "baiot-model", "version": 1, "kind": "j48",
                       "columns": [{"name": "x", "kind": "numeric"}],
                       "class": {"name": "class", "values": ["even", "odd"]}, "task": None,
                       "options": {"C": 0.25, "M": 2, "unpruned": True, "subtree_raising": False, "laplace": False,
                                   "binary": False},
                       "model": {"laplace": False, "weka36": False, "binary": False, "tree": node}})


def chain_head(i, depth):
    """Split node i of the chain (rows i .. depth, one per integer x); its
    right child is filled in by the caller."""
    counts = [0.0, 0.0]
    for r in range(i, depth + 1):
        counts[r % 2] += 1
    left = [0.0, 0.0]
    left[i % 2] = 1.0
    return {"leaf": False, "empty": False, "bags": 2, "total": float(depth - i + 1), "class": counts,
            "bag": [1.0, float(depth - i)], "bag_class": left + [counts[0] - left[0], counts[1] - left[1]],
            "attr": 0, "kind": 0, "point": i + 0.5, "kids": [leaf(left), None]}


def body(tmp):
    sys.setrecursionlimit(100000)  # json.dumps of the nested model
    depth = 1500
    model = os.path.join(tmp, 'deep.model')
    with open(model, 'w') as f:
        f.write(model_text(depth))
    arff = os.path.join(tmp, 'x.arff')
    with open(arff, 'w') as f:
        f.write('@relation chain\n@attribute x numeric\n@attribute class {even,odd}\n@data\n')
        for x in range(depth + 1):
            f.write('%d,%s\n' % (x, 'even' if x % 2 == 0 else 'odd'))
    out = os.path.join(tmp, 'pred.csv')
    T.ok('predict', model, arff, '-o', out)
    with open(out) as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    T.check(len(rows) == depth + 1, '%d predictions for %d rows' % (len(rows), depth + 1))
    col = header.index('predicted') if 'predicted' in header else 1
    wrong = [i for i, r in enumerate(rows) if r[col] != ('even' if i % 2 == 0 else 'odd')]
    T.check(not wrong, 'rows predicted wrongly along the chain: %r (header %r)' % (wrong[:5], header))

    too_deep = os.path.join(tmp, 'too-deep.model')
    with open(too_deep, 'w') as f:
        f.write(model_text(6000))
    r = T.bad('predict', too_deep, arff, '-o', os.path.join(tmp, 'p2.csv'))
    T.check('deep' in r.err or 'nested' in r.err or 'incomplete' in r.err or 'broken' in r.err,
            'the refusal of a too-deep tree says nothing useful:\n%r' % r)


if __name__ == '__main__':
    T.main('deep_model', body)
