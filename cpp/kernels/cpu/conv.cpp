// Convolution on the CPU: per image, im2col into a thread's own buffer, then one GEMM per group.
// Images are split across OpenMP threads (the BLAS runs single-threaded inside); with fewer
// images than threads the loop runs serially and cpu::gemm splits each product instead.
#include "conv.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "blas.h"
#include "loops.h"

namespace rb::cpu {
namespace {

// Column buffers, one block per thread, allocated before any parallel region so a failed
// allocation raises (std::bad_alloc -> MemoryError) instead of ending the process inside OpenMP.
// Uninitialized on purpose: im2col and the GEMM write every element before it is read.
template <class T>
struct ColumnBuffers {
  std::unique_ptr<T[]> data;
  int64_t per_thread = 0;
  ColumnBuffers(bool needed, int threads, int64_t elems) {
    if (!needed) return;
    per_thread = (elems + 15) / 16 * 16;  // 64-byte strides between the threads' blocks
    data.reset(new T[static_cast<size_t>(per_thread * threads)]);
  }
  T* get(int64_t t) const { return data ? data.get() + t * per_thread : nullptr; }
};

// The ow for which ow*stride + off lies in [0, W): [lo, hi).
inline void valid_range(int64_t off, int64_t stride, int64_t W, int64_t OW, int64_t& lo, int64_t& hi) {
  lo = off >= 0 ? 0 : (-off + stride - 1) / stride;
  hi = W - 1 - off < 0 ? 0 : std::min<int64_t>(OW, (W - 1 - off) / stride + 1);
  lo = std::min(lo, OW);
  if (hi < lo) hi = lo;
}

// A block of output pixels whose columns are built and multiplied together: rows [oh0, oh1), and
// within them columns [ow0, ow1); a block is whole rows or part of one row, so its pixels are
// contiguous in the output (offset oh0*OW + ow0, P of them).
struct Block {
  int64_t oh0, oh1, ow0, ow1;
  int64_t pixels() const { return (oh1 - oh0) * (ow1 - ow0); }
  int64_t offset(int64_t OW) const { return oh0 * OW + ow0; }
};

// x: (C, H, W) of one image -> col: (C*KH*KW, P) for the P pixels of block b, channels [c0, c1) only.
template <class T>
void im2col(const ConvGeom& g, const T* x, T* col, int64_t c0, int64_t c1, const Block& b) {
  const int64_t P = b.pixels(), bw = b.ow1 - b.ow0;
  for (int64_t c = c0; c < c1; ++c) {
    const T* xc = x + c * g.H * g.W;
    for (int64_t kh = 0; kh < g.KH; ++kh) {
      for (int64_t kw = 0; kw < g.KW; ++kw) {
        T* row = col + ((c * g.KH + kh) * g.KW + kw) * P;
        int64_t off_w = kw * g.dil_w - g.pad_w, lo, hi;
        valid_range(off_w, g.stride_w, g.W, g.OW, lo, hi);
        lo = std::min(std::max(lo, b.ow0), b.ow1);
        hi = std::max(std::min(hi, b.ow1), lo);
        for (int64_t oh = b.oh0; oh < b.oh1; ++oh) {
          int64_t ih = oh * g.stride_h - g.pad_h + kh * g.dil_h;
          T* r = row + (oh - b.oh0) * bw;  // r[j] is output column b.ow0 + j
          if (ih < 0 || ih >= g.H) {
            std::memset(r, 0, sizeof(T) * bw);
            continue;
          }
          const T* src = xc + ih * g.W;  // output column ow reads src[ow * stride_w + off_w]
          for (int64_t ow = b.ow0; ow < lo; ++ow) r[ow - b.ow0] = T(0);
          if (g.stride_w == 1) {
            std::memcpy(r + (lo - b.ow0), src + (lo + off_w), sizeof(T) * (hi - lo));
          } else {
            for (int64_t ow = lo; ow < hi; ++ow) r[ow - b.ow0] = src[ow * g.stride_w + off_w];
          }
          for (int64_t ow = hi; ow < b.ow1; ++ow) r[ow - b.ow0] = T(0);
        }
      }
    }
  }
}

// col: (C*KH*KW, P) of block b -> x: (C, H, W) of one image, accumulated.
template <class T>
void col2im(const ConvGeom& g, const T* col, T* x, int64_t c0, int64_t c1, const Block& b) {
  const int64_t P = b.pixels(), bw = b.ow1 - b.ow0;
  for (int64_t c = c0; c < c1; ++c) {
    T* xc = x + c * g.H * g.W;
    for (int64_t kh = 0; kh < g.KH; ++kh) {
      for (int64_t kw = 0; kw < g.KW; ++kw) {
        const T* row = col + ((c * g.KH + kh) * g.KW + kw) * P;
        int64_t off_w = kw * g.dil_w - g.pad_w, lo, hi;
        valid_range(off_w, g.stride_w, g.W, g.OW, lo, hi);
        lo = std::min(std::max(lo, b.ow0), b.ow1);
        hi = std::max(std::min(hi, b.ow1), lo);
        for (int64_t oh = b.oh0; oh < b.oh1; ++oh) {
          int64_t ih = oh * g.stride_h - g.pad_h + kh * g.dil_h;
          if (ih < 0 || ih >= g.H) continue;
          const T* r = row + (oh - b.oh0) * bw;  // r[j] is output column b.ow0 + j
          T* dst = xc + ih * g.W;                 // output column ow adds to dst[ow * stride_w + off_w]
          if (g.stride_w == 1) {
            T* d = dst + (lo + off_w);
            const T* q = r + (lo - b.ow0);
            for (int64_t j = 0; j < hi - lo; ++j) d[j] += q[j];
          } else {
            for (int64_t ow = lo; ow < hi; ++ow) dst[ow * g.stride_w + off_w] += r[ow - b.ow0];
          }
        }
      }
    }
  }
}

// A 1x1 convolution with stride 1 and no padding reads the image itself as its columns.
inline bool direct_columns(const ConvGeom& g) {
  return g.KH == 1 && g.KW == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_h == 0 && g.pad_w == 0 &&
         g.OH == g.H && g.OW == g.W;
}

// The block shape: columns small enough to stay in L2 while the GEMM packs them (a whole image's,
// 2.4 MB for 64 channels at 32x32, would come from memory), yet 256 pixels or more so the GEMM
// stays efficient. Whole rows when one fits, else pieces of a row (long conv1d sequences).
struct BlockShape {
  int64_t rows, cols;
};
inline BlockShape block_shape(const ConvGeom& g, size_t itemsize) {
  constexpr int64_t budget = int64_t(768) << 10;  // measured best of 256 KB .. 4 MB on a 2 MB L2
  const int64_t pixel_bytes = std::max<int64_t>(1, g.C * g.KH * g.KW * static_cast<int64_t>(itemsize));
  const int64_t pixels = std::max<int64_t>(256, budget / pixel_bytes);
  if (pixels < g.OW) return {1, pixels};
  return {std::min(std::max<int64_t>(1, g.OH), pixels / std::max<int64_t>(1, g.OW)), g.OW};
}
template <class F>
void for_blocks(const ConvGeom& g, const BlockShape& s, const F& f) {
  for (int64_t oh0 = 0; oh0 < g.OH; oh0 += s.rows)
    for (int64_t ow0 = 0; ow0 < g.OW; ow0 += s.cols)
      f(Block{oh0, std::min(g.OH, oh0 + s.rows), ow0, std::min(g.OW, ow0 + s.cols)});
}

// Whole images per thread pay off only with enough images and enough arithmetic.
inline bool batch_parallel(const ConvGeom& g, int nt) {
  double flops = 2.0 * g.N * g.OC * (g.C / g.groups) * g.KH * g.KW * g.OH * g.OW;
  return nt > 1 && g.N >= nt && flops >= 2.0 * 96 * 96 * 96 && !omp_in_parallel();
}

// Calls body(n0, n1, tid) on contiguous image ranges, one per thread, or once serially.
template <class F>
void over_images(const ConvGeom& g, bool parallel, int nt, const F& body) {
#ifdef RB_OPENMP
  if (parallel) {
#pragma omp parallel num_threads(nt)
    {
      int64_t t = omp_get_thread_num(), T_ = omp_get_num_threads();
      int64_t chunk = (g.N + T_ - 1) / T_, b = t * chunk, e = std::min(g.N, b + chunk);
      if (b < e) body(b, e, t);
    }
    return;
  }
#endif
  (void)nt;
  (void)parallel;
  body(0, g.N, 0);
}

// Depthwise (one input channel per group): a GEMM per channel would be a 1 x KH*KW product,
// all call overhead, so these loop over the planes directly.
inline bool depthwise(const ConvGeom& g) { return g.groups > 1 && g.C == g.groups; }

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

}  // namespace

// x: (N, C, H, W), w: (OC, C/groups, KH, KW), b: (OC) or null -> y: (N, OC, OH, OW)
template <class T>
void conv2d_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y) {
  if (depthwise(g)) return depthwise_forward(g, x, w, b, y);
  const int64_t OHW = g.OH * g.OW, Cg = g.C / g.groups, OCg = g.OC / g.groups, Kg = Cg * g.KH * g.KW;
  const bool direct = direct_columns(g);
  const int nt = num_threads();
  const bool par = batch_parallel(g, nt);
  const BlockShape bs = block_shape(g, sizeof(T));
  ColumnBuffers<T> cols(!direct && g.N > 0, par ? nt : 1, g.C * g.KH * g.KW * bs.rows * bs.cols);
  over_images(g, par, nt, [&](int64_t n0, int64_t n1, int64_t t) {
    T* col = cols.get(t);
    for (int64_t n = n0; n < n1; ++n) {
      const T* xn = x + n * g.C * g.H * g.W;
      T* yn = y + n * g.OC * OHW;
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
      for_blocks(g, bs, [&](const Block& blk) {
        const int64_t P = blk.pixels(), p0 = blk.offset(g.OW);
        if (par) {
          im2col(g, xn, col, 0, g.C, blk);
        } else {
          parallel_for(g.C, grain_for(g.KH * g.KW * P),
                       [&](int64_t c0, int64_t c1) { im2col(g, xn, col, c0, c1, blk); });
        }
        for (int64_t gr = 0; gr < g.groups; ++gr)
          gemm<T>(false, false, OCg, P, Kg, T(1), w + gr * OCg * Kg, Kg, col + gr * Kg * P, P, beta,
                  yn + gr * OCg * OHW + p0, OHW);
      });
    }
  });
}

