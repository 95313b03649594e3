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
mkdir -p "$out" "$here/tests/golden/weka/j48_real"
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
# A case of the differential tester (tests/differential, seed 100, shrunk):
# a threshold taken from a row whose class is missing (docs/WEKA_COMPAT.md).
for o in "default:" "U:-U"; do
  # shellcheck disable=SC2086
  java -cp "$jar" weka.classifiers.trees.J48 -t "$here/tests/data/weka/diff-missing-class.arff" -i ${o#*:} \
    | grep -v '^Time taken' > "$out/diff-missing-class.${o%%:*}.txt"
done
# A case of the differential tester (seed 3, shrunk): missing values spread
# rows over the branches with fractional weights; the cross-validated ROC
# areas need Weka's order of a node's rows (docs/WEKA_COMPAT.md).
for o in "default:" "U:-U"; do
  # shellcheck disable=SC2086
  java -cp "$jar" weka.classifiers.trees.J48 -t "$here/tests/data/weka/diff-order.arff" -i ${o#*:} \
    | grep -v '^Time taken' > "$out/diff-order.${o%%:*}.txt"
done
{ java -cp "$jar" weka.core.Version 2>&1 || true; } | head -n 1 > "$out/VERSION.txt"
java -version 2>> "$out/VERSION.txt" || true

# The real Provision_PT_737E gafgyt tcp+udp rows (../shared; never committed):
# all 115 columns, the 11-class label; Weka takes 2-4 minutes.
shared=${BAIOT_SHARED:-$here/../shared}
baiot=${BAIOT_BIN:-$here/build/baiot}
if [ -d "$shared/data/nbaiot/real" ] && [ -x "$baiot" ]; then
  tmp=$(mktemp -d)
  "$baiot" ingest -q "$shared"/data/nbaiot/real/Provision_PT_737E_Security_Camera.gafgyt.*.zip -o "$tmp/real.h5"
  "$baiot" export "$tmp/real.h5" --arff --task 11class -o "$tmp/real.arff"
  java -Xmx12g -cp "${WEKA_JAR:-/usr/share/java/weka.jar}" weka.classifiers.trees.J48 -t "$tmp/real.arff" -i \
    > "$here/tests/golden/weka/j48_real/real_pt737e_gafgyt_tcp_udp.11class.txt"
  rm -rf "$tmp"
fi
