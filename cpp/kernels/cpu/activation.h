// CPU activation kernels: fused elementwise forward/backward passes, softmax along one dim viewed
// as (outer, C, inner), and dropout (mask drawn and applied in the same pass).
#pragma once
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "rosenblatt/generator.h"
#include "rosenblatt/tensor.h"
#include "vmath.h"

namespace rb::cpu {

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

enum class Act : uint8_t { Sigmoid, Tanh, Relu, LeakyRelu, Elu, Step };

// x, out: same shape and dtype, any strides (out may be x itself); param: slope (leaky) or alpha (elu).
void activation_forward(Act act, const Tensor& x, Tensor& out, double param);
// dout, saved, dx: same shape and dtype; saved is the output for sigmoid/tanh and the input otherwise.
void activation_backward(Act act, const Tensor& dout, const Tensor& saved, Tensor& dx, double param);

// x, out: contiguous (outer, C, inner), float dtype; log selects log_softmax.
void softmax_forward(const Tensor& x, int64_t outer, int64_t C, int64_t inner, bool log, Tensor& out);
// dout, out, dx: contiguous (outer, C, inner); out is the forward's output.
void softmax_backward(const Tensor& dout, const Tensor& out, int64_t outer, int64_t C, int64_t inner, bool log,
                      Tensor& dx);

// x, mask, out: contiguous, same shape and float dtype. Keeps each element with probability 1-p
// (0 < p < 1): mask holds 0 or 1/(1-p) and out = x * mask. Draws sequentially from gen.
void dropout_forward(const Tensor& x, double p, Generator& gen, Tensor& mask, Tensor& out);
// dout (any strides), mask, dx: same shape; dx = dout * mask.
void dropout_backward(const Tensor& dout, const Tensor& mask, Tensor& dx);

}  // namespace rb::cpu
