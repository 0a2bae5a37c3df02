// CUDA elementwise kernels: the ElementwiseKernels table (kernels/elementwise.h) for tensors on a
// GPU, with the CPU's semantics op for op (kernels/cpu/elementwise.cpp): bool arithmetic as logic,
// integer division by zero gives 0, maximum/minimum propagate NaN, conversions as PyTorch's casts.
#include "elementwise.h"

#include <cstring>

#include "../integer_power.h"
#include "loops.cuh"

namespace rb::cuda {
namespace {

// ---- binary ---------------------------------------------------------------------------------
template <class T, class O, BinaryOp Op>
struct Binary {
  const T* a;
  const T* b;
  O* out;
  __device__ void operator()(const int64_t* off) const {
    const T x = a[off[1]], y = b[off[2]];
    if constexpr (Op == BinaryOp::Eq)
      out[off[0]] = x == y;
    else if constexpr (Op == BinaryOp::Ne)
      out[off[0]] = x != y;
    else if constexpr (Op == BinaryOp::Lt)
      out[off[0]] = x < y;
    else if constexpr (Op == BinaryOp::Le)
      out[off[0]] = x <= y;
    else if constexpr (Op == BinaryOp::Gt)
      out[off[0]] = x > y;
    else if constexpr (Op == BinaryOp::Ge)
      out[off[0]] = x >= y;
    else if constexpr (std::is_same_v<T, bool> && (Op == BinaryOp::Add || Op == BinaryOp::Maximum))
      out[off[0]] = x || y;
    else if constexpr (std::is_same_v<T, bool> && (Op == BinaryOp::Mul || Op == BinaryOp::Minimum))
      out[off[0]] = x && y;
    else if constexpr (Op == BinaryOp::Add)
      out[off[0]] = x + y;
    else if constexpr (Op == BinaryOp::Sub)
      out[off[0]] = x - y;
    else if constexpr (Op == BinaryOp::Mul)
      out[off[0]] = x * y;
    else if constexpr (Op == BinaryOp::Div && std::is_integral_v<T>)
      out[off[0]] = y == 0 ? T(0) : T(x / y);
    else if constexpr (Op == BinaryOp::Div)
      out[off[0]] = x / y;
    else if constexpr (Op == BinaryOp::Pow)
      out[off[0]] = ipow(x, y);
    else if constexpr (Op == BinaryOp::Maximum)
      out[off[0]] = (x != x || x > y) ? x : y;
    else if constexpr (Op == BinaryOp::Minimum)
      out[off[0]] = (x != x || x < y) ? x : y;
  }
};

template <class T, class O, BinaryOp Op>
void run_binary(const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  launch_elementwise<3>(g, Binary<T, O, Op>{static_cast<const T*>(a), static_cast<const T*>(b), static_cast<O*>(out)});
}

template <class T>
void binary_typed(BinaryOp op, const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  constexpr bool is_bool = std::is_same_v<T, bool>;
  switch (op) {
    case BinaryOp::Eq: return run_binary<T, bool, BinaryOp::Eq>(g, a, b, out);
    case BinaryOp::Ne: return run_binary<T, bool, BinaryOp::Ne>(g, a, b, out);
    case BinaryOp::Lt: return run_binary<T, bool, BinaryOp::Lt>(g, a, b, out);
    case BinaryOp::Le: return run_binary<T, bool, BinaryOp::Le>(g, a, b, out);
    case BinaryOp::Gt: return run_binary<T, bool, BinaryOp::Gt>(g, a, b, out);
    case BinaryOp::Ge: return run_binary<T, bool, BinaryOp::Ge>(g, a, b, out);
    case BinaryOp::Add: return run_binary<T, T, BinaryOp::Add>(g, a, b, out);
    case BinaryOp::Mul: return run_binary<T, T, BinaryOp::Mul>(g, a, b, out);
    case BinaryOp::Maximum: return run_binary<T, T, BinaryOp::Maximum>(g, a, b, out);
    case BinaryOp::Minimum: return run_binary<T, T, BinaryOp::Minimum>(g, a, b, out);
    default: break;
  }
  if constexpr (is_bool) {
    throw TypeError("this arithmetic op is not supported on bool tensors");
  } else {
    switch (op) {
      case BinaryOp::Sub: return run_binary<T, T, BinaryOp::Sub>(g, a, b, out);
      case BinaryOp::Div: return run_binary<T, T, BinaryOp::Div>(g, a, b, out);
      case BinaryOp::Pow: return run_binary<T, T, BinaryOp::Pow>(g, a, b, out);
      default: throw Error("unknown binary op");
    }
  }
}

void binary_forward(BinaryOp op, const LoopGeom<3>& g, const void* a, const void* b, void* out) {
  RB_DISPATCH_ALL(g.dtype[1], "binary", [&] { binary_typed<scalar_t>(op, g, a, b, out); });
}

// ---- unary ----------------------------------------------------------------------------------
template <class T, UnaryOp Op>
struct Unary {
  const T* x;
  T* out;
  __device__ void operator()(const int64_t* off) const {
    const T v = x[off[1]];
    if constexpr (Op == UnaryOp::Neg)
      out[off[0]] = -v;
    else if constexpr (Op == UnaryOp::Abs)
      out[off[0]] = v < 0 ? T(-v) : v;
    else if constexpr (Op == UnaryOp::Sign)
      out[off[0]] = T((v > 0) - (v < 0));
    else if constexpr (Op == UnaryOp::Exp)
      out[off[0]] = exp(v);
    else if constexpr (Op == UnaryOp::Log)
      out[off[0]] = log(v);
    else if constexpr (Op == UnaryOp::Sqrt)
      out[off[0]] = sqrt(v);
  }
};

template <class T, UnaryOp Op>
void run_unary(const LoopGeom<2>& g, const void* x, void* out) {
  launch_elementwise<2>(g, Unary<T, Op>{static_cast<const T*>(x), static_cast<T*>(out)});
}

void unary_forward(UnaryOp op, const LoopGeom<2>& g, const void* x, void* out) {
  RB_DISPATCH_NUMERIC(g.dtype[1], "unary", [&] {
    using T = scalar_t;
    switch (op) {
      case UnaryOp::Neg: return run_unary<T, UnaryOp::Neg>(g, x, out);
      case UnaryOp::Abs: return run_unary<T, UnaryOp::Abs>(g, x, out);
      case UnaryOp::Sign: return run_unary<T, UnaryOp::Sign>(g, x, out);
      default: break;
    }
    if constexpr (std::is_floating_point_v<T>) {
      switch (op) {
        case UnaryOp::Exp: return run_unary<T, UnaryOp::Exp>(g, x, out);
        case UnaryOp::Log: return run_unary<T, UnaryOp::Log>(g, x, out);
        case UnaryOp::Sqrt: return run_unary<T, UnaryOp::Sqrt>(g, x, out);
        default: break;
      }
    }
    throw TypeError("unary op not supported for this dtype");
  });
}

// ---- copy (every dtype pair), fill, where, clamp ----------------------------------------------
template <class S, class D>
struct Convert {
  const S* src;
  D* dst;
  __device__ void operator()(const int64_t* off) const { dst[off[0]] = convert<D>(src[off[1]]); }
};

void copy(const LoopGeom<2>& g, const void* src, void* dst) {
  RB_DISPATCH_STORAGE(g.dtype[1], "copy", [&] {
    using S = device_t<scalar_t>;
    RB_DISPATCH_STORAGE(g.dtype[0], "copy", [&] {
      using D = device_t<scalar_t>;
      launch_elementwise<2>(g, Convert<S, D>{static_cast<const S*>(src), static_cast<D*>(dst)});
    });
  });
}

template <class T>
struct Fill {
  T* dst;
  T value;
  __device__ void operator()(const int64_t* off) const { dst[off[0]] = value; }
};

void fill(const LoopGeom<1>& g, void* dst, Scalar v) {
  RB_DISPATCH_STORAGE(g.dtype[0], "fill", [&] {
    using T = scalar_t;  // converted on the host, with the CPU's rounding; stored as its bits
    const T value = v.to<T>();
    using B = device_t<T>;
    B bits;
    static_assert(sizeof(B) == sizeof(T), "a device element has the host element's size");
    std::memcpy(&bits, &value, sizeof(T));
    launch_elementwise<1>(g, Fill<B>{static_cast<B*>(dst), bits});
  });
}

template <class T>
struct Where {
  const bool* cond;
  const T* a;
  const T* b;
  T* out;
  __device__ void operator()(const int64_t* off) const { out[off[0]] = cond[off[1]] ? a[off[2]] : b[off[3]]; }
};

void where_forward(const LoopGeom<4>& g, const bool* cond, const void* a, const void* b, void* out) {
  RB_DISPATCH_MOVABLE(g.dtype[0], "where", [&] {
    using T = scalar_t;
    launch_elementwise<4>(g, Where<T>{cond, static_cast<const T*>(a), static_cast<const T*>(b), static_cast<T*>(out)});
  });
}

template <class T>
struct Clamp {
  const T* x;
  T* out;
  bool has_lo, has_hi;
  T lo, hi;
  __device__ void operator()(const int64_t* off) const {
    T v = x[off[1]];  // NaN stays NaN: both comparisons are false
    if (has_lo && v < lo) v = lo;
    if (has_hi && v > hi) v = hi;
    out[off[0]] = v;
  }
};

void clamp_forward(const LoopGeom<2>& g, const void* x, std::optional<Scalar> lo, std::optional<Scalar> hi, void* out) {
  RB_DISPATCH_NUMERIC(g.dtype[1], "clamp", [&] {
    using T = scalar_t;
    launch_elementwise<2>(g, Clamp<T>{static_cast<const T*>(x), static_cast<T*>(out), lo.has_value(), hi.has_value(),
                                      lo ? lo->to<T>() : T(0), hi ? hi->to<T>() : T(0)});
  });
}

}  // namespace

const ElementwiseKernels& elementwise_kernels() {
  static const ElementwiseKernels table = {&binary_forward, &unary_forward, &copy,
                                           &fill,           &where_forward, &clamp_forward};
  return table;
}

}  // namespace rb::cuda
