// CPU activation kernels: fused elementwise forward/backward passes, softmax along one dim viewed
// as (outer, C, inner), and dropout (mask drawn and applied in the same pass).
#pragma once
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "capability.h"
#include "rosenblatt/generator.h"
#include "rosenblatt/tensor.h"
#include "vmath.h"

RB_CPU_NAMESPACE_BEGIN

// Row reductions in kLanes independent lanes, a shape the compiler vectorizes without fast-math.
// A NaN in the row need not survive row_max: it reaches every output through the exps anyway.
constexpr int kLanes = 16;
template <class T>
inline T row_max(const T* p, int64_t n) {
  T m = n ? p[0] : T(0);
  int64_t i = 0;
  if (n >= kLanes) {
    T acc[kLanes];
    for (int j = 0; j < kLanes; ++j) acc[j] = p[j];
    for (i = kLanes; i + kLanes <= n; i += kLanes)
      for (int j = 0; j < kLanes; ++j) acc[j] = p[i + j] > acc[j] ? p[i + j] : acc[j];
    for (int j = 0; j < kLanes; ++j) m = acc[j] > m ? acc[j] : m;
  }
  for (; i < n; ++i) m = p[i] > m ? p[i] : m;
  return m;
}
// sum_i exp(p[i] - m), lanes in T, the total in double.
template <class T>
inline double row_sum_exp(const T* p, int64_t n, T m) {
  T acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) acc[j] += vexp(p[i + j] - m);
  double s = 0;
  for (int j = 0; j < kLanes; ++j) s += acc[j];
  for (; i < n; ++i) s += vexp(p[i] - m);
  return s;
}

RB_CPU_NAMESPACE_END

namespace rb::cpu {

enum class Act : uint8_t { Sigmoid, Tanh, Relu, LeakyRelu, Elu, Step };

// The family's kernels for one CPU capability: kernels/cpu/activation.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
struct ActivationKernels {
  void (*activation_forward)(Act act, const Tensor& x, Tensor& out, double param);
  void (*activation_backward)(Act act, const Tensor& dout, const Tensor& saved, Tensor& dx, double param);
  void (*softmax_forward)(const Tensor& x, int64_t outer, int64_t C, int64_t inner, bool log, Tensor& out);
  void (*softmax_backward)(const Tensor& dout, const Tensor& out, int64_t outer, int64_t C, int64_t inner, bool log,
                           Tensor& dx);
  void (*dropout_forward)(const Tensor& x, double p, Generator& gen, Tensor& mask, Tensor& out);
  void (*dropout_backward)(const Tensor& dout, const Tensor& mask, Tensor& dx);
};
template <>
const ActivationKernels& kernels<ActivationKernels>();

// x, out: same shape and dtype, any strides (out may be x itself); param: slope (leaky) or alpha (elu).
inline void activation_forward(Act act, const Tensor& x, Tensor& out, double param) {
  kernels<ActivationKernels>().activation_forward(act, x, out, param);
}
// dout, saved, dx: same shape and dtype; saved is the output for sigmoid/tanh and the input otherwise.
inline void activation_backward(Act act, const Tensor& dout, const Tensor& saved, Tensor& dx, double param) {
  kernels<ActivationKernels>().activation_backward(act, dout, saved, dx, param);
}

// x, out: contiguous (outer, C, inner), float dtype; log selects log_softmax.
inline void softmax_forward(const Tensor& x, int64_t outer, int64_t C, int64_t inner, bool log, Tensor& out) {
  kernels<ActivationKernels>().softmax_forward(x, outer, C, inner, log, out);
}
// dout, out, dx: contiguous (outer, C, inner); out is the forward's output.
inline void softmax_backward(const Tensor& dout, const Tensor& out, int64_t outer, int64_t C, int64_t inner, bool log,
                             Tensor& dx) {
  kernels<ActivationKernels>().softmax_backward(dout, out, outer, C, inner, log, dx);
}

// x, mask, out: contiguous, same shape and float dtype. Keeps each element with probability 1-p
// (0 < p < 1): mask holds 0 or 1/(1-p) and out = x * mask. Draws sequentially from gen.
inline void dropout_forward(const Tensor& x, double p, Generator& gen, Tensor& mask, Tensor& out) {
  kernels<ActivationKernels>().dropout_forward(x, p, gen, mask, out);
}
// dout (any strides), mask, dx: same shape; dx = dout * mask.
inline void dropout_backward(const Tensor& dout, const Tensor& mask, Tensor& dx) {
  kernels<ActivationKernels>().dropout_backward(dout, mask, dx);
}

}  // namespace rb::cpu
