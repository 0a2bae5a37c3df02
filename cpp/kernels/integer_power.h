// Integer power by squaring, shared by the CPU and CUDA elementwise kernels so both give the same
// integers; floating types go to pow. A negative exponent gives ATen's powi answers: 1 for base 1,
// +-1 for base -1, 0 otherwise (the op refuses a negative exponent given as a number, as ATen).
#pragma once
#include <cmath>
#include <type_traits>

#ifdef __CUDACC__
#define RB_HOST_DEVICE __host__ __device__
#else
#define RB_HOST_DEVICE
#endif

namespace rb {

// Not a template per op: the dispatch lambdas compile every branch for every dtype, so this one
// function squares for integers and calls pow for floats.
template <class T>
RB_HOST_DEVICE inline T ipow(T base, T e) {
  if constexpr (!std::is_integral_v<T>) {
    return std::pow(base, e);
  } else if constexpr (std::is_same_v<T, bool>) {
    return !e || base;
  } else {
    if constexpr (std::is_signed_v<T>) {
      if (e < 0) {
        if (base == 1) return 1;
        if (base == -1) return (e % 2) ? T(-1) : T(1);
        return 0;
      }
    }
    T r = 1;
    while (e > 0) {
      if (e & 1) r *= base;
      base *= base;
      e >>= 1;
    }
    return r;
  }
}

}  // namespace rb
