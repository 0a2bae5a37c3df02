// CPU batch normalization: each channel is a set of N runs of L contiguous values. Statistics and
// the backward reductions go channel by channel (threads over channels); normalization goes plane
// by plane (threads over N*C), so both stay parallel when C is small. Layer normalization: each row
// is independent (threads over rows), except the weight and bias gradients, summed over rows by
// column blocks (threads over blocks) so no two threads add into the same value. Group norm: each
// group of channels is a contiguous row (threads over groups), its backward sums go plane by plane
// (threads over N*C). RMS norm: layer norm's layout without the mean.
#include "norm.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "loops.h"

RB_CPU_NAMESPACE_BEGIN

// Batch norm's per-channel sums run over N rows of L values (rows `stride` apart) in double, as
// PyTorch's CPU kernel accumulates. One running sum is a serial chain of adds, 4 cycles each, that the
// compiler may not reorder (no fast-math); over_row_lanes hands each value its lane k of kRowLanes
// instead, so the callers' kRowLanes partial sums are independent vector adds (four AVX2 vectors).
// f(i, k): i the value's offset from the channel's first, k its lane; rows shorter than a block of
// lanes (4x4 maps) still fill lanes from 0.
constexpr int64_t kRowLanes = 16;
template <class F>
inline void over_row_lanes(int64_t N, int64_t L, int64_t stride, const F& f) {
  for (int64_t n = 0; n < N; ++n) {
    const int64_t row = n * stride;
    int64_t l = 0;
    for (; l + kRowLanes <= L; l += kRowLanes)
      for (int64_t k = 0; k < kRowLanes; ++k) f(row + l + k, k);
    for (; l < L; ++l) f(row + l, l % kRowLanes);
  }
}
inline double lanes_total(const double (&acc)[kRowLanes]) {
  double s = 0;
  for (double a : acc) s += a;
  return s;
}

// x: (N, C, L) -> mean, var: (C).
void batch_norm_stats(const NormGeom& g, const void* x, double* mean, double* var) {
  const int64_t N = g.N, C = g.C, L = g.L;
  RB_DISPATCH_FLOATING(g.dtype, "batch_norm", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    const double M = static_cast<double>(N * L);
    parallel_for(C, grain_for(N * L), [&](int64_t b, int64_t e) {
      for (int64_t c = b; c < e; ++c) {
        // Two passes (the mean, then the squared deviations from it): sum(x^2)/M - mean^2 cancels when
        // the spread is small next to the mean.
        double s[kRowLanes] = {}, ss[kRowLanes] = {};
        const T* xc = px + c * L;
        over_row_lanes(N, L, C * L, [&](int64_t i, int64_t k) { s[k] += static_cast<double>(xc[i]); });
        const double m = lanes_total(s) / M;
        over_row_lanes(N, L, C * L, [&](int64_t i, int64_t k) {
          const double d = static_cast<double>(xc[i]) - m;
          ss[k] += d * d;
        });
        mean[c] = m;
        var[c] = lanes_total(ss) / M;
      }
    });
  });
}

// x: (N, C, L); mean, invstd, weight, bias: (C) -> y: (N, C, L).
void batch_norm_forward(const NormGeom& g, const void* x, const double* mean, const double* invstd, const void* weight,
                        const void* bias, void* y) {
  const int64_t N = g.N, C = g.C, L = g.L;
  RB_DISPATCH_FLOATING(g.dtype, "batch_norm", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    const T* pw = static_cast<const T*>(weight);
    const T* pb = static_cast<const T*>(bias);
    T* py = static_cast<T*>(y);
    parallel_for(N * C, grain_for(L), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        int64_t c = p % C;
        // y = x * a + k, with a and k folded per channel.
        T a = static_cast<T>(invstd[c] * (pw ? static_cast<double>(pw[c]) : 1.0));
        T k = static_cast<T>((pb ? static_cast<double>(pb[c]) : 0.0) - mean[c] * static_cast<double>(a));
        const T* xr = px + p * L;
        T* yr = py + p * L;
        for (int64_t l = 0; l < L; ++l) yr[l] = xr[l] * a + k;
      }
    });
  });
}

