// cumsum and cumprod: the running sum's gradient is the running sum taken from the other end (one
// kernel, a flag); cumprod's is built from differentiable ops, with an O(R^2) form where x has zeros.
#include "rosenblatt/ops.h"

#include "columns.h"
#include "op_common.h"

namespace rb {
namespace {

DType scan_dtype(const Tensor& x, std::optional<DType> dtype) {
  return dtype ? *dtype : is_floating(x.dtype()) ? x.dtype() : DType::Int64;
}

Tensor running_sum(const Tensor& x, int64_t d, bool reverse);

struct CumsumBackward : Node {
  int64_t dim = 0;
  bool reverse = false;
  std::string name() const override { return "CumsumBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {running_sum(g[0], dim, !reverse)}; }
};

// The running sum of x along d, from the start or (reverse) from the end.
Tensor running_sum(const Tensor& x, int64_t d, bool reverse) {
  const auto& k = kernels<ScanKernels>("cumsum", x);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  if (x.numel() > 0) {
    k.cumsum(scan_geom(x.shape(), d, x.dtype()), contiguous_nograd(x).raw_data(), reverse, out.raw_data());
  }
  if (needs_grad(x)) {
    auto node = std::make_shared<CumsumBackward>();
    node->dim = d, node->reverse = reverse;
    record(node, {&x}, {&out});
  }
  return out;
}

// d cumprod(x)/dx applied to g along d; out = cumprod(x). Without zeros, element k's gradient is
// sum_{j>=k} g_j out_j / x_k. With zeros that division fails, so it is summed directly:
// out_{k-1} * (g_k + sum_{j>k} g_j * prod_{k<i<=j} x_i), one cumprod per position.
Tensor cumprod_backward(const Tensor& g, const Tensor& x, const Tensor& out, int64_t d) {
  const int64_t R = x.dim() == 0 ? 1 : x.size(d);
  if (x.numel() == 0 || R == 1) return g;
  bool has_zero;
  {
    NoGradGuard ng;
    has_zero = any(binary(BinaryOp::Eq, x, Scalar(0.0))).item<bool>();
  }
  if (!has_zero) return div(running_sum(mul(g, out), d, true), x);
  std::vector<Tensor> parts;
  for (int64_t k = 0; k < R; ++k) {
    Tensor term = narrow(g, d, k, 1);
    if (k + 1 < R) {
      Tensor later = mul(narrow(g, d, k + 1, R - k - 1), cumprod(narrow(x, d, k + 1, R - k - 1), d));
      term = add(term, sum(later, {d}, true));
    }
    if (k > 0) term = mul(term, narrow(out, d, k - 1, 1));
    parts.push_back(term);
  }
  return cat(parts, d);
}

struct CumprodBackward : Node {
  SavedTensor x, out;
  int64_t dim = 0;
  std::string name() const override { return "CumprodBackward0"; }
  void release_saved() override { x.reset(), out.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    return {cumprod_backward(g[0], x.unpack(*this), out.unpack(*this), dim)};
  }
};

}  // namespace

// A storage dtype (float16, int8...) scans in its compute type and rounds each output once, as ATen's
// kernels accumulate in acc_type.
Tensor cumsum(const Tensor& x_in, int64_t dim, std::optional<DType> dtype) {
  const int64_t d = wrap_dim(dim, x_in.dim());
  Tensor x = cast(x_in, scan_dtype(x_in, dtype));
  if (!is_compute_dtype(x.dtype())) return cast(running_sum(widen(x), d, false), x.dtype());
  return running_sum(x, d, false);
}

Tensor cumprod(const Tensor& x_in, int64_t dim, std::optional<DType> dtype) {
  const int64_t d = wrap_dim(dim, x_in.dim());
  Tensor x = cast(x_in, scan_dtype(x_in, dtype));
  if (!is_compute_dtype(x.dtype())) return cast(cumprod(widen(x), d, std::nullopt), x.dtype());
  const auto& k = kernels<ScanKernels>("cumprod", x);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  if (x.numel() > 0) {
    k.cumprod(scan_geom(x.shape(), d, x.dtype()), contiguous_nograd(x).raw_data(), out.raw_data());
  }
  if (needs_grad(x)) {
    auto node = std::make_shared<CumprodBackward>();
    node->x = SavedTensor(x), node->out = SavedTensor::output(out), node->dim = d;
    record(node, {&x}, {&out});
  }
  return out;
}

}  // namespace rb
