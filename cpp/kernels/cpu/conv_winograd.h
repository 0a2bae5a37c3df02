// Winograd convolution (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016) for
// stride-1, undilated 2-D convolutions in float32. F(m x m, r x r) takes each m x m tile of output from an
// a x a tile of input (a = m + r - 1): both go to an a x a transform domain (input B^T d B, weight G g G^T),
// where the sum over input channels is a*a GEMMs (OC, C) x (C, tiles), and the result comes back through
// A^T m A. F(4x4, 3x3) makes 36 multiplies per 16 outputs of im2col's 144, a quarter of the GEMM flops: the
// lever that takes a convolution past the BLAS's own speed. Transposed weights (flipped, channels swapped)
// make the same code the convolution's dinput, so it serves the backward pass and transposed convolutions
// too, and the weight gradient is its own sum in the transform domain. The engine takes the transform as a
// type (F4x3 below). Internal to conv.cpp, through conv_winograd_paths.h.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include "blas.h"
#include "conv.h"
#include "loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace winograd {

constexpr int64_t kLanes = 16;  // tiles per block come in multiples of this: the transforms' vector loops

// Whether n floats hold an infinity or a nan: their exponent bits, tested without branches (vector code).
// Winograd mixes a whole tile's inputs in its transforms, so one non-finite input (or an overflow a direct
// sum would not make) spoils outputs the direct convolution keeps finite; the paths fall back to it then.
inline bool any_non_finite(const float* p, int64_t n) {
  uint32_t bad = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t u;
    std::memcpy(&u, p + i, sizeof u);
    bad |= static_cast<uint32_t>((u & 0x7f800000u) == 0x7f800000u);
  }
  return bad != 0;
}

// The 1-D transforms on In rows of L lanes (L a multiple of kLanes), rows `in_stride` / `out_stride`
// floats apart. Each runs kLanes lanes at a time through local arrays, which the compiler can see
// overlap nothing, so the arithmetic is vector code at any capability.
template <int64_t In, int64_t Out, class F>
inline void rows_by_lanes(const float* in, int64_t in_stride, float* out, int64_t out_stride, int64_t L, const F& f) {
  for (int64_t l0 = 0; l0 < L; l0 += kLanes) {
    float d[In][kLanes], o[Out][kLanes];
    for (int64_t r = 0; r < In; ++r) std::copy_n(in + r * in_stride + l0, kLanes, d[r]);
    for (int64_t l = 0; l < kLanes; ++l) f(d, o, l);
    for (int64_t r = 0; r < Out; ++r) std::copy_n(o[r], kLanes, out + r * out_stride + l0);
  }
}

