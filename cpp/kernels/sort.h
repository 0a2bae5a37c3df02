// The sort family's kernel table: sorting and top-k selection along the middle dim of a contiguous
// input viewed as (outer, R, inner), each column ordered by value with its positions as indices.
// NaN orders above every number, as in PyTorch: last when ascending, first when descending.
#pragma once
#include <cstdint>

#include "scan.h"

namespace rb {

// The geometry is the scan family's (outer, R, inner) view, ordered along R; dtype is x's, any.
struct SortKernels {
  // x: (outer, R, inner) -> values: (outer, R, inner) of x's dtype, indices: the same shape, int64,
  // the position along R each value came from. Stable: equal values keep their order.
  void (*sort)(const ScanGeom& g, const void* x, bool descending, void* values, int64_t* indices);
  // As sort, keeping the first k in (outer, k, inner): the k largest (or smallest) of each column in
  // order, equal values by position.
  void (*topk)(const ScanGeom& g, const void* x, int64_t k, bool largest, void* values, int64_t* indices);
};

}  // namespace rb
