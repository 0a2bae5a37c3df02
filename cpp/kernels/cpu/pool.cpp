// CPU pooling kernels: one plane (H, W) of one image and channel at a time, planes spread over
// threads. Window bounds and the NaN/tie rules follow PyTorch's CPU kernels exactly.
#include "pool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

inline int64_t start_index(int64_t a, int64_t out, int64_t in) { return (a * in) / out; }
inline int64_t end_index(int64_t a, int64_t out, int64_t in) { return ((a + 1) * in + out - 1) / out; }

}  // namespace

namespace {

// Output columns [lo, hi) whose window (first column ow * sw - pw, `extent` columns wide) lies
// inside the plane: rows of them take the vectorised paths below, the few at the edges the general one.
std::pair<int64_t, int64_t> interior_columns(const PoolGeom& g, int64_t extent) {
  const int64_t lo = std::min((g.pw + g.sw - 1) / g.sw, g.OW);
  const int64_t last = g.W - extent + g.pw;  // the largest ow * sw allowed
  return {lo, last < 0 ? lo : std::max(lo, std::min(g.OW, last / g.sw + 1))};
}

// One output of a max pool: the first largest value in its window, a NaN winning (PyTorch's rule),
// taps scanned row by row. Branch-free: on random data the comparison is a coin flip.
template <class T>
void max_window(const T* xp, const PoolGeom& g, int64_t h0, int64_t h1, int64_t w0, int64_t w1, T* out,
                int64_t* index) {
  int64_t best = h0 * g.W + w0;
  T bv = -std::numeric_limits<T>::infinity();
  for (int64_t h = h0; h < h1; h += g.dh)
    for (int64_t w = w0; w < w1; w += g.dw) {
      const T v = xp[h * g.W + w];
      const bool take = v > bv || v != v;
      bv = take ? v : bv;
      best = take ? h * g.W + w : best;
    }
  *out = bv, *index = best;
}

// Outputs [lo, hi) of one row whose windows lie inside the plane's columns: the same scan as
// max_window, turned inside out (tap outer, output inner) so the inner loop vectorises. S is the
// column stride when known at compile time (0: g.sw at run time).
template <class T, int S>
void max_row_interior(const T* xp, const PoolGeom& g, int64_t h0, int64_t h1, int64_t lo, int64_t hi, T* out,
                      int64_t* index) {
  const int64_t sw = S ? S : g.sw;
  for (int64_t ow = lo; ow < hi; ++ow)
    out[ow] = -std::numeric_limits<T>::infinity(), index[ow] = h0 * g.W + ow * sw - g.pw;
  for (int64_t h = h0; h < h1; h += g.dh)
    for (int64_t j = 0; j < g.kw; ++j) {
      const int64_t off = h * g.W + j * g.dw - g.pw;
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

void max_pool2d_forward(const Tensor& x, const PoolGeom& g, Tensor& out, Tensor& indices) {
  RB_DISPATCH_FLOATING(x.dtype(), "max_pool2d", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* po = static_cast<T*>(out.raw_data());
    int64_t* pi = static_cast<int64_t*>(indices.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    const auto [lo, hi] = interior_columns(g, (g.kw - 1) * g.dw + 1);
    const auto interior = g.sw == 1   ? max_row_interior<T, 1>
                          : g.sw == 2 ? max_row_interior<T, 2>
                                      : max_row_interior<T, 0>;
    parallel_for(g.planes, grain_for(out_plane * g.kh * g.kw), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = px + p * in_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          int64_t h0 = oh * g.sh - g.ph;
          const int64_t h1 = std::min(h0 + (g.kh - 1) * g.dh + 1, g.H);
          while (h0 < 0) h0 += g.dh;
          T* orow = po + p * out_plane + oh * g.OW;
          int64_t* irow = pi + p * out_plane + oh * g.OW;
          interior(xp, g, h0, h1, lo, hi, orow, irow);
          for (int64_t ow = 0; ow < g.OW; ++ow) {
            if (ow == lo) ow = hi;  // done above
            if (ow >= g.OW) break;
            int64_t w0 = ow * g.sw - g.pw;
            const int64_t w1 = std::min(w0 + (g.kw - 1) * g.dw + 1, g.W);
            while (w0 < 0) w0 += g.dw;
            max_window(xp, g, h0, h1, w0, w1, orow + ow, irow + ow);
          }
        }
      }
    });
  });
}

