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
void run_binary(const Tensor& a, const Tensor& b, Tensor& out) {
  const Shape& sh = out.shape();
  launch_elementwise<3>(sh, {out.strides(), broadcast_strides(a, sh), broadcast_strides(b, sh)},
                        Binary<T, O, Op>{a.data<T>(), b.data<T>(), out.data<O>()});
}

template <class T>
void binary_typed(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  constexpr bool is_bool = std::is_same_v<T, bool>;
  switch (op) {
    case BinaryOp::Eq: return run_binary<T, bool, BinaryOp::Eq>(a, b, out);
    case BinaryOp::Ne: return run_binary<T, bool, BinaryOp::Ne>(a, b, out);
    case BinaryOp::Lt: return run_binary<T, bool, BinaryOp::Lt>(a, b, out);
    case BinaryOp::Le: return run_binary<T, bool, BinaryOp::Le>(a, b, out);
    case BinaryOp::Gt: return run_binary<T, bool, BinaryOp::Gt>(a, b, out);
    case BinaryOp::Ge: return run_binary<T, bool, BinaryOp::Ge>(a, b, out);
    case BinaryOp::Add: return run_binary<T, T, BinaryOp::Add>(a, b, out);
    case BinaryOp::Mul: return run_binary<T, T, BinaryOp::Mul>(a, b, out);
    case BinaryOp::Maximum: return run_binary<T, T, BinaryOp::Maximum>(a, b, out);
    case BinaryOp::Minimum: return run_binary<T, T, BinaryOp::Minimum>(a, b, out);
    default: break;
  }
  if constexpr (is_bool) {
    throw TypeError("this arithmetic op is not supported on bool tensors");
  } else {
    switch (op) {
      case BinaryOp::Sub: return run_binary<T, T, BinaryOp::Sub>(a, b, out);
      case BinaryOp::Div: return run_binary<T, T, BinaryOp::Div>(a, b, out);
      case BinaryOp::Pow: return run_binary<T, T, BinaryOp::Pow>(a, b, out);
      default: throw Error("unknown binary op");
    }
  }
}

void binary_forward(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  RB_DISPATCH_ALL(a.dtype(), "binary", [&] { binary_typed<scalar_t>(op, a, b, out); });
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
void run_unary(const Tensor& x, Tensor& out) {
  const Shape& sh = out.shape();
  launch_elementwise<2>(sh, {out.strides(), broadcast_strides(x, sh)}, Unary<T, Op>{x.data<T>(), out.data<T>()});
}

void unary_forward(UnaryOp op, const Tensor& x, Tensor& out) {
  RB_DISPATCH_NUMERIC(x.dtype(), "unary", [&] {
    using T = scalar_t;
    switch (op) {
      case UnaryOp::Neg: return run_unary<T, UnaryOp::Neg>(x, out);
      case UnaryOp::Abs: return run_unary<T, UnaryOp::Abs>(x, out);
      case UnaryOp::Sign: return run_unary<T, UnaryOp::Sign>(x, out);
      default: break;
    }
    if constexpr (std::is_floating_point_v<T>) {
      switch (op) {
        case UnaryOp::Exp: return run_unary<T, UnaryOp::Exp>(x, out);
        case UnaryOp::Log: return run_unary<T, UnaryOp::Log>(x, out);
        case UnaryOp::Sqrt: return run_unary<T, UnaryOp::Sqrt>(x, out);
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

void copy(const Tensor& src, Tensor& dst) {
  const Shape& sh = dst.shape();
  RB_DISPATCH_STORAGE(src.dtype(), "copy", [&] {
    using S = device_t<scalar_t>;
    RB_DISPATCH_STORAGE(dst.dtype(), "copy", [&] {
      using D = device_t<scalar_t>;
      launch_elementwise<2>(sh, {dst.strides(), broadcast_strides(src, sh)},
                            Convert<S, D>{static_cast<const S*>(src.raw_data()), static_cast<D*>(dst.raw_data())});
    });
  });
}

template <class T>
struct Fill {
  T* dst;
  T value;
  __device__ void operator()(const int64_t* off) const { dst[off[0]] = value; }
};

void fill(Tensor& dst, Scalar v) {
  RB_DISPATCH_STORAGE(dst.dtype(), "fill", [&] {
    using T = scalar_t;  // converted on the host, with the CPU's rounding; stored as its bits
    const T value = v.to<T>();
    using B = device_t<T>;
    B bits;
    static_assert(sizeof(B) == sizeof(T), "a device element has the host element's size");
    std::memcpy(&bits, &value, sizeof(T));
    launch_elementwise<1>(dst.shape(), {dst.strides()}, Fill<B>{static_cast<B*>(dst.raw_data()), bits});
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

void where_forward(const Tensor& cond, const Tensor& a, const Tensor& b, Tensor& out) {
  RB_DISPATCH_MOVABLE(out.dtype(), "where", [&] {
    using T = scalar_t;
    const Shape& sh = out.shape();
    launch_elementwise<4>(
        sh, {out.strides(), broadcast_strides(cond, sh), broadcast_strides(a, sh), broadcast_strides(b, sh)},
        Where<T>{cond.data<bool>(), static_cast<const T*>(a.raw_data()), static_cast<const T*>(b.raw_data()),
                 static_cast<T*>(out.raw_data())});
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

void clamp_forward(const Tensor& x, std::optional<Scalar> lo, std::optional<Scalar> hi, Tensor& out) {
  RB_DISPATCH_NUMERIC(x.dtype(), "clamp", [&] {
    using T = scalar_t;
    const Shape& sh = out.shape();
    launch_elementwise<2>(sh, {out.strides(), broadcast_strides(x, sh)},
                          Clamp<T>{x.data<T>(), out.data<T>(), lo.has_value(), hi.has_value(), lo ? lo->to<T>() : T(0),
                                   hi ? hi->to<T>() : T(0)});
  });
}

}  // namespace

const ElementwiseKernels& elementwise_kernels() {
  static const ElementwiseKernels table = {&binary_forward, &unary_forward, &copy,
                                           &fill,           &where_forward, &clamp_forward};
  return table;
}

}  // namespace rb::cuda
