#!/usr/bin/env bash
# Regenerates tests/golden/weka/j48/: Weka 3.6.14's J48 printed by its
# command line on the example ARFF files: the tree built on all rows and
# the stratified cross-validation (-i: with per-class details), for the
# default options and a few others:
#   java -cp /usr/share/java/weka.jar weka.classifiers.trees.J48 -t FILE.arff -i [OPTIONS]
# One file per data set and option set: NAME.TAG.txt, TAG in
#   default | C0.1 (-C 0.1) | M5 (-M 5) | U (-U) | S (-S) | B (-B) |
#   A (-A) | s42 (-s 42) | x5 (-x 5)
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
out=$here/tests/golden/weka/j48
jar=${WEKA_JAR:-/usr/share/java/weka.jar}
mkdir -p "$out"
opts=("default:" "C0.1:-C 0.1" "M5:-M 5" "U:-U" "S:-S" "B:-B" "A:-A" "s42:-s 42" "x5:-x 5")
for f in iris labor soybean vote diabetes credit-g breast-cancer glass ionosphere segment-challenge \
         weather.numeric weather.nominal; do
  for o in "${opts[@]}"; do
    tag=${o%%:*}
    # shellcheck disable=SC2086
    java -cp "$jar" weka.classifiers.trees.J48 -t "$here/tests/data/weka/$f.arff" -i ${o#*:} \
      | grep -v '^Time taken' > "$out/$f.$tag.txt"
  done
done
{ java -cp "$jar" weka.core.Version 2>&1 || true; } | head -n 1 > "$out/VERSION.txt"
java -version 2>> "$out/VERSION.txt" || true
