// Which convolutions take Winograd (conv_winograd.h), and how a ConvGeom becomes its products: 3x3 stride-1
// ones directly through F(4x4, 3x3); 4x4 stride-2 ones (DCGAN's) as a 2x2 stride-1 convolution over the
// input's four phases, through F(4x4, 2x2). Forward, dinput and dweight of each; float32 and 2-D only.
// Internal to conv.cpp.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>

#include "conv_winograd.h"

RB_CPU_NAMESPACE_BEGIN
namespace winograd {

// Winograd pays where the GEMM dominates its transforms. Measured on the forward against im2col
// (AMD EPYC Zen 4 with AVX-512, 1 thread, batches of 8 to 64): 2.2x at 64 channels on 32x32 maps,
// 2.4x at 128 on 16x16, 1.5x at 16 on 32x32; even at 256 channels with 32 tiles in the batch, and
// slower at 512 channels on 4x4 maps, where the transformed weight (36 values per 9) outgrows the L3
// cache and is streamed for every block of tiles. The 4x4 stride-2 path (DCGAN's Conv2d(64, 128) on
// 16x16 and ConvTranspose2d(128, 64) to 16x16, batch 64): 1.2x the columns' forward and backward, 1 thread
// (its F(4x4, 2x2) saves less, 2.56x the flops, and splitting the phases costs a copy of the input).
// Hence: 16 or more channels in (phases counted) and out per group, 64 or more tiles, and a
// transformed weight of at most 8 MB. Any padding: the tiles read zeros outside the map.
template <class F>
bool pays(const ConvGeom& g, int64_t in_channels) {
  const int64_t OCg = g.OC / g.groups,
                tiles = g.N * ((g.OH + F::kTile - 1) / F::kTile) * ((g.OW + F::kTile - 1) / F::kTile);
  return in_channels >= 16 && OCg >= 16 && tiles >= 64 &&
         F::kIn * F::kIn * in_channels * OCg * static_cast<int64_t>(sizeof(float)) <= (int64_t(8) << 20);
}
inline bool plain_2d(const ConvGeom& g) { return g.planar() && g.dil_h == 1 && g.dil_w == 1; }
inline bool stride1_3x3(const ConvGeom& g) {
  return plain_2d(g) && g.KH == 3 && g.KW == 3 && g.stride_h == 1 && g.stride_w == 1 && pays<F4x3>(g, g.C / g.groups);
}
inline bool stride2_4x4(const ConvGeom& g) {
  return plain_2d(g) && g.KH == 4 && g.KW == 4 && g.stride_h == 2 && g.stride_w == 2 &&
         pays<F4x2>(g, 4 * (g.C / g.groups));
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

// A 4x4 stride-2 convolution as a 2x2 stride-1 one: with kh = 2a + r and kw = 2b + s,
//   y[oh][ow] = sum over c, r, s, a, b of w[c][2a+r][2b+s] x[c][2(oh+a) + r - pad_h][2(ow+b) + s - pad_w],
// so over the phases X[c*4 + r*2 + s][i][j] = x[c][2i + r - pad_h][2j + s - pad_w] (zero outside the map;
// OH + 1 by OW + 1 of them) it is the unpadded 2x2 convolution with w2[k][c*4 + r*2 + s][a][b] =
// w[k][c][2a+r][2b+s]. A group's phases stay its own channels. The forward, both gradients and the
// transposed convolution built on them go through these four rearrangements.
class Phases {
 public:
  explicit Phases(const ConvGeom& g) : g_(g), s_(g) {
    s_.C = 4 * g.C, s_.H = g.OH + 1, s_.W = g.OW + 1, s_.KH = s_.KW = 2;
    s_.stride_h = s_.stride_w = 1, s_.pad_h = s_.pad_w = 0;
  }
  const ConvGeom& geom() const { return s_; }  // the stride-1 convolution over the phases
  int64_t image() const { return s_.C * s_.H * s_.W; }
  int64_t weight() const { return g_.OC * s_.C / g_.groups * 4; }

  // x: (N, C, H, W) -> X: (N, 4C, OH + 1, OW + 1)
  void split(const float* x, float* X) const {
    parallel_for(g_.N * g_.C, grain_for(4 * s_.H * s_.W), [&](int64_t p0, int64_t p1) {
      for (int64_t p = p0; p < p1; ++p) {
        const float* xc = x + p * g_.H * g_.W;
        for (int64_t q = 0; q < 4; ++q) {
          const int64_t r = q / 2, s = q % 2, j0 = first_inside(s, g_.pad_w), j1 = end_inside(s, g_.pad_w, g_.W, s_.W);
          float* Xq = X + (p * 4 + q) * s_.H * s_.W;
          for (int64_t i = 0; i < s_.H; ++i) {
            float* row = Xq + i * s_.W;
            const int64_t h = 2 * i + r - g_.pad_h;
            if (h < 0 || h >= g_.H || j0 >= j1) {
              std::fill(row, row + s_.W, 0.0f);
              continue;
            }
            const float* src = xc + h * g_.W;  // column j reads input column 2 j + s - pad_w
            std::fill(row, row + j0, 0.0f);
            for (int64_t j = j0; j < j1; ++j) row[j] = src[2 * j + s - g_.pad_w];
            std::fill(row + j1, row + s_.W, 0.0f);
          }
        }
      }
    });
  }
  // dX: (N, 4C, OH + 1, OW + 1) -> dx: (N, C, H, W); each pixel is one phase's, or no output reads it (0).
  void merge(const float* dX, float* dx) const {
    parallel_for(g_.N * g_.C, grain_for(4 * s_.H * s_.W), [&](int64_t p0, int64_t p1) {
      for (int64_t p = p0; p < p1; ++p) {
        float* dxc = dx + p * g_.H * g_.W;
        for (int64_t h = 0; h < g_.H; ++h) {
          const int64_t i = (h + g_.pad_h) / 2, r = (h + g_.pad_h) % 2;
          float* row = dxc + h * g_.W;
          if (i >= s_.H) {
            std::fill(row, row + g_.W, 0.0f);
            continue;
          }
          for (int64_t s = 0; s < 2; ++s) {  // the columns w = 2 j + s - pad_w of phase (r, s)
            const float* src = dX + ((p * 4 + r * 2 + s) * s_.H + i) * s_.W;
            const int64_t j0 = first_inside(s, g_.pad_w), j1 = end_inside(s, g_.pad_w, g_.W, s_.W);
            for (int64_t j = j0; j < j1; ++j) row[2 * j + s - g_.pad_w] = src[j];
          }
          // columns past the last phase column no output reads
          const int64_t covered = std::min(g_.W, 2 * s_.W - g_.pad_w);
          std::fill(row + std::max<int64_t>(0, covered), row + g_.W, 0.0f);
        }
      }
    });
  }
  // w: (OC, C/groups, 4, 4) -> w2: (OC, 4C/groups, 2, 2), and dw2 back to dw.
  void weights(const float* w, float* w2) const {
    for_taps([&](int64_t src, int64_t dst) { w2[dst] = w[src]; });
  }
  void weight_grad(const float* dw2, float* dw) const {
    for_taps([&](int64_t src, int64_t dst) { dw[src] = dw2[dst]; });
  }

 private:
  // The phase columns j (phase s) whose input column 2 j + s - pad lies in [0, W): [first_inside, end_inside).
  static int64_t first_inside(int64_t s, int64_t pad) { return std::max<int64_t>(0, (pad - s + 1) / 2); }
  static int64_t end_inside(int64_t s, int64_t pad, int64_t W, int64_t cols) {
    const int64_t last = W - 1 + pad - s;  // 2 j <= last
    return last < 0 ? 0 : std::min(cols, last / 2 + 1);
  }

  // f(index in w of tap (k, c, kh, kw), index in w2 of the same tap)
  template <class Fn>
  void for_taps(const Fn& f) const {
    const int64_t Cg = g_.C / g_.groups;
    for (int64_t k = 0; k < g_.OC; ++k)
      for (int64_t c = 0; c < Cg; ++c)
        for (int64_t kh = 0; kh < 4; ++kh)
          for (int64_t kw = 0; kw < 4; ++kw)
            f(((k * Cg + c) * 4 + kh) * 4 + kw, (((k * Cg + c) * 4 + (kh % 2) * 2 + kw % 2) * 2 + kh / 2) * 2 + kw / 2);
  }

  ConvGeom g_, s_;
};

// Runs the convolution's forward by Winograd when one of the paths above takes it and its outputs come out
// finite; false otherwise (y is then for the caller to compute). A non-finite output may be Winograd's
// own (a tile mixes its inputs: one infinity spoils outputs a direct sum keeps finite, and transforms can
// overflow where a direct sum does not), so the caller's direct path decides those.
// x: (N, C, H, W), w: (OC, C/groups, KH, KW), b: (OC) or null -> y: (N, OC, OH, OW)
inline bool try_forward(const ConvGeom& g, const float* x, const float* w, const float* b, float* y) {
  if (stride1_3x3(g)) return forward<F4x3>(g, x, w, b, y);
  if (!stride2_4x4(g)) return false;
  const Phases ph(g);
  std::unique_ptr<float[]> X(new float[static_cast<size_t>(g.N * ph.image())]);
  std::unique_ptr<float[]> w2(new float[static_cast<size_t>(ph.weight())]);
  ph.split(x, X.get());
  ph.weights(w, w2.get());
  return forward<F4x2>(ph.geom(), X.get(), w2.get(), b, y);
}

// The gradients dx and dw (each when non-null) by Winograd when a path takes the convolution. Returns which
// it computed: each only when it came out finite, as try_forward. x, w, dy, dx, dw as conv_backward's.
struct Done {
  bool dx = false, dw = false;
};
inline Done try_backward(const ConvGeom& g, const float* x, const float* w, const float* dy, float* dx, float* dw) {
  Done done;
  if (stride1_3x3(g)) {
    done.dx = dx != nullptr && dinput<F4x3>(g, w, dy, dx);
    done.dw = dw != nullptr && dweight<F4x3>(g, x, dy, dw);
    return done;
  }
  if (!stride2_4x4(g)) return done;
  const Phases ph(g);
  std::unique_ptr<float[]> X(new float[static_cast<size_t>(g.N * ph.image())]);  // the phases, or their gradient
  std::unique_ptr<float[]> w2(new float[static_cast<size_t>(ph.weight())]);      // w2, or its gradient
  if (dx != nullptr) {
    ph.weights(w, w2.get());
    done.dx = dinput<F4x2>(ph.geom(), w2.get(), dy, X.get());
    if (done.dx) ph.merge(X.get(), dx);
  }
  if (dw != nullptr) {
    ph.split(x, X.get());
    done.dw = dweight<F4x2>(ph.geom(), X.get(), dy, w2.get());
    if (done.dw) ph.weight_grad(w2.get(), dw);
  }
  return done;
}

}  // namespace winograd
RB_CPU_NAMESPACE_END
