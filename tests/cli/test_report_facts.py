#!/usr/bin/python3
"""test_report_facts.py - what a study report says about its data
(engine/study/study_facts.c, study_report.c, study_markdown.c, bulk.c):
 - a store of simulated rows with real sources appended: report.json
   counts simulated_rows and real_rows (they add up to the rows) and
   report.md says the mix with the counts (it used to say only
   "simulated": false);
 - a class without rows (Ennio_Doorbell has no Mirai traffic): its ROC
   area is "-" in report.md, null in report.json (it was "-nan");
 - the study's published figures appear only in its setting: on N-BaIoT
   data with 3 classes, top 10, 10 folds; not for an ARFF file nor for
   another task (every ARFF used to be compared with "study: 99.95%");
 - bulk's summary.md links resolve from summary.md's own folder to an
   existing report.md (they were relative to the starting folder).
Each case failed before (docs/RELIABILITY.md)."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

IRIS = os.path.join(T.SRC, 'tests', 'data', 'weka', 'iris.arff')


def report(d):
    return json.load(open(os.path.join(d, 'report.json'))), open(os.path.join(d, 'report.md')).read()


def body(tmp):
    j = lambda *p: os.path.join(tmp, *p)  # noqa: E731
    T.ok('synth', '-q', '--devices', 'Ennio_Doorbell', '--scale', '0.01', '-o', j('s.h5'))
    sim_rows = T.info(j('s.h5'))['rows']
    T.ok('synth', '-q', '--devices', 'Ennio_Doorbell', '--scale', '0.005', '--seed', '7', '-o', j('o.h5'))
    os.mkdir(j('Ennio_Doorbell'))
    T.ok('export', j('o.h5'), '--csv', '--no-class', '-o', j('Ennio_Doorbell', 'benign_traffic.csv'))
    T.ok('ingest', '-q', '--append', j('Ennio_Doorbell', 'benign_traffic.csv'), '-o', j('s.h5'))
    rows = T.info(j('s.h5'))['rows']
    T.check(rows > sim_rows, 'the append added no rows')

    r = T.ok('run', '-q', j('s.h5'), '-o', j('mixed'))
    rep, md = report(j('mixed'))
    d = rep['data']
    T.expect('report.json version 2', rep['version'] == 2, str(rep['version']))
    T.expect('mixed data is not "simulated"', d['simulated'] is False)
    T.expect('simulated_rows counts the simulator\'s rows', d.get('simulated_rows') == sim_rows, str(d))
    T.expect('real_rows counts the appended rows', d.get('real_rows') == rows - sim_rows, str(d))
    T.expect('the counts add up to the rows', d.get('simulated_rows', -1) + d.get('real_rows', -1) == d['rows'], str(d))
    T.expect('report.md says the mix with the counts',
             'mixes simulated and real rows' in md and ('%d of %d rows' % (sim_rows, rows)) in md, md[:800])

    # a class without rows: "-", not -nan
    T.expect('report.md has no nan', not re.search(r'\bnan\b', md, re.I), md)
    T.expect('report.md says - for the empty class\'s ROC area', re.search(r'^\| mirai \|.*\| - \|$', md, re.M),
             md)
    T.expect('report.json: its ROC area is null', rep['j48']['roc_area']['mirai'] is None, str(rep['j48']['roc_area']))
    T.expect('the study\'s setting: compared', rep['published'].get('applies') is True and '99.95' in md and
             'study: 99.95%' in r.out, r.out)

    # not the study's setting: an ARFF file, another task
    r = T.ok('run', '-q', IRIS, '-o', j('iris'))
    rep, md = report(j('iris'))
    T.expect('ARFF: not compared with the study', rep['published'].get('applies') is False and '99.95' not in md and
             '76.73' not in md and 'study:' not in r.out, md + r.out)
    T.expect('ARFF: report.md says why', 'not in its setting' in md, md)
    T.ok('synth', '-q', '--devices', 'Ennio_Doorbell', '--scale', '0.01', '-o', j('only.h5'))
    r = T.ok('run', '-q', j('only.h5'), '--task', 'binary', '-o', j('binary'))
    rep, md = report(j('binary'))
    T.expect('binary task: not compared', rep['published'].get('applies') is False and '99.95' not in md, md)
    T.expect('simulated store: simulated, no real rows', rep['data']['simulated'] is True and
             rep['data'].get('real_rows') == 0 and rep['data'].get('simulated_rows') == rep['data']['rows'],
             str(rep['data']))

    # bulk: summary.md's links resolve from its own folder (started elsewhere)
    os.mkdir(j('elsewhere'))
    T.ok('bulk', '-q', j('only.h5'), '--pooled', '-o', os.path.join('..', 'out', 'bulk'), cwd=j('elsewhere'))
    summary = j('out', 'bulk', 'summary.md')
    text = open(summary).read()
    links = re.findall(r'\]\(([^)]+)\)', text)
    T.expect('summary.md links every report (a device and pooled)', len(links) == 2, text)
    for link in links:
        T.expect('link %s resolves to a report.md' % link,
                 os.path.isfile(os.path.join(os.path.dirname(summary), link)) and link.endswith('report.md'), text)
    T.expect('bulk in the study\'s setting quotes its figures', '99.95' in text)


T.main('report_facts', body)
