// CPU kernels of the elementwise extras. Floor division and remainder follow PyTorch's formulas
// (fmod-based for floats) so results agree bit for bit, including the signs of zeros.
#include "elementwise_ext.h"

#include <cmath>

#include "elementwise_loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

template <class T>
T floor_div(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if ((a < 0) != (b < 0)) {
      T q = a / b, r = a % b;
      return r ? q - 1 : q;
    }
    return a / b;
  } else {
    if (b == 0) return a / b;
    T mod = std::fmod(a, b);
    T div = (a - mod) / b;
    if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
    if (div == 0) return std::copysign(T(0), a / b);
    T fl = std::floor(div);
    if (div - fl > T(0.5)) fl += 1;
    return fl;
  }
}

template <class T>
T python_mod(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    T r = a % b;
    if (r != 0 && (r < 0) != (b < 0)) r += b;
    return r;
  } else {
    T m = std::fmod(a, b);
    if (m != 0 && (b < 0) != (m < 0)) m += b;
    return m;
  }
}

}  // namespace

void logical_forward(LogicalOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  RB_DISPATCH_ALL(a.dtype(), "logical", [&] {
    using T = scalar_t;
    switch (op) {
      case LogicalOp::And: return binary_loop<T, bool>(a, b, out, [](T x, T y) { return x != T(0) && y != T(0); });
      case LogicalOp::Or: return binary_loop<T, bool>(a, b, out, [](T x, T y) { return x != T(0) || y != T(0); });
      case LogicalOp::Xor: return binary_loop<T, bool>(a, b, out, [](T x, T y) { return (x != T(0)) != (y != T(0)); });
    }
  });
}

void logical_not_forward(const Tensor& x, Tensor& out) {
  RB_DISPATCH_ALL(x.dtype(), "logical_not",
                  [&] { unary_loop<scalar_t, bool>(x, out, [](scalar_t v) { return v == scalar_t(0); }); });
}

void bitwise_forward(LogicalOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  if (a.dtype() == DType::Bool) {
    switch (op) {
      case LogicalOp::And: return binary_loop<bool, bool>(a, b, out, [](bool x, bool y) { return x && y; });
      case LogicalOp::Or: return binary_loop<bool, bool>(a, b, out, [](bool x, bool y) { return x || y; });
      case LogicalOp::Xor: return binary_loop<bool, bool>(a, b, out, [](bool x, bool y) { return x != y; });
    }
  }
  switch (op) {
    case LogicalOp::And: return binary_loop<int64_t, int64_t>(a, b, out, [](int64_t x, int64_t y) { return x & y; });
    case LogicalOp::Or: return binary_loop<int64_t, int64_t>(a, b, out, [](int64_t x, int64_t y) { return x | y; });
    case LogicalOp::Xor: return binary_loop<int64_t, int64_t>(a, b, out, [](int64_t x, int64_t y) { return x ^ y; });
  }
}

void bitwise_not_forward(const Tensor& x, Tensor& out) {
  if (x.dtype() == DType::Bool) return unary_loop<bool, bool>(x, out, [](bool v) { return !v; });
  unary_loop<int64_t, int64_t>(x, out, [](int64_t v) { return ~v; });
}

void classify_forward(FloatClass c, const Tensor& x, Tensor& out) {
  RB_DISPATCH_ALL(x.dtype(), "classify", [&] {
    using T = scalar_t;
    if constexpr (std::is_floating_point_v<T>) {
      switch (c) {
        case FloatClass::IsNan: return unary_loop<T, bool>(x, out, [](T v) { return std::isnan(v); });
        case FloatClass::IsInf: return unary_loop<T, bool>(x, out, [](T v) { return std::isinf(v); });
        case FloatClass::IsFinite: return unary_loop<T, bool>(x, out, [](T v) { return std::isfinite(v); });
      }
    } else {
      const bool finite = c == FloatClass::IsFinite;
      unary_loop<T, bool>(x, out, [finite](T) { return finite; });
    }
  });
}

void floor_divide_forward(const Tensor& a, const Tensor& b, Tensor& out) {
  RB_DISPATCH_NUMERIC(a.dtype(), "floor_divide",
                      [&] { binary_loop<scalar_t, scalar_t>(a, b, out, floor_div<scalar_t>); });
}

void remainder_forward(const Tensor& a, const Tensor& b, Tensor& out) {
  RB_DISPATCH_NUMERIC(a.dtype(), "remainder",
                      [&] { binary_loop<scalar_t, scalar_t>(a, b, out, python_mod<scalar_t>); });
}

void rounding_forward(RoundOp op, const Tensor& x, int64_t decimals, Tensor& out) {
  RB_DISPATCH_ALL(x.dtype(), "round", [&] {
    using T = scalar_t;
    if constexpr (std::is_floating_point_v<T>) {
      switch (op) {
        case RoundOp::Floor: return unary_loop<T, T>(x, out, [](T v) { return std::floor(v); });
        case RoundOp::Ceil: return unary_loop<T, T>(x, out, [](T v) { return std::ceil(v); });
        case RoundOp::Trunc: return unary_loop<T, T>(x, out, [](T v) { return std::trunc(v); });
        case RoundOp::Round:
          if (decimals == 0) return unary_loop<T, T>(x, out, [](T v) { return std::nearbyint(v); });
          if (decimals > 0) {
            const T p = static_cast<T>(std::pow(10.0, static_cast<double>(decimals)));
            return unary_loop<T, T>(x, out, [p](T v) { return std::nearbyint(v * p) / p; });
          } else {
            const T p = static_cast<T>(std::pow(10.0, static_cast<double>(-decimals)));
            return unary_loop<T, T>(x, out, [p](T v) { return std::nearbyint(v / p) * p; });
          }
      }
    } else {
      unary_loop<T, T>(x, out, [](T v) { return v; });
    }
  });
}

extern const ElementwiseExtKernels elementwise_ext_kernels = {
    &logical_forward,  &logical_not_forward,  &bitwise_forward,   &bitwise_not_forward,
    &classify_forward, &floor_divide_forward, &remainder_forward, &rounding_forward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ElementwiseExtKernels, elementwise_ext_kernels)
