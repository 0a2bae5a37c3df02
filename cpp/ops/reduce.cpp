// Reductions (sum, mean) and sum_to, the inverse of broadcasting that every backward uses.
#include <algorithm>

#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "indexing_calls.h"
#include "op_common.h"

#include "../kernels/reduce.h"

namespace rb {
namespace {

// Sorted, unique, wrapped dims; empty input means all dims.
std::vector<int64_t> normalize_dims(const Dims& dims, int64_t ndim) {
  std::vector<int64_t> out;
  if (dims.empty()) {
    for (int64_t i = 0; i < ndim; ++i) out.push_back(i);
    return out;
  }
  std::vector<bool> seen(std::max<int64_t>(ndim, 1), false);
  for (int64_t d : dims) {
    int64_t w = wrap_dim(d, ndim);
    RB_CHECK(!seen[w], Error, "dim ", w, " appears multiple times in the list of dims");
    seen[w] = true;
    out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  if (ndim == 0) out.clear();
  return out;
}

Shape reduced_shape(const Shape& shape, const std::vector<int64_t>& dims, bool keepdim) {
  Shape out;
  for (int64_t i = 0; i < static_cast<int64_t>(shape.size()); ++i) {
    bool r = std::binary_search(dims.begin(), dims.end(), i);
    if (!r)
      out.push_back(shape[i]);
    else if (keepdim)
      out.push_back(1);
  }
  return out;
}

// A reduction's input made contiguous, and its geometry as (outer, R, inner) for the kernels.
struct Layout {
  Tensor c;      // contiguous, viewed as (outer, R, inner)
  ReduceGeom g;  // dtype: c's; out_dtype: the result's (sum's may differ)
};

// dims: sorted, unique (normalize_dims); none (a 0-d x) or all of them reduce x whole. Copies only
// when the dims are not one block: they are moved to the end, so inner is 1.
Layout reduce_layout(const Tensor& x, const std::vector<int64_t>& dims, std::optional<DType> out_dtype = {}) {
  NoGradGuard ng;
  Layout L;
  ReduceGeom& g = L.g;
  g.dtype = x.dtype(), g.out_dtype = out_dtype.value_or(x.dtype());
  bool all_dims = dims.empty() || static_cast<int64_t>(dims.size()) == x.dim();
  bool block = all_dims || dims.back() - dims.front() + 1 == static_cast<int64_t>(dims.size());
  if (block) {
    L.c = x.contiguous();
    if (all_dims) {
      g.R = x.numel();
      return L;
    }
    for (int64_t i = 0; i < x.dim(); ++i) {
      if (i < dims.front())
        g.outer *= x.shape()[i];
      else if (i > dims.back())
        g.inner *= x.shape()[i];
      else
        g.R *= x.shape()[i];
    }
    return L;
  }
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < x.dim(); ++i)
    if (!std::binary_search(dims.begin(), dims.end(), i)) perm.push_back(i), g.outer *= x.shape()[i];
  for (int64_t d : dims) perm.push_back(d), g.R *= x.shape()[d];
  L.c = clone(permute(x, perm));
  return L;
}

struct SumBackward : Node {
  Shape in_shape, kept_shape;  // kept_shape: the output shape with keepdim=true
  std::string name() const override { return "SumBackward1"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {expand(reshape(g[0], kept_shape), in_shape)}; }
};

}  // namespace

Tensor sum(const Tensor& x, const Dims& dims_in, bool keepdim, std::optional<DType> dtype) {
  DType out_dtype = dtype ? *dtype : (is_floating(x.dtype()) ? x.dtype() : DType::Int64);
  if (!is_compute_dtype(x.dtype()) || !is_compute_dtype(out_dtype))  // accumulated in float32 / int64
    return cast(sum(widen(x), dims_in, keepdim, compute_type(out_dtype)), out_dtype);
  std::vector<int64_t> dims = normalize_dims(dims_in, x.dim());
  Tensor src = dtype && *dtype != x.dtype() ? to_dtype(x, *dtype) : x;
  Shape kept = reduced_shape(x.shape(), dims, true);
  Shape out_shape = reduced_shape(x.shape(), dims, keepdim);

  Layout L = reduce_layout(src, dims, out_dtype);
  Tensor out = Tensor::empty(out_shape, out_dtype, x.device());
  kernels<ReduceKernels>("sum", L.c).sum_forward(L.g, L.c.raw_data(), out.raw_data());
  if (needs_grad(src)) {
    auto node = std::make_shared<SumBackward>();
    node->in_shape = x.shape();
    node->kept_shape = kept;
    record(node, {&src}, {&out});
  }
  return out;
}

Tensor mean(const Tensor& x, const Dims& dims_in, bool keepdim) {
  RB_CHECK(is_floating(x.dtype()), Error,
           "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ",
           aten_name(x.dtype()));
  if (!is_compute_dtype(x.dtype())) return cast(mean(widen(x), dims_in, keepdim), x.dtype());
  std::vector<int64_t> dims = normalize_dims(dims_in, x.dim());
  int64_t count = 1;
  for (int64_t d : dims) count *= x.shape()[d];
  // An empty reduction is 0/0 = nan, as in PyTorch.
  return div(sum(x, dims_in, keepdim), scalar_tensor(Scalar(static_cast<double>(count)), x.dtype(), x.device()));
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  int64_t lead = x.dim() - static_cast<int64_t>(shape.size());
  RB_CHECK(lead >= 0, Error, "sum_to: cannot reduce ", x.shape(), " to ", shape);
  Dims dims;
  for (int64_t i = 0; i < x.dim(); ++i)
    if (i < lead || (shape[i - lead] == 1 && x.shape()[i] != 1)) dims.push_back(i);
  if (dims.empty()) return reshape(x, shape);
  return reshape(sum(x, dims, true), shape);
}

}  // namespace rb

