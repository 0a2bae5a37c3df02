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

// PyTorch's uint8 bilinear and bicubic (UpSampleKernel.cpp's separable path; its AVX2 path computes the same):
// per axis, each output reads the taps [xmin, xmin + xsize) with double weights from the filter (PIL's triangle or
// Keys cubic with a = -0.5 when antialiased, over a support widened by the downscale; otherwise the float path's
// taps, a = -0.75, with the weights of clamped taps summed onto the edge), scaled to int16 at the largest
// precision that keeps the largest weight below 2^15. A pass sums in int32 from a rounding half, shifts and clamps
// to 0..255.
struct FixedTaps {
  int64_t K = 0;  // weights per output
  std::vector<int64_t> xmin, xsize;
  std::vector<int16_t> w;  // out * K
  unsigned precision = 0;
};

FixedTaps fixed_taps(InterpMode mode, int64_t in, int64_t out, bool align, std::optional<double> scale, bool aa) {
  const bool cubic = mode == InterpMode::Bicubic;
  const int interp = cubic ? 4 : 2;
  const double a = aa ? -0.5 : -0.75;
  auto filter = [&](double v) {
    v = std::abs(v);
    if (!cubic) return v < 1.0 ? 1.0 - v : 0.0;
    return v < 1.0 ? cubic1(v, a) : v < 2.0 ? cubic2(v, a) : 0.0;
  };
  const double s = linear_scale(in, out, align, scale);
  const double support = aa && s >= 1.0 ? interp * 0.5 * s : interp * 0.5;
  FixedTaps t;
  t.K = aa ? static_cast<int64_t>(std::ceil(support)) * 2 + 1 : interp;
  t.xmin.resize(out), t.xsize.resize(out);
  std::vector<double> w(static_cast<size_t>(out * t.K), 0.0);
  double wt_max = 0.0;
  for (int64_t o = 0; o < out; ++o) {
    double* wp = w.data() + o * t.K;
    int64_t xmin = 0, xsize = 0;
    if (aa) {
      const double center = s * (static_cast<double>(o) + 0.5), invscale = s >= 1.0 ? 1.0 / s : 1.0;
      xmin = std::max(static_cast<int64_t>(center - support + 0.5), int64_t{0});
      xsize = std::clamp(std::min(static_cast<int64_t>(center + support + 0.5), in) - xmin, int64_t{0}, t.K);
      double total = 0.0;
      for (int64_t j = 0; j < xsize; ++j)
        total += wp[j] = filter((static_cast<double>(j + xmin) - center + 0.5) * invscale);
      if (total != 0.0)
        for (int64_t j = 0; j < xsize; ++j) wt_max = std::max(wt_max, wp[j] /= total);
    } else {
      const double r = source_index(s, o, align, cubic);
      // ATen's guard_index_and_lambda floors with floorf: the index in float
      const int64_t i = std::min(static_cast<int64_t>(std::floor(static_cast<float>(r))), in - 1);
      const double lambda = std::min(std::max(r - static_cast<double>(i), 0.0), 1.0);
      const int64_t half = t.K / 2, umin = i - half + 1;
      xmin = std::max(umin, int64_t{0});
      xsize = std::clamp(std::min(i + half + 1, in) - xmin, int64_t{0}, t.K);
      // a tap left of 0 or right of in - 1 adds its weight to the edge's, in ATen's order
      int64_t wi = 0;
      for (int64_t j = 0; j < t.K; ++j) {
        wp[j] = 0.0;
        const double v = filter(static_cast<double>(j + 1 - half) - lambda);
        if (umin + j <= 0)
          wi = 0;
        else if (umin + j >= in - 1)
          wi = xsize - 1;
        wp[wi] += v;
        wt_max = std::max(wt_max, wp[wi]);
        ++wi;
      }
    }
    t.xmin[o] = xmin, t.xsize[o] = xsize;
  }
  for (t.precision = 0; t.precision < 22; ++t.precision)
    if (static_cast<int>(0.5 + wt_max * (1 << (t.precision + 1))) >= (1 << 15)) break;
  t.w.resize(w.size());
  for (size_t k = 0; k < w.size(); ++k) {
    const double v = w[k] * (1 << t.precision);
    t.w[k] = static_cast<int16_t>(v < 0 ? static_cast<int>(-0.5 + v) : static_cast<int>(0.5 + v));
  }
  return t;
}

// One pass over an axis of (outer, in, inner) uint8 data -> (outer, out, inner), with taps t.
void fixed_pass(const FixedTaps& t, const uint8_t* x, uint8_t* y, int64_t outer, int64_t in, int64_t out,
                int64_t inner) {
  const int64_t out_len = static_cast<int64_t>(t.xmin.size());
  parallel_for(outer, grain_for(out * inner * t.K), [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) {
      const uint8_t* xp = x + p * in * inner;
      uint8_t* yp = y + p * out * inner;
      for (int64_t o = 0; o < out_len; ++o) {
        const int16_t* w = t.w.data() + o * t.K;
        const uint8_t* src = xp + t.xmin[o] * inner;
        // ATen reads the first tap whatever xsize is
        const int64_t n = std::max<int64_t>(t.xsize[o], 1);
        for (int64_t c = 0; c < inner; ++c) {
          int acc = 1 << (t.precision - 1);
          for (int64_t j = 0; j < n; ++j) acc += src[j * inner + c] * w[j];
          yp[o * inner + c] = static_cast<uint8_t>(std::clamp(acc >> t.precision, 0, 255));
        }
      }
    }
  });
}

// x: (planes, H, W) uint8 -> y: (planes, OH, OW): the width pass, then the height pass through a uint8 buffer;
// an axis whose size does not change is not resampled (ATen's), so equal sizes copy.
void upsample2d_uint8(const ResizeGeom& g, const uint8_t* x, uint8_t* y) {
  const bool horizontal = g.OW != g.W, vertical = g.OH != g.H;
  if (!horizontal && !vertical) {
    std::copy(x, x + g.planes * g.H * g.W, y);
    return;
  }
  std::vector<uint8_t> mid;
  const uint8_t* src = x;
  if (horizontal) {
    FixedTaps tw = fixed_taps(g.mode, g.W, g.OW, g.align_corners, g.scale_w, g.antialias);
    uint8_t* dst = vertical ? (mid.resize(static_cast<size_t>(g.planes * g.H * g.OW)), mid.data()) : y;
    fixed_pass(tw, x, dst, g.planes * g.H, g.W, g.OW, 1);
    src = dst;
  }
  if (vertical) {
    FixedTaps th = fixed_taps(g.mode, g.H, g.OH, g.align_corners, g.scale_h, g.antialias);
    fixed_pass(th, src, y, g.planes, g.H, g.OH, g.OW);
  }
}

}  // namespace

// x: (planes, H, W) -> y: (planes, OH, OW).
void upsample2d_forward(const ResizeGeom& g, const void* x, void* y) {
  if (g.dtype == DType::UInt8) return upsample2d_uint8(g, static_cast<const uint8_t*>(x), static_cast<uint8_t*>(y));
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
