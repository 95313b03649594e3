#!/usr/bin/python3
"""test_report_html.py - report.html, the page beside report.md, in a real
browser (io/export/md_html.c; engine/study/study_report.c, bulk.c,
engine/detect/detect_report.c, engine/study/bulk_detect.c).

For `run` on Weka's iris ARFF, `bulk` over two simulated devices (their
report.html pages and summary.html), `detect` and `bulk --detect`:
 - the page is well-formed (every element closed in order), self-contained
   (no <img>, <script>, <link> nor src=; every figure of report.md is an
   inline <svg>) and its links are relative and resolve to existing pages,
   also after the folder is copied elsewhere; .md links became .html;
 - headless Chromium renders it: the screenshot is not blank (many
   colours, enough non-white pixels), the rendered DOM holds the heading
   and the figures, and Chromium logs no console message (the page has no
   script, so any console line is an error: a bad SVG, a failed load);
 - the figures: the ROC legend is right of the frame, outside the data
   (series colours in the strip right of the frame); report.md shows no
   study figure for the ARFF file.
Skipped (exit 77) only when chromium is not installed
(scripts/install-deps installs it).
"""
import html.parser
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

try:
    from PIL import Image
except ImportError:  # installed by scripts/install-deps
    Image = None

CAMERA = 'Provision_PT_737E_Security_Camera'
DOORBELL = 'Danmini_Doorbell'
VOID = {'meta', 'br', 'hr', 'img', 'input', 'link', 'col', 'area', 'base', 'wbr', 'source'}
SERIES = [(31, 119, 180), (255, 127, 14), (44, 160, 44)]  # io/plot's first series colours


