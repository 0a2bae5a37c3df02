// Bindings of tensor creation (zeros/ones/full/empty and their _like forms).
#include "bind.h"

namespace rb::bind {

void factory(py::module_& m, TensorClass& cls) {
  (void)cls;
  auto fill_fn = [](Scalar v) {
    return [v](py::args a, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
      Tensor t = full(shape_from_args(a), v, dtype.value_or(DType::Float32), device.value_or(Device()));
      if (requires_grad) t.set_requires_grad(true);
      return t;
    };
  };
  m.def("zeros", fill_fn(Scalar(int64_t(0))), py::kw_only(), py::arg("dtype") = py::none(),
        py::arg("device") = py::none(), py::arg("requires_grad") = false);
  m.def("ones", fill_fn(Scalar(int64_t(1))), py::kw_only(), py::arg("dtype") = py::none(),
        py::arg("device") = py::none(), py::arg("requires_grad") = false);
  m.def("empty", [](py::args a, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
    Tensor t = Tensor::empty(shape_from_args(a), dtype.value_or(DType::Float32), device.value_or(Device()));
    if (requires_grad) t.set_requires_grad(true);
    return t;
  }, py::kw_only(), py::arg("dtype") = py::none(), py::arg("device") = py::none(), py::arg("requires_grad") = false);
  m.def("full", [](py::object size, Scalar v, std::optional<DType> dtype, std::optional<Device> device,
                   bool requires_grad) {
    // PyTorch infers the dtype from the fill value when none is given.
    Tensor t = full(shape_from_object(size), v, dtype.value_or(v.dtype()), device.value_or(Device()));
    if (requires_grad) t.set_requires_grad(true);
    return t;
  }, py::arg("size"), py::arg("fill_value"), py::kw_only(), py::arg("dtype") = py::none(),
        py::arg("device") = py::none(), py::arg("requires_grad") = false);
  auto like = [](Scalar v, bool uninit) {
    return [v, uninit](const Tensor& x, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
      DType dt = dtype.value_or(x.dtype());
      Device dev = device.value_or(x.device());
      Tensor t = uninit ? Tensor::empty(x.shape(), dt, dev) : full(x.shape(), v, dt, dev);
      if (requires_grad) t.set_requires_grad(true);
      return t;
    };
  };
  m.def("zeros_like", like(Scalar(int64_t(0)), false), py::arg("input"), py::kw_only(), py::arg("dtype") = py::none(),
        py::arg("device") = py::none(), py::arg("requires_grad") = false);
  m.def("ones_like", like(Scalar(int64_t(1)), false), py::arg("input"), py::kw_only(), py::arg("dtype") = py::none(),
        py::arg("device") = py::none(), py::arg("requires_grad") = false);
  m.def("empty_like", like(Scalar(int64_t(0)), true), py::arg("input"), py::kw_only(), py::arg("dtype") = py::none(),
        py::arg("device") = py::none(), py::arg("requires_grad") = false);
  m.def("full_like", [](const Tensor& x, Scalar v, std::optional<DType> dtype, std::optional<Device> device,
                        bool requires_grad) {
    Tensor t = full(x.shape(), v, dtype.value_or(x.dtype()), device.value_or(x.device()));
    if (requires_grad) t.set_requires_grad(true);
    return t;
  }, py::arg("input"), py::arg("fill_value"), py::kw_only(), py::arg("dtype") = py::none(),
        py::arg("device") = py::none(), py::arg("requires_grad") = false);
}

}  // namespace rb::bind
