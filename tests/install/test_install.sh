#!/usr/bin/env bash
# test_install.sh BUILD_DIR - `cmake --install` of the build into a temporary
# prefix (cmake/install.cmake), then tests/install/example.c built against
# it twice: through pkg-config (baiot.pc) and through CMake's
# find_package(baiot) (baiot::baiot), each run and its output checked (a
# simulated store, J48 on it).  Also: the installed program runs, the
# library has its SONAME, and nothing is installed outside the prefix.
# BAIOT_C_FLAGS: the build's C flags (sanitizer builds pass theirs on).
set -euo pipefail
build=$(cd "$1" && pwd)
src=${BAIOT_SRC:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }
grep -v "^-- Install configuration" "$tmp/install.log" | grep -v -- "$prefix" | grep . && fail "installed outside the prefix"
libdir=$(dirname "$(find "$prefix" -name 'libbaiot.so.*.*.*' | head -1)")
[ -n "$libdir" ] || fail "no libbaiot.so.X.Y.Z installed"
soname=$(objdump -p "$libdir"/libbaiot.so | sed -n 's/^ *SONAME *//p')
[ "$soname" = libbaiot.so.0 ] || fail "SONAME is '$soname', want libbaiot.so.0"
"$prefix/bin/baiot" --version | grep -q '^baiot ' || fail "the installed baiot does not run"
for f in include/baiot/baiot.h include/baiot/j48.h share/man/man1/baiot.1 share/man/man1/baiot-em.1 \
         share/bash-completion/completions/baiot share/zsh/vendor-completions/_baiot; do
  [ -s "$prefix/$f" ] || fail "$f not installed"
done
echo "ok: installed into a temporary prefix (SONAME $soname)"

check_run() { # program label
  out=$(cd "$tmp" && LD_LIBRARY_PATH=$libdir "$1" "$tmp/$2.h5") || fail "$2: the example failed"
  echo "$out" | grep -Eq '^baiot [0-9.]+: [0-9]+ rows, 115 columns, 3 classes; J48: [0-9]+ leaves, size [0-9]+$' ||
    fail "$2: unexpected output '$out'"
  echo "ok: $2: $out"
}

# 1. pkg-config
export PKG_CONFIG_PATH=$libdir/pkgconfig
[ "$(pkg-config --modversion baiot)" = "$("$prefix/bin/baiot" --version | awk '{print $2}')" ] ||
  fail "pkg-config --modversion baiot: $(pkg-config --modversion baiot)"
# shellcheck disable=SC2046
cc ${BAIOT_C_FLAGS:-} -Wall -Wextra -Werror $(pkg-config --cflags baiot) "$src/tests/install/example.c" \
   -o "$tmp/example-pc" $(pkg-config --libs baiot) || fail "build through pkg-config"
check_run "$tmp/example-pc" pkg-config

# 2. find_package(baiot)
mkdir -p "$tmp/consumer"
cat > "$tmp/consumer/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(baiot 0.1 REQUIRED)
add_executable(example-cmake $src/tests/install/example.c)
target_link_libraries(example-cmake PRIVATE baiot::baiot)
CM
cmake -S "$tmp/consumer" -B "$tmp/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_FLAGS="${BAIOT_C_FLAGS:-} -Wall -Wextra -Werror" > "$tmp/cm.log" 2>&1 || { cat "$tmp/cm.log"; fail "find_package(baiot)"; }
cmake --build "$tmp/consumer/build" > "$tmp/cmb.log" 2>&1 || { cat "$tmp/cmb.log"; fail "build through find_package"; }
check_run "$tmp/consumer/build/example-cmake" find_package
echo "PASS: install"