void max_pool2d_backward(const Tensor& dout, const Tensor& indices, const PoolGeom& g, Tensor& dx, bool accumulate) {
  RB_DISPATCH_FLOATING(dout.dtype(), "max_pool2d_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout.raw_data());
    const int64_t* pi = static_cast<const int64_t*>(indices.raw_data());
    T* pd = static_cast<T*>(dx.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
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

void index_gather2d(const Tensor& x, const Tensor& indices, const PoolGeom& g, Tensor& out) {
  RB_DISPATCH_FLOATING(x.dtype(), "max_unpool2d_backward", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    const int64_t* pi = static_cast<const int64_t*>(indices.raw_data());
    T* po = static_cast<T*>(out.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    parallel_for(g.planes, grain_for(out_plane), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p)
        for (int64_t o = 0; o < out_plane; ++o) po[p * out_plane + o] = px[p * in_plane + pi[p * out_plane + o]];
    });
  });
}

namespace {
// The window of output (oh, ow) clipped to the input, and its divisor, as PyTorch's avg_pool2d.
struct AvgWindow {
  int64_t h0, h1, w0, w1, div;
};
inline AvgWindow avg_window(const PoolGeom& g, int64_t oh, int64_t ow, bool cip, int64_t divisor) {
  int64_t h0 = oh * g.sh - g.ph, w0 = ow * g.sw - g.pw;
  int64_t h1 = std::min(h0 + g.kh, g.H + g.ph), w1 = std::min(w0 + g.kw, g.W + g.pw);
  int64_t pool = (h1 - h0) * (w1 - w0);
  h0 = std::max<int64_t>(h0, 0), w0 = std::max<int64_t>(w0, 0);
  h1 = std::min(h1, g.H), w1 = std::min(w1, g.W);
  int64_t d = divisor ? divisor : cip ? pool : (h1 - h0) * (w1 - w0);
  return {h0, h1, w0, w1, d};
}
}  // namespace

namespace {
// avg_pool2d_forward's sums over the interior columns [lo, hi) of one output row, tap outer so the
// inner loop vectorises; each output adds its taps in the same order as the general path.
template <class T, int S>
void avg_row_interior(const T* xp, const PoolGeom& g, const AvgWindow& wd, int64_t lo, int64_t hi, T* out) {
  const int64_t sw = S ? S : g.sw;
  std::fill(out + lo, out + hi, T(0));
  for (int64_t h = wd.h0; h < wd.h1; ++h)
    for (int64_t j = 0; j < g.kw; ++j) {
      const T* row = xp + h * g.W + j - g.pw;
      for (int64_t ow = lo; ow < hi; ++ow) out[ow] += row[ow * sw];
    }
  const T div = static_cast<T>(wd.div);
  for (int64_t ow = lo; ow < hi; ++ow) out[ow] = out[ow] / div;
}
}  // namespace

void avg_pool2d_forward(const Tensor& x, const PoolGeom& g, bool cip, int64_t divisor, Tensor& out) {
  RB_DISPATCH_FLOATING(x.dtype(), "avg_pool2d", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* po = static_cast<T*>(out.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    const auto [lo, hi] = interior_columns(g, g.kw);
    const auto interior = g.sw == 1   ? avg_row_interior<T, 1>
                          : g.sw == 2 ? avg_row_interior<T, 2>
                                      : avg_row_interior<T, 0>;
    parallel_for(g.planes, grain_for(out_plane * g.kh * g.kw), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = px + p * in_plane;
        T* op = po + p * out_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh)
          for (int64_t ow = 0; ow < g.OW; ++ow) {
            if (ow == lo && lo < hi) {  // the interior columns share one window height and divisor
              const AvgWindow wd = avg_window(g, oh, lo, cip, divisor);
              if (wd.h0 < wd.h1) {
                interior(xp, g, wd, lo, hi, op + oh * g.OW);
                ow = hi - 1;
                continue;
              }
            }
            AvgWindow wd = avg_window(g, oh, ow, cip, divisor);
            if (wd.h0 >= wd.h1 || wd.w0 >= wd.w1) {
              op[oh * g.OW + ow] = T(0);
              continue;
            }
            T s = 0;
            for (int64_t h = wd.h0; h < wd.h1; ++h)
              for (int64_t w = wd.w0; w < wd.w1; ++w) s += xp[h * g.W + w];
            op[oh * g.OW + ow] = s / static_cast<T>(wd.div);
          }
      }
    });
  });
}