// dy, x: (N, C, L); mean, invstd, weight: (C) -> dx: (N, C, L), dweight, dbias: (C).
void batch_norm_backward(const NormGeom& geom, const void* dy, const void* x, const double* mean, const double* invstd,
                         const void* weight, bool training, void* dx, void* dweight, void* dbias) {
  const int64_t N = geom.N, C = geom.C, L = geom.L;
  RB_DISPATCH_FLOATING(geom.dtype, "batch_norm_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dy);
    const T* px = static_cast<const T*>(x);
    const T* pw = static_cast<const T*>(weight);
    // Per channel: sum(dy) and sum(dy * (x - mean)).
    std::vector<double> sg(C), sgx(C);
    parallel_for(C, grain_for(N * L), [&](int64_t b, int64_t e) {
      for (int64_t c = b; c < e; ++c) {
        double s[kRowLanes] = {}, sx[kRowLanes] = {};
        const double m = mean[c];
        const T *gc = pg + c * L, *xc = px + c * L;
        over_row_lanes(N, L, C * L, [&](int64_t i, int64_t k) {
          const double g = gc[i];
          s[k] += g;
          sx[k] += g * (static_cast<double>(xc[i]) - m);
        });
        sg[c] = lanes_total(s), sgx[c] = lanes_total(sx);
      }
    });
    if (dweight) {
      T* p = static_cast<T*>(dweight);
      for (int64_t c = 0; c < C; ++c) p[c] = static_cast<T>(sgx[c] * invstd[c]);
    }
    if (dbias) {
      T* p = static_cast<T*>(dbias);
      for (int64_t c = 0; c < C; ++c) p[c] = static_cast<T>(sg[c]);
    }
    if (!dx) return;
    T* pd = static_cast<T*>(dx);
    const double M = static_cast<double>(N * L);
    parallel_for(N * C, grain_for(L), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        int64_t c = p % C;
        double w = pw ? static_cast<double>(pw[c]) : 1.0, is = invstd[c];
        const T* gr = pg + p * L;
        T* dr = pd + p * L;
        if (!training) {
          T a = static_cast<T>(w * is);
          for (int64_t l = 0; l < L; ++l) dr[l] = gr[l] * a;
          continue;
        }
        // dx = (dy - mean(dy) - (x - mean) * proj) * w * invstd, as PyTorch's kernel: not expanded into
        // a * dy + k1 * x + k0, whose terms cancel when x is close to the mean (few values per channel).
        const T* xr = px + p * L;
        T ta = static_cast<T>(w * is), tm = static_cast<T>(mean[c]), gm = static_cast<T>(sg[c] / M),
          proj = static_cast<T>(sgx[c] / M * is * is);
        for (int64_t l = 0; l < L; ++l) dr[l] = (gr[l] - gm - (xr[l] - tm) * proj) * ta;
      }
    });
  });
}

