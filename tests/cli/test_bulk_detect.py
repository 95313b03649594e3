#!/usr/bin/python3
"""test_bulk_detect.py - `baiot bulk STORE --detect` (N-BaIoT's per-device
detectors as one batch job) on a small simulated store of three devices:
- one report folder per device plus the pooled one, each the same as
  `baiot detect` on that device gives (detect.json apart from timings and
  the data path's folder, detector.model byte for byte);
- summary.json's figures are those of each detect.json; summary.md holds
  the per-device table and the paper's figures beside ours;
- the Gaussian mixture and the autoencoder (2 epochs);
- identical reports and summaries (apart from timings and the rank column)
  for --threads 1 and 2 (1, 2 and 3 MPI ranks: test_bulk_detect_mpi.py);
- the pooled detector splits each device's benign rows in thirds (its DStrn
  is the sum of the devices' DStrn);
- a device with too few benign rows is reported as failed, the others
  complete, exit 1;
- --task with --detect and --lr without it are usage errors (exit 2)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as gen  # noqa: E402

DEVICES = 'Danmini_Doorbell,Ecobee_Thermostat,Provision_PT_737E_Security_Camera'
NAMES = DEVICES.split(',')


def load(path, drop=('timings',)):
    with open(path) as f:
        d = json.load(f)
    for k in drop:
        d.pop(k, None)
    return d


def summary_without_times(path):
    d = load(path)
    for r in d['runs']:
        r.pop('seconds', None)
        r.pop('train_seconds', None)
        r.pop('rank', None)
    return d


def reports(folder):
    out = {}
    for name in sorted(os.listdir(folder)):
        p = os.path.join(folder, name)
        if os.path.isdir(p):
            out[name] = (load(os.path.join(p, 'detect.json')), T.sha256_file(os.path.join(p, 'detector.model')))
    return out


def same_folders(label, a, b):
    ra, rb = reports(a), reports(b)
    T.expect('%s: the same report folders' % label, sorted(ra) == sorted(rb), (sorted(ra), sorted(rb)))
    T.expect('%s: detect.json and detector.model identical in every folder' % label,
             all(ra[k] == rb.get(k) for k in ra), [k for k in ra if ra[k] != rb.get(k)])
    T.expect('%s: summary.json identical apart from times and ranks' % label,
             summary_without_times(os.path.join(a, 'summary.json')) ==
             summary_without_times(os.path.join(b, 'summary.json')))


def body(tmp):
    store = os.path.join(tmp, 's.h5')
    T.ok('synth', '-q', '-o', store, '--device', DEVICES, '--scale', '0.01')
    for method, extra in (('gmm', []), ('autoencoder', ['--epochs', '2'])):
        args = ['--detect', '--method', method, '--pooled'] + extra
        o1, o2 = os.path.join(tmp, method + '1'), os.path.join(tmp, method + '2')
        r = T.ok('bulk', store, '-o', o1, '--threads', '1', '-q', *args)
        T.expect('%s: the table names every device and the pool' % method,
                 all(n in r.out for n in NAMES + ['pooled']), r.out)
        T.ok('bulk', store, '-o', o2, '--threads', '2', '-q', *args)
        same_folders('%s, 1 and 2 threads' % method, o1, o2)
        T.expect('%s: a folder per device and the pool' % method,
                 sorted(reports(o1)) == sorted([n + '-detect' for n in NAMES] + ['pooled-detect']))
        # each device's folder is what `baiot detect` gives
        one = os.path.join(tmp, method + '-one')
        T.ok('detect', store, '--device', NAMES[0], '-o', one, '-q', *args[1:3], *extra)
        a = load(os.path.join(one, 'detect.json'))
        b = load(os.path.join(o1, NAMES[0] + '-detect', 'detect.json'))
        T.expect('%s: bulk\'s device report = baiot detect\'s' % method, a == b)
        T.expect('%s: bulk\'s device model = baiot detect\'s' % method,
                 T.sha256_file(os.path.join(one, 'detector.model')) ==
                 T.sha256_file(os.path.join(o1, NAMES[0] + '-detect', 'detector.model')))
        # summary figures = the reports' figures
        summ = load(os.path.join(o1, 'summary.json'))
        T.expect('%s: summary names the method, nothing failed' % method,
                 summ['method'] == method and summ['failed'] == 0, summ.get('failed'))
        good = True
        for run in summ['runs']:
            d = load(os.path.join(o1, run['report'], 'detect.json'))
            kinds = {k['name']: k for k in d['evaluation']['kinds']}
            ben = kinds['benign']
            good &= run['threshold'] == d['threshold'] and run['window'] == d['window']
            good &= run['benign_rows'] == d['split']['benign_rows'] and run['dstrn'] == d['split']['dstrn']
            good &= run['window_fpr'] == (ben['alarming_windows'] / ben['windows'] if ben['windows'] else None)
            gaf = [k for n, k in kinds.items() if n.startswith('gafgyt')]
            w = sum(k['windows'] for k in gaf)
            good &= run['bashlite']['kinds'] == len(gaf) and (
                run['bashlite']['window_tpr'] == (sum(k['alarming_windows'] for k in gaf) / w if w else None))
            if not good:
                print('summary vs report differ for', run['device'])
                break
        T.expect('%s: summary.json figures are the reports\' figures' % method, good)
        runs = {r['device']: r for r in summ['runs']}
        T.expect('%s: the pool\'s DStrn is the devices\' DStrns together' % method,
                 runs['pooled']['dstrn'] == sum(runs[n]['dstrn'] for n in NAMES),
                 [(n, runs[n]['dstrn']) for n in NAMES + ['pooled']])
        md = open(os.path.join(o1, 'summary.md')).read()
        T.expect('%s: summary.md has the paper\'s rows beside ours' % method,
                 '49548' in md and '13113' in md and '62154' in md and '| ws* (paper) |' in md)
        if method == 'autoencoder':
            T.expect('autoencoder: the paper\'s learning rate of each device',
                     runs['Danmini_Doorbell']['learning_rate'] == 0.012 and
                     runs['Ecobee_Thermostat']['learning_rate'] == 0.028 and
                     runs['Danmini_Doorbell']['epochs'] == 2, runs['Danmini_Doorbell'])

    # a device with too few benign rows fails alone
    folder = os.path.join(tmp, 'csv')
    os.makedirs(folder)
    gen.write_csv(os.path.join(folder, '1.benign.csv'), 20, 1)
    gen.write_csv(os.path.join(folder, '1.gafgyt.tcp.csv'), 60, 2)
    gen.write_csv(os.path.join(folder, '2.benign.csv'), 120, 3)
    gen.write_csv(os.path.join(folder, '2.gafgyt.tcp.csv'), 60, 4)
    mixed = os.path.join(tmp, 'mixed.h5')
    T.ok('ingest', '-q', folder, '-o', mixed)
    out = os.path.join(tmp, 'mixed-out')
    r = T.bad('bulk', mixed, '--detect', '-o', out)
    summ = load(os.path.join(out, 'summary.json'))
    runs = {x['device']: x for x in summ['runs']}
    T.expect('too few benign rows: that device failed with the message, exit 1',
             r.rc == 1 and not runs['Danmini_Doorbell']['ok'] and
             '20 benign rows' in runs['Danmini_Doorbell']['error'], (r.rc, runs['Danmini_Doorbell']))
    T.expect('too few benign rows: the other device completed', runs['Ecobee_Thermostat']['ok'])
    # usage errors
    r = T.bad('bulk', store, '--detect', '--task', '11class', '-o', os.path.join(tmp, 'never'))
    T.expect('--task with --detect: usage error', r.rc == 2 and '--task' in r.err, r.err)
    r = T.bad('bulk', store, '--lr', '0.01', '-o', os.path.join(tmp, 'never'))
    T.expect('--lr without --detect: usage error', r.rc == 2 and '--detect' in r.err, r.err)
    T.expect('nothing written by the refusals', not os.path.exists(os.path.join(tmp, 'never')))


if __name__ == '__main__':
    T.main('bulk_detect', body)
