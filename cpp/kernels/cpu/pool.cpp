// CPU pooling kernels: one plane (D, H, W; D = 1 for 2-D pooling) of one image and channel at a
// time, planes spread over threads. Window bounds and the NaN/tie rules follow PyTorch's CPU kernels.
#include "pool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "loops.h"

RB_CPU_BASELINE_TABLE(PoolKernels, pool_kernels)

RB_CPU_NAMESPACE_BEGIN
namespace {

inline int64_t start_index(int64_t a, int64_t out, int64_t in) { return (a * in) / out; }
inline int64_t end_index(int64_t a, int64_t out, int64_t in) { return ((a + 1) * in + out - 1) / out; }

// One dim of a max-pool window clipped to the input: taps [lo, hi) step dil.
inline void max_window(int64_t o, int64_t stride, int64_t pad, int64_t k, int64_t dil, int64_t in, int64_t& lo,
                       int64_t& hi) {
  lo = o * stride - pad;
  hi = std::min(lo + (k - 1) * dil + 1, in);
  while (lo < 0) lo += dil;
}

// Calls f(o, d0, d1, h0, h1, w0, w1) for each output o (flat in the plane) with its adaptive window.
template <class F>
void adaptive_windows(const PoolGeom& g, const F& f) {
  for (int64_t od = 0; od < g.OD; ++od) {
    const int64_t d0 = start_index(od, g.OD, g.D), d1 = end_index(od, g.OD, g.D);
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      const int64_t h0 = start_index(oh, g.OH, g.H), h1 = end_index(oh, g.OH, g.H);
      for (int64_t ow = 0; ow < g.OW; ++ow)
        f((od * g.OH + oh) * g.OW + ow, d0, d1, h0, h1, start_index(ow, g.OW, g.W), end_index(ow, g.OW, g.W));
    }
  }
}

// Below every value of T: -inf for floats, the lowest integer for int64 (whose max pools run natively, exact).
template <class T>
constexpr T lowest_value() {
  return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest();
}

// The largest of xp over the window (NaN wins, as in PyTorch; the first of ties) -> *val, *idx.
template <class T>
inline void window_max(const T* xp, const PoolGeom& g, int64_t d0, int64_t d1, int64_t dd, int64_t h0, int64_t h1,
                       int64_t dh, int64_t w0, int64_t w1, int64_t dw, T* val, int64_t* idx) {
  int64_t best = (d0 * g.H + h0) * g.W + w0;
  T bv = lowest_value<T>();
  for (int64_t d = d0; d < d1; d += dd)
    for (int64_t h = h0; h < h1; h += dh)
      for (int64_t w = w0; w < w1; w += dw) {
        const int64_t i = (d * g.H + h) * g.W + w;
        const T v = xp[i];
        const bool take = v > bv || v != v;  // branch-free: on random data this is a coin flip
        bv = take ? v : bv;
        best = take ? i : best;
      }
  *val = bv;
  *idx = best;
}

// Output columns [lo, hi) whose window (first column ow * sw - pw, `extent` columns wide) lies
// inside the plane: rows of them take the vectorised paths below, the few at the edges the general one.
std::pair<int64_t, int64_t> interior_columns(const PoolGeom& g, int64_t extent) {
  const int64_t lo = std::min((g.pw + g.sw - 1) / g.sw, g.OW);
  const int64_t last = g.W - extent + g.pw;  // the largest ow * sw allowed
  return {lo, last < 0 ? lo : std::max(lo, std::min(g.OW, last / g.sw + 1))};
}

// window_max for the interior columns [lo, hi) of one output row, turned inside out (tap outer,
// output inner) so the inner loop vectorises; each output sees its taps in window_max's order.
// S is the column stride when known at compile time (0: g.sw at run time).
template <class T, int S>
void max_row_interior(const T* xp, const PoolGeom& g, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t lo,
                      int64_t hi, T* out, int64_t* index) {
  const int64_t sw = S ? S : g.sw;
  for (int64_t ow = lo; ow < hi; ++ow) out[ow] = lowest_value<T>(), index[ow] = (d0 * g.H + h0) * g.W + ow * sw - g.pw;
  for (int64_t d = d0; d < d1; d += g.dd)
    for (int64_t h = h0; h < h1; h += g.dh)
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t off = (d * g.H + h) * g.W + j * g.dw - g.pw;
        const T* row = xp + off;
        for (int64_t ow = lo; ow < hi; ++ow) {
          const T v = row[ow * sw];
          const bool take = v > out[ow] || v != v;
          out[ow] = take ? v : out[ow];
          index[ow] = take ? off + ow * sw : index[ow];
        }
      }
}

}  // namespace

