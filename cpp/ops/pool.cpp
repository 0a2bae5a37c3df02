// Pooling ops, 1-D, 2-D and 3-D: PyTorch's argument checks and output-size rules (ceil_mode, padding,
// dilation), unbatched inputs, and autograd nodes whose backward is one hand-written kernel pass.
#include "rosenblatt/ops.h"

#include <algorithm>
#include <array>

#include "aten_names.h"
#include "op_common.h"
#include "pointers.h"

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

// x seen as N*C planes of nsp (2 or 3) spatial dims.
struct Planes {
  Tensor x;  // contiguous
  bool batched;
  int nsp;
  int64_t N, C, H, W;
};

Planes planes_of(const Tensor& x, int nsp = 2) {
  Planes p;
  p.x = x.contiguous();
  p.nsp = nsp;
  p.batched = x.dim() == nsp + 2;
  p.N = p.batched ? x.size(0) : 1;
  p.C = x.size(-nsp - 1), p.H = x.size(-2), p.W = x.size(-1);
  return p;
}

// (N,) C, [d,] h, w: d only for 3-D planes.
Shape out_shape(const Planes& p, int64_t oh, int64_t ow, int64_t od = 1) {
  Shape s = p.batched ? Shape{p.N, p.C} : Shape{p.C};
  if (p.nsp == 3) s.push_back(od);
  s.push_back(oh), s.push_back(ow);
  return s;
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

// The nodes serve 2-D and 3-D pooling (nsp spatial dims); "2D"/"3D" in their names follows it.
struct PoolNode : Node {
  PoolGeom g;
  Shape in_shape;
  int nsp = 2;
  std::string named(const char* a, const char* b) const { return a + std::to_string(nsp) + "D" + b; }
};

struct MaxPool2DWithIndicesBackward0 : PoolNode {
  SavedTensor indices;
  std::string name() const override { return named("MaxPool", "WithIndicesBackward0"); }
  void release_saved() override { indices.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor gi = grads[0].contiguous(), idx = indices.unpack(*this);
    Tensor dx = Tensor::empty(in_shape, gi.dtype(), gi.device());
    kernels<PoolKernels>("max_pool2d_backward", gi)
        .max_pool2d_backward(with_dtype(g, gi), gi.raw_data(), idx.data<int64_t>(), /*accumulate=*/true, dx.raw_data());
    // Its adjoint reads each window's winner: gather over the flattened plane.
    record_adjoint("MaxPoolWithIndices", grads[0], dx, [idx, in = in_shape, g = g, n = nsp](const Tensor& gg) {
      Shape flat(in.begin(), in.end() - n), flat_idx = flat;
      flat.push_back(g.in_plane()), flat_idx.push_back(g.out_plane());
      return reshape(gather(reshape(gg, flat), -1, reshape(idx, flat_idx)), idx.shape());
    });
    return {dx};
  }
};

struct AdaptiveMaxPool2DBackward0 : MaxPool2DWithIndicesBackward0 {
  std::string name() const override { return named("AdaptiveMaxPool", "Backward0"); }
};

Tensor avg_pool_planes(const Tensor& x, PoolGeom g, bool count_include_pad, int64_t div, int nsp);

struct AvgPool2DBackward0 : PoolNode {
  bool cip;
  int64_t divisor;
  std::string name() const override { return named("AvgPool", "Backward0"); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor gi = grads[0].contiguous();
    Tensor dx = Tensor::empty(in_shape, gi.dtype(), gi.device());
    kernels<PoolKernels>("avg_pool2d_backward", gi)
        .avg_pool2d_backward(with_dtype(g, gi), gi.raw_data(), cip, divisor, dx.raw_data());
    record_adjoint("AvgPool", grads[0], dx, [g = g, cip = cip, d = divisor, n = nsp](const Tensor& gg) {
      return avg_pool_planes(gg, g, cip, d, n);
    });
    return {dx};
  }
};

struct AdaptiveAvgPool2DBackward0 : PoolNode {
  std::string name() const override { return named("AdaptiveAvgPool", "Backward0"); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor gi = grads[0].contiguous();
    Tensor dx = Tensor::empty(in_shape, gi.dtype(), gi.device());
    kernels<PoolKernels>("adaptive_avg_pool2d_backward", gi)
        .adaptive_avg_pool2d_backward(with_dtype(g, gi), gi.raw_data(), dx.raw_data());
    record_adjoint("AdaptiveAvgPool", grads[0], dx, [g = g, n = nsp](const Tensor& gg) {
      return n == 3 ? adaptive_avg_pool3d(gg, {g.OD, g.OH, g.OW}) : adaptive_avg_pool2d(gg, {g.OH, g.OW});
    });
    return {dx};
  }
};

struct MaxUnpool2DBackward0 : PoolNode {  // g: D, H, W the unpooled (output) plane; OD, OH, OW the input's
  SavedTensor indices;
  std::string name() const override { return named("MaxUnpool", "Backward0"); }
  void release_saved() override { indices.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor gi = grads[0].contiguous(), idx = indices.unpack(*this);
    Tensor dx = Tensor::empty(in_shape, gi.dtype(), gi.device());
    kernels<PoolKernels>("max_unpool2d_backward", gi)
        .index_gather2d(with_dtype(g, gi), gi.raw_data(), idx.data<int64_t>(), dx.raw_data());
    record_adjoint("MaxUnpool", grads[0], dx, [idx, g = g, n = nsp](const Tensor& gg) {
      return n == 3 ? max_unpool3d(gg, idx, {g.D, g.H, g.W}) : max_unpool2d(gg, idx, {g.H, g.W});
    });
    return {dx};
  }
};

void check_float(const Tensor& x, const char* op) {
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"", op, "\" not implemented for '", aten_name(x.dtype()),
           "'");
}

