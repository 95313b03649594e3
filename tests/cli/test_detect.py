#!/usr/bin/python3
"""test_detect.py - `baiot detect` (N-BaIoT's benign-only protocol) and the
detector model in `baiot predict`, end to end on a small simulated store:
- the report folder holds detect.json (valid against
  docs/schema/detect.schema.json), detect.md (with the paper's row of the
  device), the two figures (whole PNGs) and detector.model;
- the split sizes are exactly thirds of the device's benign rows (from
  `baiot info`), DStst = the benign third + every attack row; the auto
  warm-up (DStrn's oldest rows not learnt from) recomputed from the
  exported HH_jit_L0.01_mean column, --warmup none and a count honoured,
  a warm-up of all DStrn and a bad word refused;
- tr* recomputed from the JSON's DSopt scores (mean + population standard
  deviation) equals the reported one, bit for bit;
- predict with the model reproduces the DSopt scores of detect.json bit for
  bit, its per-attack flags give the JSON's per-row counts, and ws* is the
  smallest window with no false alarm on DSopt, rechecked from predict's
  per-row flags;
- detect.json (apart from "timings") and the model are identical for
  --threads 1, 2 and 4;
- bad input: too few benign rows, no benign rows, a store of several
  devices without --device, a detector applied to data with other columns,
  --batch 0: clear messages, non-zero exit, nothing written;
- all of the above for the Gaussian mixture and for the autoencoder (4
  epochs at the paper's learning rate of the device: its layers and
  training curve); on data of an unknown device the learning rate is the
  grid's best on DSopt and the epochs stop when the DSopt MSE stops
  falling, the best epoch kept."""
import csv
import json
import math
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as gen  # noqa: E402

try:
    import jsonschema
except ImportError:  # installed by scripts/install-deps
    jsonschema = None

DEVICE = 'Danmini_Doorbell'
opening = []  # benign rows opening a channel (benign_opening)


def check_png(path):
    with open(path, 'rb') as f:
        data = f.read()
    T.check(data[:8] == b'\x89PNG\r\n\x1a\n' and data[12:16] == b'IHDR', '%s: not a PNG' % path)
    w, h = struct.unpack('>II', data[16:24])
    T.check(w >= 200 and h >= 150, '%s: %dx%d is too small' % (path, w, h))
    T.check(data[-8:-4] == b'IEND', '%s: truncated' % path)


def threshold(scores):
    n = len(scores)
    s = 0.0
    for x in scores:
        s += x
    m = s / n
    q = 0.0
    for x in scores:
        q += (x - m) * (x - m)
    return m + math.sqrt(q / n)


def alarms(flags, ws):
    """Windows of ws consecutive flags with a strict majority set."""
    cnt, a = 0, 0
    for i, f in enumerate(flags):
        cnt += f
        if i >= ws:
            cnt -= flags[i - ws]
        if i >= ws - 1 and 2 * cnt > ws:
            a += 1
    return a


def expected_warmup(opening, third):
    """(rows, DStrn opening rows, DSopt opening rows) of the auto warm-up:
    the rule of docs/DETECTION.md replayed on the benign rows' flags."""
    trn, opt = opening[:third], opening[third:2 * third]
    c, o, w = sum(trn), sum(opt), 0
    while w < third // 2 and c * third > o * (third - w):
        c -= trn[w]
        w += 1
    return w, sum(trn), o


def benign_opening(tmp, store):
    """For each benign row in order: does it open a channel first seen in
    the last ~1,000 s (HH_jit_L0.01_mean over 1e6 s)?"""
    out = os.path.join(tmp, 'open.csv')
    T.ok('export', store, '--csv', '--task', '11class', '--columns', 'HH_jit_L0.01_mean', '-o', out, '-q')
    with open(out) as f:
        rows = list(csv.reader(f))[1:]
    return [float(v) > 1e6 for v, cls in rows if cls == 'benign']


