// CPU dense layer: bias rows then one GEMM forward; backward is two GEMMs over the flattened
// batch plus a column sum of dout for the bias.
#include "linear.h"

#include <algorithm>
#include <vector>

#include "blas.h"
#include "loops.h"

RB_CPU_NAMESPACE_BEGIN

// x: (M, K), w: (N, K) (or (K, N) read transposed), b: (N) -> out: (M, N).
void linear_forward(const LinearGeom& g, const void* x, const void* w, const void* b, void* out) {
  const int64_t M = g.M, K = g.K, N = g.N;
  const bool w_t = g.w_t;
  RB_DISPATCH_FLOATING(g.dtype, "linear", [&] {
    using T = scalar_t;
    T* po = static_cast<T*>(out);
    if (b) {
      const T* pb = static_cast<const T*>(b);
      parallel_for(M, grain_for(N), [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) std::copy(pb, pb + N, po + i * N);
      });
    }
    gemm<T>(false, !w_t, M, N, K, T(1), static_cast<const T*>(x), std::max<int64_t>(K, 1), static_cast<const T*>(w),
            std::max<int64_t>(w_t ? N : K, 1), b ? T(1) : T(0), po, std::max<int64_t>(N, 1));
  });
}

// dout: (M, N), x: (M, K), w: as forward's -> dx: (M, K), dw: (N, K), db: (N).
void linear_backward(const LinearGeom& g, const void* dout, const void* x, const void* w, void* dx, void* dw,
                     void* db) {
  const int64_t M = g.M, K = g.K, N = g.N;
  const bool w_t = g.w_t;
  RB_DISPATCH_FLOATING(g.dtype, "linear_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout);
    if (dx)  // (M, N) @ (N, K)
      gemm<T>(false, w_t, M, K, N, T(1), pg, std::max<int64_t>(N, 1), static_cast<const T*>(w),
              std::max<int64_t>(w_t ? N : K, 1), T(0), static_cast<T*>(dx), std::max<int64_t>(K, 1));
    if (dw)  // (N, M) @ (M, K)
      gemm<T>(true, false, N, K, M, T(1), pg, std::max<int64_t>(N, 1), static_cast<const T*>(x),
              std::max<int64_t>(K, 1), T(0), static_cast<T*>(dw), std::max<int64_t>(K, 1));
    if (db) {
      T* pd = static_cast<T*>(db);
      // Each thread owns a slice of columns and walks every row of it, so no partial sums merge.
      parallel_for(N, std::max<int64_t>(16, kGrain / std::max<int64_t>(M, 1)), [&](int64_t s, int64_t e) {
        std::vector<double> acc(e - s, 0.0);
        for (int64_t i = 0; i < M; ++i) {
          const T* row = pg + i * N;
          for (int64_t j = s; j < e; ++j) acc[j - s] += row[j];
        }
        for (int64_t j = s; j < e; ++j) pd[j] = static_cast<T>(acc[j - s]);
      });
    }
  });
}

extern const LinearKernels linear_kernels = {&linear_forward, &linear_backward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(LinearKernels, linear_kernels)
