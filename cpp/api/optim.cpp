// The C++ optimizers: per-parameter state created at a parameter's first step with a gradient,
// then one call of the fused update (rosenblatt/ops/optim.h) per parameter, as rosenblatt.optim does.
#include "rosenblatt/optim.h"

#include "rosenblatt/ops.h"

namespace rb::optim {
namespace {
void check_nonnegative(const char* what, double v) { RB_CHECK(v >= 0.0, ValueError, "Invalid ", what, ": ", v); }
Tensor step_counter() { return zeros({}); }  // 0-d float32, as torch keeps `step`
}  // namespace

Optimizer::Optimizer(std::vector<Tensor> params) : lr(0.0), params_(std::move(params)) {
  RB_CHECK(!params_.empty(), ValueError, "optimizer got an empty parameter list");
  for (const Tensor& p : params_) {
    RB_CHECK(p.defined(), ValueError, "optimizer got an undefined tensor as a parameter");
    RB_CHECK(p.is_leaf(), ValueError, "can't optimize a non-leaf Tensor");
  }
}

void Optimizer::zero_grad() {
  for (Tensor& p : params_) p.set_grad(Tensor());
}

SGD::SGD(std::vector<Tensor> params, double lr_, double momentum, double dampening, double weight_decay, bool nesterov,
         bool maximize)
    : Optimizer(std::move(params)),
      momentum(momentum),
      dampening(dampening),
      weight_decay(weight_decay),
      nesterov(nesterov),
      maximize(maximize) {
  check_nonnegative("learning rate", lr_);
  check_nonnegative("momentum value", momentum);
  check_nonnegative("weight_decay value", weight_decay);
  RB_CHECK(!nesterov || (momentum > 0 && dampening == 0), ValueError,
           "Nesterov momentum requires a momentum and zero dampening");
  lr = lr_;
  momentum_buffer.resize(params_.size());
}

void SGD::step() {
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor& p = params_[i];
    Tensor g = p.grad();
    if (!g.defined()) continue;
    bool first = momentum > 0 && !momentum_buffer[i].defined();
    // The first step copies the gradient into a fresh buffer (the kernel's first_step).
    if (first) momentum_buffer[i] = Tensor::empty(p.shape(), p.dtype(), p.device());
    sgd_step(p, g, momentum > 0 ? momentum_buffer[i] : Tensor(), lr, momentum, dampening, weight_decay, nesterov,
             maximize, first);
  }
}

Adam::Adam(std::vector<Tensor> params, double lr_, std::pair<double, double> betas, double eps, double weight_decay,
           bool amsgrad, bool maximize, bool decoupled)
    : Optimizer(std::move(params)),
      betas(betas),
      eps(eps),
      weight_decay(weight_decay),
      amsgrad(amsgrad),
      maximize(maximize),
      decoupled_weight_decay(decoupled) {
  check_nonnegative("learning rate", lr_);
  check_nonnegative("epsilon value", eps);
  RB_CHECK(betas.first >= 0.0 && betas.first < 1.0, ValueError, "Invalid beta parameter at index 0: ", betas.first);
  RB_CHECK(betas.second >= 0.0 && betas.second < 1.0, ValueError, "Invalid beta parameter at index 1: ", betas.second);
  check_nonnegative("weight_decay value", weight_decay);
  lr = lr_;
  state.resize(params_.size());
}

void Adam::step() {
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor& p = params_[i];
    Tensor g = p.grad();
    if (!g.defined()) continue;
    State& s = state[i];
    if (!s.step.defined()) {
      s.step = step_counter();
      s.exp_avg = zeros_like(p);
      s.exp_avg_sq = zeros_like(p);
      if (amsgrad) s.max_exp_avg_sq = zeros_like(p);
    }
    adam_step(p, g, s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq, s.step, lr, betas.first, betas.second, eps, weight_decay,
              amsgrad, maximize, decoupled_weight_decay);
  }
}

RMSprop::RMSprop(std::vector<Tensor> params, double lr_, double alpha, double eps, double weight_decay, double momentum,
                 bool centered, bool maximize)
    : Optimizer(std::move(params)),
      alpha(alpha),
      eps(eps),
      weight_decay(weight_decay),
      momentum(momentum),
      centered(centered),
      maximize(maximize) {
  check_nonnegative("learning rate", lr_);
  check_nonnegative("epsilon value", eps);
  check_nonnegative("momentum value", momentum);
  check_nonnegative("weight_decay value", weight_decay);
  check_nonnegative("alpha value", alpha);
  lr = lr_;
  state.resize(params_.size());
}

void RMSprop::step() {
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor& p = params_[i];
    Tensor g = p.grad();
    if (!g.defined()) continue;
    State& s = state[i];
    if (!s.step.defined()) {
      s.step = step_counter();
      s.square_avg = zeros_like(p);
      if (momentum > 0) s.momentum_buffer = zeros_like(p);
      if (centered) s.grad_avg = zeros_like(p);
    }
    rmsprop_step(p, g, s.square_avg, s.grad_avg, s.momentum_buffer, s.step, lr, alpha, eps, weight_decay, momentum,
                 centered, maximize);
  }
}

}  // namespace rb::optim
