// Activations (sigmoid, tanh, relu, leaky_relu, elu, softmax, log_softmax, step) and dropout.
// The in-place forms bump the version counter and, under autograd, take over the result's history.
#pragma once
#include "rosenblatt/generator.h"
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

Tensor softmax(const Tensor& x, int64_t dim);
Tensor log_softmax(const Tensor& x, int64_t dim);

// Inverted dropout: kept elements are scaled by 1/(1-p). gen: null means default_generator().
Tensor dropout(const Tensor& x, double p, bool training, Generator* gen = nullptr);

}  // namespace rb
