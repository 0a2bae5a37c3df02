// CPU interpolation: source indices and weights per output row/column exactly as PyTorch's CPU
// kernels compute them (float index math for nearest, A = -0.75 cubic convolution with clamped taps).
#include "resize.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "loops.h"

namespace rb::cpu {
namespace {

struct Taps {
  int K = 1;
  std::vector<int64_t> idx;  // out * K
  std::vector<double> w;
};

double linear_scale(int64_t in, int64_t out, bool align, std::optional<double> scale) {
  if (align) return out > 1 ? static_cast<double>(in - 1) / static_cast<double>(out - 1) : 0.0;
  return scale && *scale > 0 ? 1.0 / *scale : static_cast<double>(in) / static_cast<double>(out);
}

double source_index(double scale, int64_t o, bool align, bool cubic) {
  if (align) return scale * static_cast<double>(o);
  double r = scale * (static_cast<double>(o) + 0.5) - 0.5;
  return (!cubic && r < 0) ? 0.0 : r;
}

double cubic1(double x, double A) { return ((A + 2) * x - (A + 3)) * x * x + 1; }
double cubic2(double x, double A) { return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A; }

Taps axis_taps(InterpMode mode, int64_t in, int64_t out, bool align, std::optional<double> scale) {
  Taps t;
  if (mode == InterpMode::Nearest || mode == InterpMode::NearestExact) {
    t.K = 1;
    t.idx.resize(out), t.w.assign(out, 1.0);
    float s = scale && *scale > 0 ? static_cast<float>(1.0 / *scale) : static_cast<float>(in) / static_cast<float>(out);
    for (int64_t o = 0; o < out; ++o) {
      if (mode == InterpMode::Nearest) {
        if (out == in)
          t.idx[o] = o;
        else if (out == 2 * in)
          t.idx[o] = o >> 1;
        else
          t.idx[o] = std::min(static_cast<int64_t>(std::floor(static_cast<float>(o) * s)), in - 1);
      } else {
        t.idx[o] = std::min(static_cast<int64_t>(std::floor((static_cast<float>(o) + 0.5f) * s)), in - 1);
      }
    }
    return t;
  }
  double s = linear_scale(in, out, align, scale);
  if (mode == InterpMode::Bilinear) {
    t.K = 2;
    t.idx.resize(2 * out), t.w.resize(2 * out);
    for (int64_t o = 0; o < out; ++o) {
      double r = source_index(s, o, align, false);
      int64_t i0 = static_cast<int64_t>(r);
      int64_t i1 = i0 + (i0 < in - 1 ? 1 : 0);
      double l1 = std::clamp(r - static_cast<double>(i0), 0.0, 1.0);
      t.idx[2 * o] = i0, t.idx[2 * o + 1] = i1;
      t.w[2 * o] = 1.0 - l1, t.w[2 * o + 1] = l1;
    }
    return t;
  }
  t.K = 4;
  t.idx.resize(4 * out), t.w.resize(4 * out);
  const double A = -0.75;
  for (int64_t o = 0; o < out; ++o) {
    double r = source_index(s, o, align, true);
    int64_t i = std::min(static_cast<int64_t>(std::floor(r)), in - 1);
    double l = std::clamp(r - static_cast<double>(i), 0.0, 1.0);
    double c[4] = {cubic2(l + 1, A), cubic1(l, A), cubic1(1 - l, A), cubic2(2 - l, A)};
    for (int j = 0; j < 4; ++j) {
      t.idx[4 * o + j] = std::clamp<int64_t>(i - 1 + j, 0, in - 1);
      t.w[4 * o + j] = c[j];
    }
  }
  return t;
}

}  // namespace

// x: (planes, H, W) -> y: (planes, OH, OW).
void upsample2d_forward(const ResizeGeom& g, const void* x, void* y) {
  Taps th = axis_taps(g.mode, g.H, g.OH, g.align_corners, g.scale_h);
  Taps tw = axis_taps(g.mode, g.W, g.OW, g.align_corners, g.scale_w);
  RB_DISPATCH_FLOATING(g.dtype, "upsample2d", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* py = static_cast<T*>(y);
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    const int KH = th.K, KW = tw.K;
    std::vector<T> wh(th.w.begin(), th.w.end()), ww(tw.w.begin(), tw.w.end());
    parallel_for(g.planes, grain_for(out_plane * KH * KW), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* xp = px + p * in_plane;
        T* yp = py + p * out_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh)
          for (int64_t ow = 0; ow < g.OW; ++ow) {
            T acc = 0;
            for (int i = 0; i < KH; ++i) {
              const T* row = xp + th.idx[oh * KH + i] * g.W;
              T r = 0;
              for (int j = 0; j < KW; ++j) r += ww[ow * KW + j] * row[tw.idx[ow * KW + j]];
              acc += wh[oh * KH + i] * r;
            }
            yp[oh * g.OW + ow] = acc;
          }
      }
    });
  });
}

