// The small enums that name a variant of an op (which binary op, which rounding, which
// interpolation): shared by the public ops headers and the kernel tables, so kernels need no ops header.
#pragma once
#include <cstdint>

namespace rb {

enum class BinaryOp : uint8_t { Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge };
enum class UnaryOp : uint8_t { Neg, Exp, Log, Sqrt, Abs, Sign };
enum class LogicalOp : uint8_t { And, Or, Xor };
enum class FloatClass : uint8_t { IsNan, IsInf, IsFinite };
enum class RoundOp : uint8_t { Floor, Ceil, Round, Trunc };
// The floating-point math functions of torch (float results; integer inputs give float32).
enum class MathOp : uint8_t {
  Sin,
  Cos,
  Tan,
  Asin,
  Acos,
  Atan,
  Sinh,
  Cosh,
  Asinh,
  Acosh,
  Atanh,
  Log1p,
  Expm1,
  Log2,
  Log10,
  Exp2,
  Erf,
  Erfc,
  Erfinv,
  Rsqrt,
  Frac
};
enum class InterpMode : uint8_t { Nearest, NearestExact, Bilinear, Bicubic, Lanczos };

// torch's layout= and memory_format= objects. Strided is the one layout; a memory format orders the
// dims in memory: (N, C, H, W) channels-last keeps C innermost, strides (HWC, 1, WC, C).
enum class TensorLayout { Strided };
enum class MemoryFormat { Contiguous, Preserve, ChannelsLast, ChannelsLast3d };

}  // namespace rb
