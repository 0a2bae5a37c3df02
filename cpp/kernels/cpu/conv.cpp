// Convolution on the CPU, 1-D, 2-D and 3-D alike: per image, im2col (conv_columns.h) into a
// thread's own buffer, then one GEMM per group; small maps put several images' columns in one GEMM, a window covering
// the whole input is a dense layer (no columns), depthwise convolutions loop directly, and float 3x3 stride-1
// convolutions with enough channels take Winograd (conv_winograd_paths.h) for all three products. Images
// are split across OpenMP threads (the BLAS runs single-threaded inside); with fewer images than threads the loop runs
// serially and cpu::gemm splits each product instead.
#include "conv.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "blas.h"
#include "conv_columns.h"
#include "conv_winograd_paths.h"
#include "loops.h"

RB_CPU_NAMESPACE_BEGIN

// Declared before use so the calls below bind to this capability's copy, not the dispatching wrapper.
template <class T>
void channel_sum(int64_t N, int64_t C, int64_t HW, const T* dy, T* db);

namespace {

using namespace conv_detail;

// A 1x1 convolution with stride 1 and no padding reads the image itself as its columns.
inline bool direct_columns(const ConvGeom& g) {
  return g.KH == 1 && g.KW == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_h == 0 && g.pad_w == 0 && g.OH == g.H &&
         g.OW == g.W && g.KD == 1 && g.stride_d == 1 && g.pad_d == 0 && g.OD == g.D;
}

// The block shape: columns small enough to stay in L2 while the GEMM packs them (a whole image's,
// 2.4 MB for 64 channels at 32x32, would come from memory), yet 256 pixels or more so the GEMM
// stays efficient. Whole rows when one fits, else pieces of a row (long conv1d sequences). Small
// maps (16 pixels at 4x4) put several whole images side by side instead: one image alone would
// make a GEMM of a few columns, dominated by packing the weights. Volumes take whole depth planes
// when a plane fits.
struct BlockShape {
  int64_t planes, rows, cols, images;
};
inline BlockShape block_shape(const ConvGeom& g, size_t itemsize) {
  constexpr int64_t budget = int64_t(768) << 10;  // measured best of 256 KB .. 4 MB on a 2 MB L2
  const int64_t pixel_bytes = std::max<int64_t>(1, g.C * g.taps() * static_cast<int64_t>(itemsize));
  const int64_t pixels = std::max<int64_t>(256, budget / pixel_bytes);
  if (pixels < g.OW) return {1, 1, pixels, 1};
  const int64_t rows = std::min(std::max<int64_t>(1, g.OH), pixels / std::max<int64_t>(1, g.OW));
  if (rows < g.OH) return {1, rows, g.OW, 1};
  const int64_t planes = std::min(std::max<int64_t>(1, g.OD), pixels / std::max<int64_t>(1, g.OH * g.OW));
  const int64_t images = planes == g.OD && g.out_pixels() > 0 ? std::max<int64_t>(1, pixels / g.out_pixels()) : 1;
  return {planes, rows, g.OW, images};
}
template <class F>
void for_blocks(const ConvGeom& g, const BlockShape& s, const F& f) {
  for (int64_t od0 = 0; od0 < g.OD; od0 += s.planes)
    for (int64_t oh0 = 0; oh0 < g.OH; oh0 += s.rows)
      for (int64_t ow0 = 0; ow0 < g.OW; ow0 += s.cols)
        f(Block{od0, std::min(g.OD, od0 + s.planes), oh0, std::min(g.OH, oh0 + s.rows), ow0,
                std::min(g.OW, ow0 + s.cols)});
}

// The per-thread scratch, allocated before any parallel region so a failed allocation raises
// (std::bad_alloc -> MemoryError) instead of ending the process inside OpenMP: one image's phases,
// the columns of one block, and, when small images are folded into one product, that product
// before it is spread. Uninitialized on purpose: every element is written before it is read.
template <class T>
class Workspace {
 public:
  Workspace(const ConvGeom& g, const BlockShape& bs, bool direct, int64_t images, int64_t threads) {
    if (g.N == 0 || direct) return;
    phase_elems_ = g.C * Phases(g).per_channel(g);
    col_elems_ = g.C * g.taps() * bs.planes * bs.rows * bs.cols * images;
    const int64_t folded = images > 1 ? g.OC * g.out_pixels() * images : 0;
    per_thread_ = (phase_elems_ + col_elems_ + folded + 15) / 16 * 16;  // 64-byte strides between threads
    data_.reset(new T[static_cast<size_t>(per_thread_ * threads)]);
  }
  T* phases(int64_t t) const { return data_ ? data_.get() + t * per_thread_ : nullptr; }
  T* col(int64_t t) const { return data_ ? phases(t) + phase_elems_ : nullptr; }
  T* folded(int64_t t) const { return data_ ? col(t) + col_elems_ : nullptr; }

