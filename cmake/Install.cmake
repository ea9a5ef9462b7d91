# `cmake --install <build> --prefix P` installs
#   P/bin/edgec
#   P/share/edgec/runtime/     the C runtime (targets/CMakeLists.txt installs it)
#   P/lib/cmake/edgec/         the CMake package: find_package(edgec) gives
#                              edgec::edgec, edgec_add_model() (docs/cmake.md)
include(CMakePackageConfigHelpers)

set(EDGEC_CMAKE_INSTALL_DIR lib/cmake/edgec)
install(TARGETS edgec EXPORT edgecTargets RUNTIME DESTINATION bin)
install(EXPORT edgecTargets NAMESPACE edgec:: DESTINATION ${EDGEC_CMAKE_INSTALL_DIR})

set(pkg ${CMAKE_SOURCE_DIR}/cmake/package)
foreach(f edgecConfig edgec-arm-none-eabi)
  configure_package_config_file(${pkg}/${f}.cmake.in ${CMAKE_BINARY_DIR}/package/${f}.cmake
    INSTALL_DESTINATION ${EDGEC_CMAKE_INSTALL_DIR}
    PATH_VARS EDGEC_RUNTIME_INSTALL_DIR)
endforeach()
# 0.x: a minor version may change the package's interface.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/package/edgecConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT) # a host tool: firmware builds for any CPU find it
install(FILES
  ${CMAKE_BINARY_DIR}/package/edgecConfig.cmake
  ${CMAKE_BINARY_DIR}/package/edgecConfigVersion.cmake
  ${CMAKE_BINARY_DIR}/package/edgec-arm-none-eabi.cmake
  ${pkg}/EdgecAddModel.cmake
  ${pkg}/EdgecBoard.cmake
  DESTINATION ${EDGEC_CMAKE_INSTALL_DIR})
