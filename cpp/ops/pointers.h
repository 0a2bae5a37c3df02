// Data pointers for the kernel seam (kernels take raw pointers plus a geometry struct): an optional
// operand, an undefined Tensor, goes to the kernel as a null pointer; a saved geometry takes a
// gradient's dtype.
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

// Geometry g read as t's dtype: a backward node keeps its forward's geometry and reads the incoming
// gradient in the gradient's own dtype (the forward's, unless backward() was handed one of another;
// a hook may not change it, the engine refuses that).
template <class Geom>
Geom with_dtype(Geom g, const Tensor& t) {
  g.dtype = t.dtype();
  return g;
}

}  // namespace rb