// A row's sum of term(j), j < n, in kLanes partial sums of the term's type, then added in double:
// the fixed-width inner loop is a few vector adds per step (8 floats wide on AVX2), where a single
// running sum is a serial chain the compiler may not reorder (no fast-math). Each float lane sums
// n / 32 terms, as accurate as PyTorch's float accumulation of layer norm rows.
constexpr int64_t kLanes = 32;
template <class F>
inline double lane_sum(int64_t n, F term) {
  using A = decltype(term(0));
  A acc[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (int64_t k = 0; k < kLanes; ++k) acc[k] += term(j + k);
  double s = 0;
  for (; j < n; ++j) s += term(j);
  for (int64_t k = 0; k < kLanes; ++k) s += acc[k];
  return s;
}

// A row's mean and 1 / sqrt(biased variance + eps), in two passes (the mean, then the centred
// squares): exact where one pass of sum-of-squares would cancel.
template <class T>
inline std::pair<double, double> row_moments(const T* xr, int64_t n, double eps) {
  const double mu = lane_sum(n, [&](int64_t j) { return xr[j]; }) / static_cast<double>(n);
  const T tmu = static_cast<T>(mu);
  const double ss = lane_sum(n, [&](int64_t j) {
    const T d = xr[j] - tmu;
    return d * d;
  });
  return {mu, 1.0 / std::sqrt(ss / static_cast<double>(n) + eps)};
}

// Column sums over the M rows of (M, N) data: threads over blocks of 64 columns, each owning its
// columns and walking all rows (rows stay sequential in memory), so no two threads add into the
// same value. add(m, j0, nb, a0, a1) adds row m's columns j0 .. j0 + nb into two accumulators of T
// (vectorized 8 floats wide on AVX2), which are added into double every kChunk rows;
// store(j0, nb, a0, a1) writes the double sums out.
template <class T, class Add, class Store>
void column_block_sums(int64_t M, int64_t N, Add add, Store store) {
  constexpr int64_t kBlock = 64, kChunk = 32;
  parallel_for((N + kBlock - 1) / kBlock, grain_for(M * kBlock), [&](int64_t b, int64_t e) {
    double a0[kBlock], a1[kBlock];
    T c0[kBlock], c1[kBlock];
    for (int64_t blk = b; blk < e; ++blk) {
      const int64_t j0 = blk * kBlock, nb = std::min(kBlock, N - j0);
      std::fill(a0, a0 + nb, 0.0), std::fill(a1, a1 + nb, 0.0);
      for (int64_t m0 = 0; m0 < M; m0 += kChunk) {
        std::fill(c0, c0 + nb, T(0)), std::fill(c1, c1 + nb, T(0));
        for (int64_t m = m0; m < std::min(M, m0 + kChunk); ++m) add(m, j0, nb, c0, c1);
        for (int64_t j = 0; j < nb; ++j) a0[j] += c0[j], a1[j] += c1[j];
      }
      store(j0, nb, a0, a1);
    }
  });
}

// x: (M, N) = (rows, cols); weight, bias: (N) -> y: (M, N), mean, rstd: (M).
void layer_norm_forward(const NormGeom& g, const void* x, double eps, const void* weight, const void* bias, void* y,
                        void* mean, void* rstd) {
  const int64_t M = g.rows, N = g.cols;
  RB_DISPATCH_FLOATING(g.dtype, "layer_norm", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    const T* pw = static_cast<const T*>(weight);
    const T* pb = static_cast<const T*>(bias);
    T* py = static_cast<T*>(y);
    T* pm = static_cast<T*>(mean);
    T* pr = static_cast<T*>(rstd);
    parallel_for(M, grain_for(N), [&](int64_t b, int64_t e) {
      for (int64_t m = b; m < e; ++m) {
        const T* xr = px + m * N;
        T* yr = py + m * N;
        const auto [mu, r] = row_moments(xr, N, eps);
        pm[m] = static_cast<T>(mu), pr[m] = static_cast<T>(r);
        const T tr = static_cast<T>(r), tk = static_cast<T>(-mu * r);  // xhat = x * tr + tk
        if (pw && pb)
          for (int64_t j = 0; j < N; ++j) yr[j] = (xr[j] * tr + tk) * pw[j] + pb[j];
        else if (pw)
          for (int64_t j = 0; j < N; ++j) yr[j] = (xr[j] * tr + tk) * pw[j];
        else if (pb)
          for (int64_t j = 0; j < N; ++j) yr[j] = xr[j] * tr + tk + pb[j];
        else
          for (int64_t j = 0; j < N; ++j) yr[j] = xr[j] * tr + tk;
      }
    });
  });
}

