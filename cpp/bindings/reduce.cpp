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

  // max/min/argmax/argmin/amax/amin/var/std/logsumexp/all/any/prod (appended by the indexing branch).
  auto collections = py::module_::import("collections");
  m.attr("_max_result") = collections.attr("namedtuple")("max", "values indices");
  m.attr("_min_result") = collections.attr("namedtuple")("min", "values indices");
  py::handle max_t = m.attr("_max_result"), min_t = m.attr("_min_result");  // kept alive by the module
  auto vi = [](py::handle type, const ValuesIndices& r) { return type(py::cast(r.values), py::cast(r.indices)); };
  for (bool is_max : {true, false}) {
    const char* name = is_max ? "max" : "min";
    py::handle type = is_max ? max_t : min_t;
    auto full = [is_max](const Tensor& x) { return is_max ? max(x) : min(x); };
    auto other = [is_max](const Tensor& x, const Tensor& o) {
      return binary(is_max ? BinaryOp::Maximum : BinaryOp::Minimum, x, o);
    };
    auto along = [is_max, type, vi](const Tensor& x, int64_t dim, bool keepdim) {
      return vi(type, is_max ? max(x, dim, keepdim) : min(x, dim, keepdim));
    };
    m.def(name, full, py::arg("input"));
    m.def(name, other, py::arg("input"), py::arg("other"));
    m.def(name, along, py::arg("input"), py::arg("dim"), py::arg("keepdim") = false);
    cls.def(name, full);
    cls.def(name, other, py::arg("other"));
    cls.def(name, along, py::arg("dim"), py::arg("keepdim") = false);
  }
  auto arg_fn = [](bool is_max) {
    return [is_max](const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
      return is_max ? argmax(x, dim, keepdim) : argmin(x, dim, keepdim);
    };
  };
  m.def("argmax", arg_fn(true), py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  m.def("argmin", arg_fn(false), py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("argmax", arg_fn(true), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("argmin", arg_fn(false), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  auto amax_fn = [](const Tensor& x, py::object dim, bool keepdim) { return amax(x, dims_from_object(dim), keepdim); };
  auto amin_fn = [](const Tensor& x, py::object dim, bool keepdim) { return amin(x, dims_from_object(dim), keepdim); };
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
  auto lse = [](const Tensor& x, py::object dim, bool keepdim) { return logsumexp(x, dims_from_object(dim), keepdim); };
  m.def("logsumexp", lse, py::arg("input"), py::arg("dim"), py::arg("keepdim") = false);
  cls.def("logsumexp", lse, py::arg("dim"), py::arg("keepdim") = false);
  auto all_fn = [](const Tensor& x, py::object dim, bool keepdim) { return all(x, dims_from_object(dim), keepdim); };
  auto any_fn = [](const Tensor& x, py::object dim, bool keepdim) { return any(x, dims_from_object(dim), keepdim); };
  m.def("all", all_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  m.def("any", any_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("all", all_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("any", any_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  auto prod_fn = [](const Tensor& x, std::optional<int64_t> dim, bool keepdim, std::optional<DType> dtype) {
    return prod(x, dim, keepdim, dtype);
  };
  m.def("prod", prod_fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
        py::arg("dtype") = py::none());
  cls.def("prod", prod_fn, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
          py::arg("dtype") = py::none());
}

}  // namespace rb::bind
