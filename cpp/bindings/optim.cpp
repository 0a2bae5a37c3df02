// Bindings of the optim family: the fused per-parameter steps, in the submodule _C._optim.
// Arguments are positional in the order of ops/optim.h; optional state is None.
#include "bind.h"

namespace rb::bind {
namespace {
Tensor opt(const std::optional<Tensor>& t) { return t ? *t : Tensor(); }
}  // namespace

void optim(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ o = m.def_submodule("_optim", "fused optimizer steps (in place, no autograd)");
  o.def("sgd_step",
        [](const Tensor& p, const Tensor& g, const std::optional<Tensor>& buf, double lr, double momentum,
           double dampening, double weight_decay, bool nesterov, bool maximize, bool first_step) {
          sgd_step(p, g, opt(buf), lr, momentum, dampening, weight_decay, nesterov, maximize, first_step);
        },
        py::arg("param"), py::arg("grad"), py::arg("momentum_buffer"), py::arg("lr"), py::arg("momentum"),
        py::arg("dampening"), py::arg("weight_decay"), py::arg("nesterov"), py::arg("maximize"),
        py::arg("first_step"));
  o.def("adam_step",
        [](const Tensor& p, const Tensor& g, const Tensor& m1, const Tensor& m2, const std::optional<Tensor>& vmax,
           const Tensor& step, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad,
           bool maximize, bool decoupled) {
          adam_step(p, g, m1, m2, opt(vmax), step, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled);
        },
        py::arg("param"), py::arg("grad"), py::arg("exp_avg"), py::arg("exp_avg_sq"), py::arg("max_exp_avg_sq"),
        py::arg("step"), py::arg("lr"), py::arg("beta1"), py::arg("beta2"), py::arg("eps"), py::arg("weight_decay"),
        py::arg("amsgrad"), py::arg("maximize"), py::arg("decoupled"));
  o.def("adagrad_step", &adagrad_step, py::arg("param"), py::arg("grad"), py::arg("sum"), py::arg("step"),
        py::arg("lr"), py::arg("lr_decay"), py::arg("weight_decay"), py::arg("eps"), py::arg("maximize"));
  o.def("adadelta_step", &adadelta_step, py::arg("param"), py::arg("grad"), py::arg("square_avg"),
        py::arg("acc_delta"), py::arg("step"), py::arg("lr"), py::arg("rho"), py::arg("eps"), py::arg("weight_decay"),
        py::arg("maximize"));
  o.def("rmsprop_step",
        [](const Tensor& p, const Tensor& g, const Tensor& sq, const std::optional<Tensor>& gavg,
           const std::optional<Tensor>& buf, const Tensor& step, double lr, double alpha, double eps,
           double weight_decay, double momentum, bool centered, bool maximize) {
          rmsprop_step(p, g, sq, opt(gavg), opt(buf), step, lr, alpha, eps, weight_decay, momentum, centered, maximize);
        },
        py::arg("param"), py::arg("grad"), py::arg("square_avg"), py::arg("grad_avg"), py::arg("momentum_buffer"),
        py::arg("step"), py::arg("lr"), py::arg("alpha"), py::arg("eps"), py::arg("weight_decay"), py::arg("momentum"),
        py::arg("centered"), py::arg("maximize"));
  o.def("nadam_step", &nadam_step, py::arg("param"), py::arg("grad"), py::arg("exp_avg"), py::arg("exp_avg_sq"),
        py::arg("mu_product"), py::arg("step"), py::arg("lr"), py::arg("beta1"), py::arg("beta2"), py::arg("eps"),
        py::arg("weight_decay"), py::arg("momentum_decay"), py::arg("decoupled_weight_decay"), py::arg("maximize"));
}

}  // namespace rb::bind
