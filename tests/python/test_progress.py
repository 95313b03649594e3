"""test_progress.py - the library's progress and log lines reach Python
callbacks (from the library's threads, with the GIL taken), the terminal
bar draws, and a callback's exception does not break the work.
"""
import io

import baiot
from baiot.progress import TerminalBar
from conftest import DEMO_DEVICE


def test_progress_callback_during_synth(tmp_path):
    seen = []
    with baiot.progress(lambda stage, unit, done, total: seen.append((stage, unit, done, total))):
        baiot.synth(tmp_path / "s.h5", devices=DEMO_DEVICE, scale=0.005, seed=2)
    assert seen, "no progress reported"
    assert all(isinstance(s, str) and done >= 0 for s, _, done, _ in seen)


def test_failing_callback_is_reported_not_raised(tmp_path, capsys):
    def bad(*args):
        raise RuntimeError("callback failed")
    with baiot.progress(bad):
        r = baiot.synth(tmp_path / "s.h5", devices=DEMO_DEVICE, scale=0.002, seed=2)
    assert r["rows"] > 0


def test_terminal_bar():
    out = io.StringIO()
    bar = TerminalBar(out)
    bar("ingest", "rows", 5, 10)
    bar("ingest", "rows", 10, 10)
    text = out.getvalue()
    assert "ingest: |" in text and "10/10 rows" in text and text.endswith("\n")


def test_log_callback(tmp_path):
    lines = []
    baiot.set_log(lambda level, msg: lines.append((level, msg)))
    try:
        baiot.synth(tmp_path / "s.h5", devices=DEMO_DEVICE, scale=0.002, seed=2)
    finally:
        baiot.set_log(None)
    assert all(isinstance(m, str) for _, m in lines)