// The dtype a 2-D pool computes x in: float16/bfloat16 in float32, rounded back once as PyTorch's kernels do;
// the integers PyTorch's max pools take (int_ok): int64 natively (float64 would round it above 2**53), the
// smaller ones in float64, exact for them. PyTorch's error for the rest.
DType pool_dtype(const Tensor& x, const char* op, bool int_ok) {
  if (is_floating(x.dtype())) return compute_type(x.dtype());
  RB_CHECK(int_ok && x.dtype() != DType::Bool, NotImplementedError, "\"", op, "\" not implemented for '",
           aten_name(x.dtype()), "'");
  return x.dtype() == DType::Int64 ? DType::Int64 : DType::Float64;
}

// A pool's result computed in pool_dtype, cast back to x's dtype (a max pool's indices as they are).
Tensor cast_back(const Tensor& y, const Tensor& x) { return cast(y, x.dtype()); }
std::pair<Tensor, Tensor> cast_back(const std::pair<Tensor, Tensor>& r, const Tensor& x) {
  return {cast(r.first, x.dtype()), r.second};
}

// The values and argmax indices of a max pool (plain or adaptive: the kernel and node differ),
// with the node that scatters the gradient back through the indices.
template <class NodeT>
std::pair<Tensor, Tensor> max_pool_with_indices(const Tensor& x, PoolGeom g,
                                                void (*kernel)(const PoolGeom&, const void*, void*, int64_t*),
                                                int nsp = 2) {
  Planes p = planes_of(x, nsp);
  g.planes = p.N * p.C, g.dtype = x.dtype();
  Tensor out = Tensor::empty(out_shape(p, g.OH, g.OW, g.OD), x.dtype(), x.device());
  Tensor idx = Tensor::empty(out.shape(), DType::Int64, x.device());
  kernel(g, p.x.raw_data(), out.raw_data(), idx.data<int64_t>());
  if (needs_grad(x)) {
    auto node = std::make_shared<NodeT>();
    node->indices = SavedTensor(idx);
    node->g = g;
    node->in_shape = x.shape();
    node->nsp = nsp;
    record(node, {&x}, {&out});
  }
  return {out, idx};
}

}  // namespace

