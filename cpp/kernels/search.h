// The search family's kernel table: binary search in sorted rows, counting into bins, grouping equal
// rows (unique), the most frequent value of a column (mode) and scatter with a reduction.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

enum class ScatterReduce : uint8_t { Sum, Prod, Mean, Amax, Amin };

struct SearchKernels {
  // seq: contiguous (SB, S), sorter: undefined or contiguous int64 (SB, S) whose row orders seq's row;
  // values: contiguous (VB, N), seq's dtype; out: contiguous int64 (VB, N). Row b of values searches
  // row (SB == 1 ? 0 : b) of seq: the first position whose value is >= v (> v with right).
  void (*searchsorted)(const Tensor& seq, const Tensor& sorter, const Tensor& values, int64_t SB, int64_t S, int64_t VB,
                       int64_t N, bool right, Tensor& out);
  // x: contiguous int64 (N), all in [0, out.numel()); weights: undefined or contiguous (N) of out's
  // dtype; out: zeroed (bins), int64 without weights. out[x[i]] += weights[i] (or 1).
  void (*bincount)(const Tensor& x, const Tensor& weights, Tensor& out);
  // x: contiguous float (N); out: zeroed (bins) of x's dtype; lo < hi finite. Elements in [lo, hi]
  // go to bin (x - lo) * bins / (hi - lo) computed in x's dtype (hi to the last bin); others skip.
  void (*histc)(const Tensor& x, double lo, double hi, Tensor& out);
  // x: contiguous (N, M), N rows of M elements; groups rows equal elementwise (NaN equals nothing),
  // sorted lexicographically (NaN last) or, without sort, runs of consecutive rows. first: int64 (N),
  // first[g] a row of group g; inverse: int64 (N), the group of each row; counts: int64 (N), the
  // size of each group. Returns the number of groups G (first and counts hold G entries).
  int64_t (*group_rows)(const Tensor& x, bool sort, Tensor& first, Tensor& inverse, Tensor& counts);
  // x: contiguous (outer, R, inner), R > 0; values, indices: (outer, inner). The most frequent value
  // of each column, the smallest of equally frequent ones, and a position holding it, as PyTorch's
  // CPU kernel picks them (its sort of (value, position) pairs, then the last of the run).
  void (*mode)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& values, Tensor& indices);
  // out: contiguous, the input copied; index: contiguous int64 of out's ndim, values in range;
  // src: contiguous, out's dtype, index.size(k) <= src.size(k). out[..index[p]..] op= src[p] along
  // dim; without include_self the written positions start from the reduction's identity; mean
  // divides by the count (with self: one more), floor division for integers.
  void (*scatter_reduce)(Tensor& out, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce,
                         bool include_self);
};

}  // namespace rb
