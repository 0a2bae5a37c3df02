// Fused optimizer steps: argument checks, the scalar part of each update (step counters and bias
// corrections in double, as torch.optim computes them in Python), then one kernel pass.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "rosenblatt/ops.h"

#include "op_common.h"

#include "../kernels/optim.h"

namespace rb {
namespace {

void check_param(const Tensor& p, const char* op) {
  RB_CHECK(p.defined(), Error, op, ": param is undefined");
  RB_CHECK(p.dtype() == DType::Float32 || p.dtype() == DType::Float64, Error, op,
           ": expected a float32 or float64 parameter, got ", p.dtype());
  RB_CHECK(p.is_contiguous(), Error, op, ": expected a contiguous parameter");
}

// A gradient or state buffer: the parameter's shape and dtype; state must also be contiguous
// because it is written in place.
void check_like(const Tensor& t, const Tensor& p, const char* op, const char* name, bool written) {
  RB_CHECK(t.defined(), Error, op, ": ", name, " is required with these options");
  RB_CHECK(t.device() == p.device(), Error, op, ": ", name, " is on ", t.device().name(), " but param is on ",
           p.device().name());
  RB_CHECK(t.shape() == p.shape() && t.dtype() == p.dtype(), Error, op, ": ", name, " has shape ", t.shape(),
           " and dtype ", t.dtype(), " but param has shape ", p.shape(), " and dtype ", p.dtype());
  RB_CHECK(!written || t.is_contiguous(), Error, op, ": expected a contiguous ", name);
}

// The kernels read and write through __restrict pointers: no two operands may share memory
// (a strided gradient is copied first, so only dense operands are compared).
void check_disjoint(std::initializer_list<const Tensor*> ts, const char* op) {
  std::vector<std::pair<const char*, const char*>> ranges;
  for (const Tensor* t : ts) {
    if (!t->defined() || t->numel() == 0 || !t->is_contiguous()) continue;
    const char* b = static_cast<const char*>(t->raw_data());
    ranges.emplace_back(b, b + t->numel() * t->itemsize());
  }
  for (size_t i = 0; i < ranges.size(); ++i)
    for (size_t j = i + 1; j < ranges.size(); ++j)
      RB_CHECK(ranges[i].second <= ranges[j].first || ranges[j].second <= ranges[i].first, Error, op,
               ": the parameter, its gradient and its state must not share memory");
}

void check_scalar_state(const Tensor& t, const char* op, const char* name) {
  RB_CHECK(t.defined(), Error, op, ": ", name, " is undefined");
  RB_CHECK(t.device().is_cpu() && t.numel() == 1 && (t.dtype() == DType::Float32 || t.dtype() == DType::Float64), Error,
           op, ": ", name, " must be a one-element float32 or float64 CPU tensor, got shape ", t.shape(), " and dtype ",
           t.dtype());
}

double read_scalar(const Tensor& t) {
  return t.dtype() == DType::Float32 ? double(*static_cast<float*>(t.raw_data())) : *static_cast<double*>(t.raw_data());
}

// Stores v rounded to t's dtype and returns what was stored (torch's `step_t += 1; step_t.item()`).
double write_scalar(const Tensor& t, double v) {
  if (t.dtype() == DType::Float32) {
    float f = static_cast<float>(v);
    *static_cast<float*>(t.raw_data()) = f;
    v = f;
  } else {
    *static_cast<double*>(t.raw_data()) = v;
  }
  t.bump_version();
  return v;
}

double increment(const Tensor& step) {
  // step_t += 1 happens in the step tensor's dtype.
  if (step.dtype() == DType::Float32) return write_scalar(step, double(static_cast<float>(read_scalar(step)) + 1.0f));
  return write_scalar(step, read_scalar(step) + 1.0);
}

// The gradient as the kernels read it: dense memory (a strided gradient is copied once).
Tensor dense(const Tensor& g) { return g.is_contiguous() ? g : g.contiguous(); }

template <class T>
T* ptr(const Tensor& t) {
  return t.defined() ? static_cast<T*>(t.raw_data()) : nullptr;
}

void bump(std::initializer_list<const Tensor*> ts) {
  for (const Tensor* t : ts)
    if (t->defined()) t->bump_version();
}

}  // namespace

void sgd_step(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer, double lr, double momentum,
              double dampening, double weight_decay, bool nesterov, bool maximize, bool first_step) {
  const char* op = "sgd_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  if (momentum != 0) check_like(momentum_buffer, param, op, "momentum_buffer", true);
  check_disjoint({&param, &grad, &momentum_buffer}, op);
  Tensor g = dense(grad);
  SgdArgs a{lr, momentum, dampening, weight_decay, nesterov, maximize, first_step};
  int64_t n = param.numel();
  Tensor buf = momentum != 0 ? momentum_buffer : Tensor();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).sgd_step(ptr<scalar_t>(param), ptr<scalar_t>(g), ptr<scalar_t>(buf), n,
                                                        a);
  });
  bump({&param, &buf});
}