void avg_pool2d_backward(const Tensor& dout, const PoolGeom& g, bool cip, int64_t divisor, Tensor& dx) {
  RB_DISPATCH_FLOATING(dout.dtype(), "avg_pool2d_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout.raw_data());
    T* pd = static_cast<T*>(dx.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    parallel_for(g.planes, grain_for(out_plane * g.kh * g.kw), [&](int64_t b, int64_t e) {
      std::fill(pd + b * in_plane, pd + e * in_plane, T(0));
      for (int64_t p = b; p < e; ++p) {
        const T* gp = pg + p * out_plane;
        T* dp = pd + p * in_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh)
          for (int64_t ow = 0; ow < g.OW; ++ow) {
            AvgWindow wd = avg_window(g, oh, ow, cip, divisor);
            if (wd.h0 >= wd.h1 || wd.w0 >= wd.w1) continue;
            T v = gp[oh * g.OW + ow] / static_cast<T>(wd.div);
            for (int64_t h = wd.h0; h < wd.h1; ++h)
              for (int64_t w = wd.w0; w < wd.w1; ++w) dp[h * g.W + w] += v;
          }
      }
    });
  });
}

void adaptive_avg_pool2d_forward(const Tensor& x, const PoolGeom& g, Tensor& out) {
  RB_DISPATCH_FLOATING(x.dtype(), "adaptive_avg_pool2d", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* po = static_cast<T*>(out.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    parallel_for(g.planes, grain_for(in_plane + out_plane), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = px + p * in_plane;
        T* op = po + p * out_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          int64_t h0 = start_index(oh, g.OH, g.H), h1 = end_index(oh, g.OH, g.H);
          for (int64_t ow = 0; ow < g.OW; ++ow) {
            int64_t w0 = start_index(ow, g.OW, g.W), w1 = end_index(ow, g.OW, g.W);
            T s = 0;
            for (int64_t h = h0; h < h1; ++h)
              for (int64_t w = w0; w < w1; ++w) s += xp[h * g.W + w];
            op[oh * g.OW + ow] = s / static_cast<T>((h1 - h0) * (w1 - w0));
          }
        }
      }
    });
  });
}

void adaptive_avg_pool2d_backward(const Tensor& dout, const PoolGeom& g, Tensor& dx) {
  RB_DISPATCH_FLOATING(dout.dtype(), "adaptive_avg_pool2d_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout.raw_data());
    T* pd = static_cast<T*>(dx.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    parallel_for(g.planes, grain_for(in_plane + out_plane), [&](int64_t b, int64_t e) {
      std::fill(pd + b * in_plane, pd + e * in_plane, T(0));
      for (int64_t p = b; p < e; ++p) {
        const T* gp = pg + p * out_plane;
        T* dp = pd + p * in_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          int64_t h0 = start_index(oh, g.OH, g.H), h1 = end_index(oh, g.OH, g.H);
          for (int64_t ow = 0; ow < g.OW; ++ow) {
            int64_t w0 = start_index(ow, g.OW, g.W), w1 = end_index(ow, g.OW, g.W);
            T v = gp[oh * g.OW + ow] / static_cast<T>((h1 - h0) * (w1 - w0));
            for (int64_t h = h0; h < h1; ++h)
              for (int64_t w = w0; w < w1; ++w) dp[h * g.W + w] += v;
          }
        }
      }
    });
  });
}

void adaptive_max_pool2d_forward(const Tensor& x, const PoolGeom& g, Tensor& out, Tensor& indices) {
  RB_DISPATCH_FLOATING(x.dtype(), "adaptive_max_pool2d", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* po = static_cast<T*>(out.raw_data());
    int64_t* pi = static_cast<int64_t*>(indices.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    parallel_for(g.planes, grain_for(in_plane + out_plane), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = px + p * in_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          int64_t h0 = start_index(oh, g.OH, g.H), h1 = end_index(oh, g.OH, g.H);
          for (int64_t ow = 0; ow < g.OW; ++ow) {
            int64_t w0 = start_index(ow, g.OW, g.W), w1 = end_index(ow, g.OW, g.W);
            int64_t best = h0 * g.W + w0;
            T bv = -std::numeric_limits<T>::infinity();
            for (int64_t h = h0; h < h1; ++h)
              for (int64_t w = w0; w < w1; ++w) {
                T v = xp[h * g.W + w];
                if (v > bv || std::isnan(v)) {
                  bv = v;
                  best = h * g.W + w;
                }
              }
            po[p * out_plane + oh * g.OW + ow] = bv;
            pi[p * out_plane + oh * g.OW + ow] = best;
          }
        }
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
