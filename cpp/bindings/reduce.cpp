// Bindings of the reduction family (sum, mean, ...) as functions and Tensor methods.
#include "bind.h"

namespace rb::bind {
namespace {

// A reduction over `dim` (None, an int or a sequence, converted with the GIL held), run with it released.
template <class F>
auto over_dims(F f) {
  return [f](const Tensor& x, py::object dim, bool keepdim) {
    Dims dims = dims_from_object(dim);
    py::gil_scoped_release released;
    return f(x, dims, keepdim);
  };
}
}  // namespace

void reduce(py::module_& m, TensorClass& cls) {
  auto sum_fn = [](const Tensor& x, py::object dim, bool keepdim, std::optional<DType> dtype) {
    Dims dims = dims_from_object(dim);
    py::gil_scoped_release released;
    return sum(x, dims, keepdim, dtype);
  };
  auto mean_fn = [](const Tensor& x, py::object dim, bool keepdim, std::optional<DType> dtype) {
    Dims dims = dims_from_object(dim);
    py::gil_scoped_release released;
    return mean(dtype ? to_dtype(x, *dtype) : x, dims, keepdim);  // dtype: the input is cast first, as torch
  };
  m.def("sum", sum_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false,
        py::arg("dtype") = py::none());
  cls.def("sum", sum_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::arg("dtype") = py::none());
  m.def("mean", mean_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
        py::arg("dtype") = py::none());
  cls.def("mean", mean_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
          py::arg("dtype") = py::none());
  m.def("_sum_to", &sum_to, nogil);

  // max/min/argmax/argmin/amax/amin/var/std/logsumexp/all/any/prod (appended by the indexing branch).
  py::module_ types = py::module_::import("rosenblatt.return_types");
  py::object max_t = types.attr("max"), min_t = types.attr("min");
  auto vi = [](py::handle type, const ValuesIndices& r) { return type(py::cast(r.values), py::cast(r.indices)); };
  for (bool is_max : {true, false}) {
    const char* name = is_max ? "max" : "min";
    py::object type = is_max ? max_t : min_t;
    auto full = [is_max](const Tensor& x) { return is_max ? max(x) : min(x); };
    auto other = [is_max](const Tensor& x, const Tensor& o) {
      return binary(is_max ? BinaryOp::Maximum : BinaryOp::Minimum, x, o);
    };
    auto along = [is_max, type, vi](const Tensor& x, int64_t dim, bool keepdim) {
      ValuesIndices r;
      {
        py::gil_scoped_release released;
        r = is_max ? max(x, dim, keepdim) : min(x, dim, keepdim);
      }
      return vi(type, r);
    };
    m.def(name, full, py::arg("input"), nogil);
    m.def(name, other, py::arg("input"), py::arg("other"), nogil);
    m.def(name, along, py::arg("input"), py::arg("dim"), py::arg("keepdim") = false);
    cls.def(name, full, nogil);
    cls.def(name, other, py::arg("other"), nogil);
    cls.def(name, along, py::arg("dim"), py::arg("keepdim") = false);
  }
  auto arg_fn = [](bool is_max) {
    return [is_max](const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
      return is_max ? argmax(x, dim, keepdim) : argmin(x, dim, keepdim);
    };
  };
  m.def("argmax", arg_fn(true), py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, nogil);
  m.def("argmin", arg_fn(false), py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, nogil);
  cls.def("argmax", arg_fn(true), py::arg("dim") = py::none(), py::arg("keepdim") = false, nogil);
  cls.def("argmin", arg_fn(false), py::arg("dim") = py::none(), py::arg("keepdim") = false, nogil);
  auto amax_fn = over_dims([](const Tensor& x, const Dims& d, bool k) { return amax(x, d, k); });
  auto amin_fn = over_dims([](const Tensor& x, const Dims& d, bool k) { return amin(x, d, k); });
  m.def("amax", amax_fn, py::arg("input"), py::arg("dim") = py::tuple(), py::arg("keepdim") = false);
  m.def("amin", amin_fn, py::arg("input"), py::arg("dim") = py::tuple(), py::arg("keepdim") = false);
  cls.def("amax", amax_fn, py::arg("dim") = py::tuple(), py::arg("keepdim") = false);
  cls.def("amin", amin_fn, py::arg("dim") = py::tuple(), py::arg("keepdim") = false);

  // var/std accept PyTorch's three spellings: (dim, *, correction), (dim, unbiased) and (unbiased).
  auto var_like = [](bool is_std) {
    return [is_std](const Tensor& x, py::object dim, py::object unbiased, bool keepdim, py::object correction) {
      if (PyBool_Check(dim.ptr())) unbiased = dim, dim = py::none();
      RB_CHECK(unbiased.is_none() || correction.is_none(), Error,
               "var/std: cannot specify both unbiased and correction");
      double c = !correction.is_none() ? correction.cast<double>()
                                       : (!unbiased.is_none() && !unbiased.cast<bool>() ? 0.0 : 1.0);
      Dims dims = dims_from_object(dim);
      py::gil_scoped_release released;
      return is_std ? stddev(x, dims, c, keepdim) : var(x, dims, c, keepdim);
    };
  };
  for (bool is_std : {false, true}) {
    const char* name = is_std ? "std" : "var";
    m.def(name, var_like(is_std), py::arg("input"), py::arg("dim") = py::none(), py::arg("unbiased") = py::none(),
          py::arg("keepdim") = false, py::kw_only(), py::arg("correction") = py::none());
    cls.def(name, var_like(is_std), py::arg("dim") = py::none(), py::arg("unbiased") = py::none(),
            py::arg("keepdim") = false, py::kw_only(), py::arg("correction") = py::none());
  }
  auto lse = over_dims([](const Tensor& x, const Dims& d, bool k) { return logsumexp(x, d, k); });
  m.def("logsumexp", lse, py::arg("input"), py::arg("dim"), py::arg("keepdim") = false);
  cls.def("logsumexp", lse, py::arg("dim"), py::arg("keepdim") = false);
  auto all_fn = over_dims([](const Tensor& x, const Dims& d, bool k) { return all(x, d, k); });
  auto any_fn = over_dims([](const Tensor& x, const Dims& d, bool k) { return any(x, d, k); });
  m.def("all", all_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  m.def("any", any_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("all", all_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("any", any_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  auto prod_fn = [](const Tensor& x, std::optional<int64_t> dim, bool keepdim, std::optional<DType> dtype) {
    return prod(x, dim, keepdim, dtype);
  };
  m.def("prod", prod_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
        py::arg("dtype") = py::none(), nogil);
  cls.def("prod", prod_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
          py::arg("dtype") = py::none(), nogil);
}

}  // namespace rb::bind
