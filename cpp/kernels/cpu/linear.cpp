// CPU dense layer: bias rows then one GEMM forward; backward is two GEMMs over the flattened
// batch plus a column sum of dout for the bias.
#include "linear.h"

#include <algorithm>
#include <vector>

#include "blas.h"
#include "loops.h"

RB_CPU_NAMESPACE_BEGIN

void linear_forward(const Tensor& x, const Tensor& w, bool w_t, const Tensor* b, Tensor& out) {
  RB_DISPATCH_FLOATING(x.dtype(), "linear", [&] {
    using T = scalar_t;
    const int64_t M = x.size(0), K = x.size(1), N = out.size(1);
    T* po = static_cast<T*>(out.raw_data());
    if (b) {
      const T* pb = static_cast<const T*>(b->raw_data());
      parallel_for(M, grain_for(N), [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) std::copy(pb, pb + N, po + i * N);
      });
    }
    gemm<T>(false, !w_t, M, N, K, T(1), static_cast<const T*>(x.raw_data()), std::max<int64_t>(K, 1),
            static_cast<const T*>(w.raw_data()), std::max<int64_t>(w_t ? N : K, 1), b ? T(1) : T(0), po,
            std::max<int64_t>(N, 1));
  });
}

void linear_backward(const Tensor& dout, int64_t M, int64_t K, const Tensor& x, const Tensor& w, bool w_t, Tensor* dx,
                     Tensor* dw, Tensor* db) {
  RB_DISPATCH_FLOATING(dout.dtype(), "linear_backward", [&] {
    using T = scalar_t;
    const int64_t N = dout.size(1);
    const T* pg = static_cast<const T*>(dout.raw_data());
    if (dx)  // (M, N) @ (N, K)
      gemm<T>(false, w_t, M, K, N, T(1), pg, std::max<int64_t>(N, 1), static_cast<const T*>(w.raw_data()),
              std::max<int64_t>(w_t ? N : K, 1), T(0), static_cast<T*>(dx->raw_data()), std::max<int64_t>(K, 1));
    if (dw)  // (N, M) @ (M, K)
      gemm<T>(true, false, N, K, M, T(1), pg, std::max<int64_t>(N, 1), static_cast<const T*>(x.raw_data()),
              std::max<int64_t>(K, 1), T(0), static_cast<T*>(dw->raw_data()), std::max<int64_t>(K, 1));
    if (db) {
      T* pd = static_cast<T*>(db->raw_data());
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
