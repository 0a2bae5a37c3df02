// The range check of a number an op writes into a tensor's dtype (fill_'s value, threshold's value, addmv's
// alpha): PyTorch's checked conversion, one helper so every op raises c10's message for the same numbers.
#pragma once
#include "rosenblatt/dtype.h"
#include "rosenblatt/scalar.h"

namespace rb {

// Raises "value cannot be converted to type T without overflow" where v is outside dt's range.
void check_scalar_range(Scalar v, DType dt);

}  // namespace rb
