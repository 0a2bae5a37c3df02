// CPU search kernels: searchsorted's binary search, bincount and histc, the row grouping behind unique,
// mode and scatter_reduce. Compiled once, as baseline code: the std::sort family's instantiations would
// carry AVX code out of a per-capability copy (tools/check_isa.py).
#include "search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "loops.h"

namespace rb::cpu {
namespace {

template <class T>
bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>) return v != v;
  return false;
}

// a before b in ascending order, NaN after every number.
template <class T>
bool less_nan_last(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return a < b || (b != b && a == a);
  return a < b;
}

// seq, sorter: (SB, S); values, out: (VB, N).
void searchsorted(const SearchGeom& g, const void* seq, const int64_t* po, const void* values, bool right,
                  int64_t* pout) {
  const int64_t SB = g.seq_rows, S = g.seq, VB = g.rows, N = g.cols;
  RB_DISPATCH_ALL(g.dtype, "searchsorted", [&] {
    using T = scalar_t;
    const T* ps = static_cast<const T*>(seq);
    const T* pv = static_cast<const T*>(values);
    parallel_for(VB * N, grain_for(64), [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        const int64_t row = SB == 1 ? 0 : i / N;
        const T* s = ps + row * S;
        const int64_t* ord = po ? po + row * S : nullptr;
        const T v = pv[i];
        // PyTorch's comparisons, written as negations so a NaN value lands past every boundary.
        int64_t lo = 0, hi = S;
        while (lo < hi) {
          const int64_t mid = lo + ((hi - lo) >> 1);
          const T m = ord ? s[ord[mid]] : s[mid];
          if (right ? !(m > v) : !(m >= v))
            lo = mid + 1;
          else
            hi = mid;
        }
        pout[i] = lo;
      }
    });
  });
}

// x, weights: (n) -> out: (bins).
void bincount(const SearchGeom& g, const int64_t* px, const void* weights, void* out) {
  const int64_t n = g.n;
  RB_DISPATCH_NUMERIC(g.dtype, "bincount", [&] {
    using T = scalar_t;
    T* po = static_cast<T*>(out);
    const T* pw = static_cast<const T*>(weights);
    // Serial: counts of one bin may come from anywhere in x.
    for (int64_t i = 0; i < n; ++i) po[px[i]] += pw ? pw[i] : T(1);
  });
}

// x: (n) -> out: (bins).
void histc(const SearchGeom& g, const void* x, double lo, double hi, void* out) {
  RB_DISPATCH_FLOATING(g.dtype, "histc", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* po = static_cast<T*>(out);
    const int64_t bins = g.bins, n = g.n;
    // r rounds a step's result to the input's own type: float16/bfloat16 inputs arrive widened to float,
    // where ATen computes in c10::Half, rounding after each operation.
    const auto r = [arith = g.arith](T v) {
      if constexpr (std::is_same_v<T, float>) {
        if (arith == DType::Float16) return static_cast<float>(Half(v));
        if (arith == DType::BFloat16) return static_cast<float>(BFloat16(v));
      }
      return v;
    };
    const T left = r(static_cast<T>(lo)), rightmost = r(static_cast<T>(hi));
    const T width = r(rightmost - left), nbins = r(static_cast<T>(bins));
    for (int64_t i = 0; i < n; ++i) {
      const T v = px[i];
      if (!(v >= left && v <= rightmost)) continue;  // outside the range, or NaN
      // PyTorch's linear interpolation, in the input's dtype, with the right edge in the last bin.
      int64_t pos = static_cast<int64_t>(r(r(r(v - left) * nbins) / width));
      if (pos >= bins) pos = bins - 1;
      po[pos] += T(1);
    }
  });
}

// x: (N, M) -> first, inverse, counts: (N).
int64_t group_rows(const SearchGeom& g, const void* x, bool sort, int64_t* pf, int64_t* pi, int64_t* pc) {
  const int64_t N = g.rows, M = g.cols;
  int64_t groups = 0;
  RB_DISPATCH_ALL(g.dtype, "unique", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    std::vector<int64_t> ord(N);
    std::iota(ord.begin(), ord.end(), int64_t(0));
    if (sort) {
      std::stable_sort(ord.begin(), ord.end(), [&](int64_t a, int64_t b) {
        const T *ra = px + a * M, *rb = px + b * M;
        for (int64_t k = 0; k < M; ++k) {
          if (less_nan_last(ra[k], rb[k])) return true;
          if (less_nan_last(rb[k], ra[k])) return false;
        }
        return false;
      });
    }
    auto equal = [&](int64_t a, int64_t b) {
      const T *ra = px + a * M, *rb = px + b * M;
      for (int64_t k = 0; k < M; ++k)
        if (!(ra[k] == rb[k])) return false;
      return true;
    };
    for (int64_t r = 0; r < N; ++r) {
      if (r == 0 || !equal(ord[r - 1], ord[r])) pf[groups] = ord[r], pc[groups] = 0, ++groups;
      pi[ord[r]] = groups - 1;
      ++pc[groups - 1];
    }
  });
  return groups;
}

