// Bindings of the reduction family (sum, mean, ...) as functions and Tensor methods.
#include "bind.h"

namespace rb::bind {

void reduce(py::module_& m, TensorClass& cls) {
  auto sum_fn = [](const Tensor& x, py::object dim, bool keepdim, std::optional<DType> dtype) {
    return sum(x, dims_from_object(dim), keepdim, dtype);
  };
  auto mean_fn = [](const Tensor& x, py::object dim, bool keepdim) { return mean(x, dims_from_object(dim), keepdim); };
  m.def("sum", sum_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false,
        py::arg("dtype") = py::none());
  cls.def("sum", sum_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::arg("dtype") = py::none());
  m.def("mean", mean_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("mean", mean_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  m.def("_sum_to", &sum_to);
}

}  // namespace rb::bind
