// CPU cumulative sum and product. With inner > 1 a whole row of `inner` running values advances one
// step of R at a time, reading memory in order (and vectorizing); with inner == 1 each row is one
// sequential scan. Threads split the outer blocks.
#include "scan.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "loops.h"

RB_CPU_BASELINE_TABLE(ScanKernels, scan_kernels)

RB_CPU_NAMESPACE_BEGIN
namespace {

// out = the running combine(acc, x) along R, from the start or (reverse) from the end.
template <class T, class Combine>
void scan(const ScanGeom& g, const void* x, bool reverse, typename Acc<T>::type init, void* out,
          const Combine& combine) {
  using A = typename Acc<T>::type;
  const int64_t R = g.R, inner = g.inner;
  const T* px = static_cast<const T*>(x);
  T* po = static_cast<T*>(out);
  parallel_for(g.outer, grain_for(R * inner), [&](int64_t b, int64_t e) {
    std::vector<A> acc(inner);
    for (int64_t o = b; o < e; ++o) {
      std::fill(acc.begin(), acc.end(), init);
      for (int64_t s = 0; s < R; ++s) {
        const int64_t r = reverse ? R - 1 - s : s;
        const T* xr = px + (o * R + r) * inner;
        T* orow = po + (o * R + r) * inner;
        for (int64_t i = 0; i < inner; ++i) {
          acc[i] = combine(acc[i], static_cast<A>(xr[i]));
          orow[i] = static_cast<T>(acc[i]);
        }
      }
    }
  });
}

// x, out: (outer, R, inner).
void cumsum(const ScanGeom& g, const void* x, bool reverse, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_NUMERIC, g.dtype, "cumsum", scan_kernels.cumsum(g, x, reverse, out),
                      [&] { scan<scalar_t>(g, x, reverse, 0, out, [](auto a, auto v) { return a + v; }); });
}

// x, out: (outer, R, inner).
void cumprod(const ScanGeom& g, const void* x, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_NUMERIC, g.dtype, "cumprod", scan_kernels.cumprod(g, x, out),
                      [&] { scan<scalar_t>(g, x, false, 1, out, [](auto a, auto v) { return a * v; }); });
}

template <class T>
bool nan_(T v) {
  if constexpr (std::is_floating_point_v<T>) return v != v;
  return false;
}

// x, values, indices: (outer, R, inner).
void cummax(const ScanGeom& g, const void* x, bool is_min, void* values, int64_t* pi) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_ALL, g.dtype, "cummax", scan_kernels.cummax(g, x, is_min, values, pi), [&] {
    using T = scalar_t;
    const int64_t R = g.R, inner = g.inner;
    const T* px = static_cast<const T*>(x);
    T* pv = static_cast<T*>(values);
    parallel_for(g.outer, grain_for(R * inner), [&](int64_t b, int64_t e) {
      std::vector<T> best(inner);
      std::vector<int64_t> at(inner);
      for (int64_t o = b; o < e; ++o) {
        for (int64_t r = 0; r < R; ++r) {
          const int64_t off = (o * R + r) * inner;
          for (int64_t i = 0; i < inner; ++i) {
            const T v = px[off + i];
            const bool take = r == 0 || nan_(v) || (!nan_(best[i]) && (is_min ? v <= best[i] : v >= best[i]));
            if (take) best[i] = v, at[i] = r;
            pv[off + i] = best[i];
            pi[off + i] = at[i];
          }
        }
      }
    });
  });
}

// log(exp(a) + exp(b)), PyTorch's _log_add_exp_helper: equal infinities stay themselves.
template <class T>
T log_add_exp(T a, T b) {
  // A NaN in b must win: std::min and std::max would return a.
  const T lo = b != b ? b : std::min(a, b), hi = b != b ? b : std::max(a, b);
  if (lo != hi || std::isfinite(lo)) return hi + std::log1p(std::exp(lo - hi));
  return a;
}

// x, out: (outer, R, inner).
void logcumsumexp(const ScanGeom& g, const void* x, void* out) {
  RB_DISPATCH_FLOATING(g.dtype, "logcumsumexp", [&] {
    using T = scalar_t;
    const int64_t R = g.R, inner = g.inner;
    const T* px = static_cast<const T*>(x);
    T* po = static_cast<T*>(out);
    parallel_for(g.outer, grain_for(R * inner), [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o)
        for (int64_t r = 0; r < R; ++r) {
          const int64_t off = (o * R + r) * inner;
          for (int64_t i = 0; i < inner; ++i)
            po[off + i] = r == 0 ? px[off + i] : log_add_exp(po[off - inner + i], px[off + i]);
        }
    });
  });
}

}  // namespace

extern const ScanKernels scan_kernels = {&cumsum, &cumprod, &cummax, &logcumsumexp};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ScanKernels, scan_kernels)
