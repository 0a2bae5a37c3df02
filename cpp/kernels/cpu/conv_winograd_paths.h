// Which convolutions take Winograd (conv_winograd.h), and how a ConvGeom becomes its products: float32 3x3
// stride-1 2-D convolutions, through F(4x4, 3x3), forward, dinput and dweight. Internal to conv.cpp.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>

#include "conv_winograd.h"

RB_CPU_NAMESPACE_BEGIN
namespace winograd {

// Winograd pays where the GEMM dominates its transforms. Measured forward and backward against im2col (AMD
// EPYC Zen 4 with AVX-512, 2 threads): 1.7x to 2.2x from 16 channels on 16x16 maps (batch 8) to 64 on
// 32x32 (batch 32) and 128 on 16x16; even at 256 channels on 8x8 (64 tiles in the batch) and 0.9x with 64
// tiles of 16 channels; slower at 512 channels on 4x4 maps, where the transformed weight (36 values per 9)
// outgrows the L3 cache and is streamed for every block of tiles. Hence: 16 or more channels in and out per
// group, 128 or more 4x4 output tiles, and a transformed weight of at most 8 MB. Any padding: the tiles
// read zeros outside the map. (4x4 stride-2 convolutions through their input's four phases and F(4x4, 2x2)
// were 1.15x the columns on one thread, but 0.8-0.9x on two, so they keep the columns.)
template <class F>
bool pays(const ConvGeom& g, int64_t in_channels) {
  const int64_t OCg = g.OC / g.groups,
                tiles = g.N * ((g.OH + F::kTile - 1) / F::kTile) * ((g.OW + F::kTile - 1) / F::kTile);
  return in_channels >= 16 && OCg >= 16 && tiles >= 128 &&
         F::kIn * F::kIn * in_channels * OCg * static_cast<int64_t>(sizeof(float)) <= (int64_t(8) << 20);
}
inline bool plain_2d(const ConvGeom& g) { return g.planar() && g.dil_h == 1 && g.dil_w == 1; }
inline bool stride1_3x3(const ConvGeom& g) {
  return plain_2d(g) && g.KH == 3 && g.KW == 3 && g.stride_h == 1 && g.stride_w == 1 && pays<F4x3>(g, g.C / g.groups);
}

// The products of one stride-1 convolution g with F::kTaps square taps, per group.
template <class F>
Geom<F> group_geom(const ConvGeom& g) {
  return {g.N,     g.C / g.groups,  g.OC / g.groups,   g.H, g.W, g.OH, g.OW, g.pad_h,
          g.pad_w, g.C * g.H * g.W, g.OC * g.OH * g.OW};
}

// w: (OC, C/groups, r, r) -> U: per group (a*a, rows, cols), rows and cols the group's output and input
// channels, or with `dinput` the other way round (and the taps flipped).
template <class F>
std::unique_ptr<float[]> weights(const ConvGeom& g, const float* w, bool dinput) {
  const int64_t Cg = g.C / g.groups, OCg = g.OC / g.groups, xi = F::kIn * F::kIn, taps = F::kTaps * F::kTaps;
  std::unique_ptr<float[]> U(new float[static_cast<size_t>(xi * OCg * Cg * g.groups)]);
  for (int64_t gr = 0; gr < g.groups; ++gr)
    transform_weights<F>(w + gr * OCg * Cg * taps, dinput ? Cg : OCg, dinput ? OCg : Cg, dinput,
                         U.get() + gr * xi * OCg * Cg);
  return U;
}

// x: (N, C, H, W), w: (OC, C/groups, r, r), b: (OC) or null -> y: (N, OC, OH, OW)
template <class F>
bool forward(const ConvGeom& g, const float* x, const float* w, const float* b, float* y) {
  const Geom<F> wg = group_geom<F>(g);
  const auto U = weights<F>(g, w, false);
  bool finite = true;
  for (int64_t gr = 0; gr < g.groups && finite; ++gr)
    finite = convolve(wg, x + gr * wg.C * g.H * g.W, U.get() + gr * F::kIn * F::kIn * wg.K * wg.C,
                      b != nullptr ? b + gr * wg.K : nullptr, y + gr * wg.K * g.OH * g.OW);
  return finite;
}

// dy: (N, OC, OH, OW), w: (OC, C/groups, r, r) -> dx: (N, C, H, W), written whole. dx is dy correlated with
// the flipped weight, channels swapped: an r x r convolution from OC to C channels whose output (ih, iw)
// reads dy from row ih + pad_h - (r - 1) (and column likewise), so its padding is r - 1 - pad.
template <class F>
bool dinput(const ConvGeom& g, const float* w, const float* dy, float* dx) {
  const int64_t Cg = g.C / g.groups, OCg = g.OC / g.groups, R = F::kTaps;
  const Geom<F> wg{
      g.N, OCg, Cg, g.OH, g.OW, g.H, g.W, R - 1 - g.pad_h, R - 1 - g.pad_w, g.OC * g.OH * g.OW, g.C * g.H * g.W};
  const auto U = weights<F>(g, w, true);
  bool finite = true;
  for (int64_t gr = 0; gr < g.groups && finite; ++gr)
    finite = convolve(wg, dy + gr * OCg * g.OH * g.OW, U.get() + gr * F::kIn * F::kIn * OCg * Cg, nullptr,
                      dx + gr * Cg * g.H * g.W);
  return finite;
}

// x: (N, C, H, W), dy: (N, OC, OH, OW) -> dw: (OC, C/groups, r, r), written whole.
template <class F>
bool dweight(const ConvGeom& g, const float* x, const float* dy, float* dw) {
  const Geom<F> wg = group_geom<F>(g);
  bool finite = true;
  for (int64_t gr = 0; gr < g.groups && finite; ++gr)
    finite = weight_grad(wg, x + gr * wg.C * g.H * g.W, dy + gr * wg.K * g.OH * g.OW,
                         dw + gr * wg.K * wg.C * F::kTaps * F::kTaps);
  return finite;
}

// Runs the convolution's forward by Winograd when one of the paths above takes it and its outputs come out
// finite; false otherwise (y is then for the caller to compute). A non-finite output may be Winograd's
// own (a tile mixes its inputs: one infinity spoils outputs a direct sum keeps finite, and transforms can
// overflow where a direct sum does not), so the caller's direct path decides those.
// x: (N, C, H, W), w: (OC, C/groups, KH, KW), b: (OC) or null -> y: (N, OC, OH, OW)
inline bool try_forward(const ConvGeom& g, const float* x, const float* w, const float* b, float* y) {
  return stride1_3x3(g) && forward<F4x3>(g, x, w, b, y);
}

// The gradients dx and dw (each when non-null) by Winograd when a path takes the convolution. Returns which
// it computed: each only when it came out finite, as try_forward. x, w, dy, dx, dw as conv_backward's.
struct Done {
  bool dx = false, dw = false;
};
inline Done try_backward(const ConvGeom& g, const float* x, const float* w, const float* dy, float* dx, float* dw) {
  Done done;
  if (!stride1_3x3(g)) return done;
  done.dx = dx != nullptr && dinput<F4x3>(g, w, dy, dx);
  done.dw = dw != nullptr && dweight<F4x3>(g, x, dy, dw);
  return done;
}

}  // namespace winograd
RB_CPU_NAMESPACE_END
