// CPU grid_sample, forward and fused backward: each grid point's taps and weights once, applied to every channel.
// The arithmetic is the composite's (ops/composite_grid.cpp) step for step, so values and gradients agree with it.
#include "grid_sample.h"

#include <cmath>
#include <vector>

#include "loops.h"

namespace rb::cpu {
namespace {

// How a padded coordinate's gradient reaches the unpadded one, as the composite's ops pass it: the clip and the
// NaN fill drop it (a select, so even a NaN gradient), reflection flips it (the nearer end's sign, a tie splits
// it, the abs multiplies by the sign), and the unnormalization scales it.
template <class T>
struct PadGrad {
  bool keep = true;
  int dir = 1;  // reflection: 1 or -1 the fold's direction, 2 a tie of both ends, 0 neither (NaN), 3 x * 0
  T sign = 1;   // sign(x - low): the abs's
  T scale = 1;  // d unnormalized / d grid
  bool reflect = false;
  T apply(T dp) const {
    if (!keep) return T(0);
    if (reflect) {
      dp = dir == 1 ? dp : dir == -1 ? -dp : dir == 2 ? dp * T(0.5) - dp * T(0.5) : dir == 3 ? dp * T(0) : T(0);
      if (dir != 3) dp = dp * sign;
    }
    return dp * scale;
  }
};

// torch's grid_sampler_unnormalize, rounded as ATen's 2-d (vectorized) and 3-d kernels do (see the composite).
template <class T>
T unnormalize(T g, int64_t size, bool align, bool two_d, T* scale) {
  const double n = static_cast<double>(size);
  *scale = static_cast<T>(align ? (n - 1) / 2 : n / 2);
  if (two_d) {
    if (align) return (g + T(1)) * static_cast<T>((n - 1) / 2);
    // float32: one rounding of the fused multiply-subtract (exact product in double)
    return static_cast<T>(static_cast<double>(g + T(1)) * (n / 2) - 0.5);
  }
  if (align) return ((g + T(1)) / T(2)) * static_cast<T>(n - 1);
  return ((g + T(1)) * static_cast<T>(n) - T(1)) / T(2);
}

template <class T>
T sign_of(T v) {
  return v > 0 ? T(1) : v < 0 ? T(-1) : T(0);
}

// torch's reflect_coordinates into [twice_low / 2, twice_high / 2], as each ATen kernel folds (the composite's).
template <class T>
T reflect(T x, int64_t twice_low, int64_t twice_high, bool two_d, PadGrad<T>& pg) {
  pg.reflect = true;
  if (twice_low == twice_high) {
    pg.dir = 3;
    return x * T(0);
  }
  const double low = twice_low / 2.0, span = (twice_high - twice_low) / 2.0;
  const T shifted = x - static_cast<T>(low);
  const T in = std::fabs(shifted);
  pg.sign = sign_of(shifted);
  if (two_d) {
    const T folds = std::trunc(in / static_cast<T>(2 * span));
    T extra;
    if constexpr (std::is_same_v<T, float>)
      extra = static_cast<float>(static_cast<double>(in) - static_cast<double>(folds) * (2 * span));
    else
      extra = in - folds * (2 * span);
    const T other = -extra + static_cast<T>(2 * span);
    pg.dir = extra < other ? 1 : other < extra ? -1 : extra == other ? 2 : 0;
    const T m = std::isnan(extra) || std::isnan(other) ? extra + other : (other < extra ? other : extra);
    return m + static_cast<T>(low);
  }
  const T extra = std::fmod(in, static_cast<T>(span));
  const T flips = std::floor(in / static_cast<T>(span));
  const T half = std::floor(flips / T(2));
  const bool even = flips == half * T(2) || flips >= T(2147483648.0);
  pg.dir = even ? 1 : -1;
  return even ? extra + static_cast<T>(low) : -extra + static_cast<T>(span + low);
}

// torch's compute_coordinates: the padding mode brings a pixel position inside (zeros leaves it); a NaN clips to
// 0 in 2-d and to size - 1 in 3-d.
template <class T>
T pad_coordinate(T x, int64_t size, GridSamplePadding padding, bool align, bool two_d, PadGrad<T>& pg) {
  if (padding == GridSamplePadding::Zeros) return x;
  T c = x;
  if (padding == GridSamplePadding::Reflection)
    c = align ? reflect(x, 0, 2 * (size - 1), two_d, pg) : reflect(x, -1, 2 * size - 1, two_d, pg);
  const T hi = static_cast<T>(size - 1);
  pg.keep = c >= T(0) && c <= hi;
  if (std::isnan(c)) return two_d ? T(0) : hi;
  return c < T(0) ? T(0) : c > hi ? hi : c;
}

template <class T>
bool inside(T p, int64_t size) {
  return p >= T(0) && p <= static_cast<T>(size - 1);
}

// The taps of one grid point: up to 16 (flat offset, inside, weight), and what the backward needs.
template <class T>
struct Point {
  static constexpr int kMax = 16;
  int n = 0;
  bool all_in = true;  // every tap inside: the channel loops skip the per-tap test
  int64_t off[kMax];
  bool in[kMax];
  T w[kMax];
  // bilinear: per axis (outermost first) the lower and upper weights; bicubic: the x and y coefficients
  T lo_w[3], hi_w[3];
  T cx[4], cy[4], t[2];
  PadGrad<T> pg[3];
};

// g: the point's S coordinates (x first). sizes: (D,) H, W. S and the mode are compile-time, so the axis and
// corner loops unroll.
template <class T, int S, GridSampleMode M>
inline void taps(const GridSampleGeom& geo, const T* g, Point<T>& P) {
  const bool two_d = S == 2;
  const int64_t sizes[3] = {two_d ? geo.IH : geo.ID, two_d ? geo.IW : geo.IH, geo.IW};
  const bool align = geo.align_corners;
  if (M == GridSampleMode::Bicubic) {
    constexpr double A = -0.75;
    auto far = [](T x) {
      return ((x * static_cast<T>(A) - static_cast<T>(5 * A)) * x + static_cast<T>(8 * A)) * x - static_cast<T>(4 * A);
    };
    auto near = [](T x) { return ((x * static_cast<T>(A + 2) - static_cast<T>(A + 3)) * x) * x + T(1); };
    T pos[2][4];  // y taps, x taps
    for (int a = 0; a < 2; ++a) {
      const T x = unnormalize(g[1 - a], sizes[a], align, true, &P.pg[a].scale);
      const T x0 = std::floor(x), t = x - x0;
      P.t[a] = t;
      T* c = a ? P.cx : P.cy;
      const T mt = -t;
      c[0] = far(t + T(1)), c[1] = near(t), c[2] = near(mt + T(1)), c[3] = far(mt + T(2));
      for (int i = 0; i < 4; ++i) {
        PadGrad<T> unused;
        pos[a][i] = pad_coordinate(x0 + static_cast<T>(i - 1), sizes[a], geo.padding, align, true, unused);
      }
    }
    P.n = 16;
    P.all_in = true;
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 4; ++i) {
        const int k = 4 * j + i;
        P.in[k] = inside(pos[0][j], sizes[0]) && inside(pos[1][i], sizes[1]);
        P.off[k] = P.in[k] ? static_cast<int64_t>(pos[0][j]) * sizes[1] + static_cast<int64_t>(pos[1][i]) : 0;
        P.w[k] = P.cx[i];
        P.all_in = P.all_in && P.in[k];
      }
    return;
  }
  T p[3];
  for (int k = 0; k < S; ++k) {
    P.pg[k] = PadGrad<T>();
    const T x = unnormalize(g[S - 1 - k], sizes[k], align, two_d, &P.pg[k].scale);
    p[k] = pad_coordinate(x, sizes[k], geo.padding, align, two_d, P.pg[k]);
  }
  if (M == GridSampleMode::Nearest) {  // round half to even, as torch's nearbyint
    P.n = 1;
    bool in = true;
    int64_t off = 0;
    for (int k = 0; k < S; ++k) {
      p[k] = std::nearbyint(p[k]);
      in = in && inside(p[k], sizes[k]);
    }
    if (in)
      for (int k = 0; k < S; ++k) off = off * sizes[k] + static_cast<int64_t>(p[k]);
    P.in[0] = in, P.off[0] = off, P.w[0] = T(1), P.all_in = in;
    return;
  }
  T lo[3];
  for (int k = 0; k < S; ++k) {
    lo[k] = std::floor(p[k]);
    P.hi_w[k] = p[k] - lo[k];
    P.lo_w[k] = two_d ? -P.hi_w[k] + T(1) : (lo[k] + T(1)) - p[k];
  }
  // The 2^S corners, x's bit the lowest; each weight the product of the axes' weights, x's first.
  P.n = 1 << S;
  P.all_in = true;
  for (int corner = 0; corner < P.n; ++corner) {
    bool in = true;
    int64_t off = 0;
    T w = T(0);
    for (int k = S - 1; k >= 0; --k) {
      const bool upper = (corner >> (S - 1 - k)) & 1;
      const T pos = upper ? lo[k] + T(1) : lo[k];
      in = in && inside(pos, sizes[k]);
      const T wk = upper ? P.hi_w[k] : P.lo_w[k];
      w = k == S - 1 ? wk : w * wk;
    }
    if (in) {
      for (int k = 0; k < S; ++k) off = off * sizes[k] + static_cast<int64_t>(lo[k] + T((corner >> (S - 1 - k)) & 1));
    }
    P.in[corner] = in, P.off[corner] = off, P.w[corner] = w;
    P.all_in = P.all_in && in;
  }
}

// The taps of a row of OW points, whose coordinates start at g.
template <class T, int S, GridSampleMode M>
void row_taps(const GridSampleGeom& geo, const T* g, Point<T>* ps) {
  for (int64_t ow = 0; ow < geo.OW; ++ow) taps<T, S, M>(geo, g + ow * S, ps[ow]);
}

template <class T>
using RowTaps = void (*)(const GridSampleGeom&, const T*, Point<T>*);

template <class T>
RowTaps<T> row_taps_for(const GridSampleGeom& g) {
  if (g.mode == GridSampleMode::Bicubic) return &row_taps<T, 2, GridSampleMode::Bicubic>;
  if (g.mode == GridSampleMode::Nearest)
    return g.dims == 2 ? &row_taps<T, 2, GridSampleMode::Nearest> : &row_taps<T, 3, GridSampleMode::Nearest>;
  return g.dims == 2 ? &row_taps<T, 2, GridSampleMode::Bilinear> : &row_taps<T, 3, GridSampleMode::Bilinear>;
}

// The 2-d kernels multiply an outside tap's 0 by its weight (a NaN weight gives NaN); the 3-d and nearest ones
// skip it.
template <class T>
bool skips_outside(const GridSampleGeom& g) {
  return g.dims == 3 || g.mode == GridSampleMode::Nearest;
}

// One output row of channel c: ps holds the row's points. K taps (1 nearest, 4 bilinear, 8 trilinear), summed in
// the composite's order.
template <class T, int K, bool Skip>
void sample_row(const Point<T>* ps, int64_t OW, const T* xc, T* yrow) {
  for (int64_t ow = 0; ow < OW; ++ow) {
    const Point<T>& P = ps[ow];
    T acc;
    if (P.all_in) {
      acc = xc[P.off[0]] * P.w[0];
      for (int k = 1; k < K; ++k) acc = acc + xc[P.off[k]] * P.w[k];
    } else {
      acc = T(0);
      for (int k = 0; k < K; ++k) {
        const T term = Skip ? (P.in[k] ? xc[P.off[k]] * P.w[k] : T(0)) : (P.in[k] ? xc[P.off[k]] : T(0)) * P.w[k];
        acc = k ? acc + term : term;
      }
    }
    yrow[ow] = acc;
  }
}

// Bicubic: each row of 4 taps along x, then the 4 rows along y.
template <class T, bool AllIn>
T bicubic_point(const Point<T>& P, const T* xc) {
  T acc = T(0);
  for (int j = 0; j < 4; ++j) {
    T rowv = T(0);
    for (int i = 0; i < 4; ++i) {
      const int k = 4 * j + i;
      const T term = (AllIn || P.in[k] ? xc[P.off[k]] : T(0)) * P.w[k];
      rowv = i ? rowv + term : term;
    }
    const T term = P.cy[j] * rowv;
    acc = j ? acc + term : term;
  }
  return acc;
}

template <class T>
void sample_row_bicubic(const Point<T>* ps, int64_t OW, const T* xc, T* yrow) {
  for (int64_t ow = 0; ow < OW; ++ow)
    yrow[ow] = ps[ow].all_in ? bicubic_point<T, true>(ps[ow], xc) : bicubic_point<T, false>(ps[ow], xc);
}

template <class T>
using RowSampler = void (*)(const Point<T>*, int64_t, const T*, T*);

template <class T>
RowSampler<T> row_sampler(const GridSampleGeom& g) {
  if (g.mode == GridSampleMode::Bicubic) return &sample_row_bicubic<T>;
  if (g.mode == GridSampleMode::Nearest) return &sample_row<T, 1, true>;
  return g.dims == 2 ? &sample_row<T, 4, false> : &sample_row<T, 8, true>;
}

// x: (N, C, ID, IH, IW), grid: (N, OD, OH, OW, dims) -> y: (N, C, OD, OH, OW). A row's taps once, then channel by
// channel, so each reads one input plane and writes one output row.
template <class T>
void forward(const GridSampleGeom& g, const T* x, const T* grid, T* y) {
  const int64_t in_plane = g.ID * g.IH * g.IW, out_plane = g.OD * g.OH * g.OW, rows = g.OD * g.OH;
  const RowSampler<T> sample = row_sampler<T>(g);
  const RowTaps<T> row_taps = row_taps_for<T>(g);
  parallel_for(g.N * rows, grain_for(g.OW * g.C * 8), [&](int64_t b, int64_t e) {
    std::vector<Point<T>> ps(static_cast<size_t>(g.OW));
    for (int64_t r = b; r < e; ++r) {
      const int64_t n = r / rows, row = r % rows;
      row_taps(g, grid + (n * out_plane + row * g.OW) * g.dims, ps.data());
      for (int64_t c = 0; c < g.C; ++c)
        sample(ps.data(), g.OW, x + (n * g.C + c) * in_plane, y + (n * g.C + c) * out_plane + row * g.OW);
    }
  });
}

// d/dx of the composite's cubic weights (far: 1 < x < 2, near: x <= 1), by the chain its ops record.
template <class T>
T far_grad(T x, T d) {
  constexpr T A = T(-0.75);
  const T a = x * A - T(5) * A, b = a * x + T(8) * A;
  return d * b + (d * x) * a + ((d * x) * x) * A;
}
template <class T>
T near_grad(T x, T d) {
  constexpr T A = T(-0.75);
  const T a = x * (A + T(2)) - (A + T(3)), b = a * x;
  return d * b + (d * x) * a + ((d * x) * x) * (A + T(2));
}

// One output row of channel c: each tap's weight gets dy * its value (dw, (OW, 16)), its pixel dy * its weight;
// bicubic's y coefficients get dy * their row (dcy, (OW, 4)).
template <class T, int K, bool Bicubic, bool WantDx>
void backward_row(const Point<T>* ps, int64_t OW, const T* dyrow, const T* xc, T* dxc, T* dw, T* dcy) {
  for (int64_t ow = 0; ow < OW; ++ow) {
    const Point<T>& P = ps[ow];
    const T d = dyrow[ow];
    T* dwp = dw + ow * Point<T>::kMax;
    if (Bicubic) {
      for (int j = 0; j < 4; ++j) {
        const T drow = d * P.cy[j];
        T rowv = T(0);
        for (int i = 0; i < 4; ++i) {
          const int k = 4 * j + i;
          const bool in = P.all_in || P.in[k];
          const T v = in ? xc[P.off[k]] : T(0);
          const T term = v * P.w[k];
          rowv = i ? rowv + term : term;
          dwp[k] += drow * v;
          if (WantDx && in) dxc[P.off[k]] += drow * P.w[k];
        }
        dcy[ow * 4 + j] += d * rowv;
      }
      continue;
    }
    if (P.all_in) {
      for (int k = 0; k < K; ++k) {
        if (K > 1) dwp[k] += d * xc[P.off[k]];  // nearest: the grid gets no gradient
        if (WantDx) dxc[P.off[k]] += d * P.w[k];
      }
      continue;
    }
    for (int k = 0; k < K; ++k) {
      if (!P.in[k]) continue;
      if (K > 1) dwp[k] += d * xc[P.off[k]];  // nearest: the grid gets no gradient
      if (WantDx) dxc[P.off[k]] += d * P.w[k];
    }
  }
}

template <class T>
using RowBackward = void (*)(const Point<T>*, int64_t, const T*, const T*, T*, T*, T*);

template <class T, bool WantDx>
RowBackward<T> row_backward(const GridSampleGeom& g) {
  if (g.mode == GridSampleMode::Bicubic) return &backward_row<T, 16, true, WantDx>;
  if (g.mode == GridSampleMode::Nearest) return &backward_row<T, 1, false, WantDx>;
  return g.dims == 2 ? &backward_row<T, 4, false, WantDx> : &backward_row<T, 8, false, WantDx>;
}

// A point's grid gradient from its taps' weight gradients dw and (bicubic) dcy, by the chain the composite's ops
// record.
template <class T, int S>
void grid_grad(const GridSampleGeom& g, const Point<T>& P, const T* dw, const T* dcy, T* dg) {
  if (g.mode == GridSampleMode::Nearest) {  // round's gradient is 0
    for (int k = 0; k < S; ++k) dg[k] = T(0);
  } else if (g.mode == GridSampleMode::Bicubic) {
    T dc[2][4] = {{dcy[0], dcy[1], dcy[2], dcy[3]}, {0, 0, 0, 0}};
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 4; ++i) dc[1][i] += dw[4 * j + i];
    for (int a = 0; a < 2; ++a) {
      const T t = P.t[a], mt = -t;
      const T dt = far_grad(t + T(1), dc[a][0]) + near_grad(t, dc[a][1]) - near_grad(mt + T(1), dc[a][2]) -
                   far_grad(mt + T(2), dc[a][3]);
      dg[1 - a] = dt * P.pg[a].scale;
    }
  } else {
    // weight = ((w_x * w_y) [* w_z]): each axis' weight gets dW times the others', as mul's backward
    const bool skip = skips_outside<T>(g);
    T dlo[3] = {0, 0, 0}, dhi[3] = {0, 0, 0};
    for (int corner = 0; corner < (1 << S); ++corner) {
      const T dW = skip && !P.in[corner] ? T(0) : dw[corner];
      T wk[3];
      for (int k = 0; k < S; ++k) wk[k] = ((corner >> (S - 1 - k)) & 1) ? P.hi_w[k] : P.lo_w[k];
      T d_k[3];
      if constexpr (S == 2) {
        d_k[1] = dW * wk[0], d_k[0] = dW * wk[1];
      } else {
        const T dxy = dW * wk[0];
        d_k[0] = dW * (wk[2] * wk[1]), d_k[2] = dxy * wk[1], d_k[1] = dxy * wk[2];
      }
      for (int k = 0; k < S; ++k) ((corner >> (S - 1 - k)) & 1 ? dhi : dlo)[k] += d_k[k];
    }
    for (int k = 0; k < S; ++k) dg[S - 1 - k] = P.pg[k].apply(dhi[k] - dlo[k]);
  }
}

