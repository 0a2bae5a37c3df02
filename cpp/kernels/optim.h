// The optimizer family's kernel table: fused updates, one pass per parameter over the parameter,
// its gradient and its state buffers, with PyTorch's single-tensor arithmetic (operation order and rounding).
#pragma once
#include <cstdint>

namespace rb {

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
// clr: lr / (1 - beta1^step).
struct AdamaxArgs {
  double beta1, beta2, eps, weight_decay, clr;
  bool maximize;
};
// rect: the variance rectification term, used when rectified (rho_t > 5).
struct RadamArgs {
  double lr, beta1, beta2, eps, weight_decay, bias_correction1, bias_correction2_sqrt, rect;
  bool rectified, maximize, decoupled;
};
struct RpropArgs {
  double etaminus, etaplus, step_size_min, step_size_max;
  bool maximize;
};
// eta: this step's rate (torch keeps it in a float32 tensor), keep = 1 - lambd * eta, mu: the averaging
// weight; average: mu != 1 (else ax is a copy of the parameter, as torch's).
struct AsgdArgs {
  double eta, keep, mu, weight_decay;
  bool average, maximize;
};

template <class T>
struct OptimKernels {
  // p, g, buf: (n,); buf null when momentum == 0.
  void (*sgd_step)(T* p, const T* g, T* buf, int64_t n, const SgdArgs& a);
  // p, g, exp_avg, exp_avg_sq, max_exp_avg_sq: (n,); max_exp_avg_sq null unless amsgrad.
  void (*adam_step)(T* p, const T* g, T* exp_avg, T* exp_avg_sq, T* max_exp_avg_sq, int64_t n, const AdamArgs& a);
  // p, g, sum: (n,)
  void (*adagrad_step)(T* p, const T* g, T* sum, int64_t n, const AdagradArgs& a);
  // p, g, square_avg, acc_delta: (n,)
  void (*adadelta_step)(T* p, const T* g, T* square_avg, T* acc_delta, int64_t n, const AdadeltaArgs& a);
  // p, g, square_avg, grad_avg, buf: (n,); grad_avg null unless centered, buf null unless momentum > 0.
  void (*rmsprop_step)(T* p, const T* g, T* square_avg, T* grad_avg, T* buf, int64_t n, const RmspropArgs& a);
  // p, g, exp_avg, exp_avg_sq: (n,)
  void (*nadam_step)(T* p, const T* g, T* exp_avg, T* exp_avg_sq, int64_t n, const NadamArgs& a);
  // p, g, exp_avg, exp_inf: (n,)
  void (*adamax_step)(T* p, const T* g, T* exp_avg, T* exp_inf, int64_t n, const AdamaxArgs& a);
  // p, g, exp_avg, exp_avg_sq: (n,)
  void (*radam_step)(T* p, const T* g, T* exp_avg, T* exp_avg_sq, int64_t n, const RadamArgs& a);
  // p, g, prev, step_size: (n,)
  void (*rprop_step)(T* p, const T* g, T* prev, T* step_size, int64_t n, const RpropArgs& a);
  // p, g, ax: (n,); ax is the running average of the parameter.
  void (*asgd_step)(T* p, const T* g, T* ax, int64_t n, const AsgdArgs& a);
};

}  // namespace rb
