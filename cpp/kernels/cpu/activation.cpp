// CPU activation kernels: one strided loop per activation and dtype (contiguous rows compile to
// vector code), softmax with a max-shifted exp in double accumulators, dropout with its mask.
#include "activation.h"

#include <cmath>
#include <mutex>
#include <vector>

#include "elementwise_loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

// The pieces the new activations share. softplus1: log(1 + e^v) without overflow or the
// cancellation of log(1 + tiny); sigm: 1 / (1 + e^-v).
template <class T>
RB_VMATH_INLINE T sigm(T v) {
  return T(1) / (T(1) + vexp(-v));
}
template <class T>
inline T softplus1(T v) {
  return (v > T(0) ? v : T(0)) + std::log1p(vexp(-std::abs(v)));
}

}  // namespace

void activation_forward(Act act, const LoopGeom<2>& g, const void* x, void* out, ActParams p) {
  if (g.dtype[1] == DType::Int64) {  // the piecewise-linear ones keep integers, as PyTorch
    const auto lo = static_cast<int64_t>(p.a), hi = static_cast<int64_t>(p.b);
    switch (act) {
      case Act::Relu: return unary_loop<int64_t, int64_t>(g, x, out, [](int64_t v) { return v > 0 ? v : int64_t(0); });
      case Act::Hardtanh:
        return unary_loop<int64_t, int64_t>(g, x, out, [lo, hi](int64_t v) { return v < lo ? lo : v > hi ? hi : v; });
      case Act::Threshold:
        return unary_loop<int64_t, int64_t>(g, x, out, [lo, hi](int64_t v) { return v <= lo ? hi : v; });
      default: break;
    }
  }
  RB_DISPATCH_FLOATING(g.dtype[1], "activation", [&] {
    using T = scalar_t;
    const T a = static_cast<T>(p.a), b = static_cast<T>(p.b);
    switch (act) {
      case Act::Sigmoid: return unary_loop<T, T>(g, x, out, [](T v) { return sigm(v); });
      case Act::Tanh: return unary_loop<T, T>(g, x, out, [](T v) { return vtanh(v); });
      case Act::Relu: return unary_loop<T, T>(g, x, out, [](T v) { return v > T(0) ? v : (v != v ? v : T(0)); });
      case Act::LeakyRelu: return unary_loop<T, T>(g, x, out, [a](T v) { return v > T(0) ? v : v * a; });
      case Act::Elu: return unary_loop<T, T>(g, x, out, [a](T v) { return v > T(0) ? v : a * vexpm1(v); });
      case Act::Step: return unary_loop<T, T>(g, x, out, [](T v) { return v >= T(0) ? T(1) : T(0); });
      case Act::Gelu:
        return unary_loop<T, T>(g, x, out, [](T v) { return T(0.5) * v * (T(1) + verf(v * T(kSqrt1_2))); });
      case Act::GeluTanh:
        return unary_loop<T, T>(
            g, x, out, [](T v) { return T(0.5) * v * (T(1) + vtanh(T(kGeluBeta) * (v + T(kGeluKappa) * v * v * v))); });
      case Act::Silu: return unary_loop<T, T>(g, x, out, [](T v) { return v * sigm(v); });
      case Act::Mish: return unary_loop<T, T>(g, x, out, [](T v) { return v * vtanh(softplus1(v)); });
      case Act::Softplus:
        // x past the threshold, as PyTorch (which saves the exp there from overflowing)
        return unary_loop<T, T>(g, x, out, [a, b](T v) { return v * a > b ? v : softplus1(v * a) / a; });
      case Act::Softsign: return unary_loop<T, T>(g, x, out, [](T v) { return v / (T(1) + std::abs(v)); });
      case Act::Hardtanh: return unary_loop<T, T>(g, x, out, [a, b](T v) { return v < a ? a : v > b ? b : v; });
      case Act::Hardsigmoid:
        return unary_loop<T, T>(g, x, out, [](T v) {
          return v <= T(-3) ? T(0) : v >= T(3) ? T(1) : (v + T(3)) / T(6);
        });
      case Act::Hardswish:
        return unary_loop<T, T>(g, x, out, [](T v) {
          return v <= T(-3) ? T(0) : v >= T(3) ? v : v * (v + T(3)) / T(6);
        });
      case Act::Selu:
        return unary_loop<T, T>(g, x, out,
                                [](T v) { return T(kSeluScale) * (v > T(0) ? v : T(kSeluAlpha) * vexpm1(v)); });
      case Act::Celu: return unary_loop<T, T>(g, x, out, [a](T v) { return v > T(0) ? v : a * vexpm1(v / a); });
      case Act::LogSigmoid: return unary_loop<T, T>(g, x, out, [](T v) { return -softplus1(-v); });
      case Act::Threshold: return unary_loop<T, T>(g, x, out, [a, b](T v) { return v <= a ? b : v; });
    }
  });
}

