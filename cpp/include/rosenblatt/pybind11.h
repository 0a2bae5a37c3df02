// A pybind11 type caster for rb::Tensor, for other extensions: with this header included, a bound
// function takes and returns rosenblatt.Tensor objects as rb::Tensor, sharing memory and autograd.
//
//   #include <rosenblatt/pybind11.h>
//   PYBIND11_MODULE(my_ext, m) { m.def("twice", [](const rb::Tensor& t) { return rb::mul(t, 2.0); }); }
//
// It goes through rosenblatt/python.h's capsule (read its requirements), not pybind11's type
// registry, so any pybind11 version works. Not for rosenblatt's own bindings (cpp/bindings).
#pragma once
#include <pybind11/pybind11.h>

#include "rosenblatt/python.h"

namespace pybind11::detail {

template <>
struct type_caster<rb::Tensor> {
  PYBIND11_TYPE_CASTER(rb::Tensor, const_name("rosenblatt.Tensor"));
  bool load(handle src, bool) {
    if (rb::python::to_tensor(src.ptr(), value)) return true;
    if (PyErr_Occurred()) throw error_already_set();
    return false;
  }
  static handle cast(const rb::Tensor& t, return_value_policy, handle) {
    PyObject* o = rb::python::from_tensor(t);
    if (o == nullptr) throw error_already_set();
    return o;
  }
};

}  // namespace pybind11::detail