// dy, x: (M, N) = (rows, cols); mean, rstd: (M); weight: (N) -> dx: (M, N), dweight, dbias: (N).
void layer_norm_backward(const NormGeom& g, const void* dy, const void* x, const void* mean, const void* rstd,
                         const void* weight, void* dx, void* dweight, void* dbias) {
  const int64_t M = g.rows, N = g.cols;
  RB_DISPATCH_FLOATING(g.dtype, "layer_norm_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dy);
    const T* px = static_cast<const T*>(x);
    const T* pw = static_cast<const T*>(weight);
    const T* pm = static_cast<const T*>(mean);
    const T* pr = static_cast<const T*>(rstd);
    T* pd = static_cast<T*>(dx);
    const bool cols = dweight || dbias;
    // One pass over the rows for everything: each slot of rows computes its rows' dx and sums its
    // own columns of dy * xhat and dy (in T for kChunk rows at a time, then in double); the slots'
    // column sums are added afterwards. dy and x are read once, not once for dx and again for the
    // weight and bias gradients.
    constexpr int64_t kChunk = 32;
    // Slots fixed by the size, not the thread count, so the column sums do not depend on it.
    const int64_t slots = std::clamp<int64_t>(M * N / kGrain, 1, 16);
    std::vector<double> parts(cols ? 2 * slots * N : 0, 0.0);
    parallel_for(slots, 1, [&](int64_t s0, int64_t s1) {
      std::vector<T> cw(cols ? N : 0), cb(cols ? N : 0);
      for (int64_t s = s0; s < s1; ++s) {
        const int64_t m0 = s * M / slots, m1 = (s + 1) * M / slots;
        double* aw = cols ? parts.data() + 2 * s * N : nullptr;
        double* ab = cols ? aw + N : nullptr;
        for (int64_t c0 = m0; c0 < m1; c0 += kChunk) {
          if (cols) std::fill(cw.begin(), cw.end(), T(0)), std::fill(cb.begin(), cb.end(), T(0));
          for (int64_t m = c0; m < std::min(m1, c0 + kChunk); ++m) {
            const T* gr = pg + m * N;
            const T* xr = px + m * N;
            const T tmu = pm[m], tr = pr[m], tk = -pm[m] * pr[m];  // xhat = x * tr + tk, as the forward
            if (cols)
              for (int64_t j = 0; j < N; ++j) cw[j] += gr[j] * (xr[j] * tr + tk), cb[j] += gr[j];
            if (!pd) continue;
            // Row sums of gw and gw * xhat, then dx = a * gw + k1 * x + k0 with xhat expanded.
            const double mu = pm[m], r = pr[m];
            double sg, sgx;
            if (pw) {
              sg = lane_sum(N, [&](int64_t j) { return gr[j] * pw[j]; });
              sgx = lane_sum(N, [&](int64_t j) { return gr[j] * pw[j] * (xr[j] - tmu); }) * r;
            } else {
              sg = lane_sum(N, [&](int64_t j) { return gr[j]; });
              sgx = lane_sum(N, [&](int64_t j) { return gr[j] * (xr[j] - tmu); }) * r;
            }
            const double inv_n = 1.0 / static_cast<double>(N);
            const T ta = static_cast<T>(r), k1 = static_cast<T>(-r * r * sgx * inv_n),
                    k0 = static_cast<T>(r * (r * sgx * inv_n * mu - sg * inv_n));
            T* dr = pd + m * N;
            if (pw)
              for (int64_t j = 0; j < N; ++j) dr[j] = gr[j] * pw[j] * ta + xr[j] * k1 + k0;
            else
              for (int64_t j = 0; j < N; ++j) dr[j] = gr[j] * ta + xr[j] * k1 + k0;
          }
          if (cols)
            for (int64_t j = 0; j < N; ++j) aw[j] += cw[j], ab[j] += cb[j];
        }
      }
    });
    if (!cols) return;
    T* dw = static_cast<T*>(dweight);
    T* db = static_cast<T*>(dbias);
    for (int64_t j = 0; j < N; ++j) {
      double w = 0, b = 0;
      for (int64_t s = 0; s < slots; ++s) w += parts[2 * s * N + j], b += parts[(2 * s + 1) * N + j];
      if (dw) dw[j] = static_cast<T>(w);
      if (db) db[j] = static_cast<T>(b);
    }
  });
}

