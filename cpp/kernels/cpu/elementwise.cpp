// CPU elementwise kernels: one strided loop template, specialised per op and dtype so the
// contiguous and scalar-broadcast rows compile to vector code.
#include "elementwise.h"

#include <cmath>

#include "../integer_power.h"
#include "elementwise_loops.h"
#include "vmath.h"

RB_CPU_BASELINE_TABLE(ElementwiseKernels, elementwise_kernels)

RB_CPU_NAMESPACE_BEGIN

void binary_forward(BinaryOp op, const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_ALL, g.dtype[1], "binary", elementwise_kernels.binary_forward(op, g, a, b, out), [&] {
    using T = scalar_t;
    switch (op) {
      case BinaryOp::Eq: return binary_loop<T, bool>(g, a, b, out, [](T x, T y) { return x == y; });
      case BinaryOp::Ne: return binary_loop<T, bool>(g, a, b, out, [](T x, T y) { return x != y; });
      case BinaryOp::Lt: return binary_loop<T, bool>(g, a, b, out, [](T x, T y) { return x < y; });
      case BinaryOp::Le: return binary_loop<T, bool>(g, a, b, out, [](T x, T y) { return x <= y; });
      case BinaryOp::Gt: return binary_loop<T, bool>(g, a, b, out, [](T x, T y) { return x > y; });
      case BinaryOp::Ge: return binary_loop<T, bool>(g, a, b, out, [](T x, T y) { return x >= y; });
      default: break;
    }
    if constexpr (std::is_same_v<T, bool>) {
      switch (op) {  // bool arithmetic as PyTorch: add is logical or, mul is logical and
        case BinaryOp::Add:
        case BinaryOp::Maximum: return binary_loop<T, T>(g, a, b, out, [](T x, T y) -> T { return x || y; });
        case BinaryOp::Mul:
        case BinaryOp::Minimum: return binary_loop<T, T>(g, a, b, out, [](T x, T y) -> T { return x && y; });
        default: throw TypeError("this arithmetic op is not supported on bool tensors");
      }
    } else {
      switch (op) {
        case BinaryOp::Add: return binary_loop<T, T>(g, a, b, out, [](T x, T y) { return x + y; });
        case BinaryOp::Sub: return binary_loop<T, T>(g, a, b, out, [](T x, T y) { return x - y; });
        case BinaryOp::Mul: return binary_loop<T, T>(g, a, b, out, [](T x, T y) { return x * y; });
        case BinaryOp::Div:
          if constexpr (std::is_integral_v<T>) {  // only reached by floor-free integer paths; guard /0
            return binary_loop<T, T>(g, a, b, out, [](T x, T y) -> T { return y == 0 ? 0 : x / y; });
          } else {
            return binary_loop<T, T>(g, a, b, out, [](T x, T y) { return x / y; });
          }
        case BinaryOp::Pow: return binary_loop<T, T>(g, a, b, out, [](T x, T y) { return ipow(x, y); });
        // NaN propagates as in PyTorch's maximum/minimum.
        case BinaryOp::Maximum:
          return binary_loop<T, T>(g, a, b, out, [](T x, T y) { return (x != x || x > y) ? x : y; });
        case BinaryOp::Minimum:
          return binary_loop<T, T>(g, a, b, out, [](T x, T y) { return (x != x || x < y) ? x : y; });
        default: throw Error("unknown binary op");
      }
    }
  });
}

