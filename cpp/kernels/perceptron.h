// The perceptron rule's kernel table: one epoch of sequential updates, prediction, one update.
// Sequential by nature (each update depends on the previous one).
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

struct PerceptronKernels {
  // X: (N, F) contiguous, dtype of w; y: (N,) contiguous float64 targets; w: (F,), b: () contiguous.
  // Returns the number of mistakes made during the epoch.
  int64_t (*perceptron_epoch)(const Tensor& X, const Tensor& y, Tensor& w, Tensor& b, double lr, double lo, double hi);
  // X: (N, F) contiguous, dtype of w; out: (N,) int64.
  void (*perceptron_predict)(const Tensor& X, const Tensor& w, const Tensor& b, double lo, double hi, Tensor& out);
  // x: (F,) contiguous, dtype of w; w += delta*x, b += delta.
  void (*perceptron_update)(const Tensor& x, Tensor& w, Tensor& b, double delta);
};

}  // namespace rb
