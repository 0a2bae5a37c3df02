// Bindings of build and runtime configuration: thread count, BLAS name, compiled features.
#include "bind.h"

#include "../kernels/cpu/blas.h"
#include "../kernels/cpu/loops.h"

namespace rb::bind {

void config(py::module_& m) {
  m.def("set_num_threads", [](int n) {
    RB_CHECK(n > 0, ValueError, "set_num_threads expects a positive integer, got ", n);
    cpu::set_num_threads(n);
  }, py::arg("num"));
  m.def("get_num_threads", &cpu::num_threads);
  py::dict info;
  info["blas"] = cpu::blas_name();
#ifdef RB_OPENMP
  info["openmp"] = true;
#else
  info["openmp"] = false;
#endif
  info["cuda"] = false;
  info["compiler"] = __VERSION__;
  m.attr("_build_info") = info;
}

}  // namespace rb::bind
