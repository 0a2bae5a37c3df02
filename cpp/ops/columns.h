// The (outer, R, inner) view of a tensor around one dim or a run of dims, shared by the ops of the
// scan, search, sort and transform families (cumsum, cummax, mode, flip ...), whose kernels walk that view.
#pragma once
#include "rosenblatt/tensor.h"

#include "../kernels/scan.h"

namespace rb {

// Shape s seen as (outer, R, inner) around dims [b, e), merged into R (a 0-d shape is (1, 1, 1)), for dtype t.
inline ScanGeom scan_geom(const Shape& s, int64_t b, int64_t e, DType t) {
  ScanGeom g;
  for (int64_t i = 0; i < static_cast<int64_t>(s.size()); ++i) (i < b ? g.outer : i < e ? g.R : g.inner) *= s[i];
  g.dtype = t;
  return g;
}
// Shape s seen as (outer, R, inner) around dim d.
inline ScanGeom scan_geom(const Shape& s, int64_t d, DType t) { return scan_geom(s, d, d + 1, t); }

}  // namespace rb
