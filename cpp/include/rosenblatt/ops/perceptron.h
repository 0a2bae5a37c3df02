// Rosenblatt's perceptron learning rule (1958): a step-activation linear unit trained one sample at
// a time with w <- w + lr*(y - y_hat)*x, b <- b + lr*(y - y_hat). The whole fit loop runs here.
#pragma once
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb {

struct PerceptronFit {
  bool converged = false;       // an epoch made no mistake
  int64_t n_epochs = 0;         // epochs run
  std::vector<int64_t> errors;  // mistakes per epoch
  double lo = 0, hi = 1;        // the label pair found in y: {0, 1} or {-1, 1}
};

// w: (F,) and b: () floating tensors, updated in place; X: (N, F); y: (N,) labels, all in {0, 1}
// or all in {-1, 1} (ValueError otherwise). Epochs visit the samples in order and stop after the
// first epoch without a mistake or after max_epochs. y_hat = hi if w.x + b >= 0, else lo.
PerceptronFit perceptron_fit(const Tensor& w, const Tensor& b, const Tensor& X, const Tensor& y, double lr,
                             int64_t max_epochs);
// X: (N, F) -> (N,) int64 labels in {lo, hi}.
Tensor perceptron_predict(const Tensor& w, const Tensor& b, const Tensor& X, double lo, double hi);
// The single step: x: (F,); w += lr*(target - prediction)*x, b += lr*(target - prediction).
void perceptron_update(const Tensor& w, const Tensor& b, const Tensor& x, double target, double prediction, double lr);

}  // namespace rb
