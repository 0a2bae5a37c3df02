// Elementwise math the compiler can vectorize without fast-math: libm's float functions are a call
// per element, which keeps every loop that uses them scalar. float gets polynomial versions within
// a few ulp of libm; double (the gradient-check dtype) keeps libm.
#pragma once
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "capability.h"

// Always inlined: an out-of-line call per element keeps the caller's loop scalar, and GCC stops
// inlining on its own once a lambda holds several of these (GELU's backward ran 10x slower).
// RB_FLATTEN on an elementwise loop's body inlines the per-element function into it for the same reason.
#if defined(__GNUC__)
#define RB_VMATH_INLINE inline __attribute__((always_inline))
#define RB_FLATTEN __attribute__((flatten))
#else
#define RB_VMATH_INLINE inline
#define RB_FLATTEN
#endif

RB_CPU_NAMESPACE_BEGIN

// exp that the compiler can vectorize (libm's expf is a call per element). float: Cephes' degree-6
// polynomial on x - n ln2 scaled by 2^n in two steps (so the denormal and overflow ends come out
// right), within 2 ulp of expf; NaN propagates. double: std::exp (the gradient-check dtype).
template <class T>
RB_VMATH_INLINE T vexp(T x) {
  if constexpr (std::is_same_v<T, double>) {
    return std::exp(x);
  } else {
    x = x < -104.0f ? -104.0f : x;
    x = x > 89.0f ? 89.0f : x;
    // Round to nearest by adding 1.5 * 2^23 (std::floor would block vectorization).
    float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    int32_t ni = static_cast<int32_t>(n), n1 = ni >> 1, n2 = ni - n1;
    int32_t b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
    return p * __builtin_bit_cast(float, b1) * __builtin_bit_cast(float, b2);
  }
}

// expm1 that the compiler can vectorize, float: Taylor to x^8 below |x| = 0.5 (truncation under
// 1e-8 relative; exp(x) - 1 would cancel there), vexp(x) - 1 beyond. double: std::expm1.
template <class T>
RB_VMATH_INLINE T vexpm1(T x) {
  if constexpr (std::is_same_v<T, double>) {
    return std::expm1(x);
  } else {
    float p = x * (1.0f / 40320) + 1.0f / 5040;
    p = p * x + 1.0f / 720;
    p = p * x + 1.0f / 120;
    p = p * x + 1.0f / 24;
    p = p * x + 1.0f / 6;
    p = p * x + 0.5f;
    p = p * x * x + x;
    return x < 0.5f && x > -0.5f ? p : vexp(x) - 1.0f;
  }
}

// tanh that the compiler can vectorize, float: Cephes' tanhf (an odd polynomial below |x| = 0.625,
// where 1 - 2/(e^2x + 1) would lose the small result to cancellation; that formula above), both
// computed and one selected so the loop has no branch; NaN propagates. double: std::tanh.
template <class T>
RB_VMATH_INLINE T vtanh(T x) {
  if constexpr (std::is_same_v<T, double>) {
    return std::tanh(x);
  } else {
    const float ax = x < 0.0f ? -x : x, s = x * x;
    const float poly =
        ((((-5.70498872745e-3f * s + 2.06390887954e-2f) * s - 5.37397155531e-2f) * s + 1.33314422036e-1f) * s -
         3.33332819422e-1f) *
            s * x +
        x;
    const float big = 1.0f - 2.0f / (vexp(2.0f * ax) + 1.0f);
    return ax > 0.625f ? (x < 0.0f ? -big : big) : x == 0.0f ? x : poly;  // x == 0: keep -0's sign
  }
}

// erf that the compiler can vectorize, float: Abramowitz & Stegun 7.1.26,
// sign(x) (1 - t (p1 + p2 t + ... + p5 t^4) e^(-x^2)) with t = 1 / (1 + p |x|), absolute error under
// 1.5e-7: the formula PyTorch's vectorized CPU erf uses, so GELU agrees with its kernel. double: std::erf.
// gauss = e^(-x^2), which the float form computes on the way (GELU's derivative needs that density
// too: one exp per element instead of two).
template <class T>
RB_VMATH_INLINE T verf(T x, T& gauss) {
  if constexpr (std::is_same_v<T, double>) {
    gauss = std::exp(-x * x);
    return std::erf(x);
  } else {
    const float a = x < 0.0f ? -x : x;
    const float t = 1.0f / (0.3275911f * a + 1.0f);
    float r = 1.061405429f * t - 1.453152027f;
    r = r * t + 1.421413741f;
    r = r * t - 0.284496736f;
    r = r * t + 0.254829592f;
    gauss = vexp(-a * a);
    const float e = 1.0f - r * t * gauss;
    return x < 0.0f ? -e : e;
  }
}
template <class T>
RB_VMATH_INLINE T verf(T x) {
  if constexpr (std::is_same_v<T, double>) {
    return std::erf(x);
  } else {
    T gauss;
    return verf(x, gauss);
  }
}

RB_CPU_NAMESPACE_END
