// Bindings of the toolbox family: movedim/swapaxes, diagonal/diag/diag_embed/trace/outer,
// take_along_dim, index_add/index_copy/index_fill, isclose/allclose/equal, einsum, is_tensor.
#include "bind.h"

namespace rb::bind {

void toolbox(py::module_& m, TensorClass& cls) {
  // movedim(input, source, destination): both ints or both sequences, as PyTorch's overloads.
  auto movedim_fn = [](const Tensor& x, py::object src, py::object dst) {
    bool si = PyLong_Check(src.ptr()), di = PyLong_Check(dst.ptr());
    RB_CHECK(si == di, TypeError,
             "movedim() received an invalid combination of arguments: source and destination must both be ints or "
             "both be tuples of ints");
    return movedim(x, shape_from_object(src), shape_from_object(dst));
  };
  for (const char* name : {"movedim", "moveaxis"}) {
    m.def(name, movedim_fn, py::arg("input"), py::arg("source"), py::arg("destination"));
    cls.def(name, movedim_fn, py::arg("source"), py::arg("destination"));
  }
  m.def("swapaxes", &swapaxes, py::arg("input"), py::arg("axis0"), py::arg("axis1"));
  cls.def("swapaxes", &swapaxes, py::arg("axis0"), py::arg("axis1"));
  m.def("swapdims", &swapaxes, py::arg("input"), py::arg("dim0"), py::arg("dim1"));
  cls.def("swapdims", &swapaxes, py::arg("dim0"), py::arg("dim1"));

  m.def("diagonal", &diagonal, py::arg("input"), py::arg("offset") = 0, py::arg("dim1") = 0, py::arg("dim2") = 1);
  cls.def("diagonal", &diagonal, py::arg("offset") = 0, py::arg("dim1") = 0, py::arg("dim2") = 1);
  m.def("diag_embed", &diag_embed, py::arg("input"), py::arg("offset") = 0, py::arg("dim1") = -2, py::arg("dim2") = -1);
  cls.def("diag_embed", &diag_embed, py::arg("offset") = 0, py::arg("dim1") = -2, py::arg("dim2") = -1);
  m.def("diag", &diag, py::arg("input"), py::arg("diagonal") = 0);
  cls.def("diag", &diag, py::arg("diagonal") = 0);
  m.def("trace", &trace, py::arg("input"));
  cls.def("trace", &trace);
  for (const char* name : {"outer", "ger"}) {
    m.def(name, &outer, py::arg("input"), py::arg("vec2"));
    cls.def(name, &outer, py::arg("vec2"));
  }

  m.def("take_along_dim", &take_along_dim, py::arg("input"), py::arg("indices"), py::arg("dim") = py::none());
  cls.def("take_along_dim", &take_along_dim, py::arg("indices"), py::arg("dim") = py::none());
  m.def("index_add", &index_add, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("source"), py::kw_only(),
        py::arg("alpha") = 1);
  cls.def("index_add", &index_add, py::arg("dim"), py::arg("index"), py::arg("source"), py::kw_only(),
          py::arg("alpha") = 1);
  cls.def("index_add_", &index_add_, py::arg("dim"), py::arg("index"), py::arg("source"), py::kw_only(),
          py::arg("alpha") = 1);
  m.def("index_copy", &index_copy, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("source"));
  cls.def("index_copy", &index_copy, py::arg("dim"), py::arg("index"), py::arg("source"));
  cls.def("index_copy_", &index_copy_, py::arg("dim"), py::arg("index"), py::arg("source"));
  // index_fill: value a 0-d tensor, or a number (converted to input's dtype, range-checked).
  auto fill = [](const Tensor& x, int64_t dim, const Tensor& index, py::object v) {
    return py::isinstance<Tensor>(v) ? index_fill(x, dim, index, v.cast<Tensor>())
                                     : index_fill(x, dim, index, v.cast<Scalar>());
  };
  m.def("index_fill", fill, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("value"));
  cls.def("index_fill", fill, py::arg("dim"), py::arg("index"), py::arg("value"));
  cls.def(
      "index_fill_",
      [](Tensor& x, int64_t dim, const Tensor& index, py::object v) -> Tensor& {
        return py::isinstance<Tensor>(v) ? index_fill_(x, dim, index, v.cast<Tensor>())
                                         : index_fill_(x, dim, index, v.cast<Scalar>());
      },
      py::arg("dim"), py::arg("index"), py::arg("value"));

  m.def("isclose", &isclose, py::arg("input"), py::arg("other"), py::arg("rtol") = 1e-05, py::arg("atol") = 1e-08,
        py::arg("equal_nan") = false);
  cls.def("isclose", &isclose, py::arg("other"), py::arg("rtol") = 1e-05, py::arg("atol") = 1e-08,
          py::arg("equal_nan") = false);
  m.def("allclose", &allclose, py::arg("input"), py::arg("other"), py::arg("rtol") = 1e-05, py::arg("atol") = 1e-08,
        py::arg("equal_nan") = false);
  cls.def("allclose", &allclose, py::arg("other"), py::arg("rtol") = 1e-05, py::arg("atol") = 1e-08,
          py::arg("equal_nan") = false);
  m.def("equal", &equal, py::arg("input"), py::arg("other"));
  cls.def("equal", &equal, py::arg("other"));
  m.def(
      "is_tensor", [](py::handle obj) { return py::isinstance<Tensor>(obj); }, py::arg("obj"));
  m.def(
      "is_floating_point", [](const Tensor& x) { return is_floating(x.dtype()); }, py::arg("input"));
  m.def(
      "numel", [](const Tensor& x) { return x.numel(); }, py::arg("input"));

  // einsum(equation, *operands), or einsum(equation, [operands]).
  m.def("einsum", [](const std::string& equation, py::args operands) {
    std::vector<Tensor> ts;
    if (operands.size() == 1 && (PyList_Check(operands[0].ptr()) || PyTuple_Check(operands[0].ptr()))) {
      for (py::handle h : operands[0]) ts.push_back(h.cast<Tensor>());
    } else {
      for (py::handle h : operands) ts.push_back(h.cast<Tensor>());
    }
    RB_CHECK(!ts.empty(), ValueError,
             "einsum(): must specify the equation string and at least one operand, or at least one operand and its "
             "subscripts list");
    return einsum(equation, ts);
  });
}

}  // namespace rb::bind
