"""setup.py - builds the Python package `baiot` from this repository, offline.

`pip install ./python` (no network: there is no pyproject.toml, so pip
builds with the setuptools already installed, Debian's python3-setuptools)
compiles the extension baiot._ext (python/src/ext_*.c, numpy's C API)
against libbaiot.so of this repository and puts libbaiot.so.0 inside the
package (found through an $ORIGIN rpath), so the install does not depend on
the build folder afterwards.

Where libbaiot.so comes from, first match:
  1. $BAIOT_BUILD_DIR: a CMake build folder of this repository that already
     holds libbaiot.so.0 (the ctest python_package test passes its own);
  2. otherwise CMake builds the target baiot_shared into python/build-lib/
     (Release, the library only: a few minutes on two cores).
Covered by tests/python/run_tests.sh (ctest python_package).
"""
import os
import shutil
import subprocess
import sys

import numpy
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.environ.get("BAIOT_SOURCE_DIR") or os.path.dirname(HERE)
SONAME = "libbaiot.so.0"


def library_dir():
    """The folder holding libbaiot.so.0, built here when none is given."""
    given = os.environ.get("BAIOT_BUILD_DIR")
    if given:
        if not os.path.exists(os.path.join(given, SONAME)):
            sys.exit(f"BAIOT_BUILD_DIR={given} holds no {SONAME}: build it with "
                     "`cmake --build {given} --target baiot_shared`")
        return os.path.abspath(given)
    if not os.path.exists(os.path.join(REPO, "include", "baiot", "view.h")):
        sys.exit(f"{REPO} is not the baiot repository (set BAIOT_SOURCE_DIR)")
    out = os.path.join(HERE, "build-lib")
    subprocess.check_call(["cmake", "-S", REPO, "-B", out, "-DCMAKE_BUILD_TYPE=Release"])
    subprocess.check_call(["cmake", "--build", out, "--target", "baiot_shared", "-j2"])
    return out


class BuildExt(build_ext):
    """Builds libbaiot first, links against it and ships its SONAME file."""

    def run(self):
        lib = library_dir()
        for ext in self.extensions:
            ext.library_dirs.append(lib)
        self._lib = lib
        super().run()
        dest = os.path.join(self.build_lib, "baiot")
        os.makedirs(dest, exist_ok=True)
        shutil.copy2(os.path.realpath(os.path.join(lib, SONAME)), os.path.join(dest, SONAME))
        if self.inplace:
            shutil.copy2(os.path.realpath(os.path.join(lib, SONAME)), os.path.join(HERE, "baiot", SONAME))


ext = Extension(
    "baiot._ext",
    sources=sorted(os.path.join("src", f) for f in os.listdir(os.path.join(HERE, "src")) if f.endswith(".c")),
    include_dirs=[os.path.join(REPO, "include"), numpy.get_include()],
    extra_compile_args=["-std=gnu11", "-fopenmp", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-missing-field-initializers",
                        "-Wno-cast-function-type"] + (["-Werror"] if os.environ.get("BAIOT_WERROR") == "1" else []),
    extra_link_args=["-fopenmp", "-l:" + SONAME, "-Wl,-rpath,$ORIGIN"],
)

setup(
    name="baiot",
    version="0.1.0",
    description="N-BaIoT botnet detection: Weka-identical OneR, J48, EM and the anomaly detectors of libbaiot",
    packages=["baiot"],
    ext_modules=[ext],
    cmdclass={"build_ext": BuildExt},
    python_requires=">=3.9",
    install_requires=[],  # numpy, pandas, scikit-learn: Debian's, not pip's (docs/PYTHON.md)
    zip_safe=False,
)
