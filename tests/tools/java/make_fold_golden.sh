#!/bin/sh
# make_fold_golden.sh - regenerates tests/golden/weka/folds/ (the golden
# folds and splits of tests/unit/test_folds.c) by running Weka 3.6.14
# through tests/tools/java/WekaFolds.java.
#
# Usage: tests/tools/java/make_fold_golden.sh   (from anywhere; needs java,
# javac and weka.jar; WEKA_JAR overrides /usr/share/java/weka.jar).
# Every .folds file starts with the commands and versions that made it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
out=$src/tests/golden/weka/folds
weka=${WEKA_JAR:-/usr/share/java/weka.jar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

javac -nowarn -cp "$weka" -d "$tmp" "$here/WekaFolds.java"
wekaver=$(java -cp "$weka" weka.core.Version | head -n 1)
javaver=$(java -version 2>&1 | head -n 1)
mkdir -p "$out"

# An iris with missing classes: the class of every third row (rows 1, 4,
# 7, ... counting data rows from 0) replaced by '?'.
awk 'BEGIN { d = 0; r = 0 }
     d && NF && $0 !~ /^%/ { if (r % 3 == 1) sub(/,[^,]*$/, ",?"); r++ }
     tolower($0) ~ /^@data/ { d = 1 }
     { print }' "$src/tests/data/weka/iris.arff" > "$out/iris-missing-class.arff"

# first_rows N: the first N data rows of iris.arff, for the split rounding.
first_rows() {
    awk -v n="$1" 'BEGIN { d = 0; r = 0 }
         d && NF && $0 !~ /^%/ { if (r++ >= n) next }
         tolower($0) ~ /^@data/ { d = 1 }
         { print }' "$src/tests/data/weka/iris.arff" > "$tmp/iris$1.arff"
}

# golden NAME ARFF ROWSPATH SPEC...: writes $out/NAME.folds.  ROWSPATH is
# what the file's "data" line names ("-" when the test needs only n).
golden() {
    name=$1 arff=$2 rel=$3
    shift 3
    rows=$(awk 'd && NF && $0 !~ /^%/ { r++ } tolower($0) ~ /^@data/ { d = 1 } END { print r + 0 }' "$arff")
    {
        echo "# Weka $wekaver folds and splits (0-based row indices of the ARFF file, in file order)."
        echo "# Made by tests/tools/java/make_fold_golden.sh, which ran"
        echo "#   java -cp $weka:CLASSES WekaFolds $(basename "$arff") $*"
        echo "# with $javaver; format: tests/golden/weka/folds/README.md."
        echo "data $rel $rows"
        java -cp "$weka:$tmp" WekaFolds "$arff" "$@"
    } > "$out/$name.folds.tmp"
    mv "$out/$name.folds.tmp" "$out/$name.folds"
    echo "wrote $out/$name.folds"
}

STD="cv:1:10 cv:1:5 cv:1:3 cv:2:10 cv:2:5 cv:2:3 cv:42:10 cv:42:5 cv:42:3 split:1:66"
for d in iris soybean vote diabetes credit-g; do
    # shellcheck disable=SC2086
    golden "$d" "$src/tests/data/weka/$d.arff" "tests/data/weka/$d.arff" $STD
done
# shellcheck disable=SC2086
golden labor "$src/tests/data/weka/labor.arff" tests/data/weka/labor.arff $STD split:42:66
# shellcheck disable=SC2086
golden weather.nominal "$src/tests/data/weka/weather.nominal.arff" tests/data/weka/weather.nominal.arff \
    $STD cv:1:14 cv:2:14 cv:42:14 cv:1:2 split:1:75 split:2:25 split:1:50
# shellcheck disable=SC2086
golden iris-missing-class "$out/iris-missing-class.arff" tests/golden/weka/folds/iris-missing-class.arff \
    $STD cv:3:10 cv:4:10 cv:3:5 cv:4:5 split:3:66

# Split sizes where round(n*P/100) differs from n*(P/100) or n/100*P.
for n in 25 29 45 100; do first_rows $n; done
golden split-rounding-25 "$tmp/iris25.arff" - split:1:58
golden split-rounding-29 "$tmp/iris29.arff" - split:1:50
golden split-rounding-45 "$tmp/iris45.arff" - split:1:70
golden split-rounding-100 "$tmp/iris100.arff" - split:1:14.5 split:1:28.5
