// The convolution family's int64 kernels: direct loops over the taps, for the integer convolutions
// PyTorch's CPU build computes (its slow_conv2d/3d for every integer type, its dilated and transposed
// paths for int64). The op widens the narrow integer types to int64 and narrows the result: the sums
// wrap modulo 2^64 here (unsigned arithmetic, so the wrap is defined), and modulo 2^k after the
// narrowing, which is what ATen's gemm in the narrow type gives. Compiled once, as baseline code:
// integer convolutions are not a hot path.
#include "conv.h"

#include <algorithm>
#include <vector>

#include "loops.h"

namespace rb::cpu {
namespace {

using u64 = uint64_t;

// The input position a tap reads for output position o along one dim, or -1 outside the input
// (padding): i = o * stride - pad + k * dilation.
inline int64_t tap_in(int64_t o, int64_t k, int64_t stride, int64_t pad, int64_t dil, int64_t size) {
  const int64_t i = o * stride - pad + k * dil;
  return i >= 0 && i < size ? i : -1;
}

// Calls f(tap, j) for each tap of position `at` (depth, height, width) that `meet` (tap_in or tap_out)
// maps inside the other side, of dims `to`: tap its index in (KD, KH, KW), j that position's offset.
// From an output position to the input it reads (the forward, dw), or back (dx).
template <class Meet, class F>
inline void for_each_tap(const ConvGeom& g, const int64_t (&at)[3], const int64_t (&to)[3], Meet meet, const F& f) {
  for (int64_t kd = 0; kd < g.KD; ++kd) {
    const int64_t a = meet(at[0], kd, g.stride_d, g.pad_d, g.dil_d, to[0]);
    if (a < 0) continue;
    for (int64_t kh = 0; kh < g.KH; ++kh) {
      const int64_t b = meet(at[1], kh, g.stride_h, g.pad_h, g.dil_h, to[1]);
      if (b < 0) continue;
      for (int64_t kw = 0; kw < g.KW; ++kw) {
        const int64_t c = meet(at[2], kw, g.stride_w, g.pad_w, g.dil_w, to[2]);
        if (c >= 0) f((kd * g.KH + kh) * g.KW + kw, (a * to[1] + b) * to[2] + c);
      }
    }
  }
}

// The output position along one dim that input position i meets through tap k, or -1 where none
// does (i + pad - k * dilation is not a whole number of strides inside the output).
inline int64_t tap_out(int64_t i, int64_t k, int64_t stride, int64_t pad, int64_t dil, int64_t size) {
  const int64_t s = i + pad - k * dil;
  if (s < 0 || s % stride != 0) return -1;
  return s / stride < size ? s / stride : -1;
}

// Output position p of y's (OD, OH, OW) as (od, oh, ow).
inline void out_position(const ConvGeom& g, int64_t p, int64_t (&at)[3]) {
  at[0] = p / (g.OH * g.OW), at[1] = p / g.OW % g.OH, at[2] = p % g.OW;
}

// x: (N, C, D, H, W), w: (OC, C/groups, KD, KH, KW), b: (OC) or null -> y: (N, OC, OD, OH, OW)
void conv_forward(const ConvGeom& g, const int64_t* x, const int64_t* w, const int64_t* b, int64_t* y) {
  const int64_t cg = g.C / g.groups, ocg = g.OC / g.groups, P = g.out_pixels(), T = g.taps();
  const int64_t in[3] = {g.D, g.H, g.W};
  parallel_for(g.N * g.OC, grain_for(P * cg * T), [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t n = t / g.OC, oc = t % g.OC, c0 = oc / ocg * cg;
      for (int64_t p = 0; p < P; ++p) {
        int64_t at[3];
        out_position(g, p, at);
        u64 acc = b ? static_cast<u64>(b[oc]) : 0;
        for (int64_t c = 0; c < cg; ++c) {
          const int64_t* xc = x + (n * g.C + c0 + c) * g.in_pixels();
          const int64_t* wc = w + (oc * cg + c) * T;
          for_each_tap(g, at, in, tap_in,
                       [&](int64_t tap, int64_t i) { acc += static_cast<u64>(xc[i]) * static_cast<u64>(wc[tap]); });
        }
        y[t * P + p] = static_cast<int64_t>(acc);
      }
    }
  });
}

// dy: (N, C, HW) -> db: (C)
void channel_sum(int64_t N, int64_t C, int64_t HW, const int64_t* dy, int64_t* db) {
  parallel_for(C, grain_for(N * HW), [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      u64 s = 0;
      for (int64_t n = 0; n < N; ++n)
        for (int64_t i = 0; i < HW; ++i) s += static_cast<u64>(dy[(n * C + c) * HW + i]);
      db[c] = static_cast<int64_t>(s);
    }
  });
}