// F(4x4, 3x3) on the points 0, 1, -1, 2, -2 and infinity. input_rows is B^T (6 -> 6), output_rows A^T
// (6 -> 4), grad_rows A (4 -> 6, the adjoint of output_rows: dy's tiles to the transform domain).
struct F4x3 {
  static constexpr int64_t kTile = 4, kTaps = 3, kIn = 6;
  static constexpr float kG[kIn][kTaps] = {{1.0f / 4, 0, 0},
                                           {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                                           {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                                           {1.0f / 24, 1.0f / 12, 1.0f / 6},
                                           {1.0f / 24, -1.0f / 12, 1.0f / 6},
                                           {0, 0, 1}};
  static void input_rows(const float* in, int64_t in_stride, float* out, int64_t out_stride, int64_t L) {
    rows_by_lanes<kIn, kIn>(in, in_stride, out, out_stride, L,
                            [](const float(&d)[kIn][kLanes], float(&o)[kIn][kLanes], int64_t l) {
                              const float a = d[4][l] - 4.0f * d[2][l], b = d[3][l] - 4.0f * d[1][l],
                                          c = d[4][l] - d[2][l], e = 2.0f * (d[3][l] - d[1][l]);
                              o[0][l] = 4.0f * d[0][l] - 5.0f * d[2][l] + d[4][l];
                              o[1][l] = a + b;
                              o[2][l] = a - b;
                              o[3][l] = c + e;
                              o[4][l] = c - e;
                              o[5][l] = 4.0f * d[1][l] - 5.0f * d[3][l] + d[5][l];
                            });
  }
  static void output_rows(const float* in, int64_t in_stride, float* out, int64_t out_stride, int64_t L) {
    rows_by_lanes<kIn, kTile>(
        in, in_stride, out, out_stride, L, [](const float(&m)[kIn][kLanes], float(&o)[kTile][kLanes], int64_t l) {
          const float s = m[1][l] + m[2][l], t = m[1][l] - m[2][l], u = m[3][l] + m[4][l], v = m[3][l] - m[4][l];
          o[0][l] = m[0][l] + s + u;
          o[1][l] = t + 2.0f * v;
          o[2][l] = s + 4.0f * u;
          o[3][l] = t + 8.0f * v + m[5][l];
        });
  }
  static void grad_rows(const float* in, int64_t in_stride, float* out, int64_t out_stride, int64_t L) {
    rows_by_lanes<kTile, kIn>(in, in_stride, out, out_stride, L,
                              [](const float(&m)[kTile][kLanes], float(&o)[kIn][kLanes], int64_t l) {
                                const float e = m[0][l] + m[2][l], f = m[1][l] + m[3][l], p = m[0][l] + 4.0f * m[2][l],
                                            q = 2.0f * m[1][l] + 8.0f * m[3][l];
                                o[0][l] = m[0][l];
                                o[1][l] = e + f;
                                o[2][l] = e - f;
                                o[3][l] = p + q;
                                o[4][l] = p - q;
                                o[5][l] = m[3][l];
                              });
  }
};

// One convolution for the kernels below: x (N, C, H, W) -> y (N, K, OH, OW); output (oh, ow) reads input
// rows oh - pad_h .. oh - pad_h + r - 1 and columns likewise, zero outside the map (any pad, even negative).
// Images are x_img / y_img elements apart, so a group is a channel slice of wider maps.
template <class F>
struct Geom {
  int64_t N, C, K, H, W, OH, OW, pad_h, pad_w, x_img, y_img;
  int64_t tiles_h() const { return (OH + F::kTile - 1) / F::kTile; }
  int64_t tiles_w() const { return (OW + F::kTile - 1) / F::kTile; }
  int64_t tiles() const { return N * tiles_h() * tiles_w(); }
};

// y = M x M^T on kLanes matrices at once, M (O, I) being G (a, r) itself or, with `kTranspose`, G^T (r, a):
// the weight's way into the transform domain and its gradient's way back. x: (I, I, kLanes), the half
// product h = M x: (O, I, kLanes), y: (O, O, kLanes); h and y are written whole.
template <bool kTranspose, int64_t A, int64_t R, int64_t I, int64_t O>
inline void sandwich(const float (&G)[A][R], const float (&x)[I][I][kLanes], float (&h)[O][I][kLanes],
                     float (&y)[O][O][kLanes]) {
  static_assert(kTranspose ? (I == A && O == R) : (I == R && O == A), "M must map I points to O");
  auto m = [&](int64_t o, int64_t i) { return kTranspose ? G[i][o] : G[o][i]; };
  for (int64_t o = 0; o < O; ++o)
    for (int64_t j = 0; j < I; ++j) {
      float acc[kLanes] = {};
      for (int64_t t = 0; t < I; ++t)
        for (int64_t l = 0; l < kLanes; ++l) acc[l] += m(o, t) * x[t][j][l];
      std::copy_n(acc, kLanes, h[o][j]);
    }
  for (int64_t o = 0; o < O; ++o)
    for (int64_t p = 0; p < O; ++p) {
      float acc[kLanes] = {};
      for (int64_t t = 0; t < I; ++t)
        for (int64_t l = 0; l < kLanes; ++l) acc[l] += h[o][t][l] * m(p, t);
      std::copy_n(acc, kLanes, y[o][p]);
    }
}

// w: (K, C, r, r) -> U: (a*a, K, C), U[xi] = G w[k][c] G^T; with `transposed`, w: (C, K, r, r) read flipped in
// both spatial dims with its two channel dims swapped, the weight of the convolution's dinput. Runs
// kLanes weights at a time as vector code: done on every call, it must stay small beside the products
// even when few tiles share many weights (256 channels on 8x8 maps).
template <class F>
void transform_weights(const float* w, int64_t K, int64_t C, bool transposed, float* U) {
  constexpr int64_t kIn = F::kIn, kXi = kIn * kIn, R = F::kTaps;
  constexpr auto& kG = F::kG;
  const int64_t P = K * C;  // U[xi]'s entries p = k * C + c, kLanes consecutive ones at a time (stores in order)
  parallel_for((P + kLanes - 1) / kLanes, grain_for(kXi * 12 * kLanes), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t p0 = b * kLanes, n = std::min(kLanes, P - p0);
      float g[R][R][kLanes] = {}, Gg[kIn][R][kLanes], u[kIn][kIn][kLanes];
      for (int64_t l = 0; l < n; ++l) {
        const int64_t p = p0 + l;
        if (!transposed) {
          const float* src = w + p * R * R;
          for (int64_t i = 0; i < R; ++i)
            for (int64_t j = 0; j < R; ++j) g[i][j][l] = src[i * R + j];
        } else {  // entry (k, c) is w[c][k], flipped
          const float* src = w + (p % C * K + p / C) * R * R;
          for (int64_t i = 0; i < R; ++i)
            for (int64_t j = 0; j < R; ++j) g[i][j][l] = src[(R - 1 - i) * R + R - 1 - j];
        }
      }
      sandwich<false>(kG, g, Gg, u);
      for (int64_t xi = 0; xi < kXi; ++xi) std::copy_n(u[xi / kIn][xi % kIn], n, U + xi * P + p0);
    }
  });
}

