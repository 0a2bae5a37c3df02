// Convolution ops: argument checks with PyTorch's messages, output shapes, the kernel calls and
// one autograd node (ConvolutionBackward0) shared by conv1d/2d/3d and conv_transpose1d/2d/3d.
#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"

#include "../kernels/conv.h"

namespace rb {
namespace {

// The arguments of one convolution after expansion to three spatial dims (D, H, W): conv2d is
// D = 1, conv1d D = H = 1.
struct ConvArgs {
  int nd = 2;  // spatial dims of the caller (1, 2 or 3)
  bool transposed = false;
  int64_t stride[3], pad_lo[3], pad_hi[3], dilation[3], output_padding[3], groups = 1;
};

std::vector<int64_t> expand_param(const std::vector<int64_t>& v, int nd, const char* name) {
  RB_CHECK(v.size() == 1 || static_cast<int>(v.size()) == nd, Error, "expected ", name,
           " to be a single integer value or a list of ", nd, " values to match the convolution dimensions, but got ",
           name, "=", v);
  return v.size() == 1 ? std::vector<int64_t>(nd, v[0]) : v;
}

// Spatial values of a (nd)-D parameter placed in the last nd of the 3 slots (the others get `fill`).
void place(int64_t* dst, const std::vector<int64_t>& v, int nd, int64_t fill) {
  for (int d = 0; d < 3; ++d) dst[d] = d < 3 - nd ? fill : v[d - (3 - nd)];
}

std::vector<int64_t> spatial(const int64_t* v, int nd) { return std::vector<int64_t>(v + 3 - nd, v + 3); }
// "(8 x 8)" or "(8)", as PyTorch prints per-channel sizes.
std::string dims_str(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? " x " : "") + std::to_string(v[i]);
  return s + ")";
}
// "stride_height: 2 stride_width: 1" (depth too for 3-D), as PyTorch's transposed-conv messages;
// conv_transpose1d prints its height slot as well.
std::string per_dim(const char* name, const int64_t* v, int nd) {
  static const char* dims[3] = {"depth", "height", "width"};
  std::string s;
  for (int d = nd == 3 ? 0 : 1; d < 3; ++d)
    s += (s.empty() ? "" : " ") + std::string(name) + "_" + dims[d] + ": " + std::to_string(v[d]);
  return s;
}

// The kernels' geometry: for a transposed convolution, the conv whose dinput it is
// (conv input = our output, conv output = our input).
ConvGeom make_geom(const ConvArgs& a, const Shape& x5, const Shape& w5, const Shape& y5) {
  ConvGeom g;
  const Shape& ci = a.transposed ? y5 : x5;  // conv input
  const Shape& co = a.transposed ? x5 : y5;  // conv output
  g.N = x5[0], g.C = ci[1], g.D = ci[2], g.H = ci[3], g.W = ci[4];
  g.OC = co[1], g.OD = co[2], g.OH = co[3], g.OW = co[4];
  g.KD = w5[2], g.KH = w5[3], g.KW = w5[4];
  g.stride_d = a.stride[0], g.stride_h = a.stride[1], g.stride_w = a.stride[2];
  g.pad_d = a.pad_lo[0], g.pad_h = a.pad_lo[1], g.pad_w = a.pad_lo[2];
  g.dil_d = a.dilation[0], g.dil_h = a.dilation[1], g.dil_w = a.dilation[2], g.groups = a.groups;
  // With one output row (or column) the stride is never stepped, so 1 gives the same result, and the
  // kernels' stride-phase workspace (stride_h * stride_w planes) stays small for a stride past the input.
  if (g.OD == 1) g.stride_d = 1;
  if (g.OH == 1) g.stride_h = 1;
  if (g.OW == 1) g.stride_w = 1;
  return g;
}

// (N, C, *spatial) or (C, *spatial), nd spatial dims -> (N, C, D, H, W); weights alike (batched).
Shape as5d(const Shape& s, int nd, bool batched) {
  Shape r = s;
  if (!batched) r.insert(r.begin(), 1);
  r.insert(r.begin() + 2, 3 - nd, 1);
  return r;
}
int64_t spatial_numel(const Shape& s5) { return s5[2] * s5[3] * s5[4]; }

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
  Shape x5 = as5d(x_shape, args.nd, batched), y5 = as5d(gy_in.shape(), args.nd, batched);
  Shape w5 = as5d(w_shape, args.nd, true);
  Tensor gy = gy_in.detach().contiguous();
  DType dt = gy.dtype();
  Tensor x = need_w ? input.detach().contiguous() : Tensor();
  Tensor w = need_x ? weight.detach().contiguous() : Tensor();
  ConvGrads r;
  if (need_x) r.dx = Tensor::empty(x_shape, dt, gy.device());
  if (need_w) r.dw = Tensor::empty(w_shape, dt, gy.device());
  if (need_b) r.db = Tensor::empty({y5[1]}, dt, gy.device());
  ConvGeom g = make_geom(args, x5, w5, y5);
  RB_DISPATCH_FLOATING(dt, "convolution_backward", [&] {
    using T = scalar_t;
    const auto& k = kernels<ConvKernels<T>>("convolution_backward", gy);
    const T* gp = gy.data<T>();
    if (!args.transposed) {
      k.conv_backward(g, need_w ? x.data<T>() : nullptr, need_x ? w.data<T>() : nullptr, gp,
                      need_x ? r.dx.data<T>() : nullptr, need_w ? r.dw.data<T>() : nullptr,
                      need_b ? r.db.data<T>() : nullptr);
    } else {
      // y = conv^T(x): dx = conv(gy), dw = conv's dweight with input gy and output-gradient x.
      if (need_x) k.conv_forward(g, gp, w.data<T>(), nullptr, r.dx.data<T>());
      if (need_w) k.conv_backward(g, gp, nullptr, x.data<T>(), nullptr, r.dw.data<T>(), nullptr);
      if (need_b) k.channel_sum(y5[0], y5[1], spatial_numel(y5), gp, r.db.data<T>());
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

// PyTorch's CPU convolutions of integer storage: slow_conv2d and slow_conv3d (im2col and a gemm in the
// type) take every integer type; its dilated and transposed kernels, int64 only; bool, none.
void check_integer_backend(const ConvArgs& a, DType dt) {
  const bool dilated = a.dilation[0] != 1 || a.dilation[1] != 1 || a.dilation[2] != 1;
  const char* kernel = a.transposed ? (a.nd == 3 ? "slow_conv_transpose3d_out_cpu" : "slow_conv_transpose2d_out_cpu")
                       : dilated    ? "slow_conv_dilated<>"
                       : a.nd == 3  ? "compute_columns3d"
                                    : "slow_conv2d_cpu";
  RB_CHECK(dt == DType::Int64 || (dt != DType::Bool && !a.transposed && !dilated), NotImplementedError, "\"", kernel,
           "\" not implemented for '", aten_name(dt), "'");
}

Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, ConvArgs a, const char* op) {
  const int nd = a.nd;
  RB_CHECK(input.defined() && weight.defined(), Error, op, ": input and weight must be tensors");
  if (is_floating(input.dtype()) && !is_compute_dtype(input.dtype()) && input.dtype() == weight.dtype())
    return cast(convolution(widen(input), widen(weight), bias.defined() ? widen(bias) : bias, a, op), input.dtype());
  RB_CHECK(input.dim() == nd + 1 || input.dim() == nd + 2, Error, "Expected ", nd + 1, "D (unbatched) or ", nd + 2,
           "D (batched) input to ", op, ", but got input of size: ", input.shape());
  const bool batched = input.dim() == nd + 2;
  Shape x5 = as5d(input.shape(), nd, batched);
  Shape xb(x5);  // the batched shape PyTorch prints in messages
  xb.erase(xb.begin() + 2, xb.begin() + 5 - nd);
  RB_CHECK(weight.dim() == nd + 2, Error, "Expected ", nd + 2, "-dimensional weight for ", nd + 2,
           "-dimensional input ", xb, ", but got ", weight.dim(), "-dimensional weight of size ", weight.shape(),
           " instead");
  RB_CHECK(input.device() == weight.device() && (!bias.defined() || bias.device() == input.device()), Error, op,
           ": Expected all tensors to be on the same device");
  RB_CHECK(input.dtype() == weight.dtype(), Error, "Input type (", dtype_name(input.dtype()), ") and weight type (",
           dtype_name(weight.dtype()), ") should be the same");
  RB_CHECK(!bias.defined() || bias.dtype() == input.dtype(), Error, "Input type (", dtype_name(input.dtype()),
           ") and bias type (", dtype_name(bias.dtype()), ") should be the same");
  for (int d = 0; d < 3; ++d) {
    RB_CHECK(a.stride[d] > 0, Error, "non-positive stride is not supported");
    RB_CHECK(a.pad_lo[d] >= 0 && a.pad_hi[d] >= 0, Error, "negative padding is not supported");
    RB_CHECK(a.output_padding[d] >= 0, Error, "negative output_padding is not supported");
  }
  // A zero dilation is refused later, by the kernels an empty batch never reaches.
  RB_CHECK(a.dilation[0] >= 0 && a.dilation[1] >= 0 && a.dilation[2] >= 0, Error,
           "dilation should be greater than zero");
  RB_CHECK(a.groups > 0, Error, "non-positive groups is not supported");
  Shape w5 = as5d(weight.shape(), nd, true);
  const int64_t G = a.groups, C = x5[1];
  // No output channels: PyTorch refuses the weight rather than return an empty result.
  RB_CHECK(w5[0] >= G, Error, "Given groups=", G, ", expected weight to be at least ", G,
           " at dimension 0, but got weight of size [", weight.shape(), "] instead");
  RB_CHECK(!a.transposed || w5[1] > 0, Error, "non-empty ", nd + 2, "D weight tensor expected, but got: [",
           weight.shape(), "]");
  RB_CHECK(w5[0] % G == 0, Error, "Given groups=", G, ", expected weight to be divisible by ", G,
           " at dimension 0, but got weight of size [", weight.shape(), "] instead");
  int64_t OC;
  if (!a.transposed) {
    RB_CHECK(C == w5[1] * G, Error, "Given groups=", G, ", weight of size ", weight.shape(), ", expected input", xb,
             " to have ", w5[1] * G, " channels, but got ", C, " channels instead");
    OC = w5[0];
  } else {
    RB_CHECK(C == w5[0], Error, "Given transposed=1, weight of size ", weight.shape(), ", expected input", xb,
             " to have ", w5[0], " channels, but got ", C, " channels instead");
    OC = w5[1] * G;
  }
  RB_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == OC), Error, "Given ",
           a.transposed ? "transposed=1, " : "", "weight of size ", weight.shape(),
           ", expected bias to be 1-dimensional with ", OC, " elements, but got bias of size ",
           bias.defined() ? bias.shape() : Shape{}, " instead");
  // As PyTorch's _convolution: an empty input is allowed only through its batch or channels.
  RB_CHECK(spatial_numel(x5) > 0, Error,
           "Only zero batch or zero channel inputs are supported, but got input shape: ", input.shape());
  RB_CHECK(spatial_numel(w5) > 0, Error, "kernel size should be greater than zero, but got weight of size ",
           weight.shape());
  int64_t out_hw[3];
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
    int64_t padded[3], kext[3];
    for (int d = 0; d < 3; ++d) {
      padded[d] = add(add(x5[2 + d], a.pad_lo[d]), a.pad_hi[d]);
      kext[d] = add(mul(a.dilation[d], w5[2 + d] - 1), 1);
    }
    check_overflow();
    RB_CHECK(padded[0] >= kext[0] && padded[1] >= kext[1] && padded[2] >= kext[2], Error,
             "Calculated padded input size per channel: ", dims_str(spatial(padded, nd)),
             ". Kernel size: ", dims_str(spatial(kext, nd)), ". Kernel size can't be greater than actual input size");
    for (int d = 0; d < 3; ++d) out_hw[d] = (padded[d] - kext[d]) / a.stride[d] + 1;
  } else {
    for (int d = 0; d < 3; ++d)
      RB_CHECK(a.output_padding[d] < a.stride[d] || a.output_padding[d] < a.dilation[d], Error,
               "output padding must be smaller than either stride or dilation, but got ",
               per_dim("output_padding", a.output_padding, nd), " ", per_dim("stride", a.stride, nd), " ",
               per_dim("dilation", a.dilation, nd));
    for (int d = 0; d < 3; ++d)
      out_hw[d] = add(
          add(add(mul(x5[2 + d] - 1, a.stride[d]), add(-a.pad_lo[d], -a.pad_hi[d])), mul(a.dilation[d], w5[2 + d] - 1)),
          a.output_padding[d] + 1);
    check_overflow();
    int64_t in_hw[3] = {x5[2], x5[3], x5[4]};
    RB_CHECK(out_hw[0] > 0 && out_hw[1] > 0 && out_hw[2] > 0, Error,
             "Given input size per channel: ", dims_str(spatial(in_hw, nd)),
             ". Calculated output size per channel: ", dims_str(spatial(out_hw, nd)), ". Output size is too small");
  }
  Shape y5 = {x5[0], OC, out_hw[0], out_hw[1], out_hw[2]};
  Shape y_shape = y5;
  y_shape.erase(y_shape.begin() + 2, y_shape.begin() + 5 - nd);
  if (!batched) y_shape.erase(y_shape.begin());