// x: (N, C, HW); weight, bias: (C) -> y: (N, C, HW), mean, rstd: (N * G).
void group_norm_forward(const NormGeom& g, const void* x, double eps, const void* weight, const void* bias, void* y,
                        void* mean, void* rstd) {
  const int64_t N = g.N, C = g.C, HW = g.L, G = g.G;
  RB_DISPATCH_FLOATING(g.dtype, "group_norm", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    const T* pw = static_cast<const T*>(weight);
    const T* pb = static_cast<const T*>(bias);
    T* py = static_cast<T*>(y);
    T* pm = static_cast<T*>(mean);
    T* pr = static_cast<T*>(rstd);
    const int64_t Cg = C / G, D = Cg * HW;
    parallel_for(N * G, grain_for(D), [&](int64_t b, int64_t e) {
      for (int64_t row = b; row < e; ++row) {
        const T* xr = px + row * D;
        T* yr = py + row * D;
        // The group's statistics as layer norm's (two passes over the row), then one pass per channel
        // with the affine folded: y = (x - mean) * a + k, centred first so a constant group gives
        // exactly bias (x * a - mean * a would leave the rounding of two large products).
        const auto [mu, r] = row_moments(xr, D, eps);
        pm[row] = static_cast<T>(mu), pr[row] = static_cast<T>(r);
        const int64_t c0 = (row % G) * Cg;
        for (int64_t i = 0; i < Cg; ++i) {
          const double w = pw ? static_cast<double>(pw[c0 + i]) : 1.0, bb = pb ? static_cast<double>(pb[c0 + i]) : 0.0;
          const T a = static_cast<T>(r * w), k = static_cast<T>(bb), tm = static_cast<T>(mu);
          const T* xp = xr + i * HW;
          T* yp = yr + i * HW;
          for (int64_t l = 0; l < HW; ++l) yp[l] = (xp[l] - tm) * a + k;
        }
      }
    });
  });
}

// dy, x: (N, C, HW); mean, rstd: (N * G); weight: (C) -> dx: (N, C, HW), dweight, dbias: (C).
void group_norm_backward(const NormGeom& g, const void* dy, const void* x, const void* mean, const void* rstd,
                         const void* weight, void* dx, void* dweight, void* dbias) {
  const int64_t N = g.N, C = g.C, HW = g.L, G = g.G;
  RB_DISPATCH_FLOATING(g.dtype, "group_norm_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dy);
    const T* px = static_cast<const T*>(x);
    const T* pw = static_cast<const T*>(weight);
    const T* pm = static_cast<const T*>(mean);
    const T* pr = static_cast<const T*>(rstd);
    const int64_t Cg = C / G;
    // Per plane (n, c): sum(dy) and sum(dy * (x - mean)), centred so float data does not cancel.
    std::vector<double> sg(N * C), sgx(N * C);
    parallel_for(N * C, grain_for(HW), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const T* gr = pg + p * HW;
        const T* xr = px + p * HW;
        const T mu = pm[(p / C) * G + (p % C) / Cg];
        sg[p] = lane_sum(HW, [&](int64_t l) { return gr[l]; });
        sgx[p] = lane_sum(HW, [&](int64_t l) { return gr[l] * (xr[l] - mu); });
      }
    });
    if (dweight || dbias) {
      T* dw = static_cast<T*>(dweight);
      T* db = static_cast<T*>(dbias);
      for (int64_t c = 0; c < C; ++c) {
        double aw = 0, ab = 0;
        for (int64_t n = 0; n < N; ++n) {
          aw += sgx[n * C + c] * static_cast<double>(pr[n * G + c / Cg]);
          ab += sg[n * C + c];
        }
        if (dw) dw[c] = static_cast<T>(aw);
        if (db) db[c] = static_cast<T>(ab);
      }
    }
    if (!dx) return;
    // Per group: the row sums of gw = dy * w and gw * xhat, from the plane sums; then, plane by
    // plane, dx = (dy * w) * rstd + x * k1 + k0 (layer norm's closed form with xhat expanded).
    std::vector<double> k1(N * G), k0(N * G);
    const double inv_d = 1.0 / static_cast<double>(Cg * HW);
    for (int64_t row = 0; row < N * G; ++row) {
      const int64_t n = row / G, c0 = (row % G) * Cg;
      double s = 0, sx = 0;
      for (int64_t i = 0; i < Cg; ++i) {
        const double w = pw ? static_cast<double>(pw[c0 + i]) : 1.0;
        s += w * sg[n * C + c0 + i], sx += w * sgx[n * C + c0 + i];
      }
      const double mu = pm[row], r = pr[row];
      sx *= r;
      k1[row] = -r * r * sx * inv_d, k0[row] = r * (r * sx * inv_d * mu - s * inv_d);
    }
    T* pd = static_cast<T*>(dx);
    parallel_for(N * C, grain_for(HW), [&](int64_t b, int64_t e) {
      for (int64_t p = b; p < e; ++p) {
        const int64_t c = p % C, row = (p / C) * G + c / Cg;
        const T a = static_cast<T>(static_cast<double>(pr[row]) * (pw ? static_cast<double>(pw[c]) : 1.0));
        const T t1 = static_cast<T>(k1[row]), t0 = static_cast<T>(k0[row]);
        const T* gr = pg + p * HW;
        const T* xr = px + p * HW;
        T* dr = pd + p * HW;
        for (int64_t l = 0; l < HW; ++l) dr[l] = gr[l] * a + xr[l] * t1 + t0;
      }
    });
  });
}

