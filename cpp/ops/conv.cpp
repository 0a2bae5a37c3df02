// Convolution ops: argument checks with PyTorch's messages, output shapes, the kernel calls and
// one autograd node (ConvolutionBackward0) shared by conv1d/2d and conv_transpose1d/2d.
#include "rosenblatt/ops.h"

#include "op_common.h"

#include "../kernels/conv.h"

namespace rb {
namespace {

// The arguments of one convolution after expansion to two spatial dims (conv1d is H = 1).
struct ConvArgs {
  int nd = 2;  // spatial dims of the caller (1 or 2)
  bool transposed = false;
  int64_t stride[2], pad_lo[2], pad_hi[2], dilation[2], output_padding[2], groups = 1;
};

std::vector<int64_t> expand_param(const std::vector<int64_t>& v, int nd, const char* name) {
  RB_CHECK(v.size() == 1 || static_cast<int>(v.size()) == nd, Error, "expected ", name,
           " to be a single integer value or a list of ", nd, " values to match the convolution dimensions, but got ",
           name, "=", v);
  return v.size() == 1 ? std::vector<int64_t>(nd, v[0]) : v;
}

// Spatial values of a (nd)-D parameter placed in the 2-D slots (conv1d's height gets `fill`).
void place(int64_t* dst, const std::vector<int64_t>& v, int nd, int64_t fill) {
  if (nd == 1)
    dst[0] = fill, dst[1] = v[0];
  else
    dst[0] = v[0], dst[1] = v[1];
}

std::vector<int64_t> spatial(const int64_t* v, int nd) {
  return nd == 1 ? std::vector<int64_t>{v[1]} : std::vector<int64_t>{v[0], v[1]};
}
// "(8 x 8)" or "(8)", as PyTorch prints per-channel sizes.
std::string dims_str(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? " x " : "") + std::to_string(v[i]);
  return s + ")";
}

// The kernels' geometry: for a transposed convolution, the conv whose dinput it is
// (conv input = our output, conv output = our input).
ConvGeom make_geom(const ConvArgs& a, const Shape& x4, const Shape& w4, const Shape& y4) {
  ConvGeom g;
  const Shape& ci = a.transposed ? y4 : x4;  // conv input
  const Shape& co = a.transposed ? x4 : y4;  // conv output
  g.N = x4[0], g.C = ci[1], g.H = ci[2], g.W = ci[3], g.OC = co[1], g.OH = co[2], g.OW = co[3];
  g.KH = w4[2], g.KW = w4[3];
  g.stride_h = a.stride[0], g.stride_w = a.stride[1], g.pad_h = a.pad_lo[0], g.pad_w = a.pad_lo[1];
  g.dil_h = a.dilation[0], g.dil_w = a.dilation[1], g.groups = a.groups;
  // With one output row (or column) the stride is never stepped, so 1 gives the same result, and the
  // kernels' stride-phase workspace (stride_h * stride_w planes) stays small for a stride past the input.
  if (g.OH == 1) g.stride_h = 1;
  if (g.OW == 1) g.stride_w = 1;
  return g;
}

Shape as4d(const Shape& s, int nd, bool batched) {  // (N, C, [H,] W) -> (N, C, H, W)
  Shape r = s;
  if (!batched) r.insert(r.begin(), 1);
  if (nd == 1) r.insert(r.begin() + 2, 1);
  return r;
}

Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, ConvArgs a, const char* op);
struct ConvGrads {
  Tensor dx, dw, db;
};
ConvGrads convolution_backward(const Tensor& gy, const Tensor& input, const Tensor& weight, const Shape& x_shape,
                               const Shape& w_shape, const ConvArgs& args, bool need_x, bool need_w, bool need_b);