void adam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
               const Tensor& max_exp_avg_sq, const Tensor& step, double lr, double beta1, double beta2, double eps,
               double weight_decay, bool amsgrad, bool maximize, bool decoupled) {
  const char* op = "adam_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  check_like(exp_avg, param, op, "exp_avg", true);
  check_like(exp_avg_sq, param, op, "exp_avg_sq", true);
  if (amsgrad) check_like(max_exp_avg_sq, param, op, "max_exp_avg_sq", true);
  check_scalar_state(step, op, "step");
  check_disjoint({&param, &grad, &exp_avg, &exp_avg_sq, &max_exp_avg_sq}, op);
  Tensor g = dense(grad), vmax = amsgrad ? max_exp_avg_sq : Tensor();
  double s = increment(step);
  double bias_correction1 = 1 - std::pow(beta1, s), bias_correction2 = 1 - std::pow(beta2, s);
  double step_size = lr / bias_correction1, bias_correction2_sqrt = std::pow(bias_correction2, 0.5);
  AdamArgs a{lr, beta1, beta2, eps, weight_decay, step_size, bias_correction2_sqrt, amsgrad, maximize, decoupled};
  int64_t n = param.numel();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).adam_step(ptr<scalar_t>(param), ptr<scalar_t>(g), ptr<scalar_t>(exp_avg),
                                                         ptr<scalar_t>(exp_avg_sq), ptr<scalar_t>(vmax), n, a);
  });
  bump({&param, &exp_avg, &exp_avg_sq, &vmax});
}

void adagrad_step(const Tensor& param, const Tensor& grad, const Tensor& sum, const Tensor& step, double lr,
                  double lr_decay, double weight_decay, double eps, bool maximize) {
  const char* op = "adagrad_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  check_like(sum, param, op, "sum", true);
  check_scalar_state(step, op, "step");
  check_disjoint({&param, &grad, &sum}, op);
  Tensor g = dense(grad);
  double s = increment(step);
  AdagradArgs a{lr / (1 + (s - 1) * lr_decay), weight_decay, eps, maximize};
  int64_t n = param.numel();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).adagrad_step(ptr<scalar_t>(param), ptr<scalar_t>(g), ptr<scalar_t>(sum),
                                                            n, a);
  });
  bump({&param, &sum});
}

void adadelta_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg, const Tensor& acc_delta,
                   const Tensor& step, double lr, double rho, double eps, double weight_decay, bool maximize) {
  const char* op = "adadelta_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  check_like(square_avg, param, op, "square_avg", true);
  check_like(acc_delta, param, op, "acc_delta", true);
  check_scalar_state(step, op, "step");
  check_disjoint({&param, &grad, &square_avg, &acc_delta}, op);
  Tensor g = dense(grad);
  increment(step);
  AdadeltaArgs a{lr, rho, eps, weight_decay, maximize};
  int64_t n = param.numel();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).adadelta_step(ptr<scalar_t>(param), ptr<scalar_t>(g),
                                                             ptr<scalar_t>(square_avg), ptr<scalar_t>(acc_delta), n, a);
  });
  bump({&param, &square_avg, &acc_delta});
}

