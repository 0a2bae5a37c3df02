// CPU interpolation: source indices and weights per output row/column exactly as PyTorch's CPU
// kernels compute them (float index math for nearest, A = -0.75 cubic convolution with clamped taps; the
// antialiased modes' PIL filters over a support widened by the downscale, for floats and uint8 images).
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

// ATen's area_pixel_compute_scale in W (the weights' type: float32's are computed in float).
template <class W = double>
W linear_scale(int64_t in, int64_t out, bool align, std::optional<double> scale) {
  if (align) return out > 1 ? static_cast<W>(in - 1) / static_cast<W>(out - 1) : W(0);
  return scale && *scale > 0 ? static_cast<W>(1.0 / *scale) : static_cast<W>(in) / static_cast<W>(out);
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

// Taps of one axis in the separable form: output o reads the inputs [xmin[o], xmin[o] + xsize[o]) with the weights
// w[o * K ...]; weights past xsize are 0.
template <class W>
struct SpanTaps {
  int64_t K = 0;  // weights per output
  std::vector<int64_t> xmin, xsize;
  std::vector<W> w;  // out * K
};

// The antialiased modes' filters (PIL's, as ATen's aa_filter): the triangle, Keys' cubic with a = -0.5, Lanczos-3
// (a sinc windowed by a sinc three times wider). Evaluated in double and rounded to W, as ATen's (its a is a double).
template <class W>
W aa_filter(InterpMode mode, W x) {
  const double v = std::abs(static_cast<double>(x));
  if (mode == InterpMode::Bilinear) return static_cast<W>(v < 1.0 ? 1.0 - v : 0.0);
  if (mode == InterpMode::Bicubic) return static_cast<W>(v < 1.0 ? cubic1(v, -0.5) : v < 2.0 ? cubic2(v, -0.5) : 0.0);
  if (v >= 3.0) return W(0);
  auto sinc = [](double t) { return t == 0.0 ? 1.0 : std::sin(t * M_PI) / (t * M_PI); };
  return static_cast<W>(sinc(v) * sinc(v / 3.0));
}

int aa_interp_size(InterpMode mode) { return mode == InterpMode::Bilinear ? 2 : mode == InterpMode::Bicubic ? 4 : 6; }

// ATen's antialiased weights (_compute_weights_aa), in W with its mixed float/double expressions: output o centred
// at scale * (o + 0.5) reads the inputs within the support (the filter's half-width, times the scale when
// downscaling), the filter stretched by the same factor, the weights normalised to sum 1. align_corners only changes
// the scale.
template <class W>
SpanTaps<W> aa_taps(InterpMode mode, int64_t in, int64_t out, bool align, std::optional<double> scale_opt) {
  const int interp = aa_interp_size(mode);
  const W scale = linear_scale<W>(in, out, align, scale_opt);
  const W support = static_cast<W>(scale >= 1.0 ? interp * 0.5 * scale : interp * 0.5);
  const W invscale = static_cast<W>(scale >= 1.0 ? 1.0 / scale : 1.0);
  SpanTaps<W> t;
  t.K = static_cast<int64_t>(std::ceil(support)) * 2 + 1;
  t.xmin.resize(out), t.xsize.resize(out);
  t.w.assign(static_cast<size_t>(out * t.K), W(0));
  for (int64_t o = 0; o < out; ++o) {
    const W center = static_cast<W>(scale * (static_cast<double>(o) + 0.5));
    const int64_t xmin = std::max(static_cast<int64_t>(center - support + 0.5), int64_t{0});
    const int64_t xsize =
        std::clamp(std::min(static_cast<int64_t>(center + support + 0.5), in) - xmin, int64_t{0}, t.K);
    W* wp = t.w.data() + o * t.K;
    W total = 0;
    for (int64_t j = 0; j < xsize; ++j)
      total += wp[j] = aa_filter<W>(mode, static_cast<W>((static_cast<W>(j + xmin) - center + 0.5) * invscale));
    if (total != W(0))
      for (int64_t j = 0; j < xsize; ++j) wp[j] /= total;
    t.xmin[o] = xmin, t.xsize[o] = xsize;
  }
  return t;
}

// An axis that keeps its size: each output reads its own input (the forward skips the axis, ATen's; see
// upsample2d_aa_backward for why the backward does too).
template <class W>
SpanTaps<W> identity_taps(int64_t n) {
  SpanTaps<W> t;
  t.K = 1;
  t.xmin.resize(n), t.xsize.assign(n, 1), t.w.assign(n, W(1));
  for (int64_t o = 0; o < n; ++o) t.xmin[o] = o;
  return t;
}

// PyTorch's uint8 bilinear and bicubic (UpSampleKernel.cpp's separable path; its AVX2 path computes the same):
// per axis, each output reads the taps [xmin, xmin + xsize) with double weights from the filter (aa_taps when
// antialiased; otherwise the float path's taps, a = -0.75, with the weights of clamped taps summed onto the edge),
// scaled to int16 at the largest precision that keeps the largest weight below 2^15. A pass sums in int32 from a
// rounding half, shifts and clamps to 0..255.
struct FixedTaps : SpanTaps<int16_t> {
  unsigned precision = 0;
};

FixedTaps fixed_taps(InterpMode mode, int64_t in, int64_t out, bool align, std::optional<double> scale, bool aa) {
  SpanTaps<double> d;
  double wt_max = 0.0;
  if (aa) {
    d = aa_taps<double>(mode, in, out, align, scale);
    for (double v : d.w) wt_max = std::max(wt_max, v);
  } else {
    const bool cubic = mode == InterpMode::Bicubic;
    const double s = linear_scale(in, out, align, scale);
    d.K = cubic ? 4 : 2;
    d.xmin.resize(out), d.xsize.resize(out), d.w.assign(static_cast<size_t>(out * d.K), 0.0);
    for (int64_t o = 0; o < out; ++o) {
      double* wp = d.w.data() + o * d.K;
      const double r = source_index(s, o, align, cubic);
      // ATen's guard_index_and_lambda floors with floorf: the index in float
      const int64_t i = std::min(static_cast<int64_t>(std::floor(static_cast<float>(r))), in - 1);
      const double lambda = std::min(std::max(r - static_cast<double>(i), 0.0), 1.0);
      const int64_t half = d.K / 2, umin = i - half + 1;
      const int64_t xmin = std::max(umin, int64_t{0});
      const int64_t xsize = std::clamp(std::min(i + half + 1, in) - xmin, int64_t{0}, d.K);
      // a tap left of 0 or right of in - 1 adds its weight to the edge's, in ATen's order
      int64_t wi = 0;
      for (int64_t j = 0; j < d.K; ++j) {
        const double x = std::abs(static_cast<double>(j + 1 - half) - lambda);
        const double v = !cubic    ? (x < 1.0 ? 1.0 - x : 0.0)
                         : x < 1.0 ? cubic1(x, -0.75)
                         : x < 2.0 ? cubic2(x, -0.75)
                                   : 0.0;
        if (umin + j <= 0)
          wi = 0;
        else if (umin + j >= in - 1)
          wi = xsize - 1;
        wp[wi] += v;
        wt_max = std::max(wt_max, wp[wi]);
        ++wi;
      }
      d.xmin[o] = xmin, d.xsize[o] = xsize;
    }
  }
  FixedTaps t;
  t.K = d.K, t.xmin = std::move(d.xmin), t.xsize = std::move(d.xsize);
  for (t.precision = 0; t.precision < 22; ++t.precision)
    if (static_cast<int>(0.5 + wt_max * (1 << (t.precision + 1))) >= (1 << 15)) break;
  t.w.resize(d.w.size());
  for (size_t k = 0; k < d.w.size(); ++k) {
    const double v = d.w[k] * (1 << t.precision);
    t.w[k] = static_cast<int16_t>(v < 0 ? static_cast<int>(-0.5 + v) : static_cast<int>(0.5 + v));
  }
  return t;
}

// One pass over an axis of (outer, in, inner) data -> (outer, out, inner) with taps t (a SpanTaps): y = dot(t,
// first tap, weights, count, the taps' stride). ATen reads the first tap whatever xsize is.
template <class T, class Span, class Dot>
void span_pass(const Span& t, const T* x, T* y, int64_t outer, int64_t in, int64_t out, int64_t inner, Dot dot) {
  parallel_for(outer, grain_for(out * inner * t.K), [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) {
      const T* xp = x + p * in * inner;
      T* yp = y + p * out * inner;
      for (int64_t o = 0; o < out; ++o) {
        const auto* w = t.w.data() + o * t.K;
        const T* src = xp + t.xmin[o] * inner;
        const int64_t n = std::max<int64_t>(t.xsize[o], 1);
        for (int64_t c = 0; c < inner; ++c) yp[o * inner + c] = dot(t, src + c, w, n, inner);
      }
    }
  });
}

