#!/usr/bin/env bash
# check_exports.sh LIBBAIOT_SO - the shared library exports only the
# public API: every defined dynamic symbol starts with baiot_ (the library
# is built with -fvisibility=hidden; include/baiot/*.h opens default
# visibility with BAIOT_BEGIN_DECLS).  Prints the count; lists offenders.
# Run by ctest as arch_exports.
set -euo pipefail
lib=$1
syms=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^$' | sort)
bad=$(echo "$syms" | grep -v '^baiot_' || true)
n=$(echo "$syms" | grep -c '^baiot_' || true)
echo "$lib: $n exported symbols, all baiot_*: $([ -z "$bad" ] && echo yes || echo no)"
if [ -n "$bad" ]; then
    echo "exported without the baiot_ prefix:"; echo "$bad" | sed 's/^/  /'
    exit 1
fi
[ "$n" -gt 0 ]
