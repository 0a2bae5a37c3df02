// Bindings of the copies between devices (ops/device.h): Tensor._to_device, behind Tensor.to(device),
// .cuda() and .cpu() (python/rosenblatt/_tensor.py keeps the Python object when nothing moves).
#include "rosenblatt/ops/device.h"
#include "bind.h"

namespace rb::bind {

void device(py::module_& m, TensorClass& cls) {
  (void)m;
  cls.def("_to_device", &to_device, py::arg("device"), py::arg("non_blocking") = false,
          py::call_guard<py::gil_scoped_release>());
}

}  // namespace rb::bind
