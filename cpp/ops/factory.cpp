// Tensor creation ops: constant fills, ranges (arange, linspace, logspace) and eye. Random creation lives in
// random.cpp with the Generator.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "rosenblatt/device_runtime.h"
#include "rosenblatt/ops.h"

#include "op_common.h"
#include "scalar_range.h"

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

// ---- Memory formats and strided allocation (torch's memory_format=, layout=, pin_memory=, empty_strided).

const char* memory_format_name(MemoryFormat fmt) {
  switch (fmt) {
    case MemoryFormat::Contiguous: return "contiguous_format";
    case MemoryFormat::Preserve: return "preserve_format";
    case MemoryFormat::ChannelsLast: return "channels_last";
    case MemoryFormat::ChannelsLast3d: return "channels_last_3d";
  }
  return "?";
}

void check_pin_memory(bool pin_memory) {
  if (!pin_memory) return;
  // A build whose CUDA module is loaded has an accelerator: its host tensors are pageable, which only
  // makes host-to-device copies synchronous, so the request is honoured in effect.
  bool accelerator = true;
  try {
    device_runtime(Device("cuda"));
  } catch (const std::exception&) {
    accelerator = false;
  }
  RB_CHECK(accelerator, Error,
           "pin_memory=True requires a CUDA or other accelerator backend; no pinned memory allocator is available on "
           "this system.");
}

Tensor empty_strided(const Shape& size, const Shape& stride, DType dtype, Device device) {
  RB_CHECK(size.size() == stride.size(), Error, "dimensionality of sizes (", size.size(),
           ") must match dimensionality of strides (", stride.size(), ")");
  check_shape(size, "empty_strided");
  for (int64_t s : stride)
    RB_CHECK(s >= 0, Error, "Storage size calculation overflowed with sizes=", size, " and strides=", stride);
  // The storage ends after the farthest element the strides reach (none when a dim is empty).
  int64_t extent = numel_of(size) == 0 ? 0 : 1;
  for (size_t d = 0; d < size.size() && extent > 0; ++d) extent += (size[d] - 1) * stride[d];
  return Tensor::make_view(Tensor::empty({extent}, dtype, device), size, stride, 0);
}

namespace {

// torch's is_non_overlapping_and_dense: some order of the dims makes the strides contiguous ones. An empty
// tensor counts as contiguous whatever its strides (torch's compute_contiguous), so like-tensors keep them.
bool non_overlapping_and_dense(const Shape& size, const Shape& stride) {
  const size_t n = size.size();
  if (numel_of(size) == 0) return true;
  std::vector<size_t> perm(n);
  std::iota(perm.begin(), perm.end(), size_t(0));
  // Innermost first; dims of size < 2 last (their strides do not matter).
  std::stable_sort(perm.begin(), perm.end(), [&](size_t a, size_t b) {
    if (size[a] < 2 || size[b] < 2) return size[a] >= 2 && size[b] < 2;
    return stride[a] < stride[b];
  });
  int64_t expected = 1;
  for (size_t d : perm) {
    if (size[d] < 2) return true;
    if (stride[d] != expected) return false;
    expected *= size[d];
  }
  return true;
}

// The dims from innermost to outermost in a channels-last layout of rank 4 or 5: C, then W (D), H, ..., N.
std::vector<size_t> channels_last_order(size_t rank) {
  return rank == 4 ? std::vector<size_t>{1, 3, 2, 0} : std::vector<size_t>{1, 4, 3, 2, 0};
}

void check_rank(const Shape& shape, MemoryFormat fmt) {
  if (fmt == MemoryFormat::ChannelsLast)
    RB_CHECK(shape.size() == 4, Error, "required rank 4 tensor to use channels_last format");
  if (fmt == MemoryFormat::ChannelsLast3d)
    RB_CHECK(shape.size() == 5, Error, "required rank 5 tensor to use channels_last_3d format");
}

}  // namespace

Shape format_strides(const Shape& shape, MemoryFormat fmt, const Tensor* like) {
  check_rank(shape, fmt);
  if (fmt == MemoryFormat::Preserve)
    return like && non_overlapping_and_dense(like->shape(), like->strides()) ? like->strides()
                                                                             : contiguous_strides(shape);
  if (fmt == MemoryFormat::Contiguous) return contiguous_strides(shape);
  Shape strides(shape.size());
  int64_t step = 1;
  for (size_t d : channels_last_order(shape.size())) {
    strides[d] = step;
    step *= shape[d];  // torch's: unlike contiguous strides, a size-0 dim zeroes the strides outside it
  }
  return strides;
}

Tensor empty(const Shape& shape, DType dtype, Device device, MemoryFormat fmt) {
  RB_CHECK(fmt != MemoryFormat::Preserve, Error, "unsupported memory format Preserve");
  return empty_strided(shape, format_strides(shape, fmt), dtype, device);
}

Tensor empty_like(const Tensor& x, DType dtype, Device device, MemoryFormat fmt) {
  return empty_strided(x.shape(), format_strides(x.shape(), fmt, &x), dtype, device);
}