// dy: (N, C, OD, OH, OW) -> dx (N, C, ID, IH, IW), dgrid (N, OD, OH, OW, dims): the composite's gradients in one
// pass. dx is accumulated per image, so images run in parallel and each sums in a fixed order.
template <class T>
void backward(const GridSampleGeom& g, const T* dy, const T* x, const T* grid, T* dx, T* dgrid) {
  const int64_t in_plane = g.ID * g.IH * g.IW, out_plane = g.OD * g.OH * g.OW, rows = g.OD * g.OH;
  const int S = g.dims;
  const RowTaps<T> row_taps = row_taps_for<T>(g);
  const RowBackward<T> sweep = dx ? row_backward<T, true>(g) : row_backward<T, false>(g);
  if (dx) std::fill(dx, dx + g.N * g.C * in_plane, T(0));
  if (!dx && g.mode == GridSampleMode::Nearest) {  // nothing reaches the grid through round
    std::fill(dgrid, dgrid + g.N * out_plane * S, T(0));
    return;
  }
  parallel_for(g.N, grain_for(out_plane * g.C * 8), [&](int64_t b, int64_t e) {
    std::vector<Point<T>> ps(static_cast<size_t>(g.OW));
    std::vector<T> dw(static_cast<size_t>(g.OW * Point<T>::kMax)), dcy(static_cast<size_t>(g.OW * 4));
    for (int64_t n = b; n < e; ++n) {
      for (int64_t row = 0; row < rows; ++row) {
        const int64_t l0 = row * g.OW;
        row_taps(g, grid + (n * out_plane + l0) * S, ps.data());
        std::fill(dw.begin(), dw.end(), T(0));
        std::fill(dcy.begin(), dcy.end(), T(0));
        for (int64_t c = 0; c < g.C; ++c) {
          const int64_t plane = n * g.C + c;
          const T* dyrow = dy + plane * out_plane + l0;
          T* dxc = dx ? dx + plane * in_plane : nullptr;
          sweep(ps.data(), g.OW, dyrow, x + plane * in_plane, dxc, dw.data(), dcy.data());
        }
        if (dgrid)
          for (int64_t ow = 0; ow < g.OW; ++ow)
            (S == 2 ? &grid_grad<T, 2> : &grid_grad<T, 3>)(g, ps[ow], dw.data() + ow * Point<T>::kMax,
                                                           dcy.data() + ow * 4, dgrid + (n * out_plane + l0 + ow) * S);
      }
    }
  });
}

}  // namespace

void grid_sample_forward(const GridSampleGeom& g, const void* x, const void* grid, void* y) {
  if (g.dtype == DType::Float64)
    return forward(g, static_cast<const double*>(x), static_cast<const double*>(grid), static_cast<double*>(y));
  forward(g, static_cast<const float*>(x), static_cast<const float*>(grid), static_cast<float*>(y));
}

void grid_sample_backward(const GridSampleGeom& g, const void* dy, const void* x, const void* grid, void* dx,
                          void* dgrid) {
  if (g.dtype == DType::Float64)
    return backward(g, static_cast<const double*>(dy), static_cast<const double*>(x), static_cast<const double*>(grid),
                    static_cast<double*>(dx), static_cast<double*>(dgrid));
  backward(g, static_cast<const float*>(dy), static_cast<const float*>(x), static_cast<const float*>(grid),
           static_cast<float*>(dx), static_cast<float*>(dgrid));
}

template <>
const GridSampleKernels& kernels<GridSampleKernels>() {
  static const GridSampleKernels table = {&grid_sample_forward, &grid_sample_backward};
  return table;
}

}  // namespace rb::cpu
