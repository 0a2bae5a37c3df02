// CPU activation kernels: fused elementwise forward/backward passes, softmax along one dim viewed
// as (outer, C, inner), and dropout (mask drawn and applied in the same pass).
#pragma once
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "../activation.h"
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
// sum_i a[i] * b[i], lanes in T.
template <class T>
inline T row_dot(const T* a, const T* b, int64_t n) {
  T acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) acc[j] += a[i + j] * b[i + j];
  T s = 0;
  for (int j = 0; j < kLanes; ++j) s += acc[j];
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}
// sum_i p[i], lanes in T, the total in double.
template <class T>
inline double row_sum(const T* p, int64_t n) {
  T acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) acc[j] += p[i + j];
  double s = 0;
  for (int j = 0; j < kLanes; ++j) s += acc[j];
  for (; i < n; ++i) s += p[i];
  return s;
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
template <>
const ActivationKernels& kernels<ActivationKernels>();
}  // namespace rb::cpu
