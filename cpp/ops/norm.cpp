// Batch, instance, layer and RMS normalization (checks as PyTorch's, batch norm's running-statistics
// update, the autograd nodes with the fused closed-form backward) and channel-wise dropout built on the
// Generator and mul. Group norm is in norm_group.cpp.
#include <cmath>
#include <limits>
#include <string>

#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"
#include "pointers.h"

#include "../kernels/norm.h"

namespace rb {
namespace {

// (1, C, 1) values of the per-channel statistics, as constants.
Tensor channel_values(const std::vector<double>& v, DType dt) {
  Tensor t = Tensor::empty({1, static_cast<int64_t>(v.size()), 1}, dt);
  RB_DISPATCH_FLOATING(dt, "batch_norm", [&] {
    scalar_t* p = static_cast<scalar_t*>(t.raw_data());
    for (size_t i = 0; i < v.size(); ++i) p[i] = static_cast<scalar_t>(v[i]);
  });
  return t;
}

// The closed-form backward from differentiable ops, for a backward run with create_graph. In
// training the statistics are recomputed from x so their own dependence on x is differentiated:
// xhat = (x - mean) invstd, gxhat = g w, dx = invstd (gxhat - mean(gxhat) - xhat mean(gxhat xhat)),
// dw = sum(g xhat), db = sum(g) (means and sums over N and the spatial dims).
std::vector<Tensor> batch_norm_backward_graph(const Tensor& g_in, const Tensor& x_in, const Tensor& w, int64_t N,
                                              int64_t C, int64_t L, bool training, double eps,
                                              const std::vector<double>& mean_v, const std::vector<double>& invstd_v,
                                              bool need_x, bool need_w, bool need_b) {
  const Dims red{0, 2};
  Tensor x = reshape(x_in, {N, C, L}), g = reshape(g_in, {N, C, L});
  Tensor mean, invstd;
  if (training) {
    mean = rb::mean(x, red, true);
    Tensor xc = sub(x, mean);
    invstd = div(ones({}, x.dtype()), unary(UnaryOp::Sqrt, add(rb::mean(mul(xc, xc), red, true), Scalar(eps))));
  } else {
    mean = channel_values(mean_v, x.dtype()), invstd = channel_values(invstd_v, x.dtype());
  }
  Tensor xhat = mul(sub(x, mean), invstd);
  Tensor gxhat = w.defined() ? mul(g, reshape(w, {1, C, 1})) : g;
  Tensor dx, dw, db;
  if (need_x) {
    dx = training ? mul(invstd,
                        sub(sub(gxhat, rb::mean(gxhat, red, true)), mul(xhat, rb::mean(mul(gxhat, xhat), red, true))))
                  : mul(gxhat, invstd);
    dx = reshape(dx, x_in.shape());
  }
  if (need_w) dw = sum(mul(g, xhat), red);
  if (need_b) db = sum(g, red);
  return {dx, dw, db};
}

struct NativeBatchNormBackward0 : Node {
  SavedTensor x, weight;
  std::vector<double> mean, invstd;
  NormGeom geom;  // x: (N, C, L)
  double eps = 0;
  bool training;
  bool need_x, need_w, need_b;
  std::string name() const override { return "NativeBatchNormBackward0"; }
  void release_saved() override { x.reset(), weight.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor xv = x.unpack(*this);
    Tensor wv = weight.defined() ? weight.unpack(*this) : Tensor();
    if (GradMode::enabled())
      return batch_norm_backward_graph(grads[0], xv, wv, geom.N, geom.C, geom.L, training, eps, mean, invstd, need_x,
                                       need_w, need_b);
    Tensor g = grads[0].contiguous();
    Tensor dx, dw, db;
    if (need_x) dx = Tensor::empty(xv.shape(), xv.dtype(), xv.device());
    if (need_w) dw = Tensor::empty({geom.C}, xv.dtype(), xv.device());
    if (need_b) db = Tensor::empty({geom.C}, xv.dtype(), xv.device());
    kernels<NormKernels>("batch_norm_backward", g)
        .batch_norm_backward(geom, g.raw_data(), xv.raw_data(), mean.data(), invstd.data(), raw_or_null(wv), training,
                             raw_or_null(dx), raw_or_null(dw), raw_or_null(db));
    return {dx, dw, db};
  }
};

void check_bn_param(const std::optional<Tensor>& t, const char* what, const Tensor& x, int64_t C) {
  if (!t) return;
  RB_CHECK(t->numel() == C, Error, what, " should contain ", C, " elements not ", t->numel());
  RB_CHECK(t->device() == x.device(), Error, "batch_norm: expected ", what, " on ", x.device().name(), ", got ",
           t->device().name());
  // A float16/bfloat16 input takes float32 parameters too (ATen's mixed-type CPU kernel, as under autocast).
  const bool low = is_floating(x.dtype()) && !is_compute_dtype(x.dtype());
  RB_CHECK(t->dtype() == x.dtype() || (low && t->dtype() == DType::Float32), Error, "batch_norm: expected ", what,
           " of dtype ", dtype_name(x.dtype()), low ? " or float32" : "", ", got ", dtype_name(t->dtype()));
}

// Reads (C) values of a float tensor of any layout into doubles.
std::vector<double> to_doubles(const Tensor& t) {
  Tensor c = t.contiguous();
  std::vector<double> v(c.numel());
  RB_DISPATCH_FLOATING(c.dtype(), "batch_norm", [&] {
    const scalar_t* p = static_cast<const scalar_t*>(c.raw_data());
    for (size_t i = 0; i < v.size(); ++i) v[i] = p[i];
  });
  return v;
}

// running = (1 - m) * running + m * value, in place (a buffer: no autograd, version bumped).
void update_running(const Tensor& running, const std::vector<double>& value, double m) {
  // A strided buffer (a view of a larger one, as PyTorch allows) is updated through its stride.
  const int64_t st = running.dim() ? running.strides()[0] : 1;
  RB_DISPATCH_FLOATING(running.dtype(), "batch_norm", [&] {
    scalar_t* p = static_cast<scalar_t*>(running.raw_data());
    for (size_t i = 0; i < value.size(); ++i)
      p[i * st] = static_cast<scalar_t>((1.0 - m) * static_cast<double>(p[i * st]) + m * value[i]);
  });
  running.bump_version();
}

// An optional weight or bias in the math dtype of a float16 input.
std::optional<Tensor> widen_opt(const std::optional<Tensor>& t) { return t ? std::optional<Tensor>(widen(*t)) : t; }

// A float16/bfloat16 input (checked), as ATen's CPU kernel: normalised in float32 and rounded once; its parameters
// all of x's dtype or all float32, running statistics of x's dtype updated in float32 and rounded once.
Tensor batch_norm_low(const Tensor& x, const std::optional<Tensor>& running_mean,
                      const std::optional<Tensor>& running_var, const std::optional<Tensor>& weight,
                      const std::optional<Tensor>& bias, bool training, double momentum, double eps) {
  std::optional<DType> pdt;
  for (const auto* t : {&running_mean, &running_var, &weight, &bias}) {
    if (!*t) continue;
    RB_CHECK(!pdt || (*t)->dtype() == *pdt, Error, "expected scalar type ", aten_name(x.dtype()), " but found ",
             aten_name(DType::Float32));
    pdt = (*t)->dtype();
  }
  std::optional<Tensor> rm = widen_opt(running_mean), rv = widen_opt(running_var);  // float32 buffers: themselves
  Tensor y = batch_norm(widen(x), rm, rv, widen_opt(weight), widen_opt(bias), training, momentum, eps);
  if (training) {
    for (auto [dst, wide] : {std::pair{running_mean, rm}, std::pair{running_var, rv}}) {
      if (!dst || dst->dtype() == DType::Float32) continue;
      // Through the caller's stride, as update_running writes (an expanded buffer keeps the last value).
      const std::vector<double> v = to_doubles(*wide);
      const int64_t st = dst->dim() ? dst->strides()[0] : 1;
      RB_DISPATCH_STORAGE(dst->dtype(), "batch_norm", [&] {
        scalar_t* p = static_cast<scalar_t*>(dst->raw_data());
        for (size_t i = 0; i < v.size(); ++i) p[i * st] = static_cast<scalar_t>(static_cast<float>(v[i]));
      });
      dst->bump_version();
    }
  }
  return cast(y, x.dtype());
}

}  // namespace

Tensor batch_norm(const Tensor& x, const std::optional<Tensor>& running_mean, const std::optional<Tensor>& running_var,
                  const std::optional<Tensor>& weight, const std::optional<Tensor>& bias, bool training,
                  double momentum, double eps) {
  const auto& k = kernels<NormKernels>("batch_norm", x);
  RB_CHECK(x.dim() >= 2, Error, "batch_norm: expected an input of shape (N, C, *) with at least 2 dims, got ",
           x.shape());
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"batch_norm\" not implemented for '", aten_name(x.dtype()),
           "'");
  const int64_t N = x.size(0), C = x.size(1);
  int64_t L = 1;
  for (int64_t d = 2; d < x.dim(); ++d) L *= x.size(d);
  check_bn_param(running_mean, "running_mean", x, C);
  check_bn_param(running_var, "running_var", x, C);
  check_bn_param(weight, "weight", x, C);
  check_bn_param(bias, "bias", x, C);
  RB_CHECK(training || (running_mean && running_var), Error, running_mean ? "running_var" : "running_mean",
           " must be defined in evaluation mode");
  if (training)
    RB_CHECK(N * L != 1, ValueError, "Expected more than 1 value per channel when training, got input size torch.Size(",
             x.shape(), ")");
  if (!is_compute_dtype(x.dtype()))
    return batch_norm_low(x, running_mean, running_var, weight, bias, training, momentum, eps);
  Tensor xc = x.contiguous();
  NormGeom geom;
  geom.N = N, geom.C = C, geom.L = L, geom.dtype = x.dtype();
  std::vector<double> mean(C), invstd(C, 1.0);
  if (training && N * L == 0) {
    // An empty batch: an empty output, running statistics untouched (PyTorch's _batch_norm_impl_index).
  } else if (training) {
    std::vector<double> var(C);
    k.batch_norm_stats(geom, xc.raw_data(), mean.data(), var.data());
    for (int64_t c = 0; c < C; ++c) invstd[c] = 1.0 / std::sqrt(var[c] + eps);
    if (running_mean) update_running(*running_mean, mean, momentum);
    if (running_var) {
      const double M = static_cast<double>(N * L);
      for (auto& v : var) v *= M / (M - 1);  // unbiased, as PyTorch's running_var
      update_running(*running_var, var, momentum);
    }
  } else {
    mean = to_doubles(*running_mean);
    std::vector<double> var = to_doubles(*running_var);
    for (int64_t c = 0; c < C; ++c) invstd[c] = 1.0 / std::sqrt(var[c] + eps);
  }
  Tensor w = weight ? weight->contiguous() : Tensor(), b = bias ? bias->contiguous() : Tensor();
  Tensor y = Tensor::empty(x.shape(), x.dtype(), x.device());
  k.batch_norm_forward(geom, xc.raw_data(), mean.data(), invstd.data(), raw_or_null(w), raw_or_null(b), y.raw_data());
  if (any_requires_grad({&x, &w, &b})) {
    auto node = std::make_shared<NativeBatchNormBackward0>();
    node->x = SavedTensor(xc);
    if (w.defined()) node->weight = SavedTensor(w);
    node->mean = std::move(mean), node->invstd = std::move(invstd);
    node->geom = geom, node->eps = eps;
    node->training = training;
    node->need_x = x.requires_grad();
    node->need_w = w.defined() && w.requires_grad();
    node->need_b = b.defined() && b.requires_grad();
    record(node, {&x, &w, &b}, {&y});
  }
  return y;
}

