// The matrix-product family's kernel table: row-major GEMM, single and batched, per element type
// (float, double, int64).
#pragma once
#include <cstdint>

namespace rb {

template <class T>
struct BlasKernels {
  // Row-major C(M,N) = alpha * op(A)(M,K) @ op(B)(K,N) + beta * C; lda/ldb/ldc are row strides.
  void (*gemm)(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, T alpha, const T* A, int64_t lda,
               const T* B, int64_t ldb, T beta, T* C, int64_t ldc);
  // The same shapes `batch` times (alpha 1, beta 0), operands advanced by the given element strides.
  void (*gemm_batched)(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A,
                       int64_t lda, int64_t stride_a, const T* B, int64_t ldb, int64_t stride_b, T* C, int64_t ldc,
                       int64_t stride_c);
};

}  // namespace rb
