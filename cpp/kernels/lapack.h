// The dense factorization family's kernel table (LU, Cholesky, QR, SVD, symmetric eigen, triangular
// solve), per element type. Every operand is a contiguous row-major batch; one matrix per iteration.
#pragma once
#include <cstdint>

namespace rb {

template <class T>
struct LapackKernels {
  // A: (batch, n, n), B: (batch, n, k). B <- A^-1 B, A <- its LU; info[b] > 0: U(i, i) is zero (1-based).
  void (*solve)(int64_t batch, int64_t n, int64_t k, T* A, T* B, int32_t* info);
  // A: (batch, n, n) -> det, sign, logabsdet: (batch); A is overwritten by its LU.
  void (*det)(int64_t batch, int64_t n, T* A, T* det, T* sign, T* logabsdet);
  // A: (batch, n, n) in place -> L (or U = L^T when upper), the other triangle zeroed; reads the lower
  // (upper: the upper) triangle only. info[b] > 0: the leading minor of that order is not positive-definite.
  void (*cholesky)(int64_t batch, int64_t n, T* A, bool upper, int32_t* info);
  // A: (batch, m, n) -> Q: (batch, m, c) (skipped when null), R: (batch, c, n); c = complete ? m : min(m, n).
  void (*qr)(int64_t batch, int64_t m, int64_t n, const T* A, T* Q, T* R, bool complete);
  // A: (batch, m, n) -> S: (batch, k) descending, U: (batch, m, full ? m : k), Vh: (batch, full ? n : k, n),
  // k = min(m, n); U and Vh null: values only. info[b] > 0: no convergence; -4: a NaN in A (an infinity gives NaNs).
  void (*svd)(int64_t batch, int64_t m, int64_t n, const T* A, T* U, T* S, T* Vh, bool full, int32_t* info);
  // A: (batch, n, n) symmetric, read from its lower (upper: upper) triangle -> W: (batch, n) ascending,
  // V: (batch, n, n) eigenvectors in columns (skipped when null). info[b] > 0: no convergence (or a non-finite A).
  void (*eigh)(int64_t batch, int64_t n, const T* A, T* W, T* V, bool upper, int32_t* info);
  // A: (batch, n, n) triangular; B: (batch, n, k) when left (B <- A^-1 B), else (batch, k, n) (B <- B A^-1).
  void (*trsm)(int64_t batch, bool left, bool upper, bool unit, int64_t n, int64_t k, const T* A, T* B);
};

}  // namespace rb