// dx = dout * f'(saved), f' written in the input except for sigmoid and tanh (their output).
void activation_backward(Act act, const LoopGeom<3>& geo, const void* dout, const void* saved, void* dx, ActParams p) {
  RB_DISPATCH_FLOATING(geo.dtype[2], "activation_backward", [&] {
    using T = scalar_t;
    const T a = static_cast<T>(p.a), b = static_cast<T>(p.b);
    switch (act) {
      case Act::Sigmoid: return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T y) { return g * y * (T(1) - y); });
      case Act::Tanh: return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T y) { return g * (T(1) - y * y); });
      case Act::Relu: return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T x) { return x > T(0) ? g : T(0); });
      case Act::LeakyRelu:
        return binary_loop<T, T>(geo, dout, saved, dx, [a](T g, T x) { return x > T(0) ? g : g * a; });
      case Act::Elu:
        return binary_loop<T, T>(geo, dout, saved, dx, [a](T g, T x) { return x > T(0) ? g : g * a * vexp(x); });
      case Act::Step: return binary_loop<T, T>(geo, dout, saved, dx, [](T, T) { return T(0); });
      case Act::Gelu:  // Phi(x) + x phi(x); erf's exp(-(x/sqrt2)^2) is phi's exp(-x^2/2)
        return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T x) {
          T gauss;
          const T cdf = T(0.5) * (T(1) + verf(x * T(kSqrt1_2), gauss));
          return g * (cdf + x * T(kInvSqrt2Pi) * gauss);
        });
      case Act::GeluTanh:  // 0.5 (1 + t) + 0.5 x (1 - t^2) u', t = tanh(u), u = beta (x + kappa x^3)
        return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T x) {
          const T t = vtanh(T(kGeluBeta) * (x + T(kGeluKappa) * x * x * x));
          const T du = T(kGeluBeta) * (T(1) + T(3 * kGeluKappa) * x * x);
          return g * (T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * du);
        });
      case Act::Silu:  // s (1 + x (1 - s))
        return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T x) {
          const T s = sigm(x);
          return g * s * (T(1) + x * (T(1) - s));
        });
      case Act::Mish:  // tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2)
        return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T x) {
          const T t = vtanh(softplus1(x));
          return g * (t + x * sigm(x) * (T(1) - t * t));
        });
      case Act::Softplus:
        return binary_loop<T, T>(geo, dout, saved, dx, [a, b](T g, T x) { return x * a > b ? g : g * sigm(x * a); });
      case Act::Softsign:
        return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T x) {
          const T d = T(1) + std::abs(x);
          return g / (d * d);
        });
      case Act::Hardtanh:
        return binary_loop<T, T>(geo, dout, saved, dx, [a, b](T g, T x) { return x <= a || x >= b ? T(0) : g; });
      case Act::Hardsigmoid:
        return binary_loop<T, T>(geo, dout, saved, dx,
                                 [](T g, T x) { return x > T(-3) && x < T(3) ? g / T(6) : T(0); });
      case Act::Hardswish:
        return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T x) {
          return x < T(-3) ? T(0) : x <= T(3) ? g * (x / T(3) + T(0.5)) : g;
        });
      case Act::Selu:
        return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T x) {
          return g * T(kSeluScale) * (x > T(0) ? T(1) : T(kSeluAlpha) * vexp(x));
        });
      case Act::Celu:
        return binary_loop<T, T>(geo, dout, saved, dx, [a](T g, T x) { return x > T(0) ? g : g * vexp(x / a); });
      case Act::LogSigmoid: return binary_loop<T, T>(geo, dout, saved, dx, [](T g, T x) { return g * sigm(-x); });
      case Act::Threshold: return binary_loop<T, T>(geo, dout, saved, dx, [a](T g, T x) { return x <= a ? T(0) : g; });
    }
  });
}

