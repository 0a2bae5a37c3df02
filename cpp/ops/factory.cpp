// Tensor creation ops: constant fills and ranges (random creation lives with the Generator).
#include "rosenblatt/ops.h"

#include "../kernels/cpu/elementwise.h"

namespace rb {

Tensor full(const Shape& shape, Scalar value, DType dtype, Device device) {
  Tensor t = Tensor::empty(shape, dtype, device);
  cpu::fill(t, value);
  return t;
}
Tensor zeros(const Shape& shape, DType dtype, Device device) { return full(shape, Scalar(int64_t(0)), dtype, device); }
Tensor ones(const Shape& shape, DType dtype, Device device) { return full(shape, Scalar(int64_t(1)), dtype, device); }
Tensor scalar_tensor(Scalar value, DType dtype, Device device) { return full({}, value, dtype, device); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), t.dtype(), t.device()); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), t.dtype(), t.device()); }

}  // namespace rb
