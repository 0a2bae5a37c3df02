// The activation family's kernel table: fused elementwise activations and their backward,
// softmax along one dim viewed as (outer, C, inner), and dropout (mask drawn and applied in one pass).
#pragma once
#include <cstdint>

#include "rosenblatt/generator.h"

#include "geometry.h"

namespace rb {

enum class Act : uint8_t {
  Sigmoid,
  Tanh,
  Relu,
  LeakyRelu,  // a: negative slope
  Elu,        // a: alpha
  Step,
  Gelu,      // exact, x * Phi(x) through erf
  GeluTanh,  // GELU's tanh approximation, PyTorch's constants
  Silu,
  Mish,
  Softplus,  // a: beta, b: threshold (x itself where beta * x > threshold)
  Softsign,
  Hardtanh,  // a: min_val, b: max_val (relu6 is Hardtanh 0, 6)
  Hardsigmoid,
  Hardswish,
  Selu,
  Celu,        // a: alpha
  LogSigmoid,  // -softplus(-x)
  Threshold,   // a: threshold, b: value (x where x > threshold, else value)
};

// The scalars of an Act, in one shape for every table entry and node that carries one: which of
// a and b an Act reads is written beside it above; the rest ignore them.
struct ActParams {
  double a = 0, b = 0;
};

// The constants of gelu and selu, shared by the kernels and the ops' second derivatives.
constexpr double kSqrt1_2 = 0.70710678118654752440;     // 1/sqrt(2)
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/sqrt(2 pi)
constexpr double kGeluBeta = 0.79788456080286535588;    // sqrt(2/pi), PyTorch's kBeta
constexpr double kGeluKappa = 0.044715;
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

struct ActivationKernels {
  // g: (out, x); x, out: same shape and dtype, any strides (out may be x itself).
  void (*activation_forward)(Act act, const LoopGeom<2>& g, const void* x, void* out, ActParams p);
  // g: (dx, dout, saved), one dtype; saved is the output for sigmoid/tanh and the input otherwise.
  void (*activation_backward)(Act act, const LoopGeom<3>& g, const void* dout, const void* saved, void* dx,
                              ActParams p);
  // x, out: contiguous (outer, C, inner), float dtype; log selects log_softmax.
  void (*softmax_forward)(DType dtype, const void* x, int64_t outer, int64_t C, int64_t inner, bool log, void* out);
  // dout, out, dx: contiguous (outer, C, inner); out is the forward's output.
  void (*softmax_backward)(DType dtype, const void* dout, const void* out, int64_t outer, int64_t C, int64_t inner,
                           bool log, void* dx);
  // x, mask, out: contiguous, n elements of one float dtype. Keeps each element with probability 1-p
  // (0 < p < 1): mask holds 0 or 1/(1-p) and out = x * mask. Draws sequentially from gen.
  void (*dropout_forward)(DType dtype, int64_t n, const void* x, double p, Generator& gen, void* mask, void* out);
  // g: (dx, dout, mask); dout any strides; dx = dout * mask.
  void (*dropout_backward)(const LoopGeom<3>& g, const void* dout, const void* mask, void* dx);
};

}  // namespace rb
