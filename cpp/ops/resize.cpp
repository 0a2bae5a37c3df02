// Interpolation (upsample2d, antialiased or not) and constant padding: PyTorch's checks, output allocation and
// autograd nodes. The gradient of a constant pad is the pad with negated widths (a crop), itself an op.
#include <algorithm>

#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"
#include "pointers.h"

#include "../kernels/resize.h"

namespace rb {
namespace {

const char* node_name(InterpMode m, bool antialias) {
  switch (m) {
    case InterpMode::Nearest: return "UpsampleNearest2DBackward0";
    case InterpMode::NearestExact: return "UpsampleNearestExact2DBackward0";
    case InterpMode::Bilinear: return antialias ? "UpsampleBilinear2DAaBackward0" : "UpsampleBilinear2DBackward0";
    case InterpMode::Bicubic: return antialias ? "UpsampleBicubic2DAaBackward0" : "UpsampleBicubic2DBackward0";
    case InterpMode::Lanczos: return "UpsampleLanczos2DAaBackward0";
  }
  return "UpsampleBackward0";
}

struct Upsample2DBackward : Node {
  ResizeGeom g;
  Shape in_shape;
  std::string name() const override { return node_name(g.mode, g.antialias); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor gi = grads[0].contiguous();
    Tensor dx = Tensor::empty(in_shape, gi.dtype(), gi.device());
    kernels<ResizeKernels>("upsample2d_backward", gi)
        .upsample2d_backward(with_dtype(g, gi), gi.raw_data(), dx.raw_data());
    // The backward is linear in the gradient: its gradient is the forward again (create_graph).
    record_adjoint("Upsample2D", grads[0], dx, [g = g](const Tensor& gg) {
      return upsample2d(gg, g.mode, g.OH, g.OW, g.align_corners, g.scale_h, g.scale_w, g.antialias);
    });
    return {dx};
  }
};

struct ConstantPadNdBackward0 : Node {
  std::vector<int64_t> pad;
  std::string name() const override { return "ConstantPadNdBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    std::vector<int64_t> neg(pad.size());
    for (size_t i = 0; i < pad.size(); ++i) neg[i] = -pad[i];
    return {constant_pad_nd(grads[0], neg, 0.0)};
  }
};

}  // namespace

Tensor upsample2d(const Tensor& x, InterpMode mode, int64_t out_h, int64_t out_w, bool align_corners,
                  std::optional<double> scale_h, std::optional<double> scale_w, bool antialias) {
  const auto& k = kernels<ResizeKernels>("upsample2d", x);
  RB_CHECK(x.dim() == 4, Error, "upsample2d: expected a 4D input (N, C, H, W), got ", x.shape());
  // PyTorch interpolates float16 and uint8 (images) too: float16 and uint8's nearest (a copy) in float32 here;
  // uint8 bilinear, bicubic and lanczos, antialiased or not, take its own fixed-point algorithm on the CPU (the
  // kernel's). Its other integers have no kernel.
  const bool nearest = mode == InterpMode::Nearest || mode == InterpMode::NearestExact;
  RB_CHECK(!antialias || !nearest, Error, "upsample2d: antialias=True needs the bilinear, bicubic or lanczos mode");
  RB_CHECK(antialias || mode != InterpMode::Lanczos, Error, "upsample2d: the lanczos mode needs antialias=True");
  RB_CHECK(!antialias || mode != InterpMode::Lanczos || !align_corners, Error,
           "upsample2d: the lanczos mode does not support align_corners=True");
  const bool byte_image = x.dtype() == DType::UInt8 && !nearest;
  RB_CHECK(antialias || is_floating(x.dtype()) || x.dtype() == DType::UInt8, NotImplementedError,
           "upsample2d: not implemented for dtype ", dtype_name(x.dtype()));
  const int64_t H = x.size(2), W = x.size(3);
  RB_CHECK(H > 0 && W > 0 && out_h > 0 && out_w > 0, Error,
           "Input and output sizes should be greater than 0, but got input (H: ", H, ", W: ", W, ") output (H: ", out_h,
           ", W: ", out_w, ")");
  RB_CHECK(x.size(1) > 0, Error, "Non-empty 4D data tensor expected but got a tensor with sizes ", x.shape());
  // ATen computes the antialiased weights in the data's type: float32, float64 and (fixed point) uint8 only.
  RB_CHECK(!antialias || byte_image || x.dtype() == DType::Float32 || x.dtype() == DType::Float64, NotImplementedError,
           "\"compute_index_ranges_weights\" not implemented for '", aten_name(x.dtype()), "'");
  if (byte_image) {  // no gradient: an integer result
    ResizeGeom g{x.size(0) * x.size(1), H,       W,       out_h,     out_w,    mode,
                 align_corners,         scale_h, scale_w, x.dtype(), antialias};
    Tensor xc = x.contiguous();
    Tensor y = Tensor::empty({x.size(0), x.size(1), out_h, out_w}, x.dtype(), x.device());
    k.upsample2d_forward(g, xc.raw_data(), y.raw_data());
    return y;
  }
  if (!is_compute_dtype(x.dtype()))
    return cast(upsample2d(to_dtype(x, DType::Float32), mode, out_h, out_w, align_corners, scale_h, scale_w),
                x.dtype());
  ResizeGeom g{x.size(0) * x.size(1), H, W, out_h, out_w, mode, align_corners, scale_h, scale_w, x.dtype(), antialias};
  Tensor xc = x.contiguous();
  Tensor y = Tensor::empty({x.size(0), x.size(1), out_h, out_w}, x.dtype(), x.device());
  k.upsample2d_forward(g, xc.raw_data(), y.raw_data());
  if (needs_grad(x)) {
    auto node = std::make_shared<Upsample2DBackward>();
    node->g = g;
    node->in_shape = x.shape();
    record(node, {&x}, {&y});
  }
  return y;
}

Tensor constant_pad_nd(const Tensor& x, const std::vector<int64_t>& pad, double value) {
  RB_CHECK(pad.size() % 2 == 0, Error, "Padding length must be divisible by 2");
  const int64_t nd = x.dim(), np = static_cast<int64_t>(pad.size()) / 2;
  RB_CHECK(np <= nd, Error,
           "Padding length should be less than or equal to two times the input dimension but got padding length ",
           pad.size(), " and input of dimension ", nd);
  Shape out_sz = x.shape(), left(nd, 0);
  for (int64_t i = 0; i < np; ++i) {
    int64_t d = nd - 1 - i, l = pad[2 * i], r = pad[2 * i + 1];
    int64_t n = x.size(d) + l + r;
    // PyTorch crops the negative pads first (narrow), so a crop past the input raises even where the other
    // side's padding would bring the size back, (2, -7) of 5 elements; the size n is never negative after.
    RB_CHECK(x.size(d) + std::min<int64_t>(l, 0) + std::min<int64_t>(r, 0) >= 0, Error,
             "narrow(): length must be non-negative.");
    out_sz[d] = n;
    left[d] = l;
  }
  check_shape(out_sz, "constant_pad_nd");
  // A storage dtype pads in its compute dtype (a copy: exact), the fill value converted as PyTorch's.
  if (!is_compute_dtype(x.dtype())) return cast(constant_pad_nd(widen(x), pad, value), x.dtype());
  Scalar fill = is_floating(x.dtype())     ? Scalar(value)
                : x.dtype() == DType::Bool ? Scalar(value != 0.0)
                                           : Scalar(static_cast<int64_t>(value));
  Tensor out = Tensor::empty(out_sz, x.dtype(), x.device());
  if (out.numel() > 0) {
    const PadGeom g{nd, x.shape().data(), out_sz.data(), left.data(), x.dtype()};
    kernels<ResizeKernels>("constant_pad_nd", out)
        .constant_pad_forward(g, x.contiguous().raw_data(), fill, out.raw_data());
  }
  if (needs_grad(x)) {
    auto node = std::make_shared<ConstantPadNdBackward0>();
    node->pad = pad;
    record(node, {&x}, {&out});
  }
  return out;
}

}  // namespace rb