def check_method(tmp, store, benign, attack_rows, total, name, extra):
    """The whole report of one method: files, schema, determinism across
    thread counts, the split, tr*, and predict reproducing scores, flags
    and ws*.  Returns detect.json (without timings) and the model path."""
    a, b = os.path.join(tmp, name + '-a'), os.path.join(tmp, name + '-b')
    r = T.ok('detect', store, '-o', a, '--threads', '1', '--json', *extra)
    summary = json.loads(r.out)
    T.expect(name + ': ' + '--json summary names the folder and device', summary['output'] == a and summary['device'] == DEVICE)
    T.ok('detect', store, '-o', b, '--threads', '2', '-q', *extra)
    c = os.path.join(tmp, name + '-c')
    T.ok('detect', store, '-o', c, '--threads', '4', '-q', *extra)
    for f in ('detect.json', 'detect.md', 'detector.model', 'detect-scores.png', 'detect-scores.svg',
              'detect-windows.png', 'detect-windows.svg'):
        T.check(os.path.isfile(os.path.join(a, f)), 'report folder lacks %s' % f)
    check_png(os.path.join(a, 'detect-scores.png'))
    check_png(os.path.join(a, 'detect-windows.png'))
    doc = json.load(open(os.path.join(a, 'detect.json')))
    if jsonschema is None:
        T.fail('python3-jsonschema is missing (scripts/install-deps installs it)')
    with open(os.path.join(T.SRC, 'docs', 'schema', 'detect.schema.json')) as f:
        jsonschema.validate(doc, json.load(f))
    T.expect(name + ': ' + 'detect.json matches its schema', True)

    # determinism
    doc2 = json.load(open(os.path.join(b, 'detect.json')))
    t1, t2 = doc.pop('timings'), doc2.pop('timings')
    T.expect(name + ': ' + 'detect.json identical for 1 and 2 threads (apart from timings)', doc == doc2)
    T.expect(name + ': ' + 'timings name the thread counts', t1['threads'] == 1 and t2['threads'] == 2, (t1, t2))
    doc4 = json.load(open(os.path.join(c, 'detect.json')))
    doc4.pop('timings')
    T.expect(name + ': ' + 'detect.json and detector.model identical for 1 and 4 threads',
             doc == doc4 and T.sha256_file(os.path.join(a, 'detector.model')) ==
             T.sha256_file(os.path.join(c, 'detector.model')))
    T.expect(name + ': ' + 'detector.model identical for 1 and 2 threads',
             T.sha256_file(os.path.join(a, 'detector.model')) == T.sha256_file(os.path.join(b, 'detector.model')))

    # the split
    sp = doc['split']
    third = benign // 3
    T.expect(name + ': ' + 'split: three equal thirds of the benign rows',
             sp['benign_rows'] == benign and sp['dstrn'] == sp['dsopt'] == sp['dstst_benign'] == third
             and sp['benign_rows_left_out'] == benign - 3 * third, (sp, benign))
    T.expect(name + ': ' + 'split: DStst = benign third + every attack row',
             sp['dstst_attack'] == total - benign and sp['dstst'] == third + total - benign, sp)
    T.expect(name + ': ' + 'split: DStrn then DSopt in time order',
             sp['dstrn_rows'] == [1, third] and sp['dsopt_rows'] == [third + 1, 2 * third], sp)
    # the warm-up, replayed from the rows (docs/DETECTION.md, "warm-up")
    want = expected_warmup(opening, third) if '--warmup' not in extra else None
    wu = sp['warmup']
    T.expect(name + ': ' + 'warm-up: the shortest prefix of DStrn after which it opens channels no more often '
             'than DSopt, at most half of DStrn (recomputed from HH_jit_L0.01_mean)',
             want is None or (wu['option'] == 'auto' and
                              (wu['rows'], wu['dstrn_opening_rows'], wu['dsopt_opening_rows']) == want and
                              wu['fit_rows'] == third - wu['rows']), (wu, want))
    kinds = {k['name']: k for k in doc['evaluation']['kinds']}
    T.expect(name + ': ' + 'evaluation: benign third and the ten attacks',
             kinds['benign']['rows'] == third and
             all(kinds[n]['rows'] == rows for n, rows in attack_rows.items()) and len(kinds) == 11,
             sorted(kinds))

    # tr*
    scores = doc['dsopt']['scores']
    T.expect(name + ': ' + 'DSopt scores: one per DSopt row', len(scores) == third)
    tr = threshold(scores)
    T.expect(name + ': ' + 'tr* = mean + sd of the DSopt scores (bit for bit)', tr == doc['threshold'], (tr, doc['threshold']))
    flags = [1 if s > tr else 0 for s in scores]
    T.expect(name + ': ' + 'DSopt flagged rows', sum(flags) == doc['dsopt']['flagged_rows'])

    # predict reproduces the scores, flags and ws*
    model = os.path.join(a, 'detector.model')
    pcsv = os.path.join(tmp, name + '-p.csv')
    T.ok('predict', model, store, '-o', pcsv, '-q')
    with open(pcsv) as f:
        rows = list(csv.DictReader(f))
    T.check(len(rows) == total, 'predict -o: %d rows, want %d' % (len(rows), total))
    opt_rows = rows[third:2 * third]
    T.expect(name + ': ' + 'predict reproduces the DSopt scores bit for bit',
             [float(x['score']) for x in opt_rows] == scores and all(x['actual'] == 'benign' for x in opt_rows))
    pflags = [int(x['flag']) for x in opt_rows]
    T.expect(name + ': ' + 'predict flags = score > tr*', pflags == flags)
    ws = doc['window']
    T.expect(name + ': ' + 'ws* is free of false alarms on DSopt (from predict flags)',
             doc['window_qualified'] and alarms(pflags, ws) == 0, ws)
    T.expect(name + ': ' + 'ws* is the smallest such window', all(alarms(pflags, w) > 0 for w in range(1, ws)), ws)
    for name, k in kinds.items():
        if k['benign']:
            continue
        got = [int(x['flag']) for x in rows if x['actual'] == name]
        T.expect(name + ': ' + '%s: per-row count from predict flags' % name, sum(got) == k['flagged_rows'],
                 (sum(got), k['flagged_rows']))
        T.expect(name + ': ' + '%s: per-window count from predict flags' % name, alarms(got, ws) == k['alarming_windows'],
                 (alarms(got, ws), k['alarming_windows']))
    # the window decision column: majority of the ws rows ending there
    allf = [int(x['flag']) for x in rows]
    wcol = [x['window_alarm'] for x in rows]
    T.expect(name + ': ' + 'predict: no window decision before ws rows', all(w == '' for w in wcol[:ws - 1]))
    T.expect(name + ': ' + 'predict: window decisions', sum(int(w) for w in wcol[ws - 1:]) == alarms(allf, ws))
    pj = json.loads(T.ok('predict', model, store, '--json').out)
    T.expect(name + ': ' + 'predict --json: the detector\'s tr* and ws*', pj['kind'] == 'detector' and pj['threshold'] == doc['threshold']
             and pj['window'] == ws and pj['rows'] == total, pj)

    md = open(os.path.join(a, 'detect.md')).read()
    T.expect(name + ': ' + 'detect.md quotes the paper\'s row of the device', '49548' in md and '| ws* | 82 |' in md)

    return doc, model