// Tiles per block: a block's transformed input (a*a, C, L) and products (a*a, K, L) sized to stay in L2, and
// small problems cut into kMinBlocks blocks or more so that threads share them. From the shapes alone, so
// the result does not depend on the thread count.
constexpr int64_t kMinBlocks = 4;
template <class F>
int64_t block_tiles(const Geom<F>& g) {
  constexpr int64_t kXi = F::kIn * F::kIn;
  constexpr int64_t budget = int64_t(768) << 10;
  const int64_t per_tile = kXi * (g.C + g.K) * static_cast<int64_t>(sizeof(float));
  const int64_t L = std::clamp<int64_t>(budget / per_tile / kLanes * kLanes, kLanes, 8 * kLanes);
  const int64_t share = (g.tiles() + kMinBlocks - 1) / kMinBlocks;
  return std::min(L, std::max<int64_t>(kLanes, (share + kLanes - 1) / kLanes * kLanes));
}

// Per-thread scratch, allocated before the parallel region (a failed allocation raises MemoryError):
// one channel's a x a input tiles and their half transform, (a*a, L) each, the block's transformed input
// (a*a, C, L) and its products (a*a, K, L).
template <class F>
class Scratch {
  static constexpr int64_t kXi = F::kIn * F::kIn;

 public:
  Scratch(const Geom<F>& g, int64_t L, int64_t threads)
      : L_(L), C_(g.C), per_thread_((2 * kXi + kXi * g.C + kXi * g.K) * L) {
    data_.reset(new float[static_cast<size_t>(per_thread_ * threads)]);
  }
  float* tiles(int64_t t) const { return data_.get() + t * per_thread_; }
  float* half(int64_t t) const { return tiles(t) + kXi * L_; }
  float* V(int64_t t) const { return half(t) + kXi * L_; }
  float* M(int64_t t) const { return V(t) + kXi * C_ * L_; }

 private:
  int64_t L_, C_, per_thread_;
  std::unique_ptr<float[]> data_;
};