namespace {

// Layer norm's closed-form backward from differentiable ops, for a backward run with create_graph:
// the row statistics are recomputed from x, so their own dependence on x is differentiated.
std::vector<Tensor> layer_norm_backward_graph(const Tensor& g_in, const Tensor& x_in, const Tensor& w,
                                              const Shape& param_shape, int64_t M, int64_t N, double eps, bool need_x,
                                              bool need_w, bool need_b) {
  const Dims row{1};
  Tensor x = reshape(x_in, {M, N}), g = reshape(g_in, {M, N});
  Tensor xc = sub(x, rb::mean(x, row, true));
  Tensor rstd = div(ones({}, x.dtype()), unary(UnaryOp::Sqrt, add(rb::mean(mul(xc, xc), row, true), Scalar(eps))));
  Tensor xhat = mul(xc, rstd);
  Tensor gw = w.defined() ? mul(g, reshape(w, {1, N})) : g;
  Tensor dx, dw, db;
  if (need_x) {
    dx = mul(rstd, sub(sub(gw, rb::mean(gw, row, true)), mul(xhat, rb::mean(mul(gw, xhat), row, true))));
    dx = reshape(dx, x_in.shape());
  }
  if (need_w) dw = reshape(sum(mul(g, xhat), {0}), param_shape);
  if (need_b) db = reshape(sum(g, {0}), param_shape);
  return {dx, dw, db};
}

struct NativeLayerNormBackward0 : Node {
  SavedTensor x, weight;
  Tensor mean, rstd;  // (M): statistics of the forward, not differentiated (create_graph recomputes them)
  Shape param_shape;  // normalized_shape, the shape of weight and bias
  NormGeom geom;      // x: (rows, cols), cols the product of normalized_shape
  double eps = 0;
  bool need_x, need_w, need_b;
  std::string name() const override { return "NativeLayerNormBackward0"; }
  void release_saved() override { x.reset(), weight.reset(), mean = Tensor(), rstd = Tensor(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor xv = x.unpack(*this);
    Tensor wv = weight.defined() ? weight.unpack(*this) : Tensor();
    if (GradMode::enabled())
      return layer_norm_backward_graph(grads[0], xv, wv, param_shape, geom.rows, geom.cols, eps, need_x, need_w,
                                       need_b);
    Tensor g = grads[0].contiguous();
    Tensor dx, dw, db;
    if (need_x) dx = Tensor::empty(xv.shape(), xv.dtype(), xv.device());
    if (need_w) dw = Tensor::empty(param_shape, xv.dtype(), xv.device());
    if (need_b) db = Tensor::empty(param_shape, xv.dtype(), xv.device());
    kernels<NormKernels>("layer_norm_backward", g)
        .layer_norm_backward(geom, g.raw_data(), xv.raw_data(), mean.raw_data(), rstd.raw_data(), raw_or_null(wv),
                             raw_or_null(dx), raw_or_null(dw), raw_or_null(db));
    return {dx, dw, db};
  }
};

void check_layer_norm_param(const std::optional<Tensor>& t, const char* what, const Tensor& x, const Shape& ns,
                            const char* op) {
  if (!t) return;
  RB_CHECK(t->shape() == ns, Error, "Expected ", what, " to be of same shape as normalized_shape, but got ", what,
           " of shape ", t->shape(), " and normalized_shape = ", ns);
  check_same_device(x, *t, op);
  RB_CHECK(t->dtype() == x.dtype(), Error, op, ": expected ", what, " of dtype ", dtype_name(x.dtype()), ", got ",
           dtype_name(t->dtype()));
}

// Layer and RMS norm's checks, as PyTorch's; returns (M, N): the rows and the length of each.
std::pair<int64_t, int64_t> check_layer_norm_args(const Tensor& x, const Shape& ns, const std::optional<Tensor>& weight,
                                                  const std::optional<Tensor>& bias, const char* op) {
  const int64_t nd = static_cast<int64_t>(ns.size());
  RB_CHECK(nd >= 1, Error,
           "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got "
           "normalized_shape = ",
           ns);
  bool match = x.dim() >= nd;
  for (int64_t i = 0; match && i < nd; ++i) match = x.size(x.dim() - nd + i) == ns[i];
  if (!match) {
    std::string dims;  // PyTorch's message: "[*, 3, 4]"
    for (int64_t v : ns) dims += ", " + std::to_string(v);
    RB_CHECK(false, Error, "Given normalized_shape=", ns, ", expected input with shape [*", dims,
             "], but got input of size", x.shape());
  }
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"", op, "\" not implemented for '", aten_name(x.dtype()),
           "'");
  check_layer_norm_param(weight, "weight", x, ns, op);
  check_layer_norm_param(bias, "bias", x, ns, op);
  int64_t N = 1;
  for (int64_t v : ns) N *= v;
  return {N == 0 ? 0 : x.numel() / N, N};
}

// Layer and RMS norm's view of x: M rows of N, each normalized on its own.
NormGeom row_geom(int64_t M, int64_t N, DType dtype) {
  NormGeom g;
  g.rows = M, g.cols = N, g.dtype = dtype;
  return g;
}

}  // namespace

