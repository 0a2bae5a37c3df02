// The indexing family's kernel table: copies through offset tables (advanced indexing and its
// backward), gather and scatter along one dim, nonzero. Index values arrive already checked and wrapped.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "geometry.h"
#include "rosenblatt/tensor.h"

namespace rb {

// Where element (p, b, q) of an indexed copy lives in one operand: pre[p] + mid[b] + post[q]
// elements from its raw_data(). pre/post walk the dims around the indexed ones, mid the index.
struct IndexOffsets {
  std::vector<int64_t> pre, mid, post;
};

struct IndexingKernels {
  // src, dst: same dtype. For every (p, b, q): dst[d(p,b,q)] = src[s(p,b,q)], or += with accumulate
  // (accumulate runs serially over b, since indices may repeat).
  void (*index_copy)(const Tensor& src, const IndexOffsets& s, Tensor& dst, const IndexOffsets& d, bool accumulate);
  // x: (..., S, ...) with S at `dim`; index: int64, same ndim, in range; out: index.shape(), x's dtype.
  void (*gather_forward)(const Tensor& x, int64_t dim, const Tensor& index, Tensor& out);
  // dx: the shape of x (written with +=); index, src: the shape of index, src broadcast to it.
  void (*scatter_add)(Tensor& dx, int64_t dim, const Tensor& index, const Tensor& src);
  // The same walk, assigning (the last of repeated indices wins) or, with accumulate, adding;
  // src may be 0-d (one value for every index).
  void (*scatter)(Tensor& dx, int64_t dim, const Tensor& index, const Tensor& src, bool accumulate);
  // The first value of index (int64, any strides) outside [-size, size) or nullopt; with allow_neg
  // false the range is [0, size).
  std::optional<int64_t> (*find_out_of_range)(const Tensor& index, int64_t size, bool allow_neg);
  // x: any dtype; returns (count, x.dim()) int64, row-major order of the non-zero elements.
  Tensor (*nonzero)(const Tensor& x);
};

}  // namespace rb
