// Pooling ops: PyTorch's argument checks and output-size rules (ceil_mode, padding, dilation),
// 3-D unbatched inputs, and autograd nodes whose backward is one hand-written kernel pass.
#include "rosenblatt/ops.h"

#include "op_common.h"

#include "../kernels/pool.h"

namespace rb {
namespace {

using IntList = std::vector<int64_t>;

// One int for both dims or a pair (H, W).
std::pair<int64_t, int64_t> pair_of(const IntList& v, const char* op, const char* what) {
  RB_CHECK(v.size() == 1 || v.size() == 2, Error, op, ": ", what,
           " must either be a single int, or a tuple of two ints");
  return {v[0], v.size() == 2 ? v[1] : v[0]};
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// PyTorch's pooling_output_shape: with ceil_mode the last window must start inside the input
// or its left padding.
int64_t pool_out(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, bool ceil_mode) {
  int64_t o = floor_div(in + 2 * pad - dil * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0), stride) + 1;
  if (ceil_mode && (o - 1) * stride >= in + pad) --o;
  return o;
}

struct Planes {
  Tensor x;  // contiguous
  bool batched;
  int64_t N, C, H, W;
};

Planes planes_of(const Tensor& x) {
  Planes p;
  p.x = x.contiguous();
  p.batched = x.dim() == 4;
  p.N = p.batched ? x.size(0) : 1;
  p.C = x.size(-3), p.H = x.size(-2), p.W = x.size(-1);
  return p;
}

Shape out_shape(const Planes& p, int64_t oh, int64_t ow) {
  return p.batched ? Shape{p.N, p.C, oh, ow} : Shape{p.C, oh, ow};
}

// Checks of max_pool2d/avg_pool2d in PyTorch's order; fills g.
PoolGeom pool_geom(const Tensor& x, const IntList& kernel, const IntList& stride, const IntList& padding,
                   const IntList& dilation, bool ceil_mode, const char* op, bool is_max) {
  PoolGeom g;
  std::tie(g.kh, g.kw) = pair_of(kernel, op, "kernel_size");
  if (stride.empty())
    g.sh = g.kh, g.sw = g.kw;
  else
    std::tie(g.sh, g.sw) = pair_of(stride, op, "stride");
  std::tie(g.ph, g.pw) = pair_of(padding, op, "padding");
  std::tie(g.dh, g.dw) = pair_of(dilation, op, "dilation");
  RB_CHECK(g.sh != 0 && g.sw != 0, Error, "stride should not be zero");
  RB_CHECK(g.kh > 0 && g.kw > 0, Error, "kernel size should be greater than zero, but got kH: ", g.kh, " kW: ", g.kw);
  RB_CHECK(g.sh > 0 && g.sw > 0, Error, "stride should be greater than zero, but got dH: ", g.sh, " dW: ", g.sw);
  RB_CHECK(g.dh > 0 && g.dw > 0, Error, "dilation should be greater than zero, but got dilationH: ", g.dh,
           " dilationW: ", g.dw);
  RB_CHECK(g.ph >= 0 && g.pw >= 0, Error, "pad must be non-negative, but got padH: ", g.ph, " padW: ", g.pw);
  const int64_t kk[2] = {g.kh, g.kw}, pp[2] = {g.ph, g.pw}, dd[2] = {g.dh, g.dw};
  for (int i = 0; i < 2; ++i)
    RB_CHECK(pp[i] <= ((kk[i] - 1) * dd[i] + 1) / 2, Error,
             "pad should be at most half of effective kernel size, but got pad=", pp[i], ", kernel_size=", kk[i],
             " and dilation=", dd[i]);
  if (is_max) {
    bool ok = (x.dim() == 3 && x.size(0) != 0 && x.size(1) != 0 && x.size(2) != 0) ||
              (x.dim() == 4 && x.size(1) != 0 && x.size(2) != 0 && x.size(3) != 0);
    RB_CHECK(ok, Error, "non-empty 3D or 4D (batch mode) tensor expected for input");
  } else {
    RB_CHECK(x.dim() >= 3, IndexError, "Dimension out of range (expected to be in range of [", -x.dim(), ", ",
             x.dim() - 1, "], but got -3)");
    RB_CHECK(x.dim() == 4 || x.dim() == 3, Error, "non-empty 3D or 4D (batch mode) tensor expected for input");
    bool empty = x.size(-1) == 0 || x.size(-2) == 0 || x.size(-3) == 0;
    RB_CHECK(!empty, Error,
             "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:", x.shape());
  }
  RB_CHECK(g.kw / 2 >= g.pw && g.kh / 2 >= g.ph, Error,
           "pad should be smaller than or equal to half of kernel size, but got padW = ", g.pw, ", padH = ", g.ph,
           ", kW = ", g.kw, ", kH = ", g.kh);
  g.H = x.size(-2), g.W = x.size(-1);
  g.OH = pool_out(g.H, g.kh, g.ph, g.sh, g.dh, ceil_mode);
  g.OW = pool_out(g.W, g.kw, g.pw, g.sw, g.dw, ceil_mode);
  RB_CHECK(g.OH >= 1 && g.OW >= 1, Error, "Given input size: (", x.size(-3), "x", g.H, "x", g.W,
           "). Calculated output size: (", x.size(-3), "x", g.OH, "x", g.OW, "). Output size is too small");
  return g;
}

struct MaxPool2DWithIndicesBackward0 : Node {
  SavedTensor indices;
  PoolGeom g;
  Shape in_shape;
  std::string name() const override { return "MaxPool2DWithIndicesBackward0"; }
  void release_saved() override { indices.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor gi = grads[0].contiguous(), idx = indices.unpack(*this);
    Tensor dx = Tensor::empty(in_shape, gi.dtype(), gi.device());
    kernels<PoolKernels>("max_pool2d_backward", gi).max_pool2d_backward(gi, idx, g, dx, /*accumulate=*/true);
    // Its adjoint reads each window's winner: gather over the flattened plane.
    record_adjoint("MaxPool2DWithIndices", grads[0], dx, [idx, in = in_shape, g = g](const Tensor& gg) {
      Shape flat(in.begin(), in.end() - 2), flat_idx = flat;
      flat.push_back(g.H * g.W), flat_idx.push_back(g.OH * g.OW);
      return reshape(gather(reshape(gg, flat), -1, reshape(idx, flat_idx)), idx.shape());
    });
    return {dx};
  }
};

struct AdaptiveMaxPool2DBackward0 : MaxPool2DWithIndicesBackward0 {
  std::string name() const override { return "AdaptiveMaxPool2DBackward0"; }
};

Tensor avg_pool_planes(const Tensor& x, PoolGeom g, bool count_include_pad, int64_t div);

struct AvgPool2DBackward0 : Node {
  PoolGeom g;
  bool cip;
  int64_t divisor;
  Shape in_shape;
  std::string name() const override { return "AvgPool2DBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor gi = grads[0].contiguous();
    Tensor dx = Tensor::empty(in_shape, gi.dtype(), gi.device());
    kernels<PoolKernels>("avg_pool2d_backward", gi).avg_pool2d_backward(gi, g, cip, divisor, dx);
    record_adjoint("AvgPool2D", grads[0], dx,
                   [g = g, cip = cip, d = divisor](const Tensor& gg) { return avg_pool_planes(gg, g, cip, d); });
    return {dx};
  }
};

struct AdaptiveAvgPool2DBackward0 : Node {
  PoolGeom g;
  Shape in_shape;
  std::string name() const override { return "AdaptiveAvgPool2DBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor gi = grads[0].contiguous();
    Tensor dx = Tensor::empty(in_shape, gi.dtype(), gi.device());
    kernels<PoolKernels>("adaptive_avg_pool2d_backward", gi).adaptive_avg_pool2d_backward(gi, g, dx);
    record_adjoint("AdaptiveAvgPool2D", grads[0], dx, [oh = g.OH, ow = g.OW](const Tensor& gg) {
      return adaptive_avg_pool2d(gg, {oh, ow});
    });
    return {dx};
  }
};

struct MaxUnpool2DBackward0 : Node {
  SavedTensor indices;
  PoolGeom g;  // H, W: the unpooled (output) plane; OH, OW: the input plane
  Shape in_shape;
  std::string name() const override { return "MaxUnpool2DBackward0"; }
  void release_saved() override { indices.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor gi = grads[0].contiguous(), idx = indices.unpack(*this);
    Tensor dx = Tensor::empty(in_shape, gi.dtype(), gi.device());
    kernels<PoolKernels>("max_unpool2d_backward", gi).index_gather2d(gi, idx, g, dx);
    record_adjoint("MaxUnpool2D", grads[0], dx, [idx, h = g.H, w = g.W](const Tensor& gg) {
      return max_unpool2d(gg, idx, {h, w});
    });
    return {dx};
  }
};

void check_float(const Tensor& x, const char* op) {
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"", op, "\" not implemented for '",
           x.dtype() == DType::Int64 ? "Long" : "Bool", "'");
}

// The values and argmax indices of a max pool (plain or adaptive: the kernel and node differ),
// with the node that scatters the gradient back through the indices.
template <class NodeT>
std::pair<Tensor, Tensor> max_pool_with_indices(const Tensor& x, PoolGeom g,
                                                void (*kernel)(const Tensor&, const PoolGeom&, Tensor&, Tensor&)) {
  Planes p = planes_of(x);
  g.planes = p.N * p.C;
  Tensor out = Tensor::empty(out_shape(p, g.OH, g.OW), x.dtype(), x.device());
  Tensor idx = Tensor::empty(out.shape(), DType::Int64, x.device());
  kernel(p.x, g, out, idx);
  if (needs_grad(x)) {
    auto node = std::make_shared<NodeT>();
    node->indices = SavedTensor(idx);
    node->g = g;
    node->in_shape = x.shape();
    record(node, {&x}, {&out});
  }
  return {out, idx};
}

}  // namespace

