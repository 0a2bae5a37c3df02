// The reduction family's kernel table, over a contiguous input viewed as (outer, R, inner): each
// kernel reduces the middle dim.
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

// A contiguous input x viewed as (outer, R, inner), reduced along R to (outer, inner). dtype is x's;
// out_dtype is the result's (sum's may differ from x's; the other kernels read it as dtype).
struct ReduceGeom {
  int64_t outer = 1, R = 1, inner = 1;
  DType dtype = DType::Float32;
  DType out_dtype = DType::Float32;
};

struct ReduceKernels {
  // x: (outer, R, inner) of any numeric dtype; out: (outer, inner) of out_dtype, the dtype of the sum.
  // float32 accumulates in double so long sums match PyTorch's cascade summation closely.
  void (*sum_forward)(const ReduceGeom& g, const void* x, void* out);
  // x: (outer, R > 0, inner), any dtype; values: (outer, inner) of x's dtype (may be null),
  // indices: (outer, inner) int64 (may be null). NaN wins (PyTorch's max/min); ties keep the first.
  void (*minmax_forward)(const ReduceGeom& g, const void* x, bool is_max, void* values, int64_t* indices);
  // x, out: (outer, R, inner) and (outer, inner), one numeric dtype (the op converts x to the result's).
  void (*prod_forward)(const ReduceGeom& g, const void* x, void* out);
  // x: (outer, R, inner); dout: (outer, inner); dx: (outer, R, inner), written; one floating dtype.
  // dx[r] = dout * prod of the other elements, from prefix and suffix products (exact with zeros).
  void (*prod_backward)(const ReduceGeom& g, const void* x, const void* dout, void* dx);
};

}  // namespace rb