// max/min (values and indices), argmax/argmin, amax/amin, var/std, logsumexp, all/any, prod
// (appended by the indexing branch). Reduced dims are brought together as (outer, R, inner).
#include <limits>

namespace rb {
namespace {

void check_nonempty(const char* op, const Tensor& x, const std::vector<int64_t>& dims) {
  if (dims.empty() || static_cast<int64_t>(dims.size()) == x.dim()) {
    RB_CHECK(x.numel() > 0, Error, op,
             "(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
             "reduction dim with the 'dim' argument. (input shape ",
             x.shape(), ")");
    return;
  }
  for (int64_t d : dims)
    RB_CHECK(x.shape()[d] > 0, IndexError, op, "(): Expected reduction dim ", d,
             " to have non-zero size. (input shape ", x.shape(), ")");
}

// Gradient of an extremum over dims: shared evenly by the elements equal to it (PyTorch's rule
// for amax/amin and the full max/min).
struct ExtremumBackward : Node {
  SavedTensor x, out;
  Shape kept;
  Dims dims;
  std::string name() const override { return "AmaxBackward"; }
  void release_saved() override { x.reset(), out.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor xv = x.unpack(*this), ov = reshape(out.unpack(*this), kept);
    Tensor mask = binary(BinaryOp::Eq, xv, ov);
    Tensor count = sum(mask, dims, true, xv.dtype());
    Tensor share = div(reshape(g[0], kept), count);
    return {where(mask, share, zeros_like(xv))};
  }
};

// Gradient of max/min along a dim: to the position the indices name.
struct IndexedExtremumBackward : Node {
  Shape in_shape, kept;
  int64_t dim = 0;
  SavedTensor indices;
  std::string name() const override { return "MaxBackward"; }
  void release_saved() override { indices.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor gi = zeros(in_shape, g[0].dtype(), g[0].device());
    Tensor ix = reshape(indices.unpack(*this), kept), gk = reshape(g[0], kept);
    scatter_into("max_backward", gi, dim, ix, gk, true);
    record_adjoint("Max", g[0], gi,
                   [ix, d = dim, gs = g[0].shape()](const Tensor& gg) { return reshape(gather(gg, d, ix), gs); });
    return {gi};
  }
};

Tensor extremum(const Tensor& x, const Dims& dims_in, bool keepdim, bool is_max, const char* op) {
  if (!is_compute_dtype(x.dtype())) return cast(extremum(widen(x), dims_in, keepdim, is_max, op), x.dtype());
  std::vector<int64_t> dims = normalize_dims(dims_in, x.dim());
  check_nonempty(op, x, dims);
  Layout L = reduce_layout(x, dims);
  Tensor out = Tensor::empty(reduced_shape(x.shape(), dims, keepdim), x.dtype(), x.device());
  kernels<ReduceKernels>(op, L.c).minmax_forward(L.g, L.c.raw_data(), is_max, out.raw_data(), nullptr);
  if (needs_grad(x)) {
    auto node = std::make_shared<ExtremumBackward>();
    node->x = SavedTensor(x), node->out = SavedTensor::output(out);
    node->kept = reduced_shape(x.shape(), dims, true);
    node->dims = dims;
    record(node, {&x}, {&out});
  }
  return out;
}

ValuesIndices extremum_dim(const Tensor& x, int64_t dim, bool keepdim, bool is_max) {
  const char* op = is_max ? "max" : "min";
  int64_t d = wrap_dim(dim, x.dim());
  if (x.dim() == 0) return {clone(x), zeros({}, DType::Int64, x.device())};  // the element is its own extremum
  if (!is_compute_dtype(x.dtype())) {
    ValuesIndices r = extremum_dim(widen(x), dim, keepdim, is_max);
    return {cast(r.values, x.dtype()), r.indices};
  }
  RB_CHECK(x.shape()[d] > 0, IndexError, op, "(): Expected reduction dim ", d, " to have non-zero size. (input shape ",
           x.shape(), ")");
  std::vector<int64_t> dims{d};
  Layout L = reduce_layout(x, dims);
  Shape shape = reduced_shape(x.shape(), dims, keepdim);
  ValuesIndices r{Tensor::empty(shape, x.dtype(), x.device()), Tensor::empty(shape, DType::Int64, x.device())};
  kernels<ReduceKernels>(op, L.c).minmax_forward(L.g, L.c.raw_data(), is_max, r.values.raw_data(),
                                                 r.indices.data<int64_t>());
  if (needs_grad(x)) {
    auto node = std::make_shared<IndexedExtremumBackward>();
    node->in_shape = x.shape(), node->kept = reduced_shape(x.shape(), dims, true), node->dim = d;
    node->indices = SavedTensor(r.indices);
    record(node, {&x}, {&r.values});
  }
  return r;
}

Tensor arg_extremum(const Tensor& x, std::optional<int64_t> dim, bool keepdim, bool is_max) {
  const char* op = is_max ? "argmax" : "argmin";
  RB_CHECK(x.dtype() != DType::Bool, Error, "\"", op, "_cpu\" not implemented for 'Bool'");
  if (!is_compute_dtype(x.dtype())) return arg_extremum(widen(x), dim, keepdim, is_max);
  std::vector<int64_t> dims;
  if (dim) {
    int64_t d = wrap_dim(*dim, x.dim());
    if (x.dim() > 0) dims = {d};
    if (x.dim() > 0)
      RB_CHECK(x.shape()[d] > 0, IndexError, op, "(): Expected reduction dim ", d,
               " to have non-zero size. (input shape ", x.shape(), ")");
  } else {
    // IndexError, as PyTorch's argmax/argmin (its max/min raise RuntimeError).
    RB_CHECK(x.numel() > 0, IndexError, op, "(): Expected reduction dim to be specified for input.numel() == 0.");
  }
  Layout L = reduce_layout(x, dims);
  Shape shape = dim ? reduced_shape(x.shape(), dims, keepdim) : (keepdim ? Shape(x.dim(), 1) : Shape{});
  Tensor out = Tensor::empty(shape, DType::Int64, x.device());
  kernels<ReduceKernels>(op, L.c).minmax_forward(L.g, L.c.raw_data(), is_max, nullptr, out.data<int64_t>());
  return out;
}

struct VarBackward : Node {
  SavedTensor x, out;
  Dims dims;
  Shape kept;
  double dof = 1;
  int64_t count = 1;
  bool is_std = false;
  std::string name() const override { return is_std ? "StdBackward" : "VarBackward"; }
  void release_saved() override { x.reset(), out.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor xv = x.unpack(*this);
    Tensor gk = reshape(g[0], kept);
    if (is_std) {  // d std = d var / (2 std), and 0 where std is 0 (PyTorch's convention)
      Tensor sd = reshape(out.unpack(*this), kept);
      Tensor q = div(gk, mul(sd, Scalar(2.0)));
      gk = where(binary(BinaryOp::Eq, sd, Scalar(0.0)), zeros_like(q), q);
    }
    Tensor mean = binary(BinaryOp::Div, sum(xv, dims, true), Scalar(static_cast<double>(count)));
    return {mul(mul(gk, Scalar(2.0 / dof)), sub(xv, mean))};
  }
};

Tensor var_impl(const Tensor& x, const Dims& dims_in, double correction, bool keepdim, bool is_std) {
  RB_CHECK(is_floating(x.dtype()), Error, is_std ? "std" : "var",
           "(): std and var only support floating point and complex dtypes (got ", dtype_name(x.dtype()), ")");
  if (!is_compute_dtype(x.dtype())) return cast(var_impl(widen(x), dims_in, correction, keepdim, is_std), x.dtype());
  std::vector<int64_t> dims = normalize_dims(dims_in, x.dim());
  int64_t count = 1;
  for (int64_t d : dims) count *= x.shape()[d];
  if (x.dim() == 0) count = 1;
  double dof = std::max(0.0, static_cast<double>(count) - correction);
  Tensor out;
  {
    NoGradGuard ng;
    Tensor mean = binary(BinaryOp::Div, sum(x, dims, true), Scalar(static_cast<double>(count)));
    Tensor d = sub(x, mean);
    out = binary(BinaryOp::Div, sum(mul(d, d), dims, keepdim), Scalar(dof));
    if (is_std) out = unary(UnaryOp::Sqrt, out);
  }
  if (needs_grad(x)) {
    auto node = std::make_shared<VarBackward>();
    node->x = SavedTensor(x), node->dims = dims, node->kept = reduced_shape(x.shape(), dims, true);
    node->dof = dof, node->count = count, node->is_std = is_std;
    if (is_std) node->out = SavedTensor::output(out);
    record(node, {&x}, {&out});
  }
  return out;
}

struct LogsumexpBackward : Node {
  SavedTensor x, out;
  Shape kept;
  std::string name() const override { return "LogsumexpBackward"; }
  void release_saved() override { x.reset(), out.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor xv = x.unpack(*this), ov = reshape(out.unpack(*this), kept);
    return {mul(reshape(g[0], kept), exp(sub(xv, ov)))};
  }
};

struct ProdBackward : Node {
  SavedTensor x;
  std::vector<int64_t> dims;
  std::string name() const override { return "ProdBackward"; }
  void release_saved() override { x.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor xv = x.unpack(*this);
    if (GradMode::enabled()) return {differentiable(xv, g[0])};  // create_graph: a gradient of ops
    Layout L = reduce_layout(xv, dims);
    Tensor dx = Tensor::empty(xv.shape(), xv.dtype(), xv.device());
    kernels<ReduceKernels>("prod_backward", L.c)
        .prod_backward(L.g, L.c.raw_data(), g[0].contiguous().raw_data(), dx.raw_data());
    return {dx};  // dims is at most one dim, so the (outer, R, inner) layout is x's own
  }

