#!/usr/bin/python3
"""test_study.py - `baiot run`, `baiot bulk` and `baiot demo`.

On a small simulated camera (scale 0.02) and on Weka's iris ARFF:
 - report.json validates against docs/schema/report.schema.json;
 - its numbers equal those of the separate commands on the same data:
   `baiot rank` (the whole ranking), `baiot j48 --columns <top 10> --json`
   (tree size and the whole evaluation), `baiot em --columns <top 10>
   --clusters <classes> --classes-to-clusters --json` (the whole block);
 - report.md carries the kept columns, both accuracies next to the study's
   99.95 % and 76.73 % in the study's setting (not for the ARFF file), and
   says that the data was simulated;
 - every plot listed exists and is a valid PNG (signature, IHDR, IEND) or
   SVG (XML with an <svg> root);
 - report.html (and bulk's summary.html) is a whole page with every figure
   of the Markdown inline as SVG, no external resource, and relative links
   to existing pages (summary.html -> <device>-3class/report.html);
 - the two models load with `baiot predict` and predict the rows;
 - the report is identical (apart from timings and the creation time) for
   OMP_NUM_THREADS = 1, 2 and 4;
 - bulk with one device that has no rows: that device is reported failed,
   the other completes, exit code 1, summary.json validates;
 - bad input (missing file, --top 0) fails with a message and no report;
 - `baiot demo --scale 0.05` writes its report and prints its path.
"""
import json
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

try:
    import jsonschema
except ImportError:  # installed by scripts/install-deps
    jsonschema = None

CAMERA = 'Provision_PT_737E_Security_Camera'


def load_schema(name):
    with open(os.path.join(T.SRC, 'docs', 'schema', name)) as f:
        return json.load(f)


def validate(doc, schema_name, what):
    T.check(jsonschema is not None, 'python3-jsonschema is missing (scripts/install-deps installs it)')
    try:
        jsonschema.validate(doc, load_schema(schema_name))
    except jsonschema.ValidationError as e:
        T.fail('%s does not match %s: %s at %s' % (what, schema_name, e.message, list(e.absolute_path)))


def check_png(path):
    with open(path, 'rb') as f:
        data = f.read()
    T.check(data[:8] == b'\x89PNG\r\n\x1a\n', '%s: not a PNG signature' % path)
    T.check(data[12:16] == b'IHDR', '%s: no IHDR chunk first' % path)
    w, h = struct.unpack('>II', data[16:24])
    T.check(w >= 200 and h >= 150, '%s: %dx%d is too small to read' % (path, w, h))
    T.check(data[-8:-4] == b'IEND', '%s: truncated (no IEND chunk at the end)' % path)