// x: (planes, H, W) -> y: (planes, OH, OW), separably: the width pass, then the height pass through a buffer of
// T; an axis whose size does not change is not resampled (ATen's), so equal sizes copy. taps(in, out, align,
// scale) gives an axis' taps.
template <class T, class TapsFn, class Dot>
void separable2d(const ResizeGeom& g, const T* x, T* y, TapsFn taps, Dot dot) {
  const bool horizontal = g.OW != g.W, vertical = g.OH != g.H;
  if (!horizontal && !vertical) {
    std::copy(x, x + g.planes * g.H * g.W, y);
    return;
  }
  std::vector<T> mid;
  const T* src = x;
  if (horizontal) {
    T* dst = vertical ? (mid.resize(static_cast<size_t>(g.planes * g.H * g.OW)), mid.data()) : y;
    span_pass(taps(g.W, g.OW, g.align_corners, g.scale_w), x, dst, g.planes * g.H, g.W, g.OW, 1, dot);
    src = dst;
  }
  if (vertical) span_pass(taps(g.H, g.OH, g.align_corners, g.scale_h), src, y, g.planes, g.H, g.OH, g.OW, dot);
}

void upsample2d_uint8(const ResizeGeom& g, const uint8_t* x, uint8_t* y) {
  separable2d(
      g, x, y,
      [&](int64_t in, int64_t out, bool align, std::optional<double> s) {
        return fixed_taps(g.mode, in, out, align, s, g.antialias);
      },
      [](const FixedTaps& t, const uint8_t* src, const int16_t* w, int64_t n, int64_t stride) {
        int acc = 1 << (t.precision - 1);
        for (int64_t j = 0; j < n; ++j) acc += src[j * stride] * w[j];
        return static_cast<uint8_t>(std::clamp(acc >> t.precision, 0, 255));
      });
}