// x, out: (outer, C, inner). Rows (inner == 1) are contiguous; otherwise the class dim is strided
// by inner and a row of `inner` running maxima/sums keeps the inner loop contiguous.
void softmax_forward(DType dtype, const void* x, int64_t outer, int64_t C, int64_t inner, bool log, void* out) {
  RB_DISPATCH_FLOATING(dtype, "softmax", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* po = static_cast<T*>(out);
    if (C == 0) return;
    if (inner == 1) {
      parallel_for(outer, std::max<int64_t>(1, kGrain / C), [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
          const T* xr = px + r * C;
          T* orow = po + r * C;
          const T m = row_max(xr, C);
          if (log) {
            double s = row_sum_exp(xr, C, m);
            // (x - max) - log(sum) keeps the precision that x - (max + log(sum)) loses at large x.
            T ls = static_cast<T>(std::log(s));
            for (int64_t c = 0; c < C; ++c) orow[c] = (xr[c] - m) - ls;
          } else {
            for (int64_t c = 0; c < C; ++c) orow[c] = vexp(xr[c] - m);
            T inv = static_cast<T>(1.0 / row_sum(orow, C));
            for (int64_t c = 0; c < C; ++c) orow[c] *= inv;
          }
        }
      });
      return;
    }
    parallel_for(outer, std::max<int64_t>(1, kGrain / (C * inner)), [&](int64_t b, int64_t e) {
      std::vector<T> m(inner);
      std::vector<double> s(inner);
      for (int64_t o = b; o < e; ++o) {
        const T* xo = px + o * C * inner;
        T* oo = po + o * C * inner;
        for (int64_t k = 0; k < inner; ++k) m[k] = xo[k], s[k] = 0;
        for (int64_t c = 1; c < C; ++c)
          for (int64_t k = 0; k < inner; ++k) {
            T v = xo[c * inner + k];
            m[k] = v > m[k] || v != v ? v : m[k];
          }
        for (int64_t c = 0; c < C; ++c)
          for (int64_t k = 0; k < inner; ++k) {
            T ev = vexp(xo[c * inner + k] - m[k]);
            if (!log) oo[c * inner + k] = ev;
            s[k] += ev;
          }
        if (log) {
          for (int64_t k = 0; k < inner; ++k) s[k] = std::log(s[k]);
          for (int64_t c = 0; c < C; ++c)
            for (int64_t k = 0; k < inner; ++k) oo[c * inner + k] = (xo[c * inner + k] - m[k]) - static_cast<T>(s[k]);
        } else {
          for (int64_t k = 0; k < inner; ++k) s[k] = 1.0 / s[k];
          for (int64_t c = 0; c < C; ++c)
            for (int64_t k = 0; k < inner; ++k) oo[c * inner + k] *= static_cast<T>(s[k]);
        }
      }
    });
  });
}

// softmax: dx = y * (dy - sum(dy * y)); log_softmax: dx = dy - exp(y) * sum(dy).
void softmax_backward(DType dtype, const void* dout, const void* out, int64_t outer, int64_t C, int64_t inner, bool log,
                      void* dx) {
  RB_DISPATCH_FLOATING(dtype, "softmax_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout);
    const T* py = static_cast<const T*>(out);
    T* pd = static_cast<T*>(dx);
    if (C == 0) return;
    parallel_for(outer, std::max<int64_t>(1, kGrain / (C * inner)), [&](int64_t b, int64_t e) {
      std::vector<double> s(inner);
      for (int64_t o = b; o < e; ++o) {
        const int64_t base = o * C * inner;
        const T *g = pg + base, *y = py + base;
        T* d = pd + base;
        for (int64_t k = 0; k < inner; ++k) s[k] = 0;
        for (int64_t c = 0; c < C; ++c)
          for (int64_t k = 0; k < inner; ++k) s[k] += log ? g[c * inner + k] : g[c * inner + k] * y[c * inner + k];
        for (int64_t c = 0; c < C; ++c)
          for (int64_t k = 0; k < inner; ++k) {
            int64_t i = c * inner + k;
            d[i] = log ? g[i] - vexp(y[i]) * static_cast<T>(s[k]) : y[i] * (g[i] - static_cast<T>(s[k]));
          }
      }
    });
  });
}

void dropout_forward(DType dtype, int64_t n, const void* x, double p, Generator& gen, void* mask, void* out) {
  RB_DISPATCH_FLOATING(dtype, "dropout", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* pm = static_cast<T*>(mask);
    T* po = static_cast<T*>(out);
    const T scale = static_cast<T>(1.0 / (1.0 - p));
    // Keep when a 32-bit uniform falls below (1-p) * 2^32; each 64-bit draw serves two elements.
    const uint64_t thresh = static_cast<uint64_t>((1.0 - p) * 4294967296.0);
    std::lock_guard<std::mutex> lock(gen.mutex());
    int64_t i = 0;
    for (; i + 1 < n; i += 2) {
      uint64_t r = gen.next_u64();
      pm[i] = (r & 0xffffffffu) < thresh ? scale : T(0);
      pm[i + 1] = (r >> 32) < thresh ? scale : T(0);
    }
    if (i < n) pm[i] = (gen.next_u64() & 0xffffffffu) < thresh ? scale : T(0);
    parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
      for (int64_t j = b; j < e; ++j) po[j] = px[j] * pm[j];
    });
  });
}

void dropout_backward(const LoopGeom<3>& geo, const void* dout, const void* mask, void* dx) {
  RB_DISPATCH_FLOATING(geo.dtype[2], "dropout_backward", [&] {
    using T = scalar_t;
    binary_loop<T, T>(geo, dout, mask, dx, [](T g, T m) { return g * m; });
  });
}

extern const ActivationKernels activation_kernels = {&activation_forward, &activation_backward, &softmax_forward,
                                                     &softmax_backward,   &dropout_forward,     &dropout_backward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ActivationKernels, activation_kernels)