// Where each tile of a block lies, found once per block (a tile's place takes two divisions, too many
// to repeat per channel): its image and the offsets of its first input and output element in the
// image's output channel planes, the input row and column its a x a window starts at (negative in the
// padding), and how much of it lies inside the maps. Lanes past the block's last tile, up to a whole
// kLanes, read zeros and write nothing.
template <class F>
struct Lanes {
  static constexpr int64_t kIn = F::kIn, kTile = F::kTile;
  int64_t n[8 * kLanes], ih0[8 * kLanes], iw0[8 * kLanes], out[8 * kLanes];
  int8_t rows[8 * kLanes], cols[8 * kLanes];  // output rows and columns inside the map (1..4)
  bool interior[8 * kLanes];                  // the whole a x a input tile inside the map
  Lanes(const Geom<F>& g, int64_t t0, int64_t tiles, int64_t L) {
    const int64_t th = g.tiles_h(), tw = g.tiles_w();
    for (int64_t l = tiles; l < L; ++l) {
      n[l] = out[l] = rows[l] = cols[l] = interior[l] = 0;
      ih0[l] = iw0[l] = -kIn;
    }
    for (int64_t l = 0; l < tiles; ++l) {
      const int64_t t = t0 + l, r = t % (th * tw), oh0 = r / tw * kTile, ow0 = r % tw * kTile;
      n[l] = t / (th * tw);
      ih0[l] = oh0 - g.pad_h;
      iw0[l] = ow0 - g.pad_w;
      out[l] = oh0 * g.OW + ow0;
      rows[l] = static_cast<int8_t>(std::min(kTile, g.OH - oh0));
      cols[l] = static_cast<int8_t>(std::min(kTile, g.OW - ow0));
      interior[l] = ih0[l] >= 0 && iw0[l] >= 0 && ih0[l] + kIn <= g.H && iw0[l] + kIn <= g.W;
    }
  }
};

// x: images as in Geom, the block's L tiles -> V: (a*a, C, L). d: one channel's a x a input tiles (a*a, L);
// e: their transform down the columns, B^T d.
template <class F>
void transform_input(const Geom<F>& g, const float* x, const Lanes<F>& at, int64_t L, float* d, float* e, float* V) {
  constexpr int64_t kIn = F::kIn, kXi = kIn * kIn;
  for (int64_t c = 0; c < g.C; ++c) {
    for (int64_t l = 0; l < L; ++l) {
      const float* xc = x + at.n[l] * g.x_img + c * g.H * g.W;
      if (at.interior[l]) {
        const float* src = xc + at.ih0[l] * g.W + at.iw0[l];
        for (int64_t i = 0; i < kIn; ++i)
          for (int64_t j = 0; j < kIn; ++j) d[(i * kIn + j) * L + l] = src[i * g.W + j];
      } else {  // zeros, then the part of the window inside the map
        const int64_t ih0 = at.ih0[l], iw0 = at.iw0[l];
        // rows [i0, i1) and columns [j0, j1) of the window lie in the map (empty when it lies in the padding)
        const int64_t i0 = std::max<int64_t>(0, -ih0), i1 = std::max(i0, std::min<int64_t>(g.H - ih0, kIn));
        const int64_t j0 = std::max<int64_t>(0, -iw0), j1 = std::max(j0, std::min<int64_t>(g.W - iw0, kIn));
        for (int64_t p = 0; p < kXi; ++p) d[p * L + l] = 0.0f;
        for (int64_t i = i0; i < i1; ++i)
          for (int64_t j = j0; j < j1; ++j) d[(i * kIn + j) * L + l] = xc[(ih0 + i) * g.W + iw0 + j];
      }
    }
    // B^T d down each column j (points i*6+j, 6L apart), then (B^T d) B along each row r, into V's
    // points r*6+s for channel c (C*L apart).
    for (int64_t j = 0; j < kIn; ++j) F::input_rows(d + j * L, kIn * L, e + j * L, kIn * L, L);
    for (int64_t r = 0; r < kIn; ++r) F::input_rows(e + r * kIn * L, L, V + (r * kIn * g.C + c) * L, g.C * L, L);
  }
}

