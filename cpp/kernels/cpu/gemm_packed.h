// The small-M GEMM against a pre-packed B: the recurrence of an RNN layer multiplies the same weight
// by a few rows at every step. Compiled per CPU capability: the panel width is the vector width.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>

#include "capability.h"

RB_CPU_NAMESPACE_BEGIN

// The register tile, from the vector registers this capability has: 64-byte vectors and 32
// registers with AVX-512 (8 rows: 16 accumulators), 32-byte (AVX2) or 16-byte (SSE, NEON) vectors
// and 16 registers otherwise (6 rows: 12 accumulators + 2 panel vectors + 1 broadcast). Vectors
// wider than the hardware's spill every accumulator to the stack (the LSTM ran 16x slower on AVX2).
#if defined(__AVX512F__)
constexpr int64_t kVecBytes = 64, kTileRows = 8;
#elif defined(__AVX__)
constexpr int64_t kVecBytes = 32, kTileRows = 6;
#else
constexpr int64_t kVecBytes = 16, kTileRows = 6;
#endif

// Vectors of kVecBytes (the attribute cannot apply to a dependent type, hence one per type).
template <class T>
struct VecOf;
template <>
struct VecOf<float> {
  typedef float type __attribute__((vector_size(kVecBytes)));
};
template <>
struct VecOf<double> {
  typedef double type __attribute__((vector_size(kVecBytes)));
};
template <class T>
using Vec = typename VecOf<T>::type;

template <class T>
inline Vec<T> vload(const T* p) {
  Vec<T> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// B (K, N) laid out once for many products with a few rows of A (the recurrence of an RNN layer
// multiplies the same weight by a (batch, hidden) state at every step). The BLAS re-packs B on
// every call, which costs as much as the multiply when M is small; a PackedB is that packing done
// once: panels of kPanel columns, each (K, kPanel) contiguous, the last zero padded.
template <class T>
class PackedB {
 public:
  static constexpr int64_t kPanel = 2 * kVecBytes / sizeof(T);  // two vectors per row of a panel
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

// Row-major C(M, N) = A(M, K) @ B(K, N) + beta * C on one thread, for the small products inside
// other kernels' parallel loops (attention's blocks). B's rows are read to a whole number of panels
// (ldb >= N rounded up to PackedB<T>::kPanel; what lies past N only reaches discarded lanes); C is
// written in its first N columns.
template <class T>
void gemm_small(int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb, T beta, T* C,
                int64_t ldc);

RB_CPU_NAMESPACE_END
