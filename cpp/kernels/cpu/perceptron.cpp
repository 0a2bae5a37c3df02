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

int64_t perceptron_epoch(const Tensor& X, const Tensor& y, Tensor& w, Tensor& b, double lr, double lo, double hi) {
  return RB_DISPATCH_FLOATING(w.dtype(), "perceptron_fit", [&]() -> int64_t {
    using T = scalar_t;
    const int64_t N = X.size(0), F = X.size(1);
    const T* px = static_cast<const T*>(X.raw_data());
    const double* py = static_cast<const double*>(y.raw_data());
    T* pw = static_cast<T*>(w.raw_data());
    T* pb = static_cast<T*>(b.raw_data());
    int64_t mistakes = 0;
    for (int64_t i = 0; i < N; ++i) {
      const T* xi = px + i * F;
      double pred = net(xi, pw, *pb, F) >= T(0) ? hi : lo;
      if (pred == py[i]) continue;
      ++mistakes;
      T delta = static_cast<T>(lr * (py[i] - pred));
      for (int64_t j = 0; j < F; ++j) pw[j] += delta * xi[j];
      *pb += delta;
    }
    return mistakes;
  });
}

void perceptron_predict(const Tensor& X, const Tensor& w, const Tensor& b, double lo, double hi, Tensor& out) {
  RB_DISPATCH_FLOATING(w.dtype(), "perceptron_predict", [&] {
    using T = scalar_t;
    const int64_t N = X.size(0), F = X.size(1);
    const T* px = static_cast<const T*>(X.raw_data());
    const T* pw = static_cast<const T*>(w.raw_data());
    const T bias = *static_cast<const T*>(b.raw_data());
    int64_t* po = static_cast<int64_t*>(out.raw_data());
    for (int64_t i = 0; i < N; ++i) po[i] = static_cast<int64_t>(net(px + i * F, pw, bias, F) >= T(0) ? hi : lo);
  });
}

void perceptron_update(const Tensor& x, Tensor& w, Tensor& b, double delta) {
  RB_DISPATCH_FLOATING(w.dtype(), "perceptron_update", [&] {
    using T = scalar_t;
    const int64_t F = w.numel();
    const T* px = static_cast<const T*>(x.raw_data());
    T* pw = static_cast<T*>(w.raw_data());
    const T d = static_cast<T>(delta);
    for (int64_t j = 0; j < F; ++j) pw[j] += d * px[j];
    *static_cast<T*>(b.raw_data()) += d;
  });
}

template <>
const PerceptronKernels& kernels<PerceptronKernels>() {
  static const PerceptronKernels table = {&perceptron_epoch, &perceptron_predict, &perceptron_update};
  return table;
}

}  // namespace rb::cpu