  // dx_r = g * prod_{s != r} x_s as the product of exclusive prefix and suffix products (cumprod),
  // exact with zeros in x, built from differentiable ops so the gradient has a gradient.
  Tensor differentiable(const Tensor& xv, const Tensor& g) const {
    const bool all = dims.empty() || xv.dim() == 0;
    Tensor xs = all ? reshape(xv, {xv.numel()}) : xv;
    const int64_t d = all ? 0 : dims[0], R = xs.size(d);
    if (R == 0) return zeros_like(xv);
    Shape one = xs.shape();
    one[d] = 1;
    Tensor ones_ = ones(one, xs.dtype(), xs.device());
    Tensor left = cumprod(cat({ones_, narrow(xs, d, 0, R - 1)}, d), d);
    Tensor right = flip(cumprod(flip(cat({narrow(xs, d, 1, R - 1), ones_}, d), {d}), d), {d});
    Tensor gk = all ? reshape(g, {1}) : (g.dim() == xs.dim() ? g : unsqueeze(g, d));
    Tensor dx = mul(mul(left, right), gk);
    return all ? reshape(dx, xv.shape()) : dx;
  }
};

}  // namespace

Tensor max(const Tensor& x) { return extremum(x, {}, false, true, "max"); }
Tensor min(const Tensor& x) { return extremum(x, {}, false, false, "min"); }
ValuesIndices max(const Tensor& x, int64_t dim, bool keepdim) { return extremum_dim(x, dim, keepdim, true); }
ValuesIndices min(const Tensor& x, int64_t dim, bool keepdim) { return extremum_dim(x, dim, keepdim, false); }
Tensor argmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) { return arg_extremum(x, dim, keepdim, true); }
Tensor argmin(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return arg_extremum(x, dim, keepdim, false);
}
Tensor amax(const Tensor& x, const Dims& dims, bool keepdim) { return extremum(x, dims, keepdim, true, "amax"); }
Tensor amin(const Tensor& x, const Dims& dims, bool keepdim) { return extremum(x, dims, keepdim, false, "amin"); }
Tensor var(const Tensor& x, const Dims& dims, double correction, bool keepdim) {
  return var_impl(x, dims, correction, keepdim, false);
}
Tensor stddev(const Tensor& x, const Dims& dims, double correction, bool keepdim) {
  return var_impl(x, dims, correction, keepdim, true);
}