def body(tmp):
    store = os.path.join(tmp, 's.h5')
    T.ok('synth', '-q', '-o', store, '--device', DEVICE, '--scale', '0.02')
    inf = T.info(store)
    benign = inf['table'][(DEVICE, 'benign', 'benign')]
    attack_rows = {('gafgyt_' if fam == 'gafgyt' else 'mirai_') + att: n
                   for (dev, fam, att), n in inf['table'].items() if fam != 'benign' and att != 'all'}
    total = inf['rows']
    global opening
    opening = benign_opening(tmp, store)
    T.expect('the small store has a warm-up to find (rows opening channels in DStrn)',
             sum(opening[:benign // 3]) > 0, sum(opening))

    doc, model = check_method(tmp, store, benign, attack_rows, total, 'gmm', [])
    T.expect('gmm: the method is named', doc['method']['name'] == 'gmm')
    for opt, rows in (('none', 0), ('7', 7)):
        d = os.path.join(tmp, 'warm-' + opt)
        T.ok('detect', store, '--warmup', opt, '-o', d, '-q')
        wu = json.load(open(os.path.join(d, 'detect.json')))['split']['warmup']
        T.expect('--warmup %s: DStrn\'s %d oldest rows left out of the fit, the rest learnt from' % (opt, rows),
                 wu['option'] == rows and wu['rows'] == rows and wu['fit_rows'] == benign // 3 - rows
                 and wu['dstrn_opening_rows'] is None, wu)
    ae, ae_model = check_method(tmp, store, benign, attack_rows, total, 'ae',
                                ['--method', 'autoencoder', '--epochs', '4'])
    broken = json.load(open(ae_model))
    broken['model']['scorer']['weights'] = broken['model']['scorer']['weights'][:-1]
    bpath = os.path.join(tmp, 'broken-ae.model')
    with open(bpath, 'w') as f:
        json.dump(broken, f)
    r = T.bad('predict', bpath, store, '-o', os.path.join(tmp, 'never.csv'))
    T.expect('an autoencoder with a weight missing is refused naming scorer.weights',
             r.rc != 0 and 'scorer.weights' in r.err and not os.path.exists(os.path.join(tmp, 'never.csv')), r.err)
    m = ae['method']
    T.expect('autoencoder: N-BaIoT\'s layers for 115 columns',
             m['name'] == 'autoencoder' and m['layers'] == [115, 87, 58, 38, 29, 38, 58, 87, 115], m.get('layers'))
    T.expect('autoencoder: the paper\'s learning rate of the device, the given epochs',
             m['learning_rate'] == 0.012 and m['learning_rate_source'].startswith('published') and m['epochs'] == 4
             and m['epochs_source'] == 'given', m)
    cur = m['training_curve']
    T.expect('autoencoder: a training curve of 4 epochs for DStrn and DSopt',
             len(cur['dstrn_mse']) == 4 and len(cur['dsopt_mse']) == 4 and all(x > 0 for x in cur['dsopt_mse']), cur)
    check_png(os.path.join(tmp, 'ae-a', 'detect-training.png'))
    # an unknown device: learning rate and epochs chosen on DSopt
    arff = os.path.join(tmp, 'unknown.arff')
    T.ok('export', store, '--arff', '--task', '11class', '-o', arff, '-q')
    u = os.path.join(tmp, 'unknown')
    T.ok('detect', arff, '--method', 'autoencoder', '-o', u, '-q')
    um = json.load(open(os.path.join(u, 'detect.json')))['method']
    tried = [t['learning_rate'] for t in um['learning_rates_tried']]
    mses = [t['dsopt_mse_after_10_epochs'] for t in um['learning_rates_tried']]
    T.expect('unknown device: the learning rate with the lowest DSopt MSE of the grid',
             tried == [0.001, 0.003, 0.01, 0.03] and um['learning_rate'] == tried[mses.index(min(mses))]
             and um['learning_rate_source'] == 'chosen on DSopt', um['learning_rates_tried'])
    opt = um['training_curve']['dsopt_mse']
    best, run_best, since, stop = None, math.inf, 0, None
    for e, x in enumerate(opt):  # the rule of docs/DETECTION.md, replayed
        since = 0 if x < run_best * (1 - 1e-3) else since + 1
        if x < run_best:
            run_best, best = x, e + 1
        if since >= 10:
            stop = e + 1
            break
    T.expect('unknown device: epochs until the DSopt MSE stopped falling, the best epoch kept',
             um['epochs_source'].startswith('until') and um['epochs'] == best and
             um['epochs_run'] == len(opt) and stop in (len(opt), None) and (stop or len(opt) == 1000),
             (um['epochs'], best, len(opt), stop))

    # bad input: nothing written
    nb = os.path.join(tmp, 'nb')
    os.makedirs(nb)
    gen.write_csv(os.path.join(nb, '1.benign.csv'), 20, 1)
    gen.write_csv(os.path.join(nb, '1.gafgyt.tcp.csv'), 60, 2)
    few = os.path.join(tmp, 'few.h5')
    T.ok('ingest', '-q', nb, '-o', few)
    out = os.path.join(tmp, 'never')
    r = T.bad('detect', few, '-o', out)
    T.expect('too few benign rows: clear message', r.rc == 1 and '20 benign rows' in r.err and 'at least 30' in r.err,
             r.err)
    T.expect('too few benign rows: nothing written', not os.path.exists(out))
    os.remove(os.path.join(nb, '1.benign.csv'))
    nob = os.path.join(tmp, 'nob.h5')
    T.ok('ingest', '-q', nb, '-o', nob)
    r = T.bad('detect', nob, '-o', out)
    T.expect('no benign rows: clear message', r.rc == 1 and 'no benign rows' in r.err, r.err)
    T.expect('no benign rows: nothing written', not os.path.exists(out))
    two = os.path.join(tmp, 'two.h5')
    T.ok('synth', '-q', '-o', two, '--device', '1,2', '--scale', '0.005')
    r = T.bad('detect', two, '-o', out)
    T.expect('several devices without --device: clear message', r.rc == 2 and '--device' in r.err, r.err)
    r = T.bad('detect', store, '--method', 'autoencoder', '--batch', '0', '-o', out)
    T.expect('--batch 0: usage error naming it', r.rc == 2 and '--batch' in r.err, r.err)
    r = T.bad('detect', store, '--warmup', str(benign // 3), '-o', out)
    T.expect('a warm-up of all DStrn: refused naming --warmup\'s rows', r.rc != 0 and 'warm-up' in r.err, r.err)
    r = T.bad('detect', store, '--warmup', 'some', '-o', out)
    T.expect('--warmup some: usage error naming it', r.rc == 2 and '--warmup' in r.err, r.err)
    r = T.bad('detect', store, '--lr', '0.01', '-o', out)
    T.expect('--lr without the autoencoder: usage error', r.rc == 2 and 'autoencoder' in r.err, r.err)
    T.expect('nothing written by the refusals', not os.path.exists(out))
    iris = os.path.join(T.SRC, 'tests/data/weka/iris.arff')
    pout = os.path.join(tmp, 'p2.csv')
    r = T.bad('predict', model, iris, '-o', pout)
    T.expect('a detector on other columns: message names a column', 'MI_dir_L5_weight' in r.err, r.err)
    T.expect('a detector on other columns: nothing written', not os.path.exists(pout))
    # a broken detector file is refused naming the field
    broken = json.load(open(model))
    broken['model']['window'] = 0
    bpath = os.path.join(tmp, 'broken.model')
    with open(bpath, 'w') as f:
        json.dump(broken, f)
    r = T.bad('predict', bpath, store, '-o', pout)
    T.expect('a detector with window 0 is refused naming model.window', 'model.window' in r.err, r.err)
    broken = json.load(open(model))
    broken['model']['scaling']['sd'] = broken['model']['scaling']['sd'][:-1]
    with open(bpath, 'w') as f:
        json.dump(broken, f)
    r = T.bad('predict', bpath, store, '-o', pout)
    T.expect('a detector whose scaling has too few columns is refused', 'model.scaling' in r.err, r.err)
    T.expect('nothing written by the refused predicts', not os.path.exists(pout))


if __name__ == '__main__':
    T.main('detect', body)
