#!/usr/bin/python3
"""make_nbaiot_csv.py - synthetic CSV files in the N-BaIoT (UCI) layout.

A file has the header row of the 115 N-BaIoT feature names, then rows of
plausible non-negative values, each written with Python repr() as the UCI
files are (so every field f satisfies repr(float(f)) == f), with CRLF line
ends by default (LF on request) and a line end after the last row.  The
output depends only on (rows, seed, line end).

Values per feature kind: *_weight are packet counts (1.0 for a fresh stream,
else a decayed count), *_mean are packet sizes (HH_jit_*_mean are
timestamps, about 1.5e9), variances/std/magnitude/radius/covariance are
non-negative spreads that are often exactly 0.0 or tiny (1.8e-12), *_pcc
lies in [0, 1] and is often 0.0.  Some values are whole numbers ("98.0").

As a module:
    import make_nbaiot_csv as g
    g.FEATURES                       # the 115 names in file order
    g.rows(n, seed)                  # list of rows, each a list of 115 strings
    g.csv_bytes(n, seed, crlf=True)  # the whole file as bytes
    g.write_csv(path, n, seed, crlf=True)  # writes it, returns the bytes
As a program:
    make_nbaiot_csv.py OUT.csv --rows N --seed S [--lf]
"""
import argparse
import random
import sys

# The 115 names of nbaiot/reference/features_115.csv, in file order
# (pasted here so the tests run without ../shared).
FEATURES = [
    'MI_dir_L5_weight', 'MI_dir_L5_mean', 'MI_dir_L5_variance', 'MI_dir_L3_weight', 'MI_dir_L3_mean',
    'MI_dir_L3_variance', 'MI_dir_L1_weight', 'MI_dir_L1_mean', 'MI_dir_L1_variance', 'MI_dir_L0.1_weight',
    'MI_dir_L0.1_mean', 'MI_dir_L0.1_variance', 'MI_dir_L0.01_weight', 'MI_dir_L0.01_mean', 'MI_dir_L0.01_variance',
    'H_L5_weight', 'H_L5_mean', 'H_L5_variance', 'H_L3_weight', 'H_L3_mean',
    'H_L3_variance', 'H_L1_weight', 'H_L1_mean', 'H_L1_variance', 'H_L0.1_weight',
    'H_L0.1_mean', 'H_L0.1_variance', 'H_L0.01_weight', 'H_L0.01_mean', 'H_L0.01_variance',
    'HH_L5_weight', 'HH_L5_mean', 'HH_L5_std', 'HH_L5_magnitude', 'HH_L5_radius',
    'HH_L5_covariance', 'HH_L5_pcc', 'HH_L3_weight', 'HH_L3_mean', 'HH_L3_std',
    'HH_L3_magnitude', 'HH_L3_radius', 'HH_L3_covariance', 'HH_L3_pcc', 'HH_L1_weight',
    'HH_L1_mean', 'HH_L1_std', 'HH_L1_magnitude', 'HH_L1_radius', 'HH_L1_covariance',
    'HH_L1_pcc', 'HH_L0.1_weight', 'HH_L0.1_mean', 'HH_L0.1_std', 'HH_L0.1_magnitude',
    'HH_L0.1_radius', 'HH_L0.1_covariance', 'HH_L0.1_pcc', 'HH_L0.01_weight', 'HH_L0.01_mean',
    'HH_L0.01_std', 'HH_L0.01_magnitude', 'HH_L0.01_radius', 'HH_L0.01_covariance', 'HH_L0.01_pcc',
    'HH_jit_L5_weight', 'HH_jit_L5_mean', 'HH_jit_L5_variance', 'HH_jit_L3_weight', 'HH_jit_L3_mean',
    'HH_jit_L3_variance', 'HH_jit_L1_weight', 'HH_jit_L1_mean', 'HH_jit_L1_variance', 'HH_jit_L0.1_weight',
    'HH_jit_L0.1_mean', 'HH_jit_L0.1_variance', 'HH_jit_L0.01_weight', 'HH_jit_L0.01_mean', 'HH_jit_L0.01_variance',
    'HpHp_L5_weight', 'HpHp_L5_mean', 'HpHp_L5_std', 'HpHp_L5_magnitude', 'HpHp_L5_radius',
    'HpHp_L5_covariance', 'HpHp_L5_pcc', 'HpHp_L3_weight', 'HpHp_L3_mean', 'HpHp_L3_std',
    'HpHp_L3_magnitude', 'HpHp_L3_radius', 'HpHp_L3_covariance', 'HpHp_L3_pcc', 'HpHp_L1_weight',
    'HpHp_L1_mean', 'HpHp_L1_std', 'HpHp_L1_magnitude', 'HpHp_L1_radius', 'HpHp_L1_covariance',
    'HpHp_L1_pcc', 'HpHp_L0.1_weight', 'HpHp_L0.1_mean', 'HpHp_L0.1_std', 'HpHp_L0.1_magnitude',
    'HpHp_L0.1_radius', 'HpHp_L0.1_covariance', 'HpHp_L0.1_pcc', 'HpHp_L0.01_weight', 'HpHp_L0.01_mean',
    'HpHp_L0.01_std', 'HpHp_L0.01_magnitude', 'HpHp_L0.01_radius', 'HpHp_L0.01_covariance', 'HpHp_L0.01_pcc',
]
assert len(FEATURES) == 115 and len(set(FEATURES)) == 115

