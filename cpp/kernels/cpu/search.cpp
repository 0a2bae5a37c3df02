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

void searchsorted(const Tensor& seq, const Tensor& sorter, const Tensor& values, int64_t SB, int64_t S, int64_t VB,
                  int64_t N, bool right, Tensor& out) {
  RB_DISPATCH_ALL(seq.dtype(), "searchsorted", [&] {
    using T = scalar_t;
    const T* ps = static_cast<const T*>(seq.raw_data());
    const T* pv = static_cast<const T*>(values.raw_data());
    const int64_t* po = sorter.defined() ? static_cast<const int64_t*>(sorter.raw_data()) : nullptr;
    int64_t* pout = static_cast<int64_t*>(out.raw_data());
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

void bincount(const Tensor& x, const Tensor& weights, Tensor& out) {
  const int64_t* px = static_cast<const int64_t*>(x.raw_data());
  const int64_t n = x.numel();
  RB_DISPATCH_NUMERIC(out.dtype(), "bincount", [&] {
    using T = scalar_t;
    T* po = static_cast<T*>(out.raw_data());
    const T* pw = weights.defined() ? static_cast<const T*>(weights.raw_data()) : nullptr;
    // Serial: counts of one bin may come from anywhere in x.
    for (int64_t i = 0; i < n; ++i) po[px[i]] += pw ? pw[i] : T(1);
  });
}

void histc(const Tensor& x, double lo, double hi, Tensor& out) {
  RB_DISPATCH_FLOATING(x.dtype(), "histc", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* po = static_cast<T*>(out.raw_data());
    const int64_t bins = out.numel(), n = x.numel();
    const T left = static_cast<T>(lo), rightmost = static_cast<T>(hi);
    for (int64_t i = 0; i < n; ++i) {
      const T v = px[i];
      if (!(v >= left && v <= rightmost)) continue;  // outside the range, or NaN
      // PyTorch's linear interpolation, in the input's dtype, with the right edge in the last bin.
      int64_t pos = static_cast<int64_t>((v - left) * static_cast<T>(bins) / (rightmost - left));
      if (pos >= bins) pos = bins - 1;
      po[pos] += T(1);
    }
  });
}

int64_t group_rows(const Tensor& x, bool sort, Tensor& first, Tensor& inverse, Tensor& counts) {
  int64_t groups = 0;
  RB_DISPATCH_ALL(x.dtype(), "unique", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    const int64_t N = x.dim() > 0 ? x.size(0) : 1, M = N > 0 ? x.numel() / N : 0;
    int64_t* pf = static_cast<int64_t*>(first.raw_data());
    int64_t* pi = static_cast<int64_t*>(inverse.raw_data());
    int64_t* pc = static_cast<int64_t*>(counts.raw_data());
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

void mode(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& values, Tensor& indices) {
  RB_DISPATCH_ALL(x.dtype(), "mode", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* pv = static_cast<T*>(values.raw_data());
    int64_t* pi = static_cast<int64_t*>(indices.raw_data());
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

void scatter_reduce(Tensor& out, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce,
                    bool include_self) {
  RB_DISPATCH_NUMERIC(out.dtype(), "scatter_reduce", [&] {
    using T = scalar_t;
    T* po = static_cast<T*>(out.raw_data());
    const T* ps = static_cast<const T*>(src.raw_data());
    const int64_t* px = static_cast<const int64_t*>(index.raw_data());
    const int64_t nd = index.dim(), n = index.numel();
    if (n == 0) return;
    const Shape& is = index.shape();
    std::vector<int64_t> ostride(nd), sstride(nd), pos(nd, 0);
    for (int64_t k = nd - 1, os = 1, ss = 1; k >= 0; --k) {
      ostride[k] = os, sstride[k] = ss;
      os *= out.size(k), ss *= src.size(k);
    }
    // Offsets in out (without the dim's term) and in src of index element p, walking p in order.
    auto walk = [&](const auto& f) {
      std::fill(pos.begin(), pos.end(), 0);
      for (int64_t p = 0; p < n; ++p) {
        int64_t o = 0, s = 0;
        for (int64_t k = 0; k < nd; ++k) {
          if (k != dim) o += pos[k] * ostride[k];
          s += pos[k] * sstride[k];
        }
        f(o + px[p] * ostride[dim], s);
        for (int64_t k = nd - 1; k >= 0 && ++pos[k] == is[k]; --k) pos[k] = 0;
      }
    };
    std::vector<int64_t> count;
    if (reduce == ScatterReduce::Mean) count.assign(out.numel(), include_self ? 1 : 0);
    if (!include_self) walk([&](int64_t o, int64_t) { po[o] = identity<T>(reduce); });
    walk([&](int64_t o, int64_t s) {
      po[o] = combine(reduce, po[o], ps[s]);
      if (reduce == ScatterReduce::Mean) ++count[o];
    });
    if (reduce == ScatterReduce::Mean) {
      for (int64_t o = 0; o < out.numel(); ++o) {
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
