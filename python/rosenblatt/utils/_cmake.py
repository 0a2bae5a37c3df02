"""Where CMake finds the installed C++ API (as torch.utils.cmake_prefix_path): the wheel ships the
headers, the shared core and rosenblattConfig.cmake under rosenblatt/include, lib and share/cmake."""
import os

cmake_prefix_path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "share", "cmake")