// x: (planes, D, H, W) -> out, indices: (planes, OD, OH, OW).
void max_pool2d_forward(const PoolGeom& g, const void* x, void* out, int64_t* pi) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_NUMERIC, g.dtype, "max_pool2d", pool_kernels.max_pool2d_forward(g, x, out, pi), [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* po = static_cast<T*>(out);
    const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
    const auto [lo, hi] = interior_columns(g, (g.kw - 1) * g.dw + 1);
    const auto interior = g.sw == 1   ? max_row_interior<T, 1>
                          : g.sw == 2 ? max_row_interior<T, 2>
                                      : max_row_interior<T, 0>;
    parallel_for(g.planes, grain_for(out_plane * g.kd * g.kh * g.kw), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = px + p * in_plane;
        for (int64_t od = 0; od < g.OD; ++od) {
          int64_t d0, d1, h0, h1, w0, w1;
          max_window(od, g.sd, g.pd, g.kd, g.dd, g.D, d0, d1);
          for (int64_t oh = 0; oh < g.OH; ++oh) {
            max_window(oh, g.sh, g.ph, g.kh, g.dh, g.H, h0, h1);
            const int64_t row = p * out_plane + (od * g.OH + oh) * g.OW;
            interior(xp, g, d0, d1, h0, h1, lo, hi, po + row, pi + row);
            for (int64_t ow = 0; ow < g.OW; ++ow) {
              if (ow == lo) ow = hi;  // done above
              if (ow >= g.OW) break;
              max_window(ow, g.sw, g.pw, g.kw, g.dw, g.W, w0, w1);
              window_max(xp, g, d0, d1, g.dd, h0, h1, g.dh, w0, w1, g.dw, po + row + ow, pi + row + ow);
            }
          }
        }
      }
    });
  });
}

// dout, indices: (planes, OD, OH, OW) -> dx: (planes, D, H, W).
void max_pool2d_backward(const PoolGeom& g, const void* dout, const int64_t* pi, bool accumulate, void* dx) {
  RB_DISPATCH_FLOATING(g.dtype, "max_pool2d_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout);
    T* pd = static_cast<T*>(dx);
    const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
    parallel_for(g.planes, grain_for(in_plane + out_plane), [&](int64_t b, int64_t e) {
      std::fill(pd + b * in_plane, pd + e * in_plane, T(0));
      for (int64_t p = b; p < e; ++p) {
        const T* gp = pg + p * out_plane;
        const int64_t* ip = pi + p * out_plane;
        T* dp = pd + p * in_plane;
        if (accumulate)
          for (int64_t o = 0; o < out_plane; ++o) dp[ip[o]] += gp[o];
        else
          for (int64_t o = 0; o < out_plane; ++o) dp[ip[o]] = gp[o];
      }
    });
  });
}

// x: (planes, D, H, W), indices: (planes, OD, OH, OW) -> out: (planes, OD, OH, OW).
void index_gather2d(const PoolGeom& g, const void* x, const int64_t* pi, void* out) {
  RB_DISPATCH_FLOATING(g.dtype, "max_unpool2d_backward", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* po = static_cast<T*>(out);
    const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
    parallel_for(g.planes, grain_for(out_plane), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p)
        for (int64_t o = 0; o < out_plane; ++o) po[p * out_plane + o] = px[p * in_plane + pi[p * out_plane + o]];
    });
  });
}