// The gradients of conv_forward, each only where its pointer is non-null (a transposed
// convolution's forward is dx): dx: (N, C, D, H, W) from w and dy, dw: (OC, C/groups, KD, KH, KW)
// from x and dy, db: (OC).
void conv_backward(const ConvGeom& g, const int64_t* x, const int64_t* w, const int64_t* dy, int64_t* dx, int64_t* dw,
                   int64_t* db) {
  const int64_t cg = g.C / g.groups, ocg = g.OC / g.groups, P = g.out_pixels(), T = g.taps();
  const int64_t in[3] = {g.D, g.H, g.W}, out[3] = {g.OD, g.OH, g.OW};
  if (dx) {
    parallel_for(g.N * g.C, grain_for(g.in_pixels() * ocg * T), [&](int64_t t0, int64_t t1) {
      for (int64_t t = t0; t < t1; ++t) {
        const int64_t n = t / g.C, c = t % g.C, grp = c / cg, oc0 = grp * ocg;
        int64_t* xo = dx + t * g.in_pixels();
        for (int64_t i = 0; i < g.in_pixels(); ++i) {
          const int64_t at[3] = {i / (g.H * g.W), i / g.W % g.H, i % g.W};
          u64 acc = 0;
          for_each_tap(g, at, out, tap_out, [&](int64_t tap, int64_t q) {
            for (int64_t oc = oc0; oc < oc0 + ocg; ++oc)
              acc += static_cast<u64>(w[(oc * cg + c % cg) * T + tap]) * static_cast<u64>(dy[(n * g.OC + oc) * P + q]);
          });
          xo[i] = static_cast<int64_t>(acc);
        }
      }
    });
  }
  if (dw) {  // per (oc, c) pair, the taps' sums side by side
    parallel_for(g.OC * cg, grain_for(g.N * P * T), [&](int64_t t0, int64_t t1) {
      std::vector<u64> acc(T);
      for (int64_t t = t0; t < t1; ++t) {
        const int64_t oc = t / cg, c = oc / ocg * cg + t % cg;
        std::fill(acc.begin(), acc.end(), u64(0));
        for (int64_t n = 0; n < g.N; ++n) {
          const int64_t* xc = x + (n * g.C + c) * g.in_pixels();
          for (int64_t p = 0; p < P; ++p) {
            const u64 d = static_cast<u64>(dy[(n * g.OC + oc) * P + p]);
            int64_t at[3];
            out_position(g, p, at);
            for_each_tap(g, at, in, tap_in, [&](int64_t tap, int64_t i) { acc[tap] += static_cast<u64>(xc[i]) * d; });
          }
        }
        for (int64_t tap = 0; tap < T; ++tap) dw[t * T + tap] = static_cast<int64_t>(acc[tap]);
      }
    });
  }
  if (db) channel_sum(g.N, g.OC, P, dy, db);
}

// y: (N, C, HW) += b: (C)
void add_channel_bias(int64_t N, int64_t C, int64_t HW, const int64_t* b, int64_t* y) {
  parallel_for(N * C, grain_for(HW), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      for (int64_t i = 0; i < HW; ++i)
        y[r * HW + i] = static_cast<int64_t>(static_cast<u64>(y[r * HW + i]) + static_cast<u64>(b[r % C]));
  });
}

}  // namespace

template <>
const ConvKernels<int64_t>& kernels<ConvKernels<int64_t>>() {
  static const ConvKernels<int64_t> table = {&conv_forward, &conv_backward, &add_channel_bias, &channel_sum};
  return table;
}

}  // namespace rb::cpu
