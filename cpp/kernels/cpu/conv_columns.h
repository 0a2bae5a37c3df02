// The column matrices of the GEMM convolution (im2col and its adjoint col2im), built from a padded,
// stride-split copy of each image so that every row of the columns is a run of plain copies.
// Internal to conv.cpp.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "conv.h"

RB_CPU_NAMESPACE_BEGIN
namespace conv_detail {

// The ow for which ow*stride + off lies in [0, W): [lo, hi).
inline void valid_range(int64_t off, int64_t stride, int64_t W, int64_t OW, int64_t& lo, int64_t& hi) {
  lo = off >= 0 ? 0 : (-off + stride - 1) / stride;
  hi = W - 1 - off < 0 ? 0 : std::min<int64_t>(OW, (W - 1 - off) / stride + 1);
  lo = std::min(lo, OW);
  if (hi < lo) hi = lo;
}

// A block of output pixels whose columns are built and multiplied together: depth planes
// [od0, od1), in them rows [oh0, oh1), in those columns [ow0, ow1); a block is whole planes, whole
// rows of one plane or part of one row, so its pixels are contiguous in the output (P of them).
struct Block {
  int64_t od0, od1, oh0, oh1, ow0, ow1;
  int64_t pixels() const { return (od1 - od0) * (oh1 - oh0) * (ow1 - ow0); }
  int64_t offset(const ConvGeom& g) const { return (od0 * g.OH + oh0) * g.OW + ow0; }
};
inline Block whole_image(const ConvGeom& g) { return Block{0, g.OD, 0, g.OH, 0, g.OW}; }

// One image re-laid so that im2col needs no bounds checks and no strided reads: zero padded, then
// split by stride phase into stride_h * stride_w planes of R x Q. Plane (a, b) holds
// xpad[r*stride_h + a][q*stride_w + b] (xpad: the input with pad_h/pad_w zeros before it), so the
// value output pixel (oh, ow) reads for tap (kh, kw) sits in plane (kh*dil_h % stride_h,
// kw*dil_w % stride_w) at row oh + kh*dil_h / stride_h, column ow + kw*dil_w / stride_w: a row of
// the columns is OH contiguous runs of OW. With stride 1 there is one plane, the padded image.
// A volume is D such images (depth is neither padded nor split: im2col skips the taps that fall
// outside it). Layout: (C, D, stride_h, stride_w, R, Q).
struct Phases {
  int64_t R, Q;
  explicit Phases(const ConvGeom& g)
      : R(g.OH + (g.KH - 1) * g.dil_h / g.stride_h), Q(g.OW + (g.KW - 1) * g.dil_w / g.stride_w) {}
  int64_t plane() const { return R * Q; }
  int64_t per_slice(const ConvGeom& g) const { return g.stride_h * g.stride_w * plane(); }
  int64_t per_channel(const ConvGeom& g) const { return g.D * per_slice(g); }
};

// The q for which every phase's column q*s + b - pad (b < s) lies in [0, W): [lo, hi), within [0, Q).
inline void interior(int64_t W, int64_t pad, int64_t s, int64_t Q, int64_t& lo, int64_t& hi) {
  lo = std::min(Q, (pad + s - 1) / s);
  hi = std::max(lo, std::min(Q, (W + pad) / s));
}

// One input row src (W) -> its s phase rows (Q each, bstride apart from row0):
// row_b[q] = src[q*s + b - pad], 0 outside the row. [lo, hi): interior()'s range, computed once
// per image by the caller (two integer divisions would cost more than a short row's copy).
template <class T>
inline void split_row(const T* __restrict src, int64_t W, int64_t pad, int64_t s, T* __restrict row0, int64_t bstride,
                      int64_t Q, int64_t lo, int64_t hi) {
  auto edge = [&](int64_t q) {
    for (int64_t b = 0; b < s; ++b) {
      const int64_t j = q * s + b - pad;
      row0[b * bstride + q] = j >= 0 && j < W ? src[j] : T(0);
    }
  };
  for (int64_t q = 0; q < lo; ++q) edge(q);
  if (s == 1) {
    std::memcpy(row0 + lo, src + lo - pad, sizeof(T) * (hi - lo));
  } else if (s == 2) {  // both phases in one loop: an interleaved pair of loads the compiler vectorizes
    T* __restrict row1 = row0 + bstride;
    for (int64_t q = lo; q < hi; ++q) {
      row0[q] = src[2 * q - pad];
      row1[q] = src[2 * q + 1 - pad];
    }
  } else {
    for (int64_t b = 0; b < s; ++b)
      for (int64_t q = lo; q < hi; ++q) row0[b * bstride + q] = src[q * s + b - pad];
  }
  for (int64_t q = hi; q < Q; ++q) edge(q);
}

// The adjoint of split_row: s phase rows -> out (W), overwritten; columns no phase row holds get 0.
template <class T>
inline void merge_row(const T* __restrict row0, int64_t bstride, int64_t Q, int64_t pad, int64_t s, T* __restrict out,
                      int64_t W, int64_t lo, int64_t hi) {
  auto edge = [&](int64_t q) {
    for (int64_t b = 0; b < s; ++b) {
      const int64_t j = q * s + b - pad;
      if (j >= 0 && j < W) out[j] = row0[b * bstride + q];
    }
  };
  for (int64_t q = 0; q < lo; ++q) edge(q);
  for (int64_t q = hi; q < Q; ++q) edge(q);
  for (int64_t j = std::max<int64_t>(0, Q * s - pad); j < W; ++j) out[j] = T(0);  // read by no output
  const int64_t j_lo = lo * s - pad;
  if (s == 1) {
    std::memcpy(out + j_lo, row0 + lo, sizeof(T) * (hi - lo));
  } else if (s == 2) {
    const T* __restrict row1 = row0 + bstride;
    for (int64_t q = lo; q < hi; ++q) {
      out[2 * q - pad] = row0[q];
      out[2 * q + 1 - pad] = row1[q];
    }
  } else {
    for (int64_t b = 0; b < s; ++b)
      for (int64_t q = lo; q < hi; ++q) out[q * s + b - pad] = row0[b * bstride + q];
  }
}

// x: (C, D, H, W) of one image -> ph: its phases (layout above), channels [c0, c1) only.
template <class T>
void phase_split(const ConvGeom& g, const Phases& p, const T* x, T* ph, int64_t c0, int64_t c1) {
  int64_t lo, hi;
  interior(g.W, g.pad_w, g.stride_w, p.Q, lo, hi);
  for (int64_t c = c0 * g.D; c < c1 * g.D; ++c) {  // c: a (channel, depth) slice
    for (int64_t a = 0; a < g.stride_h; ++a) {
      T* planes = ph + (c * g.stride_h + a) * g.stride_w * p.plane();  // the stride_w planes of row phase a
      for (int64_t r = 0; r < p.R; ++r) {
        const int64_t i = r * g.stride_h + a - g.pad_h;
        if (i < 0 || i >= g.H) {
          for (int64_t b = 0; b < g.stride_w; ++b) std::fill_n(planes + b * p.plane() + r * p.Q, p.Q, T(0));
          continue;
        }
        split_row(x + (c * g.H + i) * g.W, g.W, g.pad_w, g.stride_w, planes + r * p.Q, p.plane(), p.Q, lo, hi);
      }
    }
  }
}

// The adjoint of phase_split: ph -> dx: (C, D, H, W) of one image, overwritten (padding dropped;
// inputs no output reads get 0), channels [c0, c1) only.
template <class T>
void phase_merge(const ConvGeom& g, const Phases& p, const T* ph, T* dx, int64_t c0, int64_t c1) {
  int64_t lo, hi;
  interior(g.W, g.pad_w, g.stride_w, p.Q, lo, hi);
  for (int64_t c = c0 * g.D; c < c1 * g.D; ++c) {
    // input row i lies in row phase a = (i + pad_h) % stride_h at plane row r = (i + pad_h) / stride_h
    int64_t a = g.pad_h % g.stride_h, r = g.pad_h / g.stride_h;
    for (int64_t i = 0; i < g.H; ++i, a + 1 == g.stride_h ? (a = 0, ++r) : ++a) {
      T* out = dx + (c * g.H + i) * g.W;
      if (r >= p.R) {
        std::fill_n(out, g.W, T(0));
        continue;
      }
      const T* planes = ph + (c * g.stride_h + a) * g.stride_w * p.plane();
      merge_row(planes + r * p.Q, p.plane(), p.Q, g.pad_w, g.stride_w, out, g.W, lo, hi);
    }
  }
}

// rows x width elements from src (rows ld_src apart) to dst (rows ld_dst apart). Small maps copy
// rows of 4 to 16 elements, where a memcpy call costs more than the copy: those widths get
// fixed-size copies the compiler turns into a vector move each.
template <int64_t Width, class T>
inline void copy_rows_fixed(T* dst, int64_t ld_dst, const T* src, int64_t ld_src, int64_t rows) {
  for (int64_t r = 0; r < rows; ++r) std::memcpy(dst + r * ld_dst, src + r * ld_src, sizeof(T) * Width);
}
template <class T>
inline void copy_rows(T* dst, int64_t ld_dst, const T* src, int64_t ld_src, int64_t rows, int64_t width) {
  switch (width) {
    case 4: return copy_rows_fixed<4>(dst, ld_dst, src, ld_src, rows);
    case 8: return copy_rows_fixed<8>(dst, ld_dst, src, ld_src, rows);
    case 16: return copy_rows_fixed<16>(dst, ld_dst, src, ld_src, rows);
    default:
      for (int64_t r = 0; r < rows; ++r) std::memcpy(dst + r * ld_dst, src + r * ld_src, sizeof(T) * width);
  }
}

// dst += src over rows x width elements (rows ld_dst and ld_src apart): copy_rows' adjoint, with
// the same fixed widths, where a runtime-length loop would run its scalar remainder on every row.
template <int64_t Width, class T>
inline void add_rows_fixed(T* __restrict dst, int64_t ld_dst, const T* __restrict src, int64_t ld_src, int64_t rows) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < Width; ++j) dst[r * ld_dst + j] += src[r * ld_src + j];
}
template <class T>
inline void add_rows(T* __restrict dst, int64_t ld_dst, const T* __restrict src, int64_t ld_src, int64_t rows,
                     int64_t width) {
  switch (width) {
    case 4: return add_rows_fixed<4>(dst, ld_dst, src, ld_src, rows);
    case 8: return add_rows_fixed<8>(dst, ld_dst, src, ld_src, rows);
    case 16: return add_rows_fixed<16>(dst, ld_dst, src, ld_src, rows);
    default:
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < width; ++j) dst[r * ld_dst + j] += src[r * ld_src + j];
  }
}

