// The small-M GEMM against a pre-packed B: the recurrence of an RNN layer multiplies the same weight
// by a few rows at every step. Compiled per CPU capability: the panel width is the vector width.
#pragma once
#include <cstdint>
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

RB_CPU_NAMESPACE_END