 private:
  std::unique_ptr<T[]> data_;
  int64_t phase_elems_ = 0, col_elems_ = 0, per_thread_ = 0;
};

// Whole images per thread pay off only with enough images and enough arithmetic.
inline bool batch_parallel(const ConvGeom& g, int nt) {
  double flops = 2.0 * g.N * g.OC * (g.C / g.groups) * g.taps() * g.out_pixels();
  return nt > 1 && g.N >= nt && flops >= kParallelGemmFlops && !omp_in_parallel();
}

// Calls body(n0, n1, tid) on contiguous image ranges, one per thread, or once serially. The bodies fold
// `fold` images into one product from n0 on; rb.use_deterministic_algorithms starts every range at a
// multiple of it, so the folds (and the products' rounding) are those of a serial run.
template <class F>
void over_images(const ConvGeom& g, bool parallel, int nt, int64_t fold, const F& body) {
#ifdef RB_OPENMP
  if (parallel) {
    const int64_t align = deterministic() ? fold : 1;
#pragma omp parallel num_threads(nt)
    {
      int64_t t = omp_get_thread_num(), T_ = omp_get_num_threads();
      int64_t chunk = ((g.N + T_ - 1) / T_ + align - 1) / align * align, b = t * chunk, e = std::min(g.N, b + chunk);
      if (b < e) body(b, e, t);
    }
    return;
  }
#endif
  (void)nt;
  (void)parallel;
  (void)fold;
  body(0, g.N, 0);
}

// Runs f(c0, c1) over the image's channels: all at once on a thread that owns whole images,
// else split across the threads.
template <class F>
void over_channels(const ConvGeom& g, bool par, int64_t pixels, const F& f) {
  if (par)
    f(int64_t(0), g.C);
  else
    parallel_for(g.C, grain_for(g.taps() * pixels), f);
}

// x: m whole images (C, D, H, W) -> col: (C*KD*KH*KW, m*OD*OH*OW), image i's columns at i*OD*OH*OW;
// ph: one image's phase scratch.
template <class T>
void folded_columns(const ConvGeom& g, const Phases& phs, bool par, const T* x, int64_t m, T* ph, T* col) {
  const int64_t OHW = g.out_pixels(), CHW = g.C * g.in_pixels();
  over_channels(g, par, m * OHW, [&](int64_t c0, int64_t c1) {
    for (int64_t i = 0; i < m; ++i) {
      phase_split(g, phs, x + i * CHW, ph, c0, c1);
      im2col(g, phs, ph, col + i * OHW, c0, c1, whole_image(g), m * OHW);
    }
  });
}

// Depthwise (one input channel per group): a GEMM per channel would be a 1 x KH*KW product,
// all call overhead, so these loop over the planes directly (2-D only; volumes take the GEMMs).
inline bool depthwise(const ConvGeom& g) { return g.groups > 1 && g.C == g.groups && g.planar(); }

// x: (N, C, H, W), w: (C*M, 1, KH, KW), b: (C*M) or null -> y: (N, C*M, OH, OW), M = OC / C
template <class T>
void depthwise_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y) {
  const int64_t M = g.OC / g.C, OHW = g.OH * g.OW, KK = g.KH * g.KW;
  parallel_for(g.N * g.OC, grain_for(OHW * KK), [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t n = p / g.OC, oc = p % g.OC;
      const T* xc = x + (n * g.C + oc / M) * g.H * g.W;
      const T* wk = w + oc * KK;
      T* yp = y + p * OHW;
      std::fill(yp, yp + OHW, b != nullptr ? b[oc] : T(0));
      for (int64_t kh = 0; kh < g.KH; ++kh) {
        for (int64_t kw = 0; kw < g.KW; ++kw) {
          const T wv = wk[kh * g.KW + kw];
          int64_t off_w = kw * g.dil_w - g.pad_w, lo, hi;
          valid_range(off_w, g.stride_w, g.W, g.OW, lo, hi);
          for (int64_t oh = 0; oh < g.OH; ++oh) {
            int64_t ih = oh * g.stride_h - g.pad_h + kh * g.dil_h;
            if (ih < 0 || ih >= g.H) continue;
            const T* src = xc + ih * g.W;  // output column ow reads src[ow * stride_w + off_w]
            T* dst = yp + oh * g.OW;
            if (g.stride_w == 1) {
              const T* q = src + (lo + off_w);
              for (int64_t j = 0; j < hi - lo; ++j) dst[lo + j] += wv * q[j];
            } else {
              for (int64_t ow = lo; ow < hi; ++ow) dst[ow] += wv * src[ow * g.stride_w + off_w];
            }
          }
        }
      }
    }
  });
}

