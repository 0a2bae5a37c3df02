// Bindings of the shape family: view/reshape/transpose/permute/expand/squeeze/unsqueeze.
#include "bind.h"

#include "../ops/views.h"  // view_dtype

namespace rb::bind {

void shape(py::module_& m, TensorClass& cls) {
  // torch.broadcast_shapes(*shapes): the shape that broadcasting them together gives, computed
  // without touching data; a mismatch raises RuntimeError naming both shapes.
  m.def("broadcast_shapes", [](py::args shapes) {
    Shape out;
    for (py::handle s : shapes) out = broadcast_shapes(out, shape_from_object(s));
    return as_size(out);
  });
  // view(dtype) before view(*shape): the varargs overload would take the dtype too.
  cls.def("view", &view_dtype, py::arg("dtype"));
  cls.def("view", [](const Tensor& x, py::args a) { return view(x, shape_from_args(a)); });
  cls.def("reshape", [](const Tensor& x, py::args a) { return reshape(x, shape_from_args(a)); });
  // the keyword forms torch also takes (x.view(size=...), x.permute(dims=...)): after the varargs ones
  cls.def(
      "view", [](const Tensor& x, py::object s) { return view(x, shape_from_object(s)); }, py::kw_only(),
      py::arg("size"));
  cls.def(
      "reshape", [](const Tensor& x, py::object s) { return reshape(x, shape_from_object(s)); }, py::kw_only(),
      py::arg("shape"));
  m.def(
      "reshape", [](const Tensor& x, py::object s) { return reshape(x, shape_from_object(s)); }, py::arg("input"),
      py::arg("shape"));
  cls.def(
      "view_as", [](const Tensor& x, const Tensor& o) { return view(x, o.shape()); }, py::arg("other"));
  cls.def(
      "reshape_as", [](const Tensor& x, const Tensor& o) { return reshape(x, o.shape()); }, py::arg("other"));
  cls.def("transpose", &transpose, py::arg("dim0"), py::arg("dim1"));
  m.def("transpose", &transpose, py::arg("input"), py::arg("dim0"), py::arg("dim1"));
  auto t_fn = [](const Tensor& x) {
    RB_CHECK(x.dim() <= 2, Error, "t() expects a tensor with <= 2 dimensions, but self is ", x.dim(), "D");
    return x.dim() < 2 ? transpose(x, 0, 0) : transpose(x, 0, 1);
  };
  cls.def("t", t_fn);
  m.def("t", t_fn, py::arg("input"));
  cls.def_property_readonly("T", [](const Tensor& x) {
    std::vector<int64_t> d;
    for (int64_t i = x.dim() - 1; i >= 0; --i) d.push_back(i);
    return permute(x, d);
  });
  cls.def_property_readonly("mT", [](const Tensor& x) { return transpose(x, -2, -1); });
  cls.def("permute", [](const Tensor& x, py::args a) { return permute(x, shape_from_args(a)); });
  cls.def(
      "permute", [](const Tensor& x, py::object d) { return permute(x, shape_from_object(d)); }, py::kw_only(),
      py::arg("dims"));
  m.def(
      "permute", [](const Tensor& x, py::object d) { return permute(x, shape_from_object(d)); }, py::arg("input"),
      py::arg("dims"));
  cls.def("expand", [](const Tensor& x, py::args a) { return expand(x, shape_from_args(a)); });
  cls.def(
      "expand", [](const Tensor& x, py::object s) { return expand(x, shape_from_object(s)); }, py::kw_only(),
      py::arg("size"));
  cls.def(
      "expand_as", [](const Tensor& x, const Tensor& o) { return expand(x, o.shape()); }, py::arg("other"));
  m.def(
      "broadcast_to", [](const Tensor& x, py::object s) { return expand(x, shape_from_object(s)); }, py::arg("input"),
      py::arg("size"));
  cls.def("unsqueeze", &unsqueeze, py::arg("dim"));
  m.def("unsqueeze", &unsqueeze, py::arg("input"), py::arg("dim"));
  auto squeeze_fn = [](const Tensor& x, py::object dim) {
    return dim.is_none() ? squeeze(x) : squeeze(x, shape_from_object(dim));
  };
  cls.def("squeeze", squeeze_fn, py::arg("dim") = py::none());
  m.def("squeeze", squeeze_fn, py::arg("input"), py::arg("dim") = py::none());
  // flatten/unflatten (appended by the indexing branch)
  m.def("flatten", &flatten, py::arg("input"), py::arg("start_dim") = 0, py::arg("end_dim") = -1);
  cls.def("flatten", &flatten, py::arg("start_dim") = 0, py::arg("end_dim") = -1);
  auto unflatten_fn = [](const Tensor& x, int64_t dim, py::object sizes) {
    return unflatten(x, dim, shape_from_object(sizes));
  };
  m.def("unflatten", unflatten_fn, py::arg("input"), py::arg("dim"), py::arg("sizes"));
  cls.def("unflatten", unflatten_fn, py::arg("dim"), py::arg("sizes"));
  // as_strided (appended by the checkpoint branch): checkpoints rebuild views that share one storage
  // with it, so the geometry is checked against the storage's bytes here (a file may lie).
  auto as_strided_fn = [](const Tensor& x, py::object size, py::object stride, std::optional<int64_t> offset) {
    Shape sizes = shape_from_object(size), strides = shape_from_object(stride);
    int64_t off = offset.value_or(x.offset());
    check_storage_geometry(sizes, strides, off, x.itemsize(), x.storage()->nbytes);
    return as_strided_view(x, sizes, strides, off);
  };
  m.def("as_strided", as_strided_fn, py::arg("input"), py::arg("size"), py::arg("stride"),
        py::arg("storage_offset") = py::none());
  cls.def("as_strided", as_strided_fn, py::arg("size"), py::arg("stride"), py::arg("storage_offset") = py::none());
  // The storage a tensor views, for rb.save: (an identity while it lives, its first byte's address, its bytes).
  cls.def("_storage_info", [](const Tensor& x) {
    const auto& s = x.storage();
    return py::make_tuple(reinterpret_cast<uintptr_t>(s.get()), reinterpret_cast<uintptr_t>(s->data), s->nbytes);
  });
}

}  // namespace rb::bind
