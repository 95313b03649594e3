#!/usr/bin/python3
"""gen.py - one random ARFF file per seed, for the differential tester
(tests/differential/run.py) that runs baiot and Weka 3.6.14 on it.

    /usr/bin/python3 tests/differential/gen.py --seed 17 > case.arff
    /usr/bin/python3 tests/differential/gen.py --seed 17 -o case.arff

The same seed gives the same file (Python's random.Random, no numpy).  Each
data set mixes awkward shapes on purpose: values rounded to 1, 2 or 3
decimals (many ties; midpoints that land on the rounding edge), values
spaced about 1e-6 apart (J48 3.6's tolerant threshold tests), tiny values
(1e-8..1e-5), a large offset with a tiny spread (1.5e9 + 1e-3 noise), small
integers, constant columns, nominal attributes, missing values, skewed or
tiny classes, duplicated rows and columns that nearly separate the classes;
1 to 12 attributes, 20 to 5,000 rows (mostly small: the mean is ~450), 2 to
6 classes, the class last and nominal.  About 3% of the seeds (family
"huge") also put values between 1e300 and 1.7e308 in some columns.  The
first comment line names the families drawn, so run.py can group cases."""
import argparse
import random
import sys

NUMERIC_FAMILIES = ("round1", "round2", "round3", "edge", "neartol", "tiny", "offset", "smallint", "const",
                    "separating", "gauss")


def n_rows(r):
    """Mostly small data sets: 65% 20-200 rows, 28% 200-1000, 6% 1000-5000."""
    u = r.random()
    if u < 0.65:
        return r.randint(20, 200)
    if u < 0.94:
        return r.randint(200, 1000)
    return r.randint(1000, 5000)


def class_labels(r, n, k):
    """Class index per row: balanced, skewed, or one tiny class of 1-3 rows."""
    shape = r.choice(("balanced", "skewed", "tiny"))
    if shape == "balanced":
        w = [1.0] * k
    elif shape == "skewed":
        w = [r.random() ** 3 + 0.01 for _ in range(k)]
    else:
        w = [1.0] * k
    labels = r.choices(range(k), weights=w, k=n)
    if shape == "tiny" and k > 1:
        small = r.randrange(k)
        others = [c for c in range(k) if c != small] or [0]
        labels = [c if c != small else r.choice(others) for c in labels]
        for i in r.sample(range(n), min(n, r.randint(1, 3))):
            labels[i] = small
    return labels, shape


def numeric_column(r, fam, labels, k):
    """One numeric column of family fam; a random strength ties it to the class."""
    strength = r.choice((0.0, 0.0, 0.3, 1.0, 3.0))
    shift = [r.gauss(0, 1) for _ in range(k)]
    out = []
    if fam == "round1" or fam == "round2" or fam == "round3":
        d = int(fam[-1])
        scale = r.choice((1.0, 10.0, 0.1))
        for c in labels:
            out.append(round((r.gauss(0, 1) + strength * shift[c]) * scale, d))
    elif fam == "edge":
        # a handful of decimals a thousandth apart around an awkward base:
        # midpoints such as (0.56 + 0.561) / 2 are not exact in binary
        base = r.choice((0.56, 0.333, 0.1, 2.675, 1.005, 0.835))
        for c in labels:
            j = r.randint(0, 6) + (int(strength * shift[c] * 2) if strength else 0)
            out.append(round(base + j * 0.001, 6))
    elif fam == "neartol":
        # values spaced by about the 1e-6 of J48 3.6's tolerant tests
        base = r.choice((0.5, 1.0, 100.0, 0.333))
        step = r.choice((5e-7, 1e-6, 1.5e-6, 2e-6))
        for c in labels:
            j = r.randint(0, 8) + (int(strength * shift[c] * 2) if strength else 0)
            out.append(base + j * step)
    elif fam == "tiny":
        for c in labels:
            out.append(10 ** r.uniform(-8, -5) * (1 + strength * abs(shift[c])))
    elif fam == "offset":
        for c in labels:
            out.append(1.5e9 + (r.gauss(0, 1) + strength * shift[c]) * 1e-3)
    elif fam == "smallint":
        top = r.randint(1, 6)
        for c in labels:
            out.append(float(min(top, max(0, int(r.randint(0, top) + strength * shift[c])))))
    elif fam == "const":
        v = r.choice((0.0, 1.0, -3.5, 1e-7, 1.5e9))
        out = [v] * len(labels)
    elif fam == "separating":
        # nearly separates: class c around 10*c (shuffled), a few rows off
        order = list(range(k))
        r.shuffle(order)
        for c in labels:
            v = order[c] * 10 + r.uniform(0, 9)
            if r.random() < 0.03:
                v = r.uniform(0, 10 * k)
            out.append(round(v, r.choice((1, 2, 3))))
    elif fam == "huge":
        # near the top of the double range, banded by class so that J48
        # splits there (midpoints of two such values overflow to infinity)
        order = list(range(k))
        r.shuffle(order)
        for c in labels:
            if r.random() < 0.7:
                out.append(1e300 + (order[c] + r.random()) / k * 1.69e308)
            else:
                out.append(r.gauss(0, 1) + strength * shift[c])
    else:  # gauss
        mu, sd = r.uniform(-100, 100), 10 ** r.uniform(-2, 2)
        for c in labels:
            out.append(mu + sd * (r.gauss(0, 1) + strength * shift[c]))
    return out


