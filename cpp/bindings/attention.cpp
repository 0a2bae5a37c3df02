// Bindings of the attention family (ops/attention.h: scaled dot-product attention) into module _C._nn.
#include "bind.h"

namespace rb::bind {

void attention(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  nn.def(
      "scaled_dot_product_attention",
      [](const Tensor& q, const Tensor& k, const Tensor& v, std::optional<Tensor> attn_mask, double dropout_p,
         bool is_causal, std::optional<double> scale, bool enable_gqa) {
        py::gil_scoped_release nogil;
        return scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal, scale, enable_gqa);
      },
      py::arg("query"), py::arg("key"), py::arg("value"), py::arg("attn_mask") = py::none(), py::arg("dropout_p") = 0.0,
      py::arg("is_causal") = false, py::arg("scale") = py::none(), py::arg("enable_gqa") = false);
}

}  // namespace rb::bind
