// Group normalization (torch.group_norm): checks as PyTorch's and the autograd node with the fused
// closed-form backward; with create_graph the backward is rebuilt from differentiable ops.
#include <limits>
#include <string>

#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"
#include "pointers.h"

#include "../kernels/norm.h"

namespace rb {
namespace {

// Group norm's closed-form backward from differentiable ops, for a backward run with create_graph:
// the group statistics are recomputed from x (viewed (N, G, C/G * HW)), so their own dependence on x
// is differentiated; the affine acts on (N, C, HW).
std::vector<Tensor> group_norm_backward_graph(const Tensor& g_in, const Tensor& x_in, const Tensor& w, int64_t N,
                                              int64_t C, int64_t HW, int64_t G, double eps, bool need_x, bool need_w,
                                              bool need_b) {
  const Dims row{2};
  const int64_t D = C / G * HW;
  Tensor x = reshape(x_in, {N, G, D}), g = reshape(g_in, {N, C, HW});
  Tensor xc = sub(x, rb::mean(x, row, true));
  Tensor rstd = div(ones({}, x.dtype()), unary(UnaryOp::Sqrt, add(rb::mean(mul(xc, xc), row, true), Scalar(eps))));
  Tensor xhat = mul(xc, rstd);  // (N, G, D)
  Tensor dx, dw, db;
  if (need_x) {
    Tensor gw = reshape(w.defined() ? mul(g, reshape(w, {1, C, 1})) : g, {N, G, D});
    dx = mul(rstd, sub(sub(gw, rb::mean(gw, row, true)), mul(xhat, rb::mean(mul(gw, xhat), row, true))));
    dx = reshape(dx, x_in.shape());
  }
  if (need_w) dw = sum(mul(g, reshape(xhat, {N, C, HW})), {0, 2});
  if (need_b) db = sum(g, {0, 2});
  return {dx, dw, db};
}

struct NativeGroupNormBackward0 : Node {
  SavedTensor x, weight;
  Tensor mean, rstd;  // (N * G): statistics of the forward, not differentiated (create_graph recomputes them)
  NormGeom geom;      // x: (N, C, L) in G groups
  double eps = 0;
  bool need_x, need_w, need_b;
  std::string name() const override { return "NativeGroupNormBackward0"; }
  void release_saved() override { x.reset(), weight.reset(), mean = Tensor(), rstd = Tensor(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor xv = x.unpack(*this);
    Tensor wv = weight.defined() ? weight.unpack(*this) : Tensor();
    if (GradMode::enabled())
      return group_norm_backward_graph(grads[0], xv, wv, geom.N, geom.C, geom.L, geom.G, eps, need_x, need_w, need_b);
    Tensor g = grads[0].contiguous();
    Tensor dx, dw, db;
    if (need_x) dx = Tensor::empty(xv.shape(), xv.dtype(), xv.device());
    if (need_w) dw = Tensor::empty({geom.C}, xv.dtype(), xv.device());
    if (need_b) db = Tensor::empty({geom.C}, xv.dtype(), xv.device());
    kernels<NormKernels>("group_norm_backward", g)
        .group_norm_backward(geom, g.raw_data(), xv.raw_data(), mean.raw_data(), rstd.raw_data(), raw_or_null(wv),
                             raw_or_null(dx), raw_or_null(dw), raw_or_null(db));
    return {dx, dw, db};
  }
};

void check_group_norm_param(const std::optional<Tensor>& t, const char* what, const Tensor& x) {
  if (!t) return;
  RB_CHECK(t->dim() == 1 && t->numel() == x.size(1), Error, "Expected ", what,
           " to be a vector of size equal to the number of channels in input, but got ", what, " of shape ", t->shape(),
           " and input of shape ", x.shape());
  check_same_device(x, *t, "group_norm");
  RB_CHECK(t->dtype() == x.dtype(), Error, "group_norm: expected ", what, " of dtype ", dtype_name(x.dtype()), ", got ",
           dtype_name(t->dtype()));
}

}  // namespace

Tensor group_norm(const Tensor& x, int64_t num_groups, const std::optional<Tensor>& weight,
                  const std::optional<Tensor>& bias, double eps) {
  const auto& k = kernels<NormKernels>("group_norm", x);
  RB_CHECK(x.dim() >= 2, Error, "Expected at least 2 dimensions for input tensor but received ", x.dim());
  RB_CHECK(num_groups > 0, ValueError, "group_norm: expected num_groups > 0, got ", num_groups);
  const int64_t N = x.size(0), C = x.size(1), G = num_groups;
  RB_CHECK(C % G == 0, Error,
           "Expected number of channels in input to be divisible by num_groups, but got input of shape ", x.shape(),
           " and num_groups=", G);
  int64_t HW = 1;
  for (int64_t d = 2; d < x.dim(); ++d) HW *= x.size(d);
  if (N * C / G * HW == 1) {  // PyTorch's _verify_batch_size on [N * C / G, G, *spatial]
    Shape s = x.shape();
    s[0] = N * C / G, s[1] = G;
    RB_CHECK(false, ValueError, "Expected more than 1 value per channel when training, got input size ", s);
  }
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"GroupNormKernelImpl\" not implemented for '",
           aten_name(x.dtype()), "'");
  if (!is_compute_dtype(x.dtype())) {  // float16: normalised in float32, rounded back once
    auto w = [](const std::optional<Tensor>& t) { return t ? std::optional<Tensor>(widen(*t)) : t; };
    return cast(group_norm(widen(x), num_groups, w(weight), w(bias), eps), x.dtype());
  }
  check_group_norm_param(weight, "weight", x);
  check_group_norm_param(bias, "bias", x);
  Tensor xc = x.contiguous();
  Tensor w = weight ? weight->contiguous() : Tensor(), b = bias ? bias->contiguous() : Tensor();
  Tensor y = Tensor::empty(x.shape(), x.dtype(), x.device());
  Tensor mean = Tensor::empty({N * G}, x.dtype(), x.device()), rstd = Tensor::empty({N * G}, x.dtype(), x.device());
  NormGeom geom;
  geom.N = N, geom.C = C, geom.L = HW, geom.G = G, geom.dtype = x.dtype();
  if (y.numel() > 0) {
    k.group_norm_forward(geom, xc.raw_data(), eps, raw_or_null(w), raw_or_null(b), y.raw_data(), mean.raw_data(),
                         rstd.raw_data());
  } else {
    // Groups of no elements (empty spatial dims): their mean and rstd are nan, as ATen's reductions over nothing
    // give, and the backward reads them (weight's gradient is nan then, as torch's), never uninitialised memory.
    fill_(mean, Scalar(std::numeric_limits<double>::quiet_NaN()));
    fill_(rstd, Scalar(std::numeric_limits<double>::quiet_NaN()));
  }
  if (any_requires_grad({&x, &w, &b})) {
    auto node = std::make_shared<NativeGroupNormBackward0>();
    node->x = SavedTensor(xc);
    if (w.defined()) node->weight = SavedTensor(w);
    node->mean = mean, node->rstd = rstd;
    node->geom = geom, node->eps = eps;
    node->need_x = x.requires_grad();
    node->need_w = w.defined() && w.requires_grad();
    node->need_b = b.defined() && b.requires_grad();
    record(node, {&x, &w, &b}, {&y});
  }
  return y;
}

}  // namespace rb
