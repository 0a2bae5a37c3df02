// The activation family's kernel table: fused elementwise activations and their backward,
// softmax along one dim viewed as (outer, C, inner), and dropout (mask drawn and applied in one pass).
#pragma once
#include <cstdint>

#include "rosenblatt/generator.h"
#include "rosenblatt/tensor.h"

namespace rb {

enum class Act : uint8_t { Sigmoid, Tanh, Relu, LeakyRelu, Elu, Step };

struct ActivationKernels {
  // x, out: same shape and dtype, any strides (out may be x itself); param: slope (leaky) or alpha (elu).
  void (*activation_forward)(Act act, const Tensor& x, Tensor& out, double param);
  // dout, saved, dx: same shape and dtype; saved is the output for sigmoid/tanh and the input otherwise.
  void (*activation_backward)(Act act, const Tensor& dout, const Tensor& saved, Tensor& dx, double param);
  // x, out: contiguous (outer, C, inner), float dtype; log selects log_softmax.
  void (*softmax_forward)(const Tensor& x, int64_t outer, int64_t C, int64_t inner, bool log, Tensor& out);
  // dout, out, dx: contiguous (outer, C, inner); out is the forward's output.
  void (*softmax_backward)(const Tensor& dout, const Tensor& out, int64_t outer, int64_t C, int64_t inner, bool log,
                           Tensor& dx);
  // x, mask, out: contiguous, same shape and float dtype. Keeps each element with probability 1-p
  // (0 < p < 1): mask holds 0 or 1/(1-p) and out = x * mask. Draws sequentially from gen.
  void (*dropout_forward)(const Tensor& x, double p, Generator& gen, Tensor& mask, Tensor& out);
  // dout (any strides), mask, dx: same shape; dx = dout * mask.
  void (*dropout_backward)(const Tensor& dout, const Tensor& mask, Tensor& dx);
};

}  // namespace rb