// Float antialiased interpolation (ATen's separable_upsample_generic_Nd_kernel_impl with antialias): weights in
// T, each output summed in T from its first tap.
template <class T>
void upsample2d_aa(const ResizeGeom& g, const T* x, T* y) {
  separable2d(
      g, x, y,
      [&](int64_t in, int64_t out, bool align, std::optional<double> s) {
        return aa_taps<T>(g.mode, in, out, align, s);
      },
      [](const SpanTaps<T>&, const T* src, const T* w, int64_t n, int64_t stride) {
        T acc = src[0] * w[0];
        for (int64_t j = 1; j < n; ++j) acc += src[j * stride] * w[j];
        return acc;
      });
}

// dy: (planes, OH, OW) -> dx: (planes, H, W), the adjoint of upsample2d_aa: each output's gradient spread over
// its (ysize, xsize) window with the product of the axes' weights (ATen's cpu_upsample_genNd_backward_aa, in T).
// An axis that keeps its size is the identity, as in the forward. ATen's backward resamples it with the weights of
// the user's scale factor, so where a scale factor keeps a size (5 * 1.1 -> 5) its gradient is not its forward's;
// this one is.
template <class T>
void upsample2d_aa_backward(const ResizeGeom& g, const T* dy, T* dx) {
  auto axis = [&](int64_t in, int64_t out, std::optional<double> s) {
    return in == out ? identity_taps<T>(in) : aa_taps<T>(g.mode, in, out, g.align_corners, s);
  };
  const SpanTaps<T> th = axis(g.H, g.OH, g.scale_h), tw = axis(g.W, g.OW, g.scale_w);
  const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
  parallel_for(g.planes, grain_for(out_plane * th.K * tw.K), [&](int64_t b, int64_t e) {
    std::fill(dx + b * in_plane, dx + e * in_plane, T(0));
    for (int64_t p = b; p < e; ++p) {
      const T* gp = dy + p * out_plane;
      T* dp = dx + p * in_plane;
      for (int64_t oh = 0; oh < g.OH; ++oh) {
        const T* wy = th.w.data() + oh * th.K;
        for (int64_t ow = 0; ow < g.OW; ++ow) {
          const T* wx = tw.w.data() + ow * tw.K;
          const T v = gp[oh * g.OW + ow];
          for (int64_t i = 0; i < th.xsize[oh]; ++i) {
            T* row = dp + (th.xmin[oh] + i) * g.W + tw.xmin[ow];
            for (int64_t j = 0; j < tw.xsize[ow]; ++j) row[j] += wx[j] * wy[i] * v;
          }
        }
      }
    }
  });
}

}  // namespace

// x: (planes, H, W) -> y: (planes, OH, OW).
void upsample2d_forward(const ResizeGeom& g, const void* x, void* y) {
  if (g.dtype == DType::UInt8) return upsample2d_uint8(g, static_cast<const uint8_t*>(x), static_cast<uint8_t*>(y));
  if (g.antialias) {
    RB_DISPATCH_FLOATING(g.dtype, "upsample2d_aa",
                         [&] { upsample2d_aa(g, static_cast<const scalar_t*>(x), static_cast<scalar_t*>(y)); });
    return;
  }
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
  if (g.antialias) {
    RB_DISPATCH_FLOATING(g.dtype, "upsample2d_aa_backward", [&] {
      upsample2d_aa_backward(g, static_cast<const scalar_t*>(dy), static_cast<scalar_t*>(dx));
    });
    return;
  }
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
