#!/usr/bin/python3
"""test_em_threads.py - `baiot em` (diagonal, Weka's model) gives the same
output, byte for byte, on 1, 2 and 4 threads on data spanning many E-step
blocks (20,000 rows = 5 blocks of 4,096): large offsets and tiny spreads
(the dgemm E step and its exact fallback both run), a nominal attribute;
k = 3, k = 2, and --max-iter 1 (one M step's block sums); the ill-conditioned
variances of the offsets send the E steps the exact way (sums chained across
blocks in row order), while well-conditioned data keeps the dgemm E step."""
import os
import random
import re
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
    plain = os.path.join(tmp, "plain.arff")
    with open(plain, "w") as f:
        f.write("@relation plain\n@attribute x numeric\n@attribute y numeric\n@attribute class {a,b,c}\n@data\n")
        for i in range(20000):
            c = rnd.randrange(3)
            f.write("%.17g,%.17g,%s\n" % (rnd.gauss(10 * c, 3), rnd.gauss(-5 * c, 2 + c), "abc"[c]))
    for data, args in ((arff, ["--clusters", "3"]), (arff, ["--clusters", "2"]),
                       (arff, ["--clusters", "3", "--max-iter", "1"]), (plain, ["--clusters", "3"])):
        cmd = ["em", data, "--classes-to-clusters", "--json", "--verbose"] + args
        runs = [T.ok(*cmd, "--threads", t, threads=t, timeout=None) for t in (1, 2, 4)]
        outs = [r.out for r in runs]
        name = "%s %s" % (os.path.basename(data), " ".join(args))
        T.expect("%s: 1, 2 and 4 threads give the same output" % name, outs[0] == outs[1] == outs[2])
        m = re.search(r"(\d+) of (\d+) row E steps on the exact path", runs[0].err)
        T.expect("%s: --verbose counts the exact rows" % name, m is not None)
        if m and data == arff and args[1] == "3" and len(args) == 2:
            # jit (mean 1.5e9, sd 8.7e5) and the constant size of cluster 0:
            # ill-conditioned variances, so the E steps after the first M
            # step run exactly (in groups of blocks, sums chained in row order)
            T.expect("%s: the E steps go the exact way" % name, 2 * int(m.group(1)) >= int(m.group(2)))
        if m and data == plain:
            T.expect("%s: well-conditioned data keeps the dgemm E step" % name, int(m.group(1)) == 0)


if __name__ == "__main__":
    T.main("em-threads", body)
