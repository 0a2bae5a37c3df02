// CPU activation kernels: one strided loop per activation and dtype (contiguous rows compile to
// vector code), softmax with a max-shifted exp in double accumulators, dropout with its mask.
#include "activation.h"

#include <cmath>
#include <mutex>
#include <vector>

#include "elementwise_loops.h"

RB_CPU_NAMESPACE_BEGIN
namespace {

template <class T>
double row_sum(const T* p, int64_t n) {
  T acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) acc[j] += p[i + j];
  double s = 0;
  for (int j = 0; j < kLanes; ++j) s += acc[j];
  for (; i < n; ++i) s += p[i];
  return s;
}

}  // namespace

void activation_forward(Act act, const Tensor& x, Tensor& out, double param) {
  if (act == Act::Relu && x.dtype() == DType::Int64) {
    return unary_loop<int64_t, int64_t>(x, out, [](int64_t v) { return v > 0 ? v : int64_t(0); });
  }
  RB_DISPATCH_FLOATING(x.dtype(), "activation", [&] {
    using T = scalar_t;
    const T a = static_cast<T>(param);
    switch (act) {
      case Act::Sigmoid: return unary_loop<T, T>(x, out, [](T v) { return T(1) / (T(1) + vexp(-v)); });
      case Act::Tanh: return unary_loop<T, T>(x, out, [](T v) { return vtanh(v); });
      case Act::Relu: return unary_loop<T, T>(x, out, [](T v) { return v > T(0) ? v : (v != v ? v : T(0)); });
      case Act::LeakyRelu: return unary_loop<T, T>(x, out, [a](T v) { return v > T(0) ? v : v * a; });
      case Act::Elu: return unary_loop<T, T>(x, out, [a](T v) { return v > T(0) ? v : a * vexpm1(v); });
      case Act::Step: return unary_loop<T, T>(x, out, [](T v) { return v >= T(0) ? T(1) : T(0); });
    }
  });
}

void activation_backward(Act act, const Tensor& dout, const Tensor& saved, Tensor& dx, double param) {
  RB_DISPATCH_FLOATING(saved.dtype(), "activation_backward", [&] {
    using T = scalar_t;
    const T a = static_cast<T>(param);
    switch (act) {
      case Act::Sigmoid: return binary_loop<T, T>(dout, saved, dx, [](T g, T y) { return g * y * (T(1) - y); });
      case Act::Tanh: return binary_loop<T, T>(dout, saved, dx, [](T g, T y) { return g * (T(1) - y * y); });
      case Act::Relu: return binary_loop<T, T>(dout, saved, dx, [](T g, T x) { return x > T(0) ? g : T(0); });
      case Act::LeakyRelu: return binary_loop<T, T>(dout, saved, dx, [a](T g, T x) { return x > T(0) ? g : g * a; });
      case Act::Elu:
        return binary_loop<T, T>(dout, saved, dx, [a](T g, T x) { return x > T(0) ? g : g * a * vexp(x); });
      case Act::Step: return binary_loop<T, T>(dout, saved, dx, [](T, T) { return T(0); });
    }
  });
}

// x, out: (outer, C, inner). Rows (inner == 1) are contiguous; otherwise the class dim is strided
// by inner and a row of `inner` running maxima/sums keeps the inner loop contiguous.
void softmax_forward(const Tensor& x, int64_t outer, int64_t C, int64_t inner, bool log, Tensor& out) {
  RB_DISPATCH_FLOATING(x.dtype(), "softmax", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* po = static_cast<T*>(out.raw_data());
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
void softmax_backward(const Tensor& dout, const Tensor& out, int64_t outer, int64_t C, int64_t inner, bool log,
                      Tensor& dx) {
  RB_DISPATCH_FLOATING(out.dtype(), "softmax_backward", [&] {
    using T = scalar_t;
    const T* pg = static_cast<const T*>(dout.raw_data());
    const T* py = static_cast<const T*>(out.raw_data());
    T* pd = static_cast<T*>(dx.raw_data());
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

void dropout_forward(const Tensor& x, double p, Generator& gen, Tensor& mask, Tensor& out) {
  RB_DISPATCH_FLOATING(x.dtype(), "dropout", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x.raw_data());
    T* pm = static_cast<T*>(mask.raw_data());
    T* po = static_cast<T*>(out.raw_data());
    const int64_t n = x.numel();
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

void dropout_backward(const Tensor& dout, const Tensor& mask, Tensor& dx) {
  RB_DISPATCH_FLOATING(mask.dtype(), "dropout_backward", [&] {
    using T = scalar_t;
    binary_loop<T, T>(dout, mask, dx, [](T g, T m) { return g * m; });
  });
}

extern const ActivationKernels activation_kernels = {&activation_forward, &activation_backward, &softmax_forward,
                                                     &softmax_backward,   &dropout_forward,     &dropout_backward};

RB_CPU_NAMESPACE_END

RB_CPU_DISPATCH(ActivationKernels, activation_kernels)
