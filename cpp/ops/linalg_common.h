// What the factorization ops share (cpp/ops/linalg_decomp.cpp, linalg_derived.cpp): PyTorch's argument
// checks and messages, batch flattening for the kernels, and the raising of LAPACK's info codes.
#pragma once
#include <string>
#include <tuple>
#include <utility>

#include "aten_names.h"
#include "op_common.h"
#include "rosenblatt/ops/linalg_decomp.h"

#include "../kernels/lapack.h"

namespace rb::linalg {

inline Tensor mT(const Tensor& x) { return transpose(x, -2, -1); }

// "<op>: The input tensor A must have at least 2 dimensions." and a float32/float64 dtype (float16/bfloat16 too
// where ATen's check allows them and its kernel refuses them: low_precision_ok; any dtype where ATen checks none,
// as linalg_eigh: any_dtype).
inline void check_matrix(const Tensor& A, const char* op, const char* name = "A", bool low_precision_ok = false,
                         bool any_dtype = false) {
  RB_CHECK(A.dim() >= 2, Error, op, ": The input tensor ", name, " must have at least 2 dimensions.");
  if (any_dtype) return;
  RB_CHECK(is_floating(A.dtype()), Error, op, ": Expected a floating point or complex tensor as input. Got ",
           aten_name(A.dtype()));
  RB_CHECK(low_precision_ok || A.dtype() == DType::Float32 || A.dtype() == DType::Float64, Error, op,
           ": Low precision dtypes not supported. Got ", aten_name(A.dtype()));
}
inline void check_square(const Tensor& A, const char* op, const char* name = "A", bool low_precision_ok = false,
                         bool any_dtype = false) {
  check_matrix(A, op, name, low_precision_ok, any_dtype);
  RB_CHECK(A.size(-1) == A.size(-2), Error, op, ": ", name, " must be batches of square matrices, but they are ",
           A.size(-2), " by ", A.size(-1), " matrices");
}

// float16/bfloat16, which ATen's checks let through to a kernel that refuses them: its NotImplementedError naming
// the kernel ('"lu_cpu" not implemented for 'Half''), which an empty A returns before reaching. True for an empty
// low-precision A, whose (empty) result the caller computes widened and casts back.
inline bool low_precision_empty(const Tensor& A, const char* kernel) {
  if (is_compute_dtype(A.dtype())) return false;
  RB_CHECK(A.numel() == 0, NotImplementedError, "\"", kernel, "\" not implemented for '", aten_name(A.dtype()), "'");
  return true;
}

inline Shape batch_shape(const Tensor& A) { return Shape(A.shape().begin(), A.shape().end() - 2); }
inline Shape with_matrix(Shape batch, int64_t r, int64_t c) {
  batch.insert(batch.end(), {r, c});
  return batch;
}

// A contiguous (batch, r, c) copy of A that a kernel may overwrite, not recorded by autograd.
inline Tensor batch_copy(const Tensor& A) {
  NoGradGuard ng;
  return reshape(clone(A.detach()), {numel_of(batch_shape(A)), A.size(-2), A.size(-1)});
}

// Raises LinAlgError for the first matrix whose info is non-zero; `what(info)` words the message.
// A batched input names the element, as "(Batch element 1): ".
template <class F>
void raise_on_info(const Tensor& info, const Tensor& A, const char* op, F what) {
  const int32_t* p = info.data<int32_t>();
  for (int64_t i = 0; i < info.numel(); ++i)
    if (p[i] != 0)
      throw LinAlgError(str(op, ": ", A.dim() > 2 ? str("(Batch element ", i, "): ") : std::string(), what(p[i])));
}

// The element type's machine epsilon, as torch.finfo(dtype).eps.
inline double eps_of(DType dt) { return dt == DType::Float64 ? 2.220446049250313e-16 : 1.1920928955078125e-07; }

// The primitives of linalg_decomp.cpp that the composites of linalg_derived.cpp build on.
// X = A^-1 B and info, for A (..., n, n) and B (..., n, k) with the same batch; recorded.
std::pair<Tensor, Tensor> solve(const Tensor& A, const Tensor& B);
// (det, sign, logabsdet) of square A, not recorded.
std::tuple<Tensor, Tensor, Tensor> lu_det(const Tensor& A, const char* op);
// The gradient of det at A for incoming g, as PyTorch's linalg_det_backward (an SVD where det is 0).
Tensor det_backward(const Tensor& g, const Tensor& det, const Tensor& A);
// (U, S, Vh); U and Vh undefined (and nothing recorded) without compute_uv.
std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& A, bool full, bool compute_uv, const char* op);
// (eigenvalues, eigenvectors); eigenvectors undefined (and nothing recorded) without compute_v.
std::pair<Tensor, Tensor> eigh(const Tensor& A, const std::string& UPLO, bool compute_v, const char* op);
// matrix_norm's orders 2 (largest singular value), -2 (smallest) and "nuc" (their sum, ord 0 here).
Tensor svd_matrix_norm(const Tensor& x, double ord, const Dims& dims, bool keepdim);

}  // namespace rb::linalg
