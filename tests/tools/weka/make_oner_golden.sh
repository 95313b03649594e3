#!/usr/bin/env bash
# Regenerates tests/golden/weka/oner/: Weka 3.6.14's OneR (-B 6) with its
# cross-validation printed by the command line (-t FILE -i), for folds and
# seeds other than the defaults:
#   java -cp /usr/share/java/weka.jar weka.classifiers.rules.OneR -t FILE.arff -i -x FOLDS -s SEED
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
out=$here/tests/golden/weka/oner
jar=${WEKA_JAR:-/usr/share/java/weka.jar}
mkdir -p "$out"
for f in iris labor soybean vote diabetes credit-g glass; do
  for fs in "5 2" "10 42" "3 7"; do
    set -- $fs
    java -cp "$jar" weka.classifiers.rules.OneR -t "$here/tests/data/weka/$f.arff" -i -x "$1" -s "$2" \
      > "$out/$f.x$1.s$2.txt"
  done
done