std::pair<Tensor, Tensor> max_pool2d_with_indices(const Tensor& x, const IntList& kernel, const IntList& stride,
                                                  const IntList& padding, const IntList& dilation, bool ceil_mode) {
  const auto& k = kernels<PoolKernels>("max_pool2d", x);
  PoolGeom g = pool_geom(x, kernel, stride, padding, dilation, ceil_mode, "max_pool2d", true);
  if (DType c = pool_dtype(x, "max_pool2d", true); c != x.dtype())
    return cast_back(max_pool2d_with_indices(cast(x, c), kernel, stride, padding, dilation, ceil_mode), x);
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
  // int64 pools natively (a sum divided truncating, exact past 2**53); the other integers raise as PyTorch's.
  if (DType c = x.dtype() == DType::Int64 ? x.dtype() : pool_dtype(x, "avg_pool2d", false); c != x.dtype())
    return cast_back(avg_pool2d(cast(x, c), kernel, stride, padding, ceil_mode, count_include_pad, divisor_override),
                     x);
  return avg_pool_planes(x, g, count_include_pad, divisor_override.value_or(0), 2);
}

namespace {
// The average pool of checked arguments (div 0: the window's own count): the kernel and the node.
Tensor avg_pool_planes(const Tensor& x, PoolGeom g, bool count_include_pad, int64_t div, int nsp) {
  Planes p = planes_of(x, nsp);
  g.planes = p.N * p.C, g.dtype = x.dtype();
  Tensor out = Tensor::empty(out_shape(p, g.OH, g.OW, g.OD), x.dtype(), x.device());
  kernels<PoolKernels>("avg_pool2d", x).avg_pool2d_forward(g, p.x.raw_data(), count_include_pad, div, out.raw_data());
  if (needs_grad(x)) {
    auto node = std::make_shared<AvgPool2DBackward0>();
    node->g = g;
    node->cip = count_include_pad;
    node->divisor = div;
    node->in_shape = x.shape();
    node->nsp = nsp;
    record(node, {&x}, {&out});
  }
  return out;
}
}  // namespace

