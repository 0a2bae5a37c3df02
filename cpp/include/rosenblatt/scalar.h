// A Python number crossing into the core: bool, int or float, kept exact until an op picks a dtype.
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

struct Scalar {
  enum class Kind : uint8_t { Bool, Int, Float } kind = Kind::Float;
  double f = 0;
  int64_t i = 0;

  Scalar() = default;
  Scalar(double v) : kind(Kind::Float), f(v), i(static_cast<int64_t>(v)) {}
  Scalar(float v) : Scalar(static_cast<double>(v)) {}
  Scalar(int64_t v) : kind(Kind::Int), f(static_cast<double>(v)), i(v) {}
  Scalar(int v) : Scalar(static_cast<int64_t>(v)) {}
  Scalar(bool v) : kind(Kind::Bool), f(v), i(v) {}

  bool is_floating() const { return kind == Kind::Float; }
  template <class T>
  T to() const {
    if constexpr (std::is_same_v<T, bool>)
      return kind == Kind::Float ? f != 0 : i != 0;
    else if constexpr (std::is_integral_v<T>)
      return kind == Kind::Float ? static_cast<T>(f) : static_cast<T>(i);
    else
      return kind == Kind::Float ? static_cast<T>(f) : static_cast<T>(i);
  }
  // The dtype a tensor made from this scalar alone would have (PyTorch: float -> default float32).
  DType dtype() const { return kind == Kind::Float ? DType::Float32 : kind == Kind::Int ? DType::Int64 : DType::Bool; }
};

}  // namespace rb
