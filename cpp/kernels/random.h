// The random family's kernel table: fills of contiguous buffers. Draws are sequential from one
// Generator (the caller holds its mutex), so a seed fixes the values whatever the thread count.
#pragma once
#include <cstdint>

#include "rosenblatt/generator.h"
#include "rosenblatt/tensor.h"

namespace rb {

struct RandomKernels {
  // out: contiguous, any dtype. Values are computed in double and converted to out's dtype.
  void (*uniform_fill)(Tensor& out, double from, double to, Generator& g);
  void (*normal_fill)(Tensor& out, double mean, double std, Generator& g);
  void (*bernoulli_fill)(Tensor& out, double p, Generator& g);
  void (*randint_fill)(Tensor& out, int64_t from, uint64_t range, Generator& g);  // integers in [from, from + range)
  void (*exponential_fill)(Tensor& out, double lambd, Generator& g);
  // p: contiguous, same shape as out; out[i] = draw < p[i].
  void (*bernoulli_tensor_fill)(Tensor& out, const Tensor& p, Generator& g);
  // out: contiguous int64 or float, numel n: a random permutation of 0..n-1 (Fisher-Yates).
  void (*randperm_fill)(Tensor& out, Generator& g);
  // probs: contiguous (rows, C) float, each row checked: no negative, inf or nan entry, a positive sum.
  // out: contiguous (rows, n) int64, n category indices per row drawn with probabilities proportional
  // to the row; without replacement (n <= C) each index at most once, as successive draws from what is left.
  void (*multinomial)(const Tensor& probs, int64_t n, bool replacement, Generator& g, Tensor& out);
};

}  // namespace rb
