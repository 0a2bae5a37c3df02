// Bindings of the numeric family (ops/numeric.h): frexp and histogram, returning torch.return_types'
// named tuples (mantissa, exponent) and (hist, bin_edges).
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
  cls.def("histogram", histogram_fn, py::arg("bins"), py::kw_only(), py::arg("range") = py::none(),
          py::arg("weight") = py::none(), py::arg("density") = false);
}

}  // namespace rb::bind