std::pair<Tensor, Tensor> max_pool2d_with_indices(const Tensor& x, const IntList& kernel, const IntList& stride,
                                                  const IntList& padding, const IntList& dilation, bool ceil_mode) {
  const auto& k = kernels<PoolKernels>("max_pool2d", x);
  PoolGeom g = pool_geom(x, kernel, stride, padding, dilation, ceil_mode, "max_pool2d", true);
  check_float(x, "max_pool2d");
  return max_pool_with_indices<MaxPool2DWithIndicesBackward0>(x, g, k.max_pool2d_forward);
}

Tensor max_pool2d(const Tensor& x, const IntList& kernel, const IntList& stride, const IntList& padding,
                  const IntList& dilation, bool ceil_mode) {
  return max_pool2d_with_indices(x, kernel, stride, padding, dilation, ceil_mode).first;
}

Tensor avg_pool2d(const Tensor& x, const IntList& kernel, const IntList& stride, const IntList& padding, bool ceil_mode,
                  bool count_include_pad, std::optional<int64_t> divisor_override) {
  kernels<PoolKernels>("avg_pool2d", x);  // the device check comes first, as for the other pools
  PoolGeom g = pool_geom(x, kernel, stride, padding, {1}, ceil_mode, "avg_pool2d", false);
  RB_CHECK(!divisor_override || *divisor_override != 0, Error, "divisor must be not zero");
  check_float(x, "avg_pool2d");
  return avg_pool_planes(x, g, count_include_pad, divisor_override.value_or(0));
}