void unary_forward(UnaryOp op, const LoopGeom<2>& g, const void* x, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_NUMERIC, g.dtype[1], "unary", elementwise_kernels.unary_forward(op, g, x, out), [&] {
    using T = scalar_t;
    switch (op) {
      case UnaryOp::Neg: return unary_loop<T, T>(g, x, out, [](T v) { return -v; });
      case UnaryOp::Abs: return unary_loop<T, T>(g, x, out, [](T v) { return v < 0 ? -v : v; });
      case UnaryOp::Sign: return unary_loop<T, T>(g, x, out, [](T v) { return T((v > 0) - (v < 0)); });
      default: break;
    }
    if constexpr (std::is_floating_point_v<T>) {
      switch (op) {
        case UnaryOp::Exp: return unary_loop<T, T>(g, x, out, [](T v) { return vexp(v); });
        case UnaryOp::Log: return unary_loop<T, T>(g, x, out, [](T v) { return std::log(v); });
        case UnaryOp::Sqrt: return unary_loop<T, T>(g, x, out, [](T v) { return std::sqrt(v); });
        default: break;
      }
    }
    throw TypeError("unary op not supported for this dtype");
  });
}

void copy(const LoopGeom<2>& g, const void* src, void* dst) {
  // Every pair of dtypes: this is the conversion (.to) kernel, rounding as PyTorch's casts do.
  RB_CPU_DISPATCH_HOT_CAST(RB_DISPATCH_STORAGE, g.dtype[1], "copy", elementwise_kernels.copy(g, src, dst), [&] {
    using S = scalar_t;
    RB_CPU_DISPATCH_HOT_CAST(RB_DISPATCH_STORAGE, g.dtype[0], "copy", elementwise_kernels.copy(g, src, dst), [&] {
      using D = scalar_t;
      unary_loop<S, D>(g, src, dst, [](S v) { return static_cast<D>(v); });
    });
  });
}

void fill(const LoopGeom<1>& g, void* dst, Scalar v) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_STORAGE, g.dtype[0], "fill", elementwise_kernels.fill(g, dst, v), [&] {
    using T = scalar_t;
    const T value = v.to<T>();
    StridedLoop<1> L(g);
    T* p = static_cast<T*>(dst);
    L.parallel_run([&](const int64_t* off, int64_t n, const int64_t* s) {
      T* o = p + off[0];
      if (s[0] == 1) {
        for (int64_t i = 0; i < n; ++i) o[i] = value;
      } else {
        for (int64_t i = 0; i < n; ++i) o[i * s[0]] = value;
      }
    });
  });
}

void where_forward(const LoopGeom<4>& g, const bool* cond, const void* a, const void* b, void* out) {
  RB_CPU_DISPATCH_HOT(
      RB_DISPATCH_MOVABLE, g.dtype[0], "where", elementwise_kernels.where_forward(g, cond, a, b, out), [&] {
        using T = scalar_t;
        StridedLoop<4> L(g);
        T* po = static_cast<T*>(out);
        const bool* pc = cond;
        const T* pa = static_cast<const T*>(a);
        const T* pb = static_cast<const T*>(b);
        L.parallel_run([&](const int64_t* off, int64_t n, const int64_t* s) {
          for (int64_t i = 0; i < n; ++i)
            po[off[0] + i * s[0]] = pc[off[1] + i * s[1]] ? pa[off[2] + i * s[2]] : pb[off[3] + i * s[3]];
        });
      });
}

void clamp_forward(const LoopGeom<2>& g, const void* x, std::optional<Scalar> lo, std::optional<Scalar> hi, void* out) {
  RB_CPU_DISPATCH_HOT(RB_DISPATCH_NUMERIC, g.dtype[1], "clamp", elementwise_kernels.clamp_forward(g, x, lo, hi, out),
                      [&] {
                        using T = scalar_t;
                        const bool has_lo = lo.has_value(), has_hi = hi.has_value();
                        const T l = has_lo ? lo->to<T>() : T(0), h = has_hi ? hi->to<T>() : T(0);
                        // NaN inputs stay NaN (comparisons with NaN are false), as in PyTorch.
                        unary_loop<T, T>(g, x, out, [=](T v) {
                          if (has_lo && v < l) v = l;
                          if (has_hi && v > h) v = h;
                          return v;
                        });
                      });
}

extern const ElementwiseKernels elementwise_kernels = {&binary_forward, &unary_forward, &copy,
                                                       &fill,           &where_forward, &clamp_forward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ElementwiseKernels, elementwise_kernels)
