// CPU indexing kernels. The indexed copy walks (pre, index, post) offset tables, so one loop
// serves getitem, setitem and their backward whatever the strides of either operand.
#include "indexing.h"

#include <cstring>
#include <optional>
#include <type_traits>
#include <vector>

#include "loops.h"

namespace rb::cpu {

namespace {
// True when table[q] == q * stride for every q (a single run): the inner loop then needs no table.
bool linear_run(const std::vector<int64_t>& t, int64_t& stride) {
  stride = t.size() > 1 ? t[1] - t[0] : 1;
  for (size_t q = 0; q < t.size(); ++q)
    if (t[q] != static_cast<int64_t>(q) * stride) return false;
  return true;
}
}  // namespace

// The accumulate forms' `+=` in the element type, as ATen's: float16/bfloat16 add in float32 and round at each
// step, the integers wrap (in unsigned arithmetic, so without overflow), bool is a logical or.
template <class T>
inline void add_into(T& d, T v) {
  if constexpr (std::is_same_v<T, bool>) {
    d = d || v;
  } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
    d = T(static_cast<float>(d) + static_cast<float>(v));
  } else if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    d = static_cast<T>(static_cast<U>(static_cast<U>(d) + static_cast<U>(v)));
  } else {
    d += v;
  }
}

// body(T*) for g's dtype: the element type itself where the kernel adds (every dtype, float16 as Half), its
// bits where it only moves elements.
#define RB_DISPATCH_PUT(dt, accumulate, name, body)                                  \
  do {                                                                               \
    if (accumulate)                                                                  \
      RB_DISPATCH_STORAGE(dt, name, [&] { body(static_cast<scalar_t*>(nullptr)); }); \
    else                                                                             \
      RB_DISPATCH_MOVABLE(dt, name, [&] { body(static_cast<scalar_t*>(nullptr)); }); \
  } while (0)

// src, dst: any layout, walked through g's offset tables.
void index_copy(const IndexCopyGeom& g, const void* src, void* dst, bool accumulate) {
  const IndexOffsets &s = g.src, &d = g.dst;
  auto body = [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    const T* ps = static_cast<const T*>(src);
    T* pd = static_cast<T*>(dst);
    const int64_t P = static_cast<int64_t>(s.pre.size()), B = static_cast<int64_t>(s.mid.size()),
                  Q = static_cast<int64_t>(s.post.size());
    int64_t ss = 1, ds = 1;
    const bool runs = linear_run(s.post, ss) && linear_run(d.post, ds);
    auto row = [&](int64_t p, int64_t b) {
      const T* a = ps + s.pre[p] + s.mid[b];
      T* o = pd + d.pre[p] + d.mid[b];
      if (runs) {
        if (accumulate) {
          for (int64_t q = 0; q < Q; ++q) add_into(o[q * ds], a[q * ss]);
        } else if (ss == 1 && ds == 1) {
          std::memcpy(o, a, sizeof(T) * Q);
        } else {
          for (int64_t q = 0; q < Q; ++q) o[q * ds] = a[q * ss];
        }
      } else if (accumulate) {
        for (int64_t q = 0; q < Q; ++q) add_into(o[d.post[q]], a[s.post[q]]);
      } else {
        for (int64_t q = 0; q < Q; ++q) o[d.post[q]] = a[s.post[q]];
      }
    };
    if (accumulate) {
      // Distinct p never meet (they are distinct positions of other dims), so p may be parallel.
      parallel_for(P, grain_for(B * Q), [&](int64_t b0, int64_t e0) {
        for (int64_t p = b0; p < e0; ++p)
          for (int64_t b = 0; b < B; ++b) row(p, b);
      });
    } else {
      parallel_for(P * B, grain_for(Q), [&](int64_t b0, int64_t e0) {
        for (int64_t k = b0; k < e0; ++k) row(k / B, k % B);
      });
    }
  };
  RB_DISPATCH_PUT(g.dtype, accumulate, "index_put_", body);
}

