// F.pad's reflect / replicate / circular modes (slices joined by cat) and im2col / col2im (F.unfold / F.fold: a
// grouped convolution with one-hot kernels, or an index gather and scatter), with every order of gradient.
#include "aten_names.h"
#include "op_common.h"
#include "rosenblatt/ops.h"
#include "rosenblatt/ops/composite.h"

namespace rb {
namespace {

// One dim of x (size n) padded by left and right (both non-negative) in mode: the two borders are slices of x
// (flipped for reflect, the edge expanded for replicate, the far end for circular) joined to it by one cat.
Tensor pad_dim(const Tensor& x, int64_t d, int64_t left, int64_t right, const std::string& mode) {
  const int64_t n = x.size(d);
  auto border = [&](int64_t width, bool is_left) {
    if (mode == "reflect") return flip(narrow(x, d, is_left ? 1 : n - 1 - width, width), {d});
    if (mode == "circular") return narrow(x, d, is_left ? n - width : 0, width);
    Shape s = x.shape();
    s[d] = width;
    return expand(narrow(x, d, is_left ? 0 : n - 1, 1), s);  // replicate
  };
  std::vector<Tensor> parts;
  if (left > 0) parts.push_back(border(left, true));
  parts.push_back(x);
  if (right > 0) parts.push_back(border(right, false));
  return cat(parts, d);
}

struct Im2col {
  int64_t h, w, kh, kw, dh, dw, ph, pw, sh, sw, oh, ow;
  Tensor index;  // (kh*kw*oh*ow): positions in the padded, flattened (Hp*Wp) image
};

Im2col geometry(int64_t h, int64_t w, const std::vector<int64_t>& k, const std::vector<int64_t>& d,
                const std::vector<int64_t>& p, const std::vector<int64_t>& s, Device device) {
  auto pair = [](const std::vector<int64_t>& v, const char* name) {
    RB_CHECK(v.size() == 1 || v.size() == 2, Error, name, " must be an int or a tuple of two ints, got ", v.size(),
             " values");
    return std::pair<int64_t, int64_t>{v[0], v.size() == 2 ? v[1] : v[0]};
  };
  Im2col g{};
  g.h = h, g.w = w;
  std::tie(g.kh, g.kw) = pair(k, "kernel_size");
  std::tie(g.dh, g.dw) = pair(d, "dilation");
  std::tie(g.ph, g.pw) = pair(p, "padding");
  std::tie(g.sh, g.sw) = pair(s, "stride");
  RB_CHECK(g.kh > 0 && g.kw > 0, Error, "kernel size should be greater than zero, but got kernel_height: ", g.kh,
           " kernel_width: ", g.kw);
  RB_CHECK(g.dh > 0 && g.dw > 0, Error, "dilation should be greater than zero, but got dilation_height: ", g.dh,
           " dilation_width: ", g.dw);
  RB_CHECK(g.ph >= 0 && g.pw >= 0, Error, "padding should be non-negative, but got pad_height: ", g.ph,
           " pad_width: ", g.pw);
  RB_CHECK(g.sh > 0 && g.sw > 0, Error, "stride should be greater than zero, but got stride_height: ", g.sh,
           " stride_width: ", g.sw);
  g.oh = (h + 2 * g.ph - (g.dh * (g.kh - 1) + 1)) / g.sh + 1;
  g.ow = (w + 2 * g.pw - (g.dw * (g.kw - 1) + 1)) / g.sw + 1;
  RB_CHECK(g.oh >= 1 && g.ow >= 1 && h + 2 * g.ph >= g.dh * (g.kh - 1) + 1 && w + 2 * g.pw >= g.dw * (g.kw - 1) + 1,
           Error, "Given input with spatial size (", h, ", ", w, "), kernel_size=(", g.kh, ", ", g.kw, "), dilation=(",
           g.dh, ", ", g.dw, "), padding=(", g.ph, ", ", g.pw,
           "), calculated shape of the array of sliding blocks as (", g.oh, ", ", g.ow,
           "), but its components must be at least one.");
  // (ki, kj, i, j) -> (i*sh + ki*dh) * Wp + j*sw + kj*dw, broadcast from four ranges on the device.
  const int64_t wp = w + 2 * g.pw;
  auto range = [device](int64_t n, Shape shape) {
    return reshape(arange(Scalar(int64_t{0}), Scalar(n), Scalar(int64_t{1}), DType::Int64, device), shape);
  };
  Tensor rows = add(mul(range(g.oh, {1, 1, g.oh, 1}), Scalar(g.sh)), mul(range(g.kh, {g.kh, 1, 1, 1}), Scalar(g.dh)));
  Tensor cols = add(mul(range(g.ow, {1, 1, 1, g.ow}), Scalar(g.sw)), mul(range(g.kw, {1, g.kw, 1, 1}), Scalar(g.dw)));
  g.index = flatten(add(mul(rows, Scalar(wp)), cols));
  return g;
}

// The (C*kh*kw, 1, kh, kw) one-hot kernels that make a grouped convolution copy each window position into its
// own channel: floating im2col is conv2d with them (its GEMM path beats a gather 2x) and col2im conv_transpose2d.
Tensor one_hot_kernels(const Im2col& g, int64_t c, DType dtype, Device device) {
  return repeat(reshape(eye(g.kh * g.kw, -1, dtype, device), {g.kh * g.kw, 1, g.kh, g.kw}), {c, 1, 1, 1});
}

bool conv_path(const Tensor& t, int64_t c) { return is_floating(t.dtype()) && t.numel() > 0 && c > 0; }

}  // namespace

Tensor pad_mode(const Tensor& x, const std::vector<int64_t>& pad, const std::string& mode) {
  RB_CHECK(mode == "reflect" || mode == "replicate" || mode == "circular", NotImplementedError,
           "Unrecognised padding mode ", mode);
  RB_CHECK(pad.size() % 2 == 0, Error, "Padding length must be divisible by 2");
  const int64_t k = static_cast<int64_t>(pad.size()) / 2;
  RB_CHECK(k >= 1 && k <= 3 && (x.dim() == k + 1 || x.dim() == k + 2), NotImplementedError, "Padding size ", pad.size(),
           " is not supported for ", x.dim(),
           "D input tensor.\nSupported combinations for non-constant padding:\n"
           "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
           "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
           "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)");
  // ATen's reflect and replicate kernels refuse empty non-batch dims; circular padding is built from narrow and
  // cat there and takes them (an empty padded dim fails its wrap-around check below instead).
  for (int64_t d = x.dim() - k - 1; d < x.dim() && mode != "circular"; ++d)
    RB_CHECK(d == 0 && x.dim() == k + 2 ? true : x.size(d) > 0, Error, "Expected ", k + 1, "D or ", k + 2,
             "D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ",
             x.shape());
  Tensor t = x;
  for (int64_t i = 0; i < k; ++i) {
    const int64_t d = x.dim() - 1 - i;
    int64_t left = pad[2 * i], right = pad[2 * i + 1];
    const int64_t n = t.size(d);
    // Negative pads crop first; the positive ones then pad the cropped input, as ATen does.
    if (mode == "reflect")
      RB_CHECK(left < n && right < n, Error,
               "Argument #4: Padding size should be less than the corresponding input "
               "dimension, but got: padding (",
               left, ", ", right, ") at dimension ", d, " of input ", x.shape());
    if (mode == "circular")
      RB_CHECK(left <= n && right <= n, Error, "Padding value causes wrapping around more than once.");
    int64_t lo = std::max<int64_t>(0, -left), hi = n - std::max<int64_t>(0, -right);
    RB_CHECK(hi - lo > 0 || (left >= 0 && right >= 0), Error, "The input size ", n, ", plus negative padding ", left,
             " and ", right, " resulted in a negative output size, which is invalid. Check dimension ", d,
             " of your input.");
    if (lo > 0 || hi < n) t = narrow(t, d, lo, hi - lo);
    left = std::max<int64_t>(0, left), right = std::max<int64_t>(0, right);
    if (left == 0 && right == 0) continue;
    t = pad_dim(t, d, left, right, mode);
  }
  return t;
}

Tensor im2col(const Tensor& x, const std::vector<int64_t>& kernel_size, const std::vector<int64_t>& dilation,
              const std::vector<int64_t>& padding, const std::vector<int64_t>& stride) {
  RB_CHECK((x.dim() == 3 || x.dim() == 4) && x.numel() > 0 ? true : (x.dim() == 4 && x.size(0) == 0), Error,
           "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:", x.shape());
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"im2col_out_cpu\" not implemented for '",
           aten_name(x.dtype()), "'");  // PyTorch's unfold has no integer kernel
  Tensor t = x.dim() == 3 ? unsqueeze(x, 0) : x;
  Im2col g = geometry(t.size(2), t.size(3), kernel_size, dilation, padding, stride, x.device());
  const int64_t n = t.size(0), c = t.size(1);
  Tensor out;
  if (conv_path(t, c)) {
    Tensor y = conv2d(t, one_hot_kernels(g, c, t.dtype(), t.device()), Tensor(), {g.sh, g.sw},
                      std::vector<int64_t>{g.ph, g.pw}, {g.dh, g.dw}, c);
    out = reshape(y, {n, c * g.kh * g.kw, g.oh * g.ow});
  } else {
    if (g.ph || g.pw) t = constant_pad_nd(t, {g.pw, g.pw, g.ph, g.ph}, 0.0);
    Tensor cols = index_select(flatten(t, 2), 2, g.index);  // (N, C, K*L)
    out = reshape(cols, {n, c * g.kh * g.kw, g.oh * g.ow});
  }
  return x.dim() == 3 ? squeeze(out, std::vector<int64_t>{0}) : out;
}