struct ConvolutionBackward : Node {
  SavedTensor input, weight;
  ConvArgs args;
  Shape x_shape, w_shape;
  bool need_x, need_w, need_b;
  std::string name() const override { return "ConvolutionBackward0"; }
  void release_saved() override { input.reset(), weight.reset(); }

  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor x = need_w ? input.unpack(*this) : Tensor(), w = need_x ? weight.unpack(*this) : Tensor();
    ConvGrads r = convolution_backward(grads[0], x, w, x_shape, w_shape, args, need_x, need_w, need_b);
    return {r.dx, r.dw, r.db};
  }
};

// The backward is bilinear: dx = B_x(gy, w), dw = B_w(gy, x), db = sum(gy). Its own gradients,
// for incoming ggx, ggw, ggb: to gy the forward conv(ggx, w) + conv(x, ggw) + ggb; to w the
// weight gradient with input ggx; to x the input gradient through weight ggw (as ATen's
// _convolution_double_backward). Both are the ops above, so any order can be taken.
struct ConvolutionBackwardBackward : Node {
  SavedTensor gy, input, weight;
  ConvArgs args;
  Shape x_shape, w_shape;
  bool has_x, has_w, has_b;  // which of dx, dw, db were recorded as outputs, in that order
  std::string name() const override { return "ConvolutionBackwardBackward0"; }
  void release_saved() override { gy.reset(), input.reset(), weight.reset(); }

  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    size_t k = 0;
    Tensor ggx = has_x ? grads[k++] : Tensor(), ggw = has_w ? grads[k++] : Tensor();
    Tensor ggb = has_b ? grads[k++] : Tensor();
    Tensor g = gy.unpack(*this);
    Tensor x = has_w ? input.unpack(*this) : Tensor(), w = has_x ? weight.unpack(*this) : Tensor();
    Tensor d_gy, d_x, d_w;
    if (has_x) d_gy = convolution(ggx, w, ggb, args, "convolution_backward");
    if (has_w) {
      Tensor t = convolution(x, ggw, has_x ? Tensor() : ggb, args, "convolution_backward");
      d_gy = d_gy.defined() ? add(d_gy, t) : t;
    }
    if (!d_gy.defined() && has_b) {  // only the bias had a gradient: ggb broadcast over gy
      Shape bshape(g.dim(), 1);
      bshape[static_cast<int>(x_shape.size()) == args.nd + 2 ? 1 : 0] = ggb.numel();  // channels: after a batch dim
      d_gy = mul(ones_like(g), reshape(ggb, bshape));
    }
    if (has_w) d_x = convolution_backward(g, Tensor(), ggw, x_shape, w_shape, args, true, false, false).dx;
    if (has_x) d_w = convolution_backward(g, ggx, Tensor(), x_shape, w_shape, args, false, true, false).dw;
    return {d_gy, d_x, d_w};
  }
};

