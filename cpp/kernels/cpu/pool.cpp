// CPU pooling kernels: one plane (H, W) of one image and channel at a time, planes spread over
// threads. Window bounds and the NaN/tie rules follow PyTorch's CPU kernels exactly.
#include "pool.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

inline int64_t start_index(int64_t a, int64_t out, int64_t in) { return (a * in) / out; }
inline int64_t end_index(int64_t a, int64_t out, int64_t in) { return ((a + 1) * in + out - 1) / out; }

}  // namespace

void max_pool2d_forward(const Tensor& x, const PoolGeom& g, Tensor& out, Tensor& indices) {
  RB_DISPATCH_FLOATING(x.dtype(), "max_pool2d", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* po = static_cast<T*>(out.raw_data());
    int64_t* pi = static_cast<int64_t*>(indices.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    parallel_for(g.planes, grain_for(out_plane * g.kh * g.kw), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = px + p * in_plane;
        T* op = po + p * out_plane;
        int64_t* ip = pi + p * out_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          int64_t h0 = oh * g.sh - g.ph;
          int64_t h1 = std::min(h0 + (g.kh - 1) * g.dh + 1, g.H);
          while (h0 < 0) h0 += g.dh;
          for (int64_t ow = 0; ow < g.OW; ++ow) {
            int64_t w0 = ow * g.sw - g.pw;
            int64_t w1 = std::min(w0 + (g.kw - 1) * g.dw + 1, g.W);
            while (w0 < 0) w0 += g.dw;
            int64_t best = h0 * g.W + w0;
            T bv = -std::numeric_limits<T>::infinity();
            for (int64_t h = h0; h < h1; h += g.dh)
              for (int64_t w = w0; w < w1; w += g.dw) {
                T v = xp[h * g.W + w];
                if (v > bv || std::isnan(v)) {  // NaN wins, as in PyTorch
                  bv = v;
                  best = h * g.W + w;
                }
              }
            op[oh * g.OW + ow] = bv;
            ip[oh * g.OW + ow] = best;
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

void avg_pool2d_forward(const Tensor& x, const PoolGeom& g, bool cip, int64_t divisor, Tensor& out) {
  RB_DISPATCH_FLOATING(x.dtype(), "avg_pool2d", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* po = static_cast<T*>(out.raw_data());
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    parallel_for(g.planes, grain_for(out_plane * g.kh * g.kw), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = px + p * in_plane;
        T* op = po + p * out_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh)
          for (int64_t ow = 0; ow < g.OW; ++ow) {
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
