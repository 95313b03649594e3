#!/usr/bin/python3
"""test_model_validation.py - models are validated on load
(engine/models/model_file.c, j48_json.c, em_model_file.c, oner_model.c;
docs/MODEL_FORMAT.md "Validation"): hand-edited model files with a number
out of its range (EM standard deviation 0 or -1, priors not summing to 1,
a negative or non-finite mean; J48 negative weight, missing (NaN)
threshold, a split with the wrong number of branches; OneR missing
breakpoint) or a task that does not match the class count are refused by
`baiot predict` with exit 1 and a message naming the file and the field;
the unedited models still load and predict.  Each refused case was
accepted before (docs/RELIABILITY.md)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

IRIS = os.path.join(T.SRC, 'tests', 'data', 'weka', 'iris.arff')


def body(tmp):
    j = lambda *p: os.path.join(tmp, *p)  # noqa: E731
    T.ok('em', IRIS, '--clusters', '3', '--save', j('em.model'))
    T.ok('j48', IRIS, '--save', j('j48.model'))
    T.ok('oner', IRIS, '--save', j('oner.model'))
    T.ok('synth', '-q', '--devices', '1', '--scale', '0.005', '-o', j('s.h5'))
    T.ok('j48', j('s.h5'), '--columns', '1,2,3', '--folds', '2', '--save', j('store.model'))
    for name, data in (('em', IRIS), ('j48', IRIS), ('oner', IRIS), ('store', j('s.h5'))):
        T.ok('predict', j(name + '.model'), data)  # the unedited models load

    def edited(src, tag, change):
        doc = json.load(open(j(src + '.model')))
        change(doc)
        path = j('%s-%s.model' % (src, tag))
        with open(path, 'w') as f:
            json.dump(doc, f)
        return path

    def em_set(field, i, value):
        def change(doc):
            doc['model'][field][i] = value
        return change

    def prior_scaled(doc):
        doc['model']['prior'] = [p * 1.5 for p in doc['model']['prior']]

    def j48_root(field, fn):
        def change(doc):
            t = doc['model']['tree']
            T.check(not t['leaf'], 'the iris tree should split at its root')
            fn(t, field)
        return change

    def neg_class(t, field):
        t['class'][0] = -1.0

    def null_point(t, field):
        t['point'] = None  # how a NaN is written

    def three_bags(t, field):
        t['bags'] = 3
        t['bag'].append(0.0)
        t['bag_class'] += [0.0] * len(t['class'])
        t['kids'].append(t['kids'][0])

    def oner_null_break(doc):
        doc['model']['breaks'][0] = None

    def task(value):
        def change(doc):
            doc['task'] = value
        return change

    cases = [
        ('em', 'sd0', em_set('sd', 1, 0.0), "'sd'", IRIS),
        ('em', 'sd-1', em_set('sd', 0, -1.0), "'sd'", IRIS),
        ('em', 'mean-null', em_set('mean', 2, None), "'mean'", IRIS),
        ('em', 'prior-neg', em_set('prior', 0, -0.5), "'prior'", IRIS),
        ('em', 'prior-sum', prior_scaled, "'prior'", IRIS),
        ('j48', 'neg-weight', j48_root('class', neg_class), "'class'", IRIS),
        ('j48', 'nan-threshold', j48_root('point', null_point), "'point'", IRIS),
        ('j48', 'three-bags', j48_root('bags', three_bags), "'bags'", IRIS),
        ('oner', 'null-break', oner_null_break, "'breaks'", IRIS),
        ('store', 'task-binary', task('binary'), "'task'", j('s.h5')),
        ('store', 'task-11class', task('11class'), "'task'", j('s.h5')),
        ('store', 'task-unknown', task('5class'), "'task'", j('s.h5')),
    ]
    for src, tag, change, field, data in cases:
        path = edited(src, tag, change)
        r = T.run('predict', path, data)
        T.expect('%s model with %s refused naming file and field %s' % (src, tag, field),
                 r.rc == 1 and ("'%s'" % path) in r.err and field in r.err and 'baiot_' not in r.err, repr(r))
    # a task that matches the classes still loads
    r = T.run('predict', edited('store', 'task-3class', task('3class')), j('s.h5'))
    T.expect('the matching task is accepted', r.rc == 0, repr(r))


T.main('model-validation', body)
