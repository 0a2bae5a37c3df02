// Batched LAPACK calls on row-major operands. LAPACK is column-major, so each kernel either reads a
// row-major matrix as its column-major transpose (where the factorization allows) or copies it
// transposed into a per-matrix work buffer; the O(n^2) copies are small beside the O(n^3) work.
#include "lapack.h"

#include <cblas.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "loops.h"

// The LAPACK prototypes, in one place: scipy-openblas32 prefixes every symbol with scipy_ and uses
// 32-bit integers; character arguments carry gfortran's hidden lengths at the end.
extern "C" {
using lp_int = int32_t;
using lp_len = size_t;
void scipy_sgetrs_(const char*, const lp_int*, const lp_int*, const float*, const lp_int*, const lp_int*, float*,
                   const lp_int*, lp_int*, lp_len);
void scipy_dgetrs_(const char*, const lp_int*, const lp_int*, const double*, const lp_int*, const lp_int*, double*,
                   const lp_int*, lp_int*, lp_len);
void scipy_sgetrf_(const lp_int*, const lp_int*, float*, const lp_int*, lp_int*, lp_int*);
void scipy_dgetrf_(const lp_int*, const lp_int*, double*, const lp_int*, lp_int*, lp_int*);
void scipy_spotrf_(const char*, const lp_int*, float*, const lp_int*, lp_int*, lp_len);
void scipy_dpotrf_(const char*, const lp_int*, double*, const lp_int*, lp_int*, lp_len);
void scipy_sgeqrf_(const lp_int*, const lp_int*, float*, const lp_int*, float*, float*, const lp_int*, lp_int*);
void scipy_dgeqrf_(const lp_int*, const lp_int*, double*, const lp_int*, double*, double*, const lp_int*, lp_int*);
void scipy_sorgqr_(const lp_int*, const lp_int*, const lp_int*, float*, const lp_int*, const float*, float*,
                   const lp_int*, lp_int*);
void scipy_dorgqr_(const lp_int*, const lp_int*, const lp_int*, double*, const lp_int*, const double*, double*,
                   const lp_int*, lp_int*);
void scipy_sgesdd_(const char*, const lp_int*, const lp_int*, float*, const lp_int*, float*, float*, const lp_int*,
                   float*, const lp_int*, float*, const lp_int*, lp_int*, lp_int*, lp_len);
void scipy_dgesdd_(const char*, const lp_int*, const lp_int*, double*, const lp_int*, double*, double*, const lp_int*,
                   double*, const lp_int*, double*, const lp_int*, lp_int*, lp_int*, lp_len);
void scipy_ssyevd_(const char*, const char*, const lp_int*, float*, const lp_int*, float*, float*, const lp_int*,
                   lp_int*, const lp_int*, lp_int*, lp_len, lp_len);
void scipy_dsyevd_(const char*, const char*, const lp_int*, double*, const lp_int*, double*, double*, const lp_int*,
                   lp_int*, const lp_int*, lp_int*, lp_len, lp_len);
}

