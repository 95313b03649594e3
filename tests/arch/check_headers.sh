#!/usr/bin/env bash
# check_headers.sh SOURCE_DIR - every public header (include/baiot/*.h)
# compiles alone (and twice: include guards), as C11 with -Wpedantic and as
# C++11, with warnings as errors.  What the library exports is checked by
# tests/arch/check_exports.sh.  Run by ctest as arch_headers.
set -euo pipefail
src=$1
fail=0; n=0
for h in "$src"/include/baiot/*.h; do
    name=baiot/$(basename "$h")
    n=$((n + 1))
    if ! out=$(printf '#include "%s"\n#include "%s"\n' "$name" "$name" |
               cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I "$src/include" -x c - 2>&1); then
        echo "$name: does not compile alone as C:"; echo "$out" | head -5; fail=1
    fi
    if ! out=$(printf '#include "%s"\nint main() { return 0; }\n' "$name" |
               c++ -std=c++11 -Wall -Wextra -Werror -fsyntax-only -I "$src/include" -x c++ - 2>&1); then
        echo "$name: does not compile as C++:"; echo "$out" | head -5; fail=1
    fi
done
echo "public headers checked: $n (C11 and C++11)"
exit $fail