// The gradients of depthwise_forward: dx planes, dw and db per output channel, each when non-null.
// x: (N, C, H, W), w: (C*M, 1, KH, KW), dy: (N, C*M, OH, OW)
template <class T>
void depthwise_backward(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db) {
  const int64_t M = g.OC / g.C, OHW = g.OH * g.OW, KK = g.KH * g.KW;
  if (dx != nullptr) {
    parallel_for(g.N * g.C, grain_for(M * OHW * KK), [&](int64_t p0, int64_t p1) {
      for (int64_t p = p0; p < p1; ++p) {
        const int64_t n = p / g.C, c = p % g.C;
        T* dxp = dx + p * g.H * g.W;
        std::fill(dxp, dxp + g.H * g.W, T(0));
        for (int64_t m = 0; m < M; ++m) {
          const int64_t oc = c * M + m;
          const T* dyp = dy + (n * g.OC + oc) * OHW;
          for (int64_t kh = 0; kh < g.KH; ++kh) {
            for (int64_t kw = 0; kw < g.KW; ++kw) {
              const T wv = w[oc * KK + kh * g.KW + kw];
              int64_t off_w = kw * g.dil_w - g.pad_w, lo, hi;
              valid_range(off_w, g.stride_w, g.W, g.OW, lo, hi);
              for (int64_t oh = 0; oh < g.OH; ++oh) {
                int64_t ih = oh * g.stride_h - g.pad_h + kh * g.dil_h;
                if (ih < 0 || ih >= g.H) continue;
                T* dst = dxp + ih * g.W;  // output column ow adds to dst[ow * stride_w + off_w]
                const T* src = dyp + oh * g.OW;
                if (g.stride_w == 1) {
                  T* d = dst + (lo + off_w);
                  for (int64_t j = 0; j < hi - lo; ++j) d[j] += wv * src[lo + j];
                } else {
                  for (int64_t ow = lo; ow < hi; ++ow) dst[ow * g.stride_w + off_w] += wv * src[ow];
                }
              }
            }
          }
        }
      }
    });
  }
  if (dw == nullptr && db == nullptr) return;
  parallel_for(g.OC, grain_for(g.N * OHW * KK), [&](int64_t o0, int64_t o1) {
    for (int64_t oc = o0; oc < o1; ++oc) {
      if (db != nullptr) {
        T s = T(0);
        for (int64_t n = 0; n < g.N; ++n) {
          const T* dyp = dy + (n * g.OC + oc) * OHW;
          for (int64_t i = 0; i < OHW; ++i) s += dyp[i];
        }
        db[oc] = s;
      }
      if (dw == nullptr) continue;
      for (int64_t kh = 0; kh < g.KH; ++kh) {
        for (int64_t kw = 0; kw < g.KW; ++kw) {
          int64_t off_w = kw * g.dil_w - g.pad_w, lo, hi;
          valid_range(off_w, g.stride_w, g.W, g.OW, lo, hi);
          T s = T(0);
          for (int64_t n = 0; n < g.N; ++n) {
            const T* xc = x + (n * g.C + oc / M) * g.H * g.W;
            const T* dyp = dy + (n * g.OC + oc) * OHW;
            for (int64_t oh = 0; oh < g.OH; ++oh) {
              int64_t ih = oh * g.stride_h - g.pad_h + kh * g.dil_h;
              if (ih < 0 || ih >= g.H) continue;
              const T* src = xc + ih * g.W;  // output column ow reads src[ow * stride_w + off_w]
              const T* d = dyp + oh * g.OW;
              if (g.stride_w == 1) {
                const T* q = src + (lo + off_w);
                for (int64_t j = 0; j < hi - lo; ++j) s += d[lo + j] * q[j];
              } else {
                for (int64_t ow = lo; ow < hi; ++ow) s += d[ow] * src[ow * g.stride_w + off_w];
              }
            }
          }
          dw[oc * KK + kh * g.KW + kw] = s;
        }
      }
    }
  });
}