namespace rb::cpu {
namespace {

// One overload set per routine, so the kernels below are written once for float and double.
void getrs(lp_int n, lp_int k, const float* a, const lp_int* piv, float* b, lp_int* info) {
  lp_int ld = std::max(1, n);
  scipy_sgetrs_("N", &n, &k, a, &ld, piv, b, &ld, info, 1);
}
void getrs(lp_int n, lp_int k, const double* a, const lp_int* piv, double* b, lp_int* info) {
  lp_int ld = std::max(1, n);
  scipy_dgetrs_("N", &n, &k, a, &ld, piv, b, &ld, info, 1);
}
void getrf(lp_int n, float* a, lp_int* piv, lp_int* info) { scipy_sgetrf_(&n, &n, a, &n, piv, info); }
void getrf(lp_int n, double* a, lp_int* piv, lp_int* info) { scipy_dgetrf_(&n, &n, a, &n, piv, info); }
void potrf(char uplo, lp_int n, float* a, lp_int* info) { scipy_spotrf_(&uplo, &n, a, &n, info, 1); }
void potrf(char uplo, lp_int n, double* a, lp_int* info) { scipy_dpotrf_(&uplo, &n, a, &n, info, 1); }
void geqrf(lp_int m, lp_int n, float* a, float* tau, float* w, lp_int lw, lp_int* info) {
  lp_int ld = std::max(1, m);
  scipy_sgeqrf_(&m, &n, a, &ld, tau, w, &lw, info);
}
void geqrf(lp_int m, lp_int n, double* a, double* tau, double* w, lp_int lw, lp_int* info) {
  lp_int ld = std::max(1, m);
  scipy_dgeqrf_(&m, &n, a, &ld, tau, w, &lw, info);
}
void orgqr(lp_int m, lp_int n, lp_int k, float* a, const float* tau, float* w, lp_int lw, lp_int* info) {
  lp_int ld = std::max(1, m);
  scipy_sorgqr_(&m, &n, &k, a, &ld, tau, w, &lw, info);
}
void orgqr(lp_int m, lp_int n, lp_int k, double* a, const double* tau, double* w, lp_int lw, lp_int* info) {
  lp_int ld = std::max(1, m);
  scipy_dorgqr_(&m, &n, &k, a, &ld, tau, w, &lw, info);
}
void gesdd(char job, lp_int m, lp_int n, float* a, float* s, float* u, lp_int ldu, float* vt, lp_int ldvt, float* w,
           lp_int lw, lp_int* iw, lp_int* info) {
  lp_int ld = std::max(1, m);
  scipy_sgesdd_(&job, &m, &n, a, &ld, s, u, &ldu, vt, &ldvt, w, &lw, iw, info, 1);
}
void gesdd(char job, lp_int m, lp_int n, double* a, double* s, double* u, lp_int ldu, double* vt, lp_int ldvt,
           double* w, lp_int lw, lp_int* iw, lp_int* info) {
  lp_int ld = std::max(1, m);
  scipy_dgesdd_(&job, &m, &n, a, &ld, s, u, &ldu, vt, &ldvt, w, &lw, iw, info, 1);
}
void syevd(char job, char uplo, lp_int n, float* a, float* w, float* work, lp_int lw, lp_int* iw, lp_int liw,
           lp_int* info) {
  lp_int ld = std::max(1, n);
  scipy_ssyevd_(&job, &uplo, &n, a, &ld, w, work, &lw, iw, &liw, info, 1, 1);
}
void syevd(char job, char uplo, lp_int n, double* a, double* w, double* work, lp_int lw, lp_int* iw, lp_int liw,
           lp_int* info) {
  lp_int ld = std::max(1, n);
  scipy_dsyevd_(&job, &uplo, &n, a, &ld, w, work, &lw, iw, &liw, info, 1, 1);
}
void trsm(bool left, bool upper, bool unit, lp_int M, lp_int N, lp_int lda, const float* a, float* b, lp_int ldb) {
  scipy_cblas_strsm(CblasRowMajor, left ? CblasLeft : CblasRight, upper ? CblasUpper : CblasLower, CblasNoTrans,
                    unit ? CblasUnit : CblasNonUnit, M, N, 1.0f, a, lda, b, ldb);
}
void trsm(bool left, bool upper, bool unit, lp_int M, lp_int N, lp_int lda, const double* a, double* b, lp_int ldb) {
  scipy_cblas_dtrsm(CblasRowMajor, left ? CblasLeft : CblasRight, upper ? CblasUpper : CblasLower, CblasNoTrans,
                    unit ? CblasUnit : CblasNonUnit, M, N, 1.0, a, lda, b, ldb);
}

// Runs f(i) for each matrix of the batch, in parallel once each matrix costs about `flops`
// and there are enough of them (LAPACK itself stays on one thread).
template <class F>
void for_each_matrix(int64_t batch, double flops, const F& f) {
  int64_t grain = std::max<int64_t>(1, static_cast<int64_t>(kGrain / std::max(flops, 1.0)));
  parallel_for(batch, grain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) f(i);
  });
}

// dst (cols x rows, row-major) <- src^T (rows x cols, row-major): the column-major copy of src.
template <class T>
void transpose_into(const T* src, int64_t rows, int64_t cols, T* dst) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] = src[r * cols + c];
}

// Whether a matrix holds only finite values: the iterative routines (gesdd, syevd) may never return on an
// infinity, so they are not called on one.
template <class T>
bool all_finite(const T* p, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    if (!std::isfinite(p[i])) return false;
  return true;
}

// A workspace size returned by a LAPACK query (lwork = -1) as an int.
template <class T>
lp_int work_size(T w) {
  return std::max<lp_int>(1, static_cast<lp_int>(w));
}

