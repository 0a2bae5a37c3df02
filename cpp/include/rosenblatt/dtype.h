// Element types a tensor holds, PyTorch's promotion order between them, and the dispatch macros
// that turn a runtime dtype into the C++ type `scalar_t` inside a lambda.
#pragma once
#include <cstddef>
#include <cstdint>

#include "rosenblatt/error.h"

namespace rb {

// Ordered by promotion: bool < int64 < float32 < float64.
enum class DType : uint8_t { Bool = 0, Int64 = 1, Float32 = 2, Float64 = 3 };

inline size_t itemsize(DType t) {
  switch (t) {
    case DType::Bool: return 1;
    case DType::Int64: return 8;
    case DType::Float32: return 4;
    case DType::Float64: return 8;
  }
  return 0;
}
inline const char* dtype_name(DType t) {
  switch (t) {
    case DType::Bool: return "bool";
    case DType::Int64: return "int64";
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
  }
  return "?";
}
inline bool is_floating(DType t) { return t == DType::Float32 || t == DType::Float64; }
inline DType promote(DType a, DType b) { return a > b ? a : b; }
inline std::ostream& operator<<(std::ostream& os, DType t) { return os << dtype_name(t); }

template <class T>
struct dtype_of;
template <>
struct dtype_of<bool> {
  static constexpr DType value = DType::Bool;
};
template <>
struct dtype_of<int64_t> {
  static constexpr DType value = DType::Int64;
};
template <>
struct dtype_of<float> {
  static constexpr DType value = DType::Float32;
};
template <>
struct dtype_of<double> {
  static constexpr DType value = DType::Float64;
};

}  // namespace rb

#define RB_DTYPE_CASE(enumval, T, ...) \
  case ::rb::DType::enumval: {         \
    using scalar_t = T;                \
    return __VA_ARGS__();              \
  }

// RB_DISPATCH_FLOATING(dtype, "opname", [&] { ... scalar_t ... })
#define RB_DISPATCH_FLOATING(dt, name, ...)                                                                         \
  [&] {                                                                                                             \
    switch (dt) {                                                                                                   \
      RB_DTYPE_CASE(Float32, float, __VA_ARGS__)                                                                    \
      RB_DTYPE_CASE(Float64, double, __VA_ARGS__)                                                                   \
      default:                                                                                                      \
          throw ::rb::TypeError(::rb::str(name, ": expected a floating point tensor, got ", ::rb::dtype_name(dt))); \
    }                                                                                                               \
  }()

// Numeric types (no bool).
#define RB_DISPATCH_NUMERIC(dt, name, ...)                                                             \
  [&] {                                                                                                \
    switch (dt) {                                                                                      \
      RB_DTYPE_CASE(Float32, float, __VA_ARGS__)                                                       \
      RB_DTYPE_CASE(Float64, double, __VA_ARGS__)                                                      \
      RB_DTYPE_CASE(Int64, int64_t, __VA_ARGS__)                                                       \
      default: throw ::rb::TypeError(::rb::str(name, ": not implemented for ", ::rb::dtype_name(dt))); \
    }                                                                                                  \
  }()

#define RB_DISPATCH_ALL(dt, name, ...)                         \
  [&] {                                                        \
    switch (dt) {                                              \
      RB_DTYPE_CASE(Float32, float, __VA_ARGS__)               \
      RB_DTYPE_CASE(Float64, double, __VA_ARGS__)              \
      RB_DTYPE_CASE(Int64, int64_t, __VA_ARGS__)               \
      RB_DTYPE_CASE(Bool, bool, __VA_ARGS__)                   \
    }                                                          \
    throw ::rb::TypeError(::rb::str(name, ": unknown dtype")); \
  }()