// A window that covers the whole (unpadded) input with one output pixel makes the convolution a
// dense layer on the flattened image: no columns to build, one GEMM over the batch. The DCGAN
// generator's first layer (its 1x1 latent to 4x4) and the discriminator's last are this.
inline bool dense(const ConvGeom& g) {
  return g.OH == 1 && g.OW == 1 && g.pad_h == 0 && g.pad_w == 0 && g.KH == g.H && g.KW == g.W &&
         (g.dil_h == 1 || g.KH == 1) && (g.dil_w == 1 || g.KW == 1) && g.OD == 1 && g.pad_d == 0 && g.KD == g.D &&
         (g.dil_d == 1 || g.KD == 1);
}

// x: (N, C*D*H*W), w: (OC, C/groups*D*H*W), b: (OC) or null -> y: (N, OC), each group a slice of the rows.
template <class T>
void dense_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y) {
  const int64_t CHW = g.C * g.in_pixels(), OCg = g.OC / g.groups, Kg = CHW / g.groups;
  if (b != nullptr)
    for (int64_t n = 0; n < g.N; ++n) std::copy_n(b, g.OC, y + n * g.OC);
  for (int64_t gr = 0; gr < g.groups; ++gr)
    gemm<T>(false, true, g.N, OCg, Kg, T(1), x + gr * Kg, CHW, w + gr * OCg * Kg, Kg, b != nullptr ? T(1) : T(0),
            y + gr * OCg, g.OC);
}

// The gradients of dense_forward, each when non-null: dx = dy w, dw = dy^T x, db = the sum of dy's rows.
template <class T>
void dense_backward(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db) {
  const int64_t CHW = g.C * g.in_pixels(), OCg = g.OC / g.groups, Kg = CHW / g.groups;
  for (int64_t gr = 0; gr < g.groups; ++gr) {
    if (dx != nullptr)
      gemm<T>(false, false, g.N, Kg, OCg, T(1), dy + gr * OCg, g.OC, w + gr * OCg * Kg, Kg, T(0), dx + gr * Kg, CHW);
    if (dw != nullptr)
      gemm<T>(true, false, OCg, Kg, g.N, T(1), dy + gr * OCg, g.OC, x + gr * Kg, CHW, T(0), dw + gr * OCg * Kg, Kg);
  }
  if (db != nullptr) channel_sum(g.N, g.OC, 1, dy, db);
}

}  // namespace