Tensor layer_norm(const Tensor& x, const std::vector<int64_t>& normalized_shape, const std::optional<Tensor>& weight,
                  const std::optional<Tensor>& bias, double eps) {
  if (is_floating(x.dtype()) && !is_compute_dtype(x.dtype()))  // float16: normalised in float32
    return cast(layer_norm(widen(x), normalized_shape, widen_opt(weight), widen_opt(bias), eps), x.dtype());
  const auto& k = kernels<NormKernels>("layer_norm", x);
  const Shape ns(normalized_shape.begin(), normalized_shape.end());
  const auto [M, N] = check_layer_norm_args(x, ns, weight, bias, "layer_norm");
  Tensor xc = x.contiguous();
  Tensor w = weight ? weight->contiguous() : Tensor(), b = bias ? bias->contiguous() : Tensor();
  Tensor y = Tensor::empty(x.shape(), x.dtype(), x.device());
  Tensor mean = Tensor::empty({M}, x.dtype(), x.device()), rstd = Tensor::empty({M}, x.dtype(), x.device());
  const NormGeom geom = row_geom(M, N, x.dtype());
  if (M > 0 && N > 0)
    k.layer_norm_forward(geom, xc.raw_data(), eps, raw_or_null(w), raw_or_null(b), y.raw_data(), mean.raw_data(),
                         rstd.raw_data());
  if (any_requires_grad({&x, &w, &b})) {
    auto node = std::make_shared<NativeLayerNormBackward0>();
    node->x = SavedTensor(xc);
    if (w.defined()) node->weight = SavedTensor(w);
    node->mean = mean, node->rstd = rstd;
    node->param_shape = ns;
    node->geom = geom, node->eps = eps;
    node->need_x = x.requires_grad();
    node->need_w = w.defined() && w.requires_grad();
    node->need_b = b.defined() && b.requires_grad();
    record(node, {&x, &w, &b}, {&y});
  }
  return y;
}

