// CPU random fills: uniform, normal (polar method on pairs), Bernoulli, integers, permutations,
// multinomial draws.
// All run on one thread on purpose: the stream of a Generator is sequential.
#include "random.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace rb::cpu {
namespace {

// Calls f(T* data, int64_t n) with the buffer's element type.
template <class F>
void with_buffer(const RandomGeom& g, void* out, const char* name, const F& f) {
  RB_DISPATCH_ALL(g.dtype, name, [&] { f(static_cast<scalar_t*>(out), g.n); });
}

// The draw of one float32/float64 uniform in [0, 1): float32 buffers get float-precision draws so
// that a value never rounds up to `to`.
template <class T>
double unit(Generator& g) {
  if constexpr (std::is_same_v<T, float>)
    return g.uniform_float();
  else
    return g.uniform_double();
}

}  // namespace

// out: (n).
void uniform_fill(const RandomGeom& geo, void* out, double from, double to, Generator& g) {
  with_buffer(geo, out, "uniform_", [&](auto* p, int64_t n) {
    using T = std::remove_pointer_t<decltype(p)>;
    const double w = to - from;
    for (int64_t i = 0; i < n; ++i) {
      double v = from + w * unit<T>(g);
      if constexpr (std::is_same_v<T, float>) {
        float f = static_cast<float>(v);
        p[i] = f < static_cast<float>(to) || from == to ? f : std::nextafter(static_cast<float>(to), -INFINITY);
      } else {
        p[i] = static_cast<T>(v);
      }
    }
  });
}

// out: (n).
void normal_fill(const RandomGeom& geo, void* out, double mean, double std, Generator& g) {
  with_buffer(geo, out, "normal_", [&](auto* p, int64_t n) {
    using T = std::remove_pointer_t<decltype(p)>;
    int64_t i = 0;
    for (; i + 1 < n; i += 2) {
      // Marsaglia's polar method: two normals from a point drawn uniformly in the unit disc; no
      // sin/cos, and the rejection (21% of draws) costs less than them.
      double x, y, r2;
      do {
        x = 2.0 * g.uniform_double() - 1.0;
        y = 2.0 * g.uniform_double() - 1.0;
        r2 = x * x + y * y;
      } while (r2 >= 1.0 || r2 == 0.0);
      const double f = std * std::sqrt(-2.0 * std::log(r2) / r2);
      p[i] = static_cast<T>(mean + f * x);
      p[i + 1] = static_cast<T>(mean + f * y);
    }
    if (i < n) p[i] = static_cast<T>(mean + std * g.normal());
  });
}

// out: (n).
void bernoulli_fill(const RandomGeom& geo, void* out, double prob, Generator& g) {
  with_buffer(geo, out, "bernoulli_", [&](auto* p, int64_t n) {
    using T = std::remove_pointer_t<decltype(p)>;
    for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(g.uniform_double() < prob);
  });
}

// out: (n).
void randint_fill(const RandomGeom& geo, void* out, int64_t from, uint64_t range, Generator& g) {
  with_buffer(geo, out, "random_", [&](auto* p, int64_t n) {
    using T = std::remove_pointer_t<decltype(p)>;
    // Rejection sampling removes the modulo bias for ranges that do not divide 2^64.
    const uint64_t limit = range == 0 ? 0 : UINT64_MAX - UINT64_MAX % range;
    for (int64_t i = 0; i < n; ++i) {
      uint64_t r = g.next_u64();
      if (range != 0) {
        while (r >= limit) r = g.next_u64();
        r %= range;
      }
      p[i] = static_cast<T>(static_cast<int64_t>(static_cast<uint64_t>(from) + r));
    }
  });
}

// out: (n).
void exponential_fill(const RandomGeom& geo, void* out, double lambd, Generator& g) {
  with_buffer(geo, out, "exponential_", [&](auto* p, int64_t n) {
    using T = std::remove_pointer_t<decltype(p)>;
    for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(-std::log1p(-g.uniform_double()) / lambd);
  });
}

// prob, out: (n).
void bernoulli_tensor_fill(const RandomGeom& geo, void* out, const void* prob, Generator& g) {
  RB_DISPATCH_FLOATING(geo.p_dtype, "bernoulli", [&] {
    using P = scalar_t;
    const P* q = static_cast<const P*>(prob);
    with_buffer(geo, out, "bernoulli", [&](auto* p, int64_t n) {
      using T = std::remove_pointer_t<decltype(p)>;
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(g.uniform_double() < static_cast<double>(q[i]));
    });
  });
}

// out: (n).
void randperm_fill(const RandomGeom& geo, void* out, Generator& g) {
  with_buffer(geo, out, "randperm", [&](auto* p, int64_t n) {
    using T = std::remove_pointer_t<decltype(p)>;
    for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(i);
    for (int64_t i = n - 1; i > 0; --i) {
      int64_t j = static_cast<int64_t>(g.next_u64() % static_cast<uint64_t>(i + 1));
      std::swap(p[i], p[j]);
    }
  });
}

// probs: (rows, C) -> out: (rows, n).
void multinomial(const RandomGeom& geo, const void* probs, bool replacement, Generator& g, int64_t* po) {
  const int64_t rows = geo.rows, C = geo.C, n = geo.n;
  RB_DISPATCH_FLOATING(geo.p_dtype, "multinomial", [&] {
    const scalar_t* pp = static_cast<const scalar_t*>(probs);
    std::vector<double> w(C);
    std::vector<int64_t> ord(C);
    for (int64_t row = 0; row < rows; ++row) {
      const scalar_t* p = pp + row * C;
      int64_t* dst = po + row * n;
      if (replacement) {
        // Inverse CDF: the first category whose running sum exceeds u * total. A zero-probability
        // category repeats its predecessor's sum, so it is never the first to exceed it; should
        // u * total round up to total, the last category with a positive probability is drawn.
        double total = 0;
        int64_t last = 0;
        for (int64_t c = 0; c < C; ++c) {
          w[c] = total += static_cast<double>(p[c]);
          if (p[c] > 0) last = c;
        }
        for (int64_t s = 0; s < n; ++s) {
          const double u = g.uniform_double() * total;
          dst[s] = std::min<int64_t>(std::upper_bound(w.begin(), w.end(), u) - w.begin(), last);
        }
        continue;
      }
      // Without replacement: the n largest p_c / E_c with E_c ~ Exp(1) are distributed as n successive
      // draws, each from the categories not drawn yet (Efraimidis and Spirakis); zero-probability
      // categories (key -1, below every positive key) come last, by position.
      for (int64_t c = 0; c < C; ++c) {
        const double e = -std::log1p(-g.uniform_double());
        w[c] = p[c] > 0 ? static_cast<double>(p[c]) / e : -1.0;
      }
      std::iota(ord.begin(), ord.end(), int64_t(0));
      std::partial_sort(ord.begin(), ord.begin() + n, ord.end(),
                        [&](int64_t a, int64_t b) { return w[a] > w[b] || (w[a] == w[b] && a < b); });
      std::copy_n(ord.begin(), n, dst);
    }
  });
}

template <>
const RandomKernels& kernels<RandomKernels>() {
  static const RandomKernels table = {&uniform_fill,     &normal_fill,           &bernoulli_fill, &randint_fill,
                                      &exponential_fill, &bernoulli_tensor_fill, &randperm_fill,  &multinomial};
  return table;
}

}  // namespace rb::cpu