// x: (N, C, H, W), w: (OC, C/groups, KH, KW), dy: (N, OC, OH, OW)
//   -> dx: (N, C, H, W), dw: (OC, C/groups, KH, KW), db: (OC), each only when non-null.
template <class T>
void conv2d_backward(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db) {
  if (depthwise(g)) return depthwise_backward(g, x, w, dy, dx, dw, db);
  const int64_t OHW = g.OH * g.OW, Cg = g.C / g.groups, OCg = g.OC / g.groups, Kg = Cg * g.KH * g.KW;
  const bool direct = direct_columns(g);
  const int nt = num_threads();
  const bool par = batch_parallel(g, nt);
  const int64_t nacc = par ? nt : 1;
  const BlockShape bs = block_shape(g, sizeof(T));
  // Thread t > 0 accumulates dw and db in its own slot; thread 0 writes the outputs directly.
  std::vector<T> dw_acc(dw != nullptr ? static_cast<size_t>((nacc - 1) * g.OC * Kg) : 0, T(0));
  std::vector<T> db_acc(db != nullptr ? static_cast<size_t>((nacc - 1) * g.OC) : 0, T(0));
  if (dw != nullptr) std::fill(dw, dw + g.OC * Kg, T(0));
  if (db != nullptr) std::fill(db, db + g.OC, T(0));
  ColumnBuffers<T> cols(!direct && g.N > 0, par ? nt : 1, g.C * g.KH * g.KW * bs.rows * bs.cols);
  over_images(g, par, nt, [&](int64_t n0, int64_t n1, int64_t t) {
    T* col = cols.get(t);
    T* my_dw = dw == nullptr ? nullptr : t == 0 ? dw : dw_acc.data() + (t - 1) * g.OC * Kg;
    T* my_db = db == nullptr ? nullptr : t == 0 ? db : db_acc.data() + (t - 1) * g.OC;
    auto channels = [&](int64_t P, const auto& f) {  // f(c0, c1) over the image's channels
      if (par) f(int64_t(0), g.C);
      else parallel_for(g.C, grain_for(g.KH * g.KW * P), f);
    };
    for (int64_t n = n0; n < n1; ++n) {
      const T* dyn = dy + n * g.OC * OHW;
      const T* xn = x == nullptr ? nullptr : x + n * g.C * g.H * g.W;
      T* dxn = dx == nullptr ? nullptr : dx + n * g.C * g.H * g.W;
      if (my_db != nullptr) {
        for (int64_t oc = 0; oc < g.OC; ++oc) {
          T s = T(0);
          const T* r = dyn + oc * OHW;
          for (int64_t i = 0; i < OHW; ++i) s += r[i];
          my_db[oc] += s;
        }
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
      if (dxn != nullptr) std::fill(dxn, dxn + g.C * g.H * g.W, T(0));
      for_blocks(g, bs, [&](const Block& blk) {
        const int64_t P = blk.pixels(), p0 = blk.offset(g.OW);
        if (my_dw != nullptr) {
          channels(P, [&](int64_t c0, int64_t c1) { im2col(g, xn, col, c0, c1, blk); });
          for (int64_t gr = 0; gr < g.groups; ++gr)
            gemm<T>(false, true, OCg, Kg, P, T(1), dyn + gr * OCg * OHW + p0, OHW, col + gr * Kg * P, P, T(1),
                    my_dw + gr * OCg * Kg, Kg);
        }
        if (dxn != nullptr) {
          for (int64_t gr = 0; gr < g.groups; ++gr)
            gemm<T>(true, false, Kg, P, OCg, T(1), w + gr * OCg * Kg, Kg, dyn + gr * OCg * OHW + p0, OHW, T(0),
                    col + gr * Kg * P, P);
          channels(P, [&](int64_t c0, int64_t c1) { col2im(g, col, dxn, c0, c1, blk); });
        }
      });
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
template void conv2d_forward<float>(const ConvGeom&, const float*, const float*, const float*, float*);
template void conv2d_forward<double>(const ConvGeom&, const double*, const double*, const double*, double*);
template void conv2d_backward<float>(const ConvGeom&, const float*, const float*, const float*, float*, float*,
                                     float*);
template void conv2d_backward<double>(const ConvGeom&, const double*, const double*, const double*, double*,
                                      double*, double*);

}  // namespace rb::cpu
