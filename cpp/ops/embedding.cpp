// Embedding: checks as PyTorch's, the lookup and its dense gradient as ops with autograd nodes
// (the gradient's own gradient is a lookup again, so any order differentiates), renorm and one_hot.
#include <vector>

#include "rosenblatt/ops.h"

#include "indexing_calls.h"
#include "op_common.h"

#include "../kernels/embedding.h"

namespace rb {
namespace {

void check_indices(const Tensor& indices, int64_t V, const char* op) {
  RB_CHECK(indices.dtype() == DType::Int64, Error,
           "Expected tensor for argument #1 'indices' to have one of the "
           "following scalar types: Long; but got ",
           dtype_name(indices.dtype()), " instead (while checking arguments for ", op, ")");
  if (auto bad = index_out_of_range(op, indices, V, false))
    throw IndexError(str("index out of range in self (index ", *bad, " with num_embeddings ", V, ")"));
}

// Per looked-up row, the factor its gradient gets: 0 at padding_idx, 1/count with
// scale_grad_by_freq, else 1; shape (n, 1) in dtype dt. Read on the host.
Tensor row_scale(const Tensor& idx, int64_t V, int64_t padding_idx, bool scale_grad_by_freq, DType dt) {
  const int64_t n = idx.numel();
  const int64_t* pi = static_cast<const int64_t*>(idx.raw_data());
  std::vector<int64_t> count(scale_grad_by_freq ? V : 0, 0);
  for (int64_t i = 0; i < n && scale_grad_by_freq; ++i) ++count[pi[i]];
  Tensor s = Tensor::empty({n, 1}, dt);
  RB_DISPATCH_FLOATING(dt, "embedding_backward", [&] {
    scalar_t* ps = static_cast<scalar_t*>(s.raw_data());
    for (int64_t i = 0; i < n; ++i)
      ps[i] = pi[i] == padding_idx ? scalar_t(0) : scale_grad_by_freq ? scalar_t(1) / scalar_t(count[pi[i]]) : 1;
  });
  return s;
}

// d(dweight)/d(grad) applied to gg (V, D): the rows of gg looked up again, each scaled as its gradient was.
struct EmbeddingDenseBackwardBackward : Node {
  Tensor idx;  // (n) int64, contiguous
  Shape grad_shape;
  int64_t V = 0, padding_idx = -1;
  bool scale = false;
  std::string name() const override { return "EmbeddingDenseBackwardBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor rows = embedding(grads[0], idx);
    if (padding_idx >= 0 || scale) rows = mul(rows, row_scale(idx, V, padding_idx, scale, rows.dtype()));
    return {reshape(rows, grad_shape)};
  }
};

struct EmbeddingBackward0 : Node {
  Tensor idx;  // (n) int64, contiguous; indices are not differentiable
  int64_t V = 0, padding_idx = -1;
  bool scale = false;
  std::string name() const override { return "EmbeddingBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    return {embedding_dense_backward(grads[0], idx, V, padding_idx, scale)};
  }
};

}  // namespace

Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx, bool scale_grad_by_freq) {
  if (!is_compute_dtype(weight.dtype()))
    return cast(embedding(widen(weight), indices, padding_idx, scale_grad_by_freq), weight.dtype());
  const auto& k = kernels<EmbeddingKernels>("embedding", weight);
  RB_CHECK(weight.dim() == 2, Error, "'weight' must be 2-D, got a weight of shape ", weight.shape());
  check_same_device(weight, indices, "embedding");
  const int64_t V = weight.size(0), D = weight.size(1);
  // PyTorch's embedding is an index_select, which refuses an empty table before it reads an index.
  RB_CHECK(V > 0 || indices.numel() == 0, Error, "index_select(): self indexing axis dim should be positive");
  if (D == 0 && indices.dtype() == DType::Int64) {  // rows of no columns: ATen's empty index_select path checks
    if (auto bad = index_out_of_range("embedding", indices, V, false))
      throw Error(str("INDICES element is out of DATA bounds, id=", *bad, " axis_dim=", V));
  }
  check_indices(indices, V, "embedding");
  Tensor idx = contiguous_nograd(indices), w = weight.contiguous();
  Shape out_shape = indices.shape();
  out_shape.push_back(D);
  Tensor out = Tensor::empty(out_shape, weight.dtype(), weight.device());
  if (out.numel() > 0)
    k.embedding_forward({V, D, idx.numel(), w.dtype()}, w.raw_data(), idx.data<int64_t>(), out.raw_data());
  if (weight.requires_grad() && GradMode::enabled()) {
    RB_CHECK(is_floating(weight.dtype()), Error, "embedding: only floating-point weights can require gradients");
    auto node = std::make_shared<EmbeddingBackward0>();
    node->idx = reshape(idx, {idx.numel()});
    node->V = V, node->padding_idx = padding_idx, node->scale = scale_grad_by_freq;
    record(node, {&weight}, {&out});
  }
  return out;
}

