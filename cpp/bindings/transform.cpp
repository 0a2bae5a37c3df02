// Bindings of the transform family (ops/transform.h): tril/triu (and in place), flip, roll, repeat,
// tile and repeat_interleave, as functions and Tensor methods with PyTorch's signatures.
#include "bind.h"

namespace rb::bind {
namespace {

// torch.flip(input, dims) takes a sequence only; Tensor.flip(*dims) also takes the dims spread out.
std::vector<int64_t> dims_sequence(py::handle h, const char* fn) {
  RB_CHECK(!PyLong_Check(h.ptr()), TypeError, fn, "(): argument 'dims' must be tuple of ints, not int");
  return shape_from_object(h);
}

// repeats: an int (every element or slice that many times) or an int64 tensor of counts.
Tensor repeat_interleave_any(const Tensor& x, py::handle repeats, std::optional<int64_t> dim,
                             std::optional<int64_t> output_size) {
  if (py::isinstance<Tensor>(repeats)) return repeat_interleave(x, repeats.cast<const Tensor&>(), dim, output_size);
  RB_CHECK(PyLong_Check(repeats.ptr()) && !PyBool_Check(repeats.ptr()), TypeError,
           "repeat_interleave(): argument 'repeats' must be Tensor or int, not ",
           std::string(py::str(py::type::of(repeats).attr("__name__"))));
  return repeat_interleave(x, repeats.cast<int64_t>(), dim, output_size);
}

}  // namespace

void transform(py::module_& m, TensorClass& cls) {
  for (bool upper : {false, true}) {
    const char* name = upper ? "triu" : "tril";
    auto fn = [upper](const Tensor& x, int64_t diagonal) { return upper ? triu(x, diagonal) : tril(x, diagonal); };
    m.def(name, fn, py::arg("input"), py::arg("diagonal") = 0);
    cls.def(name, fn, py::arg("diagonal") = 0);
    cls.def(
        upper ? "triu_" : "tril_",
        [upper](py::object self, int64_t diagonal) {
          Tensor& x = self.cast<Tensor&>();
          upper ? triu_(x, diagonal) : tril_(x, diagonal);
          return self;
        },
        py::arg("diagonal") = 0);
  }

  m.def(
      "flip", [](const Tensor& x, py::object dims) { return flip(x, dims_sequence(dims, "flip")); }, py::arg("input"),
      py::arg("dims"));
  cls.def("flip", [](const Tensor& x, py::args dims) { return flip(x, shape_from_args(dims)); });
  cls.def(  // x.flip(dims=...), as torch also takes
      "flip", [](const Tensor& x, py::object dims) { return flip(x, dims_sequence(dims, "flip")); }, py::kw_only(),
      py::arg("dims"));
  auto roll_fn = [](const Tensor& x, py::object shifts, py::object dims) {
    return roll(x, shape_from_object(shifts), dims_from_object(dims));
  };
  m.def("roll", roll_fn, py::arg("input"), py::arg("shifts"), py::arg("dims") = py::none());
  cls.def("roll", roll_fn, py::arg("shifts"), py::arg("dims") = py::none());

  cls.def("repeat", [](const Tensor& x, py::args repeats) {
    RB_CHECK(repeats.size() > 0, TypeError, "repeat() missing 1 required positional arguments: \"repeats\"");
    return repeat(x, shape_from_args(repeats));
  });
  m.def(
      "tile", [](const Tensor& x, py::object dims) { return tile(x, shape_from_object(dims)); }, py::arg("input"),
      py::arg("dims"));
  cls.def("tile", [](const Tensor& x, py::args dims) { return tile(x, shape_from_args(dims)); });
  cls.def(
      "tile", [](const Tensor& x, py::object dims) { return tile(x, shape_from_object(dims)); }, py::kw_only(),
      py::arg("dims"));
  cls.def(
      "repeat", [](const Tensor& x, py::object r) { return repeat(x, shape_from_object(r)); }, py::kw_only(),
      py::arg("repeats"));

  m.def("repeat_interleave", &repeat_interleave_any, py::arg("input"), py::arg("repeats"), py::arg("dim") = py::none(),
        py::kw_only(), py::arg("output_size") = py::none());
  m.def(
      "repeat_interleave",
      [](const Tensor& repeats, std::optional<int64_t> output_size) { return repeat_interleave(repeats, output_size); },
      py::arg("repeats"), py::kw_only(), py::arg("output_size") = py::none());
  cls.def("repeat_interleave", &repeat_interleave_any, py::arg("repeats"), py::arg("dim") = py::none(), py::kw_only(),
          py::arg("output_size") = py::none());
}

}  // namespace rb::bind
