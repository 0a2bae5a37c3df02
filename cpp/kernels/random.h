// The random family's kernel table: fills of contiguous buffers. Draws are sequential from one
// Generator (the caller holds its mutex), so a seed fixes the values whatever the thread count.
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"
#include "rosenblatt/generator.h"

namespace rb {

// A contiguous out of n elements of dtype; for multinomial, n draws per row of probs (rows, C).
// p_dtype is the probabilities' floating dtype (bernoulli_tensor_fill, multinomial).
struct RandomGeom {
  int64_t n;
  DType dtype;
  DType p_dtype = DType::Float32;
  int64_t rows = 1, C = 0;
};

struct RandomKernels {
  // out: (n), any dtype. Values are computed in double and converted to out's dtype.
  void (*uniform_fill)(const RandomGeom& g, void* out, double from, double to, Generator& gen);
  void (*normal_fill)(const RandomGeom& g, void* out, double mean, double std, Generator& gen);
  void (*bernoulli_fill)(const RandomGeom& g, void* out, double p, Generator& gen);
  // Integers in [from, from + range).
  void (*randint_fill)(const RandomGeom& g, void* out, int64_t from, uint64_t range, Generator& gen);
  void (*exponential_fill)(const RandomGeom& g, void* out, double lambd, Generator& gen);
  // p: (n) of p_dtype -> out: (n); out[i] = draw < p[i].
  void (*bernoulli_tensor_fill)(const RandomGeom& g, void* out, const void* p, Generator& gen);
  // out: (n) int64 or float: a random permutation of 0..n-1 (Fisher-Yates).
  void (*randperm_fill)(const RandomGeom& g, void* out, Generator& gen);
  // probs: (rows, C) of p_dtype, each row checked: no negative, inf or nan entry, a positive sum.
  // out: (rows, n) int64, n category indices per row drawn with probabilities proportional to the
  // row; without replacement (n <= C) each index at most once, as successive draws from what is left.
  void (*multinomial)(const RandomGeom& g, const void* probs, bool replacement, Generator& gen, int64_t* out);
};

}  // namespace rb
