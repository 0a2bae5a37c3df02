// Element types a tensor holds, PyTorch's promotion order between them, and the dispatch macros
// that turn a runtime dtype into the C++ type `scalar_t` inside a lambda.
#pragma once
#include <cstddef>
#include <cstdint>

#include "rosenblatt/error.h"
#include "rosenblatt/half.h"

namespace rb {

// The first four are the compute dtypes, which have kernels. The others are storage dtypes: they
// are converted, copied, indexed and viewed directly, and their math runs in compute_type() and is
// rounded back, as PyTorch's CPU kernels compute float16 in float32. The values are stable (files,
// the C++ tests) and are not the promotion order: promote() is.
enum class DType : uint8_t {
  Bool = 0,
  Int64 = 1,
  Float32 = 2,
  Float64 = 3,
  UInt8 = 4,
  Int8 = 5,
  Int16 = 6,
  Int32 = 7,
  Float16 = 8,
  BFloat16 = 9
};
constexpr int kNumDTypes = 10;

inline size_t itemsize(DType t) {
  switch (t) {
    case DType::Bool:
    case DType::UInt8:
    case DType::Int8: return 1;
    case DType::Int16:
    case DType::Float16:
    case DType::BFloat16: return 2;
    case DType::Int32:
    case DType::Float32: return 4;
    case DType::Int64:
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
    case DType::UInt8: return "uint8";
    case DType::Int8: return "int8";
    case DType::Int16: return "int16";
    case DType::Int32: return "int32";
    case DType::Float16: return "float16";
    case DType::BFloat16: return "bfloat16";
  }
  return "?";
}
inline bool is_floating(DType t) {
  return t == DType::Float32 || t == DType::Float64 || t == DType::Float16 || t == DType::BFloat16;
}
inline bool is_compute_dtype(DType t) { return t <= DType::Float64; }
// The dtype a storage dtype's math runs in.
inline DType compute_type(DType t) {
  if (is_compute_dtype(t)) return t;
  return is_floating(t) ? DType::Float32 : DType::Int64;
}
// bool < integers < floating point; within a kind, PyTorch's table (promoteTypes).
inline int dtype_category(DType t) { return t == DType::Bool ? 0 : is_floating(t) ? 2 : 1; }
inline DType promote(DType a, DType b) {
  if (a == b) return a;
  int ca = dtype_category(a), cb = dtype_category(b);
  if (ca != cb) return ca > cb ? a : b;
  if (ca == 2) {  // float16 with bfloat16 needs float32; otherwise the wider one
    if (itemsize(a) == 2 && itemsize(b) == 2) return DType::Float32;
    return itemsize(a) >= itemsize(b) ? a : b;
  }
  // integers: uint8 with a signed type needs a signed type holding 0..255
  if (a == DType::UInt8 || b == DType::UInt8) {
    DType s = a == DType::UInt8 ? b : a;
    return s == DType::Int8 ? DType::Int16 : s;
  }
  return itemsize(a) >= itemsize(b) ? a : b;
}
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
template <>
struct dtype_of<uint8_t> {
  static constexpr DType value = DType::UInt8;
};
template <>
struct dtype_of<int8_t> {
  static constexpr DType value = DType::Int8;
};
template <>
struct dtype_of<int16_t> {
  static constexpr DType value = DType::Int16;
};
template <>
struct dtype_of<int32_t> {
  static constexpr DType value = DType::Int32;
};
template <>
struct dtype_of<Half> {
  static constexpr DType value = DType::Float16;
};
template <>
struct dtype_of<BFloat16> {
  static constexpr DType value = DType::BFloat16;
};

}  // namespace rb

#define RB_DTYPE_CASE(enumval, T, ...) \
  case ::rb::DType::enumval: {         \
    using scalar_t = T;                \
    return __VA_ARGS__();              \
  }

// RB_DISPATCH_FLOATING(dtype, "opname", [&] { ... scalar_t ... })
#define RB_DISPATCH_FLOATING(dt, name, ...)                                                            \
  [&] {                                                                                                \
    switch (dt) {                                                                                      \
      RB_DTYPE_CASE(Float32, float, __VA_ARGS__)                                                       \
      RB_DTYPE_CASE(Float64, double, __VA_ARGS__)                                                      \
      default: throw ::rb::TypeError(::rb::str(name, ": not implemented for ", ::rb::dtype_name(dt))); \
    }                                                                                                  \
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

// The compute dtypes: every kernel with arithmetic.
#define RB_DISPATCH_ALL(dt, name, ...)                                                                 \
  [&] {                                                                                                \
    switch (dt) {                                                                                      \
      RB_DTYPE_CASE(Float32, float, __VA_ARGS__)                                                       \
      RB_DTYPE_CASE(Float64, double, __VA_ARGS__)                                                      \
      RB_DTYPE_CASE(Int64, int64_t, __VA_ARGS__)                                                       \
      RB_DTYPE_CASE(Bool, bool, __VA_ARGS__)                                                           \
      default: throw ::rb::TypeError(::rb::str(name, ": not implemented for ", ::rb::dtype_name(dt))); \
    }                                                                                                  \
  }()

// Every dtype: the kernels that only move or convert elements (copy, fill, gather, scatter).
#define RB_DISPATCH_STORAGE(dt, name, ...)                     \
  [&] {                                                        \
    switch (dt) {                                              \
      RB_DTYPE_CASE(Float32, float, __VA_ARGS__)               \
      RB_DTYPE_CASE(Float64, double, __VA_ARGS__)              \
      RB_DTYPE_CASE(Int64, int64_t, __VA_ARGS__)               \
      RB_DTYPE_CASE(Bool, bool, __VA_ARGS__)                   \
      RB_DTYPE_CASE(UInt8, uint8_t, __VA_ARGS__)               \
      RB_DTYPE_CASE(Int8, int8_t, __VA_ARGS__)                 \
      RB_DTYPE_CASE(Int16, int16_t, __VA_ARGS__)               \
      RB_DTYPE_CASE(Int32, int32_t, __VA_ARGS__)               \
      RB_DTYPE_CASE(Float16, ::rb::Half, __VA_ARGS__)          \
      RB_DTYPE_CASE(BFloat16, ::rb::BFloat16, __VA_ARGS__)     \
    }                                                          \
    throw ::rb::TypeError(::rb::str(name, ": unknown dtype")); \
  }()

// Kernels that only move elements (gather, index copies, flips): the compute dtypes as themselves,
// the storage dtypes as raw bits of their width, so the body must do no arithmetic on those.
#define RB_DISPATCH_MOVABLE(dt, name, ...)                               \
  [&] {                                                                  \
    switch (dt) {                                                        \
      RB_DTYPE_CASE(Float32, float, __VA_ARGS__)                         \
      RB_DTYPE_CASE(Float64, double, __VA_ARGS__)                        \
      RB_DTYPE_CASE(Int64, int64_t, __VA_ARGS__)                         \
      RB_DTYPE_CASE(Bool, bool, __VA_ARGS__)                             \
      case ::rb::DType::UInt8: RB_DTYPE_CASE(Int8, uint8_t, __VA_ARGS__) \
      case ::rb::DType::Float16:                                         \
      case ::rb::DType::BFloat16:                                        \
        RB_DTYPE_CASE(Int16, uint16_t, __VA_ARGS__)                      \
        RB_DTYPE_CASE(Int32, uint32_t, __VA_ARGS__)                      \
    }                                                                    \
    throw ::rb::TypeError(::rb::str(name, ": unknown dtype"));           \
  }()
