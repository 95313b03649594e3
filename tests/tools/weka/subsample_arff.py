#!/usr/bin/python3
"""subsample_arff.py ARFF N SEED: prints the ARFF header and N data rows
picked at random (Python's random.Random(SEED).sample, kept in file order).
Used to make and re-make the real-data EM golden input; the rows themselves
are never committed."""
import random
import sys

path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
head, rows, in_data = [], [], False
with open(path) as f:
    for line in f:
        if in_data:
            if line.strip() and not line.startswith("%"):
                rows.append(line)
        else:
            head.append(line)
            if line.strip().lower().startswith("@data"):
                in_data = True
pick = sorted(random.Random(seed).sample(range(len(rows)), min(n, len(rows))))
sys.stdout.write("".join(head))
sys.stdout.write("".join(rows[i] for i in pick))