namespace {
// The average pool of checked arguments (div 0: the window's own count): the kernel and the node.
Tensor avg_pool_planes(const Tensor& x, PoolGeom g, bool count_include_pad, int64_t div) {
  Planes p = planes_of(x);
  g.planes = p.N * p.C;
  Tensor out = Tensor::empty(out_shape(p, g.OH, g.OW), x.dtype(), x.device());
  kernels<PoolKernels>("avg_pool2d", x).avg_pool2d_forward(p.x, g, count_include_pad, div, out);
  if (needs_grad(x)) {
    auto node = std::make_shared<AvgPool2DBackward0>();
    node->g = g;
    node->cip = count_include_pad;
    node->divisor = div;
    node->in_shape = x.shape();
    record(node, {&x}, {&out});
  }
  return out;
}
}  // namespace

namespace {
PoolGeom adaptive_geom(const Tensor& x, const IntList& output_size, const char* op) {
  RB_CHECK(x.dim() == 3 || x.dim() == 4, Error, op, "(): Expected 3D or 4D tensor, but got ", x.shape());
  RB_CHECK(output_size.size() == 1 || output_size.size() == 2, Error, op, ": output_size must be 2, but got ",
           output_size.size());
  // PyTorch's adaptive average pool needs only non-empty planes; the max pool non-empty channels too.
  const bool is_avg = std::string(op).find("avg") != std::string::npos;
  for (int64_t d = is_avg ? x.dim() - 2 : 1; d < x.dim(); ++d)
    RB_CHECK(x.size(d) > 0, Error, op,
             "(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ", x.shape(),
             " with dimension ", d, " being empty");
  PoolGeom g;
  g.H = x.size(-2), g.W = x.size(-1);
  int64_t oh = output_size[0], ow = output_size.size() == 2 ? output_size[1] : output_size[0];
  RB_CHECK(oh >= 0 && ow >= 0, Error, op, ": elements of output_size must be greater than or equal to 0 but received {",
           oh, ", ", ow, "}");
  g.OH = oh, g.OW = ow;
  return g;
}
}  // namespace

