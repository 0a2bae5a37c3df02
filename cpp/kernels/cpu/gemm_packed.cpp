// The small-M GEMM against a pre-packed B (gemm_packed.h: PackedB): a register tile of kTileRows rows
// of C by one panel (two vectors), accumulated over all of K, written with GCC vector extensions at
// the vector width of the capability this copy is compiled for.
#include <algorithm>
#include <cstring>

#include "blas.h"
#include "gemm_packed.h"
#include "loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

// C(rows, width) = A(rows, K) @ B(K, kPanel)[:, :width] + beta * C, rows <= kTileRows; B's rows
// ldb apart (kPanel in a packed panel).
template <class T, int64_t Rows>
void tile(int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb, T beta, T* C, int64_t ldc, int64_t width) {
  constexpr int64_t L = kVecBytes / sizeof(T), NR = PackedB<T>::kPanel;
  Vec<T> acc0[Rows], acc1[Rows];
  for (int64_t r = 0; r < Rows; ++r) acc0[r] = acc1[r] = Vec<T>{};
  for (int64_t k = 0; k < K; ++k) {
    const Vec<T> w0 = vload(B + k * ldb), w1 = vload(B + k * ldb + L);
#pragma GCC unroll 8
    for (int64_t r = 0; r < Rows; ++r) {
      const T a = A[r * lda + k];  // scalar * vector: a broadcast load (an add of 0 would cost an FMA-port uop)
      acc0[r] += a * w0;
      acc1[r] += a * w1;
    }
  }
  if (width == NR) {  // a whole panel: vector stores (short K, as in attention's blocks, makes this path hot)
    for (int64_t r = 0; r < Rows; ++r) {
      T* c = C + r * ldc;
      Vec<T> o0 = acc0[r], o1 = acc1[r];
      if (beta != T(0)) o0 += beta * vload(c), o1 += beta * vload(c + L);
      std::memcpy(c, &o0, sizeof o0);
      std::memcpy(c + L, &o1, sizeof o1);
    }
    return;
  }
  for (int64_t r = 0; r < Rows; ++r) {
    T out[NR];
    std::memcpy(out, &acc0[r], sizeof(Vec<T>));
    std::memcpy(out + L, &acc1[r], sizeof(Vec<T>));
    T* c = C + r * ldc;
    if (beta == T(0))
      for (int64_t j = 0; j < width; ++j) c[j] = out[j];
    else
      for (int64_t j = 0; j < width; ++j) c[j] = beta * c[j] + out[j];
  }
}

// The last rows < R of C as one tile of exactly that many rows (one row at a time would read the
// panel once per row).
template <class T, int64_t R>
void tail_tile(int64_t rows, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb, T beta, T* C, int64_t ldc,
               int64_t width) {
  if constexpr (R > 0) {
    if (rows == R) return tile<T, R>(K, A, lda, B, ldb, beta, C, ldc, width);
    tail_tile<T, R - 1>(rows, K, A, lda, B, ldb, beta, C, ldc, width);
  }
}

// All M rows of C(:, :width) = A @ B(K, kPanel) + beta * C: full tiles, then the leftover rows as
// one smaller tile.
template <class T>
void panel_product(int64_t M, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb, T beta, T* C, int64_t ldc,
                   int64_t width) {
  int64_t m = 0;
  for (; m + kTileRows <= M; m += kTileRows)
    tile<T, kTileRows>(K, A + m * lda, lda, B, ldb, beta, C + m * ldc, ldc, width);
  if (m < M) tail_tile<T, kTileRows - 1>(M - m, K, A + m * lda, lda, B, ldb, beta, C + m * ldc, ldc, width);
}

}  // namespace

template <class T>
PackedB<T>::PackedB(const T* B, int64_t ldb, bool trans, int64_t K, int64_t N)
    : K_(K), N_(N), data_(new T[static_cast<size_t>(std::max<int64_t>(1, panels() * K * kPanel))]) {
  // panel p, row k, lane j holds B[k][p*kPanel + j] (0 past N)
  parallel_for(panels(), 1, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      T* dst = data_.get() + p * K * kPanel;
      const int64_t n0 = p * kPanel, width = std::min(kPanel, N - n0);
      for (int64_t k = 0; k < K; ++k) {
        T* row = dst + k * kPanel;
        for (int64_t j = 0; j < width; ++j) row[j] = trans ? B[(n0 + j) * ldb + k] : B[k * ldb + n0 + j];
        std::fill(row + width, row + kPanel, T(0));
      }
    }
  });
}

template <class T>
void gemm_packed(int64_t M, const T* A, int64_t lda, const PackedB<T>& B, T beta, T* C, int64_t ldc) {
  if (M == 0 || B.N() == 0) return;
  const double flops = 2.0 * M * B.N() * B.K();
  const int64_t grain = flops < kParallelGemmFlops ? B.panels() : 1;  // small products stay on one thread
  parallel_for(B.panels(), grain, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t NR = PackedB<T>::kPanel;
      panel_product(M, B.K(), A, lda, B.panel(p), NR, beta, C + p * NR, ldc, std::min(NR, B.N() - p * NR));
    }
  });
}

template <class T>
void gemm_small(int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb, T beta, T* C,
                int64_t ldc) {
  const int64_t NR = PackedB<T>::kPanel;
  for (int64_t n = 0; n < N; n += NR) panel_product(M, K, A, lda, B + n, ldb, beta, C + n, ldc, std::min(NR, N - n));
}

template class PackedB<float>;
template class PackedB<double>;
template void gemm_packed<float>(int64_t, const float*, int64_t, const PackedB<float>&, float, float*, int64_t);
template void gemm_packed<double>(int64_t, const double*, int64_t, const PackedB<double>&, double, double*, int64_t);
template void gemm_small<float>(int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t, float, float*,
                                int64_t);
template void gemm_small<double>(int64_t, int64_t, int64_t, const double*, int64_t, const double*, int64_t, double,
                                 double*, int64_t);

RB_CPU_NAMESPACE_END