Tensor logsumexp(const Tensor& x_in, const Dims& dims_in, bool keepdim) {
  if (is_floating(x_in.dtype()) && !is_compute_dtype(x_in.dtype()))
    return cast(logsumexp(widen(x_in), dims_in, keepdim), x_in.dtype());
  Tensor x = is_floating(x_in.dtype()) ? x_in : to_dtype(x_in, DType::Float32);
  std::vector<int64_t> dims = normalize_dims(dims_in, x.dim());
  Shape kept = reduced_shape(x.shape(), dims, true);
  Tensor out;
  {
    NoGradGuard ng;
    // Shift by the maximum for stability; an infinite maximum (all -inf, or +inf) shifts by 0.
    Tensor m = x.numel() > 0 ? amax(x, dims, true) : zeros(kept, x.dtype(), x.device());
    Tensor finite = binary(BinaryOp::Lt, unary(UnaryOp::Abs, m), Scalar(std::numeric_limits<double>::infinity()));
    m = where(finite, m, zeros_like(m));
    out = add(log(sum(exp(sub(x, m)), dims, true)), m);
    if (!keepdim) out = reshape(out, reduced_shape(x.shape(), dims, false));
  }
  if (needs_grad(x)) {
    auto node = std::make_shared<LogsumexpBackward>();
    node->x = SavedTensor(x), node->out = SavedTensor::output(out), node->kept = kept;
    record(node, {&x}, {&out});
  }
  return out;
}