Tensor col2im(const Tensor& x, const std::vector<int64_t>& output_size, const std::vector<int64_t>& kernel_size,
              const std::vector<int64_t>& dilation, const std::vector<int64_t>& padding,
              const std::vector<int64_t>& stride) {
  RB_CHECK((x.dim() == 2 || x.dim() == 3) && (x.numel() > 0 || (x.dim() == 3 && x.size(0) == 0)), Error,
           "Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:", x.shape());
  RB_CHECK(output_size.size() == 1 || output_size.size() == 2, Error,
           "output_size must be an int or a tuple of two ints, got ", output_size.size(), " values");
  const int64_t h = output_size[0], w = output_size.size() == 2 ? output_size[1] : output_size[0];
  RB_CHECK(h > 0 && w > 0, Error, "output size should be greater than zero, but got output_height: ", h,
           " output_width: ", w);
  Tensor t = x.dim() == 2 ? unsqueeze(x, 0) : x;
  Im2col g = geometry(h, w, kernel_size, dilation, padding, stride, x.device());
  const int64_t kk = g.kh * g.kw, rows = t.size(1);
  RB_CHECK(rows % kk == 0, Error,
           "Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
           "input.size(1)=",
           rows, " and kernel_size=(", g.kh, ", ", g.kw, ").");
  RB_CHECK(t.size(2) == g.oh * g.ow, Error, "Given output_size=(", h, ", ", w, "), kernel_size=(", g.kh, ", ", g.kw,
           "), dilation=(", g.dh, ", ", g.dw, "), padding=(", g.ph, ", ", g.pw, "), stride=(", g.sh, ", ", g.sw,
           "), expected size of input's dimension 2 to match the calculated number of sliding blocks ", g.oh, " * ",
           g.ow, " = ", g.oh * g.ow, ", but got input.size(2)=", t.size(2), ".");
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"col2im_out_cpu\" not implemented for '",
           aten_name(x.dtype()), "'");  // PyTorch's fold has no integer kernel either
  const int64_t n = t.size(0), c = rows / kk, hp = h + 2 * g.ph, wp = w + 2 * g.pw;
  Tensor out;
  if (conv_path(t, c)) {
    // output_padding restores the rows and columns no window reaches (fewer than a stride).
    const int64_t extra_h = hp - (g.dh * (g.kh - 1) + 1) - (g.oh - 1) * g.sh;
    const int64_t extra_w = wp - (g.dw * (g.kw - 1) + 1) - (g.ow - 1) * g.sw;
    out = conv_transpose2d(reshape(t, {n, c * kk, g.oh, g.ow}), one_hot_kernels(g, c, t.dtype(), t.device()), Tensor(),
                           {g.sh, g.sw}, {g.ph, g.pw}, {extra_h, extra_w}, c, {g.dh, g.dw});
  } else {
    Tensor cols = reshape(t, {n, c, kk * g.oh * g.ow});
    Tensor img = index_add(zeros({n, c, hp * wp}, t.dtype(), t.device()), 2, g.index, cols);
    out = reshape(img, {n, c, hp, wp});
    if (g.ph || g.pw) out = narrow(narrow(out, 2, g.ph, h), 3, g.pw, w);
  }
  return x.dim() == 2 ? squeeze(out, std::vector<int64_t>{0}) : out;
}

}  // namespace rb
