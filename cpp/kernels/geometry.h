// Host-side layout arithmetic shared by the kernels of every device and the ops that prepare their
// arguments: the operands of a strided elementwise walk, element offsets of a strided walk.
#pragma once
#include <cstdint>
#include <vector>

#include "rosenblatt/dtype.h"
#include "rosenblatt/shape.h"

namespace rb {

// N operands walking one shape (an elementwise op's output's), each at its own element strides, 0
// along the dims it is broadcast over; operand 0 is the output. The op layer builds it once per call
// (cpp/ops/loop_geom.h). Fixed-size arrays: building one allocates nothing, and a small model's ops
// cost a few microseconds each. Entries past ndim are unset.
template <int N>
struct LoopGeom {
  int ndim = 0;
  int64_t shape[kMaxDims];
  int64_t strides[N][kMaxDims];
  DType dtype[N];

  int64_t numel() const {
    int64_t n = 1;
    for (int d = 0; d < ndim; ++d) n *= shape[d];
    return n;
  }
};

// Element offsets of every position of `shape` (row-major order) under `strides`.
std::vector<int64_t> offset_table(const Shape& shape, const Shape& strides);

}  // namespace rb