Tensor all(const Tensor& x, const Dims& dims, bool keepdim) {
  NoGradGuard ng;
  return binary(BinaryOp::Eq, sum(binary(BinaryOp::Eq, x, Scalar(int64_t(0))), dims, keepdim), Scalar(int64_t(0)));
}

Tensor any(const Tensor& x, const Dims& dims, bool keepdim) {
  NoGradGuard ng;
  return binary(BinaryOp::Gt, sum(binary(BinaryOp::Ne, x, Scalar(int64_t(0))), dims, keepdim), Scalar(int64_t(0)));
}

Tensor prod(const Tensor& x_in, std::optional<int64_t> dim, bool keepdim, std::optional<DType> dtype) {
  DType dt = dtype ? *dtype : (is_floating(x_in.dtype()) ? x_in.dtype() : DType::Int64);
  if (!is_compute_dtype(dt)) return cast(prod(widen(x_in), dim, keepdim, compute_type(dt)), dt);
  Tensor x = x_in.dtype() == dt ? x_in : to_dtype(x_in, dt);
  std::vector<int64_t> dims;
  if (dim && x.dim() > 0)
    dims = {wrap_dim(*dim, x.dim())};
  else if (dim)
    wrap_dim(*dim, 0);
  Layout L = reduce_layout(x, dims);
  Shape shape = dim ? reduced_shape(x.shape(), dims, keepdim) : Shape{};
  Tensor out = Tensor::empty(shape, dt, x.device());
  kernels<ReduceKernels>("prod", L.c).prod_forward(L.g, L.c.raw_data(), out.raw_data());
  if (needs_grad(x)) {
    auto node = std::make_shared<ProdBackward>();
    node->x = SavedTensor(x), node->dims = dims;
    record(node, {&x}, {&out});
  }
  return out;
}

}  // namespace rb
