// Bindings of the numeric family (ops/numeric.h): frexp, histogram and histogramdd, returning
// torch.return_types' named tuples (mantissa, exponent) and (hist, bin_edges).
#include "bind.h"

namespace rb::bind {

void numeric(py::module_& m, TensorClass& cls) {
  py::module_ types = py::module_::import("rosenblatt.return_types");
  py::object frexp_t = types.attr("frexp"), histogram_t = types.attr("histogram");

  auto frexp_fn = [frexp_t](const Tensor& x) {
    MantissaExponent r;
    {
      py::gil_scoped_release released;
      r = frexp(x);
    }
    return frexp_t(py::cast(r.mantissa), py::cast(r.exponent));
  };
  m.def("frexp", frexp_fn, py::arg("input"));
  cls.def("frexp", frexp_fn);

  // bins: a number of bins (range= applies) or a 1-D tensor of edges (torch ignores range= then too).
  auto histogram_fn = [histogram_t](const Tensor& x, py::object bins, std::optional<std::vector<double>> range,
                                    std::optional<Tensor> weight, bool density) {
    HistogramResult r = py::isinstance<Tensor>(bins) ? histogram(x, bins.cast<Tensor>(), weight, density)
                                                     : histogram(x, bins.cast<int64_t>(), range, weight, density);
    return histogram_t(py::cast(r.hist), py::cast(r.bin_edges));
  };
  m.def("histogram", histogram_fn, py::arg("input"), py::arg("bins"), py::kw_only(), py::arg("range") = py::none(),
        py::arg("weight") = py::none(), py::arg("density") = false);
  // bins: a number for every dimension, a sequence of numbers, or a sequence of 1-D edge tensors.
  py::object histogramdd_t = types.attr("histogramdd");
  m.def(
      "histogramdd",
      [histogramdd_t](const Tensor& x, py::object bins, std::optional<std::vector<double>> range,
                      std::optional<Tensor> weight, bool density) {
        HistogramddResult r;
        if (py::isinstance<py::int_>(bins)) {
          // torch reads the dimension count first, as input.size(-1)
          RB_CHECK(x.dim() >= 1, IndexError, "Dimension specified as -1 but tensor has no dimensions");
          r = histogramdd(x, std::vector<int64_t>(static_cast<size_t>(x.shape().back()), bins.cast<int64_t>()), range,
                          weight, density);
        } else {
          py::sequence seq = bins.cast<py::sequence>();
          const bool edges = py::len(seq) > 0 && py::isinstance<Tensor>(seq[0]);
          r = edges ? histogramdd(x, seq.cast<std::vector<Tensor>>(), weight, density)
                    : histogramdd(x, seq.cast<std::vector<int64_t>>(), range, weight, density);
        }
        return histogramdd_t(py::cast(r.hist), py::tuple(py::cast(r.bin_edges)));
      },
      py::arg("input"), py::arg("bins"), py::kw_only(), py::arg("range") = py::none(), py::arg("weight") = py::none(),
      py::arg("density") = false);
  cls.def("histogram", histogram_fn, py::arg("bins"), py::kw_only(), py::arg("range") = py::none(),
          py::arg("weight") = py::none(), py::arg("density") = false);
}

}  // namespace rb::bind
