#!/usr/bin/python3
"""test_em_threads.py - `baiot em` (diagonal, Weka's model) gives the same
output, byte for byte, on 1, 2 and 4 threads on data spanning many E-step
blocks (20,000 rows = 5 blocks of 4,096): large offsets and tiny spreads
(the dgemm E step and its exact fallback both run), a nominal attribute;
k = 3, k = 2, and --max-iter 1 (one M step's block sums)."""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402


def body(tmp):
    rnd = random.Random(6)
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
        outs = [T.ok(*cmd, "--threads", t, threads=t, timeout=None).out for t in (1, 2, 4)]
        T.expect("%s: 1, 2 and 4 threads give the same output" % " ".join(args), outs[0] == outs[1] == outs[2])


if __name__ == "__main__":
    T.main("em-threads", body)
