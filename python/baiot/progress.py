"""progress.py - the library's progress and log messages in Python.

The library reports progress of long work (ingest, synth, training, CV:
baiot/progress.h) and log lines (baiot_set_log) from whichever thread does
it; set_progress(fn) calls fn(stage, unit, done, total) (total 0 =
unknown) at most every 0.1 s per stage, set_log(fn) calls fn(level,
message).  By default log lines go to the logging module (logger "baiot")
and, when standard error is a terminal, progress is drawn there as one
self-rewriting line (tqdm-style); `with baiot.progress(fn):` installs a
callback for a block.  Covered by tests/python/test_progress.py.
"""
import contextlib
import logging
import sys
import time

from . import _ext

_LEVELS = {0: logging.ERROR, 1: logging.INFO, 2: logging.DEBUG}
_logger = logging.getLogger("baiot")


def _to_logging(level, message):
    _logger.log(_LEVELS.get(level, logging.INFO), "%s", message)


class TerminalBar:
    """One line on a stream: stage, done/total unit, rate and time left."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.stage, self.start = None, 0.0

    def __call__(self, stage, unit, done, total):
        now = time.monotonic()
        if stage != self.stage:
            self.stage, self.start = stage, now
        el = now - self.start
        rate = f", {done / el:.3g} {unit}/s" if unit and done and el > 0.05 else ""
        if unit and total > 0:
            width = 24
            fill = int(width * min(done, total) / total)
            line = f"{stage}: |{'#' * fill}{'.' * (width - fill)}| {done}/{total} {unit}{rate}"
        elif unit:
            line = f"{stage}: {done} {unit}{rate}"
        else:
            line = f"{stage} ..."
        self.stream.write("\r\033[K" + line + ("\n" if total > 0 and done >= total else ""))
        self.stream.flush()


_current = None


def set_progress(fn):
    """Installs fn(stage, unit, done, total) as the progress sink (None: silent)."""
    global _current
    _current = fn
    _ext.set_progress(fn)


def set_log(fn):
    """Installs fn(level, message) for the library's log lines (0 error, 1 info, 2 debug; None: silent)."""
    _ext.set_log(fn)


@contextlib.contextmanager
def progress(fn=None):
    """Progress to fn (default: a bar on standard error) inside the block."""
    previous = _current
    set_progress(fn or TerminalBar())
    try:
        yield
    finally:
        set_progress(previous)


def _install_defaults():
    set_log(_to_logging)
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    if tty:
        set_progress(TerminalBar())


_install_defaults()
