#!/usr/bin/env bash
# run_tests.sh BUILD_DIR - the Python package's test (ctest python_package):
# makes a virtual environment with Debian's numpy, pandas and scikit-learn
# (--system-site-packages) in BUILD_DIR/python-venv, installs python/ into
# it offline (pip --no-index --no-build-isolation, against BUILD_DIR's
# libbaiot.so.0: BAIOT_BUILD_DIR), then runs tests/python with pytest from
# outside the source tree, so the installed package is the one tested.
# Skips (77) when python3-venv, pytest or the Python headers are missing.
set -euo pipefail
build=$(cd "$1" && pwd)
src=${BAIOT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
py=/usr/bin/python3
for need in "ensurepip" "pytest" "numpy" "pandas" "sklearn" "h5py" "scipy"; do
    if ! $py -c "import $need" 2>/dev/null; then
        echo "SKIP: python3 module '$need' missing (scripts/install-deps installs it)"; exit 77
    fi
done
if [ ! -f "/usr/include/python3.$($py -c 'import sys; print(sys.version_info.minor)')/Python.h" ]; then
    echo "SKIP: no Python headers (python3-dev)"; exit 77
fi
work=$build/python-test
rm -rf "$work"
mkdir -p "$work"
$py -m venv --system-site-packages "$work/venv"
cp -r "$src/python" "$work/python-src"   # pip builds in place: keep the source tree clean
BAIOT_SOURCE_DIR=$src BAIOT_BUILD_DIR=$build BAIOT_WERROR=1 \
    "$work/venv/bin/pip" install -q --no-index --no-build-isolation --no-deps "$work/python-src"
cd "$work"
export BAIOT_SRC=$src BAIOT_BIN=${BAIOT_BIN:-$build/baiot}
exec "$work/venv/bin/python" -m pytest -q -p no:cacheprovider -o console_output_style=classic "$src/tests/python"
