// CPU kernels of the elementwise extras. Floor division and remainder follow PyTorch's formulas
// (fmod-based for floats) so results agree bit for bit, including the signs of zeros.
#include "elementwise_ext.h"

#include <cmath>
#include <limits>

#include "elementwise_loops.h"

RB_CPU_BASELINE_TABLE(ElementwiseExtKernels, elementwise_ext_kernels)

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

void logical_forward(LogicalOp op, const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  RB_CPU_DISPATCH_HOT(
      RB_DISPATCH_ALL, g.dtype[1], "logical", elementwise_ext_kernels.logical_forward(op, g, a, b, out), [&] {
        using T = scalar_t;
        switch (op) {
          case LogicalOp::And:
            return binary_loop<T, bool>(g, a, b, out, [](T x, T y) { return x != T(0) && y != T(0); });
          case LogicalOp::Or:
            return binary_loop<T, bool>(g, a, b, out, [](T x, T y) { return x != T(0) || y != T(0); });
          case LogicalOp::Xor:
            return binary_loop<T, bool>(g, a, b, out, [](T x, T y) { return (x != T(0)) != (y != T(0)); });
        }
      });
}

void logical_not_forward(const LoopGeom<2>& g, const void* x, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_ALL, g.dtype[1], "logical_not",
                      elementwise_ext_kernels.logical_not_forward(g, x, out),
                      [&] { unary_loop<scalar_t, bool>(g, x, out, [](scalar_t v) { return v == scalar_t(0); }); });
}

void bitwise_forward(LogicalOp op, const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  if (g.dtype[1] == DType::Bool) {
    switch (op) {
      case LogicalOp::And: return binary_loop<bool, bool>(g, a, b, out, [](bool x, bool y) { return x && y; });
      case LogicalOp::Or: return binary_loop<bool, bool>(g, a, b, out, [](bool x, bool y) { return x || y; });
      case LogicalOp::Xor: return binary_loop<bool, bool>(g, a, b, out, [](bool x, bool y) { return x != y; });
    }
  }
  switch (op) {
    case LogicalOp::And: return binary_loop<int64_t, int64_t>(g, a, b, out, [](int64_t x, int64_t y) { return x & y; });
    case LogicalOp::Or: return binary_loop<int64_t, int64_t>(g, a, b, out, [](int64_t x, int64_t y) { return x | y; });
    case LogicalOp::Xor: return binary_loop<int64_t, int64_t>(g, a, b, out, [](int64_t x, int64_t y) { return x ^ y; });
  }
}

void bitwise_not_forward(const LoopGeom<2>& g, const void* x, void* out) {
  if (g.dtype[1] == DType::Bool) return unary_loop<bool, bool>(g, x, out, [](bool v) { return !v; });
  unary_loop<int64_t, int64_t>(g, x, out, [](int64_t v) { return ~v; });
}

void classify_forward(FloatClass c, const LoopGeom<2>& g, const void* x, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_ALL, g.dtype[1], "classify", elementwise_ext_kernels.classify_forward(c, g, x, out),
                      [&] {
                        using T = scalar_t;
                        if constexpr (std::is_floating_point_v<T>) {
                          switch (c) {
                            case FloatClass::IsNan:
                              return unary_loop<T, bool>(g, x, out, [](T v) { return std::isnan(v); });
                            case FloatClass::IsInf:
                              return unary_loop<T, bool>(g, x, out, [](T v) { return std::isinf(v); });
                            case FloatClass::IsFinite:
                              return unary_loop<T, bool>(g, x, out, [](T v) { return std::isfinite(v); });
                          }
                        } else {
                          const bool finite = c == FloatClass::IsFinite;
                          unary_loop<T, bool>(g, x, out, [finite](T) { return finite; });
                        }
                      });
}

void floor_divide_forward(const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_NUMERIC, g.dtype[1], "floor_divide",
                      elementwise_ext_kernels.floor_divide_forward(g, a, b, out),
                      [&] { binary_loop<scalar_t, scalar_t>(g, a, b, out, floor_div<scalar_t>); });
}

void remainder_forward(const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_NUMERIC, g.dtype[1], "remainder",
                      elementwise_ext_kernels.remainder_forward(g, a, b, out),
                      [&] { binary_loop<scalar_t, scalar_t>(g, a, b, out, python_mod<scalar_t>); });
}

