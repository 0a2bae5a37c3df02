// CPU kernels of the perceptron rule. The net input accumulates in the weight dtype, in order, so
// a float64 fit reproduces the textbook arithmetic exactly.
#include "perceptron.h"

namespace rb::cpu {
namespace {
template <class T>
inline T net(const T* x, const T* w, T b, int64_t F) {
  T s = b;
  for (int64_t j = 0; j < F; ++j) s += w[j] * x[j];
  return s;
}
}  // namespace

// X: (N, F), y: (N), w: (F), b: () -> the epoch's mistakes; w and b updated in place.
int64_t perceptron_epoch(const PerceptronGeom& g, const void* X, const double* y, void* w, void* b, double lr,
                         double lo, double hi) {
  return RB_DISPATCH_FLOATING(g.dtype, "perceptron_fit", [&]() -> int64_t {
    using T = scalar_t;
    const int64_t N = g.N, F = g.F;
    const T* px = static_cast<const T*>(X);
    T* pw = static_cast<T*>(w);
    T* pb = static_cast<T*>(b);
    int64_t mistakes = 0;
    for (int64_t i = 0; i < N; ++i) {
      const T* xi = px + i * F;
      double pred = net(xi, pw, *pb, F) >= T(0) ? hi : lo;
      if (pred == y[i]) continue;
      ++mistakes;
      T delta = static_cast<T>(lr * (y[i] - pred));
      for (int64_t j = 0; j < F; ++j) pw[j] += delta * xi[j];
      *pb += delta;
    }
    return mistakes;
  });
}

// X: (N, F), w: (F), b: () -> out: (N) int64.
void perceptron_predict(const PerceptronGeom& g, const void* X, const void* w, const void* b, double lo, double hi,
                        int64_t* out) {
  RB_DISPATCH_FLOATING(g.dtype, "perceptron_predict", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(X);
    const T* pw = static_cast<const T*>(w);
    const T bias = *static_cast<const T*>(b);
    for (int64_t i = 0; i < g.N; ++i) out[i] = static_cast<int64_t>(net(px + i * g.F, pw, bias, g.F) >= T(0) ? hi : lo);
  });
}

// x: (F), w: (F), b: (); w += delta * x, b += delta.
void perceptron_update(const PerceptronGeom& g, const void* x, void* w, void* b, double delta) {
  RB_DISPATCH_FLOATING(g.dtype, "perceptron_update", [&] {
    using T = scalar_t;
    const T* px = static_cast<const T*>(x);
    T* pw = static_cast<T*>(w);
    const T d = static_cast<T>(delta);
    for (int64_t j = 0; j < g.F; ++j) pw[j] += d * px[j];
    *static_cast<T*>(b) += d;
  });
}

template <>
const PerceptronKernels& kernels<PerceptronKernels>() {
  static const PerceptronKernels table = {&perceptron_epoch, &perceptron_predict, &perceptron_update};
  return table;
}

}  // namespace rb::cpu
