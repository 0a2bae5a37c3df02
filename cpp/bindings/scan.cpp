// Bindings of the scan family (ops/scan.h): cumsum and cumprod as functions and Tensor methods.
#include "bind.h"

namespace rb::bind {

void scan(py::module_& m, TensorClass& cls) {
  for (bool is_sum : {true, false}) {
    const char* name = is_sum ? "cumsum" : "cumprod";
    auto fn = [is_sum](const Tensor& x, int64_t dim, std::optional<DType> dtype) {
      return is_sum ? cumsum(x, dim, dtype) : cumprod(x, dim, dtype);
    };
    const py::call_guard<py::gil_scoped_release> nogil{};  // a long scan lets other Python threads run
    m.def(name, fn, py::arg("input"), py::arg("dim"), py::kw_only(), py::arg("dtype") = py::none(), nogil);
    cls.def(name, fn, py::arg("dim"), py::kw_only(), py::arg("dtype") = py::none(), nogil);
  }
}

}  // namespace rb::bind