// x: (N, C, D, H, W), w: (OC, C/groups, KD, KH, KW), b: (OC) or null -> y: (N, OC, OD, OH, OW);
// D = KD = OD = 1 for a 2-D convolution.
template <class T>
void conv_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y) {
  if (depthwise(g)) return depthwise_forward(g, x, w, b, y);
  if (dense(g)) return dense_forward(g, x, w, b, y);
  if constexpr (std::is_same_v<T, float>)
    if (winograd::try_forward(g, x, w, b, y)) return;
  // OHW, CHW: one image's output (input) channel, all its depth planes; columns of Kg rows.
  const int64_t OHW = g.out_pixels(), CHW = g.C * g.in_pixels(), Cg = g.C / g.groups, OCg = g.OC / g.groups,
                Kg = Cg * g.taps();
  const bool direct = direct_columns(g);
  const int nt = num_threads();
  const bool par = batch_parallel(g, nt);
  const BlockShape bs = block_shape(g, sizeof(T));
  const int64_t nb = direct ? 1 : bs.images;
  const Phases phs(g);
  Workspace<T> ws(g, bs, direct, nb, par ? nt : 1);
  over_images(g, par, nt, nb, [&](int64_t n0, int64_t n1, int64_t t) {
    T *ph = ws.phases(t), *col = ws.col(t);
    for (int64_t n = n0; n < n1; n += nb) {
      const int64_t m = std::min(nb, n1 - n);
      const T* xn = x + n * CHW;
      T* yn = y + n * g.OC * OHW;
      if (m > 1) {  // m small images: one product (OC, m*OHW), then spread over the images
        const int64_t P = m * OHW;
        T* out = ws.folded(t);
        folded_columns(g, phs, par, xn, m, ph, col);
        for (int64_t gr = 0; gr < g.groups; ++gr)
          gemm<T>(false, false, OCg, P, Kg, T(1), w + gr * OCg * Kg, Kg, col + gr * Kg * P, P, T(0), out + gr * OCg * P,
                  P);
        for (int64_t i = 0; i < m; ++i)
          for (int64_t oc = 0; oc < g.OC; ++oc) {
            const T* src = out + oc * P + i * OHW;
            T* dst = yn + (i * g.OC + oc) * OHW;
            const T bias = b != nullptr ? b[oc] : T(0);
            for (int64_t p = 0; p < OHW; ++p) dst[p] = src[p] + bias;
          }
        continue;
      }
      if (b != nullptr) {
        for (int64_t oc = 0; oc < g.OC; ++oc) std::fill(yn + oc * OHW, yn + (oc + 1) * OHW, b[oc]);
      }
      const T beta = b != nullptr ? T(1) : T(0);
      if (direct) {
        for (int64_t gr = 0; gr < g.groups; ++gr)
          gemm<T>(false, false, OCg, OHW, Kg, T(1), w + gr * OCg * Kg, Kg, xn + gr * Kg * OHW, OHW, beta,
                  yn + gr * OCg * OHW, OHW);
        continue;
      }
      over_channels(g, par, OHW, [&](int64_t c0, int64_t c1) { phase_split(g, phs, xn, ph, c0, c1); });
      for_blocks(g, bs, [&](const Block& blk) {
        const int64_t P = blk.pixels(), p0 = blk.offset(g);
        over_channels(g, par, P, [&](int64_t c0, int64_t c1) { im2col(g, phs, ph, col, c0, c1, blk, P); });
        for (int64_t gr = 0; gr < g.groups; ++gr)
          gemm<T>(false, false, OCg, P, Kg, T(1), w + gr * OCg * Kg, Kg, col + gr * Kg * P, P, beta,
                  yn + gr * OCg * OHW + p0, OHW);
      });
    }
  });
}

