// Bindings of the CTC loss (ops/ctc.h) into module _C._nn: PyTorch's two overloads, the lengths as
// tensors or as sequences of ints (nn.functional refuses a mix, as PyTorch does).
#include "rosenblatt/ops/ctc.h"
#include "bind.h"

namespace rb::bind {

void ctc(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  const py::call_guard<py::gil_scoped_release> nogil{};
  nn.def(
      "ctc_loss",
      [](const Tensor& lp, const Tensor& tg, const Tensor& il, const Tensor& tl, int64_t blank, const std::string& r,
         bool zero_infinity) { return ctc_loss(lp, tg, il, tl, blank, parse_reduction(r), zero_infinity); },
      py::arg("log_probs"), py::arg("targets"), py::arg("input_lengths"), py::arg("target_lengths"),
      py::arg("blank") = 0, py::arg("reduction") = "mean", py::arg("zero_infinity") = false, nogil);
  nn.def(
      "ctc_loss",
      [](const Tensor& lp, const Tensor& tg, const std::vector<int64_t>& il, const std::vector<int64_t>& tl,
         int64_t blank, const std::string& r,
         bool zero_infinity) { return ctc_loss(lp, tg, il, tl, blank, parse_reduction(r), zero_infinity); },
      py::arg("log_probs"), py::arg("targets"), py::arg("input_lengths"), py::arg("target_lengths"),
      py::arg("blank") = 0, py::arg("reduction") = "mean", py::arg("zero_infinity") = false, nogil);
}

}  // namespace rb::bind