// dy: (planes, OH, OW) -> dx: (planes, H, W).
void upsample2d_backward(const ResizeGeom& g, const void* dy, void* dx) {
  Taps th = axis_taps(g.mode, g.H, g.OH, g.align_corners, g.scale_h);
  Taps tw = axis_taps(g.mode, g.W, g.OW, g.align_corners, g.scale_w);
  RB_DISPATCH_FLOATING(g.dtype, "upsample2d_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dy);
    T* pd = static_cast<T*>(dx);
    const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
    const int KH = th.K, KW = tw.K;
    std::vector<T> wh(th.w.begin(), th.w.end()), ww(tw.w.begin(), tw.w.end());
    parallel_for(g.planes, grain_for(out_plane * KH * KW), [&](int64_t b, int64_t e) {
      std::fill(pd + b * in_plane, pd + e * in_plane, T(0));
      for (int64_t p = b; p < e; ++p) {
        const T* gp = pg + p * out_plane;
        T* dp = pd + p * in_plane;
        for (int64_t oh = 0; oh < g.OH; ++oh)
          for (int64_t ow = 0; ow < g.OW; ++ow) {
            T v = gp[oh * g.OW + ow];
            for (int i = 0; i < KH; ++i) {
              T* row = dp + th.idx[oh * KH + i] * g.W;
              T vh = v * wh[oh * KH + i];
              for (int j = 0; j < KW; ++j) row[tw.idx[ow * KW + j]] += vh * ww[ow * KW + j];
            }
          }
      }
    });
  });
}

}  // namespace rb::cpu

namespace rb::cpu {

// x: (in_shape) -> out: (out_shape).
void constant_pad_forward(const PadGeom& g, const void* x, Scalar value, void* out) {
  RB_DISPATCH_ALL(g.dtype, "constant_pad_nd", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* po = static_cast<T*>(out);
    const T v = value.kind == Scalar::Kind::Float ? static_cast<T>(value.f) : static_cast<T>(value.i);
    const int nd = static_cast<int>(g.nd);
    const int64_t* osz = g.out_shape;
    const int64_t* isz = g.in_shape;
    const int64_t* left = g.left;
    const int64_t ow = nd ? osz[nd - 1] : 1, iw = nd ? isz[nd - 1] : 1, lw = nd ? left[nd - 1] : 0;
    int64_t numel = 1;
    for (int d = 0; d < nd; ++d) numel *= osz[d];
    const int64_t rows = ow ? numel / ow : 0;
    // Columns of an output row that come from the input: [c0, c1).
    const int64_t c0 = std::clamp<int64_t>(lw, 0, ow), c1 = std::clamp<int64_t>(lw + iw, 0, ow);
    int64_t istride[kMaxDims];  // x's, contiguous
    for (int64_t d = nd - 1, st = 1; d >= 0; st *= isz[d--]) istride[d] = st;
    parallel_for(rows, grain_for(ow), [&](int64_t b, int64_t e) {
      int64_t idx[kMaxDims] = {};
      for (int64_t r = b, d = nd - 2; d >= 0; --d) idx[d] = r % osz[d], r /= osz[d];
      for (int64_t r = b; r < e; ++r) {
        T* orow = po + r * ow;
        bool inside = c0 < c1;
        int64_t ioff = 0;
        for (int d = 0; d < nd - 1 && inside; ++d) {
          int64_t j = idx[d] - left[d];
          inside = j >= 0 && j < isz[d];
          ioff += j * istride[d];
        }
        if (!inside) {
          std::fill(orow, orow + ow, v);
        } else {
          std::fill(orow, orow + c0, v);
          std::copy(px + ioff + (c0 - lw), px + ioff + (c1 - lw), orow + c0);
          std::fill(orow + c1, orow + ow, v);
        }
        for (int d = nd - 2; d >= 0 && ++idx[d] == osz[d]; --d) idx[d] = 0;
      }
    });
  });
}

template <>
const ResizeKernels& kernels<ResizeKernels>() {
  static const ResizeKernels table = {&upsample2d_forward, &upsample2d_backward, &constant_pad_forward};
  return table;
}

}  // namespace rb::cpu