template <class T>
void solve_kernel(int64_t batch, int64_t n, int64_t k, T* A, T* B, int32_t* info) {
  // A: (batch, n, n), B: (batch, n, k) -> X: (batch, n, k) in B
  for_each_matrix(batch, double(n) * n * (n + k), [&](int64_t i) {
    std::vector<T> a(std::max<int64_t>(1, n * n)), b(std::max<int64_t>(1, n * k));
    std::vector<lp_int> piv(std::max<int64_t>(1, n));
    transpose_into(A + i * n * n, n, n, a.data());
    transpose_into(B + i * n * k, n, k, b.data());
    // getrf then getrs even for a singular A (gesv would skip the solve): the zero pivot then gives the
    // inf/nan entries PyTorch returns from inv_ex and solve_ex, and that a backward through them sees.
    info[i] = 0;
    if (n == 0) return;
    getrf(n, a.data(), piv.data(), &info[i]);
    lp_int solve_info = 0;
    if (k > 0) getrs(n, k, a.data(), piv.data(), b.data(), &solve_info);
    transpose_into(b.data(), k, n, B + i * n * k);
    transpose_into(a.data(), n, n, A + i * n * n);
  });
}

template <class T>
void det_kernel(int64_t batch, int64_t n, T* A, T* det, T* sign, T* logabs) {
  // A: (batch, n, n) -> (batch) x 3. The LU of A^T (A read in place as column-major) has A's determinant.
  for_each_matrix(batch, double(n) * n * n, [&](int64_t i) {
    T* a = A + i * n * n;
    std::vector<lp_int> piv(std::max<int64_t>(1, n));
    lp_int info = 0;
    if (n > 0) getrf(n, a, piv.data(), &info);
    T s = 1, la = 0, d = 1;
    for (int64_t j = 0; j < n; ++j) {
      T u = a[j * n + j];
      if (piv[j] != j + 1) s = -s, d = -d;
      if (u < 0) s = -s;
      if (u == 0) s = 0;
      la += std::log(std::abs(u));
      d *= u;
    }
    det[i] = d, sign[i] = s, logabs[i] = la;
  });
}

template <class T>
void cholesky_kernel(int64_t batch, int64_t n, T* A, bool upper, int32_t* info) {
  // A: (batch, n, n). Row-major lower is column-major upper, so 'U' on the buffer as it is gives L.
  for_each_matrix(batch, double(n) * n * n / 3, [&](int64_t i) {
    T* a = A + i * n * n;
    info[i] = 0;
    if (n > 0) potrf(upper ? 'L' : 'U', n, a, &info[i]);
    // OpenBLAS's potrf lets a NaN through where reference LAPACK (and MKL, under PyTorch) stops at its minor
    for (int64_t j = 0; j < n && info[i] == 0; ++j)
      if (std::isnan(a[j * n + j])) info[i] = static_cast<int32_t>(j + 1);
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < n; ++c)
        if (upper ? c < r : c > r) a[r * n + c] = 0;
  });
}

template <class T>
void qr_kernel(int64_t batch, int64_t m, int64_t n, const T* A, T* Q, T* R, bool complete) {
  // A: (batch, m, n) -> Q: (batch, m, c), R: (batch, c, n)
  int64_t k = std::min(m, n), c = complete ? m : k;
  for_each_matrix(batch, 2.0 * m * n * k, [&](int64_t i) {
    int64_t qc = std::max(n, c);  // the factored columns, then room for Q's
    std::vector<T> a(std::max<int64_t>(1, m * qc)), tau(std::max<int64_t>(1, k));
    transpose_into(A + i * m * n, m, n, a.data());
    lp_int info = 0;
    T q = 0;
    geqrf(m, n, a.data(), tau.data(), &q, -1, &info);
    std::vector<T> w(work_size(q));
    geqrf(m, n, a.data(), tau.data(), w.data(), static_cast<lp_int>(w.size()), &info);
    T* r = R + i * c * n;
    for (int64_t row = 0; row < c; ++row)
      for (int64_t col = 0; col < n; ++col) r[row * n + col] = col >= row && row < k ? a[col * m + row] : T(0);
    if (!Q) return;
    orgqr(m, c, k, a.data(), tau.data(), &q, -1, &info);
    w.resize(work_size(q));
    orgqr(m, c, k, a.data(), tau.data(), w.data(), static_cast<lp_int>(w.size()), &info);
    transpose_into(a.data(), c, m, Q + i * m * c);
  });
}

