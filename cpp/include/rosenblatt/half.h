// The 16-bit floating point storage types, float16 (IEEE binary16) and bfloat16, with PyTorch's
// conversions: round to nearest even from float, NaN canonicalised, everything computed in float.
#pragma once
#include <cstdint>
#include <cstring>

namespace rb {

namespace detail {
inline uint32_t f32_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
inline float f32_from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// Integer arithmetic only, so the result does not depend on the FPU's rounding mode or on
// contraction into FMA: float -> binary16, round to nearest even, overflow to inf, NaN -> 0x7e00.
inline uint16_t f32_to_f16_bits(float f) {
  const uint32_t x = f32_bits(f);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t ax = x & 0x7fffffffu;
  if (ax > 0x7f800000u) return sign | 0x7e00u;     // NaN
  if (ax >= 0x38800000u) {                         // normal in half (>= 2^-14), or overflow
    if (ax >= 0x47800000u) return sign | 0x7c00u;  // >= 2^16 (and inf)
    const uint32_t rebased = ax - 0x38000000u;     // exponent bias 127 -> 15
    const uint32_t h = (rebased + 0xfffu + ((rebased >> 13) & 1u)) >> 13;
    return static_cast<uint16_t>(sign | (h >= 0x7c00u ? 0x7c00u : h));  // a carry may reach inf
  }
  if (ax < 0x33000000u) return sign;  // below half the smallest subnormal (2^-25): zero
  // Subnormal: the 24-bit significand shifted to units of 2^-24, rounded to nearest even.
  const uint32_t e = ax >> 23, m = (ax & 0x7fffffu) | 0x800000u;
  const uint32_t shift = 126u - e;  // 14..24
  uint32_t q = m >> shift;
  const uint32_t rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1u);
  if (rem > half || (rem == half && (q & 1u))) ++q;
  return static_cast<uint16_t>(sign | q);
}

inline float f16_bits_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  if (e == 0x1fu) return f32_from_bits(sign | 0x7f800000u | (m << 13));
  if (e == 0) {
    if (m == 0) return f32_from_bits(sign);
    uint32_t shifts = 0;  // subnormal: normalise the significand
    while (!(m & 0x400u)) m <<= 1, ++shifts;
    return f32_from_bits(sign | ((113u - shifts) << 23) | ((m & 0x3ffu) << 13));
  }
  return f32_from_bits(sign | ((e + 112u) << 23) | (m << 13));
}

// float -> bfloat16: the top 16 bits, rounded to nearest even; every NaN becomes 0x7fc0.
inline uint16_t f32_to_bf16_bits(float f) {
  const uint32_t x = f32_bits(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return 0x7fc0u;
  return static_cast<uint16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}
inline float bf16_bits_to_f32(uint16_t b) { return f32_from_bits(static_cast<uint32_t>(b) << 16); }
}  // namespace detail

// Arithmetic on these converts to float (the implicit conversion), as PyTorch computes them.
struct Half {
  uint16_t x = 0;
  Half() = default;
  Half(float f) : x(detail::f32_to_f16_bits(f)) {}  // NOLINT: implicit, as c10::Half
  operator float() const { return detail::f16_bits_to_f32(x); }
};

struct BFloat16 {
  uint16_t x = 0;
  BFloat16() = default;
  BFloat16(float f) : x(detail::f32_to_bf16_bits(f)) {}  // NOLINT: implicit, as c10::BFloat16
  operator float() const { return detail::bf16_bits_to_f32(x); }
};

}  // namespace rb
