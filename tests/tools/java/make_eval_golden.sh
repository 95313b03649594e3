#!/usr/bin/env bash
# Regenerates tests/golden/weka/eval/: Weka 3.6.14's 10-fold cross-validation
# figures, pooled predictions, per-fold priors and threshold curves
# (WekaEvalGolden.java in this folder) for tests/unit/test_evaluation.c.
# Needs `apt-get install weka` (Java); the tests themselves don't.
#
#   javac -cp /usr/share/java/weka.jar -d BUILD WekaEvalGolden.java
#   java -cp /usr/share/java/weka.jar:BUILD WekaEvalGolden -t FILE.arff \
#        -W weka.classifiers.trees.J48 -x 10 -s 1 -o OUT/FILE.J48
#
# Runs: iris labor soybean vote diabetes credit-g weather.nominal (the Weka
# examples in tests/data/weka) x OneR, J48, NaiveBayes with default options;
# tests/data/eval/iris-edge.arff (a declared class no row has, missing
# classes) x ZeroR, OneR, J48, NaiveBayes; many-classes.arff (28 classes:
# matrix labels past 'z') x ZeroR, NaiveBayes; weighted rows (-weights) and
# unclassified rows (-abstain) on a few; hand-made corner cases fed straight
# to Evaluation (-probes); and the number-format table (-formats).
# Threshold curves of soybean and many-classes: first two classes only.
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
out=$here/tests/golden/weka/eval
jar=${WEKA_JAR:-/usr/share/java/weka.jar}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
javac -cp "$jar" -d "$build" "$here/tests/tools/java/WekaEvalGolden.java" "$here/tests/tools/java/JavaDoubleTexts.java"
mkdir -p "$out"
rm -f "$out"/*.tsv "$out"/*.txt

run() { # data-file classifier-short-name name-suffix extra-options...
  local f=$1 c=$2 suffix=$3 name pkg
  shift 3
  case $c in
    OneR|ZeroR) pkg=weka.classifiers.rules ;;
    J48) pkg=weka.classifiers.trees ;;
    NaiveBayes) pkg=weka.classifiers.bayes ;;
  esac
  name=$(basename "$f" .arff).$c$suffix
  # many classes: keep the curves of the first two only (file size)
  case $(basename "$f") in soybean.arff|many-classes.arff) set -- -roc 2 "$@" ;; esac
  java -cp "$jar:$build" WekaEvalGolden -t "$f" -W "$pkg.$c" -x 10 -s 1 -o "$out/$name" "$@"
}

for f in iris labor soybean vote diabetes credit-g weather.nominal; do
  for c in OneR J48 NaiveBayes; do
    run "$here/tests/data/weka/$f.arff" $c ""
  done
done
for c in ZeroR OneR J48 NaiveBayes; do
  run "$here/tests/data/eval/iris-edge.arff" $c ""
done
run "$here/tests/data/eval/many-classes.arff" ZeroR ""
run "$here/tests/data/eval/many-classes.arff" NaiveBayes ""
run "$here/tests/data/weka/diabetes.arff" J48 .w -weights
run "$here/tests/data/eval/iris-edge.arff" NaiveBayes .w -weights
run "$here/tests/data/weka/iris.arff" NaiveBayes .a7 -abstain 7
run "$here/tests/data/weka/vote.arff" J48 .w.a5 -weights -abstain 5
java -cp "$jar:$build" WekaEvalGolden -formats "$out/formats.tsv"
java -cp "$build" JavaDoubleTexts > "$out/java_double.tsv"
java -cp "$jar:$build" WekaEvalGolden -probes "$out"

{
  echo "Made by tests/tools/java/make_eval_golden.sh with:"
  java -version 2>&1 | sed 's/^/    /'
  echo "    weka: $(dpkg-query -W -f='${Version}' weka 2>/dev/null || echo unknown) ($jar)"
} > "$out/VERSION.txt"