template <class T>
void svd_kernel(int64_t batch, int64_t m, int64_t n, const T* A, T* U, T* S, T* Vh, bool full, int32_t* info) {
  // A: (batch, m, n) -> U: (batch, m, um), S: (batch, k), Vh: (batch, vn, n). Row-major A is the
  // column-major M = A^T (n x m); M = U_M S VT_M gives A = VT_M^T S U_M^T, and column-major VT_M and U_M
  // read as row-major are exactly U and Vh: no transposes.
  int64_t k = std::min(m, n), um = full ? m : k, vn = full ? n : k;
  bool uv = U != nullptr;
  char job = !uv ? 'N' : full ? 'A' : 'S';
  for_each_matrix(batch, 4.0 * m * n * k, [&](int64_t i) {
    info[i] = 0;
    T* u = uv ? U + i * m * um : nullptr;
    T* vh = uv ? Vh + i * vn * n : nullptr;
    if (k == 0) {  // LAPACK returns at once, leaving the (empty or identity) factors unset
      if (uv) {
        for (int64_t j = 0; j < m * um; ++j) u[j] = j % (um + 1) == 0 ? T(1) : T(0);
        for (int64_t j = 0; j < vn * n; ++j) vh[j] = j % (n + 1) == 0 ? T(1) : T(0);
      }
      return;
    }
    if (!all_finite(A + i * m * n, m * n)) {  // NaN: LAPACK's own "illegal value" code; inf: NaN results
      bool nan = false;
      for (int64_t j = 0; j < m * n; ++j) nan = nan || std::isnan(A[i * m * n + j]);
      info[i] = nan ? -4 : 0;
      std::fill(S + i * k, S + (i + 1) * k, NAN);
      if (uv) std::fill(u, u + m * um, NAN), std::fill(vh, vh + vn * n, NAN);
      return;
    }
    std::vector<T> a(A + i * m * n, A + (i + 1) * m * n), dummy(1);
    std::vector<lp_int> iw(8 * k);
    lp_int ldu = static_cast<lp_int>(n), ldvt = static_cast<lp_int>(uv ? um : 1);
    T* mu = uv ? vh : dummy.data();
    T* mvt = uv ? u : dummy.data();
    T q = 0;
    gesdd(job, n, m, a.data(), S + i * k, mu, uv ? ldu : 1, mvt, ldvt, &q, -1, iw.data(), &info[i]);
    std::vector<T> w(work_size(q));
    gesdd(job, n, m, a.data(), S + i * k, mu, uv ? ldu : 1, mvt, ldvt, w.data(), static_cast<lp_int>(w.size()),
          iw.data(), &info[i]);
  });
}

template <class T>
void eigh_kernel(int64_t batch, int64_t n, const T* A, T* W, T* V, bool upper, int32_t* info) {
  // A: (batch, n, n) -> W: (batch, n), V: (batch, n, n). Row-major lower is column-major upper.
  for_each_matrix(batch, 9.0 * n * n * n, [&](int64_t i) {
    info[i] = 0;
    if (n == 0) return;
    if (!all_finite(A + i * n * n, n * n)) {  // reported as LAPACK reports a failure to converge
      info[i] = 1;
      return;
    }
    std::vector<T> a(A + i * n * n, A + (i + 1) * n * n);
    char job = V ? 'V' : 'N', uplo = upper ? 'L' : 'U';
    T q = 0;
    lp_int iq = 0;
    syevd(job, uplo, n, a.data(), W + i * n, &q, -1, &iq, -1, &info[i]);
    std::vector<T> w(work_size(q));
    std::vector<lp_int> iw(std::max<lp_int>(1, iq));
    syevd(job, uplo, n, a.data(), W + i * n, w.data(), static_cast<lp_int>(w.size()), iw.data(),
          static_cast<lp_int>(iw.size()), &info[i]);
    if (V) transpose_into(a.data(), n, n, V + i * n * n);  // eigenvectors are LAPACK's columns
  });
}

template <class T>
void trsm_kernel(int64_t batch, bool left, bool upper, bool unit, int64_t n, int64_t k, const T* A, T* B) {
  // A: (batch, n, n); B: (batch, n, k) when left, else (batch, k, n)
  if (n == 0 || k == 0) return;
  for_each_matrix(batch, double(n) * n * k, [&](int64_t i) {
    lp_int M = left ? n : k, N = left ? k : n;
    trsm(left, upper, unit, M, N, n, A + i * n * n, B + i * n * k, N);
  });
}

template <class T>
const LapackKernels<T>& lapack_kernels() {
  static const LapackKernels<T> table = {&solve_kernel<T>, &det_kernel<T>,  &cholesky_kernel<T>, &qr_kernel<T>,
                                         &svd_kernel<T>,   &eigh_kernel<T>, &trsm_kernel<T>};
  return table;
}

}  // namespace

template <>
const LapackKernels<float>& kernels<LapackKernels<float>>() {
  return lapack_kernels<float>();
}
template <>
const LapackKernels<double>& kernels<LapackKernels<double>>() {
  return lapack_kernels<double>();
}

}  // namespace rb::cpu