// gy: the output's shape; input (needed for dw) and weight (needed for dx) may be undefined
// when that gradient is not wanted.
ConvGrads convolution_backward(const Tensor& gy_in, const Tensor& input, const Tensor& weight, const Shape& x_shape,
                               const Shape& w_shape, const ConvArgs& args, bool need_x, bool need_w, bool need_b) {
  const bool batched = static_cast<int>(x_shape.size()) == args.nd + 2;
  Shape x4 = as4d(x_shape, args.nd, batched), y4 = as4d(gy_in.shape(), args.nd, batched), w4 = w_shape;
  if (args.nd == 1) w4.insert(w4.begin() + 2, 1);
  Tensor gy = gy_in.detach().contiguous();
  DType dt = gy.dtype();
  Tensor x = need_w ? input.detach().contiguous() : Tensor();
  Tensor w = need_x ? weight.detach().contiguous() : Tensor();
  ConvGrads r;
  if (need_x) r.dx = Tensor::empty(x_shape, dt, gy.device());
  if (need_w) r.dw = Tensor::empty(w_shape, dt, gy.device());
  if (need_b) r.db = Tensor::empty({y4[1]}, dt, gy.device());
  ConvGeom g = make_geom(args, x4, w4, y4);
  RB_DISPATCH_FLOATING(dt, "convolution_backward", [&] {
    using T = scalar_t;
    const auto& k = kernels<ConvKernels<T>>("convolution_backward", gy);
    const T* gp = gy.data<T>();
    if (!args.transposed) {
      k.conv2d_backward(g, need_w ? x.data<T>() : nullptr, need_x ? w.data<T>() : nullptr, gp,
                        need_x ? r.dx.data<T>() : nullptr, need_w ? r.dw.data<T>() : nullptr,
                        need_b ? r.db.data<T>() : nullptr);
    } else {
      // y = conv^T(x): dx = conv(gy), dw = conv's dweight with input gy and output-gradient x.
      if (need_x) k.conv2d_forward(g, gp, w.data<T>(), nullptr, r.dx.data<T>());
      if (need_w) k.conv2d_backward(g, gp, nullptr, x.data<T>(), nullptr, r.dw.data<T>(), nullptr);
      if (need_b) k.channel_sum(y4[0], y4[1], y4[2] * y4[3], gp, r.db.data<T>());
    }
  });
  if (any_requires_grad({&gy_in, &input, &weight})) {
    auto node = std::make_shared<ConvolutionBackwardBackward>();
    node->args = args, node->x_shape = x_shape, node->w_shape = w_shape;
    node->has_x = need_x, node->has_w = need_w, node->has_b = need_b;
    node->gy = SavedTensor(gy_in);
    if (need_w) node->input = SavedTensor(input);
    if (need_x) node->weight = SavedTensor(weight);
    std::vector<Tensor*> outs;
    for (Tensor* t : {&r.dx, &r.dw, &r.db})
      if (t->defined()) outs.push_back(t);
    record(node, std::vector<const Tensor*>{&gy_in, need_w ? &input : nullptr, need_x ? &weight : nullptr}, outs);
  }
  return r;
}

Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, ConvArgs a, const char* op) {
  const int nd = a.nd;
  RB_CHECK(input.defined() && weight.defined(), Error, op, ": input and weight must be tensors");
  if (is_floating(input.dtype()) && !is_compute_dtype(input.dtype()) && input.dtype() == weight.dtype())
    return cast(convolution(widen(input), widen(weight), bias.defined() ? widen(bias) : bias, a, op), input.dtype());
  RB_CHECK(input.dim() == nd + 1 || input.dim() == nd + 2, Error, "Expected ", nd + 1, "D (unbatched) or ", nd + 2,
           "D (batched) input to ", op, ", but got input of size: ", input.shape());
  const bool batched = input.dim() == nd + 2;
  Shape x4 = as4d(input.shape(), nd, batched);
  Shape xb(x4);  // the batched shape PyTorch prints in messages
  if (nd == 1) xb.erase(xb.begin() + 2);
  RB_CHECK(weight.dim() == nd + 2, Error, "Expected ", nd + 2, "-dimensional weight for ", nd + 2,
           "-dimensional input ", xb, ", but got ", weight.dim(), "-dimensional weight of size ", weight.shape(),
           " instead");
  RB_CHECK(input.device() == weight.device() && (!bias.defined() || bias.device() == input.device()), Error, op,
           ": Expected all tensors to be on the same device");
  RB_CHECK(is_floating(input.dtype()), Error, "\"", op, "\" not implemented for '", dtype_name(input.dtype()), "'");
  RB_CHECK(input.dtype() == weight.dtype(), Error, "Input type (", dtype_name(input.dtype()), ") and weight type (",
           dtype_name(weight.dtype()), ") should be the same");
  RB_CHECK(!bias.defined() || bias.dtype() == input.dtype(), Error, "Input type (", dtype_name(input.dtype()),
           ") and bias type (", dtype_name(bias.dtype()), ") should be the same");
  for (int d = 0; d < 2; ++d) {
    RB_CHECK(a.stride[d] > 0, Error, "non-positive stride is not supported");
    RB_CHECK(a.pad_lo[d] >= 0 && a.pad_hi[d] >= 0, Error, "negative padding is not supported");
    RB_CHECK(a.output_padding[d] >= 0, Error, "negative output_padding is not supported");
  }
  RB_CHECK(a.dilation[0] > 0 && a.dilation[1] > 0, Error, "dilation should be greater than zero, but got ",
           spatial(a.dilation, nd));
  RB_CHECK(a.groups > 0, Error, "non-positive groups is not supported");
  Shape w4 = weight.shape();
  if (nd == 1) w4.insert(w4.begin() + 2, 1);
  const int64_t G = a.groups, C = x4[1];
  // No output channels: PyTorch refuses the weight rather than return an empty result.
  RB_CHECK(w4[0] >= G, Error, "Given groups=", G, ", expected weight to be at least ", G,
           " at dimension 0, but got weight of size [", weight.shape(), "] instead");
  RB_CHECK(!a.transposed || w4[1] > 0, Error, "non-empty ", nd + 2, "D weight tensor expected, but got: [",
           weight.shape(), "]");
  RB_CHECK(w4[0] % G == 0, Error, "Given groups=", G, ", expected weight to be divisible by ", G,
           " at dimension 0, but got weight of size [", weight.shape(), "] instead");
  int64_t OC;
  if (!a.transposed) {
    RB_CHECK(C == w4[1] * G, Error, "Given groups=", G, ", weight of size ", weight.shape(), ", expected input", xb,
             " to have ", w4[1] * G, " channels, but got ", C, " channels instead");
    OC = w4[0];
  } else {
    RB_CHECK(C == w4[0], Error, "Given transposed=1, weight of size ", weight.shape(), ", expected input", xb,
             " to have ", w4[0], " channels, but got ", C, " channels instead");
    OC = w4[1] * G;
  }
  RB_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == OC), Error, "Given ",
           a.transposed ? "transposed=1, " : "", "weight of size ", weight.shape(),
           ", expected bias to be 1-dimensional with ", OC, " elements, but got bias of size ",
           bias.defined() ? bias.shape() : Shape{}, " instead");
  // As PyTorch's _convolution: an empty input is allowed only through its batch or channels.
  RB_CHECK(x4[2] > 0 && x4[3] > 0, Error,
           "Only zero batch or zero channel inputs are supported, but got input shape: ", input.shape());
  RB_CHECK(w4[2] > 0 && w4[3] > 0, Error, "kernel size should be greater than zero, but got weight of size ",
           weight.shape());
  int64_t out_hw[2];
  // Sizes from user integers in overflow-checked arithmetic: a wrapped size would reach the kernels.
  bool overflow = false;
  auto mul = [&](int64_t x, int64_t y) {
    int64_t r;
    overflow |= __builtin_mul_overflow(x, y, &r);
    return r;
  };
  auto add = [&](int64_t x, int64_t y) {
    int64_t r;
    overflow |= __builtin_add_overflow(x, y, &r);
    return r;
  };
  auto check_overflow = [&] {
    RB_CHECK(!overflow, Error, op, ": the output size overflows for input ", input.shape(), ", weight ", weight.shape(),
             ", stride ", spatial(a.stride, nd), ", padding ", spatial(a.pad_lo, nd), ", dilation ",
             spatial(a.dilation, nd));
  };
  if (!a.transposed) {
    int64_t padded[2], kext[2];
    for (int d = 0; d < 2; ++d) {
      padded[d] = add(add(x4[2 + d], a.pad_lo[d]), a.pad_hi[d]);
      kext[d] = add(mul(a.dilation[d], w4[2 + d] - 1), 1);
    }
    check_overflow();
    RB_CHECK(padded[0] >= kext[0] && padded[1] >= kext[1], Error,
             "Calculated padded input size per channel: ", dims_str(spatial(padded, nd)),
             ". Kernel size: ", dims_str(spatial(kext, nd)), ". Kernel size can't be greater than actual input size");
    for (int d = 0; d < 2; ++d) out_hw[d] = (padded[d] - kext[d]) / a.stride[d] + 1;
  } else {
    for (int d = 0; d < 2; ++d)
      RB_CHECK(a.output_padding[d] < a.stride[d] || a.output_padding[d] < a.dilation[d], Error,
               "output padding must be smaller than either stride or dilation, but got output_padding_height: ",
               a.output_padding[0], " output_padding_width: ", a.output_padding[1], " stride_height: ", a.stride[0],
               " stride_width: ", a.stride[1], " dilation_height: ", a.dilation[0], " dilation_width: ", a.dilation[1]);
    for (int d = 0; d < 2; ++d)
      out_hw[d] = add(
          add(add(mul(x4[2 + d] - 1, a.stride[d]), add(-a.pad_lo[d], -a.pad_hi[d])), mul(a.dilation[d], w4[2 + d] - 1)),
          a.output_padding[d] + 1);
    check_overflow();
    int64_t in_hw[2] = {x4[2], x4[3]};
    RB_CHECK(out_hw[0] > 0 && out_hw[1] > 0, Error, "Given input size per channel: ", dims_str(spatial(in_hw, nd)),
             ". Calculated output size per channel: ", dims_str(spatial(out_hw, nd)), ". Output size is too small");
  }
  Shape y4 = {x4[0], OC, out_hw[0], out_hw[1]};
  Shape y_shape = y4;
  if (nd == 1) y_shape.erase(y_shape.begin() + 2);
  if (!batched) y_shape.erase(y_shape.begin());

  Tensor out = Tensor::empty(y_shape, input.dtype(), input.device());
  {
    Tensor x = input.detach().contiguous(), w = weight.detach().contiguous();
    Tensor b = bias.defined() ? bias.detach().contiguous() : Tensor();
    ConvGeom g = make_geom(a, x4, w4, y4);
    RB_DISPATCH_FLOATING(input.dtype(), op, [&] {
      using T = scalar_t;
      const auto& k = kernels<ConvKernels<T>>(op, input);
      if (!a.transposed) {
        k.conv2d_forward(g, x.data<T>(), w.data<T>(), b.defined() ? b.data<T>() : nullptr, out.data<T>());
      } else {
        k.conv2d_backward(g, nullptr, w.data<T>(), x.data<T>(), out.data<T>(), nullptr, nullptr);
        if (b.defined()) k.add_channel_bias(y4[0], y4[1], y4[2] * y4[3], b.data<T>(), out.data<T>());
      }
    });
  }
  if (any_requires_grad({&input, &weight, &bias})) {
    auto node = std::make_shared<ConvolutionBackward>();
    node->args = a;
    node->x_shape = input.shape(), node->w_shape = weight.shape();
    node->need_x = input.requires_grad(), node->need_w = weight.requires_grad();
    node->need_b = bias.defined() && bias.requires_grad();
    if (node->need_x) node->weight = SavedTensor(weight);
    if (node->need_w) node->input = SavedTensor(input);
    if (bias.defined())
      record(node, {&input, &weight, &bias}, {&out});
    else
      record(node, {&input, &weight}, {&out});
  }
  return out;
}

