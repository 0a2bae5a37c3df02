// Helpers shared by the C++ tests: tensors from initializer lists and element access by index,
// so tests read like the Python ones.
#pragma once
#include <gtest/gtest.h>

#include <vector>

#include "rosenblatt/ops.h"

namespace rbtest {

inline rb::Tensor make(const rb::Shape& shape, const std::vector<float>& values) {
  rb::Tensor t = rb::Tensor::empty(shape, rb::DType::Float32);
  EXPECT_EQ(t.numel(), static_cast<int64_t>(values.size()));
  float* p = t.data<float>();
  for (size_t i = 0; i < values.size(); ++i) p[i] = values[i];
  return t;
}

// Element at a multi-index, following the strides (so it also reads views).
template <class T = float>
T at(const rb::Tensor& t, const std::vector<int64_t>& idx) {
  int64_t off = 0;
  for (size_t d = 0; d < idx.size(); ++d) off += idx[d] * t.stride(static_cast<int64_t>(d));
  return static_cast<const T*>(t.raw_data())[off];
}

// All elements in row-major order, whatever the strides.
inline std::vector<float> values(const rb::Tensor& t) {
  rb::Tensor c = t.contiguous();
  const float* p = c.data<float>();
  return std::vector<float>(p, p + c.numel());
}

}  // namespace rbtest
