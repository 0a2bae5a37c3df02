// Fused optimizer updates: one pass over a parameter, its gradient and its state per call.
// Each updates param and its state in place (bumping their versions, recording no autograd) and
// increments the 0-d `step` tensor as torch.optim does. Optional state is an undefined Tensor.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {

void sgd_step(const Tensor& param, const Tensor& grad, const Tensor& momentum_buffer, double lr, double momentum,
              double dampening, double weight_decay, bool nesterov, bool maximize, bool first_step);
// decoupled: AdamW's weight decay (param *= 1 - lr * weight_decay) instead of L2 added to grad.
void adam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
               const Tensor& max_exp_avg_sq, const Tensor& step, double lr, double beta1, double beta2, double eps,
               double weight_decay, bool amsgrad, bool maximize, bool decoupled);
void adagrad_step(const Tensor& param, const Tensor& grad, const Tensor& sum, const Tensor& step, double lr,
                  double lr_decay, double weight_decay, double eps, bool maximize);
void adadelta_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg, const Tensor& acc_delta,
                   const Tensor& step, double lr, double rho, double eps, double weight_decay, bool maximize);
// grad_avg is required when centered, momentum_buffer when momentum > 0.
void rmsprop_step(const Tensor& param, const Tensor& grad, const Tensor& square_avg, const Tensor& grad_avg,
                  const Tensor& momentum_buffer, const Tensor& step, double lr, double alpha, double eps,
                  double weight_decay, double momentum, bool centered, bool maximize);
// mu_product: 0-d running product of the momentum coefficients, updated in place.
void nadam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                const Tensor& mu_product, const Tensor& step, double lr, double beta1, double beta2, double eps,
                double weight_decay, double momentum_decay, bool decoupled_weight_decay, bool maximize);

// exp_inf: the exponentially weighted infinity norm (torch.optim.Adamax).
void adamax_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_inf,
                 const Tensor& step, double lr, double beta1, double beta2, double eps, double weight_decay,
                 bool maximize);
// decoupled_weight_decay: param *= 1 - lr * weight_decay instead of L2 added to grad (torch.optim.RAdam).
void radam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
                const Tensor& step, double lr, double beta1, double beta2, double eps, double weight_decay,
                bool decoupled_weight_decay, bool maximize);
// prev: the previous (masked) gradient; step_size: the per-element step sizes (torch.optim.Rprop).
void rprop_step(const Tensor& param, const Tensor& grad, const Tensor& prev, const Tensor& step_size,
                const Tensor& step, double etaminus, double etaplus, double step_size_min, double step_size_max,
                bool maximize);
// torch.optim.ASGD: eta and mu are the 0-d rate and averaging weight the step uses and then renews
// (eta = lr / (1 + lambd * lr * step)^alpha, mu = 1 / max(1, step - t0)); ax is the averaged parameter.
void asgd_step(const Tensor& param, const Tensor& grad, const Tensor& ax, const Tensor& step, const Tensor& eta,
               const Tensor& mu, double lr, double lambd, double alpha, double t0, double weight_decay, bool maximize);

}  // namespace rb
