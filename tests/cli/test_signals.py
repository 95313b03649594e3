#!/usr/bin/python3
"""test_signals.py - SIGINT and SIGTERM during long writes: baiot stops at
once with exit code 130 / 143, removes its temporary files, and leaves an
existing destination exactly as it was (synth --force over an old store,
ingest --append to a store, synth --pcap/--csv folders, and `run` over an
earlier run's report folder, at several moments of its computation and
report writing: every file in the folder is whole, the old one or a new
one, and no temporary report folder is left)."""
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("BAIOT_BIN", "build/baiot")
checks = failures = 0


def check(name, ok, detail=""):
    global checks, failures
    checks += 1
    print(("ok: %s" if ok else "FAIL: %s " + detail) % name)
    failures += not ok


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def temporaries(d):
    """Temporary files and temporary report folders (".<name>.tmp-PID-N/")."""
    out = []
    for root, dirs, files in os.walk(d):
        out += [os.path.join(root, f) for f in files + dirs if ".tmp-" in f]
    return out


def whole(path):
    """A report folder's file is complete: JSON parses, a PNG ends with its
    IEND chunk, an SVG with </svg>, Markdown with a line end."""
    data = open(path, "rb").read()
    if path.endswith((".json", ".model")):
        try:
            json.loads(data)
            return True
        except ValueError:
            return False
    if path.endswith(".png"):
        return data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82")
    if path.endswith(".svg"):
        return data.rstrip().endswith(b"</svg>")
    return len(data) > 0 and data.endswith(b"\n")


def interrupt(args, sig, delay):
    t0 = time.time()
    p = subprocess.Popen([BIN] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(delay)
    p.send_signal(sig)
    t1 = time.time()
    rc = p.wait(timeout=30)
    return rc, time.time() - t1, time.time() - t0


tmp = tempfile.mkdtemp()
old = os.path.join(tmp, "old.h5")
subprocess.run([BIN, "synth", "-q", "--devices", "3", "--scale", "0.01", "-o", old], check=True)
before = sha(old)
for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
    rc, stop, total = interrupt(["synth", "-q", "--force", "--devices", "5", "--pcap", os.path.join(tmp, "pcap"),
                                 "-o", old], sig, 1.0)
    check("synth %s: exit %d (got %d)" % (sig.name, code, rc), rc == code)
    check("synth %s: stopped within a second (%.2f s)" % (sig.name, stop), stop < 1.0)
    check("synth %s: no temporary file left" % sig.name, not temporaries(tmp), str(temporaries(tmp)))
    check("synth %s: the old store is untouched" % sig.name, sha(old) == before)

# ingest --append of a large CSV folder, interrupted
csvdir = os.path.join(tmp, "csv")
subprocess.run([BIN, "synth", "-q", "--devices", "5", "--attack", "mirai_udp", "--csv", csvdir, "-o",
                os.path.join(tmp, "c.h5")], check=True)
rc, stop, _ = interrupt(["ingest", "-q", "--append", csvdir, "-o", old], signal.SIGTERM, 0.3)
check("ingest --append SIGTERM: exit 143 (got %d)" % rc, rc == 143)
check("ingest --append SIGTERM: no temporary file left", not temporaries(tmp), str(temporaries(tmp)))
check("ingest --append SIGTERM: the store is untouched", sha(old) == before)
# run: interrupted while ranking, growing trees, clustering or writing the
# report; the folder holds an earlier run's report
store = os.path.join(tmp, "cam.h5")
subprocess.run([BIN, "synth", "-q", "--devices", "Provision_PT_737E_Security_Camera", "--scale", "0.1", "-o", store],
               check=True)
out = os.path.join(tmp, "report")
subprocess.run([BIN, "run", "-q", store, "-o", out], check=True, stdout=subprocess.DEVNULL)
t0 = time.time()
subprocess.run([BIN, "run", "-q", store, "-o", os.path.join(tmp, "timing")], check=True, stdout=subprocess.DEVNULL)
full_run = time.time() - t0
for n, frac in enumerate((0.1, 0.3, 0.5, 0.7, 0.9)):
    sig, code = (signal.SIGINT, 130) if n % 2 == 0 else (signal.SIGTERM, 143)
    rc, stop, _ = interrupt(["run", "-q", store, "-o", out], sig, frac * full_run)
    if rc == 0:  # finished first
        continue
    check("run %s at %.0f%%: exit %d (got %d)" % (sig.name, 100 * frac, code, rc), rc == code)
    check("run %s at %.0f%%: stopped within a second (%.2f s)" % (sig.name, 100 * frac, stop), stop < 1.0)
    check("run %s at %.0f%%: no temporary file left" % (sig.name, 100 * frac), not temporaries(tmp),
          str(temporaries(tmp)))
    for f in os.listdir(out):
        check("run %s at %.0f%%: %s is a whole file" % (sig.name, 100 * frac, f), whole(os.path.join(out, f)))
subprocess.run(["rm", "-rf", tmp])
print("%d passed, %d failed" % (checks - failures, failures))
sys.exit(1 if failures else 0)
