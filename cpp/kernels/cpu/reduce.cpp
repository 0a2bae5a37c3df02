// CPU reductions: the reduced block is the middle dim of (outer, R, inner), so summing over the
// batch (inner > 1) and over a row (inner == 1) both read memory in order.
#include "reduce.h"

#include <vector>

#include "loops.h"

RB_CPU_BASELINE_TABLE(ReduceKernels, reduce_kernels)

RB_CPU_NAMESPACE_BEGIN

// x: (outer, R, inner) of g.dtype; out: (outer, inner) of g.out_dtype.
void sum_forward(const ReduceGeom& g, const void* x, void* out) {
  const int64_t outer = g.outer, R = g.R, inner = g.inner;
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_ALL, g.dtype, "sum", reduce_kernels.sum_forward(g, x, out), [&] {
    using T = scalar_t;
    using A = typename Acc<T>::type;
    RB_CPU_DISPATCH_HOT(RB_DISPATCH_NUMERIC, g.out_dtype, "sum", reduce_kernels.sum_forward(g, x, out), [&] {
      using O = scalar_t;
      const T* px = static_cast<const T*>(x);
      O* po = static_cast<O*>(out);
      if (inner == 1) {
        if (outer == 1 && R > kGrain) {
          // One long row: partial sums per chunk, combined in chunk order (the same at any thread count).
          std::vector<A> part(num_chunks(R, kGrain), A(0));
          parallel_chunks(R, static_cast<int64_t>(part.size()), [&](int64_t c, int64_t b, int64_t e) {
            A s = 0;
            for (int64_t r = b; r < e; ++r) s += px[r];
            part[c] = s;
          });
          A s = 0;
          for (A p : part) s += p;
          po[0] = static_cast<O>(s);
          return;
        }
        parallel_for(outer, grain_for(R), [&](int64_t b, int64_t e) {
          for (int64_t o = b; o < e; ++o) {
            const T* row = px + o * R;
            A s = 0;
            for (int64_t r = 0; r < R; ++r) s += row[r];
            po[o] = static_cast<O>(s);
          }
        });
        return;
      }
      // inner > 1: accumulate whole rows of `inner` elements; parallel over outer*inner columns.
      parallel_for(outer * inner, kGrain / std::max<int64_t>(R, 1) + 1, [&](int64_t b, int64_t e) {
        std::vector<A> acc;
        int64_t o = b / inner;
        while (b < e) {
          int64_t i0 = b % inner, i1 = std::min(inner, i0 + (e - b));
          acc.assign(i1 - i0, A(0));
          const T* base = px + o * R * inner;
          for (int64_t r = 0; r < R; ++r) {
            const T* row = base + r * inner;
            for (int64_t i = i0; i < i1; ++i) acc[i - i0] += row[i];
          }
          for (int64_t i = i0; i < i1; ++i) po[o * inner + i] = static_cast<O>(acc[i - i0]);
          b += i1 - i0;
          ++o;
        }
      });
    });
  });
}

// ---- max/min with indices, and prod -----------------------------------------------------------

// x: (outer, R > 0, inner) of g.dtype; values: (outer, inner) of g.dtype or null; indices: (outer, inner) or null.
void minmax_forward(const ReduceGeom& g, const void* x, bool is_max, void* values, int64_t* indices) {
  const int64_t outer = g.outer, R = g.R, inner = g.inner;
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_ALL, g.dtype, "max", reduce_kernels.minmax_forward(g, x, is_max, values, indices),
                      [&] {
                        using T = scalar_t;
                        const T* px = static_cast<const T*>(x);
                        T* pv = static_cast<T*>(values);
                        int64_t* pi = indices;
                        // better(v, best): v replaces best (strictly better, or the first NaN).
                        auto better = [is_max](T v, T best) {
                          if constexpr (std::is_floating_point_v<T>) {
                            if (v != v) return best == best;
                          }
                          return is_max ? v > best : v < best;
                        };
                        parallel_for(outer, grain_for(R * inner), [&](int64_t b, int64_t e) {
                          std::vector<T> best(inner);
                          std::vector<int64_t> arg(inner);
                          for (int64_t o = b; o < e; ++o) {
                            const T* base = px + o * R * inner;
                            for (int64_t i = 0; i < inner; ++i) best[i] = base[i], arg[i] = 0;
                            for (int64_t r = 1; r < R; ++r) {
                              const T* row = base + r * inner;
                              for (int64_t i = 0; i < inner; ++i)
                                if (better(row[i], best[i])) best[i] = row[i], arg[i] = r;
                            }
                            for (int64_t i = 0; i < inner; ++i) {
                              if (pv) pv[o * inner + i] = best[i];
                              if (pi) pi[o * inner + i] = arg[i];
                            }
                          }
                        });
                      });
}

// x: (outer, R, inner), out: (outer, inner), both of g.dtype.
void prod_forward(const ReduceGeom& g, const void* x, void* out) {
  const int64_t outer = g.outer, R = g.R, inner = g.inner;
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_NUMERIC, g.dtype, "prod", reduce_kernels.prod_forward(g, x, out), [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* po = static_cast<T*>(out);
    parallel_for(outer * inner, grain_for(R), [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) {
        int64_t o = k / inner, i = k % inner;
        T p = 1;
        for (int64_t r = 0; r < R; ++r) p *= px[(o * R + r) * inner + i];
        po[k] = p;
      }
    });
  });
}

// x, dx: (outer, R, inner); dout: (outer, inner); all of g.dtype.
void prod_backward(const ReduceGeom& g, const void* x, const void* dout, void* dx) {
  const int64_t outer = g.outer, R = g.R, inner = g.inner;
  RB_DISPATCH_FLOATING(g.dtype, "prod_backward", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    const T* pg = static_cast<const T*>(dout);
    T* pd = static_cast<T*>(dx);
    parallel_for(outer * inner, grain_for(R), [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) {
        int64_t o = k / inner, i = k % inner;
        auto at = [&](int64_t r) { return (o * R + r) * inner + i; };
        T left = 1;
        for (int64_t r = 0; r < R; ++r) {  // prefix products first, then multiply in the suffix
          pd[at(r)] = left;
          left *= px[at(r)];
        }
        T right = pg[k];
        for (int64_t r = R - 1; r >= 0; --r) {
          pd[at(r)] *= right;
          right *= px[at(r)];
        }
      }
    });
  });
}

extern const ReduceKernels reduce_kernels = {&sum_forward, &minmax_forward, &prod_forward, &prod_backward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ReduceKernels, reduce_kernels)