namespace {
// The window of output (od, oh, ow) clipped to the input, and its divisor, as PyTorch's avg_pool2d/3d.
struct AvgWindow {
  int64_t d0, d1, h0, h1, w0, w1, div;
  bool empty() const { return d0 >= d1 || h0 >= h1 || w0 >= w1; }
};
inline AvgWindow avg_window(const PoolGeom& g, int64_t od, int64_t oh, int64_t ow, bool cip, int64_t divisor) {
  int64_t d0 = od * g.sd - g.pd, h0 = oh * g.sh - g.ph, w0 = ow * g.sw - g.pw;
  int64_t d1 = std::min(d0 + g.kd, g.D + g.pd), h1 = std::min(h0 + g.kh, g.H + g.ph),
          w1 = std::min(w0 + g.kw, g.W + g.pw);
  int64_t pool = (d1 - d0) * (h1 - h0) * (w1 - w0);
  d0 = std::max<int64_t>(d0, 0), h0 = std::max<int64_t>(h0, 0), w0 = std::max<int64_t>(w0, 0);
  d1 = std::min(d1, g.D), h1 = std::min(h1, g.H), w1 = std::min(w1, g.W);
  int64_t d = divisor ? divisor : cip ? pool : (d1 - d0) * (h1 - h0) * (w1 - w0);
  return {d0, d1, h0, h1, w0, w1, d};
}

// Calls f(i) for each input element (flat in the plane) of the box [d0, d1) x [h0, h1) x [w0, w1).
template <class F>
inline void for_box(const PoolGeom& g, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t w0, int64_t w1,
                    const F& f) {
  for (int64_t d = d0; d < d1; ++d)
    for (int64_t h = h0; h < h1; ++h)
      for (int64_t w = w0; w < w1; ++w) f((d * g.H + h) * g.W + w);
}

// Calls f(o, window) for each output o (flat in the plane) of an average pool.
template <class F>
void avg_windows(const PoolGeom& g, bool cip, int64_t divisor, const F& f) {
  for (int64_t od = 0; od < g.OD; ++od)
    for (int64_t oh = 0; oh < g.OH; ++oh)
      for (int64_t ow = 0; ow < g.OW; ++ow) f((od * g.OH + oh) * g.OW + ow, avg_window(g, od, oh, ow, cip, divisor));
}
}  // namespace

namespace {
// avg_pool2d_forward's sums over the interior columns [lo, hi) of one output row, tap outer so the
// inner loop vectorises; each output adds its taps in the general path's order.
template <class T, int S>
void avg_row_interior(const T* xp, const PoolGeom& g, const AvgWindow& wd, int64_t lo, int64_t hi, T* out) {
  const int64_t sw = S ? S : g.sw;
  std::fill(out + lo, out + hi, T(0));
  for (int64_t d = wd.d0; d < wd.d1; ++d)
    for (int64_t h = wd.h0; h < wd.h1; ++h)
      for (int64_t j = 0; j < g.kw; ++j) {
        const T* row = xp + (d * g.H + h) * g.W + j - g.pw;
        for (int64_t ow = lo; ow < hi; ++ow) out[ow] += row[ow * sw];
      }
  const T div = static_cast<T>(wd.div);
  for (int64_t ow = lo; ow < hi; ++ow) out[ow] = out[ow] / div;
}
}  // namespace

// x: (planes, D, H, W) -> out: (planes, OD, OH, OW). int64 sums in int64 and divides truncating, as ATen's.
void avg_pool2d_forward(const PoolGeom& g, const void* x, bool cip, int64_t divisor, void* out) {
  RB_CPU_DISPATCH_HOT(
      RB_DISPATCH_NUMERIC, g.dtype, "avg_pool2d", pool_kernels.avg_pool2d_forward(g, x, cip, divisor, out), [&] {
        using T = scalar_t;
        const T* px = static_cast<const T*>(x);
        T* po = static_cast<T*>(out);
        const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
        const auto [lo, hi] = interior_columns(g, g.kw);
        const auto interior = g.sw == 1   ? avg_row_interior<T, 1>
                              : g.sw == 2 ? avg_row_interior<T, 2>
                                          : avg_row_interior<T, 0>;
        parallel_for(g.planes, grain_for(out_plane * g.kd * g.kh * g.kw), [&](int64_t b, int64_t e) {
          for (int64_t p = b; p < e; ++p) {
            const T* xp = px + p * in_plane;
            for (int64_t od = 0; od < g.OD; ++od)
              for (int64_t oh = 0; oh < g.OH; ++oh) {
                T* orow = po + p * out_plane + (od * g.OH + oh) * g.OW;
                for (int64_t ow = 0; ow < g.OW; ++ow) {
                  if (ow == lo && lo < hi) {  // the interior columns share one window height, depth and divisor
                    const AvgWindow wd = avg_window(g, od, oh, lo, cip, divisor);
                    if (!wd.empty()) {
                      interior(xp, g, wd, lo, hi, orow);
                      ow = hi - 1;
                      continue;
                    }
                  }
                  const AvgWindow wd = avg_window(g, od, oh, ow, cip, divisor);
                  T s = 0;
                  if (!wd.empty()) for_box(g, wd.d0, wd.d1, wd.h0, wd.h1, wd.w0, wd.w1, [&](int64_t i) { s += xp[i]; });
                  orow[ow] = wd.empty() ? T(0) : s / static_cast<T>(wd.div);
                }
              }
          }
        });
      });
}