// M: (a*a, K, L) products of the block's L tiles -> y, plus the bias; `half` is (m, a, L) scratch. False when
// a tile came out non-finite.
template <class F>
bool transform_output(const Geom<F>& g, const float* M, const float* bias, const Lanes<F>& at, int64_t L, float* half,
                      float* y) {
  constexpr int64_t kIn = F::kIn, kTile = F::kTile;
  float out[kTile * kTile * 8 * kLanes];
  bool finite = true;
  for (int64_t k = 0; k < g.K; ++k) {
    const float* Mk = M + k * L;
    // A^T m down each column j (points i*6+j), then each of the four rows through A on the right.
    for (int64_t j = 0; j < kIn; ++j) F::output_rows(Mk + j * g.K * L, kIn * g.K * L, half + j * L, kIn * L, L);
    for (int64_t i = 0; i < kTile; ++i) F::output_rows(half + i * kIn * L, L, out + i * kTile * L, L, L);
    finite = finite && !any_non_finite(out, kTile * kTile * L);
    const float b = bias != nullptr ? bias[k] : 0.0f;
    for (int64_t l = 0; l < L; ++l) {
      float* dst = y + at.n[l] * g.y_img + k * g.OH * g.OW + at.out[l];
      if (at.rows[l] == kTile && at.cols[l] == kTile) {  // fixed trip counts: the common whole tile
        for (int64_t i = 0; i < kTile; ++i)
          for (int64_t j = 0; j < kTile; ++j) dst[i * g.OW + j] = out[(i * kTile + j) * L + l] + b;
      } else {
        for (int64_t i = 0; i < at.rows[l]; ++i)
          for (int64_t j = 0; j < at.cols[l]; ++j) dst[i * g.OW + j] = out[(i * kTile + j) * L + l] + b;
      }
    }
  }
  return finite;
}

// Calls run(b0, b1, thread) on contiguous ranges of the blocks, one per thread, or once serially.
template <class Run>
void over_blocks(int64_t blocks, int nt, const Run& run) {
#ifdef RB_OPENMP
  if (nt > 1 && !omp_in_parallel()) {
#pragma omp parallel num_threads(nt)
    {
      const int64_t t = omp_get_thread_num(), TT = omp_get_num_threads();
      const int64_t chunk = (blocks + TT - 1) / TT, b0 = t * chunk, b1 = std::min(blocks, b0 + chunk);
      if (b0 < b1) run(b0, b1, t);
    }
    return;
  }
#endif
  (void)nt;
  run(int64_t(0), blocks, int64_t(0));
}

// x (N, C, H, W) * the transformed weight U (a*a, K, C) + bias (K) or null -> y (N, K, OH, OW), written
// whole. Blocks of tiles are split across the threads; the BLAS runs single-threaded inside, and since
// the blocks depend on the shapes alone, the result is the same at any thread count. False when an output
// came out non-finite (y is then to be computed another way).
template <class F>
bool convolve(const Geom<F>& g, const float* x, const float* U, const float* bias, float* y) {
  constexpr int64_t kXi = F::kIn * F::kIn;
  const int64_t T = g.tiles();
  if (T == 0 || g.K == 0) return true;
  const int64_t L = block_tiles(g), blocks = (T + L - 1) / L;
  const int nt = omp_in_parallel() ? 1 : static_cast<int>(std::min<int64_t>(num_threads(), blocks));
  Scratch<F> s(g, L, nt);
  std::unique_ptr<bool[]> finite(new bool[static_cast<size_t>(nt)]);
  std::fill_n(finite.get(), nt, true);
  auto run = [&](int64_t b0, int64_t b1, int64_t tid) {
    float *d = s.tiles(tid), *half = s.half(tid), *V = s.V(tid), *M = s.M(tid);
    for (int64_t b = b0; b < b1; ++b) {
      // n lanes, the last block's tiles rounded up to whole vectors
      const int64_t t0 = b * L, n = std::min(L, (T - t0 + kLanes - 1) / kLanes * kLanes);
      const Lanes<F> at(g, t0, std::min(L, T - t0), n);
      transform_input(g, x, at, n, d, half, V);
      for (int64_t xi = 0; xi < kXi; ++xi)
        gemm<float>(false, false, g.K, n, g.C, 1.0f, U + xi * g.K * g.C, g.C, V + xi * g.C * n, n, 0.0f,
                    M + xi * g.K * n, n);
      if (!transform_output(g, M, bias, at, n, half, y)) finite[tid] = false;
    }
  };
  over_blocks(blocks, nt, run);
  return std::all_of(finite.get(), finite.get() + nt, [](bool f) { return f; });
}

