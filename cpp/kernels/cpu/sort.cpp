// CPU sort and top-k along the middle dim of (outer, R, inner). A column is copied out once, so the
// comparisons read contiguous memory whatever `inner` is. Compiled once, as baseline code: the
// std::sort family's instantiations would carry AVX code out of a per-capability copy
// (tools/check_isa.py).
#include "sort.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "loops.h"

namespace rb::cpu {
namespace {

// a before b in descending order (larger first, NaN first of all) or ascending (NaN last).
template <class T>
bool before(T a, T b, bool descending) {
  if constexpr (std::is_floating_point_v<T>) {
    if (descending) return a > b || (a != a && b == b);
    return a < b || (b != b && a == a);
  } else {
    return descending ? a > b : a < b;
  }
}

// Calls f(col, ord, o, i) for each column (o, i): col holds its R values, ord the positions 0..R-1
// for f to order; threads split the columns.
template <class T, class F>
void for_columns(const ScanGeom& g, const void* x, const F& f) {
  const int64_t R = g.R, inner = g.inner;
  const T* px = static_cast<const T*>(x);
  parallel_for(g.outer * inner, grain_for(R * 8), [&](int64_t b, int64_t e) {
    std::vector<T> col(R);
    std::vector<int64_t> ord(R);
    for (int64_t c = b; c < e; ++c) {
      const int64_t o = c / inner, i = c % inner;
      const T* src = px + o * R * inner + i;
      for (int64_t r = 0; r < R; ++r) col[r] = src[r * inner];
      std::iota(ord.begin(), ord.end(), int64_t(0));
      f(col, ord, o, i);
    }
  });
}

// x, values, indices: (outer, R, inner).
void sort(const ScanGeom& g, const void* x, bool descending, void* values, int64_t* pi) {
  const int64_t R = g.R, inner = g.inner;
  RB_DISPATCH_ALL(g.dtype, "sort", [&] {
    using T = scalar_t;
    T* pv = static_cast<T*>(values);
    for_columns<T>(g, x, [&](std::vector<T>& col, std::vector<int64_t>& ord, int64_t o, int64_t i) {
      std::stable_sort(ord.begin(), ord.end(),
                       [&](int64_t a, int64_t b) { return before(col[a], col[b], descending); });
      for (int64_t r = 0; r < R; ++r) {
        pv[(o * R + r) * inner + i] = col[ord[r]];
        pi[(o * R + r) * inner + i] = ord[r];
      }
    });
  });
}

// x: (outer, R, inner) -> values, indices: (outer, k, inner).
void topk(const ScanGeom& g, const void* x, int64_t k, bool largest, void* values, int64_t* pi) {
  const int64_t inner = g.inner;
  RB_DISPATCH_ALL(g.dtype, "topk", [&] {
    using T = scalar_t;
    T* pv = static_cast<T*>(values);
    for_columns<T>(g, x, [&](std::vector<T>& col, std::vector<int64_t>& ord, int64_t o, int64_t i) {
      // Equal values (NaNs too) by position, so the k kept do not depend on partial_sort's internals.
      std::partial_sort(ord.begin(), ord.begin() + k, ord.end(), [&](int64_t a, int64_t b) {
        if (before(col[a], col[b], largest)) return true;
        return !before(col[b], col[a], largest) && a < b;
      });
      for (int64_t r = 0; r < k; ++r) {
        pv[(o * k + r) * inner + i] = col[ord[r]];
        pi[(o * k + r) * inner + i] = ord[r];
      }
    });
  });
}

}  // namespace

template <>
const SortKernels& kernels<SortKernels>() {
  static const SortKernels table = {&sort, &topk};
  return table;
}

}  // namespace rb::cpu
