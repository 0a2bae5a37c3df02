// Activation layers (ReLU, Tanh, Sigmoid, GELU, SiLU, LeakyReLU, ELU, Softmax, LogSoftmax) and
// Lambda, a parameter-free layer from any function of a tensor.
#pragma once
#include <functional>
#include <string>

#include "rosenblatt/nn/module.h"

namespace rb::nn {

// A parameter-free layer from a function (rb::tanh, rb::relu, a lambda, ...).
class Lambda : public Module {
 public:
  std::function<Tensor(const Tensor&)> fn;
  explicit Lambda(std::function<Tensor(const Tensor&)> f) : fn(std::move(f)) {}
  Tensor forward(const Tensor& x) override { return fn(x); }
};

#define RB_NN_ACTIVATION(Name, expr)                          \
  class Name : public Module {                                \
   public:                                                    \
    Tensor forward(const Tensor& x) override { return expr; } \
  };
RB_NN_ACTIVATION(ReLU, relu(x))
RB_NN_ACTIVATION(Tanh, tanh(x))
RB_NN_ACTIVATION(Sigmoid, sigmoid(x))
RB_NN_ACTIVATION(SiLU, silu(x))
#undef RB_NN_ACTIVATION

class GELU : public Module {
 public:
  std::string approximate;
  explicit GELU(std::string approximate = "none") : approximate(std::move(approximate)) {}
  Tensor forward(const Tensor& x) override { return gelu(x, approximate); }
};

class LeakyReLU : public Module {
 public:
  double negative_slope;
  explicit LeakyReLU(double negative_slope = 0.01) : negative_slope(negative_slope) {}
  Tensor forward(const Tensor& x) override { return leaky_relu(x, negative_slope); }
};

class ELU : public Module {
 public:
  double alpha;
  explicit ELU(double alpha = 1.0) : alpha(alpha) {}
  Tensor forward(const Tensor& x) override { return elu(x, alpha); }
};

class Softmax : public Module {
 public:
  int64_t dim;
  explicit Softmax(int64_t dim) : dim(dim) {}
  Tensor forward(const Tensor& x) override { return softmax(x, dim); }
};

class LogSoftmax : public Module {
 public:
  int64_t dim;
  explicit LogSoftmax(int64_t dim) : dim(dim) {}
  Tensor forward(const Tensor& x) override { return log_softmax(x, dim); }
};

}  // namespace rb::nn