def check_svg(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        T.fail('%s: not well-formed XML: %s' % (path, e))
    T.check(root.tag.endswith('svg'), '%s: root element is %s, not svg' % (path, root.tag))


def own_stderr(err):
    """stderr without LeakSanitizer's list of suppressions (sanitizer builds)."""
    lines = err.splitlines()
    if 'Suppressions used:' in lines:
        i = lines.index('Suppressions used:')
        lines = lines[:max(0, i - 1)]
    return '\n'.join(line for line in lines if line.strip() and set(line) != {'-'})


def strip_times(doc):
    d = json.loads(json.dumps(doc))
    d.pop('created', None)
    d.pop('timings', None)
    return d


def check_report_dir(out, separate, simulated):
    with open(os.path.join(out, 'report.json')) as f:
        rep = json.load(f)
    validate(rep, 'report.schema.json', os.path.join(out, 'report.json'))
    rank, j48, em = separate
    T.check([(r['name'], r['merit'], r['correct']) for r in rep['ranking']] ==
            [(r['name'], r['merit'], r['correct']) for r in rank['ranking']],
            'the report ranking differs from baiot rank')
    top = [r['name'] for r in rank['ranking'][:rep['options']['top']]]
    T.check(rep['selected_columns'] == top, 'selected columns %r are not the top of the ranking %r' %
            (rep['selected_columns'], top))
    T.check(rep['j48']['evaluation'] == j48['evaluation'], 'J48 evaluation differs from baiot j48 --json')
    T.check((rep['j48']['leaves'], rep['j48']['size']) == (j48['leaves'], j48['size']),
            'J48 tree size differs from baiot j48')
    T.check(rep['j48']['accuracy'] == j48['evaluation']['summary']['pct_correct'], 'J48 accuracy field')
    T.check(rep['em']['model'] == em, 'EM block differs from baiot em --json')
    c2c = em['classes_to_clusters']
    T.check(abs(rep['em']['accuracy'] - 100.0 * c2c['accuracy']) < 1e-9, 'EM accuracy field')
    T.check(rep['data']['simulated'] == simulated, 'data.simulated should be %s' % simulated)
    for p in rep['files']['plots']:
        path = os.path.join(out, p)
        T.check(os.path.isfile(path), 'plot %s listed but missing' % p)
        (check_png if p.endswith('.png') else check_svg)(path)
    with open(os.path.join(out, 'report.md')) as f:
        md = f.read()
    for name in rep['selected_columns']:
        T.check('| %s |' % name in md, 'report.md lacks the kept column %s' % name)
    # the study's figures only in its setting (docs/REPORT.md): N-BaIoT data, 3class, top 10, 10 folds
    setting = (rep['data']['kind'] != 'arff' and rep['data']['task'] == '3class' and rep['options']['top'] == 10 and
               rep['options']['folds'] == 10)
    T.check(rep['published']['applies'] == setting, 'published.applies should be %s' % setting)
    T.check('%.4f %%' % rep['j48']['accuracy'] in md and ('99.95 %' in md) == setting,
            'report.md: J48 accuracy, next to the study\'s only in its setting')
    T.check('%.2f %%' % rep['em']['accuracy'] in md and ('76.73 %' in md) == setting,
            'report.md: EM accuracy, next to the study\'s only in its setting')
    T.check(('simulated traffic' in md) == simulated, 'report.md must say whether the data was simulated')
    check_html(out, 'report', md)
    leftovers = [n for n in os.listdir(out) if '.tmp-' in n]
    T.check(not leftovers, 'temporary files left: %r' % leftovers)
    return rep


def check_html(folder, name, md):
    """NAME.html beside NAME.md: one page, each figure an inline <svg>, no
    external resource, relative links to existing .html pages (rendered
    in Chromium by test_report_html.py)."""
    path = os.path.join(folder, name + '.html')
    T.check(os.path.isfile(path), '%s: no %s.html beside %s.md' % (folder, name, name))
    with open(path, encoding='utf-8') as f:
        page = f.read()
    T.check(page.startswith('<!DOCTYPE html>') and page.rstrip().endswith('</html>'), '%s: not a whole page' % path)
    images = re.findall(r'!\[[^\]]*\]\(([^)]+)\)', md)
    T.check(page.count('<svg') == len(images) and page.count('</svg>') == len(images),
            '%s: %d inline figures for %d images of the Markdown' % (path, page.count('<svg'), len(images)))
    T.check('<img' not in page and 'src=' not in page and '<?xml' not in page, '%s: not self-contained' % path)
    for href in re.findall(r'<a href="([^"]*)"', page):
        T.check('://' not in href and not href.startswith('/') and href.endswith('.html'),
                '%s: link %s is not a relative link to a page' % (path, href))
        T.check(os.path.isfile(os.path.join(folder, href)), '%s: link %s does not resolve' % (path, href))


def separate_commands(tmp, data, extra, top=10):
    rank = json.loads(T.ok('rank', data, '--json', *extra).out)
    sel = os.path.join(tmp, 'sel.txt')
    T.ok('rank', data, '--top', top, '-o', sel, '--force', *extra)
    j48 = json.loads(T.ok('j48', data, '--columns', '@' + sel, '--json', *extra).out)
    tree = json.loads(T.ok('j48', data, '--columns', '@' + sel, '--json', '--no-cv', *extra).out)
    T.check((tree['leaves'], tree['size']) == (j48['leaves'], j48['size']), 'j48 --no-cv grows another tree')
    k = len(j48['evaluation']['class_names'])
    em = json.loads(T.ok('em', data, '--columns', '@' + sel, '--clusters', k, '--classes-to-clusters', '--json',
                         *extra).out)
    return rank, j48, em


def body(tmp):
    store = os.path.join(tmp, 'cam.h5')
    T.ok('synth', '--devices', CAMERA, '--scale', '0.02', '-o', store)

    # run on a store, same numbers as the separate commands, any thread count
    sep = separate_commands(tmp, store, [])
    reports = []
    for threads in ('1', '2', '4'):
        out = os.path.join(tmp, 'run-%s' % threads)
        r = T.ok_env({'OMP_NUM_THREADS': threads}, 'run', store, '-o', out)
        T.check('report: %s/report.md' % out in r.out, 'run does not print the report path:\n%r' % r)
        T.check(own_stderr(r.err) == '', 'progress or messages on a non-terminal stderr:\n%r' % r)
        reports.append(check_report_dir(out, sep, True))
    for r in reports[1:]:
        T.check(strip_times(r) == strip_times(reports[0]), 'report.json differs between thread counts')

    # the models load and predict every row
    out = os.path.join(tmp, 'run-1')
    for model in ('j48.model', 'em.model'):
        pred = os.path.join(tmp, model + '.csv')
        T.ok('predict', os.path.join(out, model), store, '-o', pred)
        with open(pred) as f:
            T.check(sum(1 for _ in f) == reports[0]['data']['rows'] + 1, '%s: not one line per row' % model)

    # an ARFF file (Weka's iris: 4 columns, so all are kept)
    iris = os.path.join(T.SRC, 'tests', 'data', 'weka', 'iris.arff')
    out = os.path.join(tmp, 'iris')
    T.ok('run', iris, '-o', out)
    rep = check_report_dir(out, separate_commands(tmp, iris, [], top=10), False)
    T.check(rep['data']['kind'] == 'arff' and rep['data']['rows'] == 150, 'iris report data block')
    T.check(len(rep['selected_columns']) == 4, 'iris: all four columns are kept when --top exceeds them')
    T.check(rep['data']['sources'][0]['sha256'] == T.sha256_file(iris), 'iris: provenance digest')

    # bulk: the camera runs, a device without rows fails, exit code 1
    bulk = os.path.join(tmp, 'bulk')
    r = T.run('bulk', store, '--devices', CAMERA + ',Danmini_Doorbell', '-o', bulk)
    T.check(r.rc == 1, 'bulk with a failing device should exit 1:\n%r' % r)
    T.check('Danmini_Doorbell' in r.out and 'FAILED' in r.out, 'bulk does not report the failure:\n%r' % r)
    with open(os.path.join(bulk, 'summary.json')) as f:
        summ = json.load(f)
    validate(summ, 'summary.schema.json', 'summary.json')
    runs = {x['device']: x for x in summ['runs']}
    T.check(summ['failed'] == 1 and runs[CAMERA]['ok'] and not runs['Danmini_Doorbell']['ok'],
            'summary.json: %r' % summ)
    T.check('no rows' in runs['Danmini_Doorbell']['error'] or 'rows' in runs['Danmini_Doorbell']['error'],
            'the failure message does not say why: %r' % runs['Danmini_Doorbell']['error'])
    cam = json.load(open(os.path.join(bulk, CAMERA + '-3class', 'report.json')))
    T.check(strip_times(cam)['j48'] == reports[0]['j48'] and cam['em'] == reports[0]['em'],
            'bulk device report differs from baiot run')
    T.check(runs[CAMERA]['j48_accuracy'] == cam['j48']['accuracy'], 'summary J48 accuracy')
    T.check(os.path.isfile(os.path.join(bulk, 'summary.md')), 'no summary.md')
    check_html(bulk, 'summary', open(os.path.join(bulk, 'summary.md')).read())
    T.check('href="%s-3class/report.html"' % CAMERA in open(os.path.join(bulk, 'summary.html')).read(),
            'summary.html does not link the device\'s report.html')

    # bad input: a message, a non-zero exit, no report
    T.bad('run', os.path.join(tmp, 'missing.h5'), '-o', os.path.join(tmp, 'bad1'))
    T.check(not os.path.exists(os.path.join(tmp, 'bad1', 'report.json')), 'report written for a missing input')
    r = T.bad('run', store, '--top', '0', '-o', os.path.join(tmp, 'bad2'))
    T.check('--top' in r.err, 'bad --top not named:\n%r' % r)
    r = T.bad('run', store, '--device', 'Danmini_Doorbell', '-o', os.path.join(tmp, 'bad3'))
    T.check(not os.path.exists(os.path.join(tmp, 'bad3', 'report.json')), 'report written for an empty selection')

    # the demo, small
    demo = os.path.join(tmp, 'demo')
    os.mkdir(demo)
    r = T.ok('demo', '--scale', '0.05', cwd=demo)
    T.check('report: baiot-demo/report.md' in r.out, 'demo does not print the report path:\n%r' % r)
    rep = json.load(open(os.path.join(demo, 'baiot-demo', 'report.json')))
    validate(rep, 'report.schema.json', 'demo report.json')
    T.check(rep['data']['rows'] == 41414 and rep['data']['simulated'], 'demo data: %r' % rep['data']['rows'])
    r = T.ok('demo', '--scale', '0.05', cwd=demo)
    T.check('reused' in r.out, 'a second demo should reuse the simulated store:\n%r' % r)
    rep2 = json.load(open(os.path.join(demo, 'baiot-demo', 'report.json')))
    T.check(strip_times(rep2) == strip_times(rep), 'the demo is not reproducible')


if __name__ == '__main__':
    T.main('study', body)