namespace {
Tensor adaptive_avg_planes(const PoolKernels& k, const Tensor& x, PoolGeom g, int nsp) {
  Planes p = planes_of(x, nsp);
  g.planes = p.N * p.C, g.dtype = x.dtype();
  Tensor out = Tensor::empty(out_shape(p, g.OH, g.OW, g.OD), x.dtype(), x.device());
  k.adaptive_avg_pool2d_forward(g, p.x.raw_data(), out.raw_data());
  if (needs_grad(x)) {
    auto node = std::make_shared<AdaptiveAvgPool2DBackward0>();
    node->g = g;
    node->in_shape = x.shape();
    node->nsp = nsp;
    record(node, {&x}, {&out});
  }
  return out;
}

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

// ATen's adaptive average pools are a mean over the pooled dims when every output size is 1: no pool kernel
// runs, so none of its checks (an empty channel dim, an integer dtype: mean's own error) apply.
bool all_ones(const IntList& output_size) {
  return !output_size.empty() && std::all_of(output_size.begin(), output_size.end(), [](int64_t o) { return o == 1; });
}

Tensor adaptive_avg_pool2d(const Tensor& x, const IntList& output_size) {
  if (output_size.size() <= 2 && all_ones(output_size)) return mean(x, {-2, -1}, true);
  const auto& k = kernels<PoolKernels>("adaptive_avg_pool2d", x);
  PoolGeom g = adaptive_geom(x, output_size, "adaptive_avg_pool2d");
  if (x.numel() == 0 && !is_floating(x.dtype())) {
    // ATen's kernel checks the dtype, and an empty input returns its empty result before it.
    Shape s = x.shape();
    s[s.size() - 2] = g.OH, s.back() = g.OW;
    return Tensor::empty(s, x.dtype(), x.device());
  }
  if (DType c = pool_dtype(x, "adaptive_avg_pool2d", false); c != x.dtype())
    return cast_back(adaptive_avg_pool2d(cast(x, c), output_size), x);
  return adaptive_avg_planes(k, x, g, 2);
}

std::pair<Tensor, Tensor> adaptive_max_pool2d(const Tensor& x, const IntList& output_size) {
  const auto& k = kernels<PoolKernels>("adaptive_max_pool2d", x);
  PoolGeom g = adaptive_geom(x, output_size, "adaptive_max_pool2d");
  if (DType c = pool_dtype(x, "adaptive_max_pool2d", false); c != x.dtype())
    return cast_back(adaptive_max_pool2d(cast(x, c), output_size), x);
  return max_pool_with_indices<AdaptiveMaxPool2DBackward0>(x, g, k.adaptive_max_pool2d_forward);
}

namespace {
// Max-unpooling (the checks after the rank and output_size's length): x scattered at indices into
// planes of output_size.
Tensor unpool_planes(const PoolKernels& k, const Tensor& x, const Tensor& indices, const IntList& output_size,
                     int nsp) {
  const std::string op = "max_unpool" + std::to_string(nsp) + "d";
  RB_CHECK(x.shape() == indices.shape(), Error, "Expected shape of indices to be same as that of the input tensor (",
           x.shape(), ") but got indices tensor with shape: ", indices.shape());
  for (int64_t d = 1; d < x.dim(); ++d)
    RB_CHECK(x.size(d) > 0, Error, "max_unpooling", nsp,
             "d(): Expected input to have non-zero size for non-batch dimensions, but got ", x.shape(),
             " with dimension ", d, " being empty.");
  for (int64_t v : output_size) RB_CHECK(v >= 0, Error, op, ": output_size must be non-negative, got ", output_size);
  Planes p = planes_of(x, nsp);
  if (!is_floating(x.dtype())) {
    // ATen checks the dtype in its kernel, which an empty input never reaches: an empty input of any dtype
    // unpools to zeros of output_size.
    if (x.numel() != 0) check_float(x, op.c_str());
    return zeros(out_shape(p, output_size[nsp - 2], output_size[nsp - 1], nsp == 3 ? output_size[0] : 1), x.dtype(),
                 x.device());
  }
  if (!is_compute_dtype(x.dtype())) return cast_back(unpool_planes(k, widen(x), indices, output_size, nsp), x);
  PoolGeom g;  // scatter direction: the pooled plane is (OD, OH, OW), the unpooled one (D, H, W)
  g.planes = p.N * p.C, g.dtype = x.dtype();
  g.OH = p.H, g.OW = p.W, g.H = output_size[nsp - 2], g.W = output_size[nsp - 1];
  if (nsp == 3) g.OD = x.size(-3), g.D = output_size[0];
  Tensor idx = indices.contiguous();
  {
    const int64_t* pi = static_cast<const int64_t*>(idx.raw_data());
    const int64_t lim = g.in_plane();
    std::string size = nsp == 3 ? std::to_string(g.D) + "x" : "";
    for (int64_t i = 0, n = idx.numel(); i < n; ++i)
      RB_CHECK(pi[i] >= 0 && pi[i] < lim, Error, "Found an invalid max index: ", pi[i], " (output volumes are of size ",
               size, g.H, "x", g.W, ")");
  }
  Tensor out = Tensor::empty(out_shape(p, g.H, g.W, g.D), x.dtype(), x.device());
  k.max_pool2d_backward(g, p.x.raw_data(), idx.data<int64_t>(), /*accumulate=*/false, out.raw_data());
  if (needs_grad(x)) {
    auto node = std::make_shared<MaxUnpool2DBackward0>();
    node->indices = SavedTensor(idx);
    node->g = g;
    node->in_shape = x.shape();
    node->nsp = nsp;
    record(node, {&x}, {&out});
  }
  return out;
}
}  // namespace

Tensor max_unpool2d(const Tensor& x, const Tensor& indices, const IntList& output_size) {
  const auto& k = kernels<PoolKernels>("max_unpool2d", x);
  RB_CHECK(indices.dtype() == DType::Int64, Error,
           "elements in indices should be type int64 but got: ", dtype_name(indices.dtype()));
  RB_CHECK(output_size.size() == 2, Error,
           "There should be exactly two elements (height, width) in output_size, but got ", output_size.size(),
           " elements.");
  RB_CHECK(x.dim() == 3 || x.dim() == 4, Error,
           "Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with ", x.dim(), " dimensions.");
  return unpool_planes(k, x, indices, output_size, 2);
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
  auto [out, idx] = max_pool2d_with_indices(plane_view(x), {1, k}, {1, s}, {0, p}, {1, d}, ceil_mode);
  return {from_plane(out), from_plane(idx)};  // a row of the plane: its flat index is the position in L
}

Tensor max_pool1d(const Tensor& x, const IntList& kernel, const IntList& stride, const IntList& padding,
                  const IntList& dilation, bool ceil_mode) {
  // PyTorch's max_pool1d without indices has no integer kernel; with indices it goes through max_pool2d's.
  if (x.dim() == 2 || x.dim() == 3) check_float(x, "max_pool1d_impl");
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

// --- 3-D pooling: the same kernels over (D, H, W) planes; the checks and messages are PyTorch's 3-D ones ---

namespace {
// One int for all three dims or a triple (D, H, W).
std::array<int64_t, 3> triple_of(const IntList& v, const char* msg) {
  RB_CHECK(v.size() == 1 || v.size() == 3, Error, msg);
  return v.size() == 3 ? std::array<int64_t, 3>{v[0], v[1], v[2]} : std::array<int64_t, 3>{v[0], v[0], v[0]};
}

// "[1, 0, 4, 4, 4] and non-batch dimension 0": the first empty non-batch dim of a 4-D or 5-D input.
void check_nonempty_volume(const Tensor& x, const char* op) {
  const int64_t first = x.dim() == 5 ? 1 : 0;
  for (int64_t d = first; d < x.dim(); ++d)
    RB_CHECK(x.size(d) > 0, Error, op, "(): Expected input's non-batch dimensions to have positive length, but input ",
             "has a shape of ", x.shape(), " and non-batch dimension ", d - first, " has length zero!");
}

// Checks of max_pool3d/avg_pool3d in PyTorch's order (arguments, rank, output sizes, then
// pool3d_shape_check); fills the depth fields of g too.
PoolGeom pool3d_geom(const Tensor& x, const IntList& kernel, const IntList& stride, const IntList& padding,
                     const IntList& dilation, bool ceil_mode, bool is_max) {
  const char* op = is_max ? "max_pool3d" : "avg_pool3d";
  auto k = triple_of(kernel, is_max ? "max_pool3d: kernel_size must either be a single int, or a tuple of three ints"
                                    : "avg_pool3d: kernel_size must be a single int, or a tuple of three ints");
  RB_CHECK(stride.empty() || stride.size() == 1 || stride.size() == 3, Error,
           is_max ? "max_pool3d: stride must either be omitted, a single int, or a tuple of three ints"
                  : "avg_pool3d: stride must be omitted, a single number, or a tuple of three ints");
  auto s = stride.empty() ? k : triple_of(stride, "");
  auto p = triple_of(padding, is_max ? "max_pool3d: padding must either be a single int, or a tuple of three ints"
                                     : "avg_pool3d: padding must be a single int, or a tuple of three ints");
  auto d = triple_of(dilation, "max_pool3d: dilation must be either a single int, or a tuple of three ints");
  RB_CHECK(x.dim() == 4 || x.dim() == 5, Error, "non-empty 4D or 5D (batch mode) tensor expected for input");
  PoolGeom g;
  g.kd = k[0], g.kh = k[1], g.kw = k[2], g.sd = s[0], g.sh = s[1], g.sw = s[2];
  g.pd = p[0], g.ph = p[1], g.pw = p[2], g.dd = d[0], g.dh = d[1], g.dw = d[2];
  g.D = x.size(-3), g.H = x.size(-2), g.W = x.size(-1);
  for (int i = 0; i < 3; ++i) {
    RB_CHECK(s[i] != 0, Error, "stride should not be zero");
    RB_CHECK(p[i] >= 0, Error, "pad must be non-negative, but got pad: ", p[i]);
    RB_CHECK(p[i] <= ((k[i] - 1) * d[i] + 1) / 2, Error,
             "pad should be at most half of effective kernel size, but got pad=", p[i], ", kernel_size=", k[i],
             " and dilation=", d[i]);
  }
  g.OD = pool_out(g.D, g.kd, g.pd, g.sd, g.dd, ceil_mode);
  g.OH = pool_out(g.H, g.kh, g.ph, g.sh, g.dh, ceil_mode);
  g.OW = pool_out(g.W, g.kw, g.pw, g.sw, g.dw, ceil_mode);
  RB_CHECK(g.kd > 0 && g.kh > 0 && g.kw > 0, Error, "kernel size should be greater than zero, but got kT: ", g.kd,
           " kH: ", g.kh, " kW: ", g.kw);
  RB_CHECK(g.sd > 0 && g.sh > 0 && g.sw > 0, Error, "stride should be greater than zero, but got dT: ", g.sd,
           " dH: ", g.sh, " dW: ", g.sw);
  RB_CHECK(g.dd > 0 && g.dh > 0 && g.dw > 0, Error, "dilation should be greater than zero, but got dilationT: ", g.dd,
           " dilationH: ", g.dh, " dilationW: ", g.dw);
  check_nonempty_volume(x, is_max ? "max_pool3d_with_indices_out_cpu_template" : op);
  RB_CHECK(is_max || (g.D >= g.kd && g.H >= g.kh && g.W >= g.kw), Error, "input image (T: ", g.D, " H: ", g.H,
           " W: ", g.W, ") smaller than kernel size (kT: ", g.kd, " kH: ", g.kh, " kW: ", g.kw, ")");
  RB_CHECK(g.kd / 2 >= g.pd && g.kw / 2 >= g.pw && g.kh / 2 >= g.ph, Error,
           "pad should be smaller than or equal to half of kernel size, but got kT: ", g.kd, " kW: ", g.kw,
           " kH: ", g.kh, " padT: ", g.pd, " padW: ", g.pw, " padH: ", g.ph);
  const int64_t C = x.size(-4);
  RB_CHECK(g.OD >= 1 && g.OH >= 1 && g.OW >= 1, Error, "Given input size: (", C, "x", g.D, "x", g.H, "x", g.W,
           "). Calculated output size: (", C, "x", g.OD, "x", g.OH, "x", g.OW, "). Output size is too small");
  return g;
}

// Checks of adaptive_avg_pool3d / adaptive_max_pool3d, each with PyTorch's own messages.
PoolGeom adaptive3d_geom(const Tensor& x, const IntList& output_size, bool is_max) {
  const char* op = is_max ? "adaptive_max_pool3d" : "adaptive_avg_pool3d";
  RB_CHECK(x.dim() == 4 || x.dim() == 5, Error, op, "(): Expected 4D or 5D tensor, but got", is_max ? ": " : " ",
           x.shape());
  RB_CHECK(output_size.size() == 3, Error,
           is_max ? "adaptive_max_pool3d(): internal error: output_size.size() must be 3"
                  : "adaptive_avg_pool3d: output_size must be 3");
  for (int64_t d = 1; d < x.dim(); ++d)
    RB_CHECK(x.size(d) > 0, Error, op,
             "(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ", x.shape(),
             " with dimension ", d, " being empty");
  const int64_t od = output_size[0], oh = output_size[1], ow = output_size[2];
  if (is_max) {
    Shape out = x.shape();
    std::copy(output_size.begin(), output_size.end(), out.end() - 3);
    RB_CHECK(od >= 0 && oh >= 0 && ow >= 0, Error, "Trying to create tensor with negative dimension ",
             std::min({od, oh, ow}), ": ", out);
  } else {
    RB_CHECK(od >= 0 && oh >= 0 && ow >= 0, Error,
             "adaptive_avg_pool3d: elements of output_size must be greater than or equal to 0 but received {", od, ", ",
             oh, ",", ow, "}");
  }
  PoolGeom g;
  g.D = x.size(-3), g.H = x.size(-2), g.W = x.size(-1), g.OD = od, g.OH = oh, g.OW = ow;
  return g;
}
}  // namespace

std::pair<Tensor, Tensor> max_pool3d_with_indices(const Tensor& x, const IntList& kernel, const IntList& stride,
                                                  const IntList& padding, const IntList& dilation, bool ceil_mode) {
  const auto& k = kernels<PoolKernels>("max_pool3d", x);
  PoolGeom g = pool3d_geom(x, kernel, stride, padding, dilation, ceil_mode, true);
  if (DType c = pool_dtype(x, "max_pool3d", true); c != x.dtype())
    return cast_back(max_pool3d_with_indices(cast(x, c), kernel, stride, padding, dilation, ceil_mode), x);
  return max_pool_with_indices<MaxPool2DWithIndicesBackward0>(x, g, k.max_pool2d_forward, 3);
}

Tensor max_pool3d(const Tensor& x, const IntList& kernel, const IntList& stride, const IntList& padding,
                  const IntList& dilation, bool ceil_mode) {
  return max_pool3d_with_indices(x, kernel, stride, padding, dilation, ceil_mode).first;
}

Tensor avg_pool3d(const Tensor& x, const IntList& kernel, const IntList& stride, const IntList& padding, bool ceil_mode,
                  bool count_include_pad, std::optional<int64_t> divisor_override) {
  kernels<PoolKernels>("avg_pool3d", x);
  PoolGeom g = pool3d_geom(x, kernel, stride, padding, {1}, ceil_mode, false);
  RB_CHECK(!divisor_override || *divisor_override != 0, Error, "divisor must be not zero");
  // PyTorch's avg_pool3d has kernels for float32, float64 and int64 only.
  RB_CHECK(is_compute_dtype(x.dtype()) && x.dtype() != DType::Bool, NotImplementedError,
           "\"avg_pool3d_out_frame\" not implemented for '", aten_name(x.dtype()), "'");
  return avg_pool_planes(x, g, count_include_pad, divisor_override.value_or(0), 3);
}

Tensor adaptive_avg_pool3d(const Tensor& x, const IntList& output_size) {
  if (output_size.size() == 3 && all_ones(output_size)) return mean(x, {-3, -2, -1}, true);
  const auto& k = kernels<PoolKernels>("adaptive_avg_pool3d", x);
  PoolGeom g = adaptive3d_geom(x, output_size, false);
  if (DType c = pool_dtype(x, "adaptive_avg_pool3d_cpu", false); c != x.dtype())
    return cast_back(adaptive_avg_pool3d(cast(x, c), output_size), x);
  return adaptive_avg_planes(k, x, g, 3);
}

std::pair<Tensor, Tensor> adaptive_max_pool3d(const Tensor& x, const IntList& output_size) {
  const auto& k = kernels<PoolKernels>("adaptive_max_pool3d", x);
  PoolGeom g = adaptive3d_geom(x, output_size, true);
  if (DType c = pool_dtype(x, "adaptive_max_pool3d_cpu", false); c != x.dtype())
    return cast_back(adaptive_max_pool3d(cast(x, c), output_size), x);
  return max_pool_with_indices<AdaptiveMaxPool2DBackward0>(x, g, k.adaptive_max_pool2d_forward, 3);
}

Tensor max_unpool3d(const Tensor& x, const Tensor& indices, const IntList& output_size) {
  const auto& k = kernels<PoolKernels>("max_unpool3d", x);
  RB_CHECK(indices.dtype() == DType::Int64, Error, "elements in indices should be type int64");
  RB_CHECK(x.dim() == 4 || x.dim() == 5, Error,
           "Input to max_unpooling3d should be a 4d or 5d Tensor, but got a tensor with ", x.dim(), " dimensions.");
  RB_CHECK(output_size.size() == 3, Error,
           "There should be exactly three elements (depth, height, width) in output_size, but got ", output_size.size(),
           " elements.");
  return unpool_planes(k, x, indices, output_size, 3);
}

}  // namespace rb