// x: (..., S, ...), index: (...) int64 -> out: index's shape.
void gather_forward(const StridedGeom& g, const void* x, const int64_t* pi, void* out) {
  RB_DISPATCH_MOVABLE(g.dtype, "gather", [&] {
    using T = scalar_t;
    const int64_t dstride = g.dim_stride;
    StridedLoop<3> L(g.shape, {g.other_strides, g.index_strides, g.x_strides});
    T* po = static_cast<T*>(out);
    const T* px = static_cast<const T*>(x);
    L.parallel_run([&](const int64_t* off, int64_t n, const int64_t* s) {
      for (int64_t i = 0; i < n; ++i) po[off[0] + i * s[0]] = px[off[2] + i * s[2] + pi[off[1] + i * s[1]] * dstride];
    });
  });
}

// x: (..., S, ...), index: (...) int64, src: broadcast to index's shape.
void scatter(const StridedGeom& g, void* x, const int64_t* pi, const void* src, bool accumulate) {
  auto body = [&](auto* tag) {
    using T = std::remove_pointer_t<decltype(tag)>;
    const int64_t dstride = g.dim_stride;
    StridedLoop<3> L(g.shape, {g.other_strides, g.index_strides, g.x_strides});
    const T* ps = static_cast<const T*>(src);
    T* px = static_cast<T*>(x);
    if (L.numel == 0) return;
    // Serial: two index entries may name the same element.
    L.run(0, L.numel, [&](const int64_t* off, int64_t n, const int64_t* s) {
      for (int64_t i = 0; i < n; ++i) {
        T& d = px[off[2] + i * s[2] + pi[off[1] + i * s[1]] * dstride];
        const T v = ps[off[0] + i * s[0]];
        if (accumulate)
          add_into(d, v);
        else
          d = v;
      }
    });
  };
  RB_DISPATCH_PUT(g.dtype, accumulate, "scatter", body);
}

// index: g.shape at g.index_strides.
std::optional<int64_t> find_out_of_range(const StridedGeom& g, const int64_t* p, int64_t size, bool allow_neg) {
  StridedLoop<1> L(g.shape, {g.index_strides});
  if (L.numel == 0) return std::nullopt;
  const int64_t lo = allow_neg ? -size : 0;
  std::optional<int64_t> bad;
  L.run(0, L.numel, [&](const int64_t* off, int64_t n, const int64_t* s) {
    if (bad) return;
    for (int64_t i = 0; i < n; ++i) {
      int64_t v = p[off[0] + i * s[0]];
      if (v < lo || v >= size) {
        bad = v;
        return;
      }
    }
  });
  return bad;
}

// x: g.shape at g.x_strides.
int64_t count_nonzero(const StridedGeom& g, const void* x) {
  return RB_DISPATCH_STORAGE(g.dtype, "nonzero", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    StridedLoop<1> L(g.shape, {g.x_strides});
    int64_t count = 0;
    L.run(0, L.numel, [&](const int64_t* off, int64_t n, const int64_t* s) {
      for (int64_t i = 0; i < n; ++i) count += px[off[0] + i * s[0]] != T(0);
    });
    return count;
  });
}

// x: g.shape at g.x_strides -> out: (count, ndim).
void nonzero(const StridedGeom& g, const void* x, int64_t* po) {
  const int64_t nd = static_cast<int64_t>(g.shape.size());
  RB_DISPATCH_STORAGE(g.dtype, "nonzero", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    std::vector<int64_t> offs = offset_table(g.shape, g.x_strides);
    std::vector<int64_t> idx(nd, 0);
    for (size_t k = 0; k < offs.size(); ++k) {
      if (px[offs[k]] != T(0)) {
        for (int64_t d = 0; d < nd; ++d) *po++ = idx[d];
      }
      for (int64_t d = nd - 1; d >= 0; --d) {
        if (++idx[d] < g.shape[d]) break;
        idx[d] = 0;
      }
    }
  });
}

template <>
const IndexingKernels& kernels<IndexingKernels>() {
  static const IndexingKernels table = {&index_copy,        &gather_forward, &scatter,
                                        &find_out_of_range, &count_nonzero,  &nonzero};
  return table;
}

}  // namespace rb::cpu
