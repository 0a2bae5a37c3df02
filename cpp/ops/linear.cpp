// The dense layer F.linear: y = x W^T + b as one GEMM with the bias in the same pass, and a
// hand-written backward (two GEMMs over the flattened batch, a column sum for the bias).
#include "rosenblatt/ops.h"

#include "op_common.h"
#include "pointers.h"

#include "../kernels/linear.h"

namespace rb {
namespace {

// The weight as the GEMM reads it: row-major (N, K) as given, a transposed view of a row-major
// (K, N) read with w_t (no copy), or a contiguous copy of any other layout. For the kernel only.
Tensor gemm_weight(const Tensor& weight, bool& w_t) {
  NoGradGuard ng;
  const int64_t N = weight.size(0), K = weight.size(1);
  w_t = false;
  if (weight.is_contiguous()) return weight;
  if ((weight.stride(0) == 1 || N == 1) && (weight.stride(1) == N || K == 1)) {
    w_t = true;
    return weight;
  }
  return clone(weight.detach());
}

struct LinearBackward : Node {
  SavedTensor x, w;  // the input (for dW) and the weight (for dx), as given
  bool need_x = false, need_w = false, need_b = false;
  LinearGeom geom;  // the forward's; w_t is found again for the saved weight
  Shape in_shape, w_shape;
  std::string name() const override { return "LinearBackward"; }
  void release_saved() override { x.reset(), w.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    check_not_released();
    Tensor xin = need_w ? x.unpack(*this) : Tensor(), win = need_x ? w.unpack(*this) : Tensor();
    const int64_t M = geom.M, K = geom.K, N = geom.N;
    Tensor dx, dw, db;
    if (GradMode::enabled()) {
      // create_graph: the same products from differentiable ops, so they can be differentiated
      // again (dx = g W, dW = g^T x, db = column sums of g).
      Tensor g2 = reshape(grads[0], {M, N});
      if (need_x) dx = reshape(mm(g2, win), in_shape);
      if (need_w) dw = mm(transpose(g2, 0, 1), reshape(xin, {M, K}));
      if (need_b) db = sum(g2, {0});
      return {dx, dw, db};
    }
    Tensor g = grads[0].contiguous();
    DType dt = g.dtype();
    LinearGeom bg = with_dtype(geom, g);
    Tensor xv = need_w ? contiguous_nograd(xin) : Tensor(), wv = need_x ? gemm_weight(win, bg.w_t) : Tensor();
    if (need_x) dx = Tensor::empty(in_shape, dt, g.device());
    if (need_w) dw = Tensor::empty(w_shape, dt, g.device());
    if (need_b) db = Tensor::empty({N}, dt, g.device());
    kernels<LinearKernels>("linear_backward", g)
        .linear_backward(bg, g.raw_data(), raw_or_null(xv), raw_or_null(wv), raw_or_null(dx), raw_or_null(dw),
                         raw_or_null(db));
    return {dx, dw, db};
  }
};

}  // namespace

Tensor linear(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias_opt) {
  Tensor bias = bias_opt ? *bias_opt : Tensor();
  RB_CHECK(input.device() == weight.device() && (!bias.defined() || bias.device() == input.device()), Error,
           "linear: Expected all tensors to be on the same device, but found at least two devices, ",
           input.device().name(), " and ", weight.device().name(), "!");
  if (!is_compute_dtype(input.dtype()) && input.dtype() == weight.dtype()) {  // float16: GEMM in float32
    std::optional<Tensor> b = bias.defined() ? std::optional<Tensor>(widen(bias)) : std::nullopt;
    return cast(linear(widen(input), widen(weight), b), input.dtype());
  }
  const auto& k = kernels<LinearKernels>("linear", input);
  RB_CHECK(input.dim() >= 1, Error, "linear: input must have at least one dimension (got shape ", input.shape(), ")");
  if (weight.dim() != 2) {  // a 1-D weight follows matmul's rules, as in PyTorch
    RB_CHECK(weight.dim() == 1, Error, "linear: weight must be 1-D or 2-D (got shape ", weight.shape(), ")");
    Tensor y = matmul(input, weight);
    return bias.defined() ? add(y, bias) : y;
  }
  RB_CHECK(input.dtype() == weight.dtype(), Error, "mat1 and mat2 must have the same dtype, but got ",
           dtype_name(input.dtype()), " and ", dtype_name(weight.dtype()));
  if (!is_floating(input.dtype())) {  // an integer matmul, as PyTorch's CPU linear of int64 (no BLAS)
    Tensor y = matmul(input, transpose(weight, 0, 1));
    return bias.defined() ? add(y, bias) : y;
  }
  const int64_t K = input.size(-1), N = weight.size(0);
  RB_CHECK(weight.size(1) == K, Error, "mat1 and mat2 shapes cannot be multiplied (", K ? input.numel() / K : 0, "x", K,
           " and ", weight.size(1), "x", N, ")");
  if (bias.defined()) {
    RB_CHECK(bias.dtype() == input.dtype(), Error, "linear: expected bias of dtype ", dtype_name(input.dtype()),
             " but got ", dtype_name(bias.dtype()));
    if (!(bias.dim() == 1 && bias.size(0) == N)) {
      // Any other broadcastable bias: the GEMM, then a broadcasting add.
      return add(linear(input, weight, std::nullopt), bias);
    }
  }
  Shape out_shape(input.shape().begin(), input.shape().end() - 1);
  out_shape.push_back(N);
  const int64_t M = numel_of(Shape(input.shape().begin(), input.shape().end() - 1));
  LinearGeom g{M, K, N, false, input.dtype()};
  // x as an (M, K) row-major matrix: the input itself when contiguous.
  Tensor x2 = contiguous_nograd(input), wc = gemm_weight(weight, g.w_t), bc = contiguous_nograd(bias);
  Tensor out = Tensor::empty(out_shape, input.dtype(), input.device());
  k.linear_forward(g, x2.raw_data(), wc.raw_data(), raw_or_null(bc), out.raw_data());
  if (GradMode::enabled() &&
      (input.requires_grad() || weight.requires_grad() || (bias.defined() && bias.requires_grad()))) {
    auto node = std::make_shared<LinearBackward>();
    node->need_x = input.requires_grad();
    node->need_w = weight.requires_grad();
    node->need_b = bias.defined() && bias.requires_grad();
    node->in_shape = input.shape();
    node->w_shape = weight.shape();
    node->geom = g;
    if (node->need_w) node->x = SavedTensor(input);
    if (node->need_x) node->w = SavedTensor(weight);
    record(node, {&input, &weight, &bias}, {&out});
  }
  return out;
}

Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const std::optional<Tensor>& bias_opt) {
  RB_CHECK(input1.dim() == input2.dim(), Error, "bilinear(): input dimensions do not match: got ", input1.dim(),
           " and ", input2.dim());
  for (int64_t d = 0; d + 1 < input1.dim(); ++d)
    RB_CHECK(input1.size(d) == input2.size(d), Error, "bilinear(): input batch dimensions do not match at dim ", d,
             ": got ", input1.size(d), " and ", input2.size(d));
  RB_CHECK(input1.dim() >= 1, IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got -1)");
  for (int64_t d : {1, 2})
    RB_CHECK(weight.dim() > d, IndexError, "Dimension out of range (expected to be in range of [", -weight.dim(), ", ",
             weight.dim() - 1, "], but got ", d, ")");
  const int64_t O = weight.size(0), I = weight.size(1), J = weight.size(2);
  RB_CHECK(input1.size(-1) == I, Error, "bilinear(): input1 size does not match weight size: got ", input1.size(-1),
           " but expected ", I);
  RB_CHECK(input2.size(-1) == J, Error, "bilinear(): input2 size does not match weight size: got ", input2.size(-1),
           " but expected ", J);
  const Tensor bias = bias_opt ? *bias_opt : Tensor();
  RB_CHECK(!bias.defined() || (bias.dim() >= 1 && bias.size(0) == O), Error,
           "bilinear(): bias size does not match weight size: got ", bias.defined() && bias.dim() ? bias.size(0) : 0,
           " but expected ", O);
  Shape lead(input1.shape().begin(), input1.shape().end() - 1);
  const int64_t M = numel_of(lead);
  // t[m, o * I + i] = sum_j W[o, i, j] x2[m, j] (one GEMM on W viewed as (O * I, J)), then a batched
  // (O, I) x (I, 1) product per row with x1.
  Tensor t = linear(reshape(input2, {M, J}), reshape(weight, {O * I, J}));
  Tensor y = reshape(bmm(reshape(t, {M, O, I}), reshape(input1, {M, I, 1})), {M, O});
  if (bias.defined()) y = add(y, bias);
  lead.push_back(O);
  return reshape(y, lead);
}

}  // namespace rb
