// GEMM on the CPU: the BLAS does the arithmetic single-threaded; we split C into one block per
// OpenMP thread when the product is big enough to pay for a parallel region.
#include "blas.h"

#include <cblas.h>
#include <algorithm>

#include "loops.h"

namespace rb::cpu {
namespace {

void blas_call(bool ta, bool tb, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
               const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  scipy_cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, alpha, A,
                    lda, B, ldb, beta, C, ldc);
}
void blas_call(bool ta, bool tb, int64_t M, int64_t N, int64_t K, double alpha, const double* A, int64_t lda,
               const double* B, int64_t ldb, double beta, double* C, int64_t ldc) {
  scipy_cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, alpha, A,
                    lda, B, ldb, beta, C, ldc);
}
// Integer matmul has no BLAS; a plain triple loop (i-k-j order reads B and C in rows).
void blas_call(bool ta, bool tb, int64_t M, int64_t N, int64_t K, int64_t alpha, const int64_t* A, int64_t lda,
               const int64_t* B, int64_t ldb, int64_t beta, int64_t* C, int64_t ldc) {
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) C[i * ldc + j] = beta == 0 ? 0 : beta * C[i * ldc + j];
    for (int64_t k = 0; k < K; ++k) {
      int64_t a = alpha * (ta ? A[k * lda + i] : A[i * lda + k]);
      for (int64_t j = 0; j < N; ++j) C[i * ldc + j] += a * (tb ? B[j * ldb + k] : B[k * ldb + j]);
    }
  }
}

}  // namespace

template <class T>
void gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, T alpha, const T* A, int64_t lda, const T* B, int64_t ldb,
          T beta, T* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {  // BLAS leaves C untouched for K == 0 only when beta == 1; make it explicit
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) C[i * ldc + j] = beta == T(0) ? T(0) : beta * C[i * ldc + j];
    return;
  }
  const int nt = num_threads();
  const double flops = 2.0 * M * N * K;
  // Split the larger of M and N so each block stays a well-shaped GEMM.
  const bool split_rows = M >= N;
  const int64_t extent = split_rows ? M : N, align = 16;  // blocks a multiple of the BLAS micro-kernel width
  auto block = [&](int64_t b, int64_t e) {
    if (split_rows)
      blas_call(ta, tb, e - b, N, K, alpha, ta ? A + b : A + b * lda, lda, B, ldb, beta, C + b * ldc, ldc);
    else
      blas_call(ta, tb, M, e - b, K, alpha, A, lda, tb ? B + b * ldb : B + b, ldb, beta, C + b, ldc);
  };
  // The BLAS may round a block differently from the whole product (another kernel for another shape), so
  // under rb.use_deterministic_algorithms a large product is always cut into the same blocks, whatever
  // the thread count or the caller's parallel region, and the threads share them out.
  if (deterministic() && flops >= kParallelGemmFlops) {
    const int64_t chunk = (extent + kDeterministicGemmBlocks - 1) / kDeterministicGemmBlocks;
    const int64_t size = (chunk + align - 1) / align * align, blocks = (extent + size - 1) / size;
    parallel_for(blocks, 1, [&](int64_t k0, int64_t k1) {
      for (int64_t k = k0; k < k1; ++k) block(k * size, std::min(extent, (k + 1) * size));
    });
    return;
  }
  if (nt <= 1 || flops < kParallelGemmFlops || omp_in_parallel()) {
    blas_call(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
#pragma omp parallel num_threads(nt)
  {
    const int64_t t = omp_get_thread_num(), T_ = omp_get_num_threads();
    const int64_t chunk = ((extent + T_ - 1) / T_ + align - 1) / align * align;
    const int64_t b = t * chunk, e = std::min(extent, b + chunk);
    if (b < e) block(b, e);
  }
}

template <class T>
void gemm_batched(int64_t batch, bool ta, bool tb, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda,
                  int64_t stride_a, const T* B, int64_t ldb, int64_t stride_b, T* C, int64_t ldc, int64_t stride_c) {
  double flops = 2.0 * M * N * K;
  if (batch >= num_threads() && flops * batch >= kParallelGemmFlops) {
    // Enough matrices to give each thread whole GEMMs.
    parallel_for(batch, 1, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i)
        blas_call(ta, tb, M, N, K, T(1), A + i * stride_a, lda, B + i * stride_b, ldb, T(0), C + i * stride_c, ldc);
    });
    return;
  }
  for (int64_t i = 0; i < batch; ++i)
    gemm<T>(ta, tb, M, N, K, T(1), A + i * stride_a, lda, B + i * stride_b, ldb, T(0), C + i * stride_c, ldc);
}

#define RB_INSTANTIATE_GEMM(T)                                                                                        \
  template void gemm<T>(bool, bool, int64_t, int64_t, int64_t, T, const T*, int64_t, const T*, int64_t, T, T*,        \
                        int64_t);                                                                                     \
  template void gemm_batched<T>(int64_t, bool, bool, int64_t, int64_t, int64_t, const T*, int64_t, int64_t, const T*, \
                                int64_t, int64_t, T*, int64_t, int64_t);
RB_INSTANTIATE_GEMM(float)
RB_INSTANTIATE_GEMM(double)
RB_INSTANTIATE_GEMM(int64_t)

void blas_init() { scipy_openblas_set_num_threads(1); }
// C++ programs never call blas_init (the Python module does at import): pin the BLAS at load time too,
// since a threaded BLAS next to the kernels' OpenMP runs several times slower (DESIGN.md).
namespace {
const bool g_blas_pinned = (blas_init(), true);
}  // namespace
const char* blas_name() { return "scipy-openblas32 (OpenBLAS), single-threaded, OpenMP-split"; }

// One table per element type; the template is defined here, where gemm's instantiations are.
template <class T>
const BlasKernels<T>& blas_kernels() {
  static const BlasKernels<T> table = {&gemm<T>, &gemm_batched<T>};
  return table;
}
template <>
const BlasKernels<float>& kernels<BlasKernels<float>>() {
  return blas_kernels<float>();
}
template <>
const BlasKernels<double>& kernels<BlasKernels<double>>() {
  return blas_kernels<double>();
}
template <>
const BlasKernels<int64_t>& kernels<BlasKernels<int64_t>>() {
  return blas_kernels<int64_t>();
}

}  // namespace rb::cpu