ConvArgs conv_args(int nd, const std::vector<int64_t>& stride, const std::vector<int64_t>& dilation, int64_t groups) {
  ConvArgs a;
  a.nd = nd;
  a.groups = groups;
  place(a.stride, expand_param(stride, nd, "stride"), nd, 1);
  place(a.dilation, expand_param(dilation, nd, "dilation"), nd, 1);
  a.output_padding[0] = a.output_padding[1] = 0;
  return a;
}

Tensor conv_int_padding(const Tensor& input, const Tensor& weight, const Tensor& bias, int nd,
                        const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                        const std::vector<int64_t>& dilation, int64_t groups, const char* op) {
  ConvArgs a = conv_args(nd, stride, dilation, groups);
  auto p = expand_param(padding, nd, "padding");
  place(a.pad_lo, p, nd, 0);
  place(a.pad_hi, p, nd, 0);
  return convolution(input, weight, bias, a, op);
}

// 'valid' is no padding; 'same' pads dilation*(k-1) in total, the odd one on the bottom/right as PyTorch.
Tensor conv_str_padding(const Tensor& input, const Tensor& weight, const Tensor& bias, int nd,
                        const std::vector<int64_t>& stride, const std::string& padding,
                        const std::vector<int64_t>& dilation, int64_t groups, const char* op) {
  ConvArgs a = conv_args(nd, stride, dilation, groups);
  a.pad_lo[0] = a.pad_lo[1] = a.pad_hi[0] = a.pad_hi[1] = 0;
  if (padding == "valid") return convolution(input, weight, bias, a, op);
  RB_CHECK(padding == "same", Error, "Invalid padding string: '", padding, "'");
  RB_CHECK(a.stride[0] == 1 && a.stride[1] == 1, Error, "padding='same' is not supported for strided convolutions");
  RB_CHECK(weight.dim() == nd + 2, Error, "Expected ", nd + 2, "-dimensional weight for ", op, ", but got ",
           weight.dim(), "-dimensional weight of size ", weight.shape(), " instead");
  for (int d = 0; d < 2; ++d) {
    int64_t k = (nd == 1 && d == 0) ? 1 : weight.size(nd == 1 ? 2 : 2 + d);
    int64_t total = a.dilation[d] * (k - 1);
    a.pad_lo[d] = total / 2;
    a.pad_hi[d] = total - total / 2;
  }
  return convolution(input, weight, bias, a, op);
}

}  // namespace

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const std::vector<int64_t>& stride,
              const std::vector<int64_t>& padding, const std::vector<int64_t>& dilation, int64_t groups) {
  return conv_int_padding(input, weight, bias, 2, stride, padding, dilation, groups, "conv2d");
}
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const std::vector<int64_t>& stride,
              const std::string& padding, const std::vector<int64_t>& dilation, int64_t groups) {
  return conv_str_padding(input, weight, bias, 2, stride, padding, dilation, groups, "conv2d");
}
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, const std::vector<int64_t>& stride,
              const std::vector<int64_t>& padding, const std::vector<int64_t>& dilation, int64_t groups) {
  return conv_int_padding(input, weight, bias, 1, stride, padding, dilation, groups, "conv1d");
}
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, const std::vector<int64_t>& stride,
              const std::string& padding, const std::vector<int64_t>& dilation, int64_t groups) {
  return conv_str_padding(input, weight, bias, 1, stride, padding, dilation, groups, "conv1d");
}

namespace {
Tensor conv_transpose(const Tensor& input, const Tensor& weight, const Tensor& bias, int nd,
                      const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                      const std::vector<int64_t>& output_padding, int64_t groups, const std::vector<int64_t>& dilation,
                      const char* op) {
  ConvArgs a = conv_args(nd, stride, dilation, groups);
  a.transposed = true;
  auto p = expand_param(padding, nd, "padding");
  place(a.pad_lo, p, nd, 0);
  place(a.pad_hi, p, nd, 0);
  place(a.output_padding, expand_param(output_padding, nd, "output_padding"), nd, 0);
  return convolution(input, weight, bias, a, op);
}
}  // namespace

Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                        const std::vector<int64_t>& output_padding, int64_t groups,
                        const std::vector<int64_t>& dilation) {
  return conv_transpose(input, weight, bias, 2, stride, padding, output_padding, groups, dilation, "conv_transpose2d");
}
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                        const std::vector<int64_t>& output_padding, int64_t groups,
                        const std::vector<int64_t>& dilation) {
  return conv_transpose(input, weight, bias, 1, stride, padding, output_padding, groups, dilation, "conv_transpose1d");
}

}  // namespace rb
