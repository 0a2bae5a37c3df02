// Tensor creation ops: constant fills, ranges (arange, linspace) and eye. Random creation lives in
// random.cpp with the Generator.
#include <cmath>

#include "rosenblatt/ops.h"

#include "op_common.h"

namespace rb {

Tensor full(const Shape& shape, Scalar value, DType dtype, Device device) {
  Tensor t = Tensor::empty(shape, dtype, device);
  fill_values(t, value);
  return t;
}
Tensor zeros(const Shape& shape, DType dtype, Device device) { return full(shape, Scalar(int64_t(0)), dtype, device); }
Tensor ones(const Shape& shape, DType dtype, Device device) { return full(shape, Scalar(int64_t(1)), dtype, device); }
Tensor scalar_tensor(Scalar value, DType dtype, Device device) { return full({}, value, dtype, device); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), t.dtype(), t.device()); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), t.dtype(), t.device()); }

Tensor arange(Scalar start, Scalar end, Scalar step, std::optional<DType> dtype, Device device) {
  const bool any_float = start.is_floating() || end.is_floating() || step.is_floating();
  const DType dt = dtype.value_or(any_float ? DType::Float32 : DType::Int64);
  RB_CHECK(dt != DType::Bool, Error, "arange: \"arange_cpu\" not implemented for 'Bool'");
  const double s = start.to<double>(), e = end.to<double>(), st = step.to<double>();
  RB_CHECK(std::isfinite(s) && std::isfinite(e), Error, "arange: unsupported range: ", s, " -> ", e);
  RB_CHECK(st != 0, Error, "arange: step must be nonzero");
  RB_CHECK((st > 0 && e >= s) || (st < 0 && e <= s), Error,
           "arange: upper bound and larger bound inconsistent with step sign");
  // Integer arguments count exactly in int64; float ones in double, as PyTorch does.
  double size_d = any_float ? std::ceil((e - s) / st)
                            : std::ceil(static_cast<double>(end.i - start.i) / static_cast<double>(step.i));
  RB_CHECK(size_d >= 0 && size_d < 9.2e18, Error, "arange: invalid size, possible overflow?");
  const int64_t n = static_cast<int64_t>(size_d);
  Tensor t = Tensor::empty({n}, dt, device);
  RB_DISPATCH_STORAGE(dt, "arange", [&] {
    scalar_t* p = static_cast<scalar_t*>(t.raw_data());
    if (!any_float && !is_floating(dt)) {
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<scalar_t>(start.i + i * step.i);
    } else {
      // a fused multiply-add, as PyTorch's vectorized kernel computes it, on every CPU
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<scalar_t>(std::fma(st, static_cast<double>(i), s));
    }
  });
  return t;
}

Tensor linspace(Scalar start, Scalar end, int64_t steps, DType dtype, Device device) {
  RB_CHECK(steps >= 0, Error, "linspace: number of steps must be non-negative");
  RB_CHECK(dtype != DType::Bool, Error, "linspace: \"linspace_cpu\" not implemented for 'Bool'");
  if (!is_compute_dtype(dtype)) return to_dtype(linspace(start, end, steps, compute_type(dtype), device), dtype);
  Tensor t = Tensor::empty({steps}, dtype, device);
  RB_DISPATCH_ALL(dtype, "linspace", [&] {
    // PyTorch's formula: the first half counts up from start, the second half down from end, so
    // both endpoints are exact. Integer results step in double.
    using step_t = std::conditional_t<std::is_integral_v<scalar_t>, double, scalar_t>;
    scalar_t* p = static_cast<scalar_t*>(t.raw_data());
    const scalar_t a = start.to<scalar_t>(), b = end.to<scalar_t>();
    if (steps == 1) p[0] = a;
    if (steps < 2) return;
    const step_t step = (static_cast<step_t>(b) - static_cast<step_t>(a)) / static_cast<step_t>(steps - 1);
    const int64_t half = steps / 2;
    // fused multiply-adds, as PyTorch's vectorized kernel computes them, on every CPU
    for (int64_t i = 0; i < steps; ++i)
      p[i] = i < half
                 ? static_cast<scalar_t>(std::fma(step, static_cast<step_t>(i), static_cast<step_t>(a)))
                 : static_cast<scalar_t>(std::fma(-step, static_cast<step_t>(steps - i - 1), static_cast<step_t>(b)));
  });
  return t;
}

Tensor eye(int64_t n, int64_t m, DType dtype, Device device) {
  RB_CHECK(n >= 0, Error, "eye: n must be greater or equal to 0, got ", n);
  if (m < 0) m = n;
  Tensor t = zeros({n, m}, dtype, device);
  RB_DISPATCH_STORAGE(dtype, "eye", [&] {
    scalar_t* p = static_cast<scalar_t*>(t.raw_data());
    for (int64_t i = 0; i < std::min(n, m); ++i) p[i * m + i] = static_cast<scalar_t>(1);
  });
  return t;
}

}  // namespace rb
