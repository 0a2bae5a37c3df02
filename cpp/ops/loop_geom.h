// The op layer's side of the elementwise kernels' geometry (kernels/geometry.h): operands' strides
// broadcast to an output's shape, read from Tensors once per call.
#pragma once
#include "rosenblatt/tensor.h"

#include "../kernels/geometry.h"

namespace rb {

// Strides of t when broadcast to `shape` (0 along broadcast dims), in elements.
inline Shape broadcast_strides(const Tensor& t, const Shape& shape) {
  Shape st(shape.size(), 0);
  size_t lead = shape.size() - t.shape().size();
  for (size_t i = 0; i < t.shape().size(); ++i) st[lead + i] = t.shape()[i] == 1 ? 0 : t.strides()[i];
  return st;
}

// Operand k of g: t broadcast to g's shape, as broadcast_strides gives it.
template <int N>
void set_loop_operand(LoopGeom<N>& g, int k, const Tensor& t) {
  const Shape &sh = t.shape(), &st = t.strides();
  const int lead = g.ndim - static_cast<int>(sh.size());
  for (int d = 0; d < lead; ++d) g.strides[k][d] = 0;
  for (size_t i = 0; i < sh.size(); ++i) g.strides[k][lead + i] = sh[i] == 1 ? 0 : st[i];
  g.dtype[k] = t.dtype();
}

// The walk over out's shape: operand 0 is out at its own strides, then each input broadcast to it.
template <class... In>
LoopGeom<1 + sizeof...(In)> loop_geom(const Tensor& out, const In&... in) {
  LoopGeom<1 + sizeof...(In)> g;
  const Shape &sh = out.shape(), &st = out.strides();
  g.ndim = static_cast<int>(sh.size());
  for (int d = 0; d < g.ndim; ++d) g.shape[d] = sh[d], g.strides[0][d] = st[d];
  g.dtype[0] = out.dtype();
  int k = 1;
  (set_loop_operand(g, k++, in), ...);
  return g;
}

}  // namespace rb
