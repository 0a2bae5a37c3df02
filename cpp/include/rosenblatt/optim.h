// Optimizers for C++ training: SGD (momentum, Nesterov), Adam, AdamW and RMSprop, each a loop over
// the fused per-parameter steps of rosenblatt/ops/optim.h that rosenblatt.optim calls, so both give
// the same numbers. Arguments and defaults follow torch.optim; bad values raise ValueError.
//
//   rb::optim::Adam opt(model.parameters(), 1e-3);
//   opt.zero_grad(); rb::backward(loss); opt.step();
#pragma once
#include <utility>
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb::optim {

class Optimizer {
 public:
  explicit Optimizer(std::vector<Tensor> params);
  virtual ~Optimizer() = default;
  // Parameters without a gradient are skipped (and get no state), as in PyTorch.
  virtual void step() = 0;
  void zero_grad();  // set_to_none, PyTorch's default
  const std::vector<Tensor>& params() const { return params_; }
  double lr;

 protected:
  std::vector<Tensor> params_;
};

class SGD : public Optimizer {
 public:
  double momentum, dampening, weight_decay;
  bool nesterov, maximize;
  SGD(std::vector<Tensor> params, double lr = 1e-3, double momentum = 0.0, double dampening = 0.0,
      double weight_decay = 0.0, bool nesterov = false, bool maximize = false);
  void step() override;
  std::vector<Tensor> momentum_buffer;  // per parameter; undefined until its first step with momentum
};

// Adam; decoupled weight decay (AdamW) with decoupled_weight_decay.
class Adam : public Optimizer {
 public:
  std::pair<double, double> betas;
  double eps, weight_decay;
  bool amsgrad, maximize, decoupled_weight_decay;
  Adam(std::vector<Tensor> params, double lr = 1e-3, std::pair<double, double> betas = {0.9, 0.999}, double eps = 1e-8,
       double weight_decay = 0.0, bool amsgrad = false, bool maximize = false, bool decoupled_weight_decay = false);
  void step() override;
  // Per parameter, created at its first step: step (0-d float32), exp_avg, exp_avg_sq, max_exp_avg_sq.
  struct State {
    Tensor step, exp_avg, exp_avg_sq, max_exp_avg_sq;
  };
  std::vector<State> state;
};

class AdamW : public Adam {
 public:
  AdamW(std::vector<Tensor> params, double lr = 1e-3, std::pair<double, double> betas = {0.9, 0.999}, double eps = 1e-8,
        double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false)
      : Adam(std::move(params), lr, betas, eps, weight_decay, amsgrad, maximize, true) {}
};

class RMSprop : public Optimizer {
 public:
  double alpha, eps, weight_decay, momentum;
  bool centered, maximize;
  RMSprop(std::vector<Tensor> params, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
          double weight_decay = 0.0, double momentum = 0.0, bool centered = false, bool maximize = false);
  void step() override;
  struct State {
    Tensor step, square_avg, grad_avg, momentum_buffer;
  };
  std::vector<State> state;
};

}  // namespace rb::optim
