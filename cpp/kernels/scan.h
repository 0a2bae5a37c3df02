// The scan family's kernel table: cumulative sums and products along the middle dim of a contiguous
// input viewed as (outer, R, inner), and the running max/min and log-sum-exp.
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

// A contiguous input viewed as (outer, R, inner), scanned along R; dtype is the input's.
struct ScanGeom {
  int64_t outer = 1, R = 1, inner = 1;
  DType dtype = DType::Float32;
};

struct ScanKernels {
  // x, out: (outer, R, inner), the same numeric dtype. out[o, r] = sum of x[o, s] over s <= r, or
  // over s >= r with reverse (the gradient of the forward scan). float32 accumulates in double, as
  // PyTorch's CPU scan does.
  void (*cumsum)(const ScanGeom& g, const void* x, bool reverse, void* out);
  // x, out: as cumsum; out[o, r] = product of x[o, s] over s <= r.
  void (*cumprod)(const ScanGeom& g, const void* x, void* out);
  // x: (outer, R, inner), any dtype; values: x's dtype, indices: int64, both (outer, R, inner).
  // The running maximum (minimum with is_min) and where it was last reached: ties move the index on,
  // and a NaN takes over (each later NaN too), as PyTorch's cummax/cummin.
  void (*cummax)(const ScanGeom& g, const void* x, bool is_min, void* values, int64_t* indices);
  // x, out: float (outer, R, inner); out[r] = log(sum of exp(x[s]) over s <= r), one log-add-exp per
  // step (PyTorch's, so infinities of one sign give that infinity, not NaN).
  void (*logcumsumexp)(const ScanGeom& g, const void* x, void* out);
};

}  // namespace rb
