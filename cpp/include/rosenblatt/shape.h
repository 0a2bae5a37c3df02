// Shapes and strides as the core passes them (one int64 per dim, strides in elements), apart from
// Tensor so that the kernel headers, which take no Tensor, can name them.
#pragma once
#include <cstdint>
#include <vector>

namespace rb {

using Shape = std::vector<int64_t>;
constexpr int kMaxDims = 16;  // kernels iterate with fixed-size index arrays

int64_t numel_of(const Shape& shape);
Shape contiguous_strides(const Shape& shape);

}  // namespace rb
