// affine_grid and grid_sample (2-d and 3-d; bilinear/trilinear, nearest, and bicubic for 2-d) as torch defines them,
// composites of differentiable ops, so theta, input and grid get gradients to any order.
#include <algorithm>
#include <functional>
#include <string>

#include "aten_names.h"
#include "op_common.h"
#include "rosenblatt/ops.h"
#include "rosenblatt/ops/composite.h"

#include "grid_sample.h"

namespace rb {
namespace {

// torch's linspace_from_neg_one: n points over [-1, 1] (pixel centres: scaled by (n - 1) / n without
// align_corners); one point is 0.
Tensor grid_axis(int64_t n, bool align_corners, DType dt, Device dev) {
  if (n <= 1) return zeros({1}, dt, dev);
  Tensor r = linspace(Scalar(-1.0), Scalar(1.0), n, dt, dev);
  return align_corners ? r : mul(r, Scalar(static_cast<double>(n - 1) / static_cast<double>(n)));
}

// ATen's 2-d kernel runs float32 as vectors whose a * b - c the compiler fuses into one rounding: the same number
// here is a float32 product taken in float64 (exact there) and rounded once.
Tensor wide(const Tensor& t) { return t.dtype() == DType::Float32 ? to_dtype(t, DType::Float64) : t; }

// A normalized coordinate as a pixel position along a dim of `size`. ATen's 2-d CPU kernel (vectorized) writes
// it (g + 1) * scale [- 0.5], its 3-d one ((g + 1) / 2) * (size - 1) or ((g + 1) * size - 1) / 2: the same number,
// rounded as each, so float32 results agree to the last bit where they can.
Tensor unnormalize(const Tensor& g, int64_t size, bool align_corners, bool two_d) {
  const double n = static_cast<double>(size);
  if (two_d) {
    if (align_corners) return mul(add(g, Scalar(1.0)), Scalar((n - 1) / 2));
    return cast(binary(BinaryOp::Sub, mul(wide(add(g, Scalar(1.0))), Scalar(n / 2)), Scalar(0.5)), g.dtype());
  }
  if (align_corners) return mul(binary(BinaryOp::Div, add(g, Scalar(1.0)), Scalar(2.0)), Scalar(n - 1));
  return binary(BinaryOp::Div, binary(BinaryOp::Sub, mul(add(g, Scalar(1.0)), Scalar(n)), Scalar(1.0)), Scalar(2.0));
}

Tensor clip_to(const Tensor& x, int64_t size) {
  return clamp(x, std::optional<Scalar>(Scalar(0.0)), std::optional<Scalar>(Scalar(static_cast<double>(size - 1))));
}

// Reflects x into [twice_low / 2, twice_high / 2] (torch's reflect_coordinates), written as each ATen kernel, so
// far-out points land where torch's do: the 2-d one folds |x - low| by twice the span (trunc) and takes the nearer
// end; the 3-d one takes fmod by the span and mirrors odd folds, its int fold count even once it overflows. The
// gradient is +-1, as torch's.
Tensor reflect(const Tensor& x, int64_t twice_low, int64_t twice_high, bool two_d) {
  if (twice_low == twice_high) return mul(x, Scalar(0.0));
  const double low = twice_low / 2.0, span = (twice_high - twice_low) / 2.0;
  Tensor in = unary(UnaryOp::Abs, binary(BinaryOp::Sub, x, Scalar(low)));
  if (two_d) {
    Tensor folds = rounding(RoundOp::Trunc, binary(BinaryOp::Div, in, Scalar(2 * span)));
    Tensor extra = cast(sub(wide(in), mul(wide(folds), Scalar(2 * span))), in.dtype());
    return add(binary(BinaryOp::Minimum, extra, add(neg(extra), Scalar(2 * span))), Scalar(low));
  }
  Tensor extra = fmod(in, Scalar(span));
  Tensor flips = rounding(RoundOp::Floor, binary(BinaryOp::Div, in, Scalar(span)));
  Tensor half = rounding(RoundOp::Floor, binary(BinaryOp::Div, flips, Scalar(2.0)));
  Tensor even = logical(LogicalOp::Or, binary(BinaryOp::Eq, flips, mul(half, Scalar(2.0))),
                        binary(BinaryOp::Ge, flips, Scalar(2147483648.0)));
  return where(even, add(extra, Scalar(low)), add(neg(extra), Scalar(span + low)));
}

// torch's compute_coordinates: a pixel position brought inside by the padding mode ("zeros" leaves it, to read 0
// when outside). Bilinear and nearest apply it to the sampled point, bicubic to each of its 16 taps. A NaN (or an
// infinity reflected) clips to 0 in ATen's 2-d kernel (vector max/min) and to size - 1 in its 3-d one (std::max/min).
Tensor pad_coordinate(const Tensor& x, int64_t size, const std::string& padding, bool align_corners, bool two_d) {
  if (padding == "zeros") return x;
  Tensor c = padding == "border" ? x
             : align_corners     ? reflect(x, 0, 2 * (size - 1), two_d)
                                 : reflect(x, -1, 2 * size - 1, two_d);
  c = clip_to(c, size);
  return masked_fill(c, binary(BinaryOp::Ne, c, c), Scalar(two_d ? 0.0 : static_cast<double>(size - 1)));
}

// flat: (N, C, prod(sizes)); pos: one (N, L) tensor of integral positions per spatial dim (outermost first);
// weight: (N, L) -> (N, C, L): weight * input[pos], input[pos] read as 0 where pos is outside (or NaN). ATen's 2-d
// kernels multiply that 0 by the weight (a NaN weight gives NaN), its 3-d and nearest ones skip it (skip_outside).
Tensor sample_at(const Tensor& flat, const std::vector<Tensor>& pos, const Shape& sizes, const Tensor& weight,
                 bool skip_outside) {
  Tensor inside;
  for (size_t k = 0; k < pos.size(); ++k) {
    Tensor in_k = logical(LogicalOp::And, binary(BinaryOp::Ge, pos[k], Scalar(0.0)),
                          binary(BinaryOp::Le, pos[k], Scalar(static_cast<double>(sizes[k] - 1))));
    inside = k ? logical(LogicalOp::And, inside, in_k) : in_k;
  }
  const Tensor zero = zeros({}, weight.dtype(), weight.device());
  // The flat index in int64 (a float16 position would round it); outside positions read element 0.
  Tensor index;
  for (size_t k = 0; k < pos.size(); ++k) {
    Tensor p = to_dtype(where(inside, pos[k], zero).detach(), DType::Int64);
    index = k ? add(mul(index, Scalar(sizes[k])), p) : p;
  }
  index = expand(unsqueeze(index, 1), {flat.size(0), flat.size(1), index.size(1)});
  const Tensor values = where(unsqueeze(inside, 1), gather(flat, 2, index), zero);
  return mul(values, unsqueeze(skip_outside ? where(inside, weight, zero) : weight, 1));
}

// The cubic convolution weights (A = -0.75) of the taps at -1, 0, 1, 2 from a point t in [0, 1) past the
// second, written as ATen's vectorized kernel.
std::vector<Tensor> cubic_coefficients(const Tensor& t) {
  constexpr double A = -0.75;
  auto far = [](const Tensor& x) {  // 1 < x < 2
    return binary(BinaryOp::Sub,
                  mul(add(mul(binary(BinaryOp::Sub, mul(x, Scalar(A)), Scalar(5 * A)), x), Scalar(8 * A)), x),
                  Scalar(4 * A));
  };
  auto near = [](const Tensor& x) {  // x <= 1
    return add(mul(mul(binary(BinaryOp::Sub, mul(x, Scalar(A + 2)), Scalar(A + 3)), x), x), Scalar(1.0));
  };
  const Tensor minus_t = neg(t);
  return {far(add(t, Scalar(1.0))), near(t), near(add(minus_t, Scalar(1.0))), far(add(minus_t, Scalar(2.0)))};
}

// Bicubic sampling of flat (N, C, H * W) at pixel positions (x, y): (N, L) -> (N, C, L). Each row of 4 taps is
// interpolated along x, then the 4 rows along y, in ATen's order; the padding applies to each tap.
Tensor sample_bicubic(const Tensor& flat, const Tensor& x, const Tensor& y, int64_t H, int64_t W,
                      const std::string& padding, bool align_corners) {
  const Tensor x0 = rounding(RoundOp::Floor, x).detach(), y0 = rounding(RoundOp::Floor, y).detach();
  const std::vector<Tensor> cx = cubic_coefficients(sub(x, x0)), cy = cubic_coefficients(sub(y, y0));
  std::vector<Tensor> tx, ty;
  for (int64_t i = 0; i < 4; ++i) {
    tx.push_back(pad_coordinate(add(x0, Scalar(static_cast<double>(i - 1))), W, padding, align_corners, true));
    ty.push_back(pad_coordinate(add(y0, Scalar(static_cast<double>(i - 1))), H, padding, align_corners, true));
  }
  Tensor out;
  for (size_t j = 0; j < 4; ++j) {
    Tensor row;
    for (size_t i = 0; i < 4; ++i) {
      Tensor term = sample_at(flat, {ty[j], tx[i]}, {H, W}, cx[i], false);
      row = i ? add(row, term) : term;
    }
    Tensor term = mul(unsqueeze(cy[j], 1), row);
    out = j ? add(out, term) : term;
  }
  return out;
}

}  // namespace

Tensor affine_grid(const Tensor& theta, const std::vector<int64_t>& size, bool align_corners,
                   const std::function<void(const std::string&)>& warn) {
  // torch's checks in its order and words (its Python's dtype and Size, under our name): theta's dtype and shape,
  // then its warning for a unit-size grid with align_corners, which skips the positive size check (a batch or
  // channel count of 0 passes there).
  RB_CHECK(is_floating(theta.dtype()), ValueError, "Expected theta to have floating point type, but got rosenblatt.",
           theta.dtype());
  RB_CHECK(size.size() == 4 || size.size() == 5, NotImplementedError,
           "affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ",
           Shape(size.begin(), size.end()), ".");
  const bool two_d = size.size() == 4;
  const int64_t rows = two_d ? 2 : 3;
  RB_CHECK(theta.dim() == 3 && theta.size(1) == rows && theta.size(2) == rows + 1, ValueError, "Expected a batch of ",
           two_d ? "2D affine matrices of shape Nx2x3" : "3D affine matrices of shape Nx3x4", " for size ",
           Shape(size.begin(), size.end()), ". Got rosenblatt.Size(", theta.shape(), ").");
  const Shape spatial(size.begin() + 2, size.end());
  const int64_t N = size[0], min_spatial = *std::min_element(spatial.begin(), spatial.end());
  if (align_corners && min_spatial == 1) {
    if (warn)
      warn(
          "Since version 1.3.0, affine_grid behavior has changed for unit-size grids when align_corners=True. This is "
          "not an intended use case of affine_grid. See the documentation of affine_grid for details.");
  } else {
    RB_CHECK(*std::min_element(size.begin(), size.end()) > 0, ValueError,
             "Expected non-zero, positive output size. Got ", Shape(size.begin(), size.end()));
  }
  Shape full{N};
  full.insert(full.end(), spatial.begin(), spatial.end());
  full.push_back(rows + 1);
  RB_CHECK(N >= 0, Error, "Trying to create tensor with negative dimension ", N, ": ", full);
  // ATen makes a one-point axis with at::tensor, which has no float16/bfloat16 kernel.
  RB_CHECK(min_spatial > 1 || (theta.dtype() != DType::Float16 && theta.dtype() != DType::BFloat16),
           NotImplementedError, "\"tensor_cpu\" not implemented for '", aten_name(theta.dtype()), "'");
  const DType dt = theta.dtype();
  const Device dev = theta.device();
  // base: (*spatial, rows + 1), the output pixels' coordinates (x, y[, z], 1).
  std::vector<Tensor> axes;  // x varies along the last spatial dim
  const int64_t D = static_cast<int64_t>(spatial.size());
  for (int64_t a = 0; a < D; ++a) {
    const int64_t along = D - 1 - a;  // x: the last dim, y: the one before, z: the first
    Shape view(static_cast<size_t>(D), 1);
    view[static_cast<size_t>(along)] = spatial[static_cast<size_t>(along)];
    axes.push_back(
        expand(reshape(grid_axis(spatial[static_cast<size_t>(along)], align_corners, dt, dev), view), spatial));
  }
  axes.push_back(ones(spatial, dt, dev));
  Tensor base = reshape(stack(axes, -1), {1, -1, rows + 1});
  // bmm, as ATen: a theta of another batch size raises its message.
  Tensor grid = bmm(expand(base, {N, base.size(1), rows + 1}), transpose(theta, 1, 2));
  full.back() = rows;
  return reshape(grid, full);
}

Tensor grid_sample_graph(const Tensor& input, const Tensor& grid, const std::string& mode,
                         const std::string& padding_mode, bool align_corners) {
  const bool two_d = input.dim() == 4;
  const int64_t N = input.size(0), C = input.size(1), S = input.dim() - 2;
  const Shape sizes(input.shape().begin() + 2, input.shape().end());  // (D,) H, W
  Shape out_shape{N, C};
  out_shape.insert(out_shape.end(), grid.shape().begin() + 1, grid.shape().end() - 1);
  int64_t L = 1;
  for (int64_t d = 1; d <= S; ++d) L *= grid.size(d);
  int64_t HW = 1;
  for (int64_t s : sizes) HW *= s;
  const Tensor g = reshape(grid, {N, L, S});
  const Tensor flat = reshape(input, {N, C, HW});
  // coord(k): the grid's coordinate along spatial dim k (outermost first): x is grid[..., 0] and runs along the last.
  auto coord = [&](int64_t k) {
    return unnormalize(select(g, 2, S - 1 - k), sizes[static_cast<size_t>(k)], align_corners, two_d);
  };
  Tensor out;
  if (mode == "bicubic") {
    out = sample_bicubic(flat, coord(1), coord(0), sizes[0], sizes[1], padding_mode, align_corners);
  } else {
    std::vector<Tensor> at;
    for (int64_t k = 0; k < S; ++k)
      at.push_back(pad_coordinate(coord(k), sizes[static_cast<size_t>(k)], padding_mode, align_corners, two_d));
    if (mode == "nearest") {  // round half to even, as torch's nearbyint
      for (Tensor& p : at) p = rounding(RoundOp::Round, p);
      // Weight 1 (0 * a rounded position inside + 1) through round's zero gradient: the grid's is 0, as torch's.
      out = sample_at(flat, at, sizes, add(mul(at[0], Scalar(0.0)), Scalar(1.0)), true);
    } else {
      // The 2^S corners, x's bit the lowest (ATen's nw, ne, sw, se [then the bottom's]); each weight the product of
      // the distances to the opposite corner, x's first (the 2-d kernel's lower one as 1 - the upper's).
      std::vector<Tensor> lo, hi, w_lo, w_hi;
      for (const Tensor& p : at) {
        lo.push_back(rounding(RoundOp::Floor, p));
        hi.push_back(add(lo.back(), Scalar(1.0)));
        w_hi.push_back(sub(p, lo.back()));
        w_lo.push_back(two_d ? add(neg(w_hi.back()), Scalar(1.0)) : sub(hi.back(), p));
      }
      for (int64_t corner = 0; corner < (int64_t{1} << S); ++corner) {
        std::vector<Tensor> pos(static_cast<size_t>(S));
        Tensor weight;
        for (int64_t k = S - 1; k >= 0; --k) {
          const size_t ks = static_cast<size_t>(k);
          const bool upper = (corner >> (S - 1 - k)) & 1;
          pos[ks] = upper ? hi[ks] : lo[ks];
          const Tensor& w = upper ? w_hi[ks] : w_lo[ks];
          weight = k == S - 1 ? w : mul(weight, w);
        }
        Tensor term = sample_at(flat, pos, sizes, weight, !two_d);
        out = corner ? add(out, term) : term;
      }
    }
  }
  return reshape(out, out_shape);
}

}  // namespace rb
