// The numeric family's kernel table: floats split into mantissa and exponent (frexp). Histograms are
// composites of searchsorted and index_add in the op layer and need no kernel.
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

// n elements of a contiguous input; dtype is the input's and the mantissa's (float32 or float64).
struct NumericGeom {
  int64_t n = 0;
  DType dtype = DType::Float32;
};

struct NumericKernels {
  // x, mantissa: (n) of dtype; exponent: (n) int32. x = mantissa * 2^exponent with |mantissa| in [0.5, 1)
  // (C's frexp, exact); 0, inf and NaN come back as themselves with exponent 0, as torch's. The backward
  // is no kernel: dmantissa = dx * 2^-exponent is an op of its own (ops/numeric.cpp).
  void (*frexp_forward)(const NumericGeom& g, const void* x, void* mantissa, int32_t* exponent);
};

}  // namespace rb