namespace {

// RMS norm's closed-form backward from differentiable ops, for a backward run with create_graph:
// rstd is recomputed from x, so its own dependence on x is differentiated.
std::vector<Tensor> rms_norm_backward_graph(const Tensor& g_in, const Tensor& x_in, const Tensor& w,
                                            const Shape& param_shape, int64_t M, int64_t N, double eps, bool need_x,
                                            bool need_w) {
  const Dims row{1};
  Tensor x = reshape(x_in, {M, N}), g = reshape(g_in, {M, N});
  Tensor rstd = div(ones({}, x.dtype()), unary(UnaryOp::Sqrt, add(rb::mean(mul(x, x), row, true), Scalar(eps))));
  Tensor xhat = mul(x, rstd);
  Tensor gw = w.defined() ? mul(g, reshape(w, {1, N})) : g;
  Tensor dx, dw;
  if (need_x) dx = reshape(mul(rstd, sub(gw, mul(xhat, rb::mean(mul(gw, xhat), row, true)))), x_in.shape());
  if (need_w) dw = reshape(sum(mul(g, xhat), {0}), param_shape);
  return {dx, dw};
}

struct RmsNormBackward0 : Node {
  SavedTensor x, weight;
  Tensor rstd;  // (M), not differentiated (create_graph recomputes it)
  Shape param_shape;
  NormGeom geom;  // x: (rows, cols)
  double eps = 0;
  bool need_x, need_w;
  std::string name() const override { return "RmsNormBackward0"; }
  void release_saved() override { x.reset(), weight.reset(), rstd = Tensor(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor xv = x.unpack(*this);
    Tensor wv = weight.defined() ? weight.unpack(*this) : Tensor();
    if (GradMode::enabled())
      return rms_norm_backward_graph(grads[0], xv, wv, param_shape, geom.rows, geom.cols, eps, need_x, need_w);
    Tensor g = grads[0].contiguous();
    Tensor dx, dw;
    if (need_x) dx = Tensor::empty(xv.shape(), xv.dtype(), xv.device());
    if (need_w) dw = Tensor::empty(param_shape, xv.dtype(), xv.device());
    kernels<NormKernels>("rms_norm_backward", g)
        .rms_norm_backward(geom, g.raw_data(), xv.raw_data(), rstd.raw_data(), raw_or_null(wv), raw_or_null(dx),
                           raw_or_null(dw));
    return {dx, dw};
  }
};

}  // namespace

Tensor rms_norm(const Tensor& x, const std::vector<int64_t>& normalized_shape, const std::optional<Tensor>& weight,
                std::optional<double> eps) {
  // float16: normalised in float32, whose epsilon is PyTorch's default there too (its math type's)
  if (is_floating(x.dtype()) && !is_compute_dtype(x.dtype()))
    return cast(rms_norm(widen(x), normalized_shape, widen_opt(weight), eps), x.dtype());
  const auto& k = kernels<NormKernels>("rms_norm", x);
  const Shape ns(normalized_shape.begin(), normalized_shape.end());
  const auto [M, N] = check_layer_norm_args(x, ns, weight, std::nullopt, "rms_norm");
  // PyTorch's default: the machine epsilon of the input's dtype.
  const double e = eps                           ? *eps
                   : x.dtype() == DType::Float64 ? std::numeric_limits<double>::epsilon()
                                                 : static_cast<double>(std::numeric_limits<float>::epsilon());
  Tensor xc = x.contiguous(), w = weight ? weight->contiguous() : Tensor();
  Tensor y = Tensor::empty(x.shape(), x.dtype(), x.device());
  Tensor rstd = Tensor::empty({M}, x.dtype(), x.device());
  const NormGeom geom = row_geom(M, N, x.dtype());
  if (M > 0 && N > 0) k.rms_norm_forward(geom, xc.raw_data(), e, raw_or_null(w), y.raw_data(), rstd.raw_data());
  if (any_requires_grad({&x, &w})) {
    auto node = std::make_shared<RmsNormBackward0>();
    node->x = SavedTensor(xc);
    if (w.defined()) node->weight = SavedTensor(w);
    node->rstd = rstd, node->param_shape = ns;
    node->geom = geom, node->eps = e;
    node->need_x = x.requires_grad();
    node->need_w = w.defined() && w.requires_grad();
    record(node, {&x, &w}, {&y});
  }
  return y;
}

Tensor instance_norm(const Tensor& x, const std::optional<Tensor>& running_mean,
                     const std::optional<Tensor>& running_var, const std::optional<Tensor>& weight,
                     const std::optional<Tensor>& bias, bool use_input_stats, double momentum, double eps) {
  RB_CHECK(x.dim() >= 2, Error, "instance_norm: expected an input of shape (N, C, *) with at least 2 dims, got ",
           x.shape());
  RB_CHECK(use_input_stats || (running_mean && running_var), Error,
           "Expected running_mean and running_var to be defined when use_input_stats is false");
  if (use_input_stats) {
    int64_t L = 1;
    for (int64_t d = 2; d < x.dim(); ++d) L *= x.size(d);
    RB_CHECK(L != 1, ValueError, "Expected more than 1 spatial element when training, got input size torch.Size(",
             x.shape(), ")");
  }
  // As PyTorch: batch norm over (1, N * C, *), each (sample, channel) plane a channel of its own.
  const int64_t N = x.size(0), C = x.size(1);
  Shape s = x.shape();
  s[0] = 1, s[1] = N * C;
  auto per_sample = [N](const std::optional<Tensor>& t) -> std::optional<Tensor> {
    if (!t) return std::nullopt;
    return repeat(*t, {N});
  };
  std::optional<Tensor> rm, rv;
  {
    NoGradGuard ng;  // the running statistics are buffers
    rm = per_sample(running_mean), rv = per_sample(running_var);
  }
  Tensor y = batch_norm(reshape(x, s), rm, rv, per_sample(weight), per_sample(bias), use_input_stats, momentum, eps);
  if (use_input_stats) {
    NoGradGuard ng;
    // Each running statistic moves by the mean over the batch of its per-sample updates.
    for (auto [dst, rep] : {std::pair{running_mean, rm}, std::pair{running_var, rv}}) {
      if (!dst) continue;
      Tensor d = *dst;  // a handle on the caller's buffer
      copy_(d, rb::mean(reshape(*rep, {N, C}), {0}));
    }
  }
  return reshape(y, x.shape());
}

Tensor feature_dropout_mask(const Tensor& x, double p, Generator* gen) {
  RB_CHECK(p >= 0.0 && p <= 1.0, ValueError, "dropout probability has to be between 0 and 1, but got ", p);
  RB_CHECK(x.dim() >= 2, Error, "Feature dropout requires at least 2 dimensions in the input");
  RB_CHECK(is_floating(x.dtype()), Error, "dropout: expected a floating point tensor, got ", dtype_name(x.dtype()));
  Shape ms(x.dim(), 1);
  ms[0] = x.size(0), ms[1] = x.size(1);
  Tensor mask = Tensor::empty(ms, x.dtype(), x.device());
  NoGradGuard ng;
  bernoulli_(mask, 1.0 - p, gen);
  if (p < 1.0) mul_(mask, Scalar(1.0 / (1.0 - p)));
  return mask;
}

Tensor feature_dropout(const Tensor& x, double p, bool training, Generator* gen) {
  RB_CHECK(p >= 0.0 && p <= 1.0, ValueError, "dropout probability has to be between 0 and 1, but got ", p);
  if (!training || p == 0.0 || x.numel() == 0) return x;
  return mul(x, feature_dropout_mask(x, p, gen));
}

}  // namespace rb