// dout: (planes, OD, OH, OW) -> dx: (planes, D, H, W).
void avg_pool2d_backward(const PoolGeom& g, const void* dout, bool cip, int64_t divisor, void* dx) {
  RB_DISPATCH_FLOATING(g.dtype, "avg_pool2d_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout);
    T* pd = static_cast<T*>(dx);
    const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
    parallel_for(g.planes, grain_for(out_plane * g.kd * g.kh * g.kw), [&](int64_t b, int64_t e) {
      std::fill(pd + b * in_plane, pd + e * in_plane, T(0));
      for (int64_t p = b; p < e; ++p) {
        const T* gp = pg + p * out_plane;
        T* dp = pd + p * in_plane;
        avg_windows(g, cip, divisor, [&](int64_t o, const AvgWindow& wd) {
          if (wd.empty()) return;
          const T v = gp[o] / static_cast<T>(wd.div);
          for_box(g, wd.d0, wd.d1, wd.h0, wd.h1, wd.w0, wd.w1, [&](int64_t i) { dp[i] += v; });
        });
      }
    });
  });
}

// x: (planes, D, H, W) -> out: (planes, OD, OH, OW).
void adaptive_avg_pool2d_forward(const PoolGeom& g, const void* x, void* out) {
  RB_DISPATCH_FLOATING(g.dtype, "adaptive_avg_pool2d", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* po = static_cast<T*>(out);
    const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
    parallel_for(g.planes, grain_for(in_plane + out_plane), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = px + p * in_plane;
        T* op = po + p * out_plane;
        adaptive_windows(g, [&](int64_t o, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t w0, int64_t w1) {
          T s = 0;
          for_box(g, d0, d1, h0, h1, w0, w1, [&](int64_t i) { s += xp[i]; });
          op[o] = s / static_cast<T>((d1 - d0) * (h1 - h0) * (w1 - w0));
        });
      }
    });
  });
}

// dout: (planes, OD, OH, OW) -> dx: (planes, D, H, W).
void adaptive_avg_pool2d_backward(const PoolGeom& g, const void* dout, void* dx) {
  RB_DISPATCH_FLOATING(g.dtype, "adaptive_avg_pool2d_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout);
    T* pd = static_cast<T*>(dx);
    const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
    parallel_for(g.planes, grain_for(in_plane + out_plane), [&](int64_t b, int64_t e) {
      std::fill(pd + b * in_plane, pd + e * in_plane, T(0));
      for (int64_t p = b; p < e; ++p) {
        const T* gp = pg + p * out_plane;
        T* dp = pd + p * in_plane;
        adaptive_windows(g, [&](int64_t o, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t w0, int64_t w1) {
          const T v = gp[o] / static_cast<T>((d1 - d0) * (h1 - h0) * (w1 - w0));
          for_box(g, d0, d1, h0, h1, w0, w1, [&](int64_t i) { dp[i] += v; });
        });
      }
    });
  });
}

// x: (planes, D, H, W) -> out, indices: (planes, OD, OH, OW).
void adaptive_max_pool2d_forward(const PoolGeom& g, const void* x, void* out, int64_t* pi) {
  RB_CPU_DISPATCH_HOT(
      RB_DISPATCH_NUMERIC, g.dtype, "adaptive_max_pool2d", pool_kernels.adaptive_max_pool2d_forward(g, x, out, pi),
      [&] {
        using T = scalar_t;
        const T* px = static_cast<const T*>(x);
        T* po = static_cast<T*>(out);
        const int64_t in_plane = g.in_plane(), out_plane = g.out_plane();
        parallel_for(g.planes, grain_for(in_plane + out_plane), [&](int64_t b, int64_t e) {
          for (int64_t p = b; p < e; ++p) {
            const T* xp = px + p * in_plane;
            adaptive_windows(g, [&](int64_t o, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t w0, int64_t w1) {
              window_max(xp, g, d0, d1, 1, h0, h1, 1, w0, w1, 1, po + p * out_plane + o, pi + p * out_plane + o);
            });
          }
        });
      });
}

extern const PoolKernels pool_kernels = {
    &max_pool2d_forward,           &max_pool2d_backward,        &index_gather2d,
    &avg_pool2d_forward,           &avg_pool2d_backward,        &adaptive_avg_pool2d_forward,
    &adaptive_avg_pool2d_backward, &adaptive_max_pool2d_forward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(PoolKernels, pool_kernels)