// x: (outer, R, inner) -> values, indices: (outer, inner).
void mode(const ScanGeom& g, const void* x, void* values, int64_t* pi) {
  const int64_t outer = g.outer, R = g.R, inner = g.inner;
  RB_DISPATCH_ALL(g.dtype, "mode", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* pv = static_cast<T*>(values);
    parallel_for(outer * inner, grain_for(R * 8), [&](int64_t b, int64_t e) {
      std::vector<std::pair<T, int64_t>> el(R);
      for (int64_t c = b; c < e; ++c) {
        const int64_t o = c / inner, i = c % inner;
        bool nan = false;
        for (int64_t r = 0; r < R; ++r) el[r] = {px[(o * R + r) * inner + i], r}, nan = nan || is_nan(el[r].first);
        // PyTorch's CPU kernel: std::sort by value (so equal values end in the order it leaves them),
        // then the last pair of the first longest run. A NaN breaks that comparison's ordering, so
        // such a column is ordered with NaN last instead.
        if (nan)
          std::stable_sort(el.begin(), el.end(),
                           [](const auto& a, const auto& b2) { return less_nan_last(a.first, b2.first); });
        else
          std::sort(el.begin(), el.end(), [](const auto& a, const auto& b2) { return a.first < b2.first; });
        T best = el[0].first;
        int64_t besti = el[0].second, best_freq = 0, run = 0;
        for (int64_t r = 0; r < R; ++r) {
          ++run;
          if (r == R - 1 || !(el[r].first == el[r + 1].first)) {
            if (run > best_freq) best = el[r].first, besti = el[r].second, best_freq = run;
            run = 0;
          }
        }
        pv[o * inner + i] = best;
        pi[o * inner + i] = besti;
      }
    });
  });
}

// The reduction's identity (where a position starts without include_self) and its step.
template <class T>
T identity(ScatterReduce r) {
  switch (r) {
    case ScatterReduce::Prod: return T(1);
    case ScatterReduce::Amax:
      return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                  : std::numeric_limits<T>::lowest();
    case ScatterReduce::Amin:
      return std::numeric_limits<T>::has_infinity ? std::numeric_limits<T>::infinity() : std::numeric_limits<T>::max();
    default: return T(0);
  }
}
template <class T>
T combine(ScatterReduce r, T a, T v) {
  switch (r) {
    case ScatterReduce::Prod: return a * v;
    // NaN wins, from either side, as in PyTorch's ReduceMaximum/ReduceMinimum.
    case ScatterReduce::Amax: return is_nan(v) ? v : std::max(a, v);
    case ScatterReduce::Amin: return is_nan(v) ? v : std::min(a, v);
    default: return a + v;
  }
}

// A sum over n values divided by n: floor division for integers, as PyTorch's mean of integers.
template <class T>
T mean_of(T total, int64_t n) {
  if constexpr (std::is_floating_point_v<T>) {
    return total / static_cast<T>(n);
  } else {
    const T q = total / n;
    return (total % n != 0 && total < 0) ? q - 1 : q;
  }
}

// index: g.shape, contiguous; out: out_numel elements; src: at g.other_strides.
void scatter_reduce(const StridedGeom& g, int64_t out_numel, void* out, const int64_t* px, const void* src,
                    ScatterReduce reduce, bool include_self) {
  RB_DISPATCH_NUMERIC(g.dtype, "scatter_reduce", [&] {
    using T = scalar_t;
    T* po = static_cast<T*>(out);
    const T* ps = static_cast<const T*>(src);
    const int64_t nd = static_cast<int64_t>(g.shape.size());
    int64_t n = 1;
    for (int64_t v : g.shape) n *= v;
    if (n == 0) return;
    const std::vector<int64_t>& is = g.shape;
    std::vector<int64_t> pos(nd, 0);
    // Offsets in out and in src of index element p, walking p in order (out's stride along the dim is 0,
    // the index value's term stands for it).
    auto walk = [&](const auto& f) {
      std::fill(pos.begin(), pos.end(), 0);
      for (int64_t p = 0; p < n; ++p) {
        int64_t o = 0, s = 0;
        for (int64_t k = 0; k < nd; ++k) {
          o += pos[k] * g.x_strides[k];
          s += pos[k] * g.other_strides[k];
        }
        f(o + px[p] * g.dim_stride, s);
        for (int64_t k = nd - 1; k >= 0 && ++pos[k] == is[k]; --k) pos[k] = 0;
      }
    };
    std::vector<int64_t> count;
    if (reduce == ScatterReduce::Mean) count.assign(out_numel, include_self ? 1 : 0);
    if (!include_self) walk([&](int64_t o, int64_t) { po[o] = identity<T>(reduce); });
    walk([&](int64_t o, int64_t s) {
      po[o] = combine(reduce, po[o], ps[s]);
      if (reduce == ScatterReduce::Mean) ++count[o];
    });
    if (reduce == ScatterReduce::Mean) {
      for (int64_t o = 0; o < out_numel; ++o) {
        if (count[o] <= 1) continue;
        po[o] = mean_of(po[o], count[o]);
      }
    }
  });
}

}  // namespace

template <>
const SearchKernels& kernels<SearchKernels>() {
  static const SearchKernels table = {&searchsorted, &bincount, &histc, &group_rows, &mode, &scatter_reduce};
  return table;
}

}  // namespace rb::cpu
