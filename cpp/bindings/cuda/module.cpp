// The extension module rosenblatt._cuda: importing it registers the CUDA runtime and kernels into the
// core (the one rosenblatt._C uses: both link the shared core), and exposes torch.cuda's device
// queries. Nothing here touches a GPU at import, so a CUDA build imports on a machine without one.
#include <pybind11/pybind11.h>

#include "../../kernels/cuda/register.h"
#include "../../kernels/cuda/runtime.h"

namespace py = pybind11;

PYBIND11_MODULE(_cuda, m) {
  m.doc() = "rosenblatt's CUDA backend: registers the CUDA kernels and runtime into the core";
  rb::cuda::register_kernels();
  const py::call_guard<py::gil_scoped_release> nogil{};
  m.def("device_count", &rb::cuda::device_count, "The number of GPUs (0 without a GPU or a driver).");
  m.def("lazy_init", &rb::cuda::lazy_init, "Raises RuntimeError where CUDA cannot be used.", nogil);
  m.def("current_device", &rb::cuda::current_device, nogil);
  m.def("set_device", &rb::cuda::set_device, py::arg("device"), nogil);
  m.def("synchronize", &rb::cuda::synchronize, py::arg("device") = -1, nogil);
  m.def("memory_allocated", &rb::cuda::memory_allocated, py::arg("device") = -1);
  m.def("max_memory_allocated", &rb::cuda::max_memory_allocated, py::arg("device") = -1);
  m.def("memory_reserved", &rb::cuda::memory_reserved, py::arg("device") = -1);
  m.def("reset_peak_memory_stats", &rb::cuda::reset_peak_memory_stats, py::arg("device") = -1);
  m.def("empty_cache", &rb::cuda::empty_cache, nogil);
  m.def(
      "get_device_properties",
      [](int index) {
        rb::cuda::lazy_init();
        cudaDeviceProp p{};
        rb::cuda::check(cudaGetDeviceProperties(&p, index < 0 ? rb::cuda::current_device() : index),
                        "cudaGetDeviceProperties");
        py::dict d;
        d["name"] = std::string(p.name);
        d["major"] = p.major;
        d["minor"] = p.minor;
        d["total_memory"] = static_cast<int64_t>(p.totalGlobalMem);
        d["multi_processor_count"] = p.multiProcessorCount;
        return d;
      },
      py::arg("device") = -1);
  int runtime = 0;
  cudaRuntimeGetVersion(&runtime);
  m.attr("runtime_version") = runtime;  // e.g. 13000 for CUDA 13.0
}
