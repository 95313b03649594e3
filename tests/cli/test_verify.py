#!/usr/bin/python3
"""test_verify.py - `baiot verify`: a store made by synth or ingest (and
after an --append) is sound with all 118 columns checksummed; a changed
value, a truncated file and a file that is not a store are each reported
with a non-zero exit and a message naming what is wrong."""
import os
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ.get("BAIOT_BIN", "build/baiot")
SRC = os.environ.get("BAIOT_SRC", ".")
checks = failures = 0


def check(name, ok, detail=""):
    global checks, failures
    checks += 1
    print(("ok: %s" if ok else "FAIL: %s " + detail) % name)
    failures += not ok


def verify(path):
    return subprocess.run([BIN, "verify", path], capture_output=True, text=True)


tmp = tempfile.mkdtemp()
s = os.path.join(tmp, "s.h5")
subprocess.run([BIN, "synth", "-q", "--devices", "3", "--scale", "0.02", "-o", s], check=True)
p = verify(s)
check("synth store sound", p.returncode == 0 and "118 columns checked" in p.stdout, p.stdout + p.stderr)
subprocess.run([BIN, "ingest", "-q", "--append", os.path.join(SRC, "examples/nbaiot-mini"), "-o", s], check=True)
p = verify(s)
check("sound after --append", p.returncode == 0 and "118 columns checked" in p.stdout, p.stdout + p.stderr)
bad = os.path.join(tmp, "bad.h5")
shutil.copy(s, bad)
import h5py  # noqa: E402
with h5py.File(bad, "r+") as f:
    d = f["features"]["HH_L5_magnitude"]
    d[3] = d[3] + 1.0
p = verify(bad)
check("a changed value is found", p.returncode == 1 and "HH_L5_magnitude" in p.stderr and "mismatch" in p.stderr,
      p.stderr)
cut = os.path.join(tmp, "cut.h5")
data = open(s, "rb").read()
open(cut, "wb").write(data[: len(data) // 2])
p = verify(cut)
check("a truncated store is reported", p.returncode == 1 and p.stderr.strip() != "", p.stderr)
p = verify(os.path.join(SRC, "tests/data/weka/iris.arff"))
check("not a store", p.returncode == 1 and "not an HDF5 store" in p.stderr, p.stderr)
shutil.rmtree(tmp)
print("%d passed, %d failed" % (checks - failures, failures))
sys.exit(1 if failures else 0)