void rounding_forward(RoundOp op, const LoopGeom<2>& g, const void* x, int64_t decimals, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_ALL, g.dtype[1], "round",
                      elementwise_ext_kernels.rounding_forward(op, g, x, decimals, out), [&] {
                        using T = scalar_t;
                        if constexpr (std::is_floating_point_v<T>) {
                          switch (op) {
                            case RoundOp::Floor: return unary_loop<T, T>(g, x, out, [](T v) { return std::floor(v); });
                            case RoundOp::Ceil: return unary_loop<T, T>(g, x, out, [](T v) { return std::ceil(v); });
                            case RoundOp::Trunc: return unary_loop<T, T>(g, x, out, [](T v) { return std::trunc(v); });
                            case RoundOp::Round:
                              if (decimals == 0)
                                return unary_loop<T, T>(g, x, out, [](T v) { return std::nearbyint(v); });
                              if (decimals > 0) {
                                const T p = static_cast<T>(std::pow(10.0, static_cast<double>(decimals)));
                                return unary_loop<T, T>(g, x, out, [p](T v) { return std::nearbyint(v * p) / p; });
                              } else {
                                const T p = static_cast<T>(std::pow(10.0, static_cast<double>(-decimals)));
                                return unary_loop<T, T>(g, x, out, [p](T v) { return std::nearbyint(v / p) * p; });
                              }
                          }
                        } else {
                          unary_loop<T, T>(g, x, out, [](T v) { return v; });
                        }
                      });
}

// erfinv(y): a first guess from the single-precision approximation of M. Giles ("Approximating the
// erfinv function", GPU Computing Gems, 2011), then two Newton steps on erf in double, so float and
// double results are accurate to their last bits; +-inf at +-1, NaN outside [-1, 1].
inline double erfinv_d(double y) {
  if (!(y > -1.0 && y < 1.0)) {
    if (y == 1.0) return std::numeric_limits<double>::infinity();
    if (y == -1.0) return -std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  double w = -std::log((1.0 - y) * (1.0 + y)), x;
  if (w < 5.0) {
    w -= 2.5;
    double p = 2.81022636e-08;
    for (double c : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164,
                     0.246640727, 1.50140941})
      p = p * w + c;
    x = p * y;
  } else {
    w = std::sqrt(w) - 3.0;
    double p = -0.000200214257;
    for (double c : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
                     1.00167406, 2.83297682})
      p = p * w + c;
    x = p * y;
  }
  for (int i = 0; i < 2; ++i) x -= (std::erf(x) - y) / (1.1283791670955126 * std::exp(-x * x));
  return x;
}

void math_forward(MathOp op, const LoopGeom<2>& g, const void* x, void* out) {
  RB_DISPATCH_FLOATING(g.dtype[1], "math", [&] {
    using T = scalar_t;
    auto run = [&](auto f) { unary_loop<T, T>(g, x, out, f); };
    switch (op) {
      case MathOp::Sin: return run([](T v) { return std::sin(v); });
      case MathOp::Cos: return run([](T v) { return std::cos(v); });
      case MathOp::Tan: return run([](T v) { return std::tan(v); });
      case MathOp::Asin: return run([](T v) { return std::asin(v); });
      case MathOp::Acos: return run([](T v) { return std::acos(v); });
      case MathOp::Atan: return run([](T v) { return std::atan(v); });
      case MathOp::Sinh: return run([](T v) { return std::sinh(v); });
      case MathOp::Cosh: return run([](T v) { return std::cosh(v); });
      case MathOp::Asinh: return run([](T v) { return std::asinh(v); });
      case MathOp::Acosh: return run([](T v) { return std::acosh(v); });
      case MathOp::Atanh: return run([](T v) { return std::atanh(v); });
      case MathOp::Log1p: return run([](T v) { return std::log1p(v); });
      case MathOp::Expm1: return run([](T v) { return std::expm1(v); });
      case MathOp::Log2: return run([](T v) { return std::log2(v); });
      case MathOp::Log10: return run([](T v) { return std::log10(v); });
      case MathOp::Exp2: return run([](T v) { return std::exp2(v); });
      case MathOp::Erf: return run([](T v) { return std::erf(v); });
      case MathOp::Erfc: return run([](T v) { return std::erfc(v); });
      case MathOp::Erfinv: return run([](T v) { return static_cast<T>(erfinv_d(v)); });
      case MathOp::Rsqrt: return run([](T v) { return T(1) / std::sqrt(v); });
      case MathOp::Frac: return run([](T v) { return v - std::trunc(v); });
    }
  });
}

void atan2_forward(const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  RB_DISPATCH_FLOATING(g.dtype[0], "atan2", [&] {
    binary_loop<scalar_t, scalar_t>(g, a, b, out, [](scalar_t y, scalar_t x) { return std::atan2(y, x); });
  });
}

void fmod_forward(const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  RB_DISPATCH_FLOATING(g.dtype[0], "fmod", [&] {
    binary_loop<scalar_t, scalar_t>(g, a, b, out, [](scalar_t y, scalar_t x) { return std::fmod(y, x); });
  });
}

extern const ElementwiseExtKernels elementwise_ext_kernels = {
    &logical_forward,  &logical_not_forward,  &bitwise_forward,   &bitwise_not_forward,
    &classify_forward, &floor_divide_forward, &remainder_forward, &rounding_forward,
    &math_forward,     &atan2_forward,        &fmod_forward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ElementwiseExtKernels, elementwise_ext_kernels)
