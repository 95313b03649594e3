"""test_docs.py - docs/PYTHON.md's walk-through runs: every ```python
block of the page, in order, in one namespace, in a fresh folder.
"""
import os
import re

from conftest import SRC


def test_walk_through_runs(tmp_path, monkeypatch):
    text = open(os.path.join(SRC, "docs", "PYTHON.md"), encoding="utf-8").read()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    ns = {"__name__": "__walkthrough__"}
    for i, block in enumerate(blocks):
        exec(compile(block, f"docs/PYTHON.md block {i + 1}", "exec"), ns)
    assert os.path.exists("j48.model") and os.path.exists("detector.model")
    if ns.get("plt") is not None:  # python3-matplotlib installed: the plot was drawn
        assert os.path.getsize("confusion.png") > 1000
