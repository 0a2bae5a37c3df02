# The CUDA backend (included from CMakeLists.txt with RB_CUDA=ON): librosenblatt_cuda (the CUDA kernel
# tables and runtime, cpp/kernels/cuda) on top of the shared core, and the Python module
# rosenblatt._cuda that registers them when imported. The CUDA runtime is linked statically, so the
# module loads on a machine without a driver and says there that no GPU is available.
if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
  # Ampere and Hopper machine code, plus Hopper PTX that the driver compiles for newer GPUs.
  set(CMAKE_CUDA_ARCHITECTURES 80-real 90)
endif()
enable_language(CUDA)
find_package(CUDAToolkit REQUIRED)
set(CMAKE_CUDA_STANDARD 17)
set(CMAKE_CUDA_STANDARD_REQUIRED ON)
set(CMAKE_CUDA_FLAGS_RELEASE "-O3 -DNDEBUG")
if(CCACHE)
  set(CMAKE_CUDA_COMPILER_LAUNCHER ${CCACHE})
endif()

file(GLOB RB_CUDA_SOURCES CONFIGURE_DEPENDS cpp/kernels/cuda/*.cu cpp/kernels/cuda/*.cpp)
add_library(rosenblatt_cuda SHARED ${RB_CUDA_SOURCES})
target_link_libraries(rosenblatt_cuda PUBLIC rosenblatt_core_shared PRIVATE CUDA::cudart_static)
target_compile_options(rosenblatt_cuda PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wno-unused-parameter>)
set_target_properties(rosenblatt_cuda PROPERTIES INSTALL_RPATH "$ORIGIN")  # beside the shared core
install(TARGETS rosenblatt_cuda LIBRARY DESTINATION ${RB_INSTALL_LIBDIR} COMPONENT cpp)

if(RB_PYTHON)
  pybind11_add_module(_cuda cpp/bindings/cuda/module.cpp)
  target_link_libraries(_cuda PRIVATE rosenblatt_cuda CUDA::cudart_static)
  set_target_properties(_cuda PROPERTIES INSTALL_RPATH "$ORIGIN/lib")
  if(SKBUILD)
    install(TARGETS _cuda DESTINATION rosenblatt)
  else()
    set_target_properties(_cuda PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${RB_PYTHON_OUTPUT_DIR})
  endif()
endif()
