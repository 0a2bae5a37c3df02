// GEMM through the BLAS (scipy-openblas32, kept single-threaded) with the library's own OpenMP
// split over rows or columns of C, so BLAS and elementwise kernels share one thread pool.
#pragma once
#include <cstdint>
#include <memory>

namespace rb::cpu {

// Products below this many flops run on one thread: an OpenMP region costs more than it saves.
constexpr double kParallelGemmFlops = 2.0 * 96 * 96 * 96;

// Row-major C(M,N) = alpha * op(A)(M,K) @ op(B)(K,N) + beta * C; lda/ldb/ldc are row strides.
template <class T>
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, T alpha, const T* A, int64_t lda, const T* B,
          int64_t ldb, T beta, T* C, int64_t ldc);

// Batched: the same shapes `batch` times, operands advanced by the given element strides.
template <class T>
void gemm_batched(int64_t batch, bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const T* A,
                  int64_t lda, int64_t stride_a, const T* B, int64_t ldb, int64_t stride_b, T* C, int64_t ldc,
                  int64_t stride_c);

// B (K, N) laid out once for many products with a few rows of A (the recurrence of an RNN layer
// multiplies the same weight by a (batch, hidden) state at every step). The BLAS re-packs B on
// every call, which costs as much as the multiply when M is small; a PackedB is that packing done
// once: panels of kPanel columns, each (K, kPanel) contiguous, the last zero padded.
template <class T>
class PackedB {
 public:
  static constexpr int64_t kPanel = 2 * 64 / sizeof(T);  // two 64-byte vectors per row of a panel
  // B as stored: (K, N) with row stride ldb, or with trans, (N, K) with row stride ldb.
  PackedB(const T* B, int64_t ldb, bool trans, int64_t K, int64_t N);
  int64_t K() const { return K_; }
  int64_t N() const { return N_; }
  int64_t panels() const { return (N_ + kPanel - 1) / kPanel; }
  const T* panel(int64_t p) const { return data_.get() + p * K_ * kPanel; }

 private:
  int64_t K_, N_;
  std::unique_ptr<T[]> data_;
};

// Row-major C(M, N) = A(M, K) @ B + beta * C, B packed; parallel over B's panels.
template <class T>
void gemm_packed(int64_t M, const T* A, int64_t lda, const PackedB<T>& B, T beta, T* C, int64_t ldc);

void blas_init();  // pins the BLAS to one thread
const char* blas_name();

}  // namespace rb::cpu
