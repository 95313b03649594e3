#!/usr/bin/python3
"""test_em_threads.py - `baiot em` (diagonal, Weka's model) gives the same
output, byte for byte, on 1, 2 and 4 threads on data spanning many E-step
blocks (20,000 rows = 5 blocks of 4,096): large offsets and tiny spreads
(the dgemm E step and its exact fallback both run), a nominal attribute;
k = 3, k = 2, and --max-iter 1 (one M step's block sums)."""
import os
import random
import subprocess
import sys
import tempfile

BIN = os.environ.get("BAIOT_BIN", "build/baiot")
checks = failures = 0


def run(args, threads):
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = str(threads)
    p = subprocess.run([BIN] + args + ["--threads", str(threads)], capture_output=True, text=True, env=env)
    if p.returncode:
        raise SystemExit("FAIL: baiot %s: %s" % (" ".join(args), p.stderr))
    return p.stdout


def expect(name, ok):
    global checks, failures
    checks += 1
    print(("ok: %s" if ok else "FAIL: %s") % name)
    failures += not ok


rnd = random.Random(6)
with tempfile.TemporaryDirectory() as tmp:
    arff = os.path.join(tmp, "offsets.arff")
    with open(arff, "w") as f:
        f.write("@relation offsets\n@attribute jit numeric\n@attribute var numeric\n"
                "@attribute size numeric\n@attribute proto {tcp,udp,icmp}\n@attribute rate numeric\n"
                "@attribute class {a,b,c}\n@data\n")
        centres = [(1.5e9, 8.7e5, 4.3, 13.7, 1500.0, 0.0), (1.9e6, 9e6, 513.0, 820.0, 60.0, 5.0),
                   (8.3e8, 7.5e8, 5.6e4, 1.2e4, 800.0, 300.0)]
        for i in range(20000):
            c = rnd.randrange(3)
            m1, s1, m2, s2, m3, s3 = centres[c]
            proto = ("tcp", "udp", "icmp")[(c + (rnd.random() < 0.2)) % 3]
            f.write("%.17g,%.17g,%.17g,%s,%.17g,%s\n" % (
                rnd.gauss(m1, s1), abs(rnd.gauss(m2, s2)), rnd.gauss(m3, s3) if s3 else m3, proto,
                rnd.expovariate(1.0) * (c + 1), "abc"[c]))
    for args in (["--clusters", "3"], ["--clusters", "2"], ["--clusters", "3", "--max-iter", "1"]):
        cmd = ["em", arff, "--classes-to-clusters", "--json"] + args
        outs = [run(cmd, t) for t in (1, 2, 4)]
        expect("%s: 1, 2 and 4 threads give the same output" % " ".join(args),
               outs[0] == outs[1] == outs[2])
print("%d passed, %d failed" % (checks - failures, failures))
sys.exit(1 if failures else 0)
