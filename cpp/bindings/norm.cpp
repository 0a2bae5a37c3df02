// Bindings of the normalization family (ops/norm.h: batch, instance, group, layer and RMS norm, channel
// dropout) into module _C._nn.
#include "bind.h"

namespace rb::bind {

void norm(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  using OptT = std::optional<Tensor>;

  nn.def(
      "batch_norm",
      [](const Tensor& x, OptT rm, OptT rv, OptT w, OptT b, bool training, double momentum, double eps) {
        py::gil_scoped_release nogil;
        return batch_norm(x, rm, rv, w, b, training, momentum, eps);
      },
      py::arg("input"), py::arg("running_mean"), py::arg("running_var"), py::arg("weight") = py::none(),
      py::arg("bias") = py::none(), py::arg("training") = false, py::arg("momentum") = 0.1, py::arg("eps") = 1e-5);

  nn.def(
      "layer_norm",
      [](const Tensor& x, py::object normalized_shape, OptT w, OptT b, double eps) {
        std::vector<int64_t> ns = shape_from_object(normalized_shape);
        py::gil_scoped_release nogil;
        return layer_norm(x, ns, w, b, eps);
      },
      py::arg("input"), py::arg("normalized_shape"), py::arg("weight") = py::none(), py::arg("bias") = py::none(),
      py::arg("eps") = 1e-5);

  nn.def(
      "rms_norm",
      [](const Tensor& x, py::object normalized_shape, OptT w, std::optional<double> eps) {
        std::vector<int64_t> ns = shape_from_object(normalized_shape);
        py::gil_scoped_release nogil;
        return rms_norm(x, ns, w, eps);
      },
      py::arg("input"), py::arg("normalized_shape"), py::arg("weight") = py::none(), py::arg("eps") = py::none());

  nn.def(
      "group_norm",
      [](const Tensor& x, int64_t num_groups, OptT w, OptT b, double eps) {
        py::gil_scoped_release nogil;
        return group_norm(x, num_groups, w, b, eps);
      },
      py::arg("input"), py::arg("num_groups"), py::arg("weight") = py::none(), py::arg("bias") = py::none(),
      py::arg("eps") = 1e-5);

  nn.def(
      "instance_norm",
      [](const Tensor& x, OptT rm, OptT rv, OptT w, OptT b, bool use_input_stats, double momentum, double eps) {
        py::gil_scoped_release nogil;
        return instance_norm(x, rm, rv, w, b, use_input_stats, momentum, eps);
      },
      py::arg("input"), py::arg("running_mean") = py::none(), py::arg("running_var") = py::none(),
      py::arg("weight") = py::none(), py::arg("bias") = py::none(), py::arg("use_input_stats") = true,
      py::arg("momentum") = 0.1, py::arg("eps") = 1e-5);

  nn.def(
      "feature_dropout",
      [](const Tensor& x, double p, bool training, py::object gen) {
        Generator* g = gen.is_none() ? nullptr : &gen.cast<Generator&>();
        return feature_dropout(x, p, training, g);
      },
      py::arg("input"), py::arg("p"), py::arg("training"), py::arg("generator") = py::none());
  nn.def(
      "feature_dropout_mask",
      [](const Tensor& x, double p, py::object gen) {
        Generator* g = gen.is_none() ? nullptr : &gen.cast<Generator&>();
        return feature_dropout_mask(x, p, g);
      },
      py::arg("input"), py::arg("p"), py::arg("generator") = py::none());
}

}  // namespace rb::bind
