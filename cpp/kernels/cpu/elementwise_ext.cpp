// CPU kernels of the elementwise extras. Floor division and remainder follow PyTorch's formulas
// (fmod-based for floats) so results agree bit for bit, including the signs of zeros.
#include "elementwise_ext.h"

#include <cmath>

#include "loops.h"

namespace rb::cpu {
namespace {

template <class T, class O, class F>
void loop2(const Tensor& a, const Tensor& b, Tensor& out, F f) {
  StridedLoop<3> L(out.shape(), {out.strides(), broadcast_strides(a, out.shape()), broadcast_strides(b, out.shape())});
  O* po = static_cast<O*>(out.raw_data());
  const T* pa = static_cast<const T*>(a.raw_data());
  const T* pb = static_cast<const T*>(b.raw_data());
  L.parallel_run([&](const int64_t* off, int64_t n, const int64_t* s) {
    O* o = po + off[0];
    const T* x = pa + off[1];
    const T* y = pb + off[2];
    if (s[0] == 1 && s[1] == 1 && s[2] == 1) {
      for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
    } else if (s[0] == 1 && s[1] == 1 && s[2] == 0) {
      const T yv = *y;
      for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], yv);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * s[0]] = f(x[i * s[1]], y[i * s[2]]);
    }
  });
}

template <class T, class O, class F>
void loop1(const Tensor& x, Tensor& out, F f) {
  StridedLoop<2> L(out.shape(), {out.strides(), broadcast_strides(x, out.shape())});
  O* po = static_cast<O*>(out.raw_data());
  const T* px = static_cast<const T*>(x.raw_data());
  L.parallel_run([&](const int64_t* off, int64_t n, const int64_t* s) {
    O* o = po + off[0];
    const T* v = px + off[1];
    if (s[0] == 1 && s[1] == 1) {
      for (int64_t i = 0; i < n; ++i) o[i] = f(v[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * s[0]] = f(v[i * s[1]]);
    }
  });
}

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
      case LogicalOp::And: return loop2<T, bool>(a, b, out, [](T x, T y) { return x != T(0) && y != T(0); });
      case LogicalOp::Or: return loop2<T, bool>(a, b, out, [](T x, T y) { return x != T(0) || y != T(0); });
      case LogicalOp::Xor: return loop2<T, bool>(a, b, out, [](T x, T y) { return (x != T(0)) != (y != T(0)); });
    }
  });
}

void logical_not_forward(const Tensor& x, Tensor& out) {
  RB_DISPATCH_ALL(x.dtype(), "logical_not", [&] { loop1<scalar_t, bool>(x, out, [](scalar_t v) { return v == scalar_t(0); }); });
}

void bitwise_forward(LogicalOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  if (a.dtype() == DType::Bool) {
    switch (op) {
      case LogicalOp::And: return loop2<bool, bool>(a, b, out, [](bool x, bool y) { return x && y; });
      case LogicalOp::Or: return loop2<bool, bool>(a, b, out, [](bool x, bool y) { return x || y; });
      case LogicalOp::Xor: return loop2<bool, bool>(a, b, out, [](bool x, bool y) { return x != y; });
    }
  }
  switch (op) {
    case LogicalOp::And: return loop2<int64_t, int64_t>(a, b, out, [](int64_t x, int64_t y) { return x & y; });
    case LogicalOp::Or: return loop2<int64_t, int64_t>(a, b, out, [](int64_t x, int64_t y) { return x | y; });
    case LogicalOp::Xor: return loop2<int64_t, int64_t>(a, b, out, [](int64_t x, int64_t y) { return x ^ y; });
  }
}

void bitwise_not_forward(const Tensor& x, Tensor& out) {
  if (x.dtype() == DType::Bool) return loop1<bool, bool>(x, out, [](bool v) { return !v; });
  loop1<int64_t, int64_t>(x, out, [](int64_t v) { return ~v; });
}

void classify_forward(FloatClass c, const Tensor& x, Tensor& out) {
  RB_DISPATCH_ALL(x.dtype(), "classify", [&] {
    using T = scalar_t;
    if constexpr (std::is_floating_point_v<T>) {
      switch (c) {
        case FloatClass::IsNan: return loop1<T, bool>(x, out, [](T v) { return std::isnan(v); });
        case FloatClass::IsInf: return loop1<T, bool>(x, out, [](T v) { return std::isinf(v); });
        case FloatClass::IsFinite: return loop1<T, bool>(x, out, [](T v) { return std::isfinite(v); });
      }
    } else {
      const bool finite = c == FloatClass::IsFinite;
      loop1<T, bool>(x, out, [finite](T) { return finite; });
    }
  });
}

void floor_divide_forward(const Tensor& a, const Tensor& b, Tensor& out) {
  RB_DISPATCH_NUMERIC(a.dtype(), "floor_divide", [&] { loop2<scalar_t, scalar_t>(a, b, out, floor_div<scalar_t>); });
}

void remainder_forward(const Tensor& a, const Tensor& b, Tensor& out) {
  RB_DISPATCH_NUMERIC(a.dtype(), "remainder", [&] { loop2<scalar_t, scalar_t>(a, b, out, python_mod<scalar_t>); });
}

void rounding_forward(RoundOp op, const Tensor& x, int64_t decimals, Tensor& out) {
  RB_DISPATCH_ALL(x.dtype(), "round", [&] {
    using T = scalar_t;
    if constexpr (std::is_floating_point_v<T>) {
      switch (op) {
        case RoundOp::Floor: return loop1<T, T>(x, out, [](T v) { return std::floor(v); });
        case RoundOp::Ceil: return loop1<T, T>(x, out, [](T v) { return std::ceil(v); });
        case RoundOp::Trunc: return loop1<T, T>(x, out, [](T v) { return std::trunc(v); });
        case RoundOp::Round:
          if (decimals == 0) return loop1<T, T>(x, out, [](T v) { return std::nearbyint(v); });
          if (decimals > 0) {
            const T p = static_cast<T>(std::pow(10.0, static_cast<double>(decimals)));
            return loop1<T, T>(x, out, [p](T v) { return std::nearbyint(v * p) / p; });
          } else {
            const T p = static_cast<T>(std::pow(10.0, static_cast<double>(-decimals)));
            return loop1<T, T>(x, out, [p](T v) { return std::nearbyint(v / p) * p; });
          }
      }
    } else {
      loop1<T, T>(x, out, [](T v) { return v; });
    }
  });
}

}  // namespace rb::cpu
