// Activations (sigmoid, tanh, relu, leaky_relu, elu, gelu, silu, mish, softplus, softsign, hardtanh,
// relu6, hardsigmoid, hardswish, selu, celu, log_sigmoid, threshold, glu, prelu, softmax, log_softmax,
// softmin, step) and dropout. The in-place forms bump the version counter and, under autograd, take
// over the result's history.
#pragma once
#include <string>

#include "rosenblatt/generator.h"
#include "rosenblatt/scalar.h"
#include "rosenblatt/tensor.h"

namespace rb {

Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor leaky_relu(const Tensor& x, double negative_slope = 0.01);
Tensor elu(const Tensor& x, double alpha = 1.0);
// 1 where x >= 0, else 0: the perceptron's step. Its gradient is zero everywhere.
Tensor heaviside_step(const Tensor& x);
Tensor& sigmoid_(Tensor& x);
Tensor& tanh_(Tensor& x);
Tensor& relu_(Tensor& x);
Tensor& leaky_relu_(Tensor& x, double negative_slope = 0.01);
Tensor& elu_(Tensor& x, double alpha = 1.0);

// approximate: "none" (x * Phi(x)) or "tanh"; anything else raises as PyTorch.
Tensor gelu(const Tensor& x, const std::string& approximate = "none");
Tensor silu(const Tensor& x);
Tensor mish(const Tensor& x);
// log(1 + exp(beta x)) / beta, and x itself where beta * x > threshold.
Tensor softplus(const Tensor& x, double beta = 1.0, double threshold = 20.0);
Tensor softsign(const Tensor& x);
Tensor hardtanh(const Tensor& x, double min_val = -1.0, double max_val = 1.0);  // ValueError if min > max
Tensor relu6(const Tensor& x);
Tensor hardsigmoid(const Tensor& x);
Tensor hardswish(const Tensor& x);
Tensor selu(const Tensor& x);
Tensor celu(const Tensor& x, double alpha = 1.0);
Tensor log_sigmoid(const Tensor& x);
// x where x > threshold, else value; both numbers converted to x's dtype as PyTorch's kernel does (an
// integer wraps: threshold(uint8, 1, -1) writes 255; a number outside a float dtype's range raises).
Tensor threshold(const Tensor& x, Scalar threshold, Scalar value);
Tensor& silu_(Tensor& x);
Tensor& mish_(Tensor& x);
Tensor& hardtanh_(Tensor& x, double min_val = -1.0, double max_val = 1.0);
Tensor& relu6_(Tensor& x);
Tensor& hardsigmoid_(Tensor& x);
Tensor& hardswish_(Tensor& x);
Tensor& selu_(Tensor& x);
Tensor& celu_(Tensor& x, double alpha = 1.0);
Tensor& threshold_(Tensor& x, Scalar threshold, Scalar value);

// First half of dim times the sigmoid of the second half.
Tensor glu(const Tensor& x, int64_t dim = -1);
// x where x > 0, else weight * x; weight has one element or one per channel (dim 1 of x).
Tensor prelu(const Tensor& x, const Tensor& weight);

Tensor softmax(const Tensor& x, int64_t dim);
Tensor log_softmax(const Tensor& x, int64_t dim);
Tensor softmin(const Tensor& x, int64_t dim);  // softmax(-x)

// Inverted dropout: kept elements are scaled by 1/(1-p). gen: null means default_generator().
Tensor dropout(const Tensor& x, double p, bool training, Generator* gen = nullptr);

}  // namespace rb
