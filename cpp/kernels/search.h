// The search family's kernel table: binary search in sorted rows, counting into bins, grouping equal
// rows (unique), the most frequent value of a column (mode) and scatter with a reduction.
#pragma once
#include <cstdint>

#include "indexing.h"
#include "rosenblatt/dtype.h"
#include "scan.h"

namespace rb {

enum class ScatterReduce : uint8_t { Sum, Prod, Mean, Amax, Amin };

// The sizes of a search, a count or a grouping; each entry names the fields it reads. dtype is the
// searched, counted or grouped values' (bincount: its output's).
struct SearchGeom {
  int64_t rows = 0, cols = 0;     // searchsorted: the values as (rows, cols); group_rows: x as (rows, cols)
  int64_t seq_rows = 1, seq = 0;  // searchsorted: the sorted sequences, (seq_rows, seq), seq_rows 1 or rows
  int64_t n = 0, bins = 0;        // bincount, histc: n inputs counted into bins
  DType dtype = DType::Float32;
  DType arith = DType::Float32;  // histc: the input's own dtype; a float16/bfloat16 one rounds each step to it
};

struct SearchKernels {
  // seq: (seq_rows, seq); sorter: null or int64 (seq_rows, seq), each row ordering seq's row; values:
  // (rows, cols), seq's dtype -> out: int64 (rows, cols). Row b of values searches row
  // (seq_rows == 1 ? 0 : b) of seq: the first position whose value is >= v (> v with right).
  void (*searchsorted)(const SearchGeom& g, const void* seq, const int64_t* sorter, const void* values, bool right,
                       int64_t* out);
  // x: int64 (n), all in [0, bins); weights: null or (n) of out's dtype -> out: (bins), zeroed by the
  // caller, int64 without weights. out[x[i]] += weights[i] (or 1).
  void (*bincount)(const SearchGeom& g, const int64_t* x, const void* weights, void* out);
  // x: float (n) -> out: (bins) of x's dtype, zeroed by the caller; lo < hi finite. Elements in
  // [lo, hi] go to bin (x - lo) * bins / (hi - lo) computed in x's dtype, each step rounded to g.arith as
  // ATen's Half arithmetic rounds it (hi to the last bin); others skip.
  void (*histc)(const SearchGeom& g, const void* x, double lo, double hi, void* out);
  // x: (rows, cols); groups rows equal elementwise (NaN equals nothing), sorted lexicographically
  // (NaN last) or, without sort, runs of consecutive rows -> first, inverse, counts: int64 (rows):
  // first[g] a row of group g, inverse the group of each row, counts the size of each group.
  // Returns the number of groups G (first and counts hold G entries).
  int64_t (*group_rows)(const SearchGeom& g, const void* x, bool sort, int64_t* first, int64_t* inverse,
                        int64_t* counts);
  // x: (outer, R, inner), R > 0 -> values, indices: (outer, inner). The most frequent value of each
  // column, the smallest of equally frequent ones, and a position holding it, as PyTorch's CPU
  // kernel picks them (its sort of (value, position) pairs, then the last of the run).
  void (*mode)(const ScanGeom& g, const void* x, void* values, int64_t* indices);
  // out: the input copied, out_numel elements; index: int64, g.shape at g.index_strides, values in
  // range; src: out's dtype at g.other_strides. out[x_strides . i + index[i] * dim_stride] op= src[i]
  // for each position i of the index, in order; without include_self the written positions start
  // from the reduction's identity; mean divides by the count (with self: one more), floor division
  // for integers.
  void (*scatter_reduce)(const StridedGeom& g, int64_t out_numel, void* out, const int64_t* index, const void* src,
                         ScatterReduce reduce, bool include_self);
};

}  // namespace rb
