// CPU indexing kernels. The indexed copy walks (pre, index, post) offset tables, so one loop
// serves getitem, setitem and their backward whatever the strides of either operand.
#include "indexing.h"

#include <cstring>

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

void index_copy(const Tensor& src, const IndexOffsets& s, Tensor& dst, const IndexOffsets& d, bool accumulate) {
  RB_CHECK(!accumulate || is_compute_dtype(dst.dtype()), TypeError,
           "index_put_ with accumulate=True: not implemented for ", dtype_name(dst.dtype()));
  RB_DISPATCH_MOVABLE(dst.dtype(), "index_copy", [&] {
    using T = scalar_t;
    const T* ps = static_cast<const T*>(src.raw_data());
    T* pd = static_cast<T*>(dst.raw_data());
    const int64_t P = static_cast<int64_t>(s.pre.size()), B = static_cast<int64_t>(s.mid.size()),
                  Q = static_cast<int64_t>(s.post.size());
    int64_t ss = 1, ds = 1;
    const bool runs = linear_run(s.post, ss) && linear_run(d.post, ds);
    auto row = [&](int64_t p, int64_t b) {
      const T* a = ps + s.pre[p] + s.mid[b];
      T* o = pd + d.pre[p] + d.mid[b];
      if (runs) {
        if (accumulate) {
          for (int64_t q = 0; q < Q; ++q) o[q * ds] += a[q * ss];
        } else if (ss == 1 && ds == 1) {
          std::memcpy(o, a, sizeof(T) * Q);
        } else {
          for (int64_t q = 0; q < Q; ++q) o[q * ds] = a[q * ss];
        }
      } else if (accumulate) {
        for (int64_t q = 0; q < Q; ++q) o[d.post[q]] += a[s.post[q]];
      } else {
        for (int64_t q = 0; q < Q; ++q) o[d.post[q]] = a[s.post[q]];
      }
    };
    if constexpr (std::is_same_v<T, bool>) {
      if (accumulate) {  // bool accumulation is logical or
        for (int64_t p = 0; p < P; ++p)
          for (int64_t b = 0; b < B; ++b) {
            const T* a = ps + s.pre[p] + s.mid[b];
            T* o = pd + d.pre[p] + d.mid[b];
            for (int64_t q = 0; q < Q; ++q) o[d.post[q]] = o[d.post[q]] || a[s.post[q]];
          }
        return;
      }
    }
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
  });
}

void gather_forward(const Tensor& x, int64_t dim, const Tensor& index, Tensor& out) {
  RB_DISPATCH_MOVABLE(x.dtype(), "gather", [&] {
    using T = scalar_t;
    Shape xs = x.strides();
    const int64_t dstride = xs[dim];
    xs[dim] = 0;
    StridedLoop<3> L(index.shape(), {out.strides(), index.strides(), xs});
    T* po = static_cast<T*>(out.raw_data());
    const int64_t* pi = static_cast<const int64_t*>(index.raw_data());
    const T* px = static_cast<const T*>(x.raw_data());
    L.parallel_run([&](const int64_t* off, int64_t n, const int64_t* s) {
      for (int64_t i = 0; i < n; ++i) po[off[0] + i * s[0]] = px[off[2] + i * s[2] + pi[off[1] + i * s[1]] * dstride];
    });
  });
}

void scatter(Tensor& dx, int64_t dim, const Tensor& index, const Tensor& src, bool accumulate) {
  RB_CHECK(!accumulate || is_compute_dtype(dx.dtype()), TypeError, "scatter_add: not implemented for ",
           dtype_name(dx.dtype()));
  RB_DISPATCH_MOVABLE(dx.dtype(), "scatter", [&] {
    using T = scalar_t;
    Shape xs = dx.strides();
    const int64_t dstride = xs[dim];
    xs[dim] = 0;
    StridedLoop<3> L(index.shape(), {broadcast_strides(src, index.shape()), index.strides(), xs});
    const T* ps = static_cast<const T*>(src.raw_data());
    const int64_t* pi = static_cast<const int64_t*>(index.raw_data());
    T* px = static_cast<T*>(dx.raw_data());
    if (L.numel == 0) return;
    // Serial: two index entries may name the same element.
    L.run(0, L.numel, [&](const int64_t* off, int64_t n, const int64_t* s) {
      for (int64_t i = 0; i < n; ++i) {
        T& d = px[off[2] + i * s[2] + pi[off[1] + i * s[1]] * dstride];
        const T v = ps[off[0] + i * s[0]];
        if constexpr (std::is_same_v<T, bool>) {
          d = accumulate ? (d || v) : v;
        } else {
          d = accumulate ? d + v : v;
        }
      }
    });
  });
}

void scatter_add(Tensor& dx, int64_t dim, const Tensor& index, const Tensor& src) {
  scatter(dx, dim, index, src, true);
}

std::optional<int64_t> find_out_of_range(const Tensor& index, int64_t size, bool allow_neg) {
  if (index.numel() == 0) return std::nullopt;
  StridedLoop<1> L(index.shape(), {index.strides()});
  const int64_t* p = static_cast<const int64_t*>(index.raw_data());
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

Tensor nonzero(const Tensor& x) {
  const int64_t nd = x.dim();
  return RB_DISPATCH_STORAGE(x.dtype(), "nonzero", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    std::vector<int64_t> offs = offset_table(x.shape(), x.strides());
    int64_t count = 0;
    for (int64_t o : offs) count += px[o] != T(0);
    Tensor out = Tensor::empty({count, nd}, DType::Int64, x.device());
    int64_t* po = static_cast<int64_t*>(out.raw_data());
    std::vector<int64_t> idx(nd, 0);
    for (size_t k = 0; k < offs.size(); ++k) {
      if (px[offs[k]] != T(0)) {
        for (int64_t d = 0; d < nd; ++d) *po++ = idx[d];
      }
      for (int64_t d = nd - 1; d >= 0; --d) {
        if (++idx[d] < x.shape()[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  });
}

template <>
const IndexingKernels& kernels<IndexingKernels>() {
  static const IndexingKernels table = {&index_copy, &gather_forward,    &scatter_add,
                                        &scatter,    &find_out_of_range, &nonzero};
  return table;
}

}  // namespace rb::cpu
