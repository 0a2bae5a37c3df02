// Host-side layout arithmetic shared by the kernels of every device and the ops that prepare their
// arguments: strides of a broadcast operand, element offsets of a strided walk.
#pragma once
#include <cstdint>
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb {

// Strides of t when broadcast to `shape` (0 along broadcast dims), in elements.
inline Shape broadcast_strides(const Tensor& t, const Shape& shape) {
  Shape st(shape.size(), 0);
  size_t lead = shape.size() - t.shape().size();
  for (size_t i = 0; i < t.shape().size(); ++i) st[lead + i] = t.shape()[i] == 1 ? 0 : t.strides()[i];
  return st;
}

// Element offsets of every position of `shape` (row-major order) under `strides`.
std::vector<int64_t> offset_table(const Shape& shape, const Shape& strides);

}  // namespace rb
