// Bindings of the search family (ops/search.h): searchsorted, bucketize, unique, unique_consecutive,
// bincount, histc, scatter_reduce, median, nanmedian, mode, quantile, nanquantile, cummax, cummin and
// logcumsumexp, as functions and (where PyTorch has them) Tensor methods; (values, indices) results are
// named tuples, as torch.return_types.
#include "rosenblatt/ops/search.h"
#include "bind.h"

namespace rb::bind {
namespace {

// unique's result: the values alone, or a tuple with the inverse and/or counts asked for.
py::object unique_result(const UniqueResult& r, bool inverse, bool counts) {
  if (!inverse && !counts) return py::cast(r.values);
  py::list out;
  out.append(py::cast(r.values));
  if (inverse) out.append(py::cast(r.inverse));
  if (counts) out.append(py::cast(r.counts));
  return py::tuple(out);
}

// f() with the GIL released: the op's C++ runs while other Python threads do; the named tuple is built after.
template <class F>
auto released(const F& f) {
  py::gil_scoped_release nogil;
  return f();
}

}  // namespace

void search(py::module_& m, TensorClass& cls) {
  py::module_ types = py::module_::import("rosenblatt.return_types");
  py::object median_t = types.attr("median"), nanmedian_t = types.attr("nanmedian"), mode_t = types.attr("mode");
  py::object cummax_t = types.attr("cummax"), cummin_t = types.attr("cummin");

  m.def(
      "searchsorted",
      [](const Tensor& seq, const Tensor& input, bool out_int32, bool right, std::optional<std::string> side,
         std::optional<Tensor> sorter) { return searchsorted(seq, input, out_int32, right, side, sorter); },
      py::arg("sorted_sequence"), py::arg("input"), py::kw_only(), py::arg("out_int32") = false,
      py::arg("right") = false, py::arg("side") = py::none(), py::arg("sorter") = py::none());
  m.def(
      "searchsorted",
      [](const Tensor& seq, Scalar input, bool out_int32, bool right, std::optional<std::string> side,
         std::optional<Tensor> sorter) { return searchsorted(seq, input, out_int32, right, side, sorter); },
      py::arg("sorted_sequence"), py::arg("input"), py::kw_only(), py::arg("out_int32") = false,
      py::arg("right") = false, py::arg("side") = py::none(), py::arg("sorter") = py::none());
  m.def(
      "bucketize",
      [](const Tensor& input, const Tensor& boundaries, bool out_int32, bool right) {
        return bucketize(input, boundaries, out_int32, right);
      },
      py::arg("input"), py::arg("boundaries"), py::kw_only(), py::arg("out_int32") = false, py::arg("right") = false);
  m.def(
      "bucketize",
      [](Scalar input, const Tensor& boundaries, bool out_int32, bool right) {
        return bucketize(input, boundaries, out_int32, right);
      },
      py::arg("input"), py::arg("boundaries"), py::kw_only(), py::arg("out_int32") = false, py::arg("right") = false);

  auto unique_fn = [](const Tensor& x, bool sorted, bool inverse, bool counts, std::optional<int64_t> dim) {
    return unique_result(unique(x, sorted, inverse, counts, dim), inverse, counts);
  };
  m.def("unique", unique_fn, py::arg("input"), py::arg("sorted") = true, py::arg("return_inverse") = false,
        py::arg("return_counts") = false, py::arg("dim") = py::none());
  cls.def("unique", unique_fn, py::arg("sorted") = true, py::arg("return_inverse") = false,
          py::arg("return_counts") = false, py::arg("dim") = py::none());
  auto unique_consecutive_fn = [](const Tensor& x, bool inverse, bool counts, std::optional<int64_t> dim) {
    return unique_result(unique_consecutive(x, inverse, counts, dim), inverse, counts);
  };
  m.def("unique_consecutive", unique_consecutive_fn, py::arg("input"), py::arg("return_inverse") = false,
        py::arg("return_counts") = false, py::arg("dim") = py::none());
  cls.def("unique_consecutive", unique_consecutive_fn, py::arg("return_inverse") = false,
          py::arg("return_counts") = false, py::arg("dim") = py::none());

  auto bincount_fn = [](const Tensor& x, std::optional<Tensor> weights, int64_t minlength) {
    return bincount(x, weights, minlength);
  };
  m.def("bincount", bincount_fn, py::arg("input"), py::arg("weights") = py::none(), py::arg("minlength") = 0);
  cls.def("bincount", bincount_fn, py::arg("weights") = py::none(), py::arg("minlength") = 0);
  auto histc_fn = [](const Tensor& x, int64_t bins, Scalar lo, Scalar hi) { return histc(x, bins, lo, hi); };
  m.def("histc", histc_fn, py::arg("input"), py::arg("bins") = 100, py::arg("min") = 0, py::arg("max") = 0);
  cls.def("histc", histc_fn, py::arg("bins") = 100, py::arg("min") = 0, py::arg("max") = 0);

  auto scatter_reduce_fn = [](const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src,
                              const std::string& reduce,
                              bool include_self) { return scatter_reduce(x, dim, index, src, reduce, include_self); };
  m.def("scatter_reduce", scatter_reduce_fn, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("src"),
        py::arg("reduce"), py::kw_only(), py::arg("include_self") = true);
  cls.def("scatter_reduce", scatter_reduce_fn, py::arg("dim"), py::arg("index"), py::arg("src"), py::arg("reduce"),
          py::kw_only(), py::arg("include_self") = true);
  cls.def(
      "scatter_reduce_",
      [](Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, const std::string& reduce,
         bool include_self) -> Tensor& { return scatter_reduce_(x, dim, index, src, reduce, include_self); },
      py::arg("dim"), py::arg("index"), py::arg("src"), py::arg("reduce"), py::kw_only(),
      py::arg("include_self") = true, py::return_value_policy::reference);

  // median(input) is the lower median of all elements; median(input, dim, keepdim) a named tuple.
  for (bool nan : {false, true}) {
    py::object t = nan ? nanmedian_t : median_t;
    auto fn = [t, nan](const Tensor& x, std::optional<int64_t> dim, bool keepdim) -> py::object {
      if (!dim) return py::cast(released([&] { return nan ? nanmedian(x) : median(x); }));
      ValuesIndices r = released([&] { return nan ? nanmedian(x, *dim, keepdim) : median(x, *dim, keepdim); });
      return t(py::cast(r.values), py::cast(r.indices));
    };
    const char* name = nan ? "nanmedian" : "median";
    m.def(name, fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
    cls.def(name, fn, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  }
  auto mode_fn = [mode_t](const Tensor& x, int64_t dim, bool keepdim) {
    ValuesIndices r = released([&] { return mode(x, dim, keepdim); });
    return mode_t(py::cast(r.values), py::cast(r.indices));
  };
  m.def("mode", mode_fn, py::arg("input"), py::arg("dim") = -1, py::arg("keepdim") = false);
  cls.def("mode", mode_fn, py::arg("dim") = -1, py::arg("keepdim") = false);

  for (bool nan : {false, true}) {
    const char* name = nan ? "nanquantile" : "quantile";
    auto tfn = [nan](const Tensor& x, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                     const std::string& interpolation) {
      return nan ? nanquantile(x, q, dim, keepdim, interpolation) : quantile(x, q, dim, keepdim, interpolation);
    };
    auto sfn = [nan](const Tensor& x, double q, std::optional<int64_t> dim, bool keepdim,
                     const std::string& interpolation) {
      return nan ? nanquantile(x, q, dim, keepdim, interpolation) : quantile(x, q, dim, keepdim, interpolation);
    };
    m.def(name, tfn, py::arg("input"), py::arg("q"), py::arg("dim") = py::none(), py::arg("keepdim") = false,
          py::kw_only(), py::arg("interpolation") = "linear");
    m.def(name, sfn, py::arg("input"), py::arg("q"), py::arg("dim") = py::none(), py::arg("keepdim") = false,
          py::kw_only(), py::arg("interpolation") = "linear");
    cls.def(name, tfn, py::arg("q"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
            py::arg("interpolation") = "linear");
    cls.def(name, sfn, py::arg("q"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
            py::arg("interpolation") = "linear");
  }

  for (bool is_min : {false, true}) {
    py::object t = is_min ? cummin_t : cummax_t;
    auto fn = [t, is_min](const Tensor& x, int64_t dim) {
      ValuesIndices r = released([&] { return is_min ? cummin(x, dim) : cummax(x, dim); });
      return t(py::cast(r.values), py::cast(r.indices));
    };
    m.def(is_min ? "cummin" : "cummax", fn, py::arg("input"), py::arg("dim"));
    cls.def(is_min ? "cummin" : "cummax", fn, py::arg("dim"));
  }
  auto lcse_fn = [](const Tensor& x, int64_t dim) { return released([&] { return logcumsumexp(x, dim); }); };
  m.def("logcumsumexp", lcse_fn, py::arg("input"), py::arg("dim"));
  cls.def("logcumsumexp", lcse_fn, py::arg("dim"));
}

}  // namespace rb::bind
