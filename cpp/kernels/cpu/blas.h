// GEMM through the BLAS (scipy-openblas32, kept single-threaded) with the library's own OpenMP
// split over rows or columns of C, so BLAS and elementwise kernels share one thread pool.
#pragma once
#include <cstdint>
#include <memory>
#include "../blas.h"
#include "capability.h"

namespace rb::cpu {

// Products below this many flops run on one thread: an OpenMP region costs more than it saves.
constexpr double kParallelGemmFlops = 2.0 * 96 * 96 * 96;
// Under rb.use_deterministic_algorithms a larger product is cut into this many blocks at any thread count.
constexpr int64_t kDeterministicGemmBlocks = 8;

// Row-major C(M,N) = alpha * op(A)(M,K) @ op(B)(K,N) + beta * C; lda/ldb/ldc are row strides.
template <class T>
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, T alpha, const T* A, int64_t lda, const T* B,
          int64_t ldb, T beta, T* C, int64_t ldc);

// Batched: the same shapes `batch` times, operands advanced by the given element strides.
template <class T>
void gemm_batched(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A, int64_t lda,
                  int64_t stride_a, const T* B, int64_t ldb, int64_t stride_b, T* C, int64_t ldc, int64_t stride_c);

void blas_init();  // pins the BLAS to one thread
const char* blas_name();

template <>
const BlasKernels<float>& kernels<BlasKernels<float>>();
template <>
const BlasKernels<double>& kernels<BlasKernels<double>>();
template <>
const BlasKernels<int64_t>& kernels<BlasKernels<int64_t>>();

}  // namespace rb::cpu