// x: (N, C, D, H, W), w: (OC, C/groups, KD, KH, KW), dy: (N, OC, OD, OH, OW)
//   -> dx: (N, C, D, H, W), dw: (OC, C/groups, KD, KH, KW), db: (OC), each only when non-null.
template <class T>
void conv_backward(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db) {
  if (depthwise(g)) return depthwise_backward(g, x, w, dy, dx, dw, db);
  if (dense(g)) return dense_backward(g, x, w, dy, dx, dw, db);
  if constexpr (std::is_same_v<T, float>) {
    // dx by Winograd, and dw unless its per-thread sums must not depend on the thread count; what is
    // left (those, non-finite results, db) goes through the columns below.
    const winograd::Done done = winograd::try_backward(g, x, w, dy, dx, deterministic() ? nullptr : dw);
    if (done.dx) dx = nullptr;
    if (done.dw) {
      dw = nullptr;
      if (db != nullptr) channel_sum(g.N, g.OC, g.OH * g.OW, dy, db);
      db = nullptr;
    }
    if (dx == nullptr && dw == nullptr && db == nullptr) return;
  }
  // OHW, CHW: one image's output (input) channel, all its depth planes; columns of Kg rows.
  const int64_t OHW = g.out_pixels(), CHW = g.C * g.in_pixels(), Cg = g.C / g.groups, OCg = g.OC / g.groups,
                Kg = Cg * g.taps();
  const bool direct = direct_columns(g);
  const int nt = num_threads();
  // Per-thread dw/db partials make the sums depend on the thread count: rb.use_deterministic_algorithms
  // keeps the images in one order (channels and GEMM rows are still split across the threads).
  const bool par = batch_parallel(g, nt) && !(deterministic() && (dw != nullptr || db != nullptr));
  const int64_t nacc = par ? nt : 1;
  const BlockShape bs = block_shape(g, sizeof(T));
  const int64_t nb = direct ? 1 : bs.images;
  const Phases phs(g);
  const int64_t per_channel = phs.per_channel(g);
  // Thread t > 0 accumulates dw and db in its own slot; thread 0 writes the outputs directly.
  std::vector<T> dw_acc(dw != nullptr ? static_cast<size_t>((nacc - 1) * g.OC * Kg) : 0, T(0));
  std::vector<T> db_acc(db != nullptr ? static_cast<size_t>((nacc - 1) * g.OC) : 0, T(0));
  if (dw != nullptr) std::fill(dw, dw + g.OC * Kg, T(0));
  if (db != nullptr) std::fill(db, db + g.OC, T(0));
  Workspace<T> ws(g, bs, direct, nb, nacc);
  over_images(g, par, nt, nb, [&](int64_t n0, int64_t n1, int64_t t) {
    T *ph = ws.phases(t), *col = ws.col(t);
    T* my_dw = dw == nullptr ? nullptr : t == 0 ? dw : dw_acc.data() + (t - 1) * g.OC * Kg;
    T* my_db = db == nullptr ? nullptr : t == 0 ? db : db_acc.data() + (t - 1) * g.OC;
    // dx of one image from its columns: col2im into zeroed phases, then merged back (channels c0..c1)
    auto dx_from_columns = [&](const T* cols, const Block& blk, int64_t ld, T* dxi, int64_t c0, int64_t c1) {
      std::fill(ph + c0 * per_channel, ph + c1 * per_channel, T(0));
      col2im(g, phs, cols, ph, c0, c1, blk, ld);
      phase_merge(g, phs, ph, dxi, c0, c1);
    };
    for (int64_t n = n0; n < n1; n += nb) {
      const int64_t m = std::min(nb, n1 - n);
      const T* dyn = dy + n * g.OC * OHW;
      const T* xn = x == nullptr ? nullptr : x + n * CHW;
      T* dxn = dx == nullptr ? nullptr : dx + n * CHW;
      if (my_db != nullptr) {
        for (int64_t i = 0; i < m; ++i)
          for (int64_t oc = 0; oc < g.OC; ++oc) {
            T s = T(0);
            const T* r = dyn + (i * g.OC + oc) * OHW;
            for (int64_t p = 0; p < OHW; ++p) s += r[p];
            my_db[oc] += s;
          }
      }
      if (m > 1) {  // m small images: dy gathered into one (OC, m*OHW) matrix, one product per gradient
        const int64_t P = m * OHW;
        T* dyc = ws.folded(t);
        for (int64_t i = 0; i < m; ++i)
          for (int64_t oc = 0; oc < g.OC; ++oc) std::copy_n(dyn + (i * g.OC + oc) * OHW, OHW, dyc + oc * P + i * OHW);
        if (my_dw != nullptr) {
          folded_columns(g, phs, par, xn, m, ph, col);
          for (int64_t gr = 0; gr < g.groups; ++gr)
            gemm<T>(false, true, OCg, Kg, P, T(1), dyc + gr * OCg * P, P, col + gr * Kg * P, P, T(1),
                    my_dw + gr * OCg * Kg, Kg);
        }
        if (dxn != nullptr) {
          for (int64_t gr = 0; gr < g.groups; ++gr)
            gemm<T>(true, false, Kg, P, OCg, T(1), w + gr * OCg * Kg, Kg, dyc + gr * OCg * P, P, T(0),
                    col + gr * Kg * P, P);
          over_channels(g, par, P, [&](int64_t c0, int64_t c1) {
            for (int64_t i = 0; i < m; ++i) dx_from_columns(col + i * OHW, whole_image(g), P, dxn + i * CHW, c0, c1);
          });
        }
        continue;
      }
      if (direct) {
        for (int64_t gr = 0; gr < g.groups; ++gr) {
          if (my_dw != nullptr)
            gemm<T>(false, true, OCg, Kg, OHW, T(1), dyn + gr * OCg * OHW, OHW, xn + gr * Kg * OHW, OHW, T(1),
                    my_dw + gr * OCg * Kg, Kg);
          if (dxn != nullptr)
            gemm<T>(true, false, Kg, OHW, OCg, T(1), w + gr * OCg * Kg, Kg, dyn + gr * OCg * OHW, OHW, T(0),
                    dxn + gr * Kg * OHW, OHW);
        }
        continue;
      }
      // dw first (its columns come from x's phases), then dx (accumulated in the same phase buffer)
      if (my_dw != nullptr) {
        over_channels(g, par, OHW, [&](int64_t c0, int64_t c1) { phase_split(g, phs, xn, ph, c0, c1); });
        for_blocks(g, bs, [&](const Block& blk) {
          const int64_t P = blk.pixels(), p0 = blk.offset(g);
          over_channels(g, par, P, [&](int64_t c0, int64_t c1) { im2col(g, phs, ph, col, c0, c1, blk, P); });
          for (int64_t gr = 0; gr < g.groups; ++gr)
            gemm<T>(false, true, OCg, Kg, P, T(1), dyn + gr * OCg * OHW + p0, OHW, col + gr * Kg * P, P, T(1),
                    my_dw + gr * OCg * Kg, Kg);
        });
      }
      if (dxn != nullptr) {
        std::fill(ph, ph + g.C * per_channel, T(0));
        for_blocks(g, bs, [&](const Block& blk) {
          const int64_t P = blk.pixels(), p0 = blk.offset(g);
          for (int64_t gr = 0; gr < g.groups; ++gr)
            gemm<T>(true, false, Kg, P, OCg, T(1), w + gr * OCg * Kg, Kg, dyn + gr * OCg * OHW + p0, OHW, T(0),
                    col + gr * Kg * P, P);
          over_channels(g, par, P, [&](int64_t c0, int64_t c1) { col2im(g, phs, col, ph, c0, c1, blk, P); });
        });
        over_channels(g, par, OHW, [&](int64_t c0, int64_t c1) { phase_merge(g, phs, ph, dxn, c0, c1); });
      }
    }
  });
  for (int64_t t = 1; t < nacc; ++t) {
    if (dw != nullptr) {
      const T* a = dw_acc.data() + (t - 1) * g.OC * Kg;
      for (int64_t i = 0; i < g.OC * Kg; ++i) dw[i] += a[i];
    }
    if (db != nullptr) {
      const T* a = db_acc.data() + (t - 1) * g.OC;
      for (int64_t i = 0; i < g.OC; ++i) db[i] += a[i];
    }
  }
}