// Calls f(tap, at) for each row of the columns and each depth plane of the block, channels
// [c0, c1): at = the plane's first element in the columns, row (c*KD + kd)*KH + kh)*KW + kw times
// ld plus (od - od0) * rows * width; tap = the offset in the phases of the value the plane's pixel
// (blk.oh0, blk.ow0) reads for it (the plane's other rows follow Q apart), or -1 where the tap's
// depth falls in the (zero) depth padding.
template <class F>
void for_each_tap(const ConvGeom& g, const Phases& p, int64_t c0, int64_t c1, const Block& blk, int64_t ld,
                  const F& f) {
  const int64_t plane_px = (blk.oh1 - blk.oh0) * (blk.ow1 - blk.ow0);
  for (int64_t c = c0; c < c1; ++c) {
    for (int64_t kd = 0; kd < g.KD; ++kd) {
      for (int64_t kh = 0; kh < g.KH; ++kh) {
        const int64_t a = kh * g.dil_h % g.stride_h, dr = kh * g.dil_h / g.stride_h;
        for (int64_t kw = 0; kw < g.KW; ++kw) {
          const int64_t b = kw * g.dil_w % g.stride_w, dq = kw * g.dil_w / g.stride_w;
          const int64_t row = ((c * g.KD + kd) * g.KH + kh) * g.KW + kw;
          const int64_t in_slice = ((a * g.stride_w) + b) * p.plane() + (dr + blk.oh0) * p.Q + dq + blk.ow0;
          for (int64_t od = blk.od0; od < blk.od1; ++od) {
            const int64_t id = od * g.stride_d + kd * g.dil_d - g.pad_d;
            const int64_t at = row * ld + (od - blk.od0) * plane_px;
            f(id >= 0 && id < g.D ? (c * g.D + id) * p.per_slice(g) + in_slice : -1, at);
          }
        }
      }
    }
  }
}