Tensor adaptive_avg_pool2d(const Tensor& x, const IntList& output_size) {
  const auto& k = kernels<PoolKernels>("adaptive_avg_pool2d", x);
  PoolGeom g = adaptive_geom(x, output_size, "adaptive_avg_pool2d");
  check_float(x, "adaptive_avg_pool2d");
  Planes p = planes_of(x);
  g.planes = p.N * p.C;
  Tensor out = Tensor::empty(out_shape(p, g.OH, g.OW), x.dtype(), x.device());
  k.adaptive_avg_pool2d_forward(p.x, g, out);
  if (needs_grad(x)) {
    auto node = std::make_shared<AdaptiveAvgPool2DBackward0>();
    node->g = g;
    node->in_shape = x.shape();
    record(node, {&x}, {&out});
  }
  return out;
}

std::pair<Tensor, Tensor> adaptive_max_pool2d(const Tensor& x, const IntList& output_size) {
  const auto& k = kernels<PoolKernels>("adaptive_max_pool2d", x);
  PoolGeom g = adaptive_geom(x, output_size, "adaptive_max_pool2d");
  check_float(x, "adaptive_max_pool2d");
  return max_pool_with_indices<AdaptiveMaxPool2DBackward0>(x, g, k.adaptive_max_pool2d_forward);
}

Tensor max_unpool2d(const Tensor& x, const Tensor& indices, const IntList& output_size) {
  const auto& k = kernels<PoolKernels>("max_unpool2d", x);
  RB_CHECK(indices.dtype() == DType::Int64, Error,
           "elements in indices should be type int64 but got: ", dtype_name(indices.dtype()));
  RB_CHECK(output_size.size() == 2, Error,
           "There should be exactly two elements (height, width) in output_size, but got ", output_size.size(),
           " elements.");
  RB_CHECK(x.dim() == 3 || x.dim() == 4, Error,
           "Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with ", x.dim(), " dimensions.");
  RB_CHECK(x.shape() == indices.shape(), Error, "Expected shape of indices to be same as that of the input tensor (",
           x.shape(), ") but got indices tensor with shape: ", indices.shape());
  for (int64_t d = 1; d < x.dim(); ++d)
    RB_CHECK(x.size(d) > 0, Error,
             "max_unpooling2d(): Expected input to have non-zero size for non-batch dimensions, but got ", x.shape(),
             " with dimension ", d, " being empty.");
  check_float(x, "max_unpool2d");
  Planes p = planes_of(x);
  PoolGeom g;  // scatter direction: the pooled plane is (OH, OW), the unpooled one (H, W)
  g.planes = p.N * p.C;
  g.OH = p.H, g.OW = p.W;
  g.H = output_size[0], g.W = output_size[1];
  RB_CHECK(g.H >= 0 && g.W >= 0, Error, "max_unpool2d: output_size must be non-negative, got ", output_size);
  Tensor idx = indices.contiguous();
  {
    const int64_t* pi = static_cast<const int64_t*>(idx.raw_data());
    const int64_t lim = g.H * g.W;
    for (int64_t i = 0, n = idx.numel(); i < n; ++i)
      RB_CHECK(pi[i] >= 0 && pi[i] < lim, Error, "Found an invalid max index: ", pi[i], " (output volumes are of size ",
               g.H, "x", g.W, ")");
  }
  Tensor out = Tensor::empty(out_shape(p, g.H, g.W), x.dtype(), x.device());
  k.max_pool2d_backward(p.x, idx, g, out, /*accumulate=*/false);
  if (needs_grad(x)) {
    auto node = std::make_shared<MaxUnpool2DBackward0>();
    node->indices = SavedTensor(idx);
    node->g = g;
    node->in_shape = x.shape();
    record(node, {&x}, {&out});
  }
  return out;
}

// --- 1-D pooling: the 2-D ops on a (N, C, 1, L) view, as PyTorch does; the checks are the 1-D ops' own ---

