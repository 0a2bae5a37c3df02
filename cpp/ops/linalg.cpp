// Matrix products: mm and bmm are the differentiable primitives; matmul reduces every case
// (1-D operands, batch broadcasting, N-D @ 2-D) to them with views.
#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"

#include "../kernels/blas.h"

namespace rb {
namespace {

// A GEMM operand in place: row-major, or the transpose of a row-major matrix (a .t() view),
// so backward's transposes cost no copy.
struct GemmOperand {
  Tensor t;  // keeps a copy alive when one was needed
  bool trans;
  int64_t ld;
};
GemmOperand as_gemm_operand(const Tensor& m) {  // m: (R, C), possibly batched (B, R, C)
  int64_t R = m.size(-2), C = m.size(-1), sr = m.stride(-2), sc = m.stride(-1);
  bool batch_ok = m.dim() == 2 || m.size(0) == 1 || m.stride(0) == R * C;
  if (batch_ok && (sc == 1 || C == 1) && sr >= std::max<int64_t>(1, C))
    return {m, false, std::max<int64_t>(sr, std::max<int64_t>(1, C))};
  if (batch_ok && (sr == 1 || R == 1) && sc >= std::max<int64_t>(1, R))
    return {m, true, std::max<int64_t>(sc, std::max<int64_t>(1, R))};
  Tensor c = clone(m.detach());
  return {c, false, std::max<int64_t>(1, C)};
}

void check_mm_args(const Tensor& a, const Tensor& b, const char* op) {
  RB_CHECK(a.dtype() == b.dtype(), Error,
           "expected m1 and m2 to have the same dtype, but got: ", typemeta_name(a.dtype()),
           " != ", typemeta_name(b.dtype()));
  RB_CHECK(a.device() == b.device(), Error, op, ": Expected all tensors to be on the same device");
  RB_CHECK(a.dtype() != DType::Bool, Error, op, ": not implemented for 'Bool'");
}

struct MmBackward : Node {
  SavedTensor a, b;
  bool need_a, need_b;
  std::string name() const override { return "MmBackward0"; }
  void release_saved() override { a.reset(), b.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    // C = A B  =>  dA = dC B^T, dB = A^T dC
    Tensor da = need_a ? mm(g[0], transpose(b.unpack(*this), 0, 1)) : Tensor();
    Tensor db = need_b ? mm(transpose(a.unpack(*this), 0, 1), g[0]) : Tensor();
    return {da, db};
  }
};

struct BmmBackward : Node {
  SavedTensor a, b;
  bool need_a, need_b;
  std::string name() const override { return "BmmBackward0"; }
  void release_saved() override { a.reset(), b.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor da = need_a ? bmm(g[0], transpose(b.unpack(*this), 1, 2)) : Tensor();
    Tensor db = need_b ? bmm(transpose(a.unpack(*this), 1, 2), g[0]) : Tensor();
    return {da, db};
  }
};

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.dim() == 2, Error, "self must be a matrix (got ", a.dim(), "-D tensor of shape ", a.shape(), ")");
  RB_CHECK(b.dim() == 2, Error, "mat2 must be a matrix (got ", b.dim(), "-D tensor of shape ", b.shape(), ")");
  check_mm_args(a, b, "mm");
  if (!is_compute_dtype(a.dtype())) return cast(mm(widen(a), widen(b)), a.dtype());
  RB_CHECK(a.size(1) == b.size(0), Error, "mat1 and mat2 shapes cannot be multiplied (", a.size(0), "x", a.size(1),
           " and ", b.size(0), "x", b.size(1), ")");
  int64_t M = a.size(0), K = a.size(1), N = b.size(1);
  Tensor out = Tensor::empty({M, N}, a.dtype(), a.device());
  GemmOperand A = as_gemm_operand(a), B = as_gemm_operand(b);
  RB_DISPATCH_NUMERIC(a.dtype(), "mm", [&] {
    kernels<BlasKernels<scalar_t>>("mm", out).gemm(
        A.trans, B.trans, M, N, K, scalar_t(1), static_cast<const scalar_t*>(A.t.raw_data()), A.ld,
        static_cast<const scalar_t*>(B.t.raw_data()), B.ld, scalar_t(0), out.data<scalar_t>(), std::max<int64_t>(N, 1));
  });
  if (needs_grad(a, b)) {
    auto node = std::make_shared<MmBackward>();
    node->need_a = a.requires_grad(), node->need_b = b.requires_grad();
    if (node->need_b) node->a = SavedTensor(a);
    if (node->need_a) node->b = SavedTensor(b);
    record(node, {&a, &b}, {&out});
  }
  return out;
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.dim() == 3, Error, "batch1 must be a 3D tensor (got shape ", a.shape(), ")");
  RB_CHECK(b.dim() == 3, Error, "batch2 must be a 3D tensor (got shape ", b.shape(), ")");
  check_mm_args(a, b, "bmm");
  if (!is_compute_dtype(a.dtype())) return cast(bmm(widen(a), widen(b)), a.dtype());
  RB_CHECK(a.size(0) == b.size(0) && a.size(2) == b.size(1), Error,
           "Expected size for first two dimensions of batch2 tensor to be: [", a.size(0), ", ", a.size(2),
           "] but got: [", b.size(0), ", ", b.size(1), "].");
  int64_t Bn = a.size(0), M = a.size(1), K = a.size(2), N = b.size(2);
  Tensor out = Tensor::empty({Bn, M, N}, a.dtype(), a.device());
  GemmOperand A = as_gemm_operand(a), B = as_gemm_operand(b);
  RB_DISPATCH_NUMERIC(a.dtype(), "bmm", [&] {
    kernels<BlasKernels<scalar_t>>("bmm", out)
        .gemm_batched(Bn, A.trans, B.trans, M, N, K, static_cast<const scalar_t*>(A.t.raw_data()), A.ld,
                      A.t.size(0) == 1 ? 0 : M * K, static_cast<const scalar_t*>(B.t.raw_data()), B.ld,
                      B.t.size(0) == 1 ? 0 : K * N, out.data<scalar_t>(), std::max<int64_t>(N, 1), M * N);
  });
  if (needs_grad(a, b)) {
    auto node = std::make_shared<BmmBackward>();
    node->need_a = a.requires_grad(), node->need_b = b.requires_grad();
    if (node->need_b) node->a = SavedTensor(a);
    if (node->need_a) node->b = SavedTensor(b);
    record(node, {&a, &b}, {&out});
  }
  return out;
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.dim() >= 1 && b.dim() >= 1, Error, "both arguments to matmul need to be at least 1D, but they are ",
           a.dim(), "D and ", b.dim(), "D");
  check_mm_args(a, b, "matmul");
  if (!is_compute_dtype(a.dtype())) return cast(matmul(widen(a), widen(b)), a.dtype());
  if (a.dim() == 1 && b.dim() == 1) {
    RB_CHECK(a.size(0) == b.size(0), Error, "inconsistent tensor size, expected tensor [", a.size(0), "] and src [",
             b.size(0), "] to have the same number of elements, but got ", a.size(0), " and ", b.size(0),
             " elements respectively");
    return reshape(mm(unsqueeze(a, 0), unsqueeze(b, 1)), {});
  }
  if (a.dim() <= 2 && b.dim() <= 2) {
    Tensor a2 = a.dim() == 1 ? unsqueeze(a, 0) : a;
    Tensor b2 = b.dim() == 1 ? unsqueeze(b, 1) : b;
    Tensor r = mm(a2, b2);
    if (a.dim() == 1) return squeeze(r, std::vector<int64_t>{0});
    if (b.dim() == 1) return squeeze(r, std::vector<int64_t>{1});
    return r;
  }
  // N-D @ 1-D or N-D @ 2-D: fold the batch into the rows of one GEMM.
  if (b.dim() <= 2 && a.is_contiguous()) {
    Tensor b2 = b.dim() == 1 ? unsqueeze(b, 1) : b;
    Shape out_shape(a.shape().begin(), a.shape().end() - 1);
    // The rows counted, not inferred: reshape cannot infer -1 beside a K of 0.
    const int64_t rows = numel_of(out_shape), K = a.size(-1);
    RB_CHECK(K == b2.size(0), Error, "mat1 and mat2 shapes cannot be multiplied (", rows, "x", K, " and ", b2.size(0),
             "x", b2.size(1), ")");
    if (b.dim() == 2) out_shape.push_back(b.size(1));
    return reshape(mm(reshape(a, {rows, K}), b2), out_shape);
  }
  // General case: broadcast the batch dims and run one bmm.
  Tensor a3 = a.dim() == 1 ? unsqueeze(a, 0) : a;
  Tensor b3 = b.dim() == 1 ? unsqueeze(b, 1) : b;
  int64_t M = a3.size(-2), K = a3.size(-1), K2 = b3.size(-2), N = b3.size(-1);
  RB_CHECK(K == K2, Error, "Expected size for first two dimensions of batch2 tensor to be: [.., ", K,
           "] but got: [.., ", K2, "] (matmul of ", a.shape(), " and ", b.shape(), ")");
  Shape ba(a3.shape().begin(), a3.shape().end() - 2), bb(b3.shape().begin(), b3.shape().end() - 2);
  Shape batch = broadcast_shapes(ba, bb);
  int64_t nb = numel_of(batch);
  Shape ea = batch, eb = batch;
  ea.insert(ea.end(), {M, K});
  eb.insert(eb.end(), {K, N});
  Tensor r = bmm(reshape(expand(a3, ea), {nb, M, K}), reshape(expand(b3, eb), {nb, K, N}));
  Shape out_shape = batch;
  if (a.dim() > 1) out_shape.push_back(M);
  if (b.dim() > 1) out_shape.push_back(N);
  return reshape(r, out_shape);
}

}  // namespace rb
