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


def test_readme_python_block_runs(tmp_path, monkeypatch):
    """The README's Python example, on the demo's store (made as `baiot demo --scale 0.02` makes it)."""
    import baiot
    from conftest import DEMO_DEVICE
    text = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    monkeypatch.chdir(tmp_path)
    os.mkdir("baiot-demo")
    baiot.synth("baiot-demo/camera.h5", devices=DEMO_DEVICE, scale=0.02, seed=1)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "__readme__"})