Tensor embedding_dense_backward(const Tensor& grad, const Tensor& indices, int64_t num_weights, int64_t padding_idx,
                                bool scale_grad_by_freq) {
  const auto& k = kernels<EmbeddingKernels>("embedding_backward", grad);
  RB_CHECK(grad.dim() >= 1 && is_floating(grad.dtype()), Error, "embedding_backward: expected a float grad, got ",
           dtype_name(grad.dtype()), " of shape ", grad.shape());
  check_indices(indices, num_weights, "embedding_backward");
  const int64_t D = grad.size(grad.dim() - 1), n = indices.numel();
  RB_CHECK(grad.numel() == n * D, Error, "embedding_backward: grad of shape ", grad.shape(),
           " does not match indices of shape ", indices.shape());
  Tensor g = reshape(grad.contiguous(), {n, D}), idx = reshape(contiguous_nograd(indices), {n});
  Tensor dw = Tensor::empty({num_weights, D}, grad.dtype(), grad.device());
  k.embedding_backward({num_weights, D, n, grad.dtype(), padding_idx, scale_grad_by_freq}, g.raw_data(),
                       idx.data<int64_t>(), dw.raw_data());
  if (grad.requires_grad() && GradMode::enabled()) {
    auto node = std::make_shared<EmbeddingDenseBackwardBackward>();
    node->idx = idx, node->grad_shape = grad.shape();
    node->V = num_weights, node->padding_idx = padding_idx, node->scale = scale_grad_by_freq;
    record(node, {&grad}, {&dw});
  }
  return dw;
}

Tensor& embedding_renorm_(Tensor& weight, const Tensor& indices, double max_norm, double norm_type) {
  const auto& k = kernels<EmbeddingKernels>("embedding_renorm_", weight);
  RB_CHECK(weight.dim() == 2, Error, "embedding_renorm_: 'weight' must be 2-D, got a weight of shape ", weight.shape());
  RB_CHECK(weight.is_contiguous() && is_floating(weight.dtype()), Error,
           "embedding_renorm_: expected a contiguous float weight");
  RB_CHECK(max_norm >= 0 && norm_type > 0, ValueError,
           "embedding_renorm_: expected max_norm >= 0 and norm_type > 0, got ", max_norm, " and ", norm_type);
  check_same_device(weight, indices, "embedding_renorm_");
  check_indices(indices, weight.size(0), "embedding_renorm_");
  check_inplace(weight);
  if (!is_compute_dtype(weight.dtype())) {  // float16/bfloat16: the norms and scales in float32, each row rounded once
    NoGradGuard ng;
    Tensor wide = widen(weight);
    embedding_renorm_(wide, indices, max_norm, norm_type);
    return copy_(weight, wide);  // the rows left alone round-trip exactly
  }
  Tensor idx = reshape(contiguous_nograd(indices), {indices.numel()});
  k.embedding_renorm({weight.size(0), weight.size(1), idx.numel(), weight.dtype()}, weight.raw_data(),
                     idx.data<int64_t>(), max_norm, norm_type);
  weight.bump_version();
  return weight;
}

Tensor one_hot(const Tensor& indices, int64_t num_classes) {
  RB_CHECK(indices.dtype() == DType::Int64, Error, "one_hot is only applicable to index tensor of type LongTensor.");
  if (num_classes == -1) {
    RB_CHECK(indices.numel() > 0, Error, "Can not infer total number of classes from empty tensor.");
    num_classes = max(indices).item<int64_t>() + 1;
  }
  RB_CHECK(num_classes >= 0, Error, "num_classes should be positive");  // PyTorch's wording
  if (indices.numel() > 0) {
    RB_CHECK(min(indices).item<int64_t>() >= 0, Error, "Class values must be non-negative.");
    RB_CHECK(max(indices).item<int64_t>() < num_classes, Error, "Class values must be smaller than num_classes.");
  }
  Shape s = indices.shape();
  s.push_back(num_classes);
  Tensor out = zeros(s, DType::Int64, indices.device());
  if (indices.numel() == 0) return out;
  return scatter(out, -1, unsqueeze(indices, -1), ones({}, DType::Int64, indices.device()));
}

}  // namespace rb