void rmsprop_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg, const Tensor& grad_avg,
                  const Tensor& momentum_buffer, const Tensor& step, double lr, double alpha, double eps,
                  double weight_decay, double momentum, bool centered, bool maximize) {
  const char* op = "rmsprop_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  check_like(square_avg, param, op, "square_avg", true);
  if (centered) check_like(grad_avg, param, op, "grad_avg", true);
  if (momentum > 0) check_like(momentum_buffer, param, op, "momentum_buffer", true);
  check_scalar_state(step, op, "step");
  check_disjoint({&param, &grad, &square_avg, &grad_avg, &momentum_buffer}, op);
  Tensor g = dense(grad), gavg = centered ? grad_avg : Tensor(), buf = momentum > 0 ? momentum_buffer : Tensor();
  increment(step);
  RmspropArgs a{lr, alpha, eps, weight_decay, momentum, centered, maximize};
  int64_t n = param.numel();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).rmsprop_step(ptr<scalar_t>(param), ptr<scalar_t>(g),
                                                            ptr<scalar_t>(square_avg), ptr<scalar_t>(gavg),
                                                            ptr<scalar_t>(buf), n, a);
  });
  bump({&param, &square_avg, &gavg, &buf});
}

void nadam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                const Tensor& mu_product, const Tensor& step, double lr, double beta1, double beta2, double eps,
                double weight_decay, double momentum_decay, bool decoupled_weight_decay, bool maximize) {
  const char* op = "nadam_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  check_like(exp_avg, param, op, "exp_avg", true);
  check_like(exp_avg_sq, param, op, "exp_avg_sq", true);
  check_scalar_state(mu_product, op, "mu_product");
  check_scalar_state(step, op, "step");
  check_disjoint({&param, &grad, &exp_avg, &exp_avg_sq}, op);
  Tensor g = dense(grad);
  double s = increment(step);
  double bias_correction2 = 1 - std::pow(beta2, s);
  double mu = beta1 * (1.0 - 0.5 * std::pow(0.96, s * momentum_decay));
  double mu_next = beta1 * (1.0 - 0.5 * std::pow(0.96, (s + 1) * momentum_decay));
  // mu_product *= mu, in the state tensor's dtype.
  double prev = read_scalar(mu_product);
  double mp = write_scalar(mu_product, mu_product.dtype() == DType::Float32
                                           ? double(static_cast<float>(prev) * static_cast<float>(mu))
                                           : prev * mu);
  double mp_next = mp * mu_next;
  NadamArgs a{lr,
              beta1,
              beta2,
              eps,
              weight_decay,
              bias_correction2,
              -lr * (1.0 - mu) / (1.0 - mp),
              (-lr * mu_next) / (1.0 - mp_next),
              maximize,
              decoupled_weight_decay};
  int64_t n = param.numel();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).nadam_step(ptr<scalar_t>(param), ptr<scalar_t>(g),
                                                          ptr<scalar_t>(exp_avg), ptr<scalar_t>(exp_avg_sq), n, a);
  });
  bump({&param, &exp_avg, &exp_avg_sq});
}

void adamax_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_inf,
                 const Tensor& step, double lr, double beta1, double beta2, double eps, double weight_decay,
                 bool maximize) {
  const char* op = "adamax_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  check_like(exp_avg, param, op, "exp_avg", true);
  check_like(exp_inf, param, op, "exp_inf", true);
  check_scalar_state(step, op, "step");
  check_disjoint({&param, &grad, &exp_avg, &exp_inf}, op);
  Tensor g = dense(grad);
  double s = increment(step);
  AdamaxArgs a{beta1, beta2, eps, weight_decay, lr / (1 - std::pow(beta1, s)), maximize};
  int64_t n = param.numel();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).adamax_step(ptr<scalar_t>(param), ptr<scalar_t>(g),
                                                           ptr<scalar_t>(exp_avg), ptr<scalar_t>(exp_inf), n, a);
  });
  bump({&param, &exp_avg, &exp_inf});
}