  // Integer storage runs in int64 and is narrowed once (the wrap is the same modulo 2^k), where
  // PyTorch has a kernel for it; an input empty in its batch or channels reaches none.
  const DType dt = input.dtype(), kt = is_floating(dt) ? dt : DType::Int64;
  if (x5[0] > 0 && x5[1] > 0) {
    std::string per = per_dim("dilation", a.dilation, nd);  // "dilation_height: 0 dilation_width: 0"
    for (size_t i = per.find(" dilation_"); i != std::string::npos; i = per.find(" dilation_", i + 2))
      per.insert(i, ",");
    RB_CHECK(a.dilation[0] > 0 && a.dilation[1] > 0 && a.dilation[2] > 0, Error,
             "dilation should be greater than zero, but got ", a.transposed ? per : str(spatial(a.dilation, nd)));
    if (kt != dt) check_integer_backend(a, dt);
  }
  Tensor out = Tensor::empty(y_shape, dt, input.device());
  {
    NoGradGuard ng;
    Tensor x = cast(input.detach(), kt).contiguous(), w = cast(weight.detach(), kt).contiguous();
    Tensor b = bias.defined() ? cast(bias.detach(), kt).contiguous() : Tensor();
    Tensor res = kt == dt ? out : Tensor::empty(y_shape, kt, input.device());
    ConvGeom g = make_geom(a, x5, w5, y5);
    RB_DISPATCH_NUMERIC(kt, op, [&] {
      using T = scalar_t;
      const auto& k = kernels<ConvKernels<T>>(op, input);
      if (!a.transposed) {
        k.conv_forward(g, x.data<T>(), w.data<T>(), b.defined() ? b.data<T>() : nullptr, res.data<T>());
      } else {
        k.conv_backward(g, nullptr, w.data<T>(), x.data<T>(), res.data<T>(), nullptr, nullptr);
        if (b.defined()) k.add_channel_bias(y5[0], y5[1], spatial_numel(y5), b.data<T>(), res.data<T>());
      }
    });
    if (kt != dt) copy_values(res, out);
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
  a.output_padding[0] = a.output_padding[1] = a.output_padding[2] = 0;
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
  std::fill_n(a.pad_lo, 3, 0), std::fill_n(a.pad_hi, 3, 0);
  if (padding == "valid") return convolution(input, weight, bias, a, op);
  RB_CHECK(padding == "same", Error, "Invalid padding string: '", padding, "'");
  RB_CHECK(a.stride[0] == 1 && a.stride[1] == 1 && a.stride[2] == 1, Error,
           "padding='same' is not supported for strided convolutions");
  RB_CHECK(weight.dim() == nd + 2, Error, "Expected ", nd + 2, "-dimensional weight for ", op, ", but got ",
           weight.dim(), "-dimensional weight of size ", weight.shape(), " instead");
  for (int d = 3 - nd; d < 3; ++d) {
    int64_t k = weight.size(2 + d - (3 - nd));
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
Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias, const std::vector<int64_t>& stride,
              const std::vector<int64_t>& padding, const std::vector<int64_t>& dilation, int64_t groups) {
  return conv_int_padding(input, weight, bias, 3, stride, padding, dilation, groups, "conv3d");
}
Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias, const std::vector<int64_t>& stride,
              const std::string& padding, const std::vector<int64_t>& dilation, int64_t groups) {
  return conv_str_padding(input, weight, bias, 3, stride, padding, dilation, groups, "conv3d");
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
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                        const std::vector<int64_t>& output_padding, int64_t groups,
                        const std::vector<int64_t>& dilation) {
  return conv_transpose(input, weight, bias, 3, stride, padding, output_padding, groups, dilation, "conv_transpose3d");
}
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
                        const std::vector<int64_t>& output_padding, int64_t groups,
                        const std::vector<int64_t>& dilation) {
  return conv_transpose(input, weight, bias, 1, stride, padding, output_padding, groups, dilation, "conv_transpose1d");
}

}  // namespace rb
