// CPU kernels of the fused optimizer updates: one pass per parameter over the parameter, its gradient
// and its state buffers, with PyTorch's single-tensor arithmetic (operation order and rounding).
#pragma once
#include <cstdint>

#include "capability.h"

namespace rb::cpu {

// Hyperparameters in double, as Python holds them; each kernel rounds them to T where PyTorch does.
struct SgdArgs {
  double lr, momentum, dampening, weight_decay;
  bool nesterov, maximize, first_step;
};
struct AdamArgs {
  double lr, beta1, beta2, eps, weight_decay, step_size, bias_correction2_sqrt;
  bool amsgrad, maximize, decoupled;
};
struct AdagradArgs {
  double clr, weight_decay, eps;
  bool maximize;
};
struct AdadeltaArgs {
  double lr, rho, eps, weight_decay;
  bool maximize;
};
struct RmspropArgs {
  double lr, alpha, eps, weight_decay, momentum;
  bool centered, maximize;
};
struct NadamArgs {
  double lr, beta1, beta2, eps, weight_decay, bias_correction2, grad_coef, avg_coef;
  bool maximize, decoupled;
};

// The family's kernels for one CPU capability: kernels/cpu/optim.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
template <class T>
struct OptimKernels {
  void (*sgd_step)(T* p, const T* g, T* buf, int64_t n, const SgdArgs& a);
  void (*adam_step)(T* p, const T* g, T* exp_avg, T* exp_avg_sq, T* max_exp_avg_sq, int64_t n, const AdamArgs& a);
  void (*adagrad_step)(T* p, const T* g, T* sum, int64_t n, const AdagradArgs& a);
  void (*adadelta_step)(T* p, const T* g, T* square_avg, T* acc_delta, int64_t n, const AdadeltaArgs& a);
  void (*rmsprop_step)(T* p, const T* g, T* square_avg, T* grad_avg, T* buf, int64_t n, const RmspropArgs& a);
  void (*nadam_step)(T* p, const T* g, T* exp_avg, T* exp_avg_sq, int64_t n, const NadamArgs& a);
};
template <>
const OptimKernels<float>& kernels<OptimKernels<float>>();
template <>
const OptimKernels<double>& kernels<OptimKernels<double>>();

// p, g, buf: (n,); buf null when momentum == 0.
template <class T>
void sgd_step(T* p, const T* g, T* buf, int64_t n, const SgdArgs& a) {
  kernels<OptimKernels<T>>().sgd_step(p, g, buf, n, a);
}
// p, g, exp_avg, exp_avg_sq, max_exp_avg_sq: (n,); max_exp_avg_sq null unless amsgrad.
template <class T>
void adam_step(T* p, const T* g, T* exp_avg, T* exp_avg_sq, T* max_exp_avg_sq, int64_t n, const AdamArgs& a) {
  kernels<OptimKernels<T>>().adam_step(p, g, exp_avg, exp_avg_sq, max_exp_avg_sq, n, a);
}
// p, g, sum: (n,)
template <class T>
void adagrad_step(T* p, const T* g, T* sum, int64_t n, const AdagradArgs& a) {
  kernels<OptimKernels<T>>().adagrad_step(p, g, sum, n, a);
}
// p, g, square_avg, acc_delta: (n,)
template <class T>
void adadelta_step(T* p, const T* g, T* square_avg, T* acc_delta, int64_t n, const AdadeltaArgs& a) {
  kernels<OptimKernels<T>>().adadelta_step(p, g, square_avg, acc_delta, n, a);
}
// p, g, square_avg, grad_avg, buf: (n,); grad_avg null unless centered, buf null unless momentum > 0.
template <class T>
void rmsprop_step(T* p, const T* g, T* square_avg, T* grad_avg, T* buf, int64_t n, const RmspropArgs& a) {
  kernels<OptimKernels<T>>().rmsprop_step(p, g, square_avg, grad_avg, buf, n, a);
}
// p, g, exp_avg, exp_avg_sq: (n,)
template <class T>
void nadam_step(T* p, const T* g, T* exp_avg, T* exp_avg_sq, int64_t n, const NadamArgs& a) {
  kernels<OptimKernels<T>>().nadam_step(p, g, exp_avg, exp_avg_sq, n, a);
}

}  // namespace rb::cpu
