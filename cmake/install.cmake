# install.cmake - what `cmake --install` and the .deb (CPack) put where:
# the `baiot` program (and `baiot-mpi` when built), libbaiot.so with its
# SONAME, the public headers (include/baiot/), a pkg-config file and a CMake
# package config (find_package(baiot) -> baiot::baiot), man pages and bash /
# zsh completion generated from the program's --help texts
# (scripts/gen_docs.py, target baiot_docs), and the README.  Both the
# pkg-config file and the package config are relocatable, so a
# `cmake --install build --prefix DIR` and the .deb's /usr are both right.
# Covered by tests/install/test_install.sh (install into a temporary prefix,
# build a program through pkg-config and through find_package, run it),
# tests/install/test_docs.sh (pages and completions against --help) and
# tests/install/test_deb.sh (the package's contents); .ci/run installs the
# .deb with apt on a fresh Debian and runs `baiot demo` there
# (tests/install/fresh_debian.sh).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Man pages and completions, regenerated whenever the program changes.
set(BAIOT_DOCS_DIR ${CMAKE_BINARY_DIR}/generated/docs)
add_custom_command(
  OUTPUT ${BAIOT_DOCS_DIR}/stamp
  COMMAND ${CMAKE_COMMAND} -E env BAIOT_NO_VERIFY=1
          python3 ${CMAKE_SOURCE_DIR}/scripts/gen_docs.py --baiot $<TARGET_FILE:baiot> --out ${BAIOT_DOCS_DIR}
  DEPENDS baiot ${CMAKE_SOURCE_DIR}/scripts/gen_docs.py
  COMMENT "man pages and shell completions from baiot --help")
add_custom_target(baiot_docs ALL DEPENDS ${BAIOT_DOCS_DIR}/stamp)

install(TARGETS baiot RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET baiot-mpi)
  install(TARGETS baiot-mpi RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
set_target_properties(baiot_shared PROPERTIES EXPORT_NAME baiot)
install(TARGETS baiot_shared EXPORT baiotTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Unspecified)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/baiot DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")

# pkg-config: paths relative to the .pc file's own folder (${pcfiledir})
file(RELATIVE_PATH BAIOT_PC_UP "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
set(BAIOT_PC_PREFIX "\${pcfiledir}/${BAIOT_PC_UP}")
string(REGEX REPLACE "/$" "" BAIOT_PC_PREFIX "${BAIOT_PC_PREFIX}")
set(BAIOT_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
set(BAIOT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
configure_file(${CMAKE_SOURCE_DIR}/cmake/baiot.pc.in ${CMAKE_BINARY_DIR}/generated/baiot.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/generated/baiot.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake package: baiot::baiot
set(BAIOT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/baiot)
install(EXPORT baiotTargets NAMESPACE baiot:: DESTINATION ${BAIOT_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/baiotConfig.cmake.in
  ${CMAKE_BINARY_DIR}/generated/baiotConfig.cmake INSTALL_DESTINATION ${BAIOT_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/generated/baiotConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/generated/baiotConfig.cmake ${CMAKE_BINARY_DIR}/generated/baiotConfigVersion.cmake
        DESTINATION ${BAIOT_CMAKE_DIR})

install(DIRECTORY ${BAIOT_DOCS_DIR}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${BAIOT_DOCS_DIR}/completion/baiot DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${BAIOT_DOCS_DIR}/completion/_baiot DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The Debian package: `cpack -G DEB` in the build folder -> baiot_VERSION_ARCH.deb
set(CPACK_PACKAGE_NAME baiot)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "baiot developers")
set(CPACK_PACKAGE_CONTACT "baiot developers <baiot@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "IoT botnet detection on N-BaIoT: Weka-identical OneR, J48 and EM, anomaly detectors")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "An engine for detecting IoT botnet traffic in the N-BaIoT data set: an HDF5\n column store fed from the published files, Weka-identical OneR ranking, J48\n and EM, per-device anomaly detectors, a traffic simulator for the default\n data, live detection on captures and interfaces.")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# beyond the linked libraries (dpkg-shlibdeps finds those): PLplot's cairo
# driver, loaded at run time for the report's PNG and SVG figures
set(CPACK_DEBIAN_PACKAGE_DEPENDS "plplot-driver-cairo")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
include(CPack)