// dy: the block's m x m tiles of K channels (zeros past the map) -> Y: (a*a, K, L), A dy A^T. d: (m*m, L) and
// e: (a*m, L) scratch.
template <class F>
void transform_grad(const Geom<F>& g, const float* dy, const Lanes<F>& at, int64_t L, float* d, float* e, float* Y) {
  constexpr int64_t kIn = F::kIn, kTile = F::kTile;
  for (int64_t k = 0; k < g.K; ++k) {
    for (int64_t l = 0; l < L; ++l) {
      const float* src = dy + at.n[l] * g.y_img + k * g.OH * g.OW + at.out[l];
      const int64_t rows = at.rows[l], cols = at.cols[l];
      for (int64_t i = 0; i < kTile; ++i)
        for (int64_t j = 0; j < kTile; ++j)
          d[(i * kTile + j) * L + l] = i < rows && j < cols ? src[i * g.OW + j] : 0.0f;
    }
    // A down each column j (points i*4+j, 4L apart), then along each of the six rows, into Y's points
    // r*6+s for channel k (K*L apart).
    for (int64_t j = 0; j < kTile; ++j) F::grad_rows(d + j * L, kTile * L, e + j * L, kTile * L, L);
    for (int64_t r = 0; r < kIn; ++r) F::grad_rows(e + r * kTile * L, L, Y + (r * kIn * g.K + k) * L, g.K * L, L);
  }
}

// The weight gradient of convolve: x (N, C, H, W), dy (N, K, OH, OW) -> dw (K, C, r, r), written whole.
// In the transform domain it is one product per point summed over the tiles, dU[xi] = Y[xi] V[xi]^T
// (K, C), and dw = G^T dU G: again a quarter of im2col's flops. Each thread sums its blocks' products
// in its own dU, so the sums' order depends on the thread count (rb.use_deterministic_algorithms keeps
// the columns' path instead). False when dw came out non-finite, as convolve.
template <class F>
bool weight_grad(const Geom<F>& g, const float* x, const float* dy, float* dw) {
  constexpr int64_t kIn = F::kIn, kXi = kIn * kIn, R = F::kTaps;
  constexpr auto& kG = F::kG;
  const int64_t T = g.tiles(), KC = g.K * g.C;
  if (KC == 0) return true;
  const int64_t L = block_tiles(g), blocks = (T + L - 1) / L;
  const int nt =
      omp_in_parallel() ? 1 : static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(num_threads(), blocks)));
  Scratch<F> s(g, L, nt);
  std::unique_ptr<float[]> dU(new float[static_cast<size_t>(kXi * KC * nt)]());
  over_blocks(blocks, nt, [&](int64_t b0, int64_t b1, int64_t tid) {
    float *d = s.tiles(tid), *half = s.half(tid), *V = s.V(tid), *Y = s.M(tid), *acc = dU.get() + tid * kXi * KC;
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t t0 = b * L, n = std::min(L, (T - t0 + kLanes - 1) / kLanes * kLanes);
      const Lanes<F> at(g, t0, std::min(L, T - t0), n);
      transform_input(g, x, at, n, d, half, V);
      transform_grad(g, dy, at, n, d, half, Y);
      for (int64_t xi = 0; xi < kXi; ++xi)
        gemm<float>(false, true, g.K, g.C, n, 1.0f, Y + xi * g.K * n, n, V + xi * g.C * n, n, 1.0f, acc + xi * KC, g.C);
    }
  });
  // The threads' sums in thread order, then each (k, c) back through G^T . G to its r x r taps, kLanes
  // pairs at a time as vector code.
  parallel_for((KC + kLanes - 1) / kLanes, grain_for(kXi * (nt + 2 * R) * kLanes), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t p0 = b * kLanes, n = std::min(kLanes, KC - p0);
      float u[kIn][kIn][kLanes] = {}, Gu[R][kIn][kLanes], o[R][R][kLanes];
      for (int64_t xi = 0; xi < kXi; ++xi)
        for (int64_t t = 0; t < nt; ++t) {
          const float* src = dU.get() + t * kXi * KC + xi * KC + p0;
          for (int64_t l = 0; l < n; ++l) u[xi / kIn][xi % kIn][l] += src[l];
        }
      sandwich<true>(kG, u, Gu, o);
      for (int64_t l = 0; l < n; ++l)
        for (int64_t i = 0; i < R; ++i)
          for (int64_t j = 0; j < R; ++j) dw[((p0 + l) * R + i) * R + j] = o[i][j][l];
    }
  });
  return !any_non_finite(dw, KC * R * R);
}

}  // namespace winograd
RB_CPU_NAMESPACE_END