namespace {
// One value for the single pooled dim; PyTorch's argument parser allows an empty stride (= kernel).
int64_t one_of(const IntList& v, const char* op, const char* what, int64_t if_empty = -1) {
  if (v.empty() && if_empty >= 0) return if_empty;
  RB_CHECK(v.size() == 1, Error, op, "() argument '", what, "' should contain one int (got ", v.size(), ")");
  return v[0];
}

void check_1d_input(const Tensor& x, const char* op) {
  RB_CHECK(x.dim() == 2 || x.dim() == 3, Error, "Expected 2 to 3 dimensions, but got ", x.dim(),
           "-dimensional tensor for argument #1 'self' (while checking arguments for ", op, ")");
}

Tensor plane_view(const Tensor& x) { return unsqueeze(x, -2); }
Tensor from_plane(const Tensor& y) { return squeeze(y, IntList{-2}); }
}  // namespace

std::pair<Tensor, Tensor> max_pool1d_with_indices(const Tensor& x, const IntList& kernel, const IntList& stride,
                                                  const IntList& padding, const IntList& dilation, bool ceil_mode) {
  RB_CHECK(x.dim() == 2 || x.dim() == 3, Error,
           "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:",
           x.shape());
  RB_CHECK(kernel.size() == 1, Error,
           "max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got size ",
           kernel.size());
  RB_CHECK(stride.size() <= 1, Error,
           "max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but got size ",
           stride.size());
  RB_CHECK(padding.size() == 1, Error,
           "max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got size ",
           padding.size());
  RB_CHECK(dilation.size() == 1, Error,
           "max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got size ",
           dilation.size());
  const int64_t k = kernel[0], s = stride.empty() ? k : stride[0], p = padding[0], d = dilation[0];
  RB_CHECK(k > 0, Error, "max_pool1d() kernel_size must be greater than zero, but got ", k);
  RB_CHECK(s > 0, Error, "max_pool1d() stride must be greater than zero, but got ", s);
  RB_CHECK(p >= 0, Error, "max_pool1d() padding must be non-negative, but got ", p);
  RB_CHECK(p <= k / 2, Error, "max_pool1d() padding should be at most half of kernel size, but got padding=", p,
           " and kernel_size=", k);
  RB_CHECK(d > 0, Error, "max_pool1d() dilation must be greater than zero, but got ", d);
  const int64_t L = pool_out(x.size(-1), k, p, s, d, ceil_mode);
  RB_CHECK(L > 0, Error, "max_pool1d() Invalid computed output size: ", L);
  check_float(x, "max_pool1d_impl");
  auto [out, idx] = max_pool2d_with_indices(plane_view(x), {1, k}, {1, s}, {0, p}, {1, d}, ceil_mode);
  return {from_plane(out), from_plane(idx)};  // a row of the plane: its flat index is the position in L
}

Tensor max_pool1d(const Tensor& x, const IntList& kernel, const IntList& stride, const IntList& padding,
                  const IntList& dilation, bool ceil_mode) {
  return max_pool1d_with_indices(x, kernel, stride, padding, dilation, ceil_mode).first;
}

Tensor avg_pool1d(const Tensor& x, const IntList& kernel, const IntList& stride, const IntList& padding, bool ceil_mode,
                  bool count_include_pad) {
  check_1d_input(x, "avg_pool1d");
  const int64_t k = one_of(kernel, "avg_pool1d", "kernel_size");
  const int64_t s = one_of(stride, "avg_pool1d", "stride", k), p = one_of(padding, "avg_pool1d", "padding");
  return from_plane(avg_pool2d(plane_view(x), {1, k}, {1, s}, {0, p}, ceil_mode, count_include_pad, std::nullopt));
}

Tensor adaptive_avg_pool1d(const Tensor& x, const IntList& output_size) {
  check_1d_input(x, "adaptive_avg_pool1d");
  const int64_t o = one_of(output_size, "adaptive_avg_pool1d", "output_size");
  return from_plane(adaptive_avg_pool2d(plane_view(x), {1, o}));
}

std::pair<Tensor, Tensor> adaptive_max_pool1d(const Tensor& x, const IntList& output_size) {
  check_1d_input(x, "adaptive_max_pool1d");
  const int64_t o = one_of(output_size, "adaptive_max_pool1d", "output_size");
  for (int64_t d = 1; d < x.dim(); ++d)
    RB_CHECK(x.size(d) > 0, Error,
             "adaptive_max_pool1d(): Expected input to have non-zero size for non-batch dimensions, but input has "
             "sizes ",
             x.shape(), " with dimension ", d, " being empty");
  auto [out, idx] = adaptive_max_pool2d(plane_view(x), {1, o});
  return {from_plane(out), from_plane(idx)};
}

}  // namespace rb