class Page(html.parser.HTMLParser):
    """Checks nesting and collects links, element counts and text."""

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.path, self.stack, self.links, self.tags, self.errors = path, [], [], {}, []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if tag == 'a' and 'href' in a:
            self.links.append(a['href'])
        if 'src' in a:
            self.errors.append('<%s src=...>: not self-contained' % tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append('</%s> closes <%s>' % (tag, self.stack[-1] if self.stack else 'nothing'))
            return
        self.stack.pop()


def check_page(path, md_path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    with open(md_path, encoding='utf-8') as f:
        md = f.read()
    p = Page(path)
    p.feed(text)
    p.close()
    T.check(not p.errors and not p.stack, '%s: not well-formed: %r, unclosed %r' % (path, p.errors[:5], p.stack))
    T.check(text.startswith('<!DOCTYPE html>') and p.tags.get('html') == 1 and p.tags.get('h1') == 1,
            '%s: not one page with one heading' % path)
    for tag in ('img', 'script', 'link', 'iframe'):
        T.check(tag not in p.tags, '%s: has <%s>: not self-contained' % (path, tag))
    images = re.findall(r'!\[[^\]]*\]\(([^)]+)\)', md)
    T.check(p.tags.get('svg', 0) == len(images), '%s: %d inline <svg> for %d figures of the Markdown' %
            (path, p.tags.get('svg', 0), len(images)))
    T.check('[figure:' not in text, '%s: a figure of the Markdown has no SVG' % path)
    here = os.path.dirname(path)
    for href in p.links:
        T.check('://' not in href and not href.startswith('/'), '%s: link %s is not relative' % (path, href))
        T.check(not href.split('#')[0].endswith('.md'), '%s: link %s points at Markdown, not the page' % (path, href))
        target = os.path.join(here, href.split('#')[0])
        T.check(os.path.isfile(target), '%s: link %s does not resolve from its folder' % (path, href))
    return p


def chromium():
    for name in ('chromium', 'chromium-browser'):
        path = shutil.which(name)
        if path:
            return path
    return None


def render(browser, path, tmp):
    """Screenshot and DOM of the page in headless Chromium; fails on any console line."""
    shot = os.path.join(tmp, os.path.basename(os.path.dirname(path)) + '-' + os.path.basename(path) + '.png')
    base = [browser, '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run',
            '--user-data-dir=' + os.path.join(tmp, 'chromium-profile'), '--enable-logging=stderr', '--v=0']
    url = 'file://' + os.path.abspath(path)
    r = subprocess.run(base + ['--screenshot=' + shot, '--window-size=1200,3000', url],
                       capture_output=True, text=True, timeout=180)
    T.check(r.returncode == 0 and os.path.isfile(shot), 'chromium failed on %s (rc %d):\n%s' %
            (path, r.returncode, r.stderr[-3000:]))
    console = [ln for ln in r.stderr.splitlines() if ':CONSOLE' in ln or 'Uncaught' in ln]
    T.check(not console, '%s: console messages in Chromium:\n%s' % (path, '\n'.join(console[:10])))
    d = subprocess.run(base + ['--dump-dom', url], capture_output=True, text=True, timeout=180)
    T.check(d.returncode == 0, 'chromium --dump-dom failed on %s:\n%s' % (path, d.stderr[-3000:]))
    console = [ln for ln in d.stderr.splitlines() if ':CONSOLE' in ln or 'Uncaught' in ln]
    T.check(not console, '%s: console messages in Chromium:\n%s' % (path, '\n'.join(console[:10])))
    return shot, d.stdout


def check_rendered(browser, path, md_path, tmp):
    page = check_page(path, md_path)
    shot, dom = render(browser, path, tmp)
    T.check(dom.count('<h1>') == 1 and dom.count('<svg') == page.tags.get('svg', 0),
            '%s: the rendered DOM lacks the heading or figures' % path)
    im = Image.open(shot).convert('RGB')
    colours = im.getcolors(maxcolors=1 << 22) or []
    pixels = im.size[0] * im.size[1]
    white = sum(n for n, c in colours if c == (255, 255, 255))
    T.check(len(colours) >= 16, '%s: the screenshot has %d colours: blank?' % (path, len(colours)))
    T.check(pixels - white >= 0.01 * pixels, '%s: the screenshot is %.2f %% white: blank?' %
            (path, 100.0 * white / pixels))


def legend_outside(png):
    """Series colours right of the frame (the frame ends at 72 % of the width)."""
    im = Image.open(png).convert('RGB')
    w, h = im.size
    strip = im.crop((int(0.745 * w), 0, w, h))
    found = set()
    for n, c in strip.getcolors(maxcolors=1 << 20) or []:
        for s in SERIES:
            if max(abs(c[i] - s[i]) for i in range(3)) <= 12 and n >= 20:
                found.add(s)
    return found


def body(tmp):
    browser = chromium()
    if browser is None:
        T.skip('chromium is not installed (scripts/install-deps installs it): report.html not rendered')
    T.check(Image is not None, 'python3-pil is missing (scripts/install-deps installs it)')

    # run on an ARFF file: no study figures, one page
    iris = os.path.join(T.SRC, 'tests', 'data', 'weka', 'iris.arff')
    out = os.path.join(tmp, 'iris')
    r = T.ok('run', '-q', iris, '-o', out)
    md = open(os.path.join(out, 'report.md')).read()
    T.expect('ARFF: no study figure in report.md or the summary',
             '99.95' not in md and '76.73' not in md and 'study:' not in r.out, r.out)
    check_rendered(browser, os.path.join(out, 'report.html'), os.path.join(out, 'report.md'), tmp)
    T.expect('iris ROC: the legend is outside the frame', len(legend_outside(os.path.join(out, 'roc.png'))) == 3,
             legend_outside(os.path.join(out, 'roc.png')))

    # bulk over two devices: each report.html and summary.html, links relative
    store = os.path.join(tmp, 's.h5')
    T.ok('synth', '-q', '--devices', CAMERA + ',' + DOORBELL, '--scale', '0.01', '-o', store)
    bulk = os.path.join(tmp, 'bulk')
    T.ok('bulk', '-q', store, '-o', bulk)
    check_rendered(browser, os.path.join(bulk, 'summary.html'), os.path.join(bulk, 'summary.md'), tmp)
    summary = open(os.path.join(bulk, 'summary.html')).read()
    T.expect('summary.html links each device\'s report.html',
             all('href="%s-3class/report.html"' % d in summary for d in (CAMERA, DOORBELL)), summary[-2000:])
    for d in (CAMERA, DOORBELL):
        folder = os.path.join(bulk, d + '-3class')
        check_rendered(browser, os.path.join(folder, 'report.html'), os.path.join(folder, 'report.md'), tmp)
    T.expect('camera ROC: the legend is outside the frame',
             len(legend_outside(os.path.join(bulk, CAMERA + '-3class', 'roc.png'))) == 3)
    # the links work from any folder the tree is copied to
    moved = os.path.join(tmp, 'elsewhere', 'copy')
    shutil.copytree(bulk, moved)
    check_page(os.path.join(moved, 'summary.html'), os.path.join(moved, 'summary.md'))

    # detect and bulk --detect
    det = os.path.join(tmp, 'detect')
    T.ok('detect', '-q', store, '--device', DOORBELL, '-o', det)
    check_rendered(browser, os.path.join(det, 'detect.html'), os.path.join(det, 'detect.md'), tmp)
    bd = os.path.join(tmp, 'bulk-detect')
    T.ok('bulk', '-q', store, '--detect', '-o', bd)
    check_rendered(browser, os.path.join(bd, 'summary.html'), os.path.join(bd, 'summary.md'), tmp)
    T.expect('bulk --detect: summary.html links each device\'s detect.html',
             'href="%s-detect/detect.html"' % DOORBELL in open(os.path.join(bd, 'summary.html')).read())


if __name__ == '__main__':
    T.main('report_html', body)