Tensor as_format(const Tensor& t, MemoryFormat fmt, const Tensor* like) {
  Shape strides = format_strides(t.shape(), fmt, like);
  if (strides == t.strides()) return t;
  Tensor out = empty_strided(t.shape(), strides, t.dtype(), t.device());
  copy_values(t, out);
  return out;
}

bool is_contiguous(const Tensor& x, MemoryFormat fmt) {
  if (fmt == MemoryFormat::Contiguous || fmt == MemoryFormat::Preserve) return x.is_contiguous();
  if (x.dim() != (fmt == MemoryFormat::ChannelsLast ? 4 : 5)) return false;
  int64_t expected = 1;
  for (size_t d : channels_last_order(static_cast<size_t>(x.dim()))) {
    const int64_t n = x.shape()[d];
    if (n == 0) return true;
    if (n == 1) continue;
    if (x.strides()[d] != expected) return false;
    expected *= n;
  }
  return true;
}

Tensor contiguous(const Tensor& x, MemoryFormat fmt) {
  RB_CHECK(fmt != MemoryFormat::Preserve, Error, "preserve memory format is unsupported by the contiguous operator");
  check_rank(x.shape(), fmt);
  return is_contiguous(x, fmt) ? x : clone(x, fmt);
}

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
  check_scalar_range(start, dtype), check_scalar_range(end, dtype);  // the ends convert to dtype, checked
  if (dtype == DType::Float16 || dtype == DType::BFloat16) {
    // ATen's formula in the half type's own arithmetic (c10::Half rounds after every operation): the
    // ends, their difference, the step, each index and each product are rounded to the type.
    Tensor t = Tensor::empty({steps}, dtype, device);
    RB_DISPATCH_STORAGE(dtype, "linspace", [&] {
      if constexpr (std::is_same_v<scalar_t, Half> || std::is_same_v<scalar_t, BFloat16>) {
        const auto r = [](float v) { return static_cast<float>(scalar_t(v)); };
        scalar_t* p = static_cast<scalar_t*>(t.raw_data());
        const float a = r(start.to<float>()), b = r(end.to<float>());
        if (steps == 1) p[0] = scalar_t(a);
        if (steps < 2) return;
        const float step = r(r(b - a) / r(static_cast<float>(steps - 1)));
        const int64_t half = steps / 2;
        for (int64_t i = 0; i < steps; ++i)
          p[i] = scalar_t(i < half ? a + r(step * r(static_cast<float>(i)))
                                   : b - r(step * r(static_cast<float>(steps - i - 1))));
      }
    });
    return t;
  }
  if (!is_compute_dtype(dtype)) {
    // The small integers' ends wrap into the type first, as ATen's start.to<scalar_t>() (uint8 from -2 starts at
    // 254); the values step in int64's double arithmetic, as ATen's integral linspace.
    const auto wrap = [&](Scalar v) {
      return RB_DISPATCH_STORAGE(dtype, "linspace", [&] { return Scalar(static_cast<int64_t>(v.to<scalar_t>())); });
    };
    return to_dtype(linspace(wrap(start), wrap(end), steps, compute_type(dtype), device), dtype);
  }
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

Tensor logspace(Scalar start, Scalar end, int64_t steps, double base, DType dtype, Device device) {
  RB_CHECK(steps >= 0, Error, "number of steps must be non-negative");
  RB_CHECK(dtype != DType::Bool, NotImplementedError, "\"logspace_cpu\" not implemented for 'Bool'");
  check_scalar_range(start, dtype), check_scalar_range(end, dtype);
  Tensor t = Tensor::empty({steps}, dtype, device);
  RB_DISPATCH_STORAGE(dtype, "logspace", [&] {
    if constexpr (!std::is_same_v<scalar_t, bool>) {
      // ATen's kernel: the ends in the result's type, their difference in it too (float16 rounds it; the
      // small integers promote), the step and the exponents in double, pow(base, e) in double; as linspace,
      // the second half counts down from end so both ends are exact. One step is base**start unrounded.
      scalar_t* p = static_cast<scalar_t*>(t.raw_data());
      if (steps == 1) p[0] = static_cast<scalar_t>(static_cast<float>(std::pow(base, start.to<double>())));
      if (steps < 2) return;
      constexpr bool half_like = std::is_same_v<scalar_t, Half> || std::is_same_v<scalar_t, BFloat16>;
      using ends_t = std::conditional_t<half_like, float, scalar_t>;  // Half's arithmetic runs in float
      const auto a = static_cast<ends_t>(scalar_t(start.to<ends_t>())),
                 b = static_cast<ends_t>(scalar_t(end.to<ends_t>()));
      const double diff =
          half_like ? static_cast<double>(static_cast<float>(scalar_t(b - a))) : static_cast<double>(b - a);
      const double step = diff / static_cast<double>(steps - 1);
      const int64_t half = steps / 2;
      for (int64_t i = 0; i < steps; ++i) {
        const double e = i < half ? static_cast<double>(a) + step * static_cast<double>(i)
                                  : static_cast<double>(b) - step * static_cast<double>(steps - i - 1);
        const double v = std::pow(base, e);
        if constexpr (half_like)
          p[i] = scalar_t(static_cast<float>(v));
        else
          p[i] = static_cast<scalar_t>(v);
      }
    }
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