// x: (M, N) = (rows, cols); weight: (N) -> y: (M, N), rstd: (M).
void rms_norm_forward(const NormGeom& g, const void* x, double eps, const void* weight, void* y, void* rstd) {
  const int64_t M = g.rows, N = g.cols;
  RB_DISPATCH_FLOATING(g.dtype, "rms_norm", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    const T* pw = static_cast<const T*>(weight);
    T* py = static_cast<T*>(y);
    T* pr = static_cast<T*>(rstd);
    parallel_for(M, grain_for(N), [&](int64_t b, int64_t e) {
      for (int64_t m = b; m < e; ++m) {
        const T* xr = px + m * N;
        T* yr = py + m * N;
        const double ss = lane_sum(N, [&](int64_t j) { return xr[j] * xr[j]; });
        const double r = 1.0 / std::sqrt(ss / static_cast<double>(N) + eps);
        pr[m] = static_cast<T>(r);
        const T tr = static_cast<T>(r);
        if (pw)
          for (int64_t j = 0; j < N; ++j) yr[j] = xr[j] * tr * pw[j];
        else
          for (int64_t j = 0; j < N; ++j) yr[j] = xr[j] * tr;
      }
    });
  });
}

// dy, x: (M, N) = (rows, cols); rstd: (M); weight: (N) -> dx: (M, N), dweight: (N).
void rms_norm_backward(const NormGeom& g, const void* dy, const void* x, const void* rstd, const void* weight, void* dx,
                       void* dweight) {
  const int64_t M = g.rows, N = g.cols;
  RB_DISPATCH_FLOATING(g.dtype, "rms_norm_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dy);
    const T* px = static_cast<const T*>(x);
    const T* pw = static_cast<const T*>(weight);
    const T* pr = static_cast<const T*>(rstd);
    if (dweight) {
      T* dw = static_cast<T*>(dweight);
      column_block_sums<T>(
          M, N,
          [&](int64_t m, int64_t j0, int64_t nb, T* aw, T*) {
            const T* gr = pg + m * N + j0;
            const T* xr = px + m * N + j0;
            const T r = pr[m];
            for (int64_t j = 0; j < nb; ++j) aw[j] += gr[j] * xr[j] * r;
          },
          [&](int64_t j0, int64_t nb, const double* aw, const double*) {
            for (int64_t j = 0; j < nb; ++j) dw[j0 + j] = static_cast<T>(aw[j]);
          });
    }
    if (!dx) return;
    T* pd = static_cast<T*>(dx);
    parallel_for(M, grain_for(N), [&](int64_t b, int64_t e) {
      for (int64_t m = b; m < e; ++m) {
        const T* gr = pg + m * N;
        const T* xr = px + m * N;
        T* dr = pd + m * N;
        const double r = pr[m];
        // sum(gw * xhat), then dx = gw * r + x * k1 with xhat = x * r expanded.
        const double sgx = (pw ? lane_sum(N, [&](int64_t j) { return gr[j] * pw[j] * xr[j]; })
                               : lane_sum(N, [&](int64_t j) { return gr[j] * xr[j]; })) *
                           r;
        const T ta = static_cast<T>(r), k1 = static_cast<T>(-r * r * sgx / static_cast<double>(N));
        if (pw)
          for (int64_t j = 0; j < N; ++j) dr[j] = gr[j] * pw[j] * ta + xr[j] * k1;
        else
          for (int64_t j = 0; j < N; ++j) dr[j] = gr[j] * ta + xr[j] * k1;
      }
    });
  });
}

extern const NormKernels norm_kernels = {&batch_norm_stats,    &batch_norm_forward,  &batch_norm_backward,
                                         &layer_norm_forward,  &layer_norm_backward, &group_norm_forward,
                                         &group_norm_backward, &rms_norm_forward,    &rms_norm_backward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(NormKernels, norm_kernels)