void radam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                const Tensor& step, double lr, double beta1, double beta2, double eps, double weight_decay,
                bool decoupled_weight_decay, bool maximize) {
  const char* op = "radam_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  check_like(exp_avg, param, op, "exp_avg", true);
  check_like(exp_avg_sq, param, op, "exp_avg_sq", true);
  check_scalar_state(step, op, "step");
  check_disjoint({&param, &grad, &exp_avg, &exp_avg_sq}, op);
  Tensor g = dense(grad);
  double s = increment(step);
  double bias_correction1 = 1 - std::pow(beta1, s), bias_correction2 = 1 - std::pow(beta2, s);
  // The length of the approximated simple moving average; the adaptive step is used once it exceeds 5.
  double rho_inf = 2 / (1 - beta2) - 1;
  double rho_t = rho_inf - 2 * s * std::pow(beta2, s) / bias_correction2;
  bool rectified = rho_t > 5.0;
  double rect =
      rectified ? std::pow((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t), 0.5) : 0.0;
  RadamArgs a{lr,
              beta1,
              beta2,
              eps,
              weight_decay,
              bias_correction1,
              std::pow(bias_correction2, 0.5),
              rect,
              rectified,
              maximize,
              decoupled_weight_decay};
  int64_t n = param.numel();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).radam_step(ptr<scalar_t>(param), ptr<scalar_t>(g),
                                                          ptr<scalar_t>(exp_avg), ptr<scalar_t>(exp_avg_sq), n, a);
  });
  bump({&param, &exp_avg, &exp_avg_sq});
}

void rprop_step(const Tensor& param, const Tensor& grad, const Tensor& prev, const Tensor& step_size,
                const Tensor& step, double etaminus, double etaplus, double step_size_min, double step_size_max,
                bool maximize) {
  const char* op = "rprop_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  check_like(prev, param, op, "prev", true);
  check_like(step_size, param, op, "step_size", true);
  check_scalar_state(step, op, "step");
  check_disjoint({&param, &grad, &prev, &step_size}, op);
  Tensor g = dense(grad);
  increment(step);
  RpropArgs a{etaminus, etaplus, step_size_min, step_size_max, maximize};
  int64_t n = param.numel();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).rprop_step(ptr<scalar_t>(param), ptr<scalar_t>(g), ptr<scalar_t>(prev),
                                                          ptr<scalar_t>(step_size), n, a);
  });
  bump({&param, &prev, &step_size});
}

void asgd_step(const Tensor& param, const Tensor& grad, const Tensor& ax, const Tensor& step, const Tensor& eta,
               const Tensor& mu, double lr, double lambd, double alpha, double t0, double weight_decay, bool maximize) {
  const char* op = "asgd_step";
  check_param(param, op);
  check_like(grad, param, op, "grad", false);
  check_like(ax, param, op, "ax", true);
  check_scalar_state(step, op, "step");
  check_scalar_state(eta, op, "eta");
  check_scalar_state(mu, op, "mu");
  check_disjoint({&param, &grad, &ax}, op);
  Tensor g = dense(grad);
  const double t = increment(step);
  // The rate and weight of this step are the ones the previous step stored (rounded to their dtype).
  const double eta_v = read_scalar(eta), mu_v = read_scalar(mu);
  AsgdArgs a{eta_v, 1 - lambd * eta_v, mu_v, weight_decay, mu_v != 1, maximize};
  int64_t n = param.numel();
  RB_DISPATCH_FLOATING(param.dtype(), op, [&] {
    kernels<OptimKernels<scalar_t>>(op, param).asgd_step(ptr<scalar_t>(param), ptr<scalar_t>(g), ptr<scalar_t>(ax), n,
                                                         a);
  });
  bump({&param, &ax});
  write_scalar(eta, lr / std::pow(1 + lambd * lr * t, alpha));
  write_scalar(mu, 1 / std::max(1.0, t - t0));
}

}  // namespace rb
