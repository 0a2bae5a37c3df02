// Tensors across Python extensions, in the plain CPython API (no pybind11 or nanobind needed):
// rb::python::to_tensor / from_tensor hand the same TensorImpl (data, grad_fn, requires_grad) between
// rosenblatt.Tensor objects and an extension's rb::Tensor, without a copy, through a PyCapsule.
//
// Requirements: the extension is built against the headers of the rosenblatt it runs with (the
// CMake package checks the version) by a compiler with the same C++ ABI (GCC/Clang with libstdc++
// on Linux, as the wheel's), since the capsule holds a std::shared_ptr<rb::TensorImpl>, and links
// rosenblatt::core: the shared core that rosenblatt._C itself loads, so grad mode (Python's
// `with rb.no_grad()`), the generator, the thread count and the autograd engine are one. For other
// frameworks, exchange data through DLPack (rb.from_dlpack, Tensor.__dlpack__): memory, no autograd.
#pragma once
#include <Python.h>

#include <memory>

#include "rosenblatt/tensor.h"

namespace rb::python {

constexpr const char* kCapsuleName = "rosenblatt.TensorImpl";

// True and out set when obj is a rosenblatt Tensor (or subclass, such as nn.Parameter); false with
// no Python error set when it is not; false with the error set when the exchange itself failed.
inline bool to_tensor(PyObject* obj, Tensor& out) {
  PyObject* module = PyImport_ImportModule("rosenblatt._C");
  if (module == nullptr) return false;
  PyObject* cls = PyObject_GetAttrString(module, "Tensor");
  Py_DECREF(module);
  if (cls == nullptr) return false;
  int is_tensor = PyObject_IsInstance(obj, cls);
  Py_DECREF(cls);
  if (is_tensor != 1) return false;
  PyObject* cap = PyObject_CallMethod(obj, "_rb_capsule", nullptr);
  if (cap == nullptr) return false;
  auto* impl = static_cast<std::shared_ptr<TensorImpl>*>(PyCapsule_GetPointer(cap, kCapsuleName));
  if (impl != nullptr) out = Tensor(*impl);
  Py_DECREF(cap);
  return impl != nullptr;
}

// A new reference to a rosenblatt.Tensor sharing t's TensorImpl; None for an undefined tensor;
// nullptr with a Python error set on failure.
inline PyObject* from_tensor(const Tensor& t) {
  if (!t.defined()) Py_RETURN_NONE;
  auto* held = new std::shared_ptr<TensorImpl>(t.impl_ptr());
  PyObject* cap = PyCapsule_New(held, kCapsuleName, [](PyObject* c) {
    delete static_cast<std::shared_ptr<TensorImpl>*>(PyCapsule_GetPointer(c, kCapsuleName));
  });
  if (cap == nullptr) {
    delete held;
    return nullptr;
  }
  PyObject* module = PyImport_ImportModule("rosenblatt._C");
  PyObject* result = module ? PyObject_CallMethod(module, "_rb_from_capsule", "O", cap) : nullptr;
  Py_XDECREF(module);
  Py_DECREF(cap);
  return result;
}

}  // namespace rb::python
