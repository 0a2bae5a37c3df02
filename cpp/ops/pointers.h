// Data pointers for the kernel seam (kernels take raw pointers plus a geometry struct): an optional
// operand, an undefined Tensor, goes to the kernel as a null pointer.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {

// t's elements as T (checked against t's dtype), or null when t is undefined.
template <class T>
T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}
// t's first element, untyped, or null when t is undefined.
inline void* raw_or_null(const Tensor& t) { return t.defined() ? t.raw_data() : nullptr; }

}  // namespace rb
