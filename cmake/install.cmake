# The C++ API as an installable package (included from CMakeLists.txt with RB_INSTALL): the shared
# core, the headers and rosenblattConfig.cmake, so `find_package(rosenblatt CONFIG)` gives rosenblatt::core.
# A plain `cmake --install` uses the GNU layout and adds the static core (rosenblatt::core_static);
# the wheel puts headers, the shared core and the config under the package: rosenblatt/{include,lib,share}.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# One version, pyproject.toml's.
file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/pyproject.toml RB_VERSION_LINE REGEX "^version = ")
string(REGEX REPLACE "^version = \"([^\"]+)\".*" "\\1" RB_VERSION "${RB_VERSION_LINE}")

if(SKBUILD)
  set(RB_INSTALL_INCLUDEDIR rosenblatt/include)
  set(RB_INSTALL_LIBDIR rosenblatt/lib)
  set(RB_INSTALL_CMAKEDIR rosenblatt/share/cmake/rosenblatt)
  # The wheel's lib folder is site-packages/rosenblatt/lib; the BLAS is site-packages/scipy_openblas32/lib.
  set(RB_CORE_INSTALL_RPATH "$ORIGIN/../../scipy_openblas32/lib")
else()
  set(RB_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR})
  set(RB_INSTALL_LIBDIR ${CMAKE_INSTALL_LIBDIR})
  set(RB_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/rosenblatt)
  set(RB_CORE_INSTALL_RPATH "${RB_OPENBLAS_LIBDIR}")
endif()

add_library(rosenblatt_core_shared SHARED $<TARGET_OBJECTS:rb_core_objects> ${RB_CPU_VARIANT_OBJECTS})
target_link_libraries(rosenblatt_core_shared PUBLIC $<BUILD_INTERFACE:rb_core_flags>)
set_target_properties(rosenblatt_core_shared PROPERTIES
  OUTPUT_NAME rosenblatt_core EXPORT_NAME core INSTALL_RPATH "${RB_CORE_INSTALL_RPATH}")
if(NOT SKBUILD)  # a wheel cannot hold the version symlinks
  set_target_properties(rosenblatt_core_shared PROPERTIES VERSION ${RB_VERSION} SOVERSION ${RB_VERSION})
endif()
# Calls inside the library bind to its own functions (no PLT indirection through interposable
# symbols), so the shared core runs its per-op paths as fast as the static one.
if(NOT APPLE AND NOT WIN32)
  target_link_options(rosenblatt_core_shared PRIVATE -Wl,-Bsymbolic-functions)
endif()
set_target_properties(rosenblatt_core PROPERTIES EXPORT_NAME core_static)
# What an outside program needs: the installed headers, the BLAS and OpenMP (found again by the config).
foreach(t rosenblatt_core rosenblatt_core_shared)
  target_include_directories(${t} INTERFACE $<INSTALL_INTERFACE:${RB_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${t} PUBLIC $<INSTALL_INTERFACE:OpenBLAS::OpenBLAS>)
  if(RB_OPENMP)
    target_link_libraries(${t} PUBLIC $<INSTALL_INTERFACE:OpenMP::OpenMP_CXX>)
  endif()
  target_compile_features(${t} INTERFACE cxx_std_17)
endforeach()

install(DIRECTORY cpp/include/rosenblatt DESTINATION ${RB_INSTALL_INCLUDEDIR} COMPONENT cpp FILES_MATCHING PATTERN "*.h")
install(TARGETS rosenblatt_core_shared EXPORT rosenblattTargets COMPONENT cpp
  LIBRARY DESTINATION ${RB_INSTALL_LIBDIR} NAMELINK_COMPONENT cpp)
install(EXPORT rosenblattTargets NAMESPACE rosenblatt:: DESTINATION ${RB_INSTALL_CMAKEDIR} COMPONENT cpp)
# The static core stays out of the wheel (it would double the wheel's size for the same code).
if(NOT SKBUILD)
  install(TARGETS rosenblatt_core EXPORT rosenblattStaticTargets COMPONENT cpp ARCHIVE DESTINATION ${RB_INSTALL_LIBDIR})
  install(EXPORT rosenblattStaticTargets NAMESPACE rosenblatt:: DESTINATION ${RB_INSTALL_CMAKEDIR} COMPONENT cpp)
endif()

# The config finds scipy-openblas32's OpenBLASConfig.cmake beside the wheel, through a Python
# interpreter, or where this build found it.
set(RB_BUILD_OPENBLAS_DIR "${OpenBLAS_DIR}")
configure_file(cmake/rosenblattConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/rosenblattConfig.cmake @ONLY)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/rosenblattConfigVersion.cmake
  VERSION ${RB_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rosenblattConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/rosenblattConfigVersion.cmake
  DESTINATION ${RB_INSTALL_CMAKEDIR} COMPONENT cpp)
