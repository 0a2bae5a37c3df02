// Bindings of the optim family: the fused per-parameter steps, in the submodule _C._optim.
// Arguments are positional in the order of ops/optim.h; optional state is None. grad None means the
// parameter's own .grad (read here, which spares Python a Tensor object per parameter and step); each
// step returns False, changing nothing, when there is no gradient.
#include "bind.h"

namespace rb::bind {
namespace {
using OptTensor = std::optional<Tensor>;

// Large parameters release the GIL for the pass; for small ones the release would cost more than the step.
template <class F>
bool run(const Tensor& param, const OptTensor& grad, const F& f) {
  Tensor g = grad ? *grad : param.grad();
  if (!g.defined()) return false;
  if (param.numel() >= (int64_t(1) << 16)) {
    py::gil_scoped_release nogil;
    f(g);
  } else {
    f(g);
  }
  return true;
}
}  // namespace

void optim(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ o = m.def_submodule("_optim", "fused optimizer steps (in place, no autograd)");
  o.def(
      "sgd_step",
      [](const Tensor& p, const OptTensor& grad, const OptTensor& buf, double lr, double momentum, double dampening,
         double weight_decay, bool nesterov, bool maximize, bool first_step) {
        return run(p, grad, [&](const Tensor& g) {
          sgd_step(p, g, opt(buf), lr, momentum, dampening, weight_decay, nesterov, maximize, first_step);
        });
      },
      py::arg("param"), py::arg("grad"), py::arg("momentum_buffer"), py::arg("lr"), py::arg("momentum"),
      py::arg("dampening"), py::arg("weight_decay"), py::arg("nesterov"), py::arg("maximize"), py::arg("first_step"));
  o.def(
      "adam_step",
      [](const Tensor& p, const OptTensor& grad, const Tensor& m1, const Tensor& m2, const OptTensor& vmax,
         const Tensor& step, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad,
         bool maximize, bool decoupled) {
        return run(p, grad, [&](const Tensor& g) {
          adam_step(p, g, m1, m2, opt(vmax), step, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled);
        });
      },
      py::arg("param"), py::arg("grad"), py::arg("exp_avg"), py::arg("exp_avg_sq"), py::arg("max_exp_avg_sq"),
      py::arg("step"), py::arg("lr"), py::arg("beta1"), py::arg("beta2"), py::arg("eps"), py::arg("weight_decay"),
      py::arg("amsgrad"), py::arg("maximize"), py::arg("decoupled"));
  o.def(
      "adagrad_step",
      [](const Tensor& p, const OptTensor& grad, const Tensor& sum, const Tensor& step, double lr, double lr_decay,
         double weight_decay, double eps, bool maximize) {
        return run(p, grad,
                   [&](const Tensor& g) { adagrad_step(p, g, sum, step, lr, lr_decay, weight_decay, eps, maximize); });
      },
      py::arg("param"), py::arg("grad"), py::arg("sum"), py::arg("step"), py::arg("lr"), py::arg("lr_decay"),
      py::arg("weight_decay"), py::arg("eps"), py::arg("maximize"));
  o.def(
      "adadelta_step",
      [](const Tensor& p, const OptTensor& grad, const Tensor& sq, const Tensor& acc, const Tensor& step, double lr,
         double rho, double eps, double weight_decay, bool maximize) {
        return run(p, grad,
                   [&](const Tensor& g) { adadelta_step(p, g, sq, acc, step, lr, rho, eps, weight_decay, maximize); });
      },
      py::arg("param"), py::arg("grad"), py::arg("square_avg"), py::arg("acc_delta"), py::arg("step"), py::arg("lr"),
      py::arg("rho"), py::arg("eps"), py::arg("weight_decay"), py::arg("maximize"));
  o.def(
      "rmsprop_step",
      [](const Tensor& p, const OptTensor& grad, const Tensor& sq, const OptTensor& gavg, const OptTensor& buf,
         const Tensor& step, double lr, double alpha, double eps, double weight_decay, double momentum, bool centered,
         bool maximize) {
        return run(p, grad, [&](const Tensor& g) {
          rmsprop_step(p, g, sq, opt(gavg), opt(buf), step, lr, alpha, eps, weight_decay, momentum, centered, maximize);
        });
      },
      py::arg("param"), py::arg("grad"), py::arg("square_avg"), py::arg("grad_avg"), py::arg("momentum_buffer"),
      py::arg("step"), py::arg("lr"), py::arg("alpha"), py::arg("eps"), py::arg("weight_decay"), py::arg("momentum"),
      py::arg("centered"), py::arg("maximize"));
  o.def(
      "nadam_step",
      [](const Tensor& p, const OptTensor& grad, const Tensor& m1, const Tensor& m2, const Tensor& mu_product,
         const Tensor& step, double lr, double beta1, double beta2, double eps, double weight_decay,
         double momentum_decay, bool decoupled_weight_decay, bool maximize) {
        return run(p, grad, [&](const Tensor& g) {
          nadam_step(p, g, m1, m2, mu_product, step, lr, beta1, beta2, eps, weight_decay, momentum_decay,
                     decoupled_weight_decay, maximize);
        });
      },
      py::arg("param"), py::arg("grad"), py::arg("exp_avg"), py::arg("exp_avg_sq"), py::arg("mu_product"),
      py::arg("step"), py::arg("lr"), py::arg("beta1"), py::arg("beta2"), py::arg("eps"), py::arg("weight_decay"),
      py::arg("momentum_decay"), py::arg("decoupled_weight_decay"), py::arg("maximize"));
  o.def(
      "adamax_step",
      [](const Tensor& p, const OptTensor& grad, const Tensor& m1, const Tensor& exp_inf, const Tensor& step, double lr,
         double beta1, double beta2, double eps, double weight_decay, bool maximize) {
        return run(p, grad, [&](const Tensor& g) {
          adamax_step(p, g, m1, exp_inf, step, lr, beta1, beta2, eps, weight_decay, maximize);
        });
      },
      py::arg("param"), py::arg("grad"), py::arg("exp_avg"), py::arg("exp_inf"), py::arg("step"), py::arg("lr"),
      py::arg("beta1"), py::arg("beta2"), py::arg("eps"), py::arg("weight_decay"), py::arg("maximize"));
  o.def(
      "radam_step",
      [](const Tensor& p, const OptTensor& grad, const Tensor& m1, const Tensor& m2, const Tensor& step, double lr,
         double beta1, double beta2, double eps, double weight_decay, bool decoupled_weight_decay, bool maximize) {
        return run(p, grad, [&](const Tensor& g) {
          radam_step(p, g, m1, m2, step, lr, beta1, beta2, eps, weight_decay, decoupled_weight_decay, maximize);
        });
      },
      py::arg("param"), py::arg("grad"), py::arg("exp_avg"), py::arg("exp_avg_sq"), py::arg("step"), py::arg("lr"),
      py::arg("beta1"), py::arg("beta2"), py::arg("eps"), py::arg("weight_decay"), py::arg("decoupled_weight_decay"),
      py::arg("maximize"));
  o.def(
      "rprop_step",
      [](const Tensor& p, const OptTensor& grad, const Tensor& prev, const Tensor& step_size, const Tensor& step,
         double etaminus, double etaplus, double step_size_min, double step_size_max, bool maximize) {
        return run(p, grad, [&](const Tensor& g) {
          rprop_step(p, g, prev, step_size, step, etaminus, etaplus, step_size_min, step_size_max, maximize);
        });
      },
      py::arg("param"), py::arg("grad"), py::arg("prev"), py::arg("step_size"), py::arg("step"), py::arg("etaminus"),
      py::arg("etaplus"), py::arg("step_size_min"), py::arg("step_size_max"), py::arg("maximize"));
  o.def(
      "asgd_step",
      [](const Tensor& p, const OptTensor& grad, const Tensor& ax, const Tensor& step, const Tensor& eta,
         const Tensor& mu, double lr, double lambd, double alpha, double t0, double weight_decay, bool maximize) {
        return run(p, grad, [&](const Tensor& g) {
          asgd_step(p, g, ax, step, eta, mu, lr, lambd, alpha, t0, weight_decay, maximize);
        });
      },
      py::arg("param"), py::arg("grad"), py::arg("ax"), py::arg("step"), py::arg("eta"), py::arg("mu"), py::arg("lr"),
      py::arg("lambd"), py::arg("alpha"), py::arg("t0"), py::arg("weight_decay"), py::arg("maximize"));
}

}  // namespace rb::bind
