// The transform family's kernel table: ops that move or mask elements by their position (tril/triu,
// flip, roll), over contiguous inputs viewed as (outer, R, inner) or as a batch of (M, N) matrices.
#pragma once
#include <cstdint>

#include "scan.h"

namespace rb {

// The geometry is the scan family's (outer, R, inner) view; dtype is x's, any. tril/triu read it as
// outer = B matrices of R = M rows by inner = N columns.
struct TransformKernels {
  // x, out: contiguous (B, M, N), distinct. out[b, i, j] = x[b, i, j] where j - i <= diagonal
  // (lower, tril) or j - i >= diagonal (upper, triu), else zero.
  void (*triangle)(const ScanGeom& g, const void* x, int64_t diagonal, bool upper, void* out);
  // x, out: contiguous (outer, R, inner), distinct. out[o, r, i] = x[o, R - 1 - r, i].
  void (*flip)(const ScanGeom& g, const void* x, void* out);
  // x, out: contiguous (outer, R, inner), distinct; shift in [0, R). out[o, (r + shift) % R, i] = x[o, r, i].
  void (*roll)(const ScanGeom& g, const void* x, int64_t shift, void* out);
};

}  // namespace rb