// ph: one image's phases -> col: (C*KD*KH*KW, P) for the P pixels of block blk, channels [c0, c1)
// only; rows ld apart (ld > P when several images' columns sit side by side).
template <class T>
void im2col(const ConvGeom& g, const Phases& p, const T* ph, T* col, int64_t c0, int64_t c1, const Block& blk,
            int64_t ld) {
  const int64_t bw = blk.ow1 - blk.ow0, rows = blk.oh1 - blk.oh0;
  for_each_tap(g, p, c0, c1, blk, ld, [&](int64_t tap, int64_t at) {
    if (tap < 0)
      std::fill_n(col + at, rows * bw, T(0));
    else
      copy_rows(col + at, bw, ph + tap, p.Q, rows, bw);
  });
}

// The adjoint of im2col: col: (C*KD*KH*KW, P) of block blk, rows ld apart -> ph, accumulated.
template <class T>
void col2im(const ConvGeom& g, const Phases& p, const T* col, T* ph, int64_t c0, int64_t c1, const Block& blk,
            int64_t ld) {
  const int64_t bw = blk.ow1 - blk.ow0, rows = blk.oh1 - blk.oh0;
  for_each_tap(g, p, c0, c1, blk, ld, [&](int64_t tap, int64_t at) {
    if (tap >= 0) add_rows(ph + tap, p.Q, col + at, bw, rows, bw);
  });
}

}  // namespace conv_detail
RB_CPU_NAMESPACE_END