def nominal_column(r, labels, k):
    m = r.randint(2, 5)
    strength = r.choice((0.0, 0.5, 0.9))
    pref = [r.randrange(m) for _ in range(k)]
    return m, [pref[c] if r.random() < strength else r.randrange(m) for c in labels]


def fmt(v):
    # repr: the shortest text that reads back as the same double (Java too)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def generate(seed):
    r = random.Random(seed)
    huge = r.random() < 0.03
    n = n_rows(r)
    k = r.randint(2, 6)
    na = r.randint(1, 12)
    labels, cshape = class_labels(r, n, k)
    fams, cols, types = [], [], []
    for a in range(na):
        if r.random() < 0.15:
            m, col = nominal_column(r, labels, k)
            fams.append("nominal")
            types.append(m)
            cols.append(["v%d" % x for x in col])
        else:
            fam = r.choice(NUMERIC_FAMILIES)
            if huge and (a == 0 or r.random() < 0.3):
                fam = "huge"
            elif huge and fam == "separating":
                fam = "gauss"
            fams.append(fam)
            types.append(0)
            cols.append([fmt(v) for v in numeric_column(r, fam, labels, k)])
    miss = 0.0 if r.random() < 0.6 else r.choice((0.01, 0.05, 0.2))
    miss_class = r.random() < 0.05
    rows = []
    for i in range(n):
        row = [cols[a][i] if r.random() >= miss else "?" for a in range(na)]
        row.append("c%d" % labels[i] if not (miss_class and r.random() < 0.05) else "?")
        rows.append(row)
    dup = r.random() < 0.3
    if dup:
        extra = [list(rows[r.randrange(n)]) for _ in range(r.randint(1, max(1, n // 2)))]
        rows += extra
        r.shuffle(rows)
    tags = sorted(set(fams)) + ["class:" + cshape] + (["missing"] if miss else []) + \
        (["missingclass"] if miss_class else []) + (["dup"] if dup else []) + (["HUGE"] if huge else [])
    lines = ["% gen.py --seed {} families: {}".format(seed, " ".join(tags)),
             "@relation diff{}".format(seed), ""]
    for a in range(na):
        if types[a]:
            lines.append("@attribute a{} {{{}}}".format(a + 1, ",".join("v%d" % x for x in range(types[a]))))
        else:
            lines.append("@attribute a{} numeric".format(a + 1))
    lines.append("@attribute class {{{}}}".format(",".join("c%d" % c for c in range(k))))
    lines += ["", "@data"] + [",".join(row) for row in rows]
    return "\n".join(lines) + "\n", tags


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    text, _ = generate(a.seed)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
