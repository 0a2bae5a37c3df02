// What the binding files share: the Tensor class handle, one registration function per op family
// (each family binds its functions and its Tensor methods), and Python<->core conversions.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "rosenblatt/ops.h"

namespace py = pybind11;
using TensorClass = py::class_<rb::Tensor>;

namespace rb::bind {
// Heavy C++ work runs with the GIL released (arguments are converted before, results after).
inline const py::call_guard<py::gil_scoped_release> nogil{};
// An optional tensor argument as the core takes it: absent is the undefined Tensor.
inline Tensor opt(const std::optional<Tensor>& t) { return t ? *t : Tensor(); }

void tensor(py::module_& m, TensorClass& cls);  // attributes, numpy/DLPack exchange, autograd entry points
void elementwise(py::module_& m, TensorClass& cls);
void reduce(py::module_& m, TensorClass& cls);
void shape(py::module_& m, TensorClass& cls);
void indexing(py::module_& m, TensorClass& cls);
void linalg(py::module_& m, TensorClass& cls);
void factory(py::module_& m, TensorClass& cls);
void activation(py::module_& m, TensorClass& cls);  // activations, dropout: module _C._nn and top level
void embedding(py::module_& m, TensorClass& cls);   // embedding lookups, one_hot: top level and _C._nn
void attention(py::module_& m, TensorClass& cls);   // scaled_dot_product_attention: module _C._nn
void loss(py::module_& m, TensorClass& cls);        // losses: module _C._nn
void ctc(py::module_& m, TensorClass& cls);         // ctc_loss: module _C._nn
void conv(py::module_& m, TensorClass& cls);        // conv1d, conv2d, conv_transpose2d: module _C._nn
void optim(py::module_& m, TensorClass& cls);       // fused optimizer steps: module _C._optim
void config(py::module_& m);                        // threads, build info
void perceptron(py::module_& m, TensorClass& cls);  // the perceptron learning rule (_perceptron_*)
void pool(py::module_& m, TensorClass& cls);        // pooling: module _C._nn
void norm(py::module_& m, TensorClass& cls);        // batch norm, channel dropout: module _C._nn
void resize(py::module_& m, TensorClass& cls);      // upsampling, constant padding: module _C._nn
void recurrent(py::module_& m, TensorClass& cls);   // RNN/LSTM/GRU layers and cells: module _C._nn
void distance(py::module_& m, TensorClass& cls);    // cosine similarity, pairwise distance: module _C._nn
void numeric(py::module_& m, TensorClass& cls);     // frexp, histogram
void scan(py::module_& m, TensorClass& cls);        // cumsum, cumprod
void sort(py::module_& m, TensorClass& cls);        // sort, argsort, topk, kthvalue
void transform(py::module_& m, TensorClass& cls);   // tril/triu, flip, roll, repeat, tile, repeat_interleave
void toolbox(py::module_& m, TensorClass& cls);     // movedim, diagonal, outer, trace, index_add, einsum ...
void storage(py::module_& m, TensorClass& cls);     // _C._StorageImpl (rosenblatt.UntypedStorage), Tensor.set_
// A view's geometry against its storage's bytes: PyTorch's as_strided/set_ errors (negative offset or
// strides, shape/stride length mismatch, past the end), every product overflow-checked.
void check_storage_geometry(const Shape& sizes, const Shape& strides, int64_t off, int64_t itemsize, size_t nbytes);

// Shapes given either as varargs ints or as one sequence: zeros(2, 3) and zeros((2, 3)).
Shape shape_from_args(const py::args& args);
Shape shape_from_object(py::handle h);
// dim arguments: None -> {}, int -> {d}, sequence -> dims.
std::vector<int64_t> dims_from_object(py::handle h);
// A shape as rosenblatt.Size (a tuple subclass), as Tensor.shape returns it.
py::object as_size(const Shape& s);
}  // namespace rb::bind

namespace pybind11::detail {
// Python bool/int/float (and numpy scalars, and one-element tensors are not: those stay tensors).
template <>
struct type_caster<rb::Scalar> {
  PYBIND11_TYPE_CASTER(rb::Scalar, const_name("Number"));
  bool load(handle src, bool convert) {
    PyObject* o = src.ptr();
    if (PyBool_Check(o)) {
      value = rb::Scalar(o == Py_True);
      return true;
    }
    if (PyLong_Check(o)) {
      int overflow = 0;
      long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
      if (overflow) return false;
      value = rb::Scalar(static_cast<int64_t>(v));
      return true;
    }
    if (PyFloat_Check(o)) {
      value = rb::Scalar(PyFloat_AsDouble(o));
      return true;
    }
    if (!convert) return false;
    // numpy scalars: np.bool_, integer and floating types
    if (py::isinstance(src, py::module_::import("numpy").attr("generic"))) {
      auto np = py::module_::import("numpy");
      if (py::isinstance(src, np.attr("bool_"))) {
        value = rb::Scalar(src.cast<bool>());
        return true;
      }
      if (py::isinstance(src, np.attr("integer"))) {
        value = rb::Scalar(src.cast<int64_t>());
        return true;
      }
      if (py::isinstance(src, np.attr("floating"))) {
        value = rb::Scalar(src.cast<double>());
        return true;
      }
    }
    return false;
  }
  static handle cast(const rb::Scalar& s, return_value_policy, handle) {
    if (s.kind == rb::Scalar::Kind::Bool) return py::bool_(s.i != 0).release();
    if (s.kind == rb::Scalar::Kind::Int) return PyLong_FromLongLong(s.i);
    return PyFloat_FromDouble(s.f);
  }
};
}  // namespace pybind11::detail
