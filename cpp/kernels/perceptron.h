// The perceptron rule's kernel table: one epoch of sequential updates, prediction, one update.
// Sequential by nature (each update depends on the previous one).
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

// N samples of F features; dtype is the weights' (and so the features') floating dtype.
struct PerceptronGeom {
  int64_t N, F;
  DType dtype;
};

struct PerceptronKernels {
  // X: (N, F), y: (N) float64 targets, w: (F), b: (), all contiguous; w and b are updated in place.
  // Returns the number of mistakes made during the epoch.
  int64_t (*perceptron_epoch)(const PerceptronGeom& g, const void* X, const double* y, void* w, void* b, double lr,
                              double lo, double hi);
  // X: (N, F), w: (F), b: () -> out: (N), hi where w.x + b >= 0, else lo.
  void (*perceptron_predict)(const PerceptronGeom& g, const void* X, const void* w, const void* b, double lo, double hi,
                             int64_t* out);
  // x: (F) (N is 1): w += delta * x, b += delta.
  void (*perceptron_update)(const PerceptronGeom& g, const void* x, void* w, void* b, double delta);
};

}  // namespace rb