HEADER = ','.join(FEATURES)


def _value(rng, name, fresh, size, stamp):
    """One field's value (a float) for feature `name`."""
    kind = name.rsplit('_', 1)[1]
    if kind == 'weight':
        if fresh or rng.random() < 0.1:
            return 1.0
        if rng.random() < 0.1:
            return float(rng.randint(2, 200))
        return rng.uniform(1.0, 12000.0)
    if kind == 'mean':
        if name.startswith('HH_jit'):
            return stamp if fresh or rng.random() < 0.5 else rng.uniform(1e-6, 5.0)
        return size if fresh or rng.random() < 0.6 else rng.uniform(60.0, 1514.0)
    if kind == 'pcc':
        r = rng.random()
        return 0.0 if fresh or r < 0.4 else (1.0 if r < 0.45 else rng.random())
    # variance, std, magnitude, radius, covariance: non-negative spreads
    if kind == 'magnitude':
        return size if fresh else rng.uniform(60.0, 2200.0)
    if fresh:
        return 0.0
    r = rng.random()
    if r < 0.3:
        return 0.0
    if r < 0.4:
        return 1.8189894035458565e-12   # a typical rounding residue of the real files
    if r < 0.5:
        return rng.random() * 10.0 ** rng.randint(-15, -5)  # tiny: repr in e-notation
    if r < 0.55:
        return 1.0
    return rng.uniform(0.0, 1.0) * 10.0 ** rng.randint(0, 6)


def rows(n, seed):
    """n rows (lists of 115 repr strings), deterministic for seed."""
    rng = random.Random(seed)
    out = []
    stamp = 1505913529.3009179 + rng.uniform(0.0, 1e6)
    for _ in range(n):
        stamp += rng.uniform(0.0, 0.05)
        fresh = rng.random() < 0.05
        size = float(rng.choice([60, 66, 74, 98, 554, 590, 1514])) if rng.random() < 0.5 \
            else rng.uniform(60.0, 1514.0)
        row = []
        for name in FEATURES:
            v = _value(rng, name, fresh, size, stamp)
            assert v >= 0.0
            row.append(repr(v))
        out.append(row)
    return out


def csv_bytes(n, seed, crlf=True):
    """The whole file: header, n rows, a line end after every line."""
    eol = '\r\n' if crlf else '\n'
    lines = [HEADER] + [','.join(r) for r in rows(n, seed)]
    return (eol.join(lines) + eol).encode('ascii')


def write_csv(path, n, seed, crlf=True):
    """Writes the file to path and returns its bytes."""
    data = csv_bytes(n, seed, crlf)
    with open(path, 'wb') as f:
        f.write(data)
    return data


def main(argv=None):
    ap = argparse.ArgumentParser(description='Write a synthetic N-BaIoT-format CSV file.')
    ap.add_argument('out', metavar='OUT.csv')
    ap.add_argument('--rows', type=int, default=100, help='data rows (default 100)')
    ap.add_argument('--seed', type=int, default=1, help='random seed (default 1)')
    ap.add_argument('--lf', action='store_true', help='LF line ends (default CRLF, as the UCI files)')
    a = ap.parse_args(argv)
    write_csv(a.out, a.rows, a.seed, crlf=not a.lf)
    return 0


if __name__ == '__main__':
    sys.exit(main())