// y: (N, C, HW) += b: (C)
template <class T>
void add_channel_bias(int64_t N, int64_t C, int64_t HW, const T* b, T* y) {
  parallel_for(N * C, grain_for(HW), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      T v = b[r % C], *row = y + r * HW;
      for (int64_t i = 0; i < HW; ++i) row[i] += v;
    }
  });
}

// dy: (N, C, HW) -> db: (C)
template <class T>
void channel_sum(int64_t N, int64_t C, int64_t HW, const T* dy, T* db) {
  parallel_for(C, grain_for(N * HW), [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      T s = T(0);
      for (int64_t n = 0; n < N; ++n) {
        const T* row = dy + (n * C + c) * HW;
        for (int64_t i = 0; i < HW; ++i) s += row[i];
      }
      db[c] = s;
    }
  });
}

template void add_channel_bias<float>(int64_t, int64_t, int64_t, const float*, float*);
template void add_channel_bias<double>(int64_t, int64_t, int64_t, const double*, double*);
template void channel_sum<float>(int64_t, int64_t, int64_t, const float*, float*);
template void channel_sum<double>(int64_t, int64_t, int64_t, const double*, double*);
template void conv_forward<float>(const ConvGeom&, const float*, const float*, const float*, float*);
template void conv_forward<double>(const ConvGeom&, const double*, const double*, const double*, double*);
template void conv_backward<float>(const ConvGeom&, const float*, const float*, const float*, float*, float*, float*);
template void conv_backward<double>(const ConvGeom&, const double*, const double*, const double*, double*, double*,
                                    double*);

extern const ConvKernels<float> conv_kernels_f32 = {&conv_forward<float>, &conv_backward<float>,
                                                    &add_channel_bias<float>, &channel_sum<float>};
extern const ConvKernels<double> conv_kernels_f64 = {&conv_forward<double>, &conv_backward<double>,
                                                     &add_channel_bias<double>, &channel_sum<double>};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ConvKernels<float>, conv_kernels_f32)
RB_CPU_DISPATCH(ConvKernels<double>, conv_kernels_f64)
