// The indexing family's kernel table: copies through offset tables (advanced indexing and its
// backward), gather and scatter along one dim, nonzero. Index values arrive already checked and wrapped.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "rosenblatt/dtype.h"

namespace rb {

// Where element (p, b, q) of an indexed copy lives in one operand: pre[p] + mid[b] + post[q]
// elements from its data pointer. pre/post walk the dims around the indexed ones, mid the index.
struct IndexOffsets {
  std::vector<int64_t> pre, mid, post;
};

// An indexed copy from src to dst, both of dtype.
struct IndexCopyGeom {
  IndexOffsets src, dst;
  DType dtype;
};

// A walk over every position of `shape` (an index's), each operand at its own element strides. For
// gather/scatter along a dim, x_strides has 0 at that dim and dim_stride is x's stride there, so
// position i reads or writes x at x_strides . i + index[i] * dim_stride; `other` is gather's out or
// scatter's src (strides 0 where src broadcasts). dtype is x's.
struct StridedGeom {
  std::vector<int64_t> shape, other_strides, index_strides, x_strides;
  int64_t dim_stride = 0;
  DType dtype = DType::Float32;
};

struct IndexingKernels {
  // For every (p, b, q): dst[d(p,b,q)] = src[s(p,b,q)], or += with accumulate (accumulate runs
  // serially over b, since indices may repeat).
  void (*index_copy)(const IndexCopyGeom& g, const void* src, void* dst, bool accumulate);
  // x: (..., S, ...) with S at the dim; index: int64, in range -> out: the index's shape, x's dtype.
  void (*gather_forward)(const StridedGeom& g, const void* x, const int64_t* index, void* out);
  // x[.., index[i], ..] = src[i] (the last of repeated indices wins) or, with accumulate, += src[i];
  // x: (..., S, ...), index: int64, src: broadcast to the index's shape (0-d: one value for all).
  void (*scatter)(const StridedGeom& g, void* x, const int64_t* index, const void* src, bool accumulate);
  // The first value of index (int64, shape and strides in g.shape, g.index_strides) outside
  // [-size, size), or nullopt; with allow_neg false the range is [0, size).
  std::optional<int64_t> (*find_out_of_range)(const StridedGeom& g, const int64_t* index, int64_t size, bool allow_neg);
  // x: g.shape at g.x_strides, dtype g.dtype: the count of its non-zero elements.
  int64_t (*count_nonzero)(const StridedGeom& g, const void* x);
  // x as count_nonzero's -> out: (count, x.dim()) int64, the non-zero elements' positions in row-major order.
  void (*nonzero)(const StridedGeom& g, const void* x, int64_t* out);
};

}  // namespace rb
