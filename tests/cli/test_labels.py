#!/usr/bin/python3
"""test_labels.py - data without class labels is refused by every
supervised command, and said so (engine/data/view_labels.c).  An N-BaIoT
CSV whose name tells no label (the file as downloaded, renamed data.csv,
and not ingested with --device/--family/--attack) used to run to "J48
accuracy -nan%" and "100.00% correctly clustered", exit 0; `info` showed
class counts 0/0/0.  Now rank, oner, j48, run, folds, em
--classes-to-clusters and an export that writes a class exit 2 with a
message naming the file and saying how to label it; `info` says "no
label"; em (without classes-to-clusters), `export --csv --no-class` and
predict work on it; the same file under a labelled name, and an ARFF whose
class attribute is all '?', are checked too (docs/RELIABILITY.md)."""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

IRIS = os.path.join(T.SRC, 'tests', 'data', 'weka', 'iris.arff')


def refused(name, r, path):
    T.expect('%s: exit 2' % name, r.rc == 2, repr(r))
    T.expect('%s: the message names the file and says it has no labels' % name,
             ("'%s' has no class labels" % path) in r.err, r.err)
    return r


def body(tmp):
    j = lambda *p: os.path.join(tmp, *p)  # noqa: E731
    T.ok('synth', '-q', '--devices', 'Ecobee_Thermostat', '--scale', '0.01', '-o', j('s.h5'))
    T.ok('export', j('s.h5'), '--csv', '--no-class', '-o', j('data.csv'))  # the N-BaIoT layout, no label in the name
    data = j('data.csv')
    for args in (['rank', data], ['oner', data], ['j48', data], ['run', data, '-q', '-o', j('rep')],
                 ['folds', data, '-o', j('f.csv')], ['em', data, '--classes-to-clusters'],
                 ['export', data, '--arff', '-o', j('x.arff')], ['export', data, '--csv', '-o', j('x.csv')]):
        r = refused(' '.join(a if a != data else 'data.csv' for a in args[:2]), T.run(*args), data)
        T.expect('%s: the message says how to label it' % args[0],
                 '--device D --family F --attack A' in r.err and 'N-BaIoT' in r.err, r.err)
    for out in ('rep', 'f.csv', 'x.arff', 'x.csv'):
        T.expect('no output %s from refused data' % out, not os.path.exists(j(out)))
    r = T.ok('info', data)
    T.expect('info says "no label"', 'no label' in r.out and 'class counts' not in r.out, r.out)
    doc = json.loads(T.ok('info', data, '--json').out)
    T.expect('info --json says no label', doc['labelled'] is False and doc['class'] is None and
             doc['class_counts'] == [], doc)
    r = T.ok('em', data, '--clusters', '2')
    T.expect('em clusters unlabelled data', 'Clustered Instances' in r.out and 'correctly' not in r.out.lower(), r.out)
    T.ok('export', data, '--csv', '--no-class', '-o', j('plain.csv'))
    T.ok('j48', j('s.h5'), '--no-cv', '--save', j('m.model'))
    r = T.ok('predict', j('m.model'), data)
    T.expect('predict on unlabelled data predicts without evaluating', 'no classes to evaluate' in r.out, r.out)

    # the same rows under the N-BaIoT name are labelled: the refusal is about labels, not the rows
    os.mkdir(j('Ecobee_Thermostat'))
    shutil.copy(data, j('Ecobee_Thermostat', 'benign_traffic.csv'))
    r = T.ok('info', j('Ecobee_Thermostat', 'benign_traffic.csv'))
    T.expect('a labelled name shows class counts', 'class counts' in r.out and 'no label' not in r.out, r.out)
    T.ok('oner', j('Ecobee_Thermostat', 'benign_traffic.csv'))
    T.ok('ingest', '-q', data, '-o', j('l.h5'), '--device', 'Ecobee_Thermostat', '--family', 'benign',
         '--attack', 'benign')
    T.ok('oner', j('l.h5'))

    # an ARFF whose class attribute holds only '?'
    lines = open(IRIS).read().splitlines()
    out = []
    for line in lines:
        s = line.strip()
        if s and not s.startswith(('@', '%')):
            line = line.rsplit(',', 1)[0] + ',?'
        out.append(line)
    open(j('nolabel.arff'), 'w').write('\n'.join(out) + '\n')
    arff = j('nolabel.arff')
    for args in (['j48', arff], ['rank', arff], ['run', arff, '-q', '-o', j('rep2')]):
        r = refused('ARFF ' + args[0], T.run(*args), arff)
        T.expect('ARFF %s: the message says how to label it' % args[0], '--class' in r.err, r.err)
    r = T.ok('info', arff)
    T.expect('info on the ARFF says "no label"', 'no label' in r.out, r.out)
    T.ok('em', arff, '--clusters', '3')


T.main('labels', body)
