// The (outer, R, inner) view of a tensor around one dim, shared by the ops of the scan and search
// families (cumsum, cummax, mode ...), whose kernels walk that view.
#pragma once
#include "rosenblatt/tensor.h"

#include "../kernels/scan.h"

namespace rb {

// Shape s seen as (outer, R, inner) around dim d (a 0-d shape is (1, 1, 1)), for dtype t.
inline ScanGeom scan_geom(const Shape& s, int64_t d, DType t) {
  ScanGeom g;
  for (int64_t i = 0; i < static_cast<int64_t>(s.size()); ++i) (i < d ? g.outer : i == d ? g.R : g.inner) *= s[i];
  g.dtype = t;
  return g;
}

}  // namespace rb
